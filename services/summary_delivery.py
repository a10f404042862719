"""Scheduled summaries, delivered: when each is due, who gets what, and corrections of a day already reported.

Exactly once: the scheduler's claim makes one instance run a (task, company, period); inside it, a delivery row
per recipient (unique per company, user, kind, period) and that person's message in the outbox are written in one
transaction, so a retry, a second run or a crash never sends a summary twice or loses one. The outbox tells the
delivery row how it went (`on_outcome("summary")`): sent, or blocked, in which case the owners are told.
The caller (bot/jobs/summaries.py) commits.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.i18n import translate
from db.base import utcnow
from db.models import Company, Role, SummaryDelivery, User
from db.outbox import OutboxMessage, OutboxStatus
from services import outbox
from services.locale import DEFAULT_LOCALE
from services.permissions import Capability, can
from services.reports.periods import Period
from services.reports.render import esc
from services.reports.sales import SalesReport
from services.summaries import (
    CORRECTION_DAYS,
    Recipient,
    build_daily_summary,
    build_period_summary,
    delivery,
    last_month,
    last_week,
    render_correction,
    render_daily_summary,
    render_period_summary,
    report_figures,
    summary_recipients,
    summary_settings,
)

# A summary time before this hour belongs to the previous day's close (shops here close by late evening; 00:00-05:59
# is still "tonight's" end of day).
DAY_CLOSES_BY_HOUR = 6
GRACE = timedelta(hours=3)  # a summary missed through downtime is still sent this long after its time
PERIOD_KINDS = ("weekly", "monthly")


def _translator(locale: str) -> Callable[..., str]:
    return lambda key, **params: translate(locale, key, **params)


def _locale(recipient: Recipient) -> str:
    return recipient.user.language or DEFAULT_LOCALE


# --- when ----------------------------------------------------------------------------------------------------------


def due_at(local_now: datetime, at_hour: int, at_minute: int, day_ok: Callable[[date], bool]) -> date | None:
    """The local day whose summary time has passed less than GRACE ago (today's, or yesterday's near midnight)."""
    for day in (local_now.date(), local_now.date() - timedelta(days=1)):
        moment = local_now.replace(year=day.year, month=day.month, day=day.day, hour=at_hour, minute=at_minute,
                                   second=0, microsecond=0)
        if moment <= local_now < moment + GRACE and day_ok(day):
            return day
    return None


def daily_due(company: Company, local_now: datetime) -> str | None:
    settings = summary_settings(company)
    if not settings.daily:
        return None
    day = due_at(local_now, settings.at.hour, settings.at.minute, lambda _: True)
    return covered_day(day, settings.at.hour).isoformat() if day else None


def covered_day(sent_on: date, at_hour: int) -> date:
    """The business day a daily summary sent on `sent_on` reports: the day itself when sent in its evening,
    the day before when its time is after midnight and before the usual close (a 27-minute-old day has no figures)."""
    return sent_on - timedelta(days=1) if at_hour < DAY_CLOSES_BY_HOUR else sent_on


def period_of(kind: str, day: date) -> tuple[str, Period]:
    """The period a weekly (last week) or monthly (last month) summary sent on `day` covers, with its key."""
    if kind == "weekly":
        period = last_week(day)
        iso = period.first.isocalendar()
        return f"{iso.year}-W{iso.week:02d}", period
    period = last_month(day)
    return period.first.strftime("%Y-%m"), period


def period_due(kind: str, company: Company, local_now: datetime) -> str | None:
    """Weekly on Mondays, monthly on the 1st, at the daily summary's time."""
    settings = summary_settings(company)
    if not (settings.weekly if kind == "weekly" else settings.monthly):
        return None

    def first_day(day: date) -> bool:
        return day.weekday() == 0 if kind == "weekly" else day.day == 1

    day = due_at(local_now, settings.at.hour, settings.at.minute, first_day)
    return period_of(kind, day)[0] if day else None


# --- queueing ------------------------------------------------------------------------------------------------------


IMPORT_DAYS_PREFIX = "imd"


def import_days_data(company_id: int, first: date, last: date) -> str:
    """As `handlers.callbacks.ImportDaysCallback(company=…, first=…, last=…).pack()` packs it (dates as ordinals)."""
    return f"{IMPORT_DAYS_PREFIX}:{company_id}:{first.toordinal()}:{last.toordinal()}"


def _import_markup(person: Recipient, report: SalesReport) -> dict[str, Any] | None:
    """"Import the missing days" under a summary that names days never imported, for those who may sync."""
    missing = sorted({*report.missing, *report.previous_missing})
    if not missing or not can(person.membership.role, Capability.SYNC_RUN):
        return None
    text = translate(_locale(person), "report-btn-import-days")
    data = import_days_data(report.company_id, missing[0], missing[-1])
    return {"inline_keyboard": [[{"text": text, "callback_data": data}]]}


async def _queue(session: AsyncSession, company_id: int, person: Recipient, kind: str, period: str, text: str,
                 figures: dict[str, Any], reply_markup: dict[str, Any] | None = None) -> bool:
    if await delivery(session, company_id, person.user.id, kind, period) is not None:
        return False  # already sent (or queued) to this person
    row = SummaryDelivery(company_id=company_id, user_id=person.user.id, kind=kind, period=period, figures=figures)
    session.add(row)
    await session.flush()
    await outbox.enqueue(session, chat_id=person.user.telegram_id, text=text, kind=f"summary.{kind}",
                         company_id=company_id, ref_id=row.id, dedupe_key=f"summary:{row.id}",
                         reply_markup=reply_markup)
    return True


async def queue_daily(session: AsyncSession, company_id: int, day: date) -> int:
    """Queues the day's summary for everyone who gets it; returns how many were queued."""
    queued = 0
    built: dict[frozenset[int] | None, Any] = {}
    for person in await summary_recipients(session, company_id):
        if person.branch_ids not in built:  # one computation per distinct branch scope
            built[person.branch_ids] = await build_daily_summary(session, company_id, day, person.branch_ids)
        summary = built[person.branch_ids]
        text = render_daily_summary(summary, _translator(_locale(person)), _locale(person))
        queued += await _queue(session, company_id, person, "daily", day.isoformat(), text, summary.figures(),
                               _import_markup(person, summary.report))
    return queued


async def queue_period(session: AsyncSession, company_id: int, kind: str, period: str, local_now: datetime) -> int:
    """Queues the weekly or monthly summary `period` (as `period_due` named it)."""
    day = local_now.date()
    if period_of(kind, day)[0] != period:  # due late, just after midnight: the period began yesterday's count
        day -= timedelta(days=1)
    key, span = period_of(kind, day)
    queued = 0
    for person in await summary_recipients(session, company_id):
        report = await build_period_summary(session, company_id, span, person.branch_ids)
        text = render_period_summary(kind, report, _translator(_locale(person)), _locale(person))
        queued += await _queue(session, company_id, person, kind, key, text, report_figures(report),
                               _import_markup(person, report))
    return queued


def _recent_daily(company_id: int, local_now: datetime) -> Any:
    since = (local_now.date() - timedelta(days=CORRECTION_DAYS)).isoformat()
    return select(SummaryDelivery).where(SummaryDelivery.company_id == company_id, SummaryDelivery.kind == "daily",
                                         SummaryDelivery.status == "sent", SummaryDelivery.period >= since)


async def corrections_due(session: AsyncSession, company_id: int, local_now: datetime) -> str | None:
    """Hourly, while a daily summary of the last days was delivered: the hour's key."""
    sent = await session.scalar(_recent_daily(company_id, local_now).with_only_columns(SummaryDelivery.id).limit(1))
    return local_now.strftime("%Y-%m-%dT%H") if sent else None


async def queue_corrections(session: AsyncSession, company_id: int, local_now: datetime, period: str) -> int:
    """A day already summarised whose figures changed since (late return, late receipt) gets a short correction,
    once per change: the new figures and the message are written together."""
    people = {person.user.id: person for person in await summary_recipients(session, company_id)}
    queued = 0
    for row in (await session.scalars(_recent_daily(company_id, local_now))).all():
        person = people.get(row.user_id)
        if person is None:
            continue
        day = date.fromisoformat(row.period)
        figures = (await build_daily_summary(session, company_id, day, person.branch_ids)).figures()
        if figures == row.figures:
            continue
        text = render_correction(day, row.figures, figures, _translator(_locale(person)), _locale(person))
        row.figures, row.corrected_at = figures, utcnow()
        queued += bool(await outbox.enqueue(session, chat_id=person.user.telegram_id, text=text,
                                            kind="summary-correction", company_id=company_id,
                                            dedupe_key=f"summary-correction:{row.id}:{period}"))
    return queued


# --- how it went ---------------------------------------------------------------------------------------------------


@outbox.on_outcome("summary")
async def _delivered(session: AsyncSession, message: OutboxMessage) -> None:
    """The first part of a summary tells its delivery row; a person who blocked the bot is named to the owners."""
    if message.ref_id is None or message.part != 0:
        return
    row = await session.get(SummaryDelivery, message.ref_id)
    if row is None:
        return
    row.status = message.status
    row.sent_at = message.sent_at or utcnow()
    if message.status != OutboxStatus.BLOCKED:
        return
    user = await session.get(User, row.user_id)
    await outbox.notify_roles(session, row.company_id, [Role.OWNER], "summary-blocked-chats", kind="summary-alert",
                              dedupe_key=f"summary-blocked:{row.id}", count=1,
                              names=esc(user.first_name if user else f"#{row.user_id}"))


__all__ = [
    "GRACE",
    "PERIOD_KINDS",
    "corrections_due",
    "covered_day",
    "daily_due",
    "due_at",
    "period_due",
    "period_of",
    "queue_corrections",
    "queue_daily",
    "queue_period",
]

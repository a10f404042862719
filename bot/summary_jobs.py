"""Scheduled summaries as scheduler tasks: daily at the company's time, weekly on Mondays, monthly on the 1st,
and corrections when a late receipt or return changes a day already reported.

Exactly once: the scheduler's claim makes one instance run a (task, company, period); inside it, a delivery row
per recipient is written before sending, so a retry or a second run never sends the same summary twice.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, datetime, timedelta
from html import escape
from typing import Any

from aiogram import Bot
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.broadcaster import Outgoing
from bot.notify import recipients, tell, text_for
from bot.scheduler import SchedulerContext
from core.i18n import translate
from db.base import utcnow
from db.models import Company, Role, SummaryDelivery
from services.crypto import SecretBox
from services.locale import DEFAULT_LOCALE
from services.reports.periods import Period
from services.reports.render import split_message
from services.summaries import (
    CORRECTION_DAYS,
    Recipient,
    build_daily_summary,
    build_period_summary,
    last_month,
    last_week,
    render_correction,
    render_daily_summary,
    render_period_summary,
    report_figures,
    summary_recipients,
    summary_settings,
)
from services.sync.connection import get_connection
from services.sync.engine import sync_company

log = logging.getLogger(__name__)
GRACE = timedelta(hours=3)  # a summary missed through downtime is still sent this long after its time


def _translator(locale: str) -> Callable[..., str]:
    return lambda key, **params: translate(locale, key, **params)


def _due_at(local_now: datetime, at_hour: int, at_minute: int, day_ok: Callable[[date], bool]) -> date | None:
    """The local day whose summary time has passed less than GRACE ago (today's, or yesterday's near midnight)."""
    for day in (local_now.date(), local_now.date() - timedelta(days=1)):
        moment = local_now.replace(year=day.year, month=day.month, day=day.day, hour=at_hour, minute=at_minute,
                                   second=0, microsecond=0)
        if moment <= local_now < moment + GRACE and day_ok(day):
            return day
    return None


async def _fresh_sync(context: SchedulerContext, company: Company, day: date) -> None:
    """Summaries follow a fresh sync when REGOS is connected; if it fails, what we hold is sent."""
    async with context.session_factory() as session:
        if await get_connection(session, company.id) is None or context.settings.secret_key is None:
            return
    result = await sync_company(
        context.session_factory, company.id, date_from=day, date_to=day, trigger="schedule",
        secret_box=SecretBox(context.settings.secret_key.get_secret_value()),
        archive_dir=context.settings.regos_archive_dir,
    )
    if result.failure is not None:
        log.warning("summary of company %s: sync before it failed (%s)", company.id, result.failure.problem)


async def _claim_delivery(session_factory: async_sessionmaker[AsyncSession], company_id: int, user_id: int,
                          kind: str, period: str, figures: dict[str, Any]) -> int | None:
    async with session_factory() as session:
        row = SummaryDelivery(company_id=company_id, user_id=user_id, kind=kind, period=period, figures=figures)
        session.add(row)
        try:
            await session.commit()
        except IntegrityError:
            return None  # already sent (or being sent) to this person
        return row.id


async def _deliver(context: SchedulerContext, company: Company, kind: str, period: str,
                   messages: list[tuple[Recipient, list[str], dict[str, Any]]]) -> None:
    items, delivery_ids = [], {}
    for recipient, parts, figures in messages:
        delivery_id = await _claim_delivery(context.session_factory, company.id, recipient.user.id, kind, period,
                                            figures)
        if delivery_id is None:
            continue
        chat_id = recipient.user.telegram_id
        delivery_ids[chat_id] = delivery_id

        async def send(bot: Bot, chat_id: int = chat_id, parts: list[str] = parts) -> None:
            for part in parts:
                await bot.send_message(chat_id, part)

        items.append(Outgoing(chat_id=chat_id, send=send, key=recipient.user.first_name))
    if not items:
        return
    report = await context.broadcaster.send_all(items)
    async with context.session_factory() as session:
        for outcome in report.outcomes:
            await session.execute(update(SummaryDelivery).where(SummaryDelivery.id == delivery_ids[outcome.chat_id])
                                  .values(status=outcome.status, sent_at=utcnow()))
        await session.commit()
    blocked = [outcome.key for outcome in report.outcomes if outcome.status == "blocked"]
    if blocked:  # the owner should know who is not getting the figures
        async with context.session_factory() as session:
            owners = await recipients(session, company.id, [Role.OWNER])
        await tell(context.broadcaster, owners,
                   text_for("summary-blocked-chats", count=len(blocked), names=escape(", ".join(blocked))))


def _locale(recipient: Recipient) -> str:
    return recipient.user.language or DEFAULT_LOCALE


class DailySummaryTask:
    name = "summary_daily"

    async def due(self, session: AsyncSession, company: Company, local_now: datetime) -> str | None:
        settings = summary_settings(company)
        if not settings.daily:
            return None
        day = _due_at(local_now, settings.at.hour, settings.at.minute, lambda _: True)
        return day.isoformat() if day else None

    async def run(self, context: SchedulerContext, company: Company, period: str, local_now: datetime) -> None:
        day = date.fromisoformat(period)
        await _fresh_sync(context, company, day)
        messages = []
        async with context.session_factory() as session:
            people = await summary_recipients(session, company.id)
            built: dict[frozenset[int] | None, Any] = {}
            for person in people:
                if person.branch_ids not in built:  # one computation per distinct branch scope
                    built[person.branch_ids] = await build_daily_summary(session, company.id, day, person.branch_ids)
                summary = built[person.branch_ids]
                text = render_daily_summary(summary, _translator(_locale(person)), _locale(person))
                messages.append((person, split_message(text), summary.figures()))
        await _deliver(context, company, "daily", period, messages)


class PeriodSummaryTask:
    """Weekly (Mondays, last week) or monthly (the 1st, last month), at the daily summary's time."""

    def __init__(self, kind: str) -> None:
        assert kind in ("weekly", "monthly")
        self.kind = kind
        self.name = f"summary_{kind}"

    def _period(self, day: date) -> tuple[str, Period]:
        if self.kind == "weekly":
            period = last_week(day)
            iso = period.first.isocalendar()
            return f"{iso.year}-W{iso.week:02d}", period
        period = last_month(day)
        return period.first.strftime("%Y-%m"), period

    async def due(self, session: AsyncSession, company: Company, local_now: datetime) -> str | None:
        settings = summary_settings(company)
        if not (settings.weekly if self.kind == "weekly" else settings.monthly):
            return None

        def first_day(day: date) -> bool:
            return day.weekday() == 0 if self.kind == "weekly" else day.day == 1

        day = _due_at(local_now, settings.at.hour, settings.at.minute, first_day)
        return self._period(day)[0] if day else None

    async def run(self, context: SchedulerContext, company: Company, period: str, local_now: datetime) -> None:
        day = local_now.date()
        if self._period(day)[0] != period:  # due late, just after midnight: the period began yesterday's count
            day -= timedelta(days=1)
        key, span = self._period(day)
        messages = []
        async with context.session_factory() as session:
            for person in await summary_recipients(session, company.id):
                report = await build_period_summary(session, company.id, span, person.branch_ids)
                text = render_period_summary(self.kind, report, _translator(_locale(person)), _locale(person))
                messages.append((person, split_message(text), report_figures(report)))
        await _deliver(context, company, self.kind, key, messages)


class SummaryCorrectionTask:
    """Hourly: a day already summarised whose figures changed since (late return, late receipt) gets a short
    correction, once per change."""

    name = "summary_corrections"

    async def due(self, session: AsyncSession, company: Company, local_now: datetime) -> str | None:
        since = (local_now.date() - timedelta(days=CORRECTION_DAYS)).isoformat()
        sent = await session.scalar(select(SummaryDelivery.id).where(
            SummaryDelivery.company_id == company.id, SummaryDelivery.kind == "daily",
            SummaryDelivery.status == "sent", SummaryDelivery.period >= since).limit(1))
        return local_now.strftime("%Y-%m-%dT%H") if sent else None

    async def run(self, context: SchedulerContext, company: Company, period: str, local_now: datetime) -> None:
        since = (local_now.date() - timedelta(days=CORRECTION_DAYS)).isoformat()
        async with context.session_factory() as session:
            people = {person.user.id: person for person in await summary_recipients(session, company.id)}
            deliveries = (await session.scalars(select(SummaryDelivery).where(
                SummaryDelivery.company_id == company.id, SummaryDelivery.kind == "daily",
                SummaryDelivery.status == "sent", SummaryDelivery.period >= since))).all()
            items = []
            for row in deliveries:
                person = people.get(row.user_id)
                if person is None:
                    continue
                day = date.fromisoformat(row.period)
                figures = (await build_daily_summary(session, company.id, day, person.branch_ids)).figures()
                if figures == row.figures:
                    continue
                text = render_correction(day, row.figures, figures, _translator(_locale(person)), _locale(person))
                row.figures, row.corrected_at = figures, utcnow()
                chat_id = person.user.telegram_id

                async def send(bot: Bot, chat_id: int = chat_id, text: str = text) -> None:
                    await bot.send_message(chat_id, text)

                items.append(Outgoing(chat_id=chat_id, send=send))
            # New figures are saved before sending: a crash after this point loses a correction, never repeats it.
            await session.commit()
        if items:
            await context.broadcaster.send_all(items)

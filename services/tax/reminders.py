"""Deadline reminders: 5 days and 1 day before each deadline of a report not yet filed, and on the day itself, to
the members who prepare taxes (owners and accountants, by the permission table). Queued through the outbox with a
key per (company, month, deadline, day), so a second scheduler or a retry sends nothing more."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from core.i18n import translate
from db.models import Company, TaxRegime
from db.tax import TaxReportStatus
from services import outbox
from services.locale import DEFAULT_LOCALE, format_date
from services.permissions import Capability, roles_with
from services.tax import sources
from services.tax.periods import deadlines_for, is_quarter_end, month_last, period_text, previous_month
from services.tax.reports import find_report

REMIND_DAYS_BEFORE = (5, 1, 0)
LOOK_BACK_MONTHS = 3  # December's profit tax is due on 1 March


@dataclass(frozen=True, slots=True)
class Reminder:
    month: date
    kind: str
    deadline: date
    days_left: int

    @property
    def dedupe_key(self) -> str:
        return f"{period_text(self.month)}:{self.kind}:{self.days_left}"


async def reminders_due(session: AsyncSession, company: Company, today: date) -> list[Reminder]:
    found: list[Reminder] = []
    month = today.replace(day=1)
    start = await sources.first_regime_day(session, company.id)
    if start is None:
        return found
    for _ in range(LOOK_BACK_MONTHS):
        month = previous_month(month)
        if month_last(month) < start:
            break
        report = await find_report(session, company.id, month)
        if report is not None and report.status in (TaxReportStatus.FILING, TaxReportStatus.FILED):
            continue  # uploaded: only the owner's confirmation is left
        segments = await sources.regime_segments(session, company.id, month, month_last(month))
        regimes = {segment.regime for segment in segments}
        due = deadlines_for(month, vat=TaxRegime.VAT in regimes, turnover=TaxRegime.TURNOVER in regimes,
                            profit=is_quarter_end(month) and bool(segments) and segments[-1].regime == TaxRegime.VAT)
        for kind, day in due.items():
            left = (day - today).days
            if left in REMIND_DAYS_BEFORE:
                found.append(Reminder(month, kind, day, left))
    return found


async def queue_reminders(session: AsyncSession, company: Company, today: date) -> int:
    """Queues today's reminders for the company; returns how many messages were queued."""
    queued = 0
    reminders = await reminders_due(session, company, today)
    if not reminders:
        return 0
    people = await outbox.people_with_roles(session, company.id, roles_with(Capability.TAX_PREPARE))
    for reminder in reminders:
        for user in people:
            locale = user.language or DEFAULT_LOCALE
            text = translate(locale, "tax-reminder", company=company.name, period=period_text(reminder.month),
                             report=translate(locale, f"tax-deadline-{reminder.kind}"),
                             deadline=format_date(reminder.deadline, locale), days=reminder.days_left)
            queued += bool(await outbox.enqueue(
                session, chat_id=user.telegram_id, text=text, kind="tax.reminder", company_id=company.id,
                dedupe_key=f"tax-remind:{company.id}:{reminder.dedupe_key}:{user.id}"))
    return queued


__all__ = ["REMIND_DAYS_BEFORE", "Reminder", "queue_reminders", "reminders_due"]

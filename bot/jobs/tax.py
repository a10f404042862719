"""Tax deadline reminders (services.tax.reminders): once a day from 09:00 in the company's zone, claimed per
(company, day), each message keyed per (month, deadline, days left, person) so it is sent exactly once."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.scheduler import JobContext, JobRegistry
from db.models import Company
from services.tax.reminders import queue_reminders

REMIND_HOUR = 9


class TaxReminderTask:
    name = "tax_reminders"

    async def due(self, session: AsyncSession, company: Company, local_now: datetime) -> str | None:
        return local_now.date().isoformat() if local_now.hour >= REMIND_HOUR else None

    async def run(self, context: JobContext, company: Company, period: str, local_now: datetime) -> None:
        async with context.session_factory() as session:
            await queue_reminders(session, company, local_now.date())
            await session.commit()


def register(jobs: JobRegistry) -> None:
    jobs.add(TaxReminderTask())

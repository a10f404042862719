"""Scheduled summaries: daily at the company's time (after a fresh sync), weekly on Mondays, monthly on the 1st,
and hourly corrections when a late receipt or return changes a day already reported. What is due and what is
sent is services.summary_delivery; messages go through the outbox."""

from __future__ import annotations

import logging
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.scheduler import JobContext, JobRegistry
from db.models import Company
from services.summary_delivery import (
    corrections_due,
    daily_due,
    period_due,
    queue_corrections,
    queue_daily,
    queue_period,
)
from services.sync.connection import get_connection
from services.sync.engine import sync_company

log = logging.getLogger(__name__)


async def _fresh_sync(context: JobContext, company: Company, day: date) -> None:
    """Summaries follow a fresh sync when REGOS is connected; if it fails, what we hold is sent."""
    async with context.session_factory() as session:
        if await get_connection(session, company.id) is None or context.secret_box is None:
            return
    result = await sync_company(
        context.session_factory, company.id, date_from=day, date_to=day, trigger="schedule",
        secret_box=context.secret_box, archive_dir=context.settings.regos_archive_dir,
    )
    if result.failure is not None:
        log.warning("summary of company %s: sync before it failed (%s)", company.id, result.failure.problem)


class DailySummaryTask:
    name = "summary_daily"

    async def due(self, session: AsyncSession, company: Company, local_now: datetime) -> str | None:
        return daily_due(company, local_now)

    async def run(self, context: JobContext, company: Company, period: str, local_now: datetime) -> None:
        day = date.fromisoformat(period)
        await _fresh_sync(context, company, day)
        async with context.session_factory() as session:
            await queue_daily(session, company.id, day)
            await session.commit()


class PeriodSummaryTask:
    """Weekly (Mondays, last week) or monthly (the 1st, last month), at the daily summary's time."""

    def __init__(self, kind: str) -> None:
        assert kind in ("weekly", "monthly")
        self.kind = kind
        self.name = f"summary_{kind}"

    async def due(self, session: AsyncSession, company: Company, local_now: datetime) -> str | None:
        return period_due(self.kind, company, local_now)

    async def run(self, context: JobContext, company: Company, period: str, local_now: datetime) -> None:
        async with context.session_factory() as session:
            await queue_period(session, company.id, self.kind, period, local_now)
            await session.commit()


class SummaryCorrectionTask:
    name = "summary_corrections"

    async def due(self, session: AsyncSession, company: Company, local_now: datetime) -> str | None:
        return await corrections_due(session, company.id, local_now)

    async def run(self, context: JobContext, company: Company, period: str, local_now: datetime) -> None:
        async with context.session_factory() as session:
            await queue_corrections(session, company.id, local_now, period)
            await session.commit()


def register(jobs: JobRegistry) -> None:
    jobs.add(DailySummaryTask(), PeriodSummaryTask("weekly"), PeriodSummaryTask("monthly"), SummaryCorrectionTask())

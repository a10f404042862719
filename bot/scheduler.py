"""The scheduler: APScheduler ticks once a minute; each tick reads the companies and their settings from the
database, asks every periodic task whether it is due for a company in that company's local time, claims
(job, company, period) in the database and runs it.

Reading the schedule on every tick means settings changes apply at the next minute without rebuilding jobs,
a missed run is caught up on the first tick after downtime (each task decides its grace period), and the claim
makes a second scheduler, a restart or a retry a no-op. Tests drive `tick(now)` with a controllable clock.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

from aiogram import Bot
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.broadcaster import Broadcaster
from bot.notify import blocked_marker
from core.config import Settings
from db.base import utcnow
from db.models import Company
from services.jobs import finish_claim, try_claim

log = logging.getLogger(__name__)


@dataclass
class SchedulerContext:
    session_factory: async_sessionmaker[AsyncSession]
    bot: Bot
    settings: Settings
    _broadcaster: Broadcaster | None = None

    @property
    def broadcaster(self) -> Broadcaster:
        """One broadcaster for every task and company, so Telegram's global limit is shared, not multiplied."""
        if self._broadcaster is None:
            self._broadcaster = Broadcaster(self.bot, on_blocked=blocked_marker(self.session_factory))
        return self._broadcaster


class PeriodicTask(Protocol):
    name: str

    async def due(self, session: AsyncSession, company: Company, local_now: datetime) -> str | None:
        """The period key to run now (e.g. "2026-11-22"), or None when nothing is due."""

    async def run(self, context: SchedulerContext, company: Company, period: str, local_now: datetime) -> None: ...


@dataclass(frozen=True, slots=True)
class TickResult:
    task: str
    company_id: int
    period: str
    status: str  # ran | failed | skipped (claimed elsewhere)


class Scheduler:
    def __init__(self, context: SchedulerContext, tasks: Sequence[PeriodicTask], *,
                 clock: Callable[[], datetime] = utcnow, owner: str | None = None, concurrency: int = 16) -> None:
        self.context = context
        self.concurrency = concurrency
        self.tasks = list(tasks)
        self.clock = clock
        self.owner = owner or f"{socket.gethostname()}:{os.getpid()}"
        self._apscheduler: AsyncIOScheduler | None = None

    async def _companies(self) -> list[Company]:
        async with self.context.session_factory() as session:
            result = await session.scalars(select(Company).where(Company.deleted_at.is_(None)).order_by(Company.id))
            return list(result.all())

    async def tick(self, now: datetime | None = None) -> list[TickResult]:
        now = now or self.clock()
        semaphore = asyncio.Semaphore(self.concurrency)

        async def one(company: Company) -> list[TickResult]:
            async with semaphore:
                return await self._tick_company(company, now)

        per_company = await asyncio.gather(*(one(company) for company in await self._companies()))
        return [result for results in per_company for result in results]

    async def _tick_company(self, company: Company, now: datetime) -> list[TickResult]:
        results: list[TickResult] = []
        local_now = now.astimezone(ZoneInfo(company.timezone))
        # One company's tasks run in order: a summary follows that hour's sync.
        for task in self.tasks:
            try:
                async with self.context.session_factory() as session:
                    period = await task.due(session, company, local_now)
            except Exception:
                log.exception("task %s: cannot tell if due for company %s", task.name, company.id)
                continue
            if period is None:
                continue
            claim = await try_claim(self.context.session_factory, job=task.name, scope=f"company:{company.id}",
                                    period=period, owner=self.owner)
            if claim is None:
                results.append(TickResult(task.name, company.id, period, "skipped"))
                continue
            try:
                await task.run(self.context, company, period, local_now)
            except Exception as error:
                log.exception("task %s for company %s, period %s failed", task.name, company.id, period)
                await finish_claim(self.context.session_factory, claim, ok=False, error=repr(error))
                results.append(TickResult(task.name, company.id, period, "failed"))
            else:
                await finish_claim(self.context.session_factory, claim, ok=True)
                results.append(TickResult(task.name, company.id, period, "ran"))
        return results

    def start(self, interval: timedelta = timedelta(seconds=60)) -> None:
        scheduler = AsyncIOScheduler(timezone="UTC")
        scheduler.add_job(self.tick, IntervalTrigger(seconds=interval.total_seconds()), id="tick",
                          max_instances=1, coalesce=True, next_run_time=datetime.now(ZoneInfo("UTC")))
        scheduler.start()
        self._apscheduler = scheduler
        log.info("scheduler started (%s) with tasks: %s", self.owner, ", ".join(t.name for t in self.tasks))

    def shutdown(self) -> None:
        if self._apscheduler is not None:
            self._apscheduler.shutdown(wait=False)
            self._apscheduler = None


def default_tasks() -> list[PeriodicTask]:
    """Every feature's periodic tasks; features add theirs here."""
    from bot.tasks import all_tasks

    return all_tasks()

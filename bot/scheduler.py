"""The scheduler: runs the jobs features register in bot/jobs/, and knows nothing of the features themselves.

Two kinds of job:
- a `PeriodicTask` (per company): APScheduler ticks once a minute; each tick reads the companies and their settings
  from the database, asks every task whether it is due for a company in that company's local time, claims
  (task, company, period) in `job_claims` and runs it. Reading the schedule on every tick means settings changes
  apply at the next minute, a missed run is caught up on the first tick after downtime (each task decides its grace
  period), and the claim makes a second scheduler, a restart or a retry a no-op.
- an `IntervalJob` (global, every few seconds or minutes) whose work is safe to run anywhere at once (the outbox
  sweep claims its own rows).
Tests drive `tick(now)` and `run_intervals()` with a controllable clock.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Protocol
from zoneinfo import ZoneInfo

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.triggers.interval import IntervalTrigger
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.config import Settings
from db.base import utcnow
from db.models import Company
from services.background import Spawn
from services.crypto import SecretBox
from services.jobs import finish_claim, try_claim

if TYPE_CHECKING:
    from bot.outbox import OutboxSender

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class JobContext:
    """What every job gets from the app: built once per app (`App.job_context()`)."""

    session_factory: async_sessionmaker[AsyncSession]
    settings: Settings
    secret_box: SecretBox | None
    spawn: Spawn
    outbox: OutboxSender | None = None

    def require_secret_box(self) -> SecretBox:
        if self.secret_box is None:
            raise RuntimeError("SECRET_KEY is not set")
        return self.secret_box


class PeriodicTask(Protocol):
    name: str

    async def due(self, session: AsyncSession, company: Company, local_now: datetime) -> str | None:
        """The period key to run now (e.g. "2026-11-22"), or None when nothing is due."""

    async def run(self, context: JobContext, company: Company, period: str, local_now: datetime) -> None: ...


@dataclass(frozen=True)
class IntervalJob:
    name: str
    every: timedelta
    run: Callable[[JobContext], Awaitable[object]]


@dataclass
class JobRegistry:
    """Filled by each feature's `register(jobs)` in bot/jobs/; per company, tasks run in registration order."""

    tasks: list[PeriodicTask] = field(default_factory=list)
    intervals: list[IntervalJob] = field(default_factory=list)

    def add(self, *tasks: PeriodicTask) -> None:
        self.tasks.extend(tasks)

    def every(self, interval: timedelta, name: str, run: Callable[[JobContext], Awaitable[object]]) -> None:
        self.intervals.append(IntervalJob(name, interval, run))


@dataclass(frozen=True, slots=True)
class TickResult:
    task: str
    company_id: int
    period: str
    status: str  # ran | failed | skipped (claimed elsewhere)


class Scheduler:
    def __init__(self, context: JobContext, tasks: Sequence[PeriodicTask], *, intervals: Sequence[IntervalJob] = (),
                 clock: Callable[[], datetime] = utcnow, owner: str | None = None, concurrency: int = 16) -> None:
        self.context = context
        self.concurrency = concurrency
        self.tasks = list(tasks)
        self.intervals = list(intervals)
        self.clock = clock
        self.owner = owner or f"{socket.gethostname()}:{os.getpid()}"
        self._apscheduler: AsyncIOScheduler | None = None

    @classmethod
    def from_registry(cls, context: JobContext, jobs: JobRegistry, *, owner: str | None = None) -> Scheduler:
        return cls(context, jobs.tasks, intervals=jobs.intervals, owner=owner)

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

    async def run_interval(self, job: IntervalJob) -> bool:
        try:
            await job.run(self.context)
        except Exception:
            log.exception("job %s failed", job.name)
            return False
        return True

    async def run_intervals(self) -> dict[str, bool]:
        """Every interval job once (tests, and the first run at start)."""
        return {job.name: await self.run_interval(job) for job in self.intervals}

    def start(self, interval: timedelta = timedelta(seconds=60)) -> None:
        scheduler = AsyncIOScheduler(timezone="UTC")
        first = datetime.now(ZoneInfo("UTC"))
        scheduler.add_job(self.tick, IntervalTrigger(seconds=interval.total_seconds()), id="tick",
                          max_instances=1, coalesce=True, next_run_time=first)
        for job in self.intervals:
            scheduler.add_job(self.run_interval, IntervalTrigger(seconds=job.every.total_seconds()), args=[job],
                              id=job.name, max_instances=1, coalesce=True, next_run_time=first)
        scheduler.start()
        self._apscheduler = scheduler
        log.info("scheduler started (%s) with tasks: %s; every few seconds: %s", self.owner,
                 ", ".join(t.name for t in self.tasks), ", ".join(j.name for j in self.intervals))

    def shutdown(self) -> None:
        if self._apscheduler is not None:
            self._apscheduler.shutdown(wait=False)
            self._apscheduler = None

"""Importing a range of past days from REGOS (the first connect's history, `/sync` of a past period, "import the
missing days"): today first, so that `/today` has figures within a minute, then the other days from the newest
to the oldest, one business day per run of the sync engine (`sync_company`), with progress after each page.

One import per company runs at a time (`claim_import` refuses a second while one runs). A REGOS failure that the
engine could not ride out stops the import: the result names the days done and the days left, and importing the
same range again (`days_to_import` skips what the books already hold) finishes it.

    claim = claim_import(company_id)            # DomainError("sync-import-running") when one runs
    spawn(import_days(session_factory, claim, days, secret_box=..., on_progress=...))
"""

from __future__ import annotations

import inspect
import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.regos_data import SyncRun, SyncRunStatus, SyncTrigger
from services.crypto import SecretBox
from services.errors import DomainError
from services.regos import RegosClient
from services.reports.coverage import coverage
from services.reports.periods import Period, PeriodKind

from .engine import sync_company
from .results import DayStatus, SyncFailure, SyncOptions, SyncProgress

logger = logging.getLogger(__name__)

HISTORY_CHOICES = (7, 30, 90, 365)  # what the owner may pick after connecting
MAX_IMPORT_DAYS = 366
ESTIMATE_WINDOW = 5  # days the time-left estimate averages over


@dataclass(frozen=True)
class ImportProgress:
    """What the progress message shows: days finished of the total, receipts read so far, an estimate."""

    days_done: int
    days_total: int
    receipts: int
    elapsed: float
    seconds_left: int | None
    day: date | None = None  # the day being imported now


ImportProgressCallback = Callable[[ImportProgress], Awaitable[None] | None]


@dataclass
class ImportResult:
    company_id: int
    days_total: int
    done: list[date] = field(default_factory=list)
    failed: list[date] = field(default_factory=list)  # tried, REGOS or another sync got in the way
    left: list[date] = field(default_factory=list)  # not reached because the import stopped
    receipts: int = 0
    failure: SyncFailure | None = None
    duration_seconds: float = 0.0

    @property
    def complete(self) -> bool:
        return not self.failed and not self.left and self.failure is None

    @property
    def not_done(self) -> list[date]:
        return sorted(self.failed + self.left)


@dataclass
class ImportClaim:
    company_id: int
    progress: ImportProgress | None = None


_RUNNING: dict[int, ImportClaim] = {}


def claim_import(company_id: int) -> ImportClaim:
    """Reserves the company's one import slot, before the import is spawned (so a double tap cannot start two)."""
    if company_id in _RUNNING:
        raise DomainError("sync-import-running")
    claim = _RUNNING[company_id] = ImportClaim(company_id)
    return claim


def release_import(claim: ImportClaim) -> None:
    if _RUNNING.get(claim.company_id) is claim:
        del _RUNNING[claim.company_id]


def running_import(company_id: int) -> ImportProgress | None:
    """How far the company's running import is (None when none runs, or it has not reported yet)."""
    claim = _RUNNING.get(company_id)
    return claim.progress if claim is not None else None


def import_is_running(company_id: int) -> bool:
    return company_id in _RUNNING


def history_range(days: int, today: date) -> tuple[date, date]:
    if days < 1 or days > MAX_IMPORT_DAYS:
        raise DomainError("sync-import-range-too-long", days=MAX_IMPORT_DAYS)
    return today - timedelta(days=days - 1), today


def import_order(days: Sequence[date], today: date) -> list[date]:
    """Today first (when asked for), then the rest newest to oldest; days after today are dropped."""
    past = sorted({d for d in days if d < today}, reverse=True)
    return ([today] if today in days else []) + past


async def days_to_import(session: AsyncSession, company_id: int, first: date, last: date, today: date) -> list[date]:
    """The days of `first`..`last` the books do not hold yet (today is always taken again: it is still selling),
    in import order."""
    if last < first:
        raise DomainError("report-error-range-reversed", first=first, last=last)
    if first > today:
        raise DomainError("report-error-future", value=first)
    last = min(last, today)
    if (last - first).days + 1 > MAX_IMPORT_DAYS:
        raise DomainError("sync-import-range-too-long", days=MAX_IMPORT_DAYS)
    missing = set((await coverage(session, company_id, Period(first, last, PeriodKind.CUSTOM), today)).missing)
    missing |= await _days_left_unfinished(session, company_id, first, last)
    if first <= today <= last:
        missing.add(today)
    return import_order(sorted(missing), today)


_UNFINISHED = (SyncRunStatus.FAILED, SyncRunStatus.PARTIAL, SyncRunStatus.INTERRUPTED)


async def _days_left_unfinished(session: AsyncSession, company_id: int, first: date, last: date) -> set[date]:
    """Days whose latest sync stopped part-way (REGOS failed in the middle of the day): some of their rows may be
    in the books, but the day is not complete until a sync of it finishes."""
    runs = (await session.execute(
        select(SyncRun.window_from, SyncRun.window_to, SyncRun.status, SyncRun.started_at, SyncRun.id).where(
            SyncRun.company_id == company_id, SyncRun.window_from <= last, SyncRun.window_to >= first,
            SyncRun.status != SyncRunStatus.RUNNING, SyncRun.status != SyncRunStatus.BUSY)
    )).all()
    latest: dict[date, tuple[tuple[datetime, int], SyncRunStatus]] = {}
    for window_from, window_to, status, started_at, run_id in runs:
        day = max(window_from, first)
        while day <= min(window_to, last):
            if day not in latest or latest[day][0] < (started_at, run_id):
                latest[day] = ((started_at, run_id), SyncRunStatus(status))
            day += timedelta(days=1)
    return {day for day, (_, status) in latest.items() if status in _UNFINISHED}


def _estimate(durations: list[float], days_left: int) -> int | None:
    """Seconds left: the mean of the last days done (today's, usually the fullest, only while it is alone). The
    first past days may ride the key's burst; the estimate settles as the paced days come in."""
    if days_left <= 0:
        return 0
    if not durations:
        return None
    sample = (durations[1:] or durations)[-ESTIMATE_WINDOW:]
    return round(sum(sample) / len(sample) * days_left)


async def import_days(
    session_factory: async_sessionmaker[AsyncSession],
    claim: ImportClaim,
    days: Sequence[date],
    *,
    secret_box: SecretBox | None = None,
    client: RegosClient | None = None,
    archive_dir: Path | str | None = None,
    on_progress: ImportProgressCallback | None = None,
    trigger: SyncTrigger | str = SyncTrigger.MANUAL,
) -> ImportResult:
    """Imports `days` in the order given (see `import_order`), one engine run each; releases `claim` at the end.
    REGOS failures end in `result.failure` (the days left are named); anything else propagates."""
    company_id = claim.company_id
    result = ImportResult(company_id=company_id, days_total=len(days))
    started = time.monotonic()
    durations: list[float] = []

    async def tell(day: date | None, in_flight: int = 0) -> None:
        done = len(result.done) + len(result.failed)
        progress = ImportProgress(
            days_done=done, days_total=result.days_total, receipts=result.receipts + in_flight,
            elapsed=time.monotonic() - started, seconds_left=_estimate(durations, result.days_total - done), day=day,
        )
        claim.progress = progress
        if on_progress is None:
            return
        try:
            outcome = on_progress(progress)
            if inspect.isawaitable(outcome):
                await outcome
        except Exception:  # progress is cosmetic: a refused edit never stops the import
            logger.warning("import progress callback failed", exc_info=True)

    try:
        await tell(None)
        for position, day in enumerate(days):
            day_started = time.monotonic()

            async def page_done(update: SyncProgress, day: date = day) -> None:
                await tell(day, update.receipts_done)

            first_run = position == 0
            options = SyncOptions(refresh_reference=first_run, refresh_stock_levels=first_run)
            run = await sync_company(session_factory, company_id, date_from=day, date_to=day, trigger=trigger,
                                     secret_box=secret_box, client=client, on_progress=page_done,
                                     archive_dir=archive_dir, options=options)
            result.receipts += run.receipts_listed
            statuses = {d.status for d in run.days}
            if run.failure is not None:
                result.failure = run.failure
                result.failed.append(day)
                result.left = list(days[position + 1:])
                logger.warning("history import of company %s stopped at %s: %s", company_id, day,
                               run.failure.description)
                break
            if DayStatus.FAILED in statuses:
                result.failed.append(day)
            else:  # OK, or BUSY: another sync (the hourly one) is importing that day right now
                result.done.append(day)
            durations.append(time.monotonic() - day_started)
            await tell(day)
    finally:
        result.duration_seconds = time.monotonic() - started
        release_import(claim)
    logger.info("history import of company %s: %d of %d days, %d receipts, %.1fs", company_id, len(result.done),
                result.days_total, result.receipts, result.duration_seconds)
    return result


__all__ = [
    "HISTORY_CHOICES",
    "MAX_IMPORT_DAYS",
    "ImportClaim",
    "ImportProgress",
    "ImportResult",
    "claim_import",
    "days_to_import",
    "history_range",
    "import_days",
    "import_is_running",
    "import_order",
    "release_import",
    "running_import",
]

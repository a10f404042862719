"""What a sync run is asked to do and what it answers: options, progress, per-day and per-run results."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

from db.regos_data import SyncRunStatus
from services.regos import RegosError, RegosProblem

from .aggregates import ReconciliationOutcome
from .locks import DEFAULT_STALE_AFTER


class DayStatus(StrEnum):
    OK = "ok"
    BUSY = "busy"  # another sync holds the day
    FAILED = "failed"
    RESUMED = "resumed"  # an interrupted run of the same window had finished it


@dataclass(frozen=True)
class SyncOptions:
    """Knobs of one run. ``None`` means: take the company's connection setting, else the default."""

    page_size: int = 1000
    fetch_details: bool | None = None  # lines and payments of each receipt (2 calls per new/changed receipt)
    detail_concurrency: int = 4
    refresh_reference: bool = True
    refresh_stock_levels: bool = True
    reconcile: bool = True
    archive: bool = True
    archive_retention_days: int | None = None  # default for companies without their own setting (90)
    lock_stale_after: timedelta = DEFAULT_STALE_AFTER
    write_batch: int | None = None  # receipts per transaction; default 100 with details, else a whole page
    listing_attempts: int = 3
    resume: bool = True
    max_days: int = 366


@dataclass(frozen=True)
class SyncProgress:
    """For the bot's edited progress message: ``day_index`` is 1-based."""

    day_index: int
    days_total: int
    receipts_done: int
    pages: int
    elapsed: float
    day: date | None = None


ProgressCallback = Callable[[SyncProgress], Awaitable[None] | None]


@dataclass(frozen=True)
class SyncFailure:
    """Why a run stopped: the bot maps ``problem`` to a message; ``error_code`` is REGOS's own."""

    problem: RegosProblem
    method: str | None
    error_code: int | None
    http_status: int | None
    description: str

    @classmethod
    def from_error(cls, error: RegosError) -> SyncFailure:
        return cls(RegosProblem.from_error(error), error.method, error.code, error.http_status, error.description)


@dataclass
class DaySyncResult:
    day: date
    status: DayStatus = DayStatus.OK
    pages: int = 0
    receipts_listed: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    invalid: int = 0
    vanished: int = 0
    wholesale_written: int = 0
    reconciliation: ReconciliationOutcome | None = None
    error: str | None = None
    reread: bool = False  # the reconciliation differed, so the day was read a second time
    owners_told: int = 0  # a mismatch that persisted: owners alerted (through the outbox, once per figures)


@dataclass
class SyncResult:
    company_id: int
    run_id: int | None
    date_from: date
    date_to: date
    status: SyncRunStatus = SyncRunStatus.OK
    days: list[DaySyncResult] = field(default_factory=list)
    failure: SyncFailure | None = None
    duration_seconds: float = 0.0
    stock_levels_written: int = 0
    archive_pruned: int = 0
    # Days REGOS refused with 8213 even after backing off (the key's limit is spent elsewhere, e.g. by another
    # integration): they stay retryable, the connection's status says so, and a later run finishes them.
    rate_limited_days: list[date] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.status == SyncRunStatus.OK

    def _sum(self, name: str) -> int:
        return sum(int(getattr(d, name)) for d in self.days)

    @property
    def pages(self) -> int:
        return self._sum("pages")

    @property
    def inserted(self) -> int:
        return self._sum("inserted")

    @property
    def updated(self) -> int:
        return self._sum("updated")

    @property
    def unchanged(self) -> int:
        return self._sum("unchanged")

    @property
    def invalid(self) -> int:
        return self._sum("invalid")

    @property
    def receipts_listed(self) -> int:
        return self._sum("receipts_listed")

    @property
    def mismatched_days(self) -> list[date]:
        return [d.day for d in self.days if d.reconciliation is not None and not d.reconciliation.matches]

    @property
    def reconciled(self) -> bool:
        """Every synced day matched REGOS's own report."""
        return all(
            d.reconciliation is not None and d.reconciliation.matches for d in self.days if d.status == DayStatus.OK
        )

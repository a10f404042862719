"""The REGOS sync: per company and business day (in the company's time zone).

For each run: reference data (Stock, OperatingCash, User, PaymentType; Item by ``last_update``), then for each
day of the window, under a day claim (a second sync of the same day gets "busy"):

1. shifts of the day (``DocCashSession/Get``: they lead receipts to their till and branch);
2. wholesale documents and returns of the day (all states kept, only performed and not deleted count);
3. receipts of the day (``DocCheque/Get``, every status), a page at a time: each page is one transaction that
   inserts what is new, updates what changed (``last_update``, status, amount...) with its lines and payments,
   and moves the run's cursor. A crash loses at most the page in flight; the rerun lists the day again, skips
   every receipt it already holds unchanged (no detail calls) and writes the rest, so nothing is lost or doubled.
   A listing that returns fewer distinct receipts than its ``total`` is repeated;
4. the day's aggregates are rebuilt (``daily_sales`` per branch, ``daily_employee_sales``) and reconciled with
   ``RetailReport/Counts`` and ``/Payments`` (a ``reconciliations`` row; a mismatch is kept for the owner);
5. the raw answers are archived (gzip JSON) and old archives pruned.

Stock on hand (``Item/GetCurrentQuantity``) is refreshed once at the end of a run. Every run is a ``sync_runs``
row (window, pages, inserted/updated/skipped, errors, duration, cursor). When REGOS stays unreachable after the
client's retries the run stops, says why, and the connection's ``status``/``last_error`` tell the owner; the next
run simply syncs the window again.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, Generic, TypeVar
from zoneinfo import ZoneInfo

from pydantic import BaseModel
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.base import utcnow
from db.models import Company
from db.regos_data import SyncRun
from services.crypto import SecretBox
from services.regos import (
    DocCashSession,
    DocCheque,
    DocWholeSale,
    DocWholeSaleReturn,
    PagingGuard,
    RecordProblem,
    RegosClient,
    RegosError,
    RegosMalformedResponseError,
    RegosResponse,
    RetailReportCounts,
    RetailReportPayment,
    day_bounds,
    parse_records,
)

from .aggregates import ReconciliationOutcome, rebuild_day, reconcile_day
from .archive import DEFAULT_ARCHIVE_DIR, DEFAULT_RETENTION_DAYS, DayArchive, NullArchive, prune_archive
from .connection import (
    SETTING_ARCHIVE_RETENTION_DAYS,
    SETTING_RECEIPT_DETAILS,
    ConnectProblem,
    RegosNotConnected,
    get_client,
    get_connection,
    mark_connection_failing,
    mark_connection_ok,
)
from .locks import (
    DEFAULT_STALE_AFTER,
    REFERENCE_SCOPE,
    ClaimLostError,
    DayClaim,
    claim_day,
    lock_day_for_write,
    lock_for_write,
    new_owner_tag,
    refresh_claim,
    release_day,
)
from .receipts import BranchResolver, ImportCounts, ReceiptImporter, mark_vanished_receipts
from .reference import (
    active_item_ids,
    items_updated_since,
    payment_type_names,
    sync_branches,
    sync_employees,
    sync_items,
    sync_payment_types,
    sync_stock_levels,
    sync_tills,
)
from .wholesale import KIND_RETURN, KIND_SALE, mark_missing_wholesale, store_wholesale

logger = logging.getLogger(__name__)

TRIGGERS = frozenset({"schedule", "manual", "cli", "webhook", "benchmark"})
RUN_RUNNING, RUN_OK, RUN_FAILED, RUN_BUSY, RUN_INTERRUPTED = "running", "ok", "failed", "busy", "interrupted"
DAY_OK, DAY_BUSY, DAY_FAILED, DAY_RESUMED = "ok", "busy", "failed", "resumed"
_MAX_ERRORS_KEPT = 50
_RESUME_WITHIN = timedelta(hours=6)

ModelT = TypeVar("ModelT", bound=BaseModel)


class IncompleteListingError(RegosMalformedResponseError):
    """REGOS kept answering a listing with fewer rows than its own ``total``."""


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

    problem: ConnectProblem
    method: str | None
    error_code: int | None
    http_status: int | None
    description: str

    @classmethod
    def from_error(cls, error: RegosError) -> SyncFailure:
        return cls(ConnectProblem.from_error(error), error.method, error.code, error.http_status, error.description)


@dataclass
class DaySyncResult:
    day: date
    status: str = DAY_OK
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


@dataclass
class SyncResult:
    company_id: int
    run_id: int | None
    date_from: date
    date_to: date
    status: str = RUN_OK
    days: list[DaySyncResult] = field(default_factory=list)
    failure: SyncFailure | None = None
    duration_seconds: float = 0.0
    stock_levels_written: int = 0
    archive_pruned: int = 0

    @property
    def ok(self) -> bool:
        return self.status == RUN_OK

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
        return all(d.reconciliation is not None and d.reconciliation.matches for d in self.days if d.status == DAY_OK)


@dataclass
class _Page(Generic[ModelT]):
    items: list[ModelT]
    raw_count: int
    skipped: int
    problems: list[RecordProblem]
    offset: int
    total: int | None


class _Listing(Generic[ModelT]):
    """One offset-paged REGOS list, every raw page archived. Unlike a bare stream it does not take an empty page
    for the end while ``total`` says rows remain: it asks again, then gives up with ``IncompleteListingError``."""

    def __init__(
        self,
        client: RegosClient,
        method: str,
        body: dict[str, Any],
        model: type[ModelT],
        *,
        page_size: int,
        archive: DayArchive,
        empty_page_retries: int = 2,
    ) -> None:
        self.client = client
        self.method = method
        self.body = body
        self.model = model
        self.page_size = page_size
        self.archive = archive
        self.empty_page_retries = empty_page_retries
        self.total: int | None = None
        self.raw_rows = 0
        self.pages_fetched = 0

    def _fetch(self, offset: int) -> tuple[dict[str, Any], asyncio.Task[RegosResponse]]:
        request = {**self.body, "limit": self.page_size, "offset": offset}
        return request, asyncio.ensure_future(self.client.call(self.method, request))

    async def pages(self) -> AsyncIterator[_Page[ModelT]]:
        """Pages in order. The next page is requested before the current one is handed over, so REGOS prepares
        it while the caller writes this one."""
        guard = PagingGuard(0, self.client.max_pages)
        offset = 0
        retries = self.empty_page_retries
        request, pending = self._fetch(offset)
        try:
            while True:
                response = await pending
                result = response.result
                rows = result if isinstance(result, list) else ([] if result is None else [result])
                if response.total is not None:
                    self.total = response.total
                if not rows and self.total is not None and offset < self.total:
                    if retries <= 0:
                        raise IncompleteListingError(
                            None, f"empty page at offset {offset} of {self.total}", self.method
                        )
                    retries -= 1
                    logger.warning(
                        "REGOS %s: empty page at offset %d of %d; asking again", self.method, offset, self.total
                    )
                    request, pending = self._fetch(offset)
                    continue
                retries = self.empty_page_retries
                next_offset = guard.next_offset(offset, len(rows), response.next_offset, response.total)
                this_request = request
                if next_offset is not None:
                    request, pending = self._fetch(next_offset)
                self.archive.add(
                    self.method, this_request, rows, next_offset=response.next_offset, total=response.total
                )
                batch = parse_records(self.model, rows)
                self.raw_rows += len(rows)
                self.pages_fetched += 1
                yield _Page(batch.items, len(rows), batch.skipped, batch.problems, offset, response.total)
                if next_offset is None:
                    return
                offset = next_offset
        finally:
            if not pending.done():
                pending.cancel()
            with contextlib.suppress(BaseException):  # its outcome no longer matters; just collect it
                await pending

    async def collect(self) -> tuple[list[ModelT], int, list[RecordProblem]]:
        items: list[ModelT] = []
        skipped = 0
        problems: list[RecordProblem] = []
        async for page in self.pages():
            items.extend(page.items)
            skipped += page.skipped
            problems.extend(page.problems)
        return items, skipped, problems

    @property
    def complete(self) -> bool:
        return self.total is None or self.raw_rows >= self.total


@dataclass
class _RunStats:
    pages: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    invalid: int = 0
    receipts_listed: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    days_done: list[str] = field(default_factory=list)

    def note_error(self, kind: str, **details: Any) -> None:
        if len(self.errors) < _MAX_ERRORS_KEPT:
            self.errors.append({"kind": kind, **{k: v for k, v in details.items() if v is not None}})

    def note_problems(self, method: str, problems: list[RecordProblem]) -> None:
        for problem in problems:
            self.note_error("invalid_record", method=method, record_id=problem.record_id, error=problem.error)


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


class _CompanySync:
    """One run for one company; holds what the days share (client, resolver, importer, stats)."""

    def __init__(
        self,
        *,
        session_factory: async_sessionmaker[AsyncSession],
        company_id: int,
        timezone: str,
        client: RegosClient,
        options: SyncOptions,
        fetch_details: bool,
        archive_root: Path | None,
        on_progress: ProgressCallback | None,
        days: list[date],
        run_id: int,
        resumed_days: set[date],
    ) -> None:
        self.session_factory = session_factory
        self.company_id = company_id
        self.timezone = timezone
        self.client = client
        self.options = options
        self.fetch_details = fetch_details
        self.archive_root = archive_root
        self.on_progress = on_progress
        self.days = days
        self.run_id = run_id
        self.resumed_days = resumed_days
        self.owner = new_owner_tag()
        self.stats = _RunStats()
        self.resolver = BranchResolver(company_id)
        self.importer: ReceiptImporter | None = None
        self.started = time.monotonic()
        self._last_report = 0.0
        self.cursor: dict[str, Any] = {}

    # -- progress and run row -------------------------------------------------------------------------------------

    async def report(self, day_index: int, day: date | None, in_flight: int = 0, *, throttle: bool = False) -> None:
        """Tell the caller how far we are (``throttle``: at most once a second, for per-receipt detail calls).
        A failing callback (say, Telegram refusing an edit) is logged and never stops the sync."""
        if self.on_progress is None:
            return
        now = time.monotonic()
        if throttle and now - self._last_report < 1.0:
            return
        self._last_report = now
        progress = SyncProgress(
            day_index=day_index,
            days_total=len(self.days),
            receipts_done=self.stats.receipts_listed + in_flight,
            pages=self.stats.pages,
            elapsed=time.monotonic() - self.started,
            day=day,
        )
        try:
            outcome = self.on_progress(progress)
            if inspect.isawaitable(outcome):
                await outcome
        except Exception:
            logger.warning("REGOS sync progress callback failed", exc_info=True)

    async def keep_alive(self, claim: DayClaim) -> None:
        """While a day syncs, refresh its claim and the run's heartbeat, so a long stretch of detail calls
        (REGOS allows 2 a second) never looks like a dead sync to another process."""
        interval = max(0.5, self.options.lock_stale_after.total_seconds() / 4)
        while True:
            await asyncio.sleep(interval)
            try:
                async with self.session_factory.begin() as db:
                    if not await refresh_claim(db, claim):
                        logger.warning("REGOS sync: claim on %s was taken over", claim.day)
                        return
                    await self.save_run(db)
            except Exception:
                logger.warning("REGOS sync heartbeat failed", exc_info=True)

    def _run_values(self, extra: ImportCounts | None = None) -> dict[str, Any]:
        stats = self.stats
        cursor = {
            **self.cursor,
            "days_done": list(stats.days_done),
            "unchanged": stats.unchanged + (extra.unchanged if extra else 0),
            "receipts_listed": stats.receipts_listed,
            "heartbeat_at": utcnow().isoformat(),
        }
        return {
            "pages": stats.pages,
            "inserted": stats.inserted + (extra.inserted if extra else 0),
            "updated": stats.updated + (extra.updated if extra else 0),
            "skipped": stats.invalid + (extra.invalid if extra else 0),
            "errors": list(stats.errors),
            "cursor": cursor,
        }

    async def save_run(self, db: AsyncSession, extra: ImportCounts | None = None, **final: Any) -> None:
        await db.execute(update(SyncRun).where(SyncRun.id == self.run_id).values(**self._run_values(extra), **final))

    # -- reference data -------------------------------------------------------------------------------------------

    async def refresh_reference(self) -> None:
        client = self.client
        stocks = (await client.iter_stocks().collect()).items
        tills = (await client.iter_operating_cashes().collect()).items
        users = (await client.iter_users().collect()).items
        payment_types = (await client.iter_payment_types().collect()).items
        async with self.session_factory() as db:
            since = await items_updated_since(db, self.company_id)
        items_batch = await client.iter_items(updated_since=since).collect()
        if items_batch.skipped:
            self.stats.invalid += items_batch.skipped
            self.stats.note_problems("Item/Get", items_batch.problems)
        async with self.session_factory.begin() as db:
            await lock_for_write(db, self.company_id, [REFERENCE_SCOPE])
            branches = await sync_branches(db, self.company_id, stocks)
            await sync_tills(db, self.company_id, tills, branches.branch_by_stock)
            await sync_employees(db, self.company_id, users)
            await sync_payment_types(db, self.company_id, payment_types)
            await sync_items(db, self.company_id, items_batch.items)

    async def prepare(self) -> None:
        async with self.session_factory() as db:
            await self.resolver.load(db)
            names = await payment_type_names(db, self.company_id)
        self.importer = ReceiptImporter(
            session_factory=self.session_factory,
            company_id=self.company_id,
            timezone=self.timezone,
            client=self.client,
            resolver=self.resolver,
            fetch_details=self.fetch_details,
            detail_concurrency=self.options.detail_concurrency,
            payment_type_names=names,
        )

    async def refresh_stock_levels(self) -> int:
        async with self.session_factory() as db:
            item_ids = await active_item_ids(db, self.company_id)
        if not item_ids:
            return 0
        quantities = await self.client.get_current_quantities(item_ids)
        if quantities.skipped:
            self.stats.invalid += quantities.skipped
            self.stats.note_problems("Item/GetCurrentQuantity", quantities.problems)
        async with self.session_factory.begin() as db:
            await lock_for_write(db, self.company_id, [REFERENCE_SCOPE])
            return await sync_stock_levels(db, self.company_id, quantities.items)

    # -- one day --------------------------------------------------------------------------------------------------

    def _archive_for(self, day: date) -> DayArchive:
        if self.archive_root is None:
            return NullArchive()
        return DayArchive(self.archive_root, self.company_id, day, self.timezone)

    async def sync_day(self, day: date, day_index: int, claim: DayClaim) -> DaySyncResult:
        result = DaySyncResult(day)
        archive = self._archive_for(day)
        try:
            await self._sync_day(day, day_index, claim, result, archive)
        except BaseException:
            archive.discard()
            raise
        archive.commit()
        return result

    async def _sync_day(
        self, day: date, day_index: int, claim: DayClaim, result: DaySyncResult, archive: DayArchive
    ) -> None:
        assert self.importer is not None
        start, end = day_bounds(day, self.timezone)
        window = {"start_date": start, "end_date": end}
        page_size = self.options.page_size
        self.cursor = {"day": day.isoformat(), "stage": "shifts"}

        shift_listing = _Listing(
            self.client, "DocCashSession/Get", dict(window), DocCashSession, page_size=page_size, archive=archive
        )
        shifts, skipped, problems = await shift_listing.collect()
        self._count_pages(result, shift_listing.pages_fetched)
        self._note_invalid(result, "DocCashSession/Get", skipped, problems)
        await self.resolver.store_sessions(self.session_factory, self.client, shifts)

        self.cursor["stage"] = "wholesale"
        touched_days: set[date] = {day}
        for kind, method, model in (
            (KIND_SALE, "DocWholeSale/Get", DocWholeSale),
            (KIND_RETURN, "DocWholeSaleReturn/Get", DocWholeSaleReturn),
        ):
            listing: _Listing[DocWholeSale] = _Listing(
                self.client, method, dict(window), model, page_size=page_size, archive=archive
            )
            docs, skipped, problems = await listing.collect()
            self._count_pages(result, listing.pages_fetched)
            self._note_invalid(result, method, skipped, problems)
            async with self.session_factory.begin() as db:
                await lock_day_for_write(db, self.company_id, day, claim)
                written = await store_wholesale(
                    db, self.company_id, kind, docs, timezone=self.timezone,
                    branch_by_stock=self.resolver.branch_by_stock,
                )
                if listing.complete and not skipped:
                    written.deleted = await mark_missing_wholesale(
                        db, self.company_id, kind, day, [d.id for d in docs]
                    )
            result.wholesale_written += written.inserted + written.updated + written.deleted
            result.inserted += written.inserted
            result.updated += written.updated + written.deleted
            self.stats.inserted += written.inserted
            self.stats.updated += written.updated + written.deleted
            touched_days |= written.days_touched

        self.cursor["stage"] = "receipts"
        for attempt in range(1, self.options.listing_attempts + 1):
            listed_since = utcnow()
            seen: set[str] = set()
            invalid_rows = 0
            listing_cheques: _Listing[DocCheque] = _Listing(
                self.client,
                "DocCheque/Get",
                {**window, "sort_orders": [{"column": "Date", "direction": "ASC"}]},
                DocCheque,
                page_size=page_size,
                archive=archive,
            )
            async for page in listing_cheques.pages():
                self._count_pages(result, 1)
                invalid_rows += page.skipped
                self._note_invalid(result, "DocCheque/Get", page.skipped, page.problems)
                # With details, a page is written in small batches: each costs 2 calls a receipt, and a
                # crash should lose minutes of them, not the whole page.
                batch = self.options.write_batch or (100 if self.fetch_details else max(1, len(page.items)))
                for start in range(0, len(page.items), batch):
                    chunk = page.items[start : start + batch]
                    self.cursor["offset"] = page.offset + start + len(chunk)

                    async def run_update(db: AsyncSession, counts: ImportCounts) -> None:
                        await self.save_run(db, counts)

                    async def on_details(detailed: int, done_before: int = start) -> None:
                        await self.report(day_index, day, in_flight=done_before + detailed, throttle=True)

                    counts = await self.importer.import_receipts(
                        chunk, archive=archive, claim=claim, run_update=run_update, on_details=on_details
                    )
                    seen.update(doc.uuid for doc in chunk)
                    self._absorb(result, counts)
                    touched_days |= counts.days_touched
                    await self.report(day_index, day, in_flight=start + len(chunk))
                result.receipts_listed += page.raw_count
                self.stats.receipts_listed += page.raw_count
                await self.report(day_index, day)
            total = listing_cheques.total
            if total is None or len(seen) + invalid_rows >= total:
                break
            logger.warning(
                "REGOS DocCheque/Get for %s listed %d distinct of %d (attempt %d); listing again",
                day, len(seen) + invalid_rows, total, attempt,
            )
        else:
            raise IncompleteListingError(
                None, f"listing of {day} kept returning fewer receipts than its total", "DocCheque/Get"
            )

        self.cursor["stage"] = "aggregates"
        async with self.session_factory.begin() as db:
            await lock_day_for_write(db, self.company_id, sorted(touched_days), claim)
            if invalid_rows == 0:
                result.vanished = await mark_vanished_receipts(db, self.company_id, day, seen, listed_since)
            figures = None
            for touched in sorted(touched_days):
                rebuilt = await rebuild_day(db, self.company_id, touched)
                if touched == day:
                    figures = rebuilt
            self.stats.days_done.append(day.isoformat())
            self.cursor["stage"] = "reconcile"
            await self.save_run(db)
        assert figures is not None

        if self.options.reconcile:
            counts_body = dict(window)
            counts_response = await self.client.call("RetailReport/Counts", counts_body)
            archive.add("RetailReport/Counts", counts_body, counts_response.result)
            payments_response = await self.client.call("RetailReport/Payments", counts_body)
            archive.add("RetailReport/Payments", counts_body, payments_response.result)
            report_counts = parse_records(RetailReportCounts, counts_response.result)
            report_payments = parse_records(RetailReportPayment, payments_response.result)
            async with self.session_factory.begin() as db:
                result.reconciliation = await reconcile_day(
                    db, self.company_id, figures, report_counts.items, report_payments.items,
                    compare_payment_types=self.fetch_details,
                )
            if not result.reconciliation.matches:
                logger.warning(
                    "REGOS reconciliation of company %s, %s: %s",
                    self.company_id, day, "; ".join(result.reconciliation.differences),
                )

    def _count_pages(self, result: DaySyncResult, pages: int) -> None:
        result.pages += pages
        self.stats.pages += pages

    def _note_invalid(self, result: DaySyncResult, method: str, skipped: int, problems: list[RecordProblem]) -> None:
        if not skipped:
            return
        result.invalid += skipped
        self.stats.invalid += skipped
        self.stats.note_problems(method, problems)
        logger.warning("REGOS %s: %d malformed record(s) skipped, e.g. %s", method, skipped, problems[:3])

    def _absorb(self, result: DaySyncResult, counts: ImportCounts) -> None:
        result.inserted += counts.inserted
        result.updated += counts.updated
        result.unchanged += counts.unchanged
        result.invalid += counts.invalid
        self.stats.inserted += counts.inserted
        self.stats.updated += counts.updated
        self.stats.unchanged += counts.unchanged
        self.stats.invalid += counts.invalid
        if counts.problems:
            self.stats.note_problems("DocCheque/Get", counts.problems)


async def _interrupt_stale_runs(
    session_factory: async_sessionmaker[AsyncSession], company_id: int, stale_after: timedelta
) -> None:
    """Runs left ``running`` by a process that died are marked ``interrupted`` (their heartbeat went quiet)."""
    limit = utcnow() - stale_after
    async with session_factory.begin() as db:
        runs = (
            await db.execute(select(SyncRun).where(SyncRun.company_id == company_id, SyncRun.status == RUN_RUNNING))
        ).scalars()
        for run in runs:
            heartbeat = (run.cursor or {}).get("heartbeat_at")
            last_sign = datetime.fromisoformat(heartbeat) if heartbeat else run.started_at
            if last_sign < limit:
                run.status = RUN_INTERRUPTED
                run.finished_at = utcnow()


async def _resumable_days(
    session_factory: async_sessionmaker[AsyncSession], company_id: int, first: date, last: date, today: date
) -> set[date]:
    """Days an interrupted or failed recent run of the same window already finished (today is always redone)."""
    async with session_factory() as db:
        run = (
            await db.execute(
                select(SyncRun)
                .where(
                    SyncRun.company_id == company_id,
                    SyncRun.window_from == first,
                    SyncRun.window_to == last,
                    SyncRun.status.in_([RUN_FAILED, RUN_INTERRUPTED]),
                    SyncRun.started_at > utcnow() - _RESUME_WITHIN,
                )
                .order_by(SyncRun.started_at.desc(), SyncRun.id.desc())
                .limit(1)
            )
        ).scalar_one_or_none()
    if run is None:
        return set()
    done = {date.fromisoformat(d) for d in (run.cursor or {}).get("days_done", [])}
    return {d for d in done if d < today}


async def sync_company(
    session_factory: async_sessionmaker[AsyncSession],
    company_id: int,
    *,
    date_from: date | None = None,
    date_to: date | None = None,
    trigger: str = "manual",
    secret_box: SecretBox | None = None,
    client: RegosClient | None = None,
    on_progress: ProgressCallback | None = None,
    archive_dir: Path | str | None = None,
    options: SyncOptions | None = None,
) -> SyncResult:
    """Sync business days ``date_from``..``date_to`` (default: today in the company's time zone).

    Give ``client`` or ``secret_box`` (to build one from the stored connection; raises ``RegosNotConnected``).
    ``archive_dir`` defaults to ``data/regos_archive``. REGOS failures end in ``result.failure``, never in an
    exception; anything else (a bug, the database) marks the run failed and propagates.
    """
    opts = options or SyncOptions()
    if trigger not in TRIGGERS:
        raise ValueError(f"trigger must be one of {sorted(TRIGGERS)}")
    async with session_factory() as db:
        company = await db.get(Company, company_id)
        if company is None:
            raise RegosNotConnected()
        connection = await get_connection(db, company_id)
        settings = dict(connection.settings or {}) if connection is not None else {}
        timezone = company.timezone
        today = datetime.now(ZoneInfo(timezone)).date()
        own_client = client is None
        if client is None:
            if secret_box is None:
                raise ValueError("give a client or a secret_box")
            client = await get_client(db, company_id, secret_box)
    first = date_from or today
    last = date_to or (date_from if date_from else today)
    if last < first:
        raise ValueError("date_to is before date_from")
    days = _days(first, last)
    if len(days) > opts.max_days:
        raise ValueError(f"at most {opts.max_days} days per run")
    fetch_details = opts.fetch_details if opts.fetch_details is not None else bool(
        settings.get(SETTING_RECEIPT_DETAILS, True)
    )
    # The company's own retention wins; the option is the deployment's default (SETTINGS: REGOS_ARCHIVE_...).
    own_retention = settings.get(SETTING_ARCHIVE_RETENTION_DAYS)
    if own_retention is not None:
        retention = int(own_retention)
    elif opts.archive_retention_days is not None:
        retention = opts.archive_retention_days
    else:
        retention = DEFAULT_RETENTION_DAYS
    archive_root = Path(archive_dir) if archive_dir is not None else DEFAULT_ARCHIVE_DIR
    if not opts.archive:
        archive_root = None  # type: ignore[assignment]

    await _interrupt_stale_runs(session_factory, company_id, opts.lock_stale_after)
    resumed = await _resumable_days(session_factory, company_id, first, last, today) if opts.resume else set()
    async with session_factory.begin() as db:
        run = SyncRun(
            company_id=company_id, trigger=trigger, window_from=first, window_to=last, status=RUN_RUNNING,
            cursor={"heartbeat_at": utcnow().isoformat()}, errors=[], started_at=utcnow(),
        )
        db.add(run)
        await db.flush()
        run_id = run.id

    work = _CompanySync(
        session_factory=session_factory, company_id=company_id, timezone=timezone, client=client, options=opts,
        fetch_details=fetch_details, archive_root=archive_root, on_progress=on_progress, days=days, run_id=run_id,
        resumed_days=resumed,
    )
    result = SyncResult(company_id=company_id, run_id=run_id, date_from=first, date_to=last)
    logger.info("REGOS sync of company %s, %s..%s (%s) started: run %s", company_id, first, last, trigger, run_id)
    try:
        await _run(work, result)
    except BaseException as error:
        result.status = RUN_FAILED
        work.stats.note_error("crash", error=f"{type(error).__name__}: {error}"[:500])
        await _finish(work, result)
        raise
    finally:
        if own_client:
            await client.aclose()
    if result.failure is None and archive_root is not None:
        result.archive_pruned = prune_archive(archive_root, retention, company_id=company_id)
    await _finish(work, result)
    logger.info(
        "REGOS sync run %s %s: %d day(s), %d page(s), +%d ~%d, %d invalid, %.1fs",
        run_id, result.status, len(result.days), result.pages, result.inserted, result.updated, result.invalid,
        result.duration_seconds,
    )
    return result


async def _run(work: _CompanySync, result: SyncResult) -> None:
    try:
        if work.options.refresh_reference:
            work.cursor = {"stage": "reference"}
            await work.refresh_reference()
        await work.prepare()
    except RegosError as error:
        _fail(work, result, error)
        return
    for index, day in enumerate(work.days, start=1):
        if day in work.resumed_days:
            result.days.append(DaySyncResult(day, status=DAY_RESUMED))
            work.stats.days_done.append(day.isoformat())
            continue
        await work.report(index, day)
        claim = await claim_day(
            work.session_factory, work.company_id, day, work.owner, stale_after=work.options.lock_stale_after
        )
        if claim is None:
            logger.info("REGOS sync of company %s, %s: another sync holds the day", work.company_id, day)
            result.days.append(DaySyncResult(day, status=DAY_BUSY, error="another sync is running for this day"))
            continue
        error_text: str | None = None
        heartbeat = asyncio.create_task(work.keep_alive(claim))
        try:
            day_result = await work.sync_day(day, index, claim)
            result.days.append(day_result)
        except RegosError as error:
            error_text = str(error)
            result.days.append(DaySyncResult(day, status=DAY_FAILED, error=error_text))
            _fail(work, result, error)
            return
        except ClaimLostError as error:
            error_text = str(error)
            result.days.append(DaySyncResult(day, status=DAY_FAILED, error=error_text))
            work.stats.note_error("claim_lost", day=day.isoformat(), error=error_text)
            continue
        except BaseException as error:
            error_text = f"{type(error).__name__}: {error}"[:500]
            raise
        finally:
            heartbeat.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await heartbeat
            await release_day(work.session_factory, claim, error=error_text)
    await work.report(len(work.days), work.days[-1] if work.days else None)
    if work.options.refresh_stock_levels and any(d.status == DAY_OK for d in result.days):
        try:
            work.cursor = {"stage": "stock_levels"}
            result.stock_levels_written = await work.refresh_stock_levels()
        except RegosError as error:
            _fail(work, result, error)


def _fail(work: _CompanySync, result: SyncResult, error: RegosError) -> None:
    result.failure = SyncFailure.from_error(error)
    work.stats.note_error(
        "regos", method=error.method, code=error.code, http_status=error.http_status, error=error.description
    )
    logger.warning("REGOS sync of company %s stopped: %s", work.company_id, error)


async def _finish(work: _CompanySync, result: SyncResult) -> None:
    result.duration_seconds = time.monotonic() - work.started
    if result.status != RUN_FAILED:
        if result.failure is not None:
            result.status = RUN_FAILED
        elif result.days and all(d.status == DAY_BUSY for d in result.days):
            result.status = RUN_BUSY
        elif any(d.status in (DAY_BUSY, DAY_FAILED) for d in result.days):
            result.status = "partial"
        else:
            result.status = RUN_OK
    async with work.session_factory.begin() as db:
        await work.save_run(
            db, status=result.status, finished_at=utcnow(), duration_ms=int(result.duration_seconds * 1000)
        )
        if result.failure is not None:
            failure = result.failure
            where = f" ({failure.method})" if failure.method else ""
            code = f" error {failure.error_code}" if failure.error_code is not None else ""
            await mark_connection_failing(
                db, work.company_id, failure.problem, f"{failure.description}{where}{code}"
            )
        elif any(d.status == DAY_OK for d in result.days):
            await mark_connection_ok(db, work.company_id)

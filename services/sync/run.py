"""One sync run of one company: what its days share (client, branch resolver, receipt importer, counters), the
``sync_runs`` row it keeps up to date, and the work of a single day (see ``engine`` for the order of things)."""

from __future__ import annotations

import asyncio
import hashlib
import inspect
import logging
import time
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.base import utcnow
from db.models import Company, Role
from db.regos_data import SyncRun, WholesaleKind
from db.transient import retry_transient
from services import outbox
from services.regos import (
    DocWholeSale,
    IncompleteListingError,
    RecordProblem,
    RecordStream,
    RegosClient,
    day_bounds,
)
from services.reports.coverage import mark_days_imported
from services.reports.render import esc

from .aggregates import rebuild_day, reconcile_day
from .archive import DayArchive, NullArchive
from .day_reports import (
    current_till_branches,
    day_header_marks,
    fetch_group,
    group_differences,
    plan_groups,
    store_day_reports,
)
from .locks import (
    REFERENCE_SCOPE,
    DayClaim,
    lock_day_for_write,
    lock_for_write,
    new_owner_tag,
    refresh_claim,
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
from .results import DaySyncResult, ProgressCallback, SyncOptions, SyncProgress
from .wholesale import mark_missing_wholesale, store_wholesale

logger = logging.getLogger(__name__)


def _som(value: Any) -> str:
    """Whole so'm with spaces between thousands (the alert's figures; REGOS keeps tiyin at zero)."""
    amount = Decimal(str(value or 0)).quantize(Decimal("1"))
    sign = "-" if amount < 0 else ""
    return sign + f"{abs(int(amount)):,}".replace(",", "\u00a0")

_MAX_ERRORS_KEPT = 50
EMPTY_PAGE_RETRIES = 2

ModelT = TypeVar("ModelT", bound=BaseModel)
WholesaleT = TypeVar("WholesaleT", bound=DocWholeSale)


@dataclass
class RunStats:
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


class CompanySync:
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
        self.stats = RunStats()
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
        items_listing = client.iter_items(updated_since=since)
        items_batch = await items_listing.collect()
        if items_batch.skipped:
            self.stats.invalid += items_batch.skipped
            self.stats.note_problems(items_listing.method, items_batch.problems)
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

    @staticmethod
    def _day_listing(stream: RecordStream[ModelT], archive: DayArchive) -> RecordStream[ModelT]:
        """A listing of the day: every raw page archived, the next page asked for while this one is written,
        and an empty page before ``total`` is reached asked again instead of taken for the end."""
        return stream.with_options(on_page=archive.add_page, prefetch=True, empty_page_retries=EMPTY_PAGE_RETRIES)

    async def sync_day(self, day: date, day_index: int, claim: DayClaim) -> DaySyncResult:
        result = DaySyncResult(day)
        archive = self._archive_for(day)
        try:
            await self._sync_day(day, day_index, claim, result, archive)
            if result.reconciliation is not None and not result.reconciliation.matches:
                # Our headers and REGOS's aggregates disagree: both are kept; read the day once more (a receipt
                # may have closed between the listing and the report), and if it persists, tell the owners.
                logger.info("REGOS reconciliation of company %s, %s differs: reading the day again",
                            self.company_id, day)
                result.reread = True
                await self._sync_day(day, day_index, claim, result, archive)
                if result.reconciliation is not None and not result.reconciliation.matches:
                    await retry_transient(lambda: self._tell_mismatch(day, result), what="mismatch alert")
        except BaseException:
            archive.discard()
            raise
        archive.commit()
        return result

    async def _tell_mismatch(self, day: date, result: DaySyncResult) -> None:
        """Owners hear of a persisting mismatch once (per day and figures), through the outbox."""
        outcome = result.reconciliation
        assert outcome is not None
        ours, theirs = outcome.ours, outcome.theirs
        fingerprint = hashlib.sha256(
            "|".join(sorted(outcome.differences)).encode()
        ).hexdigest()[:16]
        async with self.session_factory.begin() as db:
            company = await db.get(Company, self.company_id)
            result.owners_told = await outbox.notify_roles(
                db, self.company_id, [Role.OWNER], "sync-mismatch-alert", kind="sync.mismatch",
                dedupe_key=f"sync-mismatch:{self.company_id}:{day.isoformat()}:{fingerprint}",
                company=esc(company.name if company else ""), day=day.strftime("%d.%m.%Y"),
                ours_sales=_som(ours.get("retail_gross")), regos_sales=_som(theirs.get("retail_gross")),
                ours_receipts=int(ours.get("sale_count") or 0), regos_receipts=int(theirs.get("sale_count") or 0),
                difference=_som(Decimal(str(ours.get("retail_gross") or 0)) - Decimal(str(theirs.get("retail_gross")
                                                                                         or 0))),
            )

    async def _sync_day(
        self, day: date, day_index: int, claim: DayClaim, result: DaySyncResult, archive: DayArchive
    ) -> None:
        assert self.importer is not None
        start, end = day_bounds(day, self.timezone)
        page_size = self.options.page_size
        client = self.client
        self.cursor = {"day": day.isoformat(), "stage": "shifts"}

        shift_listing = self._day_listing(client.iter_cash_sessions(start, end, page_size=page_size), archive)
        shifts = await shift_listing.collect()
        self._count_pages(result, shift_listing.pages_fetched)
        self._note_invalid(result, shift_listing.method, shifts.skipped, shifts.problems)
        await self.resolver.store_sessions(self.session_factory, client, shifts.items)

        self.cursor["stage"] = "wholesale"
        touched_days: set[date] = {day}
        touched_days |= await self._sync_wholesale(
            day, claim, result, WholesaleKind.SALE,
            self._day_listing(client.iter_wholesales(start, end, page_size=page_size), archive),
        )
        touched_days |= await self._sync_wholesale(
            day, claim, result, WholesaleKind.RETURN,
            self._day_listing(client.iter_wholesale_returns(start, end, page_size=page_size), archive),
        )

        self.cursor["stage"] = "receipts"
        seen, invalid_rows, listed_since = await self._sync_receipts(
            (start, end), day, day_index, claim, result, archive, touched_days
        )

        self.cursor["stage"] = "aggregates"

        async def rebuild() -> Any:
            async with self.session_factory.begin() as db:
                await lock_day_for_write(db, self.company_id, sorted(touched_days), claim)
                if invalid_rows == 0:
                    result.vanished = await mark_vanished_receipts(db, self.company_id, day, seen, listed_since)
                figures = None
                for touched in sorted(touched_days):
                    rebuilt = await rebuild_day(db, self.company_id, touched)
                    if touched == day:
                        figures = rebuilt
                if day.isoformat() not in self.stats.days_done:
                    self.stats.days_done.append(day.isoformat())
                await mark_days_imported(db, self.company_id, None, day)  # the books hold this day, every branch
                self.cursor["stage"] = "reconcile"
                await self.save_run(db)
            return figures

        figures = await retry_transient(rebuild, what="rebuilding a day")  # a locked database: try again
        assert figures is not None

        # REGOS's own aggregates per branch's tills: the source of per-item and per-payment-type figures, and
        # the other side of the reconciliation (a few calls per branch, never per receipt).
        self.cursor["stage"] = "reports"
        async with self.session_factory() as db:
            marks = await day_header_marks(db, self.company_id, day)
            till_branches = await current_till_branches(db, self.company_id)
        reports = []
        for group in plan_groups(marks, till_branches, start, end):
            report = await fetch_group(client, group, page_size=page_size, archive=archive)
            self._count_pages(result, report.calls)
            self._note_invalid(result, "RetailReport/*", report.skipped, [])
            reports.append(report)
        async def store() -> None:
            async with self.session_factory.begin() as db:
                await lock_day_for_write(db, self.company_id, day, claim)
                await store_day_reports(db, self.company_id, day, reports)
                if self.options.reconcile:
                    result.reconciliation = await reconcile_day(
                        db, self.company_id, figures,
                        [c for r in reports for c in r.counts], [p for r in reports for p in r.payments],
                        compare_payment_types=self.fetch_details,
                        extra_differences=group_differences(reports, marks),
                    )

        await retry_transient(store, what="storing the day's REGOS reports")
        if result.reconciliation is not None and not result.reconciliation.matches:
            logger.warning(
                "REGOS reconciliation of company %s, %s: %s",
                self.company_id, day, "; ".join(result.reconciliation.differences),
            )

    async def _sync_wholesale(
        self,
        day: date,
        claim: DayClaim,
        result: DaySyncResult,
        kind: WholesaleKind,
        listing: RecordStream[WholesaleT],
    ) -> set[date]:
        """The day's wholesale documents (or returns): stored, and those REGOS no longer lists marked deleted."""
        docs = await listing.collect()
        self._count_pages(result, listing.pages_fetched)
        self._note_invalid(result, listing.method, docs.skipped, docs.problems)
        async with self.session_factory.begin() as db:
            await lock_day_for_write(db, self.company_id, day, claim)
            written = await store_wholesale(
                db, self.company_id, kind, docs.items, timezone=self.timezone,
                branch_by_stock=self.resolver.branch_by_stock,
            )
            if listing.complete and not docs.skipped:
                written.deleted = await mark_missing_wholesale(
                    db, self.company_id, kind, day, [d.id for d in docs.items]
                )
        result.wholesale_written += written.inserted + written.updated + written.deleted
        result.inserted += written.inserted
        result.updated += written.updated + written.deleted
        self.stats.inserted += written.inserted
        self.stats.updated += written.updated + written.deleted
        return written.days_touched

    async def _sync_receipts(
        self,
        window: tuple[int, int],
        day: date,
        day_index: int,
        claim: DayClaim,
        result: DaySyncResult,
        archive: DayArchive,
        touched_days: set[date],
    ) -> tuple[set[str], int, datetime]:
        """List the day's receipts a page at a time and write what is new or changed, until one listing saw as
        many distinct receipts as its ``total``. Returns the uuids seen, the malformed rows and when it began."""
        importer = self.importer
        assert importer is not None
        start, end = window
        for attempt in range(1, max(1, self.options.listing_attempts) + 1):
            listed_since = utcnow()
            seen: set[str] = set()
            invalid_rows = 0
            cheques = self._day_listing(
                self.client.iter_doc_cheques(start, end, page_size=self.options.page_size), archive
            )
            async for page in cheques.pages():
                self._count_pages(result, 1)
                invalid_rows += page.skipped
                self._note_invalid(result, cheques.method, page.skipped, page.problems)
                # With details, a page is written in small batches: each costs 2 calls a receipt, and a
                # crash should lose minutes of them, not the whole page.
                batch = self.options.write_batch or (100 if self.fetch_details else max(1, len(page.items)))
                for first in range(0, len(page.items), batch):
                    chunk = page.items[first : first + batch]
                    self.cursor["offset"] = page.offset + first + len(chunk)

                    async def run_update(db: AsyncSession, counts: ImportCounts) -> None:
                        await self.save_run(db, counts)

                    async def on_details(detailed: int, done_before: int = first) -> None:
                        await self.report(day_index, day, in_flight=done_before + detailed, throttle=True)

                    counts = await importer.import_receipts(
                        chunk, archive=archive, claim=claim, run_update=run_update, on_details=on_details
                    )
                    seen.update(doc.uuid for doc in chunk)
                    self._absorb(result, counts, cheques.method)
                    touched_days |= counts.days_touched
                    await self.report(day_index, day, in_flight=first + len(chunk))
                result.receipts_listed += page.raw_count
                self.stats.receipts_listed += page.raw_count
                await self.report(day_index, day)
            total = cheques.total
            if total is None or len(seen) + invalid_rows >= total:
                return seen, invalid_rows, listed_since
            logger.warning(
                "REGOS %s for %s listed %d distinct of %d (attempt %d); listing again",
                cheques.method, day, len(seen) + invalid_rows, total, attempt,
            )
        raise IncompleteListingError(
            None, f"listing of {day} kept returning fewer receipts than its total", cheques.method
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

    def _absorb(self, result: DaySyncResult, counts: ImportCounts, method: str) -> None:
        result.inserted += counts.inserted
        result.updated += counts.updated
        result.unchanged += counts.unchanged
        result.invalid += counts.invalid
        self.stats.inserted += counts.inserted
        self.stats.updated += counts.updated
        self.stats.unchanged += counts.unchanged
        self.stats.invalid += counts.invalid
        if counts.problems:
            self.stats.note_problems(method, counts.problems)

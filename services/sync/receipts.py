"""Retail receipts (``DocCheque``) into ``receipts`` / ``receipt_lines`` / ``receipt_payments``.

Used by the day sync (a page at a time) and by webhook events (one receipt). A receipt is written only when it
is new or differs from what we hold (``last_update``, status, amount, ...), so a rerun fetches no details again
and doubles nothing. Lines and payments are fetched for closed receipts only (they are what counts; an open
receipt is fetched again once it closes, because closing bumps its ``last_update``).

Branch: the receipt header carries no till or stock, so it is found through its shift
(``session`` → ``DocCashSession.operating_cash_id`` → ``OperatingCash.stock``). That costs one
``DocCashSession/Get`` per day (a handful of shifts) instead of a second full listing through ``GetShort``;
``DocCheque/GetShort`` is only asked about the rare receipt whose shift cannot be resolved.

``receipt_payments.is_storno`` is true for a storno payment *and* for the payment it cancels (the table keeps no
``storno_uuid``), so the rows with ``is_storno = false`` are exactly the payments that count; change rows
(negative) count. ``receipt_lines`` keep REGOS's storno link: a line counts unless it is a storno line or a
storno line names it.
"""

from __future__ import annotations

import asyncio
import copy
import logging
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, cast

from sqlalchemy import Table, delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.base import utcnow
from db.regos_data import CashSession, Receipt, ReceiptLine, ReceiptPayment, Till
from db.transient import retry_transient
from services.regos import (
    ChequeItemOperation,
    ChequePaymentOperation,
    DocCashSession,
    DocCheque,
    DocChequeStatus,
    RecordProblem,
    RegosClient,
    business_day,
    to_unix,
)

from .archive import DayArchive
from .locks import REFERENCE_SCOPE, SESSIONS_SCOPE, DayClaim, lock_day_for_write, lock_for_write
from .reference import branch_ids_by_stock, sync_branches, sync_tills, till_stocks

logger = logging.getLogger(__name__)

CENT = Decimal("0.01")
MILLI = Decimal("0.001")
STATUS_DELETED = "Deleted"  # our own status for a receipt REGOS no longer lists; it counts nowhere
_CHUNK = 500
_MAX_PROBLEMS = 20

# Core tables: bulk inserts through Core skip the ORM's per-row bookkeeping (several times faster).
RECEIPTS = cast(Table, Receipt.__table__)
RECEIPT_LINES = cast(Table, ReceiptLine.__table__)
RECEIPT_PAYMENTS = cast(Table, ReceiptPayment.__table__)

RunUpdate = Callable[[AsyncSession, "ImportCounts"], Awaitable[None]]

# Receipt columns compared to decide "changed"; the order is the order of ``_signature_columns``.
_SIGNATURE_FIELDS = (
    "last_update", "status", "amount", "is_return", "session_uuid", "cashier_regos_id", "seller_regos_id",
    "branch_id", "regos_stock_id", "regos_till_id", "code", "business_day",
)


def _signature_columns() -> list[Any]:
    return [getattr(Receipt, name) for name in _SIGNATURE_FIELDS]


def money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(slots=True)
class StagedReceipt:
    """One receipt ready to write: column values, and its lines/payments when they were fetched."""

    values: dict[str, Any]
    lines: list[dict[str, Any]] | None = None
    payments: list[dict[str, Any]] | None = None

    @property
    def uuid(self) -> str:
        return str(self.values["uuid"])

    @property
    def is_closed(self) -> bool:
        return self.values["status"] == DocChequeStatus.Closed.value

    def signature(self) -> tuple[Any, ...]:
        return tuple(self.values[name] for name in _SIGNATURE_FIELDS)


@dataclass
class ImportCounts:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    invalid: int = 0
    detail_calls: int = 0
    days_touched: set[date] = field(default_factory=set)
    problems: list[RecordProblem] = field(default_factory=list)

    def add_problems(self, problems: Iterable[RecordProblem]) -> None:
        for problem in problems:
            if len(self.problems) >= _MAX_PROBLEMS:
                return
            self.problems.append(problem)


def receipt_values(doc: DocCheque, timezone: str) -> dict[str, Any] | None:
    """Column values of a receipt, or ``None`` when a field we cannot count without is missing."""
    if doc.status is None:
        return None
    return {
        "uuid": doc.uuid[:64],
        "code": (doc.code or None) and str(doc.code)[:64],
        "occurred_at": doc.date,
        "business_day": business_day(doc.date, timezone),
        "status": doc.status.value,
        "is_return": bool(doc.is_return),
        "amount": money(doc.amount),
        "session_uuid": doc.session[:64] if doc.session else None,
        "cashier_regos_id": doc.cashier.id if doc.cashier else None,
        "seller_regos_id": doc.seller.id if doc.seller else None,
        "last_update": to_unix(doc.last_update) if doc.last_update is not None else 0,
        "regos_till_id": None,
        "regos_stock_id": None,
        "branch_id": None,
    }


def line_values(line: ChequeItemOperation) -> dict[str, Any]:
    quantity = line.quantity.quantize(MILLI, rounding=ROUND_HALF_UP)
    price = money(line.price)
    return {
        "uuid": line.uuid[:64],
        "item_regos_id": line.item_id,
        "quantity": quantity,
        "price": price,
        "amount": money(line.quantity * line.price),
        "is_storno": bool(line.has_storno),
        "storno_uuid": line.storno_uuid[:64] if line.storno_uuid else None,
    }


def payment_values(payments: Sequence[ChequePaymentOperation], type_names: dict[int, str]) -> list[dict[str, Any]]:
    cancelled = {p.storno_uuid for p in payments if p.has_storno and p.storno_uuid}
    rows = []
    for payment in payments:
        ptype = payment.payment_type
        type_id = ptype.id if ptype else None
        name = (ptype.name if ptype and ptype.name else None) or (type_names.get(type_id, "") if type_id else "")
        rows.append(
            {
                "uuid": payment.uuid[:64],
                "payment_type_regos_id": type_id,
                "payment_type_name": name[:128],
                "value": money(payment.value),
                "is_storno": bool(payment.has_storno) or payment.uuid in cancelled,
            }
        )
    return rows


class BranchResolver:
    """Shift → till → stock → branch, from our tables first, then from REGOS for what we have not seen."""

    def __init__(self, company_id: int) -> None:
        self.company_id = company_id
        self.branch_by_stock: dict[int, int] = {}
        self.stock_by_till: dict[int, int | None] = {}
        self.till_by_session: dict[str, int | None] = {}
        # When each till last changed in REGOS (``last_update``, Unix seconds): its stock is today's, so a receipt
        # older than that may have been rung up while the till belonged to another branch (issue 9).
        self.till_changed_at: dict[int, int] = {}

    async def load(self, session: AsyncSession) -> None:
        self.branch_by_stock = await branch_ids_by_stock(session, self.company_id)
        self.stock_by_till = await till_stocks(session, self.company_id)
        rows = await session.execute(select(Till.regos_id, Till.last_update).where(Till.company_id == self.company_id))
        self.till_changed_at = {int(till): int(changed or 0) for till, changed in rows.all()}

    def may_have_moved(self, till_id: int | None, moment: int) -> bool:
        """The till changed after ``moment``: today's stock of it is not proof of that moment's branch."""
        return till_id is not None and self.till_changed_at.get(till_id, 0) > moment

    def locate(self, session_uuid: str | None) -> tuple[int | None, int | None, int | None]:
        """(till, stock, branch) of a shift, as far as known."""
        till_id = self.till_by_session.get(session_uuid) if session_uuid else None
        stock_id = self.stock_by_till.get(till_id) if till_id is not None else None
        branch_id = self.branch_by_stock.get(stock_id) if stock_id is not None else None
        return till_id, stock_id, branch_id

    async def store_sessions(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        client: RegosClient,
        sessions: Sequence[DocCashSession],
    ) -> int:
        """Upsert shifts (and learn their tills; unknown tills are fetched). Returns rows written."""
        for shift in sessions:
            self.till_by_session[shift.uuid] = shift.operating_cash_id
        await self.ensure_tills(session_factory, client, {s.operating_cash_id for s in sessions})
        if not sessions:
            return 0
        written = 0
        async with session_factory.begin() as db:
            await lock_for_write(db, self.company_id, [SESSIONS_SCOPE])
            existing = {
                row.uuid: row
                for row in (
                    await db.execute(
                        select(CashSession).where(
                            CashSession.company_id == self.company_id,
                            CashSession.uuid.in_([s.uuid for s in sessions]),
                        )
                    )
                ).scalars()
            }
            added: set[str] = set()
            for shift in sessions:
                if shift.uuid in added:
                    continue
                till_id = shift.operating_cash_id
                stock_id = self.stock_by_till.get(till_id) if till_id is not None else None
                values = {
                    "code": shift.code[:64] if shift.code else None,
                    "regos_till_id": till_id,
                    "branch_id": self.branch_by_stock.get(stock_id) if stock_id is not None else None,
                    "opened_at": shift.start_date,
                    "closed_at": shift.close_date,
                    "closed": bool(shift.closed),
                    "last_update": to_unix(shift.last_update) if shift.last_update else 0,
                }
                row = existing.get(shift.uuid)
                if row is None:
                    db.add(CashSession(company_id=self.company_id, uuid=shift.uuid[:64], **values))
                    added.add(shift.uuid)
                    written += 1
                elif any(getattr(row, k) != v for k, v in values.items()):
                    for key, value in values.items():
                        setattr(row, key, value)
                    written += 1
        return written

    async def ensure_tills(
        self, session_factory: async_sessionmaker[AsyncSession], client: RegosClient, till_ids: Iterable[int | None]
    ) -> None:
        """Fetch tills (and their stocks, as branches) we have never seen."""
        unknown = sorted({t for t in till_ids if t is not None and t not in self.stock_by_till})
        if not unknown:
            return
        tills = (await client.iter_operating_cashes(ids=unknown).collect()).items
        stock_ids = {t.stock_id for t in tills if t.stock_id is not None} - set(self.branch_by_stock)
        stocks = (await client.iter_stocks(ids=sorted(stock_ids)).collect()).items if stock_ids else []
        async with session_factory.begin() as db:
            await lock_for_write(db, self.company_id, [REFERENCE_SCOPE])
            if stocks:
                await sync_branches(db, self.company_id, stocks)
            self.branch_by_stock = await branch_ids_by_stock(db, self.company_id)
            await sync_tills(db, self.company_id, tills, self.branch_by_stock)
        for till in tills:
            self.stock_by_till[till.id] = till.stock_id
            self.till_changed_at[till.id] = to_unix(till.last_update) if till.last_update else 0
        for till_id in unknown:
            self.stock_by_till.setdefault(till_id, None)  # REGOS does not know it either: do not ask again

    async def ensure_sessions(
        self,
        session_factory: async_sessionmaker[AsyncSession],
        client: RegosClient,
        session_uuids: Iterable[str | None],
        archive: DayArchive,
    ) -> None:
        unknown = sorted({u for u in session_uuids if u and u not in self.till_by_session})
        if not unknown:
            return
        async with session_factory() as db:
            rows = await db.execute(
                select(CashSession.uuid, CashSession.regos_till_id).where(
                    CashSession.company_id == self.company_id, CashSession.uuid.in_(unknown)
                )
            )
            for uuid, till_id in rows.all():
                self.till_by_session[uuid] = int(till_id) if till_id is not None else None
        missing = [u for u in unknown if u not in self.till_by_session]
        if missing:
            page = await client.iter_cash_sessions(uuids=missing, page_size=len(missing)).first_page()
            archive.add_page(page)
            await self.store_sessions(session_factory, client, page.items)
            for uuid in missing:
                self.till_by_session.setdefault(uuid, None)
        await self.ensure_tills(session_factory, client, {self.till_by_session.get(u) for u in unknown})


class ReceiptImporter:
    """Stages, resolves, enriches and writes receipts for one company."""

    def __init__(
        self,
        *,
        session_factory: async_sessionmaker[AsyncSession],
        company_id: int,
        timezone: str,
        client: RegosClient,
        resolver: BranchResolver,
        fetch_details: bool = True,
        detail_concurrency: int = 4,
        payment_type_names: dict[int, str] | None = None,
    ) -> None:
        self.session_factory = session_factory
        self.company_id = company_id
        self.timezone = timezone
        self.client = client
        self.resolver = resolver
        self.fetch_details = fetch_details
        self._detail_slots = asyncio.Semaphore(max(1, detail_concurrency))
        self.payment_type_names = payment_type_names or {}

    async def import_receipts(
        self,
        docs: Sequence[DocCheque],
        *,
        archive: DayArchive,
        claim: DayClaim | None = None,
        run_update: RunUpdate | None = None,
        on_details: Callable[[int], Awaitable[None]] | None = None,
    ) -> ImportCounts:
        """Write what is new or changed among ``docs`` (one transaction). ``run_update`` runs inside that
        transaction, so a run's cursor moves exactly when the rows it describes are committed."""
        counts = ImportCounts()
        staged: list[StagedReceipt] = []
        for doc in docs:
            values = receipt_values(doc, self.timezone)
            if values is None:
                counts.invalid += 1
                counts.add_problems([RecordProblem(-1, doc.uuid, "status: missing")])
                logger.warning("REGOS receipt %s skipped: no status", doc.uuid)
                continue
            staged.append(StagedReceipt(values))
        await self._locate(staged, archive)

        known = await self._signatures([s.uuid for s in staged])
        to_write = []
        for item in staged:
            if known.get(item.uuid) == item.signature():
                counts.unchanged += 1
            else:
                to_write.append(item)
        if self.fetch_details:
            await asyncio.gather(
                *(self._load_details(item, archive, counts, on_details) for item in to_write if item.is_closed)
            )
        if to_write or run_update is not None:
            # A locked database (SQLite busy, a PostgreSQL serialization failure) is retried with backoff: the
            # write reads again under its lock and upserts, so a second attempt is safe; counts are kept per try.
            before = copy.deepcopy(counts)

            async def attempt() -> None:
                counts.__dict__.update(copy.deepcopy(before).__dict__)
                await self._write(to_write, claim, counts, run_update)

            await retry_transient(attempt, what="writing receipts")
        return counts

    async def _locate(self, staged: list[StagedReceipt], archive: DayArchive) -> None:
        resolver = self.resolver
        await resolver.ensure_sessions(
            self.session_factory, self.client, (s.values["session_uuid"] for s in staged), archive
        )
        unresolved: list[StagedReceipt] = []
        for item in staged:
            till_id, stock_id, branch_id = resolver.locate(item.values["session_uuid"])
            item.values.update(regos_till_id=till_id, regos_stock_id=stock_id, branch_id=branch_id)
            # Shift → till → branch *as it was then*: a till moved (or edited) since gets its receipts' own stock
            # from DocCheque/GetShort, so a past day keeps its branches after a till changes branch.
            if stock_id is None or resolver.may_have_moved(till_id, int(item.values["occurred_at"].timestamp())):
                unresolved.append(item)
        if unresolved:
            await self._locate_by_short(unresolved, archive)

    async def _locate_by_short(self, items: list[StagedReceipt], archive: DayArchive) -> None:
        """``DocCheque/GetShort`` names the stock directly; used only when the shift did not lead to one."""
        moments = [int(i.values["occurred_at"].timestamp()) for i in items]
        listing = self.client.iter_doc_cheques_short(
            min(moments), max(moments), uuids=[i.uuid for i in items], page_size=len(items)
        )
        page = await listing.first_page()
        archive.add_page(page)
        shorts = {s.uuid: s for s in page.items}
        await self.resolver.ensure_tills(
            self.session_factory, self.client, {s.operating_cash_id for s in shorts.values()}
        )
        for item in items:
            short = shorts.get(item.uuid)
            if short is None:
                logger.warning("REGOS receipt %s: branch unknown (no shift, no GetShort row)", item.uuid)
                continue
            stock_id = short.stock_id
            if stock_id is None and short.operating_cash_id is not None:
                stock_id = self.resolver.stock_by_till.get(short.operating_cash_id)
            if stock_id is not None and stock_id not in self.resolver.branch_by_stock:
                stocks = (await self.client.iter_stocks(ids=[stock_id]).collect()).items
                async with self.session_factory.begin() as db:
                    await lock_for_write(db, self.company_id, [REFERENCE_SCOPE])
                    await sync_branches(db, self.company_id, stocks)
                    self.resolver.branch_by_stock = await branch_ids_by_stock(db, self.company_id)
            item.values.update(
                regos_till_id=short.operating_cash_id,
                regos_stock_id=stock_id,
                branch_id=self.resolver.branch_by_stock.get(stock_id) if stock_id is not None else None,
            )

    async def _signatures(self, uuids: Sequence[str]) -> dict[str, tuple[Any, ...]]:
        found: dict[str, tuple[Any, ...]] = {}
        if not uuids:
            return found
        async with self.session_factory() as db:
            for start in range(0, len(uuids), _CHUNK):
                chunk = uuids[start : start + _CHUNK]
                rows = await db.execute(
                    select(Receipt.uuid, *_signature_columns()).where(
                        Receipt.company_id == self.company_id, Receipt.uuid.in_(chunk)
                    )
                )
                for row in rows.all():
                    found[row[0]] = tuple(row[1:])
        return found

    async def _load_details(
        self,
        item: StagedReceipt,
        archive: DayArchive,
        counts: ImportCounts,
        on_details: Callable[[int], Awaitable[None]] | None,
    ) -> None:
        async with self._detail_slots:
            lines = await self.client.get_cheque_items(item.uuid)
            payments = await self.client.get_cheque_payments(item.uuid)
        counts.detail_calls += 2
        if on_details is not None:
            await on_details(counts.detail_calls // 2)
        archive.add_response(lines.response)
        archive.add_response(payments.response)
        counts.invalid += lines.skipped + payments.skipped
        counts.add_problems(lines.problems)
        counts.add_problems(payments.problems)
        if lines.skipped or payments.skipped:
            logger.warning(
                "REGOS receipt %s: %d line(s) and %d payment(s) skipped as malformed",
                item.uuid, lines.skipped, payments.skipped,
            )
        item.lines = [line_values(line) for line in lines.items if line.document in (item.uuid, None, "")]
        item.payments = payment_values(
            [p for p in payments.items if p.document in (item.uuid, None, "")], self.payment_type_names
        )

    async def _write(
        self,
        staged: list[StagedReceipt],
        claim: DayClaim | None,
        counts: ImportCounts,
        run_update: RunUpdate | None,
    ) -> None:
        now = utcnow()
        days = sorted({s.values["business_day"] for s in staged} | ({claim.day} if claim else set()))
        async with self.session_factory.begin() as db:
            await lock_day_for_write(db, self.company_id, days, claim)
            # Read again under the lock: a webhook may have written some of these since we looked.
            current: dict[str, tuple[int, tuple[Any, ...]]] = {}
            uuids = [s.uuid for s in staged]
            for start in range(0, len(uuids), _CHUNK):
                rows = await db.execute(
                    select(Receipt.uuid, Receipt.id, *_signature_columns()).where(
                        Receipt.company_id == self.company_id, Receipt.uuid.in_(uuids[start : start + _CHUNK])
                    )
                )
                for row in rows.all():
                    current[row[0]] = (row[1], tuple(row[2:]))
            new: list[StagedReceipt] = []
            changed: list[tuple[int, StagedReceipt]] = []
            for item in staged:
                found = current.get(item.uuid)
                if found is None:
                    new.append(item)
                elif found[1] != item.signature():
                    changed.append((found[0], item))
                    counts.days_touched.add(found[1][_SIGNATURE_FIELDS.index("business_day")])
                else:
                    counts.unchanged += 1
            if new:
                await db.execute(
                    insert(RECEIPTS),
                    [{"company_id": self.company_id, "synced_at": now, **item.values,
                      "details_synced_at": now if item.lines is not None else None} for item in new],
                )
            if changed:
                await db.execute(
                    # A changed receipt's lines are read again (now, or by the details backfill).
                    update(Receipt), [{"id": rid, "synced_at": now, **item.values,
                                       "details_synced_at": now if item.lines is not None else None}
                                      for rid, item in changed]
                )
            detail_owners: dict[int, StagedReceipt] = {}
            if changed:
                refreshed = [(rid, item) for rid, item in changed if item.lines is not None]
                ids = [rid for rid, _ in refreshed]
                for start in range(0, len(ids), _CHUNK):
                    chunk = ids[start : start + _CHUNK]
                    await db.execute(delete(ReceiptLine).where(ReceiptLine.receipt_id.in_(chunk)))
                    await db.execute(delete(ReceiptPayment).where(ReceiptPayment.receipt_id.in_(chunk)))
                detail_owners.update(refreshed)
            with_details = [item for item in new if item.lines is not None]
            if with_details:
                ids_by_uuid = await self._ids(db, [item.uuid for item in with_details])
                detail_owners.update((ids_by_uuid[item.uuid], item) for item in with_details)
            line_rows = [
                {"receipt_id": rid, **line} for rid, item in detail_owners.items() for line in item.lines or ()
            ]
            payment_rows = [
                {"receipt_id": rid, **payment} for rid, item in detail_owners.items() for payment in item.payments or ()
            ]
            if line_rows:
                await db.execute(insert(RECEIPT_LINES), line_rows)
            if payment_rows:
                await db.execute(insert(RECEIPT_PAYMENTS), payment_rows)
            counts.inserted += len(new)
            counts.updated += len(changed)
            counts.days_touched.update(item.values["business_day"] for item in new)
            counts.days_touched.update(item.values["business_day"] for _, item in changed)
            if run_update is not None:
                await run_update(db, counts)

    async def _ids(self, db: AsyncSession, uuids: list[str]) -> dict[str, int]:
        found: dict[str, int] = {}
        for start in range(0, len(uuids), _CHUNK):
            rows = await db.execute(
                select(Receipt.uuid, Receipt.id).where(
                    Receipt.company_id == self.company_id, Receipt.uuid.in_(uuids[start : start + _CHUNK])
                )
            )
            found.update({uuid: rid for uuid, rid in rows.all()})
        return found


async def mark_vanished_receipts(
    session: AsyncSession, company_id: int, day: date, seen_uuids: set[str], listed_since: Any
) -> int:
    """Receipts of ``day`` that a complete listing no longer contains (and that nobody wrote during it) stop
    counting: REGOS deleted them. Returns how many."""
    rows = await session.execute(
        select(Receipt.id, Receipt.uuid).where(
            Receipt.company_id == company_id,
            Receipt.business_day == day,
            Receipt.status != STATUS_DELETED,
            Receipt.synced_at < listed_since,
        )
    )
    gone = [rid for rid, uuid in rows.all() if uuid not in seen_uuids]
    for start in range(0, len(gone), _CHUNK):
        await session.execute(
            update(Receipt)
            .where(Receipt.id.in_(gone[start : start + _CHUNK]))
            .values(status=STATUS_DELETED, synced_at=utcnow())
        )
    if gone:
        logger.warning("REGOS: %d receipt(s) of %s no longer listed; marked %s", len(gone), day, STATUS_DELETED)
    return len(gone)

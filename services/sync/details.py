"""Receipt details backfill (issue 9, item 2): each receipt's lines and payments, read in the background.

No report needs them (figures come from ``RetailReport`` aggregates and receipt headers); a company that wants
per-receipt lines turns the backfill on. It costs two REGOS calls a receipt, taken only from the backfill's share
of the key's budget (default 25 %, lowest priority), newest receipts first, so headers and aggregates are never
delayed.

What the bot calls: ``set_details_backfill(session, company_id, enabled)`` (the caller commits) and
``details_backfill_status(session, company_id)`` → ``DetailsBackfillStatus``. The job ``bot/jobs/regos_details.py``
calls ``backfill_details``.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import time
import weakref
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm.attributes import flag_modified

from db.base import utcnow
from db.regos_data import Receipt, ReceiptLine, ReceiptPayment, RegosConnection
from db.transient import retry_transient
from services import audit
from services.crypto import SecretBox
from services.regos import Priority, RegosClient, RegosError, ShareLimiter

from .connection import RegosNotConnected, get_client, get_connection
from .locks import lock_day_for_write
from .receipts import RECEIPT_LINES, RECEIPT_PAYMENTS, line_values, payment_values
from .reference import payment_type_names

logger = logging.getLogger(__name__)

SETTING_DETAILS_BACKFILL = "details_backfill"  # bool, off unless the owner turns it on
SETTING_DETAILS_SHARE = "details_share_percent"  # share of the key's rate the backfill may use
DEFAULT_SHARE_PERCENT = 25
CALLS_PER_RECEIPT = 2  # ChequeItemOperation/Get + ChequePaymentOperation/Get
DEFAULT_RATE_PER_SECOND = 2.0

# Receipts whose lines the backfill reads: closed ones (a cancelled or open receipt has nothing to report).
DETAIL_STATUSES = ("Closed",)


@dataclass(frozen=True)
class DetailsBackfillStatus:
    enabled: bool
    receipts_without_details: int
    receipts_with_details: int
    estimated_seconds_left: int | None  # None when off (or nothing is left to read: 0)
    share_percent: int


def share_percent(settings: dict[str, object] | None) -> int:
    raw = (settings or {}).get(SETTING_DETAILS_SHARE, DEFAULT_SHARE_PERCENT)
    try:
        value = int(raw)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return DEFAULT_SHARE_PERCENT
    return max(1, min(100, value))


def backfill_enabled(settings: dict[str, object] | None) -> bool:
    return bool((settings or {}).get(SETTING_DETAILS_BACKFILL, False))


async def set_details_backfill(session: AsyncSession, company_id: int, enabled: bool) -> None:
    """Turn the company's details backfill on or off (added to ``session``; the caller commits)."""
    connection = await get_connection(session, company_id)
    if connection is None:
        raise RegosNotConnected()
    settings = dict(connection.settings or {})
    if bool(settings.get(SETTING_DETAILS_BACKFILL, False)) == enabled:
        return
    settings[SETTING_DETAILS_BACKFILL] = enabled
    connection.settings = settings
    flag_modified(connection, "settings")
    audit.record(session, "regos.details_backfill", company_id=company_id, enabled=enabled)
    await session.flush()


async def details_backfill_status(session: AsyncSession, company_id: int) -> DetailsBackfillStatus:
    """What is read and what is left; the time left at the backfill's share of the key's rate."""
    connection = await get_connection(session, company_id)
    if connection is None:
        raise RegosNotConnected()
    settings = connection.settings or {}
    enabled = backfill_enabled(settings)
    share = share_percent(settings)
    row = (await session.execute(
        select(
            func.count(Receipt.id).filter(Receipt.details_synced_at.is_(None)),
            func.count(Receipt.id).filter(Receipt.details_synced_at.is_not(None)),
        ).where(Receipt.company_id == company_id, Receipt.status.in_(DETAIL_STATUSES))
    )).one()
    without, with_details = int(row[0] or 0), int(row[1] or 0)
    estimate: int | None = None
    if enabled:
        rate = _rate(settings) * share / 100
        estimate = round(without * CALLS_PER_RECEIPT / rate) if without else 0
    return DetailsBackfillStatus(
        enabled=enabled,
        receipts_without_details=without,
        receipts_with_details=with_details,
        estimated_seconds_left=estimate,
        share_percent=share,
    )


def _rate(settings: dict[str, object]) -> float:
    raw = settings.get("rate_per_second")
    try:
        rate = float(raw) if raw is not None else DEFAULT_RATE_PER_SECOND  # type: ignore[arg-type]
    except (TypeError, ValueError):
        rate = DEFAULT_RATE_PER_SECOND
    return rate if rate > 0 else DEFAULT_RATE_PER_SECOND


# -- the backfill -------------------------------------------------------------------------------------------------


@dataclass
class BackfillResult:
    receipts: int = 0  # receipts whose lines and payments were stored
    calls: int = 0
    skipped: int = 0  # changed while we read them (the sync will have them read again)
    left: int = 0
    stopped_by: str | None = None  # "deadline", "limit", "disabled", "regos" (an error) or None (all done)


_SHARES: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[tuple[str, float], ShareLimiter]] = (
    weakref.WeakKeyDictionary()
)


def share_limiter(digest: str, rate: float) -> ShareLimiter:
    """The backfill's cap on one key in this process (``rate`` = the key's rate × the share)."""
    per_loop = _SHARES.setdefault(asyncio.get_running_loop(), {})
    limiter = per_loop.get((digest, rate))
    if limiter is None:
        limiter = per_loop[(digest, rate)] = ShareLimiter(rate, burst=2)
    return limiter


async def backfill_details(
    session_factory: async_sessionmaker[AsyncSession],
    company_id: int,
    client: RegosClient,
    *,
    share: ShareLimiter | None = None,
    max_seconds: float = 240.0,
    max_receipts: int | None = None,
    batch_size: int = 20,
    concurrency: int = 2,
) -> BackfillResult:
    """Read lines and payments of receipts that have none yet, newest first, for at most ``max_seconds``.

    Every call waits for the backfill's share (``share``) and then for the key's budget at the lowest priority
    (``client`` is built with ``Priority.BACKFILL``), so headers and aggregates are never held up. A receipt that
    changed while it was read is left for the sync (which resets its details)."""
    result = BackfillResult()
    deadline = time.monotonic() + max_seconds
    async with session_factory() as db:
        names = await payment_type_names(db, company_id)
    slots = asyncio.Semaphore(max(1, concurrency))

    async def paced(fetch: Callable[[], Awaitable[Any]]) -> Any:
        if share is not None:
            await share.acquire()
        result.calls += 1
        return await fetch()

    async def read_one(row: tuple[int, str, int]) -> tuple[int, int, Any, Any]:
        receipt_id, uuid, last_update = row
        async with slots:
            lines = await paced(lambda: client.get_cheque_items(uuid))
            payments = await paced(lambda: client.get_cheque_payments(uuid))
        return receipt_id, last_update, [line_values(x) for x in lines.items if x.document in (uuid, None, "")], \
            payment_values([p for p in payments.items if p.document in (uuid, None, "")], names)

    while True:
        if time.monotonic() >= deadline:
            result.stopped_by = "deadline"
            break
        if max_receipts is not None and result.receipts + result.skipped >= max_receipts:
            result.stopped_by = "limit"
            break
        async with session_factory() as db:
            connection = await get_connection(db, company_id)
            if connection is None or not backfill_enabled(connection.settings):
                result.stopped_by = "disabled"
                break
            take = batch_size if max_receipts is None else min(batch_size, max_receipts - result.receipts)
            rows = [tuple(r) for r in (await db.execute(
                select(Receipt.id, Receipt.uuid, Receipt.last_update)
                .where(Receipt.company_id == company_id, Receipt.status.in_(DETAIL_STATUSES),
                       Receipt.details_synced_at.is_(None))
                .order_by(Receipt.occurred_at.desc(), Receipt.id.desc())
                .limit(take)
            )).all()]
        if not rows:
            break
        try:
            fetched = await asyncio.gather(*(read_one(row) for row in rows))  # type: ignore[arg-type]
        except RegosError as error:
            logger.warning("REGOS details backfill of company %s stopped: %s", company_id, error)
            result.stopped_by = "regos"
            break
        stored, skipped = await retry_transient(
            functools.partial(_store_details, session_factory, company_id, fetched), what="storing receipt details"
        )
        result.receipts += stored
        result.skipped += skipped
        if stored == 0 and skipped == len(fetched):
            break  # everything we read changed under us: let the sync catch up first
    async with session_factory() as db:
        result.left = (await details_backfill_status(db, company_id)).receipts_without_details
    return result


async def _store_details(
    session_factory: async_sessionmaker[AsyncSession], company_id: int, fetched: list[tuple[int, int, Any, Any]]
) -> tuple[int, int]:
    stored = skipped = 0
    now = utcnow()
    async with session_factory.begin() as db:
        days = (await db.execute(
            select(Receipt.business_day).distinct().where(Receipt.id.in_([f[0] for f in fetched]))
        )).scalars().all()
        await lock_day_for_write(db, company_id, sorted(days))
        for receipt_id, last_update, lines, payments in fetched:
            marked = await db.execute(
                update(Receipt)
                .where(Receipt.id == receipt_id, Receipt.last_update == last_update,
                       Receipt.details_synced_at.is_(None))
                .values(details_synced_at=now)
                .execution_options(synchronize_session=False)
            )
            if getattr(marked, "rowcount", 0) != 1:
                skipped += 1
                continue
            await db.execute(delete(ReceiptLine).where(ReceiptLine.receipt_id == receipt_id))
            await db.execute(delete(ReceiptPayment).where(ReceiptPayment.receipt_id == receipt_id))
            if lines:
                await db.execute(insert(RECEIPT_LINES), [{"receipt_id": receipt_id, **x} for x in lines])
            if payments:
                await db.execute(insert(RECEIPT_PAYMENTS),
                                 [{"receipt_id": receipt_id, **x} for x in payments])
            stored += 1
    return stored, skipped


async def backfill_company(
    session_factory: async_sessionmaker[AsyncSession],
    company_id: int,
    secret_box: SecretBox,
    *,
    max_seconds: float = 240.0,
) -> BackfillResult:
    """The job's entry: a client of the company's key at the backfill's priority and share."""
    async with session_factory() as db:
        connection = await get_connection(db, company_id)
        if connection is None or not backfill_enabled(connection.settings):
            return BackfillResult(stopped_by="disabled")
        settings = connection.settings or {}
        client = await get_client(db, company_id, secret_box, priority=Priority.BACKFILL)
    try:
        rate = getattr(client.bucket, "rate", None) or _rate(settings)
        digest = getattr(client.bucket, "digest", None) or str(company_id)
        limiter = share_limiter(digest, rate * share_percent(settings) / 100)
        return await backfill_details(session_factory, company_id, client, share=limiter, max_seconds=max_seconds)
    finally:
        await client.aclose()


async def companies_with_backfill(session: AsyncSession) -> list[int]:
    rows = await session.execute(select(RegosConnection.company_id, RegosConnection.settings))
    return [company_id for company_id, settings in rows.all() if backfill_enabled(settings)]

"""REGOS webhook events and ``Event/Get`` replay.

The bot's HTTP endpoint gets ``POST .../regos/{webhook_secret}`` (the secret identifies the company; REGOS signs
nothing). It must answer 200 quickly, so the work is split:

- ``record_event``: find the company by the secret, parse the body (flat or ``HandleWebhook``-wrapped) and store
  it once per ``event_id`` (REGOS retries with the same id; a duplicate is recognised and ignored);
- ``process_event`` (in the background): fetch the entity the event names and upsert it —
  ``DocChequeClosed``/``DocChequeCanceled`` → the receipt with its lines and payments, ``DocWholeSale*`` /
  ``DocWholeSaleReturn*`` → the document — then rebuild that day's aggregates;
- ``handle_webhook`` does both: records, commits, and hands processing to the app's ``spawn`` (the app owns the
  task and awaits it on shutdown);
- ``replay_events`` reads ``Event/Get`` from the last event seen, to catch up on deliveries that never came.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.base import utcnow
from db.models import Company
from db.regos_data import RegosConnection, RegosEvent, WholesaleDoc, WholesaleKind
from services.background import Spawn
from services.crypto import SecretBox
from services.regos import (
    DocWholeSale,
    Priority,
    RegosClient,
    RegosError,
    RegosNotFoundError,
    WebhookEvent,
    WebhookPayloadError,
    business_day,
    parse_webhook_event,
)
from services.regos.webhooks import RECEIPT_ACTIONS, WHOLESALE_ACTIONS, WHOLESALE_RETURN_ACTIONS

from .aggregates import rebuild_day
from .archive import NullArchive
from .connection import (
    DEFAULT_RECEIPT_DETAILS,
    SETTING_EVENT_CURSOR,
    SETTING_RECEIPT_DETAILS,
    get_client,
    get_connection,
)
from .locks import dialect_name, lock_day_for_write
from .receipts import BranchResolver, ReceiptImporter
from .reference import payment_type_names
from .wholesale import store_wholesale

logger = logging.getLogger(__name__)

EVENT_RETENTION = timedelta(days=7)  # REGOS keeps events for Event/Get this long
_ERROR_LIMIT = 2000


@dataclass(frozen=True)
class RecordedEvent:
    company_id: int
    event_row_id: int
    event_id: str
    action: str
    duplicate: bool


@dataclass(frozen=True)
class EventOutcome:
    event_row_id: int
    action: str
    handled: bool  # an action we act on (receipt, wholesale); others are stored and marked processed
    days_rebuilt: list[date]
    error: str | None = None


class AckStatus(StrEnum):
    """What the HTTP handler answers: ``accepted``/``duplicate`` → 200, ``unknown_secret`` → 404,
    ``bad_request`` → 400."""

    ACCEPTED = "accepted"
    DUPLICATE = "duplicate"
    UNKNOWN_SECRET = "unknown_secret"
    BAD_REQUEST = "bad_request"


@dataclass(frozen=True)
class WebhookAck:
    status: AckStatus
    event: RecordedEvent | None = None
    detail: str | None = None


@dataclass(frozen=True)
class ReplayResult:
    fetched: int
    new: int
    processed: int
    failed: int
    cursor: str | None


def _insert_for(session: AsyncSession) -> Any:
    return postgresql.insert if dialect_name(session) == "postgresql" else sqlite.insert


async def connection_by_secret(session: AsyncSession, secret: str) -> RegosConnection | None:
    if not secret or len(secret) > 128:
        return None
    connection = (
        await session.execute(select(RegosConnection).where(RegosConnection.webhook_secret == secret))
    ).scalar_one_or_none()
    if connection is None or not hmac.compare_digest(connection.webhook_secret, secret):
        return None
    return connection


def stored_event_id(event_id: str) -> str:
    """The id as stored: whole when it fits the 64-character column, else by its hash (never cut, so two long ids
    sharing a prefix stay two events)."""
    if len(event_id) <= 64:
        return event_id
    return "#" + hashlib.sha256(event_id.encode()).hexdigest()[:63]


async def _store(session: AsyncSession, company_id: int, event: WebhookEvent, payload: dict[str, Any]) -> RecordedEvent:
    values = {
        "company_id": company_id,
        "event_id": stored_event_id(event.event_id),
        "action": event.action[:64],
        "payload": payload,
        "occurred_at": event.occurred_at,
        "received_at": utcnow(),
    }
    statement = _insert_for(session)(RegosEvent).values(**values)
    statement = statement.on_conflict_do_nothing(index_elements=["company_id", "event_id"]).returning(RegosEvent.id)
    inserted = (await session.execute(statement)).scalar_one_or_none()
    if inserted is not None:
        return RecordedEvent(company_id, inserted, event.event_id, event.action, duplicate=False)
    existing = (
        await session.execute(
            select(RegosEvent.id).where(RegosEvent.company_id == company_id, RegosEvent.event_id == values["event_id"])
        )
    ).scalar_one()
    return RecordedEvent(company_id, existing, event.event_id, event.action, duplicate=True)


async def record_event(
    session: AsyncSession,
    secret: str,
    body: bytes | str | Mapping[str, Any],
    *,
    header_integration_id: str | None = None,
) -> RecordedEvent | None:
    """Store a webhook delivery once. ``None`` for an unknown secret; raises ``WebhookPayloadError`` for a body
    that is not a REGOS event. The caller commits (then schedules ``process_event`` unless ``duplicate``)."""
    connection = await connection_by_secret(session, secret)
    if connection is None:
        return None
    event = parse_webhook_event(body, header_integration_id=header_integration_id)
    payload = {"action": event.action, "data": event.data, "wrapped": event.wrapped}
    return await _store(session, connection.company_id, event, payload)


async def handle_webhook(
    session_factory: async_sessionmaker[AsyncSession],
    secret: str,
    body: bytes | str | Mapping[str, Any],
    secret_box: SecretBox,
    *,
    spawn: Spawn | None = None,
    header_integration_id: str | None = None,
) -> WebhookAck:
    """Everything the endpoint needs: record (and commit) the event, then process it through `spawn` (in the
    background: the endpoint answers at once); without a spawner it is processed before returning."""
    async with session_factory() as session:
        try:
            recorded = await record_event(session, secret, body, header_integration_id=header_integration_id)
        except WebhookPayloadError as error:
            return WebhookAck(AckStatus.BAD_REQUEST, detail=str(error))
        if recorded is None:
            return WebhookAck(AckStatus.UNKNOWN_SECRET)
        await session.commit()
    if recorded.duplicate:
        return WebhookAck(AckStatus.DUPLICATE, recorded)
    work = _process_quietly(session_factory, recorded.event_row_id, secret_box)
    if spawn is None:
        await work
    else:
        spawn(work, name=f"regos-event-{recorded.event_row_id}")
    return WebhookAck(AckStatus.ACCEPTED, recorded)


async def _process_quietly(
    session_factory: async_sessionmaker[AsyncSession], event_row_id: int, secret_box: SecretBox
) -> None:
    try:
        await process_event(session_factory, event_row_id, secret_box)
    except Exception:  # a background task has nobody to raise to; the row keeps the error for a retry
        logger.exception("REGOS event %s: processing failed", event_row_id)


async def _mark(
    session_factory: async_sessionmaker[AsyncSession], event_row_id: int, *, error: str | None
) -> None:
    async with session_factory.begin() as session:
        await session.execute(
            update(RegosEvent)
            .where(RegosEvent.id == event_row_id)
            .values(processed_at=None if error else utcnow(), error=error[:_ERROR_LIMIT] if error else None)
        )


async def process_event(
    session_factory: async_sessionmaker[AsyncSession],
    event_row_id: int,
    secret_box: SecretBox | None = None,
    *,
    client: RegosClient | None = None,
) -> EventOutcome:
    """Fetch and upsert what the stored event names; idempotent (a processed event is not processed again).

    A REGOS failure is kept in the row's ``error`` with ``processed_at`` empty, so ``process_pending_events``
    retries it later.
    """
    async with session_factory() as session:
        row = await session.get(RegosEvent, event_row_id)
        if row is None:
            raise LookupError(f"no REGOS event row {event_row_id}")
        if row.processed_at is not None:
            return EventOutcome(event_row_id, row.action, handled=False, days_rebuilt=[])
        company = await session.get(Company, row.company_id)
        action, data, company_id = row.action, dict((row.payload or {}).get("data") or {}), row.company_id
        timezone = company.timezone if company else "Asia/Tashkent"
        connection = await get_connection(session, company_id)
        settings = dict(connection.settings or {}) if connection else {}
        own_client = client is None
        if client is None:
            if secret_box is None:
                raise ValueError("give a client or a secret_box")
            client = await get_client(session, company_id, secret_box, priority=Priority.INTERACTIVE)
    try:
        if action in RECEIPT_ACTIONS:
            days = await _process_receipt(
                session_factory, client, company_id, timezone, data,
                bool(settings.get(SETTING_RECEIPT_DETAILS, DEFAULT_RECEIPT_DETAILS)),
            )
        elif action in WHOLESALE_ACTIONS or action in WHOLESALE_RETURN_ACTIONS:
            days = await _process_wholesale(session_factory, client, company_id, timezone, action, data)
        else:
            await _mark(session_factory, event_row_id, error=None)
            return EventOutcome(event_row_id, action, handled=False, days_rebuilt=[])
    except (RegosError, _EntityMissing) as error:
        await _mark(session_factory, event_row_id, error=str(error))
        logger.warning("REGOS event %s (%s) not processed: %s", event_row_id, action, error)
        return EventOutcome(event_row_id, action, handled=True, days_rebuilt=[], error=str(error))
    finally:
        if own_client:
            await client.aclose()
    await _mark(session_factory, event_row_id, error=None)
    return EventOutcome(event_row_id, action, handled=True, days_rebuilt=sorted(days))


class _EntityMissing(Exception):
    """The event names something REGOS does not (yet) return."""


async def _rebuild(session_factory: async_sessionmaker[AsyncSession], company_id: int, days: set[date]) -> None:
    if not days:
        return
    async with session_factory.begin() as session:
        await lock_day_for_write(session, company_id, sorted(days))
        for day in sorted(days):
            await rebuild_day(session, company_id, day)


async def _process_receipt(
    session_factory: async_sessionmaker[AsyncSession],
    client: RegosClient,
    company_id: int,
    timezone: str,
    data: dict[str, Any],
    fetch_details: bool,
) -> set[date]:
    uuid = data.get("uuid")
    if not uuid:
        raise _EntityMissing("event has no receipt uuid")
    docs = await client.iter_doc_cheques(uuids=[str(uuid)], page_size=1).first_page()
    if not docs.items:
        raise _EntityMissing(f"REGOS returned no receipt {uuid}" + (" (malformed)" if docs.skipped else ""))
    resolver = BranchResolver(company_id)
    async with session_factory() as session:
        await resolver.load(session)
        names = await payment_type_names(session, company_id)
    importer = ReceiptImporter(
        session_factory=session_factory, company_id=company_id, timezone=timezone, client=client,
        resolver=resolver, fetch_details=fetch_details, payment_type_names=names,
    )
    counts = await importer.import_receipts(docs.items, archive=NullArchive())
    await _rebuild(session_factory, company_id, counts.days_touched)
    return counts.days_touched


async def _process_wholesale(
    session_factory: async_sessionmaker[AsyncSession],
    client: RegosClient,
    company_id: int,
    timezone: str,
    action: str,
    data: dict[str, Any],
) -> set[date]:
    doc_id = data.get("id")
    if doc_id is None:
        raise _EntityMissing("event has no document id")
    is_return = action in WHOLESALE_RETURN_ACTIONS
    kind = WholesaleKind.RETURN if is_return else WholesaleKind.SALE
    ids = [int(doc_id)]
    listing = (
        client.iter_wholesale_returns(ids=ids, page_size=1)
        if is_return
        else client.iter_wholesales(ids=ids, page_size=1)
    )
    docs: list[DocWholeSale] = list((await listing.first_page()).items)
    async with session_factory() as session:
        resolver = BranchResolver(company_id)
        await resolver.load(session)
        existing = (
            await session.execute(
                select(WholesaleDoc.business_day).where(
                    WholesaleDoc.company_id == company_id, WholesaleDoc.kind == kind,
                    WholesaleDoc.regos_id == int(doc_id),
                )
            )
        ).scalar_one_or_none()
    if not docs:
        if existing is None:
            raise _EntityMissing(f"REGOS returned no {listing.method} {doc_id}")
        # Deleted in REGOS: it stops counting.
        async with session_factory.begin() as session:
            await lock_day_for_write(session, company_id, existing)
            await session.execute(
                update(WholesaleDoc)
                .where(WholesaleDoc.company_id == company_id, WholesaleDoc.kind == kind,
                       WholesaleDoc.regos_id == int(doc_id))
                .values(deleted=True)
            )
            await rebuild_day(session, company_id, existing)
        return {existing}
    days = {business_day(d.date, timezone) for d in docs} | ({existing} if existing else set())
    async with session_factory.begin() as session:
        await lock_day_for_write(session, company_id, sorted(days))
        await store_wholesale(
            session, company_id, kind, docs, timezone=timezone, branch_by_stock=resolver.branch_by_stock
        )
        for day in sorted(days):
            await rebuild_day(session, company_id, day)
    return days


async def process_pending_events(
    session_factory: async_sessionmaker[AsyncSession],
    company_id: int,
    secret_box: SecretBox | None = None,
    *,
    client: RegosClient | None = None,
    limit: int = 200,
) -> int:
    """Process stored events not yet done (a failed fetch, a crash before processing). Returns how many."""
    async with session_factory() as session:
        ids = list(
            (
                await session.execute(
                    select(RegosEvent.id)
                    .where(
                        RegosEvent.company_id == company_id,
                        RegosEvent.processed_at.is_(None),
                        RegosEvent.received_at > utcnow() - EVENT_RETENTION,
                    )
                    .order_by(RegosEvent.received_at, RegosEvent.id)
                    .limit(limit)
                )
            ).scalars()
        )
    done = 0
    for row_id in ids:
        outcome = await process_event(session_factory, row_id, secret_box, client=client)
        done += outcome.error is None
    return done


async def replay_events(
    session_factory: async_sessionmaker[AsyncSession],
    company_id: int,
    secret_box: SecretBox | None = None,
    *,
    client: RegosClient | None = None,
) -> ReplayResult:
    """Backfill events REGOS stored (7 days) that never reached the webhook: ``Event/Get`` from the last event
    seen (the saved cursor, else the newest event received, else since connecting), record the new ones and
    process them. The cursor is saved after each event, so a crash replays at most one again (deduplicated)."""
    async with session_factory() as session:
        connection = await get_connection(session, company_id)
        if connection is None:
            raise LookupError(f"company {company_id} has no REGOS connection")
        settings = dict(connection.settings or {})
        cursor: str | None = settings.get(SETTING_EVENT_CURSOR)
        newest = (
            await session.execute(
                select(RegosEvent.event_id, RegosEvent.received_at)
                .where(RegosEvent.company_id == company_id)
                .order_by(RegosEvent.received_at.desc(), RegosEvent.id.desc())
                .limit(1)
            )
        ).first()
        oldest_allowed = utcnow() - EVENT_RETENTION
        since = max(connection.created_at, oldest_allowed)
        if cursor is None and newest is not None:
            cursor = newest.event_id
            since = max(newest.received_at - timedelta(minutes=5), oldest_allowed)
        own_client = client is None
        if client is None:
            if secret_box is None:
                raise ValueError("give a client or a secret_box")
            client = await get_client(session, company_id, secret_box, priority=Priority.INTERACTIVE)
    fetched = new = processed = failed = 0
    try:
        try:
            events = [e async for e in client.iter_events(last_event_id=cursor, from_date=None if cursor else since)]
        except RegosNotFoundError:
            # REGOS no longer knows our cursor (older than its 7 days): read by date instead.
            events = [e async for e in client.iter_events(from_date=since)]
        for item in events:
            fetched += 1
            event = WebhookEvent(
                event_id=item.event_id, action=item.action, occurred_at=item.occurred_at, entity_id=None,
                entity_uuid=None, data=dict(item.data) if isinstance(item.data, Mapping) else {},
            )
            async with session_factory.begin() as session:
                recorded = await _store(
                    session, company_id, event, {"action": event.action, "data": event.data, "replayed": True}
                )
                cursor = item.event_id
                await _save_cursor(session, company_id, cursor)
            if recorded.duplicate:
                continue
            new += 1
            outcome = await process_event(session_factory, recorded.event_row_id, secret_box, client=client)
            if outcome.error is None:
                processed += 1
            else:
                failed += 1
    finally:
        if own_client:
            await client.aclose()
    return ReplayResult(fetched, new, processed, failed, cursor)


async def _save_cursor(session: AsyncSession, company_id: int, cursor: str) -> None:
    connection = await get_connection(session, company_id)
    if connection is not None:
        connection.settings = {**(connection.settings or {}), SETTING_EVENT_CURSOR: cursor}


__all__ = [
    "AckStatus",
    "EventOutcome",
    "RecordedEvent",
    "ReplayResult",
    "WebhookAck",
    "handle_webhook",
    "process_event",
    "process_pending_events",
    "record_event",
    "replay_events",
]

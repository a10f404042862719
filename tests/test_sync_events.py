"""REGOS webhooks and Event/Get replay: an event makes its receipt (or wholesale document) appear, duplicates
are ignored, missed events are replayed, and the day's totals stay equal to the fake's ground truth."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest
from aiohttp import web
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.background import BackgroundTasks
from db.regos_data import Receipt, ReceiptLine, RegosConnection, RegosEvent
from sandbox.regos import FakeRegos
from services.sync import (
    SyncOptions,
    handle_webhook,
    process_event,
    process_pending_events,
    record_event,
    replay_events,
    sync_company,
)
from tests.helpers import FakeRegosFactory, create_company
from tests.sync_support import (
    BOX,
    START,
    assert_books_match,
    connect,
    fast_client,
    generated_receipts,
    read_books,
    receipt_rows,
)

DAY = START + timedelta(days=2)
BACKGROUND = BackgroundTasks()  # the app's spawn(), as the bot hands it to handle_webhook


@pytest.fixture
async def fake(start_fake_regos: FakeRegosFactory) -> FakeRegos:
    return await start_fake_regos(
        seed=21, start_date=START, days=5, receipts_per_day=12, webhook_retry_delay=0.05
    )


@pytest.fixture
async def company(session_factory: async_sessionmaker[AsyncSession], fake: FakeRegos, tmp_path: Path) -> int:
    company_id = (await create_company(session_factory)).id
    await connect(session_factory, fake, company_id)
    async with session_factory.begin() as session:  # these tests read receipt lines: details on (off by default)
        connection = (await session.execute(select(RegosConnection))).scalar_one()
        connection.settings = {**(connection.settings or {}), "receipt_details": True}
    # The day is synced first, so an event changes an existing picture.
    client = fast_client(fake, paced=True)
    result = await sync_company(
        session_factory, company_id, date_from=DAY, date_to=DAY, client=client, archive_dir=tmp_path,
        options=SyncOptions(refresh_stock_levels=False, fetch_details=True),
    )
    await client.aclose()
    assert result.ok
    # The bot's stored client would read the key from the connection; tests give the fake's client directly.
    return company_id


async def webhook_secret(session_factory: async_sessionmaker[AsyncSession]) -> str:
    async with session_factory() as session:
        return (await session.execute(select(RegosConnection.webhook_secret))).scalar_one()


@pytest.fixture
async def endpoint(
    session_factory: async_sessionmaker[AsyncSession], fake: FakeRegos, company: int
) -> AsyncIterator[list[str]]:
    """A stand-in for the bot's HTTP endpoint, wired to ``handle_webhook`` exactly as the bot would be."""
    answers: list[str] = []

    async def receive(request: web.Request) -> web.Response:
        ack = await handle_webhook(
            session_factory, request.match_info["secret"], await request.read(), BOX, spawn=BACKGROUND.spawn,
            header_integration_id=request.headers.get("connected-integration-id"),
        )
        answers.append(ack.status)
        status = {"accepted": 200, "duplicate": 200, "unknown_secret": 404, "bad_request": 400}[ack.status]
        return web.Response(status=status)

    app = web.Application()
    app.router.add_post("/regos/{secret}", receive)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    fake.webhook_url = f"http://127.0.0.1:{port}/regos/{await webhook_secret(session_factory)}"
    yield answers
    await runner.cleanup()


async def deliver_all(fake: FakeRegos) -> None:
    await fake.flush_webhooks()
    await BACKGROUND.drain()


@pytest.mark.parametrize("wrapped", [False, True])
async def test_webhook_event_makes_the_receipt_appear(
    session_factory: async_sessionmaker[AsyncSession],
    fake: FakeRegos,
    company: int,
    endpoint: list[str],
    wrapped: bool,
) -> None:
    fake.webhook_wrapped = wrapped
    before = await receipt_rows(session_factory, company)
    late = fake.add_receipt(DAY, stock_id=3)
    await deliver_all(fake)
    assert endpoint == ["accepted"]
    async with session_factory() as session:
        receipt = (await session.execute(select(Receipt).where(Receipt.uuid == late.uuid))).scalar_one()
        lines = (
            await session.execute(
                select(func.count()).select_from(ReceiptLine).where(ReceiptLine.receipt_id == receipt.id)
            )
        ).scalar_one()
        event = (await session.execute(select(RegosEvent))).scalar_one()
    assert receipt.status == "Closed" and receipt.regos_stock_id == 3 and lines == len(late.lines)
    assert event.processed_at is not None and event.error is None
    assert await receipt_rows(session_factory, company) == before + 1
    assert_books_match(await read_books(session_factory, company, DAY, DAY), fake.generator)


async def test_duplicate_delivery_is_ignored_and_cancel_updates_totals(
    session_factory: async_sessionmaker[AsyncSession], fake: FakeRegos, company: int, endpoint: list[str]
) -> None:
    target = next(r for r in fake.generator.day(DAY).receipts if r.is_closed and not r.is_return)
    fake.cancel_receipt(target.uuid)
    await deliver_all(fake)
    secret = await webhook_secret(session_factory)
    event = fake.events[-1]
    body = json.dumps({k: v for k, v in event.items() if not k.startswith("_")})
    again = await handle_webhook(session_factory, secret, body, BOX)
    assert again.status == "duplicate" and endpoint == ["accepted"]
    async with session_factory() as session:
        assert (await session.execute(select(func.count()).select_from(RegosEvent))).scalar_one() == 1
        status = (await session.execute(select(Receipt.status).where(Receipt.uuid == target.uuid))).scalar_one()
    assert status == "Canceled"
    assert_books_match(await read_books(session_factory, company, DAY, DAY), fake.generator)
    assert await receipt_rows(session_factory, company) == generated_receipts(fake.generator, [DAY])


async def test_wholesale_event_updates_the_document(
    session_factory: async_sessionmaker[AsyncSession], fake: FakeRegos, company: int, endpoint: list[str]
) -> None:
    doc = next(w for w in fake.generator.day(DAY).wholesales if w.counts_as_revenue)
    fake.set_wholesale_state(doc.id, performed=False)
    await deliver_all(fake)
    assert endpoint == ["accepted"]
    assert_books_match(await read_books(session_factory, company, DAY, DAY), fake.generator)


async def test_unknown_secret_and_bad_bodies(
    session_factory: async_sessionmaker[AsyncSession], fake: FakeRegos, company: int
) -> None:
    secret = await webhook_secret(session_factory)
    assert (await handle_webhook(session_factory, "not-the-secret", b"{}", BOX)).status == "unknown_secret"
    assert (await handle_webhook(session_factory, secret, b"not json", BOX)).status == "bad_request"
    assert (await handle_webhook(session_factory, secret, b'{"action": "X"}', BOX)).status == "bad_request"
    async with session_factory() as session:
        assert await record_event(session, "", b"{}") is None
        assert (await session.execute(select(func.count()).select_from(RegosEvent))).scalar_one() == 0


async def test_event_for_a_receipt_regos_does_not_return_is_kept_for_retry(
    session_factory: async_sessionmaker[AsyncSession], fake: FakeRegos, company: int
) -> None:
    secret = await webhook_secret(session_factory)
    body = {"event_id": "e-1", "occurred_at": "2025-01-08T10:00:00Z", "action": "DocChequeClosed",
            "data": {"uuid": "00000000-0000-4000-8000-000000000000"}}
    async with session_factory() as session:
        recorded = await record_event(session, secret, body)
        await session.commit()
    assert recorded is not None and not recorded.duplicate
    client = fast_client(fake, paced=True)
    outcome = await process_event(session_factory, recorded.event_row_id, client=client)
    assert outcome.error and "no receipt" in outcome.error
    assert await process_pending_events(session_factory, company, client=client) == 0
    await client.aclose()
    async with session_factory() as session:
        row = await session.get(RegosEvent, recorded.event_row_id)
        assert row is not None and row.processed_at is None and row.error


async def test_event_get_replay_backfills_missed_events(
    session_factory: async_sessionmaker[AsyncSession], fake: FakeRegos, company: int
) -> None:
    # No webhook URL: every event is "missed".
    receipts = [r for r in fake.generator.day(DAY).receipts if r.is_closed and not r.is_return]
    fake.cancel_receipt(receipts[0].uuid)
    fake.add_return(receipts[1].uuid, receipts[1].date + 300)
    fake.add_receipt(DAY, stock_id=1)
    fake.emit_event("ItemEdited", {"id": 5})  # stored, nothing to do
    client = fast_client(fake, paced=True)
    first = await replay_events(session_factory, company, client=client)
    assert (first.fetched, first.new, first.processed, first.failed) == (4, 4, 4, 0)
    assert_books_match(await read_books(session_factory, company, DAY, DAY), fake.generator)
    assert await receipt_rows(session_factory, company) == generated_receipts(fake.generator, [DAY])

    # From the saved cursor: only what came after.
    again = await replay_events(session_factory, company, client=client)
    assert (again.fetched, again.new) == (0, 0)
    fake.add_receipt(DAY, stock_id=2)
    third = await replay_events(session_factory, company, client=client)
    await client.aclose()
    assert (third.fetched, third.new, third.processed) == (1, 1, 1)
    assert_books_match(await read_books(session_factory, company, DAY, DAY), fake.generator)
    async with session_factory() as session:
        connection = (await session.execute(select(RegosConnection))).scalar_one()
        assert connection.settings["event_cursor"] == fake.events[-1]["event_id"]


async def test_replay_falls_back_to_dates_when_regos_forgot_the_cursor(
    session_factory: async_sessionmaker[AsyncSession], fake: FakeRegos, company: int
) -> None:
    async with session_factory.begin() as session:
        connection = (await session.execute(select(RegosConnection))).scalar_one()
        connection.settings = {**connection.settings, "event_cursor": "expired-event-id"}
    fake.add_receipt(DAY, stock_id=1)
    client = fast_client(fake, paced=True)
    result = await replay_events(session_factory, company, client=client)
    await client.aclose()
    assert (result.new, result.processed) == (1, 1)
    assert_books_match(await read_books(session_factory, company, DAY, DAY), fake.generator)

"""Issue 9: a user's /sync, webhook fetches and the details backfill run at once against one REGOS key whose limit
is on (2/s, burst 50): they share the key's budget (kept in the database, as between processes) and REGOS never
refuses one call; the backfill stays within its share, newest receipts first, and stores exact lines."""

from __future__ import annotations

import asyncio
import time
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.regos_data import Receipt, ReceiptLine, RegosConnection
from sandbox.regos import FakeRegos
from services.sync import SyncOptions, handle_webhook, sync_company
from services.sync.details import (
    backfill_company,
    details_backfill_status,
    set_details_backfill,
)
from tests.helpers import FakeRegosFactory, create_company
from tests.sync_support import BOX, START, assert_books_match, connect, days_from, read_books

DAYS = days_from(START, 3)


def webhook_body(fake: FakeRegos, event: dict[str, object]) -> dict[str, object]:
    return type(fake)._public_event(event)  # what the fake would POST to the bot's endpoint


async def test_sync_webhooks_and_backfill_share_one_budget_without_an_8213(
    session_factory: async_sessionmaker[AsyncSession], start_fake_regos: FakeRegosFactory, tmp_path: object
) -> None:
    fake = await start_fake_regos(seed=61, start_date=START, days=3, receipts_per_day=40)
    company_id = (await create_company(session_factory)).id
    await connect(session_factory, fake, company_id)
    options = SyncOptions(archive=False, refresh_stock_levels=False)
    first = await sync_company(session_factory, company_id, date_from=DAYS[0], date_to=DAYS[0], trigger="schedule",
                               secret_box=BOX, options=options)
    assert first.ok, first
    async with session_factory.begin() as session:
        off = await details_backfill_status(session, company_id)
        assert not off.enabled and off.estimated_seconds_left is None and off.share_percent == 25
        assert off.receipts_with_details == 0 and off.receipts_without_details > 0
        await set_details_backfill(session, company_id, True)
    async with session_factory() as session:
        on = await details_backfill_status(session, company_id)
        secret = (await session.execute(select(RegosConnection.webhook_secret))).scalar_one()
    assert on.enabled and on.estimated_seconds_left == round(on.receipts_without_details * 2 / 0.5)

    late = [fake.add_receipt(DAYS[0], stock_id=stock) for stock in (1, 2, 3)]
    events = [fake.emit_event("DocChequeClosed", {"uuid": r.uuid}) for r in late]

    async def webhooks() -> list[str]:
        answers: list[str] = []
        for event in events:
            ack = await handle_webhook(session_factory, secret, webhook_body(fake, event), BOX)
            answers.append(ack.status)
            await asyncio.sleep(0.5)
        return answers

    started = time.monotonic()
    manual, answers, backfill = await asyncio.gather(
        sync_company(session_factory, company_id, date_from=DAYS[1], date_to=DAYS[2], trigger="manual",
                     secret_box=BOX, options=options),
        webhooks(),
        backfill_company(session_factory, company_id, BOX, max_seconds=15.0),
    )
    elapsed = time.monotonic() - started

    # Not one call refused by REGOS's own limit, though together they made more calls than its burst.
    assert fake.buckets.refused.get(fake.default_key, 0) == 0
    assert len(fake.request_log) > 50
    assert manual.ok and manual.reconciled, manual
    assert answers == ["accepted"] * 3
    # The backfill used at most its share (25 % of 2/s, a burst of 2) and was never in the way.
    assert backfill.receipts > 0 and backfill.calls <= 0.5 * elapsed + 4
    async with session_factory() as session:
        for receipt in late:  # the webhook fetched each late receipt
            row = (await session.execute(select(Receipt).where(Receipt.uuid == receipt.uuid))).scalar_one()
            assert row.status == "Closed"
        detailed = list((await session.execute(
            select(Receipt).where(Receipt.company_id == company_id, Receipt.details_synced_at.is_not(None))
        )).scalars())
        late_uuids = {r.uuid for r in late}
        first_day = list((await session.execute(
            select(Receipt).where(Receipt.company_id == company_id, Receipt.business_day == DAYS[0],
                                  Receipt.status == "Closed", Receipt.uuid.not_in(late_uuids))
        )).scalars())
        # Newest first: what it read of the first day is that day's latest receipts.
        read = [r.occurred_at for r in first_day if r.details_synced_at is not None]
        unread = [r.occurred_at for r in first_day if r.details_synced_at is None]
        assert read and (not unread or min(read) >= max(unread))
        # Each receipt's lines are REGOS's own, to the so'm.
        for row in detailed:
            truth = fake.generator.receipt(row.uuid)
            assert truth is not None
            lines = list((await session.execute(
                select(ReceiptLine).where(ReceiptLine.receipt_id == row.id)
            )).scalars())
            assert sorted((line.uuid, line.amount) for line in lines) == sorted(
                (line.uuid, Decimal(line.amount)) for line in truth.lines
            )
        status = await details_backfill_status(session, company_id)
    assert status.receipts_with_details == len(detailed) == backfill.receipts
    assert status.receipts_without_details == backfill.left
    assert_books_match(await read_books(session_factory, company_id, DAYS[0], DAYS[-1]), fake.generator)


async def test_backfill_off_does_nothing_and_the_switch_needs_a_connection(
    session_factory: async_sessionmaker[AsyncSession], start_fake_regos: FakeRegosFactory
) -> None:
    import pytest

    from services.sync import RegosNotConnected

    company_id = (await create_company(session_factory)).id
    async with session_factory() as session:
        with pytest.raises(RegosNotConnected):
            await set_details_backfill(session, company_id, True)
        with pytest.raises(RegosNotConnected):
            await details_backfill_status(session, company_id)
    fake = await start_fake_regos(seed=62, start_date=START, days=1, receipts_per_day=10)
    await connect(session_factory, fake, company_id)
    calls = len(fake.request_log)
    result = await backfill_company(session_factory, company_id, BOX, max_seconds=5)
    assert result.stopped_by == "disabled" and result.receipts == 0 and len(fake.request_log) == calls


async def test_the_backfill_job_is_due_every_five_minutes_only_when_turned_on(
    session_factory: async_sessionmaker[AsyncSession], start_fake_regos: FakeRegosFactory
) -> None:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from bot.jobs.regos_details import RegosDetailsTask
    from db.models import Company

    fake = await start_fake_regos(seed=63, start_date=START, days=1, receipts_per_day=5)
    company_id = (await create_company(session_factory)).id
    await connect(session_factory, fake, company_id)
    task = RegosDetailsTask()
    at = datetime(2026, 12, 2, 14, 37, tzinfo=ZoneInfo("Asia/Tashkent"))
    async with session_factory() as session:
        company = await session.get(Company, company_id)
        assert company is not None
        assert await task.due(session, company, at) is None  # off by default
        await set_details_backfill(session, company_id, True)
        await session.commit()
        assert await task.due(session, company, at) == "2026-12-02T14:35"
        await set_details_backfill(session, company_id, False)
        await session.commit()
        assert await task.due(session, company, at) is None

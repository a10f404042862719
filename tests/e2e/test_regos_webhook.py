"""REGOS webhook events reach the bot's HTTP server (polling mode + HTTP_PORT): a receipt closed in REGOS appears
in our books without anyone pressing anything; a redelivered event changes nothing; a wrong secret is refused."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from db.engine import create_session_factory
from db.regos_data import Receipt, RegosEvent
from sandbox.regos.server import FakeRegos
from sandbox.stack import RunningBot
from sandbox.telegram.client import SandboxClient
from services.sync.books import day_books
from tests.e2e.flows import FAKE_REGOS_KEY, connect_fake_regos, create_company
from tests.helpers import FakeRegosFactory, free_port, local_today

TODAY = local_today()
HTTP_PORT = free_port()


@pytest.fixture
async def fake_regos(start_fake_regos: FakeRegosFactory) -> FakeRegos:
    return await start_fake_regos(seed=6, start_date=TODAY - timedelta(days=1), days=2, receipts_per_day=20,
                                  keys=[FAKE_REGOS_KEY], webhook_retry_delay=0.05)


@pytest.fixture
def bot_settings_overrides(fake_regos: FakeRegos) -> dict[str, Any]:
    return {"regos_gateway_url": fake_regos.gateway_url, "http_port": HTTP_PORT, "webhook_host": "127.0.0.1"}


async def test_webhook_event_brings_the_receipt(running_bot: RunningBot, sandbox: SandboxClient,
                                                engine: AsyncEngine, fake_regos: FakeRegos) -> None:
    owner = await sandbox.create_user("Dilnoza")
    await create_company(owner)
    app = running_bot.app
    company_id, secret = await connect_fake_regos(app, fake_regos)

    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{HTTP_PORT}") as http:
        assert (await http.get("/healthz")).json() == {"status": "ok"}
        wrong = await http.post("/regos/webhook/not-the-secret", json={"event_id": "x", "action": "DocChequeClosed",
                                                                      "data": {"uuid": "u"}})
        assert wrong.status_code == 404
        garbage = await http.post(f"/regos/webhook/{secret}", content=b"{not json")
        assert garbage.status_code == 400

    fake_regos.webhook_url = f"http://127.0.0.1:{HTTP_PORT}/regos/webhook/{secret}"
    receipt = fake_regos.add_receipt(TODAY)
    for _ in range(100):
        async with create_session_factory(engine)() as session:
            found = await session.scalar(select(func.count()).select_from(Receipt).where(Receipt.uuid == receipt.uuid))
        if found:
            break
        await asyncio.sleep(0.1)
    assert found == 1

    # the same event delivered again is stored once and changes nothing
    assert fake_regos.webhook_deliveries and fake_regos.webhook_deliveries[-1].status == 200
    event = fake_regos.events[-1]
    async with httpx.AsyncClient() as http:
        again = await http.post(fake_regos.webhook_url, json=event)
    assert again.status_code == 200 and again.json()["status"] == "duplicate"
    async with create_session_factory(engine)() as session:
        assert await session.scalar(select(func.count()).select_from(RegosEvent)) == 1
        books = await day_books(session, company_id, TODAY, TODAY)
    truth = fake_regos.generator.day_totals(TODAY)
    # only the webhook's receipt was imported today (no sync ran), so our books hold exactly it
    assert books[0].receipts == 1 and books[0].retail_gross == receipt.amount
    assert truth.sale_count >= 1

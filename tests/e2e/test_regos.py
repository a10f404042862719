"""Connecting REGOS and syncing through the bot, against the fake REGOS gateway, as an owner would."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from db.base import utcnow
from db.engine import create_session_factory
from db.models import Branch
from db.regos_data import Receipt, RegosConnection
from sandbox.regos.server import FakeRegos
from sandbox.stack import RunningBot
from sandbox.telegram.client import SandboxClient
from services.locale import format_money
from tests.e2e.conftest import settle
from tests.e2e.test_onboarding import create_company, make_invite

KEY = "0f" * 16
TODAY = utcnow().astimezone(ZoneInfo("Asia/Tashkent")).date()


@pytest.fixture
async def fake_regos() -> AsyncIterator[FakeRegos]:
    # The 2/s limit is tested elsewhere; here it would only make the test slow.
    fake = FakeRegos(seed=3, start_date=TODAY - timedelta(days=2), days=3, receipts_per_day=40,
                     keys={KEY: None, "ab" * 16: ["DocCheque/Get"]}, rate_limit=False)
    await fake.start()
    yield fake
    await fake.stop()


@pytest.fixture
def bot_settings_overrides(fake_regos: FakeRegos) -> dict[str, Any]:
    return {"regos_gateway_url": fake_regos.gateway_url}


async def _scalar(engine: AsyncEngine, statement):  # type: ignore[no-untyped-def]
    await settle()
    async with create_session_factory(engine)() as session:
        return await session.scalar(statement)


async def test_connect_bad_then_good_key_then_sync(running_bot: RunningBot, sandbox: SandboxClient,
                                                   engine: AsyncEngine, fake_regos: FakeRegos) -> None:
    owner = await sandbox.create_user("Dilnoza")
    await create_company(owner)
    await owner.send("/regos")
    await owner.expect("REGOS is not connected yet")
    await owner.expect("Paste your REGOS integration key")

    pasted = await owner.send("ff" * 16)  # a key REGOS does not know
    await owner.expect("REGOS rejected this key")
    messages = {m.message_id: m for m in await owner.messages()}
    assert messages[pasted["message_id"]].deleted  # the secret did not stay in the chat
    assert await _scalar(engine, select(func.count()).select_from(RegosConnection)) == 0

    await owner.send("/regos")
    await owner.expect("Paste your REGOS integration key")
    await owner.send("ab" * 16)  # a key without rights to read receipts
    no_rights = await owner.expect("has no rights for")
    assert "DocCheque/Get" in no_rights.text

    await owner.send("/regos")
    await owner.expect("Paste your REGOS integration key")
    pasted = await owner.send(KEY)
    connected = await owner.expect("REGOS connected")
    stocks = len(fake_regos.generator.stocks) if hasattr(fake_regos.generator, "stocks") else 3
    assert f"{stocks} branches found" in connected.text
    assert {m.message_id: m for m in await owner.messages()}[pasted["message_id"]].deleted
    stored = await _scalar(engine, select(RegosConnection.key_encrypted))
    assert stored and KEY not in stored
    assert await _scalar(engine, select(func.count()).select_from(Branch)) == stocks
    await settle()
    async with create_session_factory(engine)() as session:  # the real 2/s pacing would only slow the test
        connection = await session.scalar(select(RegosConnection))
        assert connection is not None
        connection.settings = {**connection.settings, "rate_per_second": 200, "burst": 200}
        await session.commit()

    await owner.send("/sync")
    await owner.expect("Syncing sales from REGOS")
    done = await owner.expect("Sync finished", timeout=60)
    truth = fake_regos.generator.day_totals(TODAY)
    expected_net = truth.retail_net + truth.wholesale_net
    assert f"1 days, {truth.sale_count} receipts" in done.text
    assert format_money(expected_net, "en") in done.text
    assert "Totals match REGOS's own report" in done.text
    receipts = await _scalar(engine, select(func.count()).select_from(Receipt))

    # a second sync changes nothing
    await owner.send("/sync")
    again = await owner.expect("Sync finished", timeout=60)
    assert "(0 new" in again.text and format_money(expected_net, "en") in again.text
    assert await _scalar(engine, select(func.count()).select_from(Receipt)) == receipts


async def test_key_outside_the_flow_is_deleted_and_cashier_refused(
    running_bot: RunningBot, sandbox: SandboxClient, engine: AsyncEngine
) -> None:
    owner = await sandbox.create_user("Dilnoza")
    await create_company(owner)
    pasted = await owner.send(KEY)
    await owner.expect("looks like a REGOS key, so I deleted it")
    assert {m.message_id: m for m in await owner.messages()}[pasted["message_id"]].deleted
    payload = await make_invite(owner, "cashier")
    cashier = await sandbox.create_user("Malika", language_code="en")
    await cashier.send(f"/start {payload}")
    await cashier.expect("Choose your language")
    await cashier.press("🇬🇧 English")
    await cashier.expect("You have joined")
    await cashier.send("/regos")
    await cashier.expect("Your role does not allow this")
    await cashier.send("/sync")
    await cashier.expect("Your role does not allow this")
    await owner.send("/sync")
    await owner.expect("REGOS is not connected")


async def test_rename_branch_and_link_employee(running_bot: RunningBot, sandbox: SandboxClient,
                                               engine: AsyncEngine, fake_regos: FakeRegos) -> None:
    from db.models import Employee

    owner = await sandbox.create_user("Dilnoza")
    await create_company(owner)
    await owner.send("/regos")
    await owner.expect("Paste your REGOS integration key")
    await owner.send(KEY)
    await owner.expect("REGOS connected")
    await owner.send("/regos")
    status = await owner.expect("Key: 0f0f")
    assert "Branches: 3" in status.text
    await owner.press("Branches")
    listing = await owner.expect("Branches from REGOS")
    first_branch = listing.button_texts[0]
    await owner.press(first_branch)
    await owner.expect("Send the new name")
    await owner.send("Chilonzor bozori")
    await owner.expect("Branch renamed: Chilonzor bozori")
    await settle()
    async with create_session_factory(engine)() as session:
        names = (await session.scalars(select(Branch.name))).all()
    assert "Chilonzor bozori" in names and first_branch not in names

    await owner.send("/regos")
    await owner.expect("Key: 0f0f")
    await owner.press("Employees")
    staff = await owner.expect("Employees from REGOS")
    employee_name = staff.button_texts[0]
    await owner.press(employee_name)
    await owner.expect(f"Who in the bot is {employee_name}")
    await owner.press("Dilnoza")
    await owner.expect(f"{employee_name} is now tied to Dilnoza")
    linked = await _scalar(engine, select(func.count()).select_from(Employee).where(Employee.user_id.is_not(None)))
    assert linked == 1


async def test_key_pasted_in_a_group_is_deleted_with_a_warning(running_bot: RunningBot, sandbox: SandboxClient) -> None:
    """The emulator has no group chats, so the group update is fed straight into the production dispatcher;
    the Bot API calls it makes still go to the emulator and are read from its call log."""
    app = running_bot.app
    group_id = -100_123_456
    update = {
        "update_id": 777_001,
        "message": {
            "message_id": 42, "date": 1_795_000_000, "text": f"bizning kalit {KEY}",
            "chat": {"id": group_id, "type": "supergroup", "title": "Oila Market xodimlari"},
            "from": {"id": 555_001, "is_bot": False, "first_name": "Careless", "language_code": "en"},
        },
    }
    await app.dispatcher.feed_raw_update(app.bot, update)
    deletions = [c for c in await sandbox.calls("deleteMessage") if (c.get("params") or {}).get("chat_id") in
                 (group_id, str(group_id))]
    assert deletions and str((deletions[0].get("params") or {}).get("message_id")) == "42"
    warnings = [c for c in await sandbox.calls("sendMessage") if (c.get("params") or {}).get("chat_id") in
                (group_id, str(group_id))]
    assert any("never post keys in a group" in str((c.get("params") or {}).get("text")) for c in warnings)

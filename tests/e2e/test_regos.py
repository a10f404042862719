"""Connecting REGOS and syncing through the bot, against the fake REGOS gateway, as an owner would."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from db.engine import create_session_factory
from db.models import Branch
from db.regos_data import Receipt, RegosConnection, WholesaleDoc
from sandbox.regos.server import FakeRegos
from sandbox.stack import RunningBot
from sandbox.telegram.client import SandboxClient
from services.locale import format_date, format_money
from tests.e2e.flows import FAKE_REGOS_KEY, connect_regos, create_company, invite_and_join, join, scalar, settle
from tests.helpers import FakeRegosFactory, local_today

KEY = FAKE_REGOS_KEY
TODAY = local_today()


@pytest.fixture
async def fake_regos(start_fake_regos: FakeRegosFactory) -> FakeRegos:
    # The real gateway's limit stays on (2 requests/s, burst 50); the bot is pointed at it.
    return await start_fake_regos(seed=3, start_date=TODAY - timedelta(days=2), days=3, receipts_per_day=40,
                                  keys={KEY: None, "ab" * 16: ["DocCheque/Get"]})


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
    assert await scalar(engine, select(func.count()).select_from(RegosConnection)) == 0

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
    stored = await scalar(engine, select(RegosConnection.key_encrypted))
    assert stored and KEY not in stored
    assert await scalar(engine, select(func.count()).select_from(Branch)) == stocks
    assert connected.button_texts == ["7 days", "30 days", "90 days", "A year"]  # how much history to import

    await owner.send("/sync")
    await owner.expect("Syncing sales from REGOS")
    done = await owner.expect("Sync finished", timeout=60)
    truth = fake_regos.generator.day_totals(TODAY)
    expected_net = truth.retail_net + truth.wholesale_net
    # the receipts are the books' (what /today counts), the documents written are said apart (issue 11 item 5)
    receipt = "receipt" if truth.sale_count == 1 else "receipts"  # Fluent plurals: never "1 receipts"
    assert f"Today, {format_date(TODAY, 'en')}: {truth.sale_count} {receipt}, net sales" in done.text, done.text
    assert format_money(expected_net, "en") in done.text
    assert "Totals match REGOS's own report" in done.text
    receipts = await scalar(engine, select(func.count()).select_from(Receipt))
    written = re.search(r"Written from REGOS: (\d+) new documents? and (\d+) changed", done.text)
    assert written, done.text
    wholesale = await scalar(engine, select(func.count()).select_from(WholesaleDoc))
    assert int(written.group(1)) == receipts + wholesale and int(written.group(2)) == 0

    # a second sync changes nothing
    await owner.send("/sync")
    again = await owner.expect("Sync finished", timeout=60)
    assert "Nothing new in REGOS since the last sync" in again.text and format_money(expected_net, "en") in again.text
    assert await scalar(engine, select(func.count()).select_from(Receipt)) == receipts


async def test_plain_sync_runs_in_the_background_and_counts_in_the_askers_scope(
    running_bot: RunningBot, sandbox: SandboxClient, engine: AsyncEngine, fake_regos: FakeRegos
) -> None:
    """Plain /sync runs through the app's spawn(): the bot answers while REGOS is slow, one message shows the
    progress and the result. A branch manager's result counts their branch only, as their /today does, and does
    not speak of the company's documents (issue 11 item 5)."""
    owner = await sandbox.create_user("Dilnoza")
    await create_company(owner)
    await connect_regos(owner, KEY)
    fake_regos.set_faults(rate_slow=1.0, slow_seconds=2.0, methods=["DocCheque/Get"])
    await owner.send("/sync")
    started = await owner.expect("Syncing sales from REGOS")
    await owner.send("/help")  # answered while the sync waits for REGOS
    await owner.expect("Commands for you (owner)")
    meanwhile = next(m for m in await owner.messages() if m.message_id == started.message_id)
    assert "Sync finished" not in meanwhile.text, meanwhile.text
    fake_regos.clear_faults()
    done = await owner.expect("Sync finished", timeout=60)
    assert done.message_id == started.message_id  # one message, edited

    await owner.send("/invite")
    await owner.expect("Which role")
    await owner.press("manager")
    card = await owner.expect("Which branch")
    branch_name = next(t for t in card.button_texts if t != "All branches")
    await owner.press(branch_name, message_id=card.message_id)
    link = re.search(r"start=(inv_[\w-]+)", (await owner.expect("Send this link")).text)
    assert link
    manager = await sandbox.create_user("Rustam")
    await join(manager, link.group(1))
    await manager.send("/sync")
    mine = await manager.expect("Sync finished", timeout=60)
    stock = await scalar(engine, select(Branch.regos_stock_id).where(Branch.name == branch_name))
    truth = fake_regos.generator.day_totals(TODAY, stock)
    receipt = "receipt" if truth.sale_count == 1 else "receipts"
    assert f"Today, {format_date(TODAY, 'en')}, your branches: {truth.sale_count} {receipt}," in mine.text, mine.text
    assert format_money(truth.retail_net + truth.wholesale_net, "en") in mine.text
    assert "Written from REGOS" not in mine.text and "Nothing new" not in mine.text


async def test_key_outside_the_flow_is_deleted_and_cashier_refused(
    running_bot: RunningBot, sandbox: SandboxClient, engine: AsyncEngine
) -> None:
    owner = await sandbox.create_user("Dilnoza")
    await create_company(owner)
    pasted = await owner.send(KEY)
    await owner.expect("looks like a REGOS key, so I deleted it")
    assert {m.message_id: m for m in await owner.messages()}[pasted["message_id"]].deleted
    cashier = await invite_and_join(sandbox, owner, "cashier", "Malika")
    await cashier.send("/regos")
    refused = await cashier.expect("Your role does not allow this")
    assert "It is for: owner." in refused.text
    await cashier.send("/sync")
    await cashier.expect("Your role does not allow this")
    await owner.send("/sync")
    await owner.expect("REGOS is not connected")


async def test_rename_branch_and_link_employee(running_bot: RunningBot, sandbox: SandboxClient,
                                               engine: AsyncEngine, fake_regos: FakeRegos) -> None:
    from db.models import Employee

    owner = await sandbox.create_user("Dilnoza")
    await create_company(owner)
    await connect_regos(owner, KEY)
    await owner.send("/regos")
    status = await owner.expect("Key: 0f0f")
    assert "Branches: 3" in status.text and "connected, working" in status.text
    # The receipt details backfill: what it is for and what it costs, and a switch (explicit, so a double tap
    # has one effect).
    assert "Receipt details: off" in status.text and "2 REGOS requests a receipt" in status.text
    assert "25% of the key's limit" in status.text
    await owner.press("Turn receipt details on")
    switched = await owner.expect("Receipt details: on")
    await owner.press("Turn receipt details on", message_id=status.message_id)  # the old card's button again
    await settle()
    async with create_session_factory(engine)() as session:
        connection = await session.scalar(select(RegosConnection))
        assert connection is not None and connection.settings.get("details_backfill") is True
    assert switched.button_texts == ["Turn receipt details off"]
    await owner.send("/regos")
    status = await owner.expect("Key: 0f0f")
    assert "Receipt details: on" in status.text
    await owner.press("Turn receipt details off")
    await owner.expect("Receipt details: off")
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
    stale = await owner.expect(f"Who in the bot is {employee_name}")
    await owner.send("/cancel")  # the card's buttons belong to its flow: after /cancel they change nothing
    await owner.expect()
    answer = await owner.press("Dilnoza", message_id=stale.message_id)
    assert answer and "This step is over" in str(answer.get("text"))
    assert await scalar(engine, select(func.count()).select_from(Employee).where(Employee.user_id.is_not(None))) == 0
    await owner.press("Employees")
    await owner.expect("Employees from REGOS")
    await owner.press(employee_name)
    await owner.expect(f"Who in the bot is {employee_name}")
    await owner.press("Dilnoza")
    await owner.expect(f"{employee_name} is now tied to Dilnoza")
    linked = await scalar(engine, select(func.count()).select_from(Employee).where(Employee.user_id.is_not(None)))
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

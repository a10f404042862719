"""The first connect (issue 9 item 3), against the fake REGOS with its real limit on (2 requests/s, burst 50):
the owner picks how much history to import, the import runs in the background with one edited progress message,
today comes first so /today answers within a minute, a second import is refused, a REGOS outage mid-way says
what is done and offers Retry, and Retry finishes the rest. Also `/sync <period>` and a forged import button."""

from __future__ import annotations

import asyncio
import re
import time
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from db.regos_data import DailySales, Receipt
from handlers.callbacks import ImportDaysCallback
from sandbox.regos.server import FakeRegos
from sandbox.stack import RunningBot
from sandbox.telegram.client import SandboxClient
from services.locale import format_money
from tests.e2e.flows import FAKE_REGOS_KEY, connect_regos, create_company, join, rows, scalar
from tests.helpers import FakeRegosFactory, at_local, local_today

TODAY = local_today()
HISTORY = 8  # days the fake holds, today included
LATE_TODAY = at_local(TODAY, 23, 50).timestamp()


@pytest.fixture
async def fake_regos(start_fake_regos: FakeRegosFactory) -> FakeRegos:
    # The real gateway's limit stays on: 2 requests/s with a burst of 50.
    return await start_fake_regos(seed=5, start_date=TODAY - timedelta(days=HISTORY - 1), days=HISTORY,
                                  receipts_per_day=30, keys=[FAKE_REGOS_KEY],
                                  now=lambda: LATE_TODAY)  # the fake has sold all of today by now


def _progress_texts(messages: list, message_id: int) -> str:
    return next(m.text for m in messages if m.message_id == message_id)


async def test_first_connect_imports_today_first_then_history(
    running_bot: RunningBot, sandbox: SandboxClient, engine: AsyncEngine, fake_regos: FakeRegos,
) -> None:
    owner = await sandbox.create_user("Dilnoza")
    await create_company(owner)
    connected = await connect_regos(owner)
    assert "How much sales history should I import?" in connected.text
    assert connected.button_texts == ["7 days", "30 days", "90 days", "A year"]

    pressed_at = time.monotonic()
    await owner.press("7 days", message_id=connected.message_id)
    started = await owner.expect("Importing 7 days from REGOS, today first")
    # A second import while this one runs is refused, in the user's language, and changes nothing.
    answer = await owner.press("30 days", message_id=connected.message_id)
    assert answer is not None and "already running" in str(answer.get("text"))

    # Today first: /today shows today's real figures within a minute of connecting, while the import goes on.
    truth = fake_regos.generator.day_totals(TODAY)
    assert truth.sale_count > 0
    expected = format_money(truth.retail_net + truth.wholesale_net, "en")
    while True:
        await owner.send("/today")
        report = await owner.expect(predicate=lambda m: m.message_id != started.message_id, edits=False,
                                    timeout=30)
        if expected in report.text:
            break
        assert time.monotonic() - pressed_at < 60, report.text
        await asyncio.sleep(2)
    today_after = time.monotonic() - pressed_at
    assert today_after < 60

    finished = await owner.expect("Import finished", timeout=240)
    assert finished.message_id == started.message_id  # one message, edited as it went
    # the receipts named are the books' (what /sales counts for these days), not the documents read
    match = re.search(r"Import finished: 7 days in .+\. The books now hold (\d+) receipts? for them", finished.text)
    assert match, finished.text
    assert await scalar(engine, select(func.count()).select_from(Receipt)) > 0
    sales = sum(fake_regos.generator.day_totals(TODAY - timedelta(days=offset)).sale_count for offset in range(7))
    assert int(match.group(1)) == sales > 0
    booked = {row[0] for row in await rows(engine, select(DailySales.business_day).distinct())}
    assert booked == {TODAY - timedelta(days=offset) for offset in range(7)}, sorted(booked)
    # the progress message was edited, and no faster than every ~3 seconds
    edits = [c for c in await sandbox.calls("editMessageText")
             if str((c.get("params") or {}).get("message_id")) == str(started.message_id)]
    assert len(edits) >= 2
    print(f"/today visible after {today_after:.1f} s; 7 days imported in {time.monotonic() - pressed_at:.1f} s")

    # Pressing the choice again imports only what is missing: nothing but today.
    await owner.press("7 days", message_id=connected.message_id)
    again = await owner.expect("Import finished", timeout=60)
    assert "Import finished: 1 day in" in again.text and "for it." in again.text


async def test_outage_midway_then_retry(running_bot: RunningBot, sandbox: SandboxClient, engine: AsyncEngine,
                                        fake_regos: FakeRegos) -> None:
    owner = await sandbox.create_user("Dilnoza")
    await create_company(owner, language="en")
    connected = await connect_regos(owner)
    await owner.press("7 days", message_id=connected.message_id)
    started = await owner.expect("Importing 7 days")
    # REGOS goes down once a few days are in.
    deadline = time.monotonic() + 120
    while True:
        text = _progress_texts(await owner.messages(), started.message_id)
        found = re.search(r"(\d+) of 7 days done", text)
        if found and int(found.group(1)) >= 2:
            break
        assert time.monotonic() < deadline, text
        await asyncio.sleep(0.5)
    fake_regos.set_down(True)
    stopped = await owner.expect("Import stopped: REGOS is not answering", timeout=180)
    assert stopped.message_id == started.message_id
    assert "Not imported yet:" in stopped.text and "🔁 Retry" in stopped.button_texts
    done = int(re.search(r"Imported (\d+) of 7 days", stopped.text).group(1))  # type: ignore[union-attr]
    assert 2 <= done < 7

    fake_regos.set_down(False)
    await owner.press("🔁 Retry", message_id=stopped.message_id)
    # the rest (the day REGOS failed in the middle of included), and today again
    retried = await owner.expect(f"Importing {7 - done + 1} days", timeout=30)
    finished = await owner.expect("Import finished", timeout=240)
    assert finished.message_id == retried.message_id
    days = await scalar(engine, select(func.count(func.distinct(DailySales.business_day))))
    assert days == 7


async def test_sync_of_a_past_period_and_bad_buttons(running_bot: RunningBot, sandbox: SandboxClient,
                                                     engine: AsyncEngine, fake_regos: FakeRegos) -> None:
    owner = await sandbox.create_user("Dilnoza")
    await create_company(owner)
    connected = await connect_regos(owner)
    first, last = TODAY - timedelta(days=4), TODAY - timedelta(days=2)
    await owner.send(f"/sync {first:%d.%m.%Y}-{last:%d.%m.%Y}")
    started = await owner.expect("Importing 3 days from REGOS")
    await owner.send("/help")  # the bot answers while the import runs
    await owner.expect("/sync")
    finished = await owner.expect("Import finished: 3 days", timeout=120)
    assert finished.message_id == started.message_id
    await owner.send(f"/sync {first:%d.%m.%Y}-{last:%d.%m.%Y}")
    await owner.expect("are already imported")
    await owner.send("/sync 31.02.2026")
    await owner.expect("There is no such date")

    # A forged button (another company, an impossible date) changes nothing.
    company = ImportDaysCallback.unpack(connected.inline_keyboard[0][0]["callback_data"]).company
    forged = ImportDaysCallback(company=company + 1, first=TODAY.toordinal(), last=TODAY.toordinal()).pack()
    answer = await owner.press(data=forged, message_id=connected.message_id, forge=True)
    assert answer is not None and answer.get("show_alert")
    impossible = ImportDaysCallback(company=company, first=10**9, last=10**9).pack()
    answer = await owner.press(data=impossible, message_id=connected.message_id, forge=True)
    assert answer is not None and "over" in str(answer.get("text"))

    # A cashier may not import.
    await owner.send("/invite")
    await owner.expect("Which role")
    await owner.press("cashier")
    await owner.expect("Which branch")
    await owner.press("All branches")
    link = re.search(r"start=(inv_[\w-]+)", (await owner.expect("Send this link")).text)
    assert link
    cashier = await sandbox.create_user("Malika")
    await join(cashier, link.group(1))
    await cashier.send("/sync 1.11-2.11")
    await cashier.expect("Your role does not allow this")


def test_figures_are_written_for_the_locale() -> None:
    """The sync's seconds and the import's time left read as the language writes them (decimal comma in uz/ru,
    plurals from Fluent)."""
    from handlers.sync import duration_text, eta_text, seconds_text

    assert seconds_text(2.44, "ru") == "2,4" and seconds_text(2.44, "uz") == "2,4" and seconds_text(2.44, "en") == "2.4"
    assert eta_text("en", 61) == "about 2 minutes left" and eta_text("en", 30) == "about 30 s left"
    assert eta_text("ru", 120) == "осталось около 2 минут" and eta_text("uz", 120) == "taxminan 2 daqiqa qoldi"
    assert duration_text("ru", 100) == "2 минуты" and duration_text("en", 50) == "50 s"


async def test_import_missing_days_from_the_today_warning(running_bot: RunningBot, sandbox: SandboxClient,
                                                          fake_regos: FakeRegos) -> None:
    owner = await sandbox.create_user("Dilnoza")
    await create_company(owner)
    await connect_regos(owner)
    yesterday = TODAY - timedelta(days=1)
    await owner.send(f"/sync {yesterday:%d.%m.%Y}")
    await owner.expect("Import finished: 1 day", timeout=60)
    await owner.send("/today")  # today was never imported: the report says so and offers to import it
    report = await owner.expect("not imported yet")
    await owner.press("📥 Import the missing days", message_id=report.message_id)
    await owner.expect("Importing 1 day from REGOS")
    await owner.expect("Import finished: 1 day", timeout=60)
    truth = fake_regos.generator.day_totals(TODAY)
    await owner.send("/today")
    after = await owner.expect(predicate=lambda m: m.message_id != report.message_id, edits=False)
    assert "not imported yet" not in after.text
    assert format_money(truth.retail_net + truth.wholesale_net, "en") in after.text

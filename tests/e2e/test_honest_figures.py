"""Figures and ownership an owner can trust (issue 11): one REGOS account and one TIN per company, a summary
after midnight that covers the closed day."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.jobs.summaries import DailySummaryTask
from bot.scheduler import Scheduler
from db.models import Company
from db.regos_data import RegosConnection
from sandbox.regos.server import FakeRegos
from sandbox.stack import RunningBot
from sandbox.telegram.client import SandboxClient
from services.locale import format_date
from services.sync.engine import sync_company
from tests.e2e.flows import FAKE_REGOS_KEY, connect_fake_regos, connect_regos, create_company, onboard, scalar, settle
from tests.helpers import FakeRegosFactory, at_local, local_today

TODAY = local_today()


@pytest.fixture
async def fake_regos(start_fake_regos: FakeRegosFactory) -> FakeRegos:
    return await start_fake_regos(seed=3, start_date=TODAY - timedelta(days=1), days=2, receipts_per_day=10,
                                  keys={FAKE_REGOS_KEY: None})


async def test_second_company_cannot_take_a_tin_or_a_regos_account(
        running_bot: RunningBot, sandbox: SandboxClient, engine: AsyncEngine, fake_regos: FakeRegos) -> None:
    first = await sandbox.create_user("Dilnoza")
    await create_company(first, tin="305123456")
    await connect_regos(first)

    second = await sandbox.create_user("Bekzod")
    await onboard(second)
    await second.press("Create a company")
    await second.expect("What is the company called")
    await second.send("Boshqa Market")
    await second.expect("TIN")
    await second.send("305 123 456")  # the first company's TIN, typed with spaces
    refusal = await second.expect("already belongs to a company in the bot")
    assert "invite" in refusal.text
    await second.send("305999999")  # the step stays: another TIN goes on
    await second.expect("time zone")
    await second.press("Asia/Tashkent")
    await second.expect("tax regime")
    await second.press("Turnover tax")
    await second.expect("is created and you are its owner")
    await settle()
    assert await scalar(engine, select(func.count()).select_from(Company)) == 2

    await second.send("/regos")
    await second.expect("Paste your REGOS integration key")
    pasted = await second.send(FAKE_REGOS_KEY)
    taken = await second.expect("This REGOS account already belongs to a company in the bot")
    assert "invite" in taken.text
    assert {m.message_id: m for m in await second.messages()}[pasted["message_id"]].deleted
    await settle()
    assert await scalar(engine, select(func.count()).select_from(RegosConnection)) == 1


async def test_summary_after_midnight_covers_the_closed_day(
        running_bot: RunningBot, sandbox: SandboxClient, fake_regos: FakeRegos) -> None:
    owner = await sandbox.create_user("Dilnoza")
    await create_company(owner)
    await owner.send("/settings")
    await owner.expect("Summaries")
    await owner.press("Change time")
    await owner.expect("Send the time")
    await owner.send("00:27")
    await owner.expect("Saved.")

    ticker = Scheduler(running_bot.app.job_context(), [DailySummaryTask()], owner="t")
    assert await ticker.tick(at_local(TODAY, 0, 26)) == []
    assert [(r.task, r.status) for r in await ticker.tick(at_local(TODAY, 0, 28))] == [("summary_daily", "ran")]
    summary = await owner.expect("daily summary")
    yesterday = TODAY - timedelta(days=1)
    assert f"Business day {format_date(yesterday, 'en')} (Asia/Tashkent)" in summary.text  # not the new day
    # a second tick within the grace is the same (claimed) day, not a second summary
    assert "ran" not in [r.status for r in await ticker.tick(at_local(TODAY, 0, 40))]


async def test_a_day_never_imported_is_reported_missing(
        running_bot: RunningBot, sandbox: SandboxClient, fake_regos: FakeRegos) -> None:
    owner = await sandbox.create_user("Dilnoza")
    await create_company(owner)
    app = running_bot.app
    assert app.secret_box is not None
    company_id, _ = await connect_fake_regos(app, fake_regos, FAKE_REGOS_KEY)
    yesterday = TODAY - timedelta(days=1)
    await sync_company(app.session_factory, company_id, date_from=yesterday, date_to=yesterday,
                       secret_box=app.secret_box, trigger="cli", archive_dir=app.settings.regos_archive_dir)
    await owner.send("/today")  # today itself was never imported: not "no sales", but missing
    report = await owner.expect("not imported yet")
    assert "1 day of this period is not imported yet" in report.text
    assert "/sync" in report.text
    assert "No sales" not in report.text  # a day never imported is not a day without sales
    data = report.button("📥 Import the missing days")["callback_data"]  # the /sync router imports it
    assert data == f"imd:{company_id}:{TODAY.toordinal()}:{TODAY.toordinal()}"

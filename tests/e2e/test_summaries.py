"""The daily summary arrives at the company's time (controllable clock), once across two scheduler instances and
a restart, with the generator's own figures; a late return brings one short correction."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from bot.jobs.summaries import DailySummaryTask, SummaryCorrectionTask
from bot.scheduler import Scheduler
from db.models import SummaryDelivery
from db.outbox import OutboxMessage
from sandbox.regos.server import FakeRegos
from sandbox.stack import RunningBot
from sandbox.telegram.client import SandboxClient
from services.locale import format_money
from services.sync.engine import sync_company
from tests.e2e.flows import FAKE_REGOS_KEY, connect_fake_regos, create_company, invite_and_join
from tests.helpers import FakeRegosFactory, at_local

KEY = FAKE_REGOS_KEY
DAY = date(2026, 11, 20)


@pytest.fixture
async def fake_regos(start_fake_regos: FakeRegosFactory) -> FakeRegos:
    return await start_fake_regos(seed=7, start_date=DAY - timedelta(days=8), days=10, receipts_per_day=30,
                                  keys=[KEY])


async def test_daily_summary_once_with_correction(running_bot: RunningBot, sandbox: SandboxClient,
                                                  fake_regos: FakeRegos) -> None:
    owner = await sandbox.create_user("Dilnoza")
    await create_company(owner)
    app = running_bot.app
    box = app.secret_box
    assert box is not None
    company_id, _ = await connect_fake_regos(app, fake_regos, KEY)
    # the week before, so that the comparison with the same weekday has figures
    await sync_company(app.session_factory, company_id, date_from=DAY - timedelta(days=7), date_to=DAY,
                       secret_box=box, trigger="cli", archive_dir=app.settings.regos_archive_dir)

    context = app.job_context()

    def scheduler(name: str) -> Scheduler:
        return Scheduler(context, [DailySummaryTask(), SummaryCorrectionTask()], owner=name)

    first, second = scheduler("replica-1"), scheduler("replica-2")
    assert await first.tick(at_local(DAY, 20, 59)) == []
    assert ("summary_daily", "ran") in [(r.task, r.status) for r in await first.tick(at_local(DAY, 21, 0))]
    assert ("summary_daily", "skipped") in [(r.task, r.status) for r in await second.tick(at_local(DAY, 21, 1))]
    restarted = scheduler("replica-1-restarted")
    assert ("summary_daily", "ran") not in [(r.task, r.status) for r in await restarted.tick(at_local(DAY, 21, 30))]

    summary = await owner.expect("daily summary", timeout=20)
    truth = fake_regos.generator.day_totals(DAY)
    assert "Business day 20 November 2026 (Asia/Tashkent)" in summary.text
    assert f"Net sales: {format_money(truth.retail_net + truth.wholesale_net, 'en')}" in summary.text
    assert f"Sales {format_money(truth.retail_gross, 'en')} (receipts: {truth.sale_count})" in summary.text
    for stock_id, branch_truth in fake_regos.generator.branch_totals(DAY).items():  # REGOS's own shift figures
        assert (f"sales {format_money(branch_truth.retail_gross, 'en')}, "
                f"returns {format_money(branch_truth.retail_returns, 'en')}") in summary.text, stock_id
    summaries = [m for m in await owner.messages() if m.from_bot and "— daily summary" in m.text]
    assert len(summaries) == 1

    # a late return for that day arrives after the summary was sent
    sale = next(r for r in fake_regos.generator.day(DAY).receipts if r.is_closed and not r.is_return)
    late = fake_regos.add_return(sale.uuid, at=int(at_local(DAY, 20, 30).timestamp()))
    await sync_company(app.session_factory, company_id, date_from=DAY, date_to=DAY, secret_box=box, trigger="cli",
                       archive_dir=app.settings.regos_archive_dir)
    corrected = await first.tick(at_local(DAY, 22, 5))
    assert ("summary_corrections", "ran") in [(r.task, r.status) for r in corrected]
    correction = await owner.expect("Correction for 20 November 2026", timeout=20)
    after = fake_regos.generator.day_totals(DAY)
    assert after.retail_returns == truth.retail_returns + late.amount
    assert format_money(after.retail_net + after.wholesale_net, "en") in correction.text
    # the next hour has nothing new to correct
    await first.tick(at_local(DAY, 23, 5))
    await owner.expect_no_message(timeout=1)
    await app.outbox.send_due()  # the sender's batch in hand is recorded
    async with app.session_factory() as session:
        assert await session.scalar(select(func.count()).select_from(SummaryDelivery)) == 1
        record = await session.scalar(select(SummaryDelivery))
        assert record is not None and record.status == "sent" and record.sent_at is not None  # told by the outbox
        kinds = (await session.scalars(select(OutboxMessage.kind).where(OutboxMessage.status == "sent")
                                       .order_by(OutboxMessage.id))).all()
    assert "summary.daily" in kinds and "summary-correction" in kinds


async def test_settings_time_toggles_and_mute(running_bot: RunningBot, sandbox: SandboxClient) -> None:
    owner = await sandbox.create_user("Dilnoza")
    await create_company(owner)
    manager = await invite_and_join(sandbox, owner, "manager", "Rustam", language="ru")

    await owner.send("/settings")
    view = await owner.expect("Summaries")
    assert "Daily at 21:00 (Asia/Tashkent)" in view.text
    await owner.press("Change time")
    await owner.expect("Send the time")
    await owner.send("25:99")
    await owner.expect("I didn't understand the time")
    await owner.send("20.30")
    saved = await owner.expect("Saved.")
    assert "Daily at 20:30" in saved.text
    await owner.press("Weekly (Mondays): on")
    toggled = await owner.expect("weekly off")
    assert "monthly on" in toggled.text

    await manager.send("/settings")
    own_view = await manager.expect("Итоги")
    assert "Изменить время" not in own_view.button_texts  # company settings are the owner's
    answer = await manager.press(data=f"st:{own_view.inline_keyboard[0][0]['callback_data'].split(':')[1]}:time:0",
                                 message_id=own_view.message_id, forge=True)
    assert answer and answer["show_alert"]
    await manager.press("Отключить мои итоги")
    await manager.expect("Ваши: отключены")

    app = running_bot.app
    context = app.job_context()
    ticker = Scheduler(context, [DailySummaryTask()], owner="t")
    assert await ticker.tick(at_local(DAY, 20, 29)) == []
    assert [(r.task, r.status) for r in await ticker.tick(at_local(DAY, 20, 31))] == [("summary_daily", "ran")]
    await owner.expect("daily summary")
    await manager.expect_no_message(timeout=1)  # muted
    async with app.session_factory() as session:
        rows = (await session.scalars(select(SummaryDelivery.user_id))).all()
    assert len(rows) == 1

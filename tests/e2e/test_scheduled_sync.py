"""Scheduled REGOS syncs with a controllable clock: hourly once per hour, the owner told when REGOS goes down
and when it is back, a second scheduler instance does nothing."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.jobs.regos_events import RegosEventReplayTask
from bot.jobs.regos_sync import RegosSyncTask
from bot.scheduler import PeriodicTask, Scheduler
from db.engine import create_session_factory
from db.outbox import OutboxMessage
from db.regos_data import Receipt
from sandbox.regos.server import FakeRegos
from sandbox.stack import RunningBot
from sandbox.telegram.client import SandboxClient
from tests.e2e.flows import FAKE_REGOS_KEY, connect_fake_regos, create_company
from tests.helpers import FakeRegosFactory, at_local

KEY = FAKE_REGOS_KEY
LOCAL_DAY = date(2026, 11, 20)


@pytest.fixture
async def fake_regos(start_fake_regos: FakeRegosFactory) -> FakeRegos:
    return await start_fake_regos(seed=4, start_date=LOCAL_DAY - timedelta(days=1), days=2, receipts_per_day=30,
                                  keys=[KEY])


async def test_hourly_sync_alerts_and_single_run(running_bot: RunningBot, sandbox: SandboxClient,
                                                 engine: AsyncEngine, fake_regos: FakeRegos) -> None:
    owner = await sandbox.create_user("Dilnoza")
    await create_company(owner)
    app = running_bot.app
    await connect_fake_regos(app, fake_regos, KEY)

    context = app.job_context()
    tasks: list[PeriodicTask] = [RegosEventReplayTask(), RegosSyncTask("hourly"), RegosSyncTask("nightly")]
    first, second = Scheduler(context, tasks, owner="replica-1"), Scheduler(context, tasks, owner="replica-2")

    early = await first.tick(at_local(LOCAL_DAY, 0, 10))  # the final pass over yesterday waits until 00:30
    assert ("regos_sync_nightly", "ran") not in [(r.task, r.status) for r in early]
    ran = await first.tick(at_local(LOCAL_DAY, 10, 6))
    assert [(r.task, r.status) for r in ran] == [("regos_event_replay", "ran"), ("regos_sync_hourly", "ran"),
                                                  ("regos_sync_nightly", "ran")]
    again = await second.tick(at_local(LOCAL_DAY, 10, 7))  # same hour and day, other replica
    assert [r.status for r in again] == ["skipped", "skipped", "skipped"]
    async with create_session_factory(engine)() as session:
        receipts = await session.scalar(select(func.count()).select_from(Receipt))
    assert receipts and receipts > 0

    fake_regos.set_down(True)
    failed = await first.tick(at_local(LOCAL_DAY, 11, 5))
    # an outage is not the replay's failure: it is logged, and the sync after it tells the owner
    assert [(r.task, r.status) for r in failed if r.status != "skipped"] == [("regos_event_replay", "ran"),
                                                                           ("regos_sync_hourly", "ran")]
    alert = await owner.expect("REGOS has not answered", timeout=15)
    assert "Oila Market" in alert.text
    await app.outbox.send_due()  # waits for the sender's batch in hand: its outcome is recorded
    async with create_session_factory(engine)() as session:  # it went through the outbox, and was recorded
        row = await session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "sync.alert"))
    assert row is not None and row.status == "sent" and row.message_id == alert.message_id

    fake_regos.set_down(False)
    await first.tick(at_local(LOCAL_DAY, 12, 5))
    await owner.expect("REGOS answers again", timeout=15)

    nightly = await first.tick(at_local(LOCAL_DAY, 0, 35) + timedelta(days=1))
    assert ("regos_sync_nightly", "ran") in [(r.task, r.status) for r in nightly]

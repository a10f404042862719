"""Scheduled REGOS syncs with a controllable clock: hourly once per hour, the owner told when REGOS goes down
and when it is back, a second scheduler instance does nothing."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.scheduler import Scheduler, SchedulerContext
from bot.tasks import RegosSyncTask
from db.engine import create_session_factory
from db.regos_data import Receipt
from sandbox.regos.server import FakeRegos
from sandbox.stack import RunningBot
from sandbox.telegram.client import SandboxClient
from tests.e2e.conftest import connect_fake_regos
from tests.e2e.test_onboarding import create_company

KEY = "0f" * 16
LOCAL_DAY = datetime(2026, 11, 20, tzinfo=UTC).date()


def at_local(hour: int, minute: int) -> datetime:
    """A UTC instant that is hour:minute in Tashkent (UTC+5) on LOCAL_DAY."""
    return datetime(LOCAL_DAY.year, LOCAL_DAY.month, LOCAL_DAY.day, hour, minute, tzinfo=UTC) - timedelta(hours=5)


@pytest.fixture
async def fake_regos() -> AsyncIterator[FakeRegos]:
    fake = FakeRegos(seed=4, start_date=LOCAL_DAY - timedelta(days=1), days=2, receipts_per_day=30, keys=[KEY],
                     rate_limit=False)
    await fake.start()
    yield fake
    await fake.stop()


@pytest.fixture
def bot_settings_overrides(fake_regos: FakeRegos) -> dict[str, Any]:
    return {"regos_gateway_url": fake_regos.gateway_url}


async def test_hourly_sync_alerts_and_single_run(running_bot: RunningBot, sandbox: SandboxClient,
                                                 engine: AsyncEngine, fake_regos: FakeRegos) -> None:
    owner = await sandbox.create_user("Dilnoza")
    await create_company(owner)
    app = running_bot.app
    await connect_fake_regos(app, fake_regos, KEY)

    context = SchedulerContext(app.session_factory, app.bot, app.settings)
    first = Scheduler(context, [RegosSyncTask("hourly"), RegosSyncTask("nightly")], owner="replica-1")
    second = Scheduler(context, [RegosSyncTask("hourly"), RegosSyncTask("nightly")], owner="replica-2")

    early = await first.tick(at_local(0, 10))  # the final pass over yesterday waits until 00:30
    assert ("regos_sync_nightly", "ran") not in [(r.task, r.status) for r in early]
    ran = await first.tick(at_local(10, 6))
    assert sorted((r.task, r.status) for r in ran) == [("regos_sync_hourly", "ran"), ("regos_sync_nightly", "ran")]
    again = await second.tick(at_local(10, 7))  # same hour and day, other replica
    assert sorted(r.status for r in again) == ["skipped", "skipped"]
    async with create_session_factory(engine)() as session:
        receipts = await session.scalar(select(func.count()).select_from(Receipt))
    assert receipts and receipts > 0

    fake_regos.set_down(True)
    failed = await first.tick(at_local(11, 5))
    assert [(r.task, r.status) for r in failed if r.status != "skipped"] == [("regos_sync_hourly", "ran")]
    alert = await owner.expect("REGOS has not answered", timeout=15)
    assert "Oila Market" in alert.text

    fake_regos.set_down(False)
    await first.tick(at_local(12, 5))
    await owner.expect("REGOS answers again", timeout=15)

    nightly = await first.tick(at_local(0, 35) + timedelta(days=1))
    assert ("regos_sync_nightly", "ran") in [(r.task, r.status) for r in nightly]

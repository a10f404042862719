"""Issue 10, item 5: another writer holds SQLite's write lock. New users get their reply once the lock is gone
(the transaction is retried) or, when it lasts too long, the busy answer in their language, never the generic
error; nothing half-written; a sync caught by the lock leaves its day retryable and the next run is exact. The
log carries no traceback and no secret."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from db.models import User
from sandbox.regos import FakeRegos
from sandbox.stack import DEMO_TOKEN, RunningBot
from sandbox.telegram.client import SandboxClient
from services.sync import SyncOptions, sync_company
from tests.helpers import FakeRegosFactory, create_company
from tests.sync_support import BOX, START, assert_books_match, connect, read_books

pytestmark = [pytest.mark.parametrize("engine", ["sqlite"], indirect=True),  # SQLite's single writer lock
              pytest.mark.timeout(300)]  # locks held for tens of seconds on purpose


class WriteLock:
    """Holds SQLite's write lock from another connection (a thread) for `seconds`."""

    def __init__(self, engine: AsyncEngine, seconds: float) -> None:
        self.path = str(engine.url.database)
        self.seconds = seconds
        self.taken = threading.Event()
        self.thread = threading.Thread(target=self._hold, daemon=True)

    def _hold(self) -> None:
        connection = sqlite3.connect(self.path, isolation_level=None, timeout=30)
        try:
            connection.execute("BEGIN IMMEDIATE")
            self.taken.set()
            time.sleep(self.seconds)
            connection.execute("ROLLBACK")
        finally:
            connection.close()

    async def __aenter__(self) -> WriteLock:
        self.thread.start()
        await asyncio.to_thread(self.taken.wait, 10)
        return self

    async def __aexit__(self, *_: object) -> None:
        await asyncio.to_thread(self.thread.join, self.seconds + 30)


def assert_clean_log(caplog: pytest.LogCaptureFixture, *secrets: str) -> None:
    assert "Traceback" not in caplog.text
    assert not [record for record in caplog.records if record.exc_info]
    for secret in secrets:
        assert secret not in caplog.text


async def users_named(session_factory: async_sessionmaker[AsyncSession], first_name: str) -> int:
    async with session_factory() as session:
        return int(await session.scalar(select(func.count()).select_from(User).where(User.first_name == first_name))
                   or 0)


async def test_a_lock_shorter_than_the_retries_gives_the_reply_after_it(
    running_bot: RunningBot, sandbox: SandboxClient, engine: AsyncEngine,
    session_factory: async_sessionmaker[AsyncSession], caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    newcomer = await sandbox.create_user("Shoira", language_code="en")
    async with WriteLock(engine, 12):  # longer than SQLite's busy timeout (10 s): the first attempt fails
        await newcomer.send("/start")
        reply = await newcomer.expect(timeout=60)
    assert "Choose your language" in reply.text
    assert "went wrong" not in reply.text
    await running_bot.idle()  # the handler's transaction commits after its reply
    assert await users_named(session_factory, "Shoira") == 1  # once, not twice after the retry
    assert_clean_log(caplog, DEMO_TOKEN)


async def test_a_lock_longer_than_the_retries_gives_the_busy_answer_in_the_users_language(
    running_bot: RunningBot, sandbox: SandboxClient, engine: AsyncEngine,
    session_factory: async_sessionmaker[AsyncSession], caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    newcomer = await sandbox.create_user("Rustam", language_code="ru")
    # 4 attempts x SQLite's 10 s busy timeout + backoff ≈ 45 s; the lock outlasts them with room for a slow machine
    async with WriteLock(engine, 80):
        await newcomer.send("/start")
        reply = await newcomer.expect(timeout=120)
        assert "занят" in reply.text and "Попробуйте" in reply.text, reply.text  # busy, try again shortly
        assert "went wrong" not in reply.text and "ref" not in reply.text
    assert await users_named(session_factory, "Rustam") == 0  # nothing half-written
    await newcomer.send("/start")  # once the lock is gone, trying again works
    assert "Выберите язык" in (await newcomer.expect(timeout=30)).text
    await running_bot.idle()
    assert await users_named(session_factory, "Rustam") == 1
    assert_clean_log(caplog, DEMO_TOKEN)


@pytest.fixture
async def fake(start_fake_regos: FakeRegosFactory) -> FakeRegos:
    return await start_fake_regos(seed=5, start_date=START, days=3, receipts_per_day=60)  # limit on


async def test_a_sync_caught_by_a_long_lock_leaves_its_day_retryable(
    engine: AsyncEngine, session_factory: async_sessionmaker[AsyncSession], fake: FakeRegos,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    company = (await create_company(session_factory)).id
    await connect(session_factory, fake, company)
    day = START + timedelta(days=1)
    options = SyncOptions(archive=False, refresh_stock_levels=False, fetch_details=False)
    async with WriteLock(engine, 30):
        try:
            first = await sync_company(session_factory, company, date_from=day, date_to=day, trigger="cli",
                                       secret_box=BOX, options=options)
        except Exception as error:  # the database itself failed: allowed to propagate, but must not stick
            first = None
            assert "locked" in str(error).lower() or "busy" in str(error).lower(), error
    if first is not None and first.ok:
        # the retries outlasted the lock: the day must be exact already
        assert_books_match(await read_books(session_factory, company, day, day), fake.generator)
    second = await sync_company(session_factory, company, date_from=day, date_to=day, trigger="cli",
                                secret_box=BOX, options=options)
    assert second.ok, second
    assert_books_match(await read_books(session_factory, company, day, day), fake.generator)
    assert "Traceback" not in caplog.text and fake.default_key not in caplog.text

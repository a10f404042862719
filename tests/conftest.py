"""Shared fixtures: a freshly migrated database (SQLite always; PostgreSQL too when TEST_DATABASE_URL is set),
fake REGOS gateways, the Telegram emulator and its control client. The code behind them is in tests/helpers.py,
which tests import; no test imports this file."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from db.engine import create_session_factory
from sandbox.telegram.client import SandboxClient
from sandbox.telegram.server import TelegramEmulator
from tests.helpers import BACKENDS, FakeRegosFactory, make_migrated_engine


@pytest.fixture(autouse=True)
def _restore_logging() -> Iterator[None]:
    """The CLI's configure_logging (run in-process by CLI tests) sets logger levels and root handlers; put them
    back so that no test depends on which CLI test ran before it."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    levels = {name: logger.level for name, logger in logging.Logger.manager.loggerDict.items()
              if isinstance(logger, logging.Logger)}
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
    for name, logger in list(logging.Logger.manager.loggerDict.items()):
        if isinstance(logger, logging.Logger):
            logger.setLevel(levels.get(name, logging.NOTSET))


@pytest.fixture(autouse=True)
def _forget_remembered_languages() -> Iterator[None]:
    """The error handler remembers each Telegram id's language in the process; ids restart at 100001 in every
    emulator, so one test's user must not lend their language to the next test's."""
    from handlers.errors import _LANGUAGES

    _LANGUAGES.clear()
    yield
    _LANGUAGES.clear()


@pytest.fixture(params=BACKENDS)
async def engine(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[AsyncEngine]:
    engine = await make_migrated_engine(request.param, tmp_path)
    yield engine
    await engine.dispose()


@pytest.fixture
def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return create_session_factory(engine)


@pytest.fixture
async def session(session_factory: async_sessionmaker[AsyncSession]) -> AsyncIterator[AsyncSession]:
    async with session_factory() as session:
        yield session


@pytest.fixture
async def start_fake_regos() -> AsyncIterator[FakeRegosFactory]:
    """`fake = await start_fake_regos(seed=3, days=3, receipts_per_day=40)`: a running fake REGOS gateway with
    its rate limit on (2/s, burst 50) unless `rate_limit=False`; `faults={...}` to break it. All stopped after."""
    factory = FakeRegosFactory()
    yield factory
    await factory.stop_all()


@pytest.fixture
async def emulator() -> AsyncIterator[TelegramEmulator]:
    emulator = TelegramEmulator()
    await emulator.start()
    yield emulator
    await emulator.stop()


@pytest.fixture
async def sandbox(emulator: TelegramEmulator) -> AsyncIterator[SandboxClient]:
    async with SandboxClient(emulator.base_url) as client:
        yield client

"""The end-to-end harness: the real bot polling the emulator on a fresh migrated database (the emulator, and the
client that acts as users with `user.send`, `user.press`, `user.expect`, are fixtures of tests/conftest.py).
The flows users go through, and `settle()` before reading the database, are in tests/e2e/flows.py."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from sandbox.regos.server import FakeRegos
from sandbox.stack import RunningBot, sandbox_settings, start_polling_bot
from sandbox.telegram.server import TelegramEmulator
from tests.e2e.flows import RUNNING
from tests.helpers import database_url_for

NO_REGOS = "http://127.0.0.1:9/gateway/out"  # the discard port: nothing answers there


@pytest.fixture
def bot_settings_overrides(request: pytest.FixtureRequest) -> dict[str, Any]:
    """The bot's settings for a test. When the test has a `fake_regos` fixture (a module defines it with
    `start_fake_regos`), the bot is pointed at that gateway, else at a local port where nothing listens (no test
    reaches the real REGOS); a module overrides this fixture for more."""
    if "fake_regos" not in request.fixturenames:
        return {"regos_gateway_url": NO_REGOS}
    fake: FakeRegos = request.getfixturevalue("fake_regos")
    return {"regos_gateway_url": fake.gateway_url}


@pytest.fixture
async def running_bot(emulator: TelegramEmulator, engine: AsyncEngine, tmp_path: Path,
                      bot_settings_overrides: dict[str, Any]) -> AsyncIterator[RunningBot]:
    settings = sandbox_settings(emulator.base_url, database_url_for(engine),
                                regos_archive_dir=str(tmp_path / "archive"), **bot_settings_overrides)
    running = await start_polling_bot(settings, engine=engine)
    RUNNING.append(running)
    yield running
    RUNNING.remove(running)
    await running.stop()

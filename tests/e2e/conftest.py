"""The end-to-end harness: the emulator on a free port, the real bot polling it on a fresh migrated database,
and a client that acts as users (`user.send`, `user.press`, `user.expect`)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from sandbox.stack import RunningBot, sandbox_settings, start_polling_bot
from sandbox.telegram.client import SandboxClient
from sandbox.telegram.server import TelegramEmulator
from tests.conftest import database_url_for


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


@pytest.fixture
def bot_settings_overrides() -> dict[str, Any]:
    """Tests override this fixture to configure the bot (e.g. the fake REGOS gateway URL)."""
    return {}


@pytest.fixture
async def running_bot(emulator: TelegramEmulator, engine: AsyncEngine, tmp_path: Path,
                      bot_settings_overrides: dict[str, Any]) -> AsyncIterator[RunningBot]:
    settings = sandbox_settings(emulator.base_url, database_url_for(engine),
                                regos_archive_dir=str(tmp_path / "archive"), **bot_settings_overrides)
    running = await start_polling_bot(settings, engine=engine)
    yield running
    await running.stop()

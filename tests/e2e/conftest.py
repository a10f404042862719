"""The end-to-end harness: the emulator on a free port, the real bot polling it on a fresh migrated database,
and a client that acts as users (`user.send`, `user.press`, `user.expect`)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.factory import App
from db.models import Company
from db.regos_data import RegosConnection
from sandbox.regos.server import FakeRegos
from sandbox.stack import RunningBot, sandbox_settings, start_polling_bot
from sandbox.telegram.client import SandboxClient
from sandbox.telegram.server import TelegramEmulator
from services.crypto import SecretBox
from services.sync.connection import connect_company
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
    _running.append(running)
    yield running
    _running.remove(running)
    await running.stop()


_running: list[RunningBot] = []


async def settle() -> None:
    """Before a test reads the database: let the bot finish (and commit) the updates it is handling."""
    for running in _running:
        await running.idle()


FAKE_REGOS_KEY = "0f" * 16


async def connect_fake_regos(app: App, fake: FakeRegos, key: str = FAKE_REGOS_KEY) -> tuple[int, str]:
    """Connects the only company to the fake REGOS as /regos would, without the real 2 requests/s pacing.
    Returns (company id, webhook secret)."""
    await settle()
    async with app.session_factory() as session:
        company = await session.scalar(select(Company))
        assert company is not None
        outcome = await connect_company(session, company_id=company.id, integration_key=key,
                                        gateway_url=fake.gateway_url,
                                        secret_box=SecretBox(app.settings.require_secret_key()))
        assert outcome.ok, outcome
        connection = await session.scalar(select(RegosConnection))
        assert connection is not None
        connection.settings = {**connection.settings, "rate_per_second": 500, "burst": 500}
        await session.commit()
        return company.id, connection.webhook_secret

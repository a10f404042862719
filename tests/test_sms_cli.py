"""`python -m bot eskiz refresh-token | send | status` as an operator runs them, against the fake Eskiz."""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from db.sms import EskizToken, SmsMessage
from sandbox.eskiz import DEFAULT_EMAIL, DEFAULT_PASSWORD, FakeEskiz

ROOT = Path(__file__).resolve().parent.parent
SECRET_KEY = "cli-test-secret-key-0123456789"


@pytest.fixture
async def fake() -> AsyncIterator[FakeEskiz]:
    server = FakeEskiz(auto_deliver=False)
    await server.start()
    yield server
    await server.stop()


async def cli(engine: AsyncEngine, tmp_path: Path, fake: FakeEskiz, *args: str,
              password: str = DEFAULT_PASSWORD) -> tuple[int, str, str]:
    env = {
        "PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT),
        "DATABASE_URL": engine.url.render_as_string(hide_password=False),
        "SECRET_KEY": SECRET_KEY, "LOG_LEVEL": "INFO", "ESKIZ_BASE_URL": fake.api_url,
        "ESKIZ_EMAIL": DEFAULT_EMAIL, "ESKIZ_PASSWORD": password,
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "eskiz", *args, cwd=tmp_path, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    stdout, stderr = await asyncio.wait_for(process.communicate(), timeout=60)
    assert process.returncode is not None
    return process.returncode, stdout.decode(), stderr.decode()


async def test_send_refresh_and_status(engine: AsyncEngine, session_factory: async_sessionmaker[AsyncSession],
                                       fake: FakeEskiz, tmp_path: Path) -> None:
    code, out, err = await cli(engine, tmp_path, fake, "send", "+998 90 123-45-67", "Salom")
    assert code == 0, err
    assert out.startswith("sms 1 to 998901234567: waiting, Eskiz request ")
    assert fake.messages[0].request_id in out
    async with session_factory() as session:
        row = (await session.scalars(select(SmsMessage))).one()
        token_row = (await session.scalars(select(EskizToken))).one()
    assert row.request_id == fake.messages[0].request_id and row.status == "waiting"
    first_token = next(iter(fake.tokens))
    assert first_token not in err and first_token not in token_row.token_encrypted  # logged masked, stored encrypted

    code, out, err = await cli(engine, tmp_path, fake, "refresh-token")
    assert code == 0, err
    assert out.startswith(f"token eyJh… for {DEFAULT_EMAIL}: expires ") and "role user" in out
    assert [r.path for r in fake.requests].count("/api/auth/refresh") == 1
    assert [r.path for r in fake.requests].count("/api/auth/login") == 1  # the stored token was reused

    code, out, err = await cli(engine, tmp_path, fake, "status", "--json")
    assert code == 0, err
    status = json.loads(out)
    assert status["account"] == DEFAULT_EMAIL and status["balance"] == fake.account().balance
    assert status["sms"] == {"waiting": 1} and status["token"] == "eyJh…" and status["sender"] == "4546"
    await fake.deliver()
    code, out, err = await cli(engine, tmp_path, fake, "status", str(row.request_id))
    assert code == 0, err
    assert "status: DELIVERED" in out and "to: 998901234567" in out


async def test_bad_input_gets_one_clear_line(engine: AsyncEngine, fake: FakeEskiz, tmp_path: Path) -> None:
    code, _, err = await cli(engine, tmp_path, fake, "send", "71 123 45 67", "Salom")
    assert code == 2 and "is not an Uzbek mobile number: 71 is not a mobile operator code" in err
    code, _, err = await cli(engine, tmp_path, fake, "send", "901234567", "Salom", password="wrong-password-1")
    assert code == 1 and "Eskiz refused the login" in err and "Неверный Email или пароль" in err
    assert "wrong-password-1" not in err
    fake.set_balance(0)
    code, _, err = await cli(engine, tmp_path, fake, "send", "901234567", "Salom")
    assert code == 1 and "balance is too low" in err
    assert fake.messages == []

"""Issue 10, item 6, end to end: hostile input at every edge gets 400 or a clear message in the user's language,
nothing is stored from it, and the log holds no traceback and no secret (this test scans it)."""

from __future__ import annotations

import json
import logging
from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from db.regos_data import RegosConnection, RegosEvent
from sandbox.regos.server import FakeRegos
from sandbox.stack import DEMO_TOKEN, RunningBot
from sandbox.telegram.client import SandboxClient
from tests.e2e.flows import FAKE_REGOS_KEY, create_company
from tests.helpers import FakeRegosFactory, free_port, local_today

HTTP_PORT = free_port()


@pytest.fixture
async def fake_regos(start_fake_regos: FakeRegosFactory) -> FakeRegos:
    return await start_fake_regos(seed=9, start_date=local_today() - timedelta(days=1), days=2, receipts_per_day=10,
                                  keys=[FAKE_REGOS_KEY])  # the real limit stays on


@pytest.fixture
def bot_settings_overrides(fake_regos: FakeRegos) -> dict[str, Any]:
    return {"regos_gateway_url": fake_regos.gateway_url, "http_port": HTTP_PORT, "webhook_host": "127.0.0.1"}


def nested(depth: int) -> bytes:
    return b'{"event_id": "e1", "action": "DocChequeClosed", "data": ' + b"[" * depth + b"]" * depth + b"}"


async def test_hostile_inputs_get_400_or_a_clear_message_and_no_traceback(
    running_bot: RunningBot, sandbox: SandboxClient, fake_regos: FakeRegos, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    owner = await sandbox.create_user("Dilnoza")
    await create_company(owner)

    # a gateway answering every call with JSON nested 100,000 levels deep, while the owner connects
    fake_regos.set_faults(rate_deep_json=1.0)
    await owner.send("/regos")
    await owner.expect("Paste your REGOS integration key")
    await owner.send(FAKE_REGOS_KEY)
    told = await owner.expect(regex="REGOS is not answering|REGOS answered with an error", timeout=120)
    assert "Nothing was changed" in told.text
    await running_bot.idle()
    app = running_bot.app
    async with app.session_factory() as session:
        assert await session.scalar(select(func.count()).select_from(RegosConnection)) == 0

    fake_regos.clear_faults()
    await owner.send("/regos")
    await owner.expect("Paste your REGOS integration key")
    await owner.send(FAKE_REGOS_KEY)
    await owner.expect("REGOS connected", timeout=90)
    await running_bot.idle()  # the handler's transaction commits after its last reply
    async with app.session_factory() as session:
        connection = await session.scalar(select(RegosConnection))
        assert connection is not None
        secret = connection.webhook_secret

    hook = f"/regos/webhook/{secret}"
    logging.getLogger("httpx").setLevel(logging.WARNING)  # this test's own client would log the secret URL
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{HTTP_PORT}", timeout=30) as http:
        bodies: list[bytes] = [
            nested(100_000), nested(200),  # nesting
            b'{"event_id": "e2", "action": "X", "data": {"p": "' + b"x" * 2_000_000 + b'"}}',  # huge
            b"{not json", b"", b"[]", b"null", b'"text"',
            *(json.dumps({"event_id": bad, "action": "DocChequeClosed", "data": {"uuid": "u"}}).encode()
              for bad in ("abc", ["a", "b"], {"x": 1}, "", -5, True, "x" * 500)),
            json.dumps({"event_id": "e3", "action": 5, "data": "no object"}).encode(),
        ]
        for body in bodies:
            answer = await http.post(hook, content=body, headers={"Content-Type": "application/json"})
            assert answer.status_code == 400, (body[:60], answer.status_code, answer.text[:200])
        assert (await http.post("/regos/webhook/forged-secret", json={"event_id": "e4"})).status_code == 404
        assert (await http.get("/healthz")).json() == {"status": "ok"}  # still serving
    async with app.session_factory() as session:
        assert await session.scalar(select(func.count()).select_from(RegosEvent)) == 0  # nothing stored from them

    # forged buttons: another company's id, a number too big for any column, random bytes
    await owner.send("/members")
    card = await owner.expect("Dilnoza")
    for data in ("co:999999999999999999999", "sw:1:99999999999999999999999", "junk \u00ff:\u0000", "rp:1:x:y"):
        refusal = await owner.press(data=data, forge=True, message_id=card.message_id)
        assert refusal is not None and refusal.get("text"), (data, refusal)  # a refusal, said in words
    await owner.send("/help")  # the bot still answers
    await owner.expect("Commands for you (owner)")

    log = caplog.text
    assert "Traceback" not in log and not [r for r in caplog.records if r.exc_info], log[-3000:]
    for secret_value in (DEMO_TOKEN, FAKE_REGOS_KEY, secret):
        assert secret_value not in log

"""Issue 10: random updates (text, junk commands, random-byte and forged callback data, huge numbers, documents)
driven through the emulator and the dispatcher never end in an unhandled exception or a traceback in the log."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sandbox.stack import RunningBot
from sandbox.telegram.client import SandboxClient, SandboxUser
from tests.e2e.flows import settle, start_company

pytestmark = pytest.mark.filterwarnings("ignore")

COMMANDS = ["/start", "/today", "/sales", "/help", "/company", "/sync", "/members", "/settings", "/regos",
            "/expense", "/cash", "/payroll", "/menu", "/cancel", "/nosuch"]
PREFIXES = ["co", "sw", "st", "rg", "re", "rpp", "rpb", "rpx", "ap", "al", "ex", "el", "es", "ca", "cm", "cl",
            "pr", "mb", "iv", "nc", "ob", "lang"]
HUGE = st.sampled_from(["999999999999999999999", "-99999999999999999999999", "9" * 40, "0", "-1", "1e9", "nan"])
JUNK = st.text(min_size=0, max_size=40)
TEXT = st.one_of(JUNK, st.builds(lambda c, a: f"{c} {a}", st.sampled_from(COMMANDS), st.one_of(JUNK, HUGE)))
CALLBACK = st.one_of(
    st.binary(min_size=1, max_size=60).map(lambda b: b.decode("latin-1")[:60] or "x"),
    st.builds(lambda p, parts: ":".join([p, *parts]), st.sampled_from(PREFIXES),
              st.lists(st.one_of(HUGE, st.integers(-5, 50).map(str), JUNK.map(lambda t: t.replace(":", ""))),
                       max_size=5)),
)
ACTION = st.one_of(
    st.tuples(st.just("text"), TEXT),
    st.tuples(st.just("press"), CALLBACK),
    st.tuples(st.just("document"), st.binary(max_size=200)),
)


class _Failures(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def _fits(data: str) -> bool:
    return 1 <= len(data.encode()) <= 64


async def _act(user: SandboxUser, kind: str, value: Any) -> None:
    if kind == "text":
        await user.send(value if value.strip() else ".")  # Telegram (and the emulator) refuse blank text
    elif kind == "document":
        await user.send_document(value or b"\0", "junk.bin")
    elif _fits(value) and user.last_bot_message is not None:
        await user.press(data=value, message_id=user.last_bot_message.message_id, forge=True, wait=False)


@pytest.fixture
async def fuzz_user(running_bot: RunningBot, sandbox: SandboxClient) -> SandboxUser:
    user = await sandbox.create_user("Fuzz", language_code="en")
    await start_company(user, language="en")
    return user


@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
@given(actions=st.lists(ACTION, min_size=1, max_size=4))
async def test_random_updates_never_fail_unhandled(fuzz_user: SandboxUser, actions: list[tuple[str, Any]]) -> None:
    failures = _Failures()
    root = logging.getLogger()
    root.addHandler(failures)
    try:
        for kind, value in actions:
            await _act(fuzz_user, kind, value)
            await asyncio.sleep(0.05)
        await settle()
        await asyncio.sleep(0.2)
    finally:
        root.removeHandler(failures)
    assert not failures.records, [(r.name, r.getMessage(), r.exc_info and r.exc_info[0]) for r in failures.records]

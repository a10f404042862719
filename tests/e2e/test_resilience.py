"""Failures: unexpected errors are told to the user and roll back; Bot API retries; command menus per language."""

from __future__ import annotations

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from db.models import AuditLog, Company, Membership, TaxRegime
from sandbox.stack import RunningBot
from sandbox.telegram.client import SandboxClient
from tests.e2e.flows import TEXTS, count, start_company


async def test_failure_mid_transaction_is_rolled_back_and_told(
    running_bot: RunningBot, sandbox: SandboxClient, engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    import services.audit

    def broken_audit(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk on fire")

    owner = await sandbox.create_user("Dilnoza", language_code="ru")
    await start_company(owner, language="ru")  # up to the tax regime question
    monkeypatch.setattr(services.audit, "record", broken_audit)
    answer = await owner.press(TEXTS["ru"].regime_buttons[TaxRegime.TURNOVER])
    assert answer and "что-то пошло не так" in answer["text"] and "код" in answer["text"]
    # the company row was flushed before the failure, and rolled back with it
    assert await count(engine, Company) == 0 and await count(engine, Membership) == 0
    assert await count(engine, AuditLog) == 0


async def test_send_retried_on_5xx_and_callback_answer_never_retried(
    running_bot: RunningBot, sandbox: SandboxClient
) -> None:
    user = await sandbox.create_user("Aziz", language_code="en")
    await sandbox.add_fault("sendMessage", error_code=502, count=2, chat_id=user.id)
    await user.send("/start")
    await user.expect("Choose your language")  # delivered after two 502s
    failed = [c for c in await sandbox.calls("sendMessage") if c.get("error_code") == 502]
    assert len(failed) == 2

    await sandbox.add_fault("answerCallbackQuery", error_code=429, retry_after=1, count=1)
    await user.press("🇬🇧 English")
    await user.expect("Language set: English")
    answers = await sandbox.calls("answerCallbackQuery")
    assert len(answers) == 1 and answers[0].get("error_code") == 429


async def test_command_menu_in_every_language(running_bot: RunningBot, sandbox: SandboxClient) -> None:
    user = await sandbox.create_user("Aziz", language_code="en")
    await user.send("/start")
    await user.expect("Choose your language")
    calls = await sandbox.calls("setMyCommands")
    languages = sorted({(c.get("params") or {}).get("language_code") or "" for c in calls})
    assert languages == ["", "en", "ru", "uz"]

"""A person completes onboarding of the real bot through the emulator's web chat in headless Chromium."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from db.engine import create_session_factory
from db.models import Company
from sandbox.stack import RunningBot
from sandbox.telegram.browser import Chromium, WebChat, find_chromium
from sandbox.telegram.client import SandboxClient
from tests.e2e.flows import settle

pytestmark = pytest.mark.skipif(find_chromium() is None, reason="Chromium is not installed (apt-get install chromium)")


async def test_start_and_create_company_in_the_browser(running_bot: RunningBot, sandbox: SandboxClient,
                                                       engine: AsyncEngine) -> None:
    user = await sandbox.create_user("Browser Owner", language_code="en")
    async with Chromium() as browser:
        chat = await WebChat.open(browser, sandbox.base_url, user_id=user.id, timeout=30)
        await chat.send_text("/start")
        await chat.wait_for_bot_text("Choose your language", timeout=20)
        await chat.press_button("🇬🇧 English")
        await chat.wait_for_bot_text("not in a company yet", timeout=20)
        await chat.press_button("Create a company")
        await chat.wait_for_bot_text("What is the company called", timeout=20)
        await chat.send_text("Brauzer Market")
        await chat.wait_for_bot_text("TIN", timeout=20)
        await chat.send_text("305123456")
        await chat.wait_for_bot_text("time zone", timeout=20)
        await chat.press_button("Asia/Tashkent")
        await chat.wait_for_bot_text("tax regime", timeout=20)
        await chat.press_button("Turnover tax")
        done = await chat.wait_for_bot_text("is created", timeout=20)
        assert "Brauzer Market" in done
        await chat.press_reply_button("❓ Help")
        await chat.wait_for_bot_text("Commands for you (owner)", timeout=20)
    await settle()
    async with create_session_factory(engine)() as session:
        assert (await session.scalars(select(Company.name))).all() == ["Brauzer Market"]

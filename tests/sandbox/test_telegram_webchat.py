"""The web chat in headless Chromium: a person types, the bot's reply appears, buttons work."""

import html

import pytest
from aiogram import Dispatcher, F
from aiogram.filters import Command
from aiogram.types import (
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    Message,
    ReplyKeyboardMarkup,
)

from sandbox.telegram import SandboxClient, TelegramEmulator
from sandbox.telegram.browser import Chromium, WebChat, find_chromium, start_via_web_chat
from sandbox.telegram.testing import TEST_TOKEN, close_bot, make_bot, polling

pytestmark = pytest.mark.skipif(
    find_chromium() is None, reason="Chromium is not installed (apt-get install -y chromium) and CHROMIUM_PATH is unset"
)


def build_dispatcher() -> Dispatcher:
    dp = Dispatcher()

    @dp.message(Command("keyboard"))
    async def keyboard(message: Message) -> None:
        await message.answer("Pick one", reply_markup=ReplyKeyboardMarkup(
            keyboard=[[KeyboardButton(text="📊 Summary")]], resize_keyboard=True))

    @dp.message(F.text)
    async def echo(message: Message) -> None:
        like = InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(text="👍 Like", callback_data="like")]])
        await message.answer(f"<b>Echo</b>: {html.escape(message.text or '')}", parse_mode="HTML", reply_markup=like)

    @dp.callback_query(F.data == "like")
    async def liked(callback: CallbackQuery) -> None:
        await callback.answer("Liked!")

    return dp


@pytest.fixture
async def running_bot():
    emulator = TelegramEmulator()
    base_url = await emulator.start()
    bot = make_bot(base_url, TEST_TOKEN)
    async with SandboxClient(base_url) as sandbox:
        await sandbox.register_bot(TEST_TOKEN)
        async with polling(build_dispatcher(), bot):
            yield base_url, sandbox
    await close_bot(bot)
    await emulator.stop()


async def test_typing_in_the_web_chat_shows_the_bot_reply(running_bot):
    base_url, sandbox = running_bot
    user = await sandbox.create_user("Browser", language_code="uz")
    async with Chromium() as browser:
        chat = await WebChat.open(browser, base_url, user_id=user.id)
        await chat.send_text("salom <script>alert(1)</script>")
        shown = await chat.wait_for_bot_text("Echo: salom")
        assert shown == "Echo: salom <script>alert(1)</script>"
        # Bot formatting is rendered as elements; the user's markup stays text.
        rendered = await chat.bot_html("Echo: salom")
        assert rendered is not None and rendered.startswith("<b>Echo</b>")
        assert "<script>" not in rendered and "&lt;script&gt;" in rendered
        await chat.press_button("👍 Like")
        assert await chat.toast_text() == "Liked!"
        await chat.send_text("/keyboard")
        await chat.wait_for_bot_text("Pick one")
        await chat.press_reply_button("📊 Summary")
        await chat.wait_for_bot_text("Echo: 📊 Summary")
        assert not [line for line in chat.page.console if line.startswith("uncaught")]
    texts = [message.text for message in await user.messages() if not message.from_bot]
    assert texts == ["salom <script>alert(1)</script>", "/keyboard", "📊 Summary"]


async def test_start_via_web_chat_helper(running_bot):
    base_url, sandbox = running_bot
    user = await sandbox.create_user("Helper")
    reply = await start_via_web_chat(base_url, user.id, command="/start")
    assert reply == "Echo: /start"

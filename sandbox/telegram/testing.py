"""Helpers for tests that run an aiogram bot against the emulator.

    async with TelegramEmulator() as emulator, SandboxClient(emulator.base_url) as sandbox:
        await sandbox.register_bot(TOKEN)
        bot = make_bot(emulator.base_url, TOKEN)
        async with polling(dispatcher, bot):
            user = await sandbox.create_user("Ali")
            await user.send("/start")
            await user.expect("Xush kelibsiz")
        await close_bot(bot)
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer

TEST_TOKEN = "123456789:AAE-sandbox_test_token"


def make_bot(base_url: str, token: str = TEST_TOKEN, **kwargs: Any) -> Bot:
    """An aiogram Bot whose requests go to the emulator at `base_url`."""
    session = AiohttpSession(api=TelegramAPIServer.from_base(base_url))
    return Bot(token, session=session, **kwargs)


async def close_bot(bot: Bot) -> None:
    """Close the bot's HTTP session without aiogram's 250 ms TLS grace period: the emulator speaks plain HTTP,
    and the pause adds up over a test suite."""
    http = getattr(bot.session, "_session", None)  # aiohttp.ClientSession, created lazily by AiohttpSession
    if http is not None and hasattr(http, "closed"):
        if not http.closed:
            await http.close()
        return
    await bot.session.close()


@contextlib.asynccontextmanager
async def polling(dispatcher: Dispatcher, bot: Bot, *, polling_timeout: int = 1, **kwargs: Any) -> AsyncIterator[None]:
    """Run `dispatcher.start_polling(bot)` in the background for the duration of the block.

    A short polling_timeout keeps shutdown quick; the bot's session is left open for the caller to close.
    """
    task = asyncio.create_task(
        dispatcher.start_polling(
            bot, handle_signals=False, close_bot_session=False, polling_timeout=polling_timeout, **kwargs
        )
    )
    try:
        yield
    finally:
        await _stop_polling(dispatcher, task)


async def _stop_polling(dispatcher: Dispatcher, task: asyncio.Task[None]) -> None:
    # stop_polling() refuses until start_polling() has taken its lock, which happens on the first loop turn.
    for _ in range(200):
        if task.done():
            break
        try:
            await dispatcher.stop_polling()
            break
        except RuntimeError:
            await asyncio.sleep(0.01)
    if not task.done():
        task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task

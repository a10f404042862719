"""The broadcaster against the emulator with Telegram's limits on: paced, 429-tolerant, blocked chats marked."""

from __future__ import annotations

from aiogram import Bot

from bot.broadcaster import Broadcaster, Outgoing
from sandbox.telegram.client import SandboxClient
from sandbox.telegram.server import TelegramEmulator
from sandbox.telegram.testing import close_bot, make_bot


def _text(chat_id: int, text: str) -> Outgoing:
    async def send(bot: Bot) -> None:
        await bot.send_message(chat_id, text)

    return Outgoing(chat_id=chat_id, send=send, key=text)


async def test_paced_delivery_with_limits_blocked_and_faults(emulator: TelegramEmulator,
                                                             sandbox: SandboxClient) -> None:
    bot = make_bot(emulator.base_url, token="700000003:BROADCAST")
    await bot.get_me()
    users = [await sandbox.create_user(f"U{i}") for i in range(4)]
    for user in users:
        await user.send("/start")  # a bot cannot write first
    await users[3].block()
    await sandbox.set_limits(per_chat_per_sec=1, global_per_sec=30, retry_after=1)
    await sandbox.add_fault("sendMessage", error_code=502, count=1, chat_id=users[0].id)
    blocked: list[int] = []

    async def on_blocked(chat_id: int) -> None:
        blocked.append(chat_id)

    try:
        items = [_text(user.id, f"m{n}") for n in range(3) for user in users]
        report = await Broadcaster(bot, global_rate=25, per_chat_interval=1.0, on_blocked=on_blocked).send_all(items)
    finally:
        await close_bot(bot)
    assert report.count("sent") == 9 and report.count("blocked") == 3 and report.count("failed") == 0
    assert blocked == [users[3].id] * 3
    assert report.elapsed >= 2.0  # three messages per chat at 1/s
    for user in users[:3]:
        texts = [m.text for m in await user.messages() if m.from_bot]
        assert texts == ["m0", "m1", "m2"]  # in order, exactly once each
    refused = [c for c in await sandbox.calls("sendMessage") if not c.get("ok") and c.get("error_code") == 429]
    # The broadcaster paces itself within the limits; on a loaded machine a rare 429 is retried, never lost.
    assert len(refused) <= 2 and report.retries_429 == len(refused)

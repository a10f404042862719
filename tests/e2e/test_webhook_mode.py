"""Webhook mode end to end: the emulator pushes updates to the bot's aiohttp server with the secret header."""

from __future__ import annotations

import asyncio

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.factory import build_app
from bot.runner import ensure_webhook, run_webhook
from sandbox.stack import sandbox_settings
from sandbox.telegram.client import SandboxClient
from sandbox.telegram.server import TelegramEmulator
from tests.helpers import database_url_for, free_port


async def test_webhook_mode_round_trip(emulator: TelegramEmulator, sandbox: SandboxClient,
                                       engine: AsyncEngine) -> None:
    port = free_port()
    settings = sandbox_settings(
        emulator.base_url, database_url_for(engine), webhook_url=f"http://127.0.0.1:{port}",
        webhook_secret="s3cret-webhook-token", webhook_host="127.0.0.1", webhook_port=port,
    )
    app = build_app(settings, engine=engine)
    stop = asyncio.Event()
    server = asyncio.create_task(run_webhook(app, stop=stop))
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as http:
            for _ in range(100):
                try:
                    if (await http.get("/healthz")).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                await asyncio.sleep(0.1)
            health = await http.get("/healthz")
            assert health.json() == {"status": "ok"}
            forged = await http.post(settings.webhook_path, json={"update_id": 1},
                                     headers={"X-Telegram-Bot-Api-Secret-Token": "wrong"})
            assert forged.status_code == 401

        info = await app.bot.get_webhook_info()
        assert info.url == f"http://127.0.0.1:{port}/telegram/webhook"
        # a second replica starting with the same options does not call setWebhook again
        assert await ensure_webhook(app) is False
        assert len(await sandbox.calls("setWebhook")) == 1

        user = await sandbox.create_user("Webhook User", language_code="en")
        await user.send("/start")
        await user.expect("Choose your language")
        await user.press("🇬🇧 English")
        await user.expect("not in a company yet")
    finally:
        stop.set()
        await asyncio.wait_for(server, timeout=30)

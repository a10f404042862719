"""Push mode: POST each pending update to the bot's webhook, the way Telegram does.

Updates go out one at a time and in order (Telegram may run up to max_connections in parallel; one at a time
keeps tests deterministic). A non-2xx answer or a connection error leaves the update queued and retries it
with exponential backoff; getWebhookInfo shows the last error. A 2xx answer may carry a Bot API call in its
body ({"method": ..., ...} as JSON or multipart), which is executed as Telegram executes it.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp

from .models import BotAccount
from .params import Params, read_multipart
from .state import EmulatorState

log = logging.getLogger(__name__)

Executor = Callable[[BotAccount, str, Params], Awaitable[dict[str, Any]]]


class WebhookDeliverer:
    def __init__(self, state: EmulatorState, execute: Executor) -> None:
        self.state = state
        self.execute = execute
        self._tasks: dict[int, asyncio.Task[None]] = {}

    def ensure_running(self, bot: BotAccount) -> None:
        task = self._tasks.get(bot.id)
        if task is None or task.done():
            self._tasks[bot.id] = asyncio.get_running_loop().create_task(
                self._deliver_forever(bot.id), name=f"webhook-delivery-{bot.id}"
            )

    async def stop(self) -> None:
        tasks = list(self._tasks.values())
        self._tasks.clear()
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _deliver_forever(self, bot_id: int) -> None:
        delay = self.state.settings.webhook_retry_initial
        while not self.state.closing:
            bot = self.state.bots.get(bot_id)
            if bot is None or bot.webhook is None:
                return
            if not bot.pending:
                await self.state.updates_changed.wait(30)
                continue
            update = bot.pending[0]
            error = await self._post(bot, update)
            if error is None:
                # The queue may have been dropped or reset meanwhile; only remove what was delivered.
                if bot.pending and bot.pending[0] is update:
                    bot.pending.pop(0)
                    self.state.updates_changed.notify()
                delay = self.state.settings.webhook_retry_initial
                continue
            if bot.webhook is not None:
                bot.webhook.last_error_date = int(time.time())
                bot.webhook.last_error_message = error
            log.info("webhook delivery to bot %s failed (%s); retrying in %.1fs", bot_id, error, delay)
            await asyncio.sleep(delay)
            delay = min(delay * 2, self.state.settings.webhook_retry_max)

    async def _post(self, bot: BotAccount, update: dict[str, Any]) -> str | None:
        """Deliver one update; None on success, else the error Telegram would report."""
        webhook = bot.webhook
        session = self.state.http
        if webhook is None or session is None:
            return "Webhook is not set"
        headers = {"Content-Type": "application/json"}
        if webhook.secret_token:
            headers["X-Telegram-Bot-Api-Secret-Token"] = webhook.secret_token
        timeout = aiohttp.ClientTimeout(total=self.state.settings.webhook_timeout)
        try:
            async with session.post(
                webhook.url, data=json.dumps(update, ensure_ascii=False).encode(), headers=headers, timeout=timeout
            ) as response:
                if not 200 <= response.status < 300:
                    return f"Wrong response from the webhook: {response.status} {response.reason or ''}".strip()
                await self._run_reply_method(bot, response)
                return None
        except TimeoutError:
            return "Read timeout expired"
        except aiohttp.ClientConnectorError:
            return "Connection refused"
        except aiohttp.ClientError as error:
            return f"Connection error: {error}"

    async def _run_reply_method(self, bot: BotAccount, response: aiohttp.ClientResponse) -> None:
        content_type = response.content_type
        try:
            if content_type == "application/json":
                body = await response.json(content_type=None)
                if not isinstance(body, dict) or "method" not in body:
                    return
                params = Params({k: v for k, v in body.items() if k != "method"})
                name = str(body["method"])
            elif content_type.startswith("multipart/"):
                values, files = await read_multipart(aiohttp.MultipartReader(response.headers, response.content))
                if "method" not in values:
                    return
                name = str(values.pop("method"))
                params = Params(values, files)
            else:
                return
        except (ValueError, aiohttp.ClientError):
            return  # Telegram ignores a reply it cannot read
        await self.execute(bot, name, params)

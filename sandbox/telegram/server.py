"""The emulator as one aiohttp application: Bot API, control API, web chat."""

from __future__ import annotations

import logging
from pathlib import Path
from types import TracebackType
from typing import Any

import aiohttp
from aiohttp import web

from .botapi import BotApi, is_bot_api_method
from .control import ControlApi, control_errors
from .models import BotAccount
from .params import Params
from .state import EmulatorState, Settings
from .webhook import WebhookDeliverer

log = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).with_name("static")
# Telegram takes uploads up to 50 MB; leave room for the multipart framing and base64 in control requests.
MAX_REQUEST_SIZE = 80 * 1024 * 1024


class TelegramEmulator:
    """A fake Telegram Bot API server with a control API and a web chat.

    >>> emulator = TelegramEmulator()
    >>> base = await emulator.start()          # e.g. "http://127.0.0.1:41234"
    >>> bot = Bot(token, session=AiohttpSession(api=TelegramAPIServer.from_base(base)))
    >>> await emulator.stop()
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        bot_tokens: tuple[str, ...] | list[str] = (),
        callback_query_ttl: float | None = 15.0,
        webhook_retry_initial: float = 0.5,
        webhook_retry_max: float = 10.0,
        webhook_timeout: float = 60.0,
    ) -> None:
        self.host = host
        self.port = port
        self.state = EmulatorState(
            settings=Settings(
                callback_query_ttl=callback_query_ttl,
                webhook_retry_initial=webhook_retry_initial,
                webhook_retry_max=webhook_retry_max,
                webhook_timeout=webhook_timeout,
            )
        )
        for token in bot_tokens:
            self.state.register_bot(token)
        self.bot_api = BotApi(self.state)
        self.control_api = ControlApi(self.state)
        self.webhooks = WebhookDeliverer(self.state, self._execute_webhook_reply)
        self.state.on_webhook_set = self._webhook_set
        self.app = self._make_app()
        self._runner: web.AppRunner | None = None
        self._base_url: str | None = None

    @property
    def base_url(self) -> str:
        """The base to give aiogram's TelegramAPIServer.from_base() and the SandboxClient."""
        if self._base_url is None:
            raise RuntimeError("the emulator is not running; await start() first")
        return self._base_url

    async def start(self) -> str:
        if self._runner is not None:
            return self.base_url
        self.state.closing = False
        self.state.http = aiohttp.ClientSession()
        # handler_cancellation: a long poll whose client went away stops waiting at once.
        runner = web.AppRunner(self.app, handler_cancellation=True, shutdown_timeout=1.0, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, self.host, self.port)
        await site.start()
        self._runner = runner
        host, port = runner.addresses[0][:2]
        self.port = port
        shown_host = "127.0.0.1" if host in ("0.0.0.0", "") else ("[::1]" if host == "::" else host)
        self._base_url = f"http://{shown_host}:{port}"
        for bot in self.state.bots.values():
            if bot.webhook is not None:
                self.webhooks.ensure_running(bot)
        log.info("Telegram emulator listening on %s", self._base_url)
        return self._base_url

    async def stop(self) -> None:
        self.state.closing = True
        self.state.chat_changed.notify()
        self.state.updates_changed.notify()
        await self.webhooks.stop()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        if self.state.http is not None:
            await self.state.http.close()
            self.state.http = None
        self._base_url = None

    async def __aenter__(self) -> TelegramEmulator:
        await self.start()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.stop()

    # ------------------------------------------------------------------------------------ app

    def _make_app(self) -> web.Application:
        app = web.Application(client_max_size=MAX_REQUEST_SIZE, middlewares=[control_errors])
        self.bot_api.add_routes(app)
        self.control_api.add_routes(app)
        app.router.add_get("/", self._index)
        app.router.add_static("/static/", STATIC_DIR, append_version=False)
        return app

    async def _index(self, request: web.Request) -> web.StreamResponse:
        response = web.FileResponse(STATIC_DIR / "index.html")
        response.headers["Cache-Control"] = "no-store"
        return response

    def _webhook_set(self, bot: BotAccount) -> None:
        self.webhooks.ensure_running(bot)

    async def _execute_webhook_reply(self, bot: BotAccount, name: str, params: Params) -> dict[str, Any]:
        if not is_bot_api_method(name):
            return {"ok": False, "error_code": 404, "description": "Not Found"}
        return await self.bot_api.execute(bot, name, params, via="webhook_reply")

"""Run modes: long polling, and the webhook HTTP server (aiohttp) with a health check."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import hmac
import json
import logging
import re
import signal
from typing import Any

from aiogram import Bot
from aiohttp import web
from aiohttp.web_log import AccessLogger
from sqlalchemy import select, text

from bot.factory import App, set_bot_commands
from bot.scheduler import Scheduler
from db.migrate import ensure_up_to_date
from db.models import AppState
from services.masking import mask_secret
from services.sms.callbacks import add_callback_route as add_sms_callback_route
from services.sms.urls import resolve_callback_url as resolve_sms_callback_url
from services.sync.events import handle_webhook

log = logging.getLogger(__name__)
WEBHOOK_STATE_KEY = "telegram.webhook"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
APP_KEY = web.AppKey("smartsavdo_app", App)


async def prepare(app: App) -> None:
    """Start-up checks shared by every mode: the schema is current and the token is accepted."""
    await ensure_up_to_date(app.engine)
    app.settings.require_secret_key()  # stored REGOS keys are encrypted with it
    me = await app.bot.get_me()
    log.info("bot @%s (id %s) ready", me.username, me.id)
    await set_bot_commands(app.bot)


def start_scheduler(app: App) -> Scheduler:
    scheduler = Scheduler.from_registry(app.job_context(), app.jobs)
    scheduler.start()
    return scheduler


async def run_polling(app: App, *, handle_signals: bool = True, with_scheduler: bool | None = None) -> None:
    await prepare(app)
    await app.bot.delete_webhook(drop_pending_updates=False)
    app.start()
    in_process = app.settings.scheduler_in_process if with_scheduler is None else with_scheduler
    scheduler = start_scheduler(app) if in_process else None
    http = None
    if app.settings.http_port:  # /healthz and REGOS webhooks beside long polling
        http = await start_http_server(app, app.settings.webhook_host, app.settings.http_port, telegram=False)
    try:
        await app.dispatcher.start_polling(
            app.bot,
            allowed_updates=app.dispatcher.resolve_used_update_types(),
            handle_signals=handle_signals,
            close_bot_session=False,
        )
    finally:
        if scheduler is not None:
            scheduler.shutdown()
        if http is not None:
            await http.cleanup()
        await app.close()


def stop_on_signals(stop: asyncio.Event | None = None) -> asyncio.Event:
    """An event set by SIGTERM or SIGINT: the graceful way out of every long-running mode."""
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
    return stop


async def run_scheduler(app: App, *, stop: asyncio.Event | None = None) -> None:
    """The scheduler as its own process (`python -m bot scheduler`), beside webhook replicas."""
    await ensure_up_to_date(app.engine)
    app.start()
    scheduler = start_scheduler(app)
    stop = stop_on_signals(stop)
    try:
        await stop.wait()
    finally:
        scheduler.shutdown()
        await app.close()


def _webhook_options(app: App) -> dict[str, Any]:
    settings = app.settings
    assert settings.webhook_url is not None
    return {
        "url": settings.webhook_url + settings.webhook_path,
        "allowed_updates": sorted(app.dispatcher.resolve_used_update_types()),
        "secret_token": settings.webhook_secret.get_secret_value() if settings.webhook_secret else None,
    }


async def ensure_webhook(app: App) -> bool:
    """Calls setWebhook only when the URL or options changed, so replicas starting together don't fight."""
    options = _webhook_options(app)
    digest = hashlib.sha256(json.dumps(options, sort_keys=True).encode()).hexdigest()
    info = await app.bot.get_webhook_info()
    async with app.session_factory() as session:
        stored = await session.get(AppState, WEBHOOK_STATE_KEY)
        if stored is not None and stored.value == digest and info.url == options["url"]:
            return False
        await app.bot.set_webhook(**options)
        if stored is None:
            session.add(AppState(key=WEBHOOK_STATE_KEY, value=digest))
        else:
            stored.value = digest
        await session.commit()
    log.info("webhook set to %s", options["url"])
    return True


async def _telegram_update(request: web.Request) -> web.Response:
    app = request.app[APP_KEY]
    expected = app.settings.webhook_secret.get_secret_value() if app.settings.webhook_secret else ""
    given = request.headers.get(SECRET_HEADER, "")
    if expected and not hmac.compare_digest(given.encode(), expected.encode()):
        return web.Response(status=401, text="bad secret")
    try:
        update = await request.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return web.Response(status=400, text="bad json")
    # Telegram gets its 200 at once; the update is handled in the background and awaited on shutdown.
    app.spawn(_feed(app, app.bot, update), name=f"update-{update.get('update_id')}")
    return web.Response(text="ok")


async def _feed(app: App, bot: Bot, update: dict[str, Any]) -> None:
    try:
        await app.dispatcher.feed_raw_update(bot, update)
    except Exception:
        log.exception("webhook update %s failed", update.get("update_id"))


async def _health(request: web.Request) -> web.Response:
    app = request.app[APP_KEY]
    try:
        async with app.engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
    except Exception as error:
        return web.json_response({"status": "fail", "database": str(type(error).__name__)}, status=503)
    return web.json_response({"status": "ok"})


REGOS_WEBHOOK_PATH = "/regos/webhook/{secret}"
_ACK_STATUS = {"accepted": 200, "duplicate": 200, "unknown_secret": 404, "bad_request": 400}


async def _regos_event(request: web.Request) -> web.Response:
    """REGOS events: the secret in the URL names the company; stored at once, processed in the background."""
    app = request.app[APP_KEY]
    if app.secret_box is None:
        return web.Response(status=503, text="not configured")
    body = await request.read()
    ack = await handle_webhook(app.session_factory, request.match_info["secret"], body, app.secret_box,
                               spawn=app.spawn, header_integration_id=request.headers.get("connected-integration-id"))
    return web.json_response({"status": ack.status}, status=_ACK_STATUS.get(ack.status, 200))


def build_web_app(app: App, *, telegram: bool = True) -> web.Application:
    web_app = web.Application(client_max_size=2 * 1024 * 1024)
    web_app[APP_KEY] = app
    if telegram:
        web_app.router.add_post(app.settings.webhook_path, _telegram_update)
    web_app.router.add_post(REGOS_WEBHOOK_PATH, _regos_event)
    web_app.router.add_get("/healthz", _health)
    # Eskiz delivery reports (a secret path derived from SECRET_KEY, or ESKIZ_CALLBACK_URL's path).
    add_sms_callback_route(web_app.router, app.session_factory, resolve_sms_callback_url(app.settings))
    return web_app


_SECRET_PATH = re.compile(r"(/regos/webhook/)([^/?\s\"]+)")


def mask_secret_paths(text: str) -> str:
    """`/regos/webhook/<secret>` with the secret masked as every other secret is (a short prefix)."""
    return _SECRET_PATH.sub(lambda match: match.group(1) + mask_secret(match.group(2)), text)


class MaskingAccessLogger(AccessLogger):
    """aiohttp's access log with the REGOS webhook secret in the path masked."""

    def log(self, request: web.BaseRequest, response: web.StreamResponse, time: float) -> None:
        if "/regos/webhook/" not in request.path:
            super().log(request, response, time)
            return
        super().log(_MaskedRequest(request), response, time)  # type: ignore[arg-type]


class _MaskedRequest:
    """What the access log reads of a request, with the secret in its path masked."""

    def __init__(self, request: web.BaseRequest) -> None:
        self._request = request
        self.path = mask_secret_paths(request.path)
        self.path_qs = mask_secret_paths(request.path_qs)
        self.raw_path = mask_secret_paths(request.raw_path)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._request, name)


async def start_http_server(app: App, host: str, port: int, *, telegram: bool) -> web.AppRunner:
    runner = web.AppRunner(build_web_app(app, telegram=telegram), handle_signals=False,
                           access_log_class=MaskingAccessLogger)
    await runner.setup()
    await web.TCPSite(runner, host, port).start()
    log.info("HTTP server on %s:%s", host, port)
    return runner


async def run_webhook(app: App, *, stop: asyncio.Event | None = None) -> None:
    if not app.settings.webhook_url:
        from core.config import ConfigError

        raise ConfigError("WEBHOOK_URL is not set: the public https URL Telegram should post updates to")
    await prepare(app)
    await ensure_webhook(app)
    app.start()
    dispatcher = app.dispatcher
    workflow = {"dispatcher": dispatcher, "bots": [app.bot], **dispatcher.workflow_data}
    await dispatcher.emit_startup(bot=app.bot, **workflow)
    runner = await start_http_server(app, app.settings.webhook_host, app.settings.webhook_port, telegram=True)
    stop = stop_on_signals(stop)
    try:
        await stop.wait()
    finally:
        log.info("stopping: no new updates accepted, finishing in-flight ones")
        for site in list(runner.sites):
            await site.stop()
        await dispatcher.emit_shutdown(bot=app.bot, **workflow)
        await runner.cleanup()
        await app.close()


async def stored_webhook_digest(app: App) -> str | None:
    async with app.session_factory() as session:
        return await session.scalar(select(AppState.value).where(AppState.key == WEBHOOK_STATE_KEY))

"""The app factory: Bot (session, retries, API server), Dispatcher (storage, middlewares, routers), and what the
app owns for everyone: the SecretBox (built once), `spawn()` for long work, the outbox sender and the jobs."""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.telegram import PRODUCTION, TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.fsm.storage.base import BaseEventIsolation, BaseStorage, DefaultKeyBuilder
from aiogram.fsm.storage.memory import MemoryStorage, SimpleEventIsolation
from aiogram.types import BotCommand, BotCommandScopeDefault
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from sqlalchemy.orm import Session

from bot.background import BackgroundTasks
from bot.i18n import build_i18n_middleware
from bot.inline_filters import run_sync_filters_inline
from bot.jobs import all_jobs
from bot.middlewares import CapabilityGuard, CurrentUserMiddleware, DbSessionMiddleware
from bot.outbox import OutboxSender
from bot.scheduler import JobContext, JobRegistry
from bot.session import PinnedResponseSession, RetryRequestMiddleware
from core.config import TELEGRAM_PRODUCTION_API, Settings
from core.i18n import translate
from db.engine import create_engine, create_session_factory
from handlers import get_routers
from handlers.common import COMMANDS
from handlers.kit import CallbackAnswers, CallbackScope
from services.crypto import SecretBox
from services.locale import SUPPORTED_LOCALES
from services.outbox import ENQUEUED_FLAG

log = logging.getLogger(__name__)


def build_bot(settings: Settings, token: str | None = None) -> Bot:
    api = PRODUCTION
    if settings.telegram_api_base != TELEGRAM_PRODUCTION_API:
        api = TelegramAPIServer.from_base(settings.telegram_api_base)
    session = PinnedResponseSession(api=api)
    session.middleware(RetryRequestMiddleware())
    return Bot(
        token or settings.require_bot_token(),
        session=session,
        default=DefaultBotProperties(parse_mode=ParseMode.HTML, link_preview_is_disabled=True),
    )


def build_storage(settings: Settings) -> tuple[BaseStorage, BaseEventIsolation]:
    """Memory FSM by default; with REDIS_URL, Redis storage and per-user event isolation (several replicas)."""
    if settings.redis_url:
        from aiogram.fsm.storage.redis import RedisEventIsolation, RedisStorage

        storage = RedisStorage.from_url(
            settings.redis_url, key_builder=DefaultKeyBuilder(with_bot_id=True, with_destiny=True)
        )
        return storage, RedisEventIsolation(storage.redis, key_builder=storage.key_builder)
    # Updates of one user are handled one at a time, so a reply never races the commit of the previous one.
    return MemoryStorage(), SimpleEventIsolation()


@dataclass
class App:
    """Everything a run mode needs, built once; `close()` releases it all."""

    settings: Settings
    bot: Bot
    dispatcher: Dispatcher
    engine: AsyncEngine
    session_factory: async_sessionmaker[AsyncSession]
    secret_box: SecretBox | None
    background: BackgroundTasks
    outbox: OutboxSender
    jobs: JobRegistry

    def spawn(self, work: Coroutine[Any, Any, Any], /, *, name: str | None = None) -> asyncio.Task[Any]:
        """Long work that outlives an update (a REGOS event, a webhook update); `close()` awaits it."""
        return self.background.spawn(work, name=name)

    def job_context(self) -> JobContext:
        return JobContext(self.session_factory, self.settings, self.secret_box, self.spawn, self.outbox)

    def start(self) -> None:
        """Background services of a long-running mode: the outbox sender (it first sends what a previous run left)."""
        self.outbox.start()

    async def close(self) -> None:
        await self.background.drain(grace=25)  # spawned work may still queue messages
        ocr = sys.modules.get("services.ocr.document")  # loaded only once an invoice was read
        if ocr is not None:
            await asyncio.to_thread(ocr.close_default_pool)  # its worker processes end with the bot
        await self.outbox.stop()
        await self.dispatcher.storage.close()
        await self.bot.session.close()
        await self.engine.dispose()


def secret_box_for(settings: Settings) -> SecretBox | None:
    return SecretBox(settings.secret_key.get_secret_value()) if settings.secret_key else None


def kick_after_commit(session_factory: async_sessionmaker[AsyncSession], kick: Callable[[], None]) -> None:
    """The app's sessions wake the outbox sender when a transaction that queued messages commits."""

    class AppSession(Session):
        pass

    def committed(session: Session) -> None:
        if session.info.pop(ENQUEUED_FLAG, False):
            kick()

    def rolled_back(session: Session) -> None:
        session.info.pop(ENQUEUED_FLAG, None)

    event.listen(AppSession, "after_commit", committed)
    event.listen(AppSession, "after_rollback", rolled_back)
    session_factory.configure(sync_session_class=AppSession)


def build_dispatcher(
    settings: Settings, session_factory: async_sessionmaker[AsyncSession], *, secret_box: SecretBox | None,
    **workflow_data: Any,
) -> Dispatcher:
    storage, isolation = build_storage(settings)
    dispatcher = Dispatcher(storage=storage, events_isolation=isolation, settings=settings, secret_box=secret_box,
                            session_factory=session_factory, **workflow_data)
    # Order matters: the session opens first, the user is loaded in it, then i18n reads the user's language.
    dispatcher.update.outer_middleware(DbSessionMiddleware(session_factory))
    dispatcher.update.outer_middleware(CurrentUserMiddleware())
    build_i18n_middleware(settings.default_locale).setup(dispatcher)
    # Buttons: answered once (kit.CallbackAnswers), then their company and flow checked (kit.CallbackScope),
    # then the handler's capability flag; a refusal from any of them is told by the errors router.
    dispatcher.callback_query.middleware(CallbackAnswers())
    dispatcher.callback_query.middleware(CallbackScope())
    dispatcher.callback_query.middleware(CapabilityGuard())
    dispatcher.message.middleware(CapabilityGuard())
    dispatcher.include_routers(*get_routers())
    run_sync_filters_inline(dispatcher)
    return dispatcher


def build_app(settings: Settings, *, engine: AsyncEngine | None = None, token: str | None = None) -> App:
    engine = engine or create_engine(settings.database_url)
    session_factory = create_session_factory(engine)
    bot = build_bot(settings, token)
    secret_box = secret_box_for(settings)
    background = BackgroundTasks()
    outbox = OutboxSender(session_factory, bot)
    kick_after_commit(session_factory, outbox.kick)
    dispatcher = build_dispatcher(settings, session_factory, secret_box=secret_box, spawn=background.spawn)
    app = App(settings=settings, bot=bot, dispatcher=dispatcher, engine=engine, session_factory=session_factory,
              secret_box=secret_box, background=background, outbox=outbox, jobs=all_jobs())
    dispatcher["app"] = app
    dispatcher.shutdown.register(_finish_in_flight)
    return app


async def _finish_in_flight(dispatcher: Dispatcher, app: App) -> None:
    """Graceful shutdown: let updates already being handled, and the work they spawned, finish."""
    current = asyncio.current_task()
    pending = {task for task in getattr(dispatcher, "_handle_update_tasks", set()) if task is not current}
    if pending:
        log.info("waiting for %d in-flight updates", len(pending))
        await asyncio.wait(pending, timeout=25)
    await app.background.drain(grace=25)  # webhook updates, REGOS events being processed


async def set_bot_commands(bot: Bot) -> None:
    """The command menu per language; Telegram shows the one matching the user's app language."""
    for locale in SUPPORTED_LOCALES:
        commands = [BotCommand(command=spec.name, description=translate(locale, spec.description_key))
                    for spec in COMMANDS]
        await bot.set_my_commands(commands, scope=BotCommandScopeDefault(),
                                  language_code=None if locale == "uz" else locale)
        if locale == "uz":
            await bot.set_my_commands(commands, scope=BotCommandScopeDefault(), language_code="uz")

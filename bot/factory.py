"""The app factory: Bot (session, retries, API server) and Dispatcher (storage, middlewares, routers)."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import PRODUCTION, TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.fsm.storage.base import BaseEventIsolation, BaseStorage, DefaultKeyBuilder
from aiogram.fsm.storage.memory import MemoryStorage, SimpleEventIsolation
from aiogram.types import BotCommand, BotCommandScopeDefault
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.i18n import build_i18n_middleware
from bot.middlewares import CurrentUserMiddleware, DbSessionMiddleware, RoleGuardMiddleware
from bot.session import RetryRequestMiddleware
from core.config import TELEGRAM_PRODUCTION_API, Settings
from core.i18n import translate
from db.engine import create_engine, create_session_factory
from handlers import get_routers
from handlers.common import COMMANDS
from services.crypto import SecretBox
from services.locale import SUPPORTED_LOCALES
from services.sync.events import drain_background_tasks

log = logging.getLogger(__name__)


def build_bot(settings: Settings, token: str | None = None) -> Bot:
    api = PRODUCTION
    if settings.telegram_api_base != TELEGRAM_PRODUCTION_API:
        api = TelegramAPIServer.from_base(settings.telegram_api_base)
    session = AiohttpSession(api=api)
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
    background: set[asyncio.Task[Any]] = field(default_factory=set)

    async def close(self) -> None:
        await self.dispatcher.storage.close()
        await self.bot.session.close()
        await self.engine.dispose()


def build_dispatcher(
    settings: Settings, session_factory: async_sessionmaker[AsyncSession], **workflow_data: Any
) -> Dispatcher:
    storage, isolation = build_storage(settings)
    secret_box = SecretBox(settings.secret_key.get_secret_value()) if settings.secret_key else None
    dispatcher = Dispatcher(storage=storage, events_isolation=isolation, settings=settings, secret_box=secret_box,
                            session_factory=session_factory, **workflow_data)
    # Order matters: the session opens first, the user is loaded in it, then i18n reads the user's language.
    dispatcher.update.outer_middleware(DbSessionMiddleware(session_factory))
    dispatcher.update.outer_middleware(CurrentUserMiddleware())
    build_i18n_middleware(settings.default_locale).setup(dispatcher)
    dispatcher.message.middleware(RoleGuardMiddleware())
    dispatcher.callback_query.middleware(RoleGuardMiddleware())
    dispatcher.include_routers(*get_routers())
    return dispatcher


def build_app(settings: Settings, *, engine: AsyncEngine | None = None, token: str | None = None) -> App:
    engine = engine or create_engine(settings.database_url)
    session_factory = create_session_factory(engine)
    bot = build_bot(settings, token)
    dispatcher = build_dispatcher(settings, session_factory)
    app = App(settings=settings, bot=bot, dispatcher=dispatcher, engine=engine, session_factory=session_factory)
    dispatcher["app"] = app
    dispatcher.shutdown.register(_finish_in_flight)
    return app


async def _finish_in_flight(dispatcher: Dispatcher, app: App) -> None:
    """Graceful shutdown: let updates already being handled finish before sessions close."""
    pending = set(app.background) | set(getattr(dispatcher, "_handle_update_tasks", set()))
    pending.discard(asyncio.current_task())  # type: ignore[arg-type]
    if pending:
        log.info("waiting for %d in-flight updates", len(pending))
        await asyncio.wait(pending, timeout=25)
    await asyncio.wait_for(drain_background_tasks(), timeout=25)  # REGOS events being processed


async def set_bot_commands(bot: Bot) -> None:
    """The command menu per language; Telegram shows the one matching the user's app language."""
    for locale in SUPPORTED_LOCALES:
        commands = [BotCommand(command=spec.name, description=translate(locale, spec.description_key))
                    for spec in COMMANDS]
        await bot.set_my_commands(commands, scope=BotCommandScopeDefault(),
                                  language_code=None if locale == "uz" else locale)
        if locale == "uz":
            await bot.set_my_commands(commands, scope=BotCommandScopeDefault(), language_code="uz")

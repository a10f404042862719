"""Middlewares: a database session per update, the current user and company (outer), the capability guard."""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.dispatcher.flags import get_flag
from aiogram.types import TelegramObject
from aiogram.types import User as TelegramUser
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.transient import is_transient_db_error, pool_capacity
from handlers.errors import remember_language
from services.errors import DomainError, PermissionDenied
from services.permissions import Capability, can, roles_with
from services.users import ActiveContext, TelegramIdentity, user_and_context

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]
log = logging.getLogger(__name__)


class DbSessionMiddleware(BaseMiddleware):
    """One session and transaction per update: committed when the handler returns, rolled back if it raises.

    At most `limit` updates hold a session at once (matched to the engine's pool: the rest queue here instead of
    timing out in the pool), and a transaction that fails on a transient lock or serialization error (SQLite busy,
    PostgreSQL serialization failure or deadlock) is run again with backoff; if it still fails, the error reaches
    the errors router, which tells the user the bot is busy."""

    def __init__(self, session_factory: async_sessionmaker[AsyncSession], *, limit: int | None = None,
                 attempts: int = 3, backoff: float = 0.5) -> None:
        self.session_factory = session_factory
        self.limit = limit or pool_capacity(session_factory)
        self.gate = asyncio.Semaphore(self.limit)
        self.attempts = max(1, attempts)
        self.backoff = backoff

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        async with self.gate:
            for attempt in range(1, self.attempts + 1):
                try:
                    return await self._once(handler, event, data)
                except Exception as error:
                    if attempt >= self.attempts or not is_transient_db_error(error):
                        raise
                    delay = self.backoff * 2 ** (attempt - 1) * (1 + random.random() / 2)
                    log.warning("update transaction hit a transient database error (%s), retry %d in %.1fs",
                                type(error).__name__, attempt, delay)
                    await asyncio.sleep(delay)
        raise AssertionError("unreachable")  # pragma: no cover

    async def _once(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        async with self.session_factory() as session:
            data["session"] = session
            try:
                result = await handler(event, data)
            except BaseException:
                await session.rollback()
                raise
            await session.commit()
            return result


class CurrentUserMiddleware(BaseMiddleware):
    """Loads (or creates) the user's row and their active company with role: `user` and `ctx` in handler data
    (one query for a member of their active company)."""

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        telegram_user: TelegramUser | None = data.get("event_from_user")
        session: AsyncSession = data["session"]
        if telegram_user is None or telegram_user.is_bot:
            data["user"], data["ctx"] = None, None
            return await handler(event, data)
        user, ctx = await user_and_context(
            session,
            TelegramIdentity(
                telegram_id=telegram_user.id,
                first_name=telegram_user.full_name or telegram_user.first_name,
                username=telegram_user.username,
                language_code=telegram_user.language_code,
            ),
        )
        data["user"] = user
        remember_language(telegram_user.id, user.language)
        data["ctx"] = ctx
        return await handler(event, data)


class CapabilityGuard(BaseMiddleware):
    """Checks a handler's `capability` flag (services.permissions) against the user's role in the active company.

    Used as `router.message.register(members_list, Command("members"), flags={"capability":
    Capability.MEMBERS_MANAGE})`. A handler with the flag never runs for a user without a company or without the
    capability; the refusal (raised, so the errors router tells it in the user's language and the update's
    transaction rolls back) names the roles that may do it.
    """

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        capability: Capability | None = get_flag(data, "capability")
        if capability is None:
            return await handler(event, data)
        ctx: ActiveContext | None = data.get("ctx")
        if ctx is not None and can(ctx.role, capability):
            return await handler(event, data)
        log.info("refused %s (%s) for user %s (role %s)", get_flag(data, "name") or "handler", capability.value,
                 getattr(data.get("user"), "id", None), ctx.role.value if ctx else None)
        if ctx is None:
            raise DomainError("error-no-company")
        raise PermissionDenied("error-no-permission-roles", roles=roles_with(capability))

"""The error handler: domain refusals are told as such; anything else is logged with its update id.

Every refusal reaches the user through here: a `DomainError` raised by a service, a handler or a guard rolls the
update's transaction back (nothing changes) and is answered in the user's language (`kit.refusal_text`) — as an
alert for a button, as a message otherwise."""

from __future__ import annotations

import logging
from typing import Any

from aiogram import Bot, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import ExceptionTypeFilter
from aiogram.types import ErrorEvent

from core.i18n import translate
from db.transient import is_transient_db_error
from handlers.kit import refusal_text
from services.errors import DomainError
from services.locale import DEFAULT_LOCALE, SUPPORTED_LOCALES, normalize_locale

log = logging.getLogger("smartsavdo.errors")


async def _tell(bot: Bot, event: ErrorEvent, text: str) -> None:
    update = event.update
    try:
        if update.callback_query is not None:
            query = update.callback_query
            try:
                await bot.answer_callback_query(query.id, text=text[:200], show_alert=True)
            except TelegramBadRequest:  # answered already (a slow handler answers first): say it in the chat
                chat_id = query.message.chat.id if query.message is not None else query.from_user.id
                await bot.send_message(chat_id, text)
        elif update.message is not None:
            await bot.send_message(update.message.chat.id, text)
    except Exception:  # the user must not get a second failure; the first is already logged
        log.exception("could not tell the user about the failure of update %s", update.update_id)


_LANGUAGES: dict[int, str] = {}
_LANGUAGES_MAX = 100_000


def remember_language(telegram_id: int, language: str | None) -> None:
    """The language each user chose, kept in memory so that a failure before their row loads is still told in it."""
    if not language:
        return
    if len(_LANGUAGES) >= _LANGUAGES_MAX and telegram_id not in _LANGUAGES:
        _LANGUAGES.pop(next(iter(_LANGUAGES)))
    _LANGUAGES[telegram_id] = language


def _locale(data: dict[str, Any]) -> str:
    i18n = data.get("i18n")
    locale = getattr(i18n, "locale", None)
    if locale:
        return str(locale)
    language = getattr(data.get("user"), "language", None)
    if language in SUPPORTED_LOCALES:
        return str(language)
    telegram_user = data.get("event_from_user")
    telegram_id = getattr(telegram_user, "id", None)
    if telegram_id is not None and telegram_id in _LANGUAGES:
        return _LANGUAGES[telegram_id]
    return normalize_locale(getattr(telegram_user, "language_code", None)) or DEFAULT_LOCALE


async def domain_refusal(event: ErrorEvent, bot: Bot, **data: Any) -> None:
    error = event.exception
    assert isinstance(error, DomainError)
    await _tell(bot, event, refusal_text(_locale(data), error))


async def unexpected_failure(event: ErrorEvent, bot: Bot, **data: Any) -> None:
    if is_transient_db_error(event.exception):
        log.warning("update %s: the database stayed busy (%s)", event.update.update_id, type(event.exception).__name__)
        await _tell(bot, event, translate(_locale(data), "error-busy"))
        return
    log.error("update %s failed", event.update.update_id, exc_info=event.exception)
    await _tell(bot, event, translate(_locale(data), "error-generic", ref=event.update.update_id))


def get_router() -> Router:
    router = Router(name="errors")
    router.errors.register(domain_refusal, ExceptionTypeFilter(DomainError))
    router.errors.register(unexpected_failure)
    return router

"""The error handler: domain refusals are told as such; anything else is logged with its update id."""

from __future__ import annotations

import logging
from typing import Any

from aiogram import Bot, Router
from aiogram.filters import ExceptionTypeFilter
from aiogram.types import ErrorEvent

from core.i18n import translate
from services.errors import DomainError
from services.locale import DEFAULT_LOCALE

router = Router(name="errors")
log = logging.getLogger("smartsavdo.errors")


async def _tell(bot: Bot, event: ErrorEvent, text: str) -> None:
    update = event.update
    try:
        if update.callback_query is not None:
            await bot.answer_callback_query(update.callback_query.id, text=text[:200], show_alert=True)
        elif update.message is not None:
            await bot.send_message(update.message.chat.id, text)
    except Exception:  # the user must not get a second failure; the first is already logged
        log.exception("could not tell the user about the failure of update %s", update.update_id)


def _locale(data: dict[str, Any]) -> str:
    i18n = data.get("i18n")
    return getattr(i18n, "locale", None) or DEFAULT_LOCALE


@router.errors(ExceptionTypeFilter(DomainError))
async def domain_refusal(event: ErrorEvent, bot: Bot, **data: Any) -> None:
    error = event.exception
    assert isinstance(error, DomainError)
    await _tell(bot, event, translate(_locale(data), error.key, **error.params))


@router.errors()
async def unexpected_failure(event: ErrorEvent, bot: Bot, **data: Any) -> None:
    log.error("update %s failed", event.update.update_id, exc_info=event.exception)
    await _tell(bot, event, translate(_locale(data), "error-generic", ref=event.update.update_id))

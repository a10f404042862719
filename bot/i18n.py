"""The i18n middleware: aiogram-i18n on the shared Fluent core, with a manager that reads the user's language."""

from __future__ import annotations

from aiogram.types import User as TelegramUser
from aiogram_i18n import I18nMiddleware
from aiogram_i18n.managers import BaseManager

from core.i18n import translator
from db.models import User
from services.locale import DEFAULT_LOCALE, SUPPORTED_LOCALES, normalize_locale


class UserLocaleManager(BaseManager):
    """The language the user chose (stored on their row); before that, Telegram's language_code; else uz."""

    async def get_locale(self, event_from_user: TelegramUser | None = None, user: User | None = None) -> str:
        if user is not None and user.language in SUPPORTED_LOCALES:
            return user.language
        if event_from_user is not None:
            locale = normalize_locale(event_from_user.language_code)
            if locale:
                return locale
        return self.default_locale or DEFAULT_LOCALE

    async def set_locale(self, locale: str, user: User | None = None) -> None:
        if user is not None:
            user.language = locale



def build_i18n_middleware(default_locale: str) -> I18nMiddleware:
    return I18nMiddleware(core=translator(), manager=UserLocaleManager(), default_locale=default_locale)

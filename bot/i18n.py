"""The i18n middleware: aiogram-i18n over core.i18n's bundles, with a manager that reads the user's language."""

from __future__ import annotations

from typing import Any

from aiogram.types import User as TelegramUser
from aiogram_i18n import I18nMiddleware
from aiogram_i18n.cores.base import BaseCore
from aiogram_i18n.managers import BaseManager
from fluent.runtime import FluentBundle

from core.i18n import LOCALES_DIR, bundles, translate
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


class SharedBundlesCore(BaseCore[FluentBundle]):
    """The middleware's core reads the bundles core.i18n loaded once, so handlers and services see one set of texts
    and a dispatcher's start-up and shutdown neither reload nor drop them."""

    def __init__(self) -> None:
        super().__init__(path=LOCALES_DIR / "{locale}", default_locale=DEFAULT_LOCALE)
        self.locales.update(bundles())
        # Texts without variables (buttons, menus, titles) are formatted once per language: they are the same
        # every time, for as long as the same bundles are loaded.
        self._plain: dict[tuple[str, str], str] = {}
        self._plain_of: dict[str, FluentBundle] | None = None

    def get(self, message: str, locale: str | None = None, /, **kwargs: Any) -> str:
        locale = self.get_locale(locale)
        if kwargs:
            return translate(locale, message, **kwargs)
        loaded = bundles()
        if loaded is not self._plain_of:
            self._plain, self._plain_of = {}, loaded
        key = (locale, message)
        text = self._plain.get(key)
        if text is None:
            text = self._plain[key] = translate(locale, message)  # a missing key raises, and is not kept
        return text

    def find_locales(self) -> dict[str, FluentBundle]:
        return bundles()

    async def startup(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None


def build_i18n_middleware(default_locale: str) -> I18nMiddleware:
    return I18nMiddleware(core=SharedBundlesCore(), manager=UserLocaleManager(), default_locale=default_locale)

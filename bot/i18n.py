"""i18n with aiogram-i18n and Fluent: one core loaded from locales/, a manager that reads the user's language."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from aiogram.types import User as TelegramUser
from aiogram_i18n import I18nMiddleware
from aiogram_i18n.cores import FluentRuntimeCore
from aiogram_i18n.managers import BaseManager

import locales
from db.models import User
from services.locale import DEFAULT_LOCALE, SUPPORTED_LOCALES, normalize_locale

LOCALES_DIR = Path(locales.__file__).resolve().parent


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


class SharedFluentCore(FluentRuntimeCore):
    """Loaded once and kept: jobs and the CLI translate outside any dispatcher's start-up and shutdown."""

    @staticmethod
    def _extract_locales(path: Path) -> list[str]:
        # Only the language folders: locales/ is also a Python package (with __pycache__) so it installs.
        return [locale for locale in SUPPORTED_LOCALES if (LOCALES_DIR / locale).is_dir()]

    async def startup(self) -> None:
        if not self.locales:
            self.locales.update(self.find_locales())

    async def shutdown(self) -> None:
        return None


@lru_cache(maxsize=1)
def translator() -> SharedFluentCore:
    core = SharedFluentCore(path=LOCALES_DIR / "{locale}", default_locale=DEFAULT_LOCALE)
    core.locales.update(core.find_locales())
    return core


def translate(locale: str, key: str, **params: Any) -> str:
    return translator().get(key, locale if locale in SUPPORTED_LOCALES else DEFAULT_LOCALE, **params)


def all_translations(key: str) -> frozenset[str]:
    """Every language's text for a key: reply-keyboard buttons arrive as plain text in any of them."""
    return frozenset(translate(locale, key) for locale in SUPPORTED_LOCALES)


def build_i18n_middleware(default_locale: str) -> I18nMiddleware:
    return I18nMiddleware(core=translator(), manager=UserLocaleManager(), default_locale=default_locale)

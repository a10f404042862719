"""Translation: one Fluent core loaded from locales/ and kept; `translate()` for jobs, the CLI and handlers."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from aiogram_i18n.cores import FluentRuntimeCore

import locales
from services.locale import DEFAULT_LOCALE, SUPPORTED_LOCALES

LOCALES_DIR = Path(locales.__file__).resolve().parent


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

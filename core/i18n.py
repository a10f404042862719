"""Translation: the Fluent bundles of locales/, loaded once and kept; `translate()` for services, jobs, the CLI and
handlers. Plain fluent.runtime, so that services translating through here pull in no aiogram; the bot's i18n
middleware (bot/i18n.py) reads these same bundles."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, cast

from fluent.runtime import FluentBundle, FluentResource

import locales
from services.locale import DEFAULT_LOCALE, SUPPORTED_LOCALES

LOCALES_DIR = Path(locales.__file__).resolve().parent


class MissingTranslation(KeyError):
    """A key that no .ftl file of the locale defines."""


class BrokenTranslation(ValueError):
    """A message that Fluent could not format with the given variables."""


@lru_cache(maxsize=1)
def bundles() -> dict[str, FluentBundle]:
    """One bundle per language folder (locales/ is also a Python package, so only the folders count)."""
    loaded: dict[str, FluentBundle] = {}
    for locale in SUPPORTED_LOCALES:
        folder = LOCALES_DIR / locale
        if not folder.is_dir():
            continue
        bundle = FluentBundle([locale], use_isolating=False)
        for path in sorted(folder.glob("*.ftl")):
            bundle.add_resource(FluentResource(path.read_text(encoding="utf-8")))
        loaded[locale] = bundle
    return loaded


def translate(locale: str, key: str, **params: Any) -> str:
    bundle = bundles()[locale if locale in SUPPORTED_LOCALES else DEFAULT_LOCALE]
    if not bundle.has_message(key):
        raise MissingTranslation(key)
    message = bundle.get_message(key)
    if message.value is None:
        raise MissingTranslation(key)
    text, errors = bundle.format_pattern(message.value, params)
    if errors:
        raise BrokenTranslation(f"{key}: {errors}")
    return cast(str, text)


def all_translations(key: str) -> frozenset[str]:
    """Every language's text for a key: reply-keyboard buttons arrive as plain text in any of them."""
    return frozenset(translate(locale, key) for locale in SUPPORTED_LOCALES)

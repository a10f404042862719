"""The assistant's texts: its own Fluent file and the core one (role names) per locale, loaded on first use,
so that `python -m bot ask` does not parse every feature's .ftl file to answer one question; any other key goes
through core.i18n (the same files, so the same text)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any, cast

from fluent.runtime import FluentBundle, FluentResource

from core.i18n import LOCALES_DIR, BrokenTranslation, translate
from services.locale import DEFAULT_LOCALE, SUPPORTED_LOCALES

FILES = ("assistant.ftl", "core.ftl")


@lru_cache(maxsize=4)
def _bundle(locale: str) -> FluentBundle:
    bundle = FluentBundle([locale], use_isolating=False)
    for name in FILES:
        path = LOCALES_DIR / locale / name
        if path.is_file():
            bundle.add_resource(FluentResource(path.read_text(encoding="utf-8")))
    return bundle


def t(locale: str, key: str, **params: Any) -> str:
    locale = locale if locale in SUPPORTED_LOCALES else DEFAULT_LOCALE
    bundle = _bundle(locale)
    message = bundle.get_message(key) if bundle.has_message(key) else None
    if message is None or message.value is None:
        return translate(locale, key, **params)
    text, errors = bundle.format_pattern(message.value, params)
    if errors:
        raise BrokenTranslation(f"{key}: {errors}")
    return cast(str, text)

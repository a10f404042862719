"""Keyboards more than one router shows. (Callback data lives in handlers/callbacks.py.)"""

from __future__ import annotations

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from handlers.callbacks import LanguageCb
from services.locale import SUPPORTED_LOCALES

LANGUAGE_LABELS = {"uz": "🇺🇿 Oʻzbekcha", "ru": "🇷🇺 Русский", "en": "🇬🇧 English"}


def language_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [InlineKeyboardButton(text=LANGUAGE_LABELS[code], callback_data=LanguageCb(code=code).pack())]
            for code in SUPPORTED_LOCALES
        ]
    )

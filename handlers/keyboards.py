"""Callback data factories: a short prefix and integer ids, never names, always under 64 bytes."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram_i18n import I18nContext

from db.models import Role
from services.locale import SUPPORTED_LOCALES
from services.roles import ALL_ROLES

LANGUAGE_LABELS = {"uz": "🇺🇿 Oʻzbekcha", "ru": "🇷🇺 Русский", "en": "🇬🇧 English"}


class LanguageCb(CallbackData, prefix="lang"):
    code: str


class OnboardCb(CallbackData, prefix="ob"):
    action: str  # new | tz | regime | cancel
    value: int = 0


class InviteCb(CallbackData, prefix="iv"):
    company: int
    role: int  # index into ALL_ROLES
    branch: int = -1  # -1: not chosen yet, 0: all branches


class MemberCb(CallbackData, prefix="mb"):
    company: int
    action: str  # open | role | set | rm | rmok | list
    member: int = 0
    role: int = -1  # a role index for `set`, the page for `list`


class CompanyCb(CallbackData, prefix="co"):
    company: int


def role_index(role: Role) -> int:
    return ALL_ROLES.index(role)


def role_at(index: int) -> Role | None:
    return ALL_ROLES[index] if 0 <= index < len(ALL_ROLES) else None


def language_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [InlineKeyboardButton(text=LANGUAGE_LABELS[code], callback_data=LanguageCb(code=code).pack())]
            for code in SUPPORTED_LOCALES
        ]
    )


def cancel_button(i18n: I18nContext) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=i18n.get("btn-cancel"), callback_data=OnboardCb(action="cancel").pack())

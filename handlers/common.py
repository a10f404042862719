"""Shared pieces of the handlers: command registry per role, the main menu, text helpers."""

from __future__ import annotations

from dataclasses import dataclass

from aiogram.exceptions import TelegramBadRequest
from aiogram.types import InlineKeyboardMarkup, KeyboardButton, Message, ReplyKeyboardMarkup
from aiogram_i18n import I18nContext

from db.models import Membership, Role
from services.reports.render import esc  # one HTML escape for everything users or REGOS typed
from services.roles import ALL_ROLES, MANAGING_ROLES

EVERYONE = frozenset(ALL_ROLES)
REPORT_ROLES = frozenset({Role.OWNER, Role.MANAGER, Role.ACCOUNTANT})


@dataclass(frozen=True, slots=True)
class BotCommandSpec:
    name: str
    description_key: str
    roles: frozenset[Role]  # who sees it in /help; empty set: also users without a company


COMMANDS: tuple[BotCommandSpec, ...] = (
    BotCommandSpec("start", "cmd-start", frozenset()),
    BotCommandSpec("help", "cmd-help", frozenset()),
    BotCommandSpec("today", "cmd-today", REPORT_ROLES),
    BotCommandSpec("sales", "cmd-sales", REPORT_ROLES),
    BotCommandSpec("invite", "cmd-invite", MANAGING_ROLES),
    BotCommandSpec("members", "cmd-members", MANAGING_ROLES),
    BotCommandSpec("company", "cmd-company", EVERYONE),
    BotCommandSpec("regos", "cmd-regos", frozenset({Role.OWNER})),
    BotCommandSpec("sync", "cmd-sync", MANAGING_ROLES),
    BotCommandSpec("settings", "cmd-settings", MANAGING_ROLES),
    BotCommandSpec("lang", "cmd-lang", frozenset()),
    BotCommandSpec("cancel", "cmd-cancel", frozenset()),
)


def commands_for(role: Role | None) -> list[BotCommandSpec]:
    return [spec for spec in COMMANDS if not spec.roles or (role is not None and role in spec.roles)]


# Rows of the reply-keyboard main menu; each button is an i18n key, shown to the roles listed.
MENU_ROWS: tuple[tuple[tuple[str, frozenset[Role]], ...], ...] = (
    (("menu-today", REPORT_ROLES), ("menu-sales", REPORT_ROLES)),
    (("menu-invite", MANAGING_ROLES), ("menu-members", MANAGING_ROLES)),
    (("menu-company", EVERYONE), ("menu-language", EVERYONE), ("menu-help", EVERYONE)),
)


def main_menu(i18n: I18nContext, role: Role | None) -> ReplyKeyboardMarkup:
    rows = []
    for row in MENU_ROWS:
        buttons = [KeyboardButton(text=i18n.get(key)) for key, roles in row if role is not None and role in roles]
        if buttons:
            rows.append(buttons)
    if not rows:
        rows = [[KeyboardButton(text=i18n.get("menu-language")), KeyboardButton(text=i18n.get("menu-help"))]]
    return ReplyKeyboardMarkup(keyboard=rows, resize_keyboard=True, is_persistent=True)


def role_name(i18n: I18nContext, role: Role | str) -> str:
    return i18n.get(f"role-{Role(role).value}")


def branches_text(i18n: I18nContext, membership: Membership) -> str:
    if not membership.branches:
        return i18n.get("all-branches")
    return ", ".join(esc(branch.name) for branch in membership.branches)


async def edit_text_quietly(message: Message, text: str, reply_markup: InlineKeyboardMarkup | None = None) -> None:
    """Edits a message; pressing a button that would show the same view again is not an error."""
    try:
        await message.edit_text(text, reply_markup=reply_markup)
    except TelegramBadRequest as error:
        if "message is not modified" not in str(error):
            raise

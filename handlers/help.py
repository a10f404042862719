"""/help, /cancel, and the last router: unknown commands and text nobody expected."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.enums import ChatType
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram_i18n import I18nContext

from core.i18n import all_translations
from handlers.common import commands_for, main_menu, role_name
from services.users import ActiveContext

router = Router(name="help")
fallback_router = Router(name="fallback")


@router.message(Command("help"))
@router.message(F.text.in_(all_translations("menu-help")))
async def help_command(message: Message, i18n: I18nContext, ctx: ActiveContext | None) -> None:
    role = ctx.role if ctx else None
    title = i18n.get("help-title", role=role_name(i18n, role)) if role else i18n.get("help-no-company")
    lines = [title, ""] + [f"/{spec.name} — {i18n.get(spec.description_key)}" for spec in commands_for(role)]
    await message.answer("\n".join(lines), reply_markup=main_menu(i18n, role))


@router.message(Command("cancel"))
async def cancel(message: Message, state: FSMContext, i18n: I18nContext, ctx: ActiveContext | None) -> None:
    await state.clear()
    await message.answer(i18n.get("cancelled"), reply_markup=main_menu(i18n, ctx.role if ctx else None))


# In groups the bot keeps quiet about what it does not understand: people talk there to each other.
@fallback_router.message(F.chat.type == ChatType.PRIVATE, F.text.startswith("/"))
async def unknown_command(message: Message, i18n: I18nContext) -> None:
    command = (message.text or "").split()[0][:64]
    await message.answer(i18n.get("unknown-command", command=command.replace("<", "&lt;")))


@fallback_router.message(F.chat.type == ChatType.PRIVATE)
async def not_understood(message: Message, i18n: I18nContext, ctx: ActiveContext | None) -> None:
    await message.answer(i18n.get("not-understood"), reply_markup=main_menu(i18n, ctx.role if ctx else None))


@fallback_router.callback_query()
async def unknown_button(query: CallbackQuery, i18n: I18nContext) -> None:
    """Forged or outdated callback data: say so, change nothing."""
    await query.answer(i18n.get("error-stale-button"), show_alert=True)

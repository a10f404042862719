"""/help, /cancel, and the last router: unknown commands, text nobody expected, buttons nobody handles."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.enums import ChatType
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram_i18n import I18nContext

from core.i18n import all_translations
from handlers.common import commands_for, esc, main_menu, role_name
from services.errors import DomainError
from services.users import ActiveContext


async def help_command(message: Message, i18n: I18nContext, ctx: ActiveContext | None) -> None:
    role = ctx.role if ctx else None
    title = i18n.get("help-title", role=role_name(i18n, role)) if role else i18n.get("help-no-company")
    lines = [title, ""] + [f"/{spec.name} — {i18n.get(spec.description_key)}" for spec in commands_for(role)]
    await message.answer("\n".join(lines), reply_markup=main_menu(i18n, role))


async def cancel(message: Message, state: FSMContext, i18n: I18nContext, ctx: ActiveContext | None) -> None:
    await state.clear()  # ends every flow: their old buttons now say the step is over
    await message.answer(i18n.get("cancelled"), reply_markup=main_menu(i18n, ctx.role if ctx else None))


async def unknown_command(message: Message, i18n: I18nContext) -> None:
    command = (message.text or "").split()[0][:64]
    await message.answer(i18n.get("unknown-command", command=esc(command)))


async def not_understood(message: Message, i18n: I18nContext, ctx: ActiveContext | None) -> None:
    await message.answer(i18n.get("not-understood"), reply_markup=main_menu(i18n, ctx.role if ctx else None))


async def not_a_file_yet(message: Message, i18n: I18nContext, ctx: ActiveContext | None) -> None:
    """A photo or a file nobody before this router takes: say what to do instead."""
    await message.answer(i18n.get("not-a-file-yet"), reply_markup=main_menu(i18n, ctx.role if ctx else None))


async def unknown_button(query: CallbackQuery) -> None:
    """Forged or outdated callback data: say so, change nothing."""
    raise DomainError("error-stale-button")


def get_router() -> Router:
    router = Router(name="help")
    router.message.register(help_command, Command("help"))
    router.message.register(help_command, F.text.in_(all_translations("menu-help")))
    router.message.register(cancel, Command("cancel"))
    return router


def get_fallback_router() -> Router:
    router = Router(name="fallback")
    # In groups the bot keeps quiet about what it does not understand: people talk there to each other.
    router.message.register(unknown_command, F.chat.type == ChatType.PRIVATE, F.text.startswith("/"))
    router.message.register(not_a_file_yet, F.chat.type == ChatType.PRIVATE,
                            F.photo | F.document | F.video | F.voice | F.audio)
    router.message.register(not_understood, F.chat.type == ChatType.PRIVATE)
    router.callback_query.register(unknown_button)
    return router

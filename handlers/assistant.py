"""The assistant: /ask and any private text that is not a command, a menu button or part of a flow, answered
offline over the company's own data (services.ai.answer), with a typing action while it works."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.enums import ChatType
from aiogram.filters import Command, CommandObject, StateFilter
from aiogram.types import Message
from aiogram.utils.chat_action import ChatActionSender
from aiogram_i18n import I18nContext
from sqlalchemy.ext.asyncio import AsyncSession

from core.config import Settings
from services.ai.answer import answer
from services.ai.model import Memory, ModelConfig, ask_model
from services.ai.tools import ToolContext
from services.companies import business_day
from services.permissions import Capability
from services.users import ActiveContext

ASKERS = {"capability": Capability.AI_ASK}
_MEMORY = Memory()  # the model's last turns and daily quota, per process


async def _reply(message: Message, session: AsyncSession, ctx: ActiveContext, bot: Bot, settings: Settings,
                 text: str, locale: str) -> None:
    tool_ctx = ToolContext(session, ctx.membership, business_day(ctx.company), locale)
    async with ChatActionSender.typing(bot=bot, chat_id=message.chat.id):
        if settings.openai_api_key is not None and message.from_user is not None:
            config = ModelConfig(settings.openai_api_key.get_secret_value(), settings.openai_base_url,
                                 settings.openai_model, settings.openai_timeout, settings.ai_daily_quota)
            result = await ask_model(tool_ctx, text, config, _MEMORY, user_id=message.from_user.id)
        else:
            result = await answer(tool_ctx, text)
    await message.answer(result.text)


async def ask_command(message: Message, command: CommandObject, session: AsyncSession, ctx: ActiveContext,
                      bot: Bot, settings: Settings, i18n: I18nContext) -> None:
    await _reply(message, session, ctx, bot, settings, command.args or "", i18n.locale)


async def free_text(message: Message, session: AsyncSession, ctx: ActiveContext, bot: Bot,
                    settings: Settings, i18n: I18nContext) -> None:
    await _reply(message, session, ctx, bot, settings, message.text or "", i18n.locale)


def _has_company(message: Message, ctx: ActiveContext | None = None) -> bool:
    """Free text goes to the assistant only inside a company; before that the fallback guides the user."""
    return ctx is not None


def get_router() -> Router:
    router = Router(name="assistant")
    private = F.chat.type == ChatType.PRIVATE
    router.message.register(ask_command, Command("ask"), private, flags=ASKERS)
    router.message.register(free_text, private, StateFilter(None), F.text, ~F.text.startswith("/"),
                            _has_company, flags=ASKERS)
    return router

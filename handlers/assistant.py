"""The assistant: /ask and any private text that is not a command, a menu button or part of a flow, answered over
the company's own data (services.ai: the model when one is configured, else the offline parser), with a typing
action while it works; /forecast (with a chart) and /advice; 👍/👎 (and a reason) under each answer; /ailog for
owners. Conversation turns and the model quota live in the database (or Redis with REDIS_URL)."""

from __future__ import annotations

import asyncio
import html
from typing import Any

from aiogram import Bot, F, Router
from aiogram.enums import ChatType
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command, CommandObject, StateFilter
from aiogram.types import BufferedInputFile, CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.chat_action import ChatActionSender
from aiogram_i18n import I18nContext
from sqlalchemy.ext.asyncio import AsyncSession

from core.config import Settings
from handlers.callbacks import AiExampleCb, AiFeedbackAction, AiFeedbackCb
from services.ai import assistant
from services.ai.answer import EXAMPLES
from services.ai.memory import DbStore, RedisStore, Store
from services.ai.model import ModelConfig
from services.ai.tools import ToolContext
from services.companies import business_day
from services.permissions import Capability
from services.users import ActiveContext

ASKERS = {"capability": Capability.AI_ASK}
LOG_READERS = {"capability": Capability.AI_LOG}
TEXT_LIMIT = 4000
_REDIS: dict[str, Any] = {}
_COMMAND_WORD = {"forecast": {"uz": "prognoz", "ru": "прогноз", "en": "forecast"},
                 "advice": {"uz": "maslahat", "ru": "советы", "en": "advice"}}


def _store(session: AsyncSession, settings: Settings) -> Store:
    if settings.redis_url:
        if settings.redis_url not in _REDIS:
            from redis.asyncio import from_url

            _REDIS[settings.redis_url] = from_url(settings.redis_url)
        return RedisStore(_REDIS[settings.redis_url])
    return DbStore(session)


def _config(settings: Settings) -> ModelConfig | None:
    if settings.openai_api_key is None:
        return None
    return ModelConfig(settings.openai_api_key.get_secret_value(), settings.openai_base_url, settings.openai_model,
                       settings.openai_timeout, settings.ai_daily_quota)


def _chunks(text: str) -> list[str]:
    """Telegram's 4096 characters: split at line boundaries."""
    parts, current = [], ""
    for line in text.split("\n"):
        if current and len(current) + len(line) + 1 > TEXT_LIMIT:
            parts.append(current)
            current = ""
        current = f"{current}\n{line}" if current else line[:TEXT_LIMIT]
    return [*parts, current] if current else parts or [""]


def _feedback_keyboard(company_id: int, exchange_id: int, i18n: I18nContext) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[[
        InlineKeyboardButton(text=i18n.get("ai-feedback-up"), callback_data=AiFeedbackCb(
            company=company_id, action=AiFeedbackAction.UP, exchange=exchange_id).pack()),
        InlineKeyboardButton(text=i18n.get("ai-feedback-down"), callback_data=AiFeedbackCb(
            company=company_id, action=AiFeedbackAction.DOWN, exchange=exchange_id).pack())]])


def _examples_keyboard(company_id: int, i18n: I18nContext) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(
        text=i18n.get(key), callback_data=AiExampleCb(company=company_id, example=index).pack())]
        for index, key in enumerate(EXAMPLES, 1)])


async def _reply(message: Message, session: AsyncSession, ctx: ActiveContext, bot: Bot, settings: Settings,
                 text: str, i18n: I18nContext, telegram_id: int) -> None:
    tool_ctx = ToolContext(session, ctx.membership, business_day(ctx.company), i18n.locale)
    async with ChatActionSender.typing(bot=bot, chat_id=message.chat.id):
        reply = await assistant.respond(tool_ctx, text, store=_store(session, settings), telegram_id=telegram_id,
                                        user_id=ctx.membership.user_id, config=_config(settings))
    result = reply.answer
    keyboard = (_examples_keyboard(ctx.company.id, i18n) if result.examples
                else _feedback_keyboard(ctx.company.id, reply.exchange_id, i18n))
    parts = _chunks(result.text)
    for index, part in enumerate(parts):
        await message.answer(part, reply_markup=keyboard if index == len(parts) - 1 else None)
    if result.tool == "forecast_sales" and result.result and result.result.get("days"):
        from services.ai.forecast import forecast_chart_png

        title = result.text.split("\n", 1)[0].replace("<b>", "").replace("</b>", "")
        png = await asyncio.to_thread(forecast_chart_png, result.result, html.unescape(title)[:80])
        await bot.send_photo(message.chat.id, BufferedInputFile(png, "forecast.png"))


def _asker(message: Message) -> int:
    return message.from_user.id if message.from_user else message.chat.id


async def ask_command(message: Message, command: CommandObject, session: AsyncSession, ctx: ActiveContext,
                      bot: Bot, settings: Settings, i18n: I18nContext) -> None:
    await _reply(message, session, ctx, bot, settings, command.args or "", i18n, _asker(message))


async def forecast_command(message: Message, command: CommandObject, session: AsyncSession, ctx: ActiveContext,
                           bot: Bot, settings: Settings, i18n: I18nContext) -> None:
    word = _COMMAND_WORD["forecast"].get(i18n.locale, "forecast")
    await _reply(message, session, ctx, bot, settings, f"{word} {command.args or ''}".strip(), i18n,
                 _asker(message))


async def advice_command(message: Message, command: CommandObject, session: AsyncSession, ctx: ActiveContext,
                         bot: Bot, settings: Settings, i18n: I18nContext) -> None:
    word = _COMMAND_WORD["advice"].get(i18n.locale, "advice")
    await _reply(message, session, ctx, bot, settings, f"{word} {command.args or ''}".strip(), i18n,
                 _asker(message))


async def free_text(message: Message, session: AsyncSession, ctx: ActiveContext, bot: Bot,
                    settings: Settings, i18n: I18nContext) -> None:
    await _reply(message, session, ctx, bot, settings, message.text or "", i18n, _asker(message))


async def example_pressed(query: CallbackQuery, callback_data: AiExampleCb, session: AsyncSession,
                          ctx: ActiveContext, bot: Bot, settings: Settings, i18n: I18nContext) -> None:
    if not 1 <= callback_data.example <= len(EXAMPLES) or not isinstance(query.message, Message):
        return
    await _reply(query.message, session, ctx, bot, settings, i18n.get(EXAMPLES[callback_data.example - 1]), i18n,
                 query.from_user.id)


async def feedback_pressed(query: CallbackQuery, callback_data: AiFeedbackCb, session: AsyncSession,
                           ctx: ActiveContext, i18n: I18nContext, callback_answer: CallbackAnswer) -> None:
    action = callback_data.action
    reasons = assistant.REASONS
    reason = reasons[callback_data.reason] if action is AiFeedbackAction.REASON and \
        0 <= callback_data.reason < len(reasons) else None
    if action is AiFeedbackAction.REASON and reason is None:
        return
    value = 1 if action is AiFeedbackAction.UP else -1
    await assistant.give_feedback(session, ctx.company.id, callback_data.exchange, query.from_user.id, value, reason)
    if action is AiFeedbackAction.DOWN:
        callback_answer.text = i18n.get("ai-feedback-why")
        markup: InlineKeyboardMarkup | None = InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(
            text=i18n.get(f"ai-reason-{name}"), callback_data=AiFeedbackCb(
                company=ctx.company.id, action=AiFeedbackAction.REASON, exchange=callback_data.exchange,
                reason=index).pack())] for index, name in enumerate(reasons)])
    else:
        callback_answer.text = i18n.get("ai-feedback-thanks")
        markup = None
    if isinstance(query.message, Message):
        try:
            await query.message.edit_reply_markup(reply_markup=markup)
        except TelegramBadRequest:  # an old or already edited message keeps its buttons; the vote counted
            pass


async def ailog_command(message: Message, session: AsyncSession, ctx: ActiveContext, i18n: I18nContext) -> None:
    rows = await assistant.recent(session, ctx.company.id, limit=15)
    if not rows:
        await message.answer(i18n.get("ai-log-empty"))
        return
    lines = [i18n.get("ai-log-title", count=len(rows), up=sum(1 for r in rows if r.feedback == 1),
                      down=sum(1 for r in rows if r.feedback == -1))]
    for row in rows:
        mark = {1: "👍", -1: "👎"}.get(row.feedback or 0, "·")
        if row.reason:
            mark += f" {i18n.get(f'ai-reason-{row.reason}')}"
        tools = ", ".join(c.get("name", "?") for c in row.tools or []) or "—"
        lines.append(i18n.get("ai-log-row", mark=mark, question=html.escape(row.question[:80]),
                              tools=html.escape(tools), path=row.path, ms=row.latency_ms))
    for part in _chunks("\n".join(lines)):
        await message.answer(part)


def _has_company(message: Message, ctx: ActiveContext | None = None) -> bool:
    """Free text goes to the assistant only inside a company; before that the fallback guides the user."""
    return ctx is not None


def get_router() -> Router:
    router = Router(name="assistant")
    private = F.chat.type == ChatType.PRIVATE
    router.message.register(ask_command, Command("ask"), private, flags=ASKERS)
    router.message.register(forecast_command, Command("forecast"), private, flags=ASKERS)
    router.message.register(advice_command, Command("advice"), private, flags=ASKERS)
    router.message.register(ailog_command, Command("ailog"), private, flags=LOG_READERS)
    router.callback_query.register(feedback_pressed, AiFeedbackCb.filter(), flags=ASKERS)
    router.callback_query.register(example_pressed, AiExampleCb.filter(), flags=ASKERS)
    router.message.register(free_text, private, StateFilter(None), F.text, ~F.text.startswith("/"),
                            _has_company, flags=ASKERS)
    return router

"""The card kit: what every interactive feature uses instead of writing it again.

- `CallbackScope` (middleware): a button made for another company than the active one, or belonging to a flow that
  has ended, is refused before any handler runs (see handlers/callbacks.py for the two bases).
- `CallbackAnswers` (aiogram's CallbackAnswerMiddleware): every callback query is answered once, after the handler;
  a handler sets `callback_answer.text` (or a flag: `flags={"callback_answer": {"text": "<i18n key>"}}`), and
  calls `answer_early()` before slow work. A refusal (`DomainError`) raised anywhere — a guard, a handler, a
  service — is answered by the errors router, as an alert.
- `start_flow()` / `end_flow()`: the flow id a multi-step flow stores in FSM data and puts in its buttons.
- `edit_or_send()`: shows a card by editing the message it came from, or sends it; "not modified" is success.
- `refusal_text()`: a `DomainError` in the user's language, its values escaped, role names translated.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from aiogram import BaseMiddleware
from aiogram.dispatcher.flags import get_flag
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, MaybeInaccessibleMessageUnion, Message, TelegramObject
from aiogram.utils.callback_answer import CallbackAnswer, CallbackAnswerMiddleware

from core.i18n import translate
from db.base import utcnow
from db.models import Role
from services.errors import DomainError
from services.locale import DEFAULT_LOCALE, format_date, format_datetime
from services.reports.render import esc
from services.users import ActiveContext

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]
log = logging.getLogger(__name__)

FLOW_KEY = "flow:{}"  # FSM data key per flow (the callback class's prefix)
NOT_MODIFIED = "message is not modified"
CANNOT_EDIT = ("message can't be edited", "message to edit not found", "there is no text in the message to edit")


# --- refusals -----------------------------------------------------------------------------------------------------


def role_names(locale: str, roles: Iterable[Role | str]) -> str:
    return ", ".join(translate(locale, f"role-{Role(role).value}") for role in roles)


def _param(locale: str, key: str, value: Any) -> Any:
    if isinstance(value, Role):
        return role_names(locale, [value])
    if isinstance(value, (tuple, list, set, frozenset)) and value and all(isinstance(v, Role) for v in value):
        return role_names(locale, value)
    if key == "role" and isinstance(value, str) and value in {role.value for role in Role}:
        return role_names(locale, [value])
    if isinstance(value, datetime):
        return format_datetime(value, locale)
    if isinstance(value, date):
        return format_date(value, locale)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    return esc(value)


def refusal_text(locale: str | None, error: DomainError) -> str:
    """The one way a refusal reads: its key in the user's language; what users or REGOS typed is escaped, roles
    are named in the language, dates formatted for it."""
    locale = locale or DEFAULT_LOCALE
    return translate(locale, error.key, **{key: _param(locale, key, value) for key, value in error.params.items()})


# --- flows --------------------------------------------------------------------------------------------------------


def _flow_key(callback: type[CallbackData]) -> str:
    return FLOW_KEY.format(callback.__prefix__)


async def start_flow(state: FSMContext, callback: type[CallbackData]) -> int:
    """A new instance of the flow whose buttons are `callback`: put the returned id in each button's `flow`.
    Buttons of an earlier instance stop working."""
    flow = secrets.randbelow(999_999_999) + 1
    await state.update_data({_flow_key(callback): flow})
    return flow


async def end_flow(state: FSMContext, callback: type[CallbackData]) -> None:
    """The flow is done: its buttons say the step is over. (`state.clear()`, as /cancel does, ends every flow.)"""
    data = await state.get_data()
    if data.pop(_flow_key(callback), None) is not None:
        await state.set_data(data)


async def current_flow(state: FSMContext, callback: type[CallbackData]) -> int:
    """The id of the running instance of a flow (for the buttons of its next step), 0 when none runs."""
    return int((await state.get_data()).get(_flow_key(callback)) or 0)


async def flow_is_current(state: FSMContext | None, callback_data: CallbackData) -> bool:
    if state is None:
        return False
    return (await state.get_data()).get(_flow_key(type(callback_data))) == getattr(callback_data, "flow", None)


# --- middlewares --------------------------------------------------------------------------------------------------


_DB_INT_MAX = 2**63 - 1


def _numbers_fit(callback_data: CallbackData) -> bool:
    """Every integer a button carries fits the database's 64-bit integers (a forged one may not)."""
    for value in callback_data.model_dump().values():
        if isinstance(value, int) and not isinstance(value, bool) and not -_DB_INT_MAX <= value <= _DB_INT_MAX:
            return False
    return True


class CallbackScope(BaseMiddleware):
    """Inner callback middleware: checks the company and the flow a button carries, once for every handler."""

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        callback_data = data.get("callback_data")
        if isinstance(event, CallbackQuery) and isinstance(callback_data, CallbackData):
            fields = type(callback_data).model_fields
            if not _numbers_fit(callback_data):  # a forged button: no id of ours is that large
                log.info("button with an out-of-range number refused: %r", event.data)
                raise DomainError("error-step-over")
            if "company" in fields:
                ctx = data.get("ctx")
                if ctx is None:
                    raise DomainError("error-no-company")
                if ctx.company.id != callback_data.company:  # type: ignore[attr-defined]
                    log.info("button for company %s refused: active company is %s",
                             callback_data.company, ctx.company.id)  # type: ignore[attr-defined]
                    raise DomainError("error-button-other-company")
            if "flow" in fields and not await flow_is_current(data.get("state"), callback_data):
                raise DomainError("error-step-over")
        return await handler(event, data)


class CallbackAnswers(CallbackAnswerMiddleware):
    """aiogram's CallbackAnswerMiddleware with two house rules: a flag's `text` is an i18n key, and a handler
    that raised is not answered here (the errors router answers it with the refusal, as an alert)."""

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        if not isinstance(event, CallbackQuery):
            return await handler(event, data)
        properties = get_flag(data, "callback_answer")
        if isinstance(properties, dict) and properties.get("text"):
            i18n = data.get("i18n")
            locale = getattr(i18n, "locale", None) or DEFAULT_LOCALE
            properties = {**properties, "text": translate(locale, properties["text"])}
        answer = data["callback_answer"] = self.construct_callback_answer(properties=properties)
        if answer.answered and not answer.disabled:
            await self.answer(event, answer)
        result = await handler(event, data)
        if not answer.answered and not answer.disabled:
            await self.answer(event, answer)
        return result


async def answer_early(query: CallbackQuery, callback_answer: CallbackAnswer, text: str | None = None) -> None:
    """For slow work after the checks (a sync, a file): answer now so the button stops spinning; the middleware
    then does not answer again. A refusal raised after this reaches the user as a message."""
    await query.answer(text=text)
    callback_answer.disable()


# --- showing a card -----------------------------------------------------------------------------------------------


def is_not_modified(error: TelegramBadRequest) -> bool:
    return NOT_MODIFIED in str(error)


async def edit_or_send(
    target: CallbackQuery | MaybeInaccessibleMessageUnion,
    text: str,
    reply_markup: InlineKeyboardMarkup | None = None,
    *,
    edit: bool = True,
) -> None:
    """Shows `text` in place of the message a button came from (or `target` itself, a bot message); sends it
    as a new message when `edit` is False or the message cannot be edited. Pressing a button that shows the same
    view again (a double tap) is not an error."""
    message = target.message if isinstance(target, CallbackQuery) else target
    if edit and isinstance(message, Message):
        try:
            await message.edit_text(text, reply_markup=reply_markup)
            return
        except TelegramBadRequest as error:
            if is_not_modified(error):
                return
            if not any(reason in str(error) for reason in CANNOT_EDIT):
                raise
    bot = target.bot
    if bot is None:
        raise RuntimeError("edit_or_send needs an object bound to a bot")
    if message is not None:
        chat_id = message.chat.id
    else:
        assert isinstance(target, CallbackQuery)
        chat_id = target.from_user.id
    await bot.send_message(chat_id, text, reply_markup=reply_markup)


# --- per-flow FSM data ------------------------------------------------------------------------------------------
# The FSM data of a multi-step feature (an expense, a cash operation, an owner's setting), kept under its own keys
# so that one flow never wipes another's, bound to the company it was started in, and over after a time limit.
#
#     EXPENSE = Steps(ExpenseFlowCb, prefix="ex", ttl=timedelta(minutes=30), expired="expense-flow-expired")
#     await EXPENSE.begin(state, ctx)              # a new flow instance (its buttons carry the new flow id)
#     data = await EXPENSE.data(state, ctx)        # refuses another company's or an expired flow (and ends it)
#     await EXPENSE.forget(state)                  # done, cancelled: its keys and its buttons are gone

@dataclass(frozen=True)
class Steps:
    callback: type[CallbackData] | None  # the flow's buttons (None: a one-question step with no buttons)
    prefix: str  # its FSM data keys start with this and "_"
    ttl: timedelta | None = None
    expired: str = "error-step-over"

    @property
    def company_key(self) -> str:
        return f"{self.prefix}_company"

    @property
    def started_key(self) -> str:
        return f"{self.prefix}_started"

    async def begin(self, state: FSMContext, ctx: ActiveContext, **values: Any) -> int:
        """Forgets an earlier instance and starts a new one; returns its flow id (0 without buttons)."""
        await self.forget(state)
        flow = await start_flow(state, self.callback) if self.callback is not None else 0
        await state.update_data({self.company_key: ctx.company.id, self.started_key: utcnow().isoformat(),
                                 **{f"{self.prefix}_{key}": value for key, value in values.items()}})
        return flow

    async def forget(self, state: FSMContext) -> None:
        if self.callback is not None:
            await end_flow(state, self.callback)
        data = await state.get_data()
        await state.set_data({key: value for key, value in data.items() if not key.startswith(f"{self.prefix}_")})
        await state.set_state(None)

    async def data(self, state: FSMContext, ctx: ActiveContext) -> dict[str, Any]:
        """The running instance's data; one started in another company, or left past the time limit, is over."""
        data = await state.get_data()
        if data.get(self.company_key) != ctx.company.id:
            await self.forget(state)
            raise DomainError("error-step-over")
        if self.ttl is not None and utcnow() - datetime.fromisoformat(str(data.get(self.started_key))) > self.ttl:
            await self.forget(state)
            raise DomainError(self.expired)
        return data

"""/cash: the registers one may see with their balances, and a flow for a deposit, a withdrawal, a transfer between
registers or a collection (operation, register, the other register for a transfer, amount, note). A withdrawal
above the company's threshold waits for approval (services.cash and the approval engine); the limit alert's
"confirm collection" button opens the same flow on its register. The owner sets the limits and the threshold."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram_i18n import I18nContext
from sqlalchemy.ext.asyncio import AsyncSession

from core.i18n import all_translations
from db.finance import CashRegister, MovementKind
from db.models import User
from handlers.approvals import withdraw_keyboard
from handlers.callbacks import CashAction, CashAlertCb, CashCb, CashMenuAction, CashMenuCb
from handlers.common import esc
from handlers.kit import Steps, current_flow, edit_or_send
from services import cash
from services.amounts import parse_amount
from services.companies import business_day
from services.errors import DomainError, ValidationFailed
from services.locale import format_money
from services.permissions import Capability, can
from services.users import ActiveContext

READERS = {"capability": Capability.CASH_READ}
OPERATORS = {"capability": Capability.CASH_OPERATE}
SETTERS = {"capability": Capability.CASH_SETTINGS}
FLOW_TTL = timedelta(minutes=30)
OPERATIONS = {MovementKind.DEPOSIT: "btn-cash-deposit", MovementKind.WITHDRAWAL: "btn-cash-withdrawal",
              MovementKind.TRANSFER_OUT: "btn-cash-transfer", MovementKind.COLLECTION: "btn-cash-collection"}


class CashStates(StatesGroup):
    amount = State()
    note = State()
    limit = State()
    threshold = State()


def _money(i18n: I18nContext, value: Decimal) -> str:
    return format_money(value, i18n.locale, with_tiyin=value != value.to_integral_value())


CASH = Steps(CashCb, "ca", FLOW_TTL, "cash-flow-expired")
CASH_SETUP = Steps(None, "cs")


async def _cb(state: FSMContext, ctx: ActiveContext, action: CashAction, op: MovementKind | None = None,
              box: int = 0) -> str:
    flow = await current_flow(state, CashCb)
    return CashCb(company=ctx.company.id, flow=flow, action=action, op=op, box=box).pack()


async def _cancel(state: FSMContext, ctx: ActiveContext, i18n: I18nContext) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=i18n.get("btn-cancel"), callback_data=await _cb(state, ctx, CashAction.CANCEL))


# --- /cash --------------------------------------------------------------------------------------------------------


async def cash_command(message: Message, i18n: I18nContext, session: AsyncSession, ctx: ActiveContext,
                       state: FSMContext) -> None:
    registers = await cash.registers_for(session, ctx.membership)
    held = await cash.balances(session, [r.id for r in registers])
    lines = [i18n.get("cash-title"), ""]
    for register in registers:
        params = {"name": esc(register.name), "balance": _money(i18n, held[register.id])}
        if register.cash_limit is not None:
            lines.append(i18n.get("cash-register-line-limit", limit=_money(i18n, register.cash_limit), **params))
        else:
            lines.append(i18n.get("cash-register-line", **params))
    if len(registers) > 1:
        lines.append(i18n.get("cash-total", balance=_money(i18n, sum(held.values(), Decimal(0)))))
    rows: list[list[InlineKeyboardButton]] = []
    if can(ctx.role, Capability.CASH_OPERATE) and registers:
        await CASH.begin(state, ctx)
        everyone = await cash.ensure_registers(session, ctx.company.id)
        ops = [op for op in OPERATIONS if op is not MovementKind.TRANSFER_OUT or len(everyone) > 1]
        buttons = [InlineKeyboardButton(text=i18n.get(OPERATIONS[op]),
                                        callback_data=await _cb(state, ctx, CashAction.OPERATION, op))
                   for op in ops]
        rows = [buttons[index:index + 2] for index in range(0, len(buttons), 2)]
    if can(ctx.role, Capability.CASH_SETTINGS):
        rows.append([InlineKeyboardButton(text=i18n.get("btn-cash-setup"), callback_data=CashMenuCb(
            company=ctx.company.id, action=CashMenuAction.SETUP).pack())])
    await message.answer("\n".join(lines), reply_markup=InlineKeyboardMarkup(inline_keyboard=rows) if rows else None)


async def operation_chosen(query: CallbackQuery, callback_data: CashCb, i18n: I18nContext, session: AsyncSession,
                           ctx: ActiveContext, state: FSMContext) -> None:
    await CASH.data(state, ctx)
    op = callback_data.op or MovementKind.DEPOSIT
    registers = await cash.registers_for(session, ctx.membership)
    if len(registers) == 1:
        await _register_chosen(query, i18n, session, ctx, state, op, registers[0])
        return
    rows = [[InlineKeyboardButton(text=register.name, callback_data=await _cb(state, ctx, CashAction.REGISTER, op,
                                                                              register.id))]
            for register in registers]
    rows.append([await _cancel(state, ctx, i18n)])
    await edit_or_send(query, i18n.get("cash-ask-register", operation=i18n.get(OPERATIONS[op])),
                       InlineKeyboardMarkup(inline_keyboard=rows))


async def register_chosen(query: CallbackQuery, callback_data: CashCb, i18n: I18nContext, session: AsyncSession,
                          ctx: ActiveContext, state: FSMContext) -> None:
    await CASH.data(state, ctx)
    register = await cash.get_register(session, ctx.membership, callback_data.box)
    await _register_chosen(query, i18n, session, ctx, state, callback_data.op or MovementKind.DEPOSIT, register)


async def _register_chosen(query: CallbackQuery, i18n: I18nContext, session: AsyncSession, ctx: ActiveContext,
                           state: FSMContext, op: MovementKind, register: CashRegister) -> None:
    await state.update_data(ca_op=op.value, ca_box=register.id, ca_target=None)
    if op is not MovementKind.TRANSFER_OUT:
        await _ask_amount(query, i18n, session, ctx, state)
        return
    targets = [r for r in await cash.ensure_registers(session, ctx.company.id) if r.id != register.id]
    rows = [[InlineKeyboardButton(text=target.name, callback_data=await _cb(state, ctx, CashAction.TARGET, op,
                                                                            target.id))] for target in targets]
    rows.append([await _cancel(state, ctx, i18n)])
    await edit_or_send(query, i18n.get("cash-ask-target", register=esc(register.name)),
                       InlineKeyboardMarkup(inline_keyboard=rows))


async def target_chosen(query: CallbackQuery, callback_data: CashCb, i18n: I18nContext, session: AsyncSession,
                        ctx: ActiveContext, state: FSMContext) -> None:
    data = await CASH.data(state, ctx)
    target = await session.get(CashRegister, callback_data.box)
    if target is None or target.company_id != ctx.company.id or target.id == data.get("ca_box"):
        raise DomainError("cash-register-not-found")
    await state.update_data(ca_target=target.id)
    await _ask_amount(query, i18n, session, ctx, state)


async def _ask_amount(target: CallbackQuery, i18n: I18nContext, session: AsyncSession, ctx: ActiveContext,
                      state: FSMContext, *, edit: bool = True) -> None:
    data = await state.get_data()
    op = MovementKind(data["ca_op"])
    register = await cash.get_register(session, ctx.membership, int(data["ca_box"]))
    held = await cash.balance(session, register.id)
    await state.set_state(CashStates.amount)
    rows = []
    if op is MovementKind.COLLECTION and held > 0:
        rows.append([InlineKeyboardButton(text=i18n.get("btn-cash-collect-all", amount=_money(i18n, held)),
                                          callback_data=await _cb(state, ctx, CashAction.ALL, op, register.id))])
    rows.append([await _cancel(state, ctx, i18n)])
    await edit_or_send(target, i18n.get("cash-ask-amount", operation=i18n.get(OPERATIONS[op]),
                                        register=esc(register.name), balance=_money(i18n, held)),
                       InlineKeyboardMarkup(inline_keyboard=rows), edit=edit)


async def _ask_note(target: Message | CallbackQuery, i18n: I18nContext, ctx: ActiveContext,
                    state: FSMContext) -> None:
    await state.set_state(CashStates.note)
    keyboard = InlineKeyboardMarkup(inline_keyboard=[[
        InlineKeyboardButton(text=i18n.get("btn-skip"), callback_data=await _cb(state, ctx, CashAction.SKIP_NOTE)),
        await _cancel(state, ctx, i18n)]])
    if isinstance(target, Message):
        await target.answer(i18n.get("cash-ask-note"), reply_markup=keyboard)
    else:
        await edit_or_send(target, i18n.get("cash-ask-note"), keyboard)


async def amount_given(message: Message, i18n: I18nContext, session: AsyncSession, ctx: ActiveContext,
                       state: FSMContext) -> None:
    data = await CASH.data(state, ctx)
    amount = parse_amount(message.text)
    if MovementKind(data["ca_op"]) is not MovementKind.DEPOSIT and amount > await cash.balance(
            session, int(data["ca_box"])):
        raise ValidationFailed("cash-not-enough")  # told now, while another amount can be typed
    await state.update_data(ca_amount=str(amount))
    await _ask_note(message, i18n, ctx, state)


async def collect_all(query: CallbackQuery, i18n: I18nContext, session: AsyncSession, ctx: ActiveContext,
                      state: FSMContext) -> None:
    data = await CASH.data(state, ctx)
    held = await cash.balance(session, int(data["ca_box"]))
    if held <= 0:
        raise DomainError("cash-not-enough")
    await state.update_data(ca_amount=str(held))
    await _ask_note(query, i18n, ctx, state)


async def note_given(message: Message, i18n: I18nContext, session: AsyncSession, ctx: ActiveContext, user: User,
                     state: FSMContext) -> None:
    data = await CASH.data(state, ctx)
    text, keyboard = await _record(session, i18n, ctx, user, state, data, message.text)
    await message.answer(text, reply_markup=keyboard)


async def note_skipped(query: CallbackQuery, i18n: I18nContext, session: AsyncSession, ctx: ActiveContext,
                       user: User, state: FSMContext) -> None:
    data = await CASH.data(state, ctx)
    text, keyboard = await _record(session, i18n, ctx, user, state, data, None)
    await edit_or_send(query, text, keyboard)


async def _record(session: AsyncSession, i18n: I18nContext, ctx: ActiveContext, user: User, state: FSMContext,
                  data: dict[str, Any], note: str | None) -> tuple[str, InlineKeyboardMarkup | None]:
    if data.get("ca_amount") is None:
        raise DomainError("error-step-over")
    op, amount = MovementKind(data["ca_op"]), Decimal(data["ca_amount"])
    outcome = await cash.record_operation(session, membership=ctx.membership, user=user, kind=op,
                                          register_id=int(data["ca_box"]), amount=amount,
                                          today=business_day(ctx.company), note=note,
                                          target_register_id=data.get("ca_target"))
    await CASH.forget(state)
    first = outcome.movements[0]
    source = await session.get_one(CashRegister, first.register_id)
    if outcome.pending and outcome.request is not None:
        names = ", ".join(esc(person.first_name) for person in outcome.approvers)
        threshold = cash.cash_settings(ctx.company).approval_above
        key = "cash-pending" if outcome.approvers else "cash-pending-nobody"
        return (i18n.get(key, id=first.id, amount=_money(i18n, amount), threshold=_money(i18n, threshold),
                         names=names), withdraw_keyboard(i18n, ctx.company.id, outcome.request.id))
    if op is MovementKind.TRANSFER_OUT:
        target = await session.get_one(CashRegister, outcome.movements[1].register_id)
        held = await cash.balances(session, [source.id, target.id])
        return i18n.get("cash-done-transfer", amount=_money(i18n, amount), source=esc(source.name),
                        target=esc(target.name), source_balance=_money(i18n, held[source.id]),
                        target_balance=_money(i18n, held[target.id])), None
    return i18n.get("cash-done", operation=i18n.get(f"cash-kind-{op.value}"), amount=_money(i18n, amount),
                    register=esc(source.name), balance=_money(i18n, await cash.balance(session, source.id))), None


async def cancelled(query: CallbackQuery, i18n: I18nContext, state: FSMContext) -> None:
    await CASH.forget(state)
    await edit_or_send(query, i18n.get("cancelled"))


async def alert_collection(query: CallbackQuery, callback_data: CashAlertCb, i18n: I18nContext,
                           session: AsyncSession, ctx: ActiveContext, state: FSMContext) -> None:
    """The limit alert's button: a collection from that register, as a new flow."""
    register = await cash.get_register(session, ctx.membership, callback_data.box)
    await CASH.begin(state, ctx)
    await state.update_data(ca_op=MovementKind.COLLECTION.value, ca_box=register.id)
    await _ask_amount(query, i18n, session, ctx, state, edit=False)


# --- the owner's limits ---------------------------------------------------------------------------------------------


async def _setup_view(session: AsyncSession, i18n: I18nContext, ctx: ActiveContext) -> tuple[str, Any]:
    registers = await cash.ensure_registers(session, ctx.company.id)
    threshold = cash.cash_settings(ctx.company).approval_above
    lines = [i18n.get("cash-setup", threshold=_money(i18n, threshold))]
    for register in registers:
        limit = register.cash_limit
        lines.append(f"• {esc(register.name)}: "
                     + (_money(i18n, limit) if limit is not None else i18n.get("cash-limit-none")))
    rows = [[InlineKeyboardButton(text=i18n.get("btn-cash-limit", name=r.name), callback_data=CashMenuCb(
        company=ctx.company.id, action=CashMenuAction.LIMIT, box=r.id).pack())] for r in registers]
    rows.append([InlineKeyboardButton(text=i18n.get("btn-cash-threshold"), callback_data=CashMenuCb(
        company=ctx.company.id, action=CashMenuAction.THRESHOLD).pack())])
    return "\n".join(lines), InlineKeyboardMarkup(inline_keyboard=rows)


async def setup_shown(query: CallbackQuery, i18n: I18nContext, session: AsyncSession, ctx: ActiveContext) -> None:
    text, keyboard = await _setup_view(session, i18n, ctx)
    await edit_or_send(query, text, keyboard)


async def ask_limit(query: CallbackQuery, callback_data: CashMenuCb, i18n: I18nContext, session: AsyncSession,
                    ctx: ActiveContext, state: FSMContext) -> None:
    register = await cash.get_register(session, ctx.membership, callback_data.box)
    await CASH_SETUP.begin(state, ctx, box=register.id)
    await state.set_state(CashStates.limit)
    await edit_or_send(query, i18n.get("cash-ask-limit", name=esc(register.name)), edit=False)


async def ask_threshold(query: CallbackQuery, i18n: I18nContext, ctx: ActiveContext, state: FSMContext) -> None:
    await CASH_SETUP.begin(state, ctx)
    await state.set_state(CashStates.threshold)
    await edit_or_send(query, i18n.get("cash-ask-threshold"), edit=False)


async def limit_given(message: Message, i18n: I18nContext, session: AsyncSession, ctx: ActiveContext,
                      state: FSMContext) -> None:
    data = await CASH_SETUP.data(state, ctx)
    text = (message.text or "").strip()
    limit = None if text == "0" else parse_amount(text)
    await cash.set_register_limit(session, ctx.membership, int(data["cs_box"]), limit)
    await CASH_SETUP.forget(state)
    view, keyboard = await _setup_view(session, i18n, ctx)
    await message.answer(i18n.get("cash-saved") + "\n\n" + view, reply_markup=keyboard)


async def threshold_given(message: Message, i18n: I18nContext, session: AsyncSession, ctx: ActiveContext,
                          state: FSMContext) -> None:
    await CASH_SETUP.data(state, ctx)
    cash.set_approval_threshold(session, ctx.membership, ctx.company, parse_amount(message.text))
    await CASH_SETUP.forget(state)
    view, keyboard = await _setup_view(session, i18n, ctx)
    await message.answer(i18n.get("cash-saved") + "\n\n" + view, reply_markup=keyboard)


def get_router() -> Router:
    router = Router(name="cash")
    message = router.message
    message.register(cash_command, Command("cash"), flags=READERS)
    message.register(cash_command, F.text.in_(all_translations("menu-cash")), flags=READERS)
    typed = (F.text, ~F.text.startswith("/"))
    message.register(amount_given, StateFilter(CashStates.amount), *typed, flags=OPERATORS)
    message.register(note_given, StateFilter(CashStates.note), *typed, flags=OPERATORS)
    message.register(limit_given, StateFilter(CashStates.limit), *typed, flags=SETTERS)
    message.register(threshold_given, StateFilter(CashStates.threshold), *typed, flags=SETTERS)
    callbacks = router.callback_query
    flow = CashCb.filter
    callbacks.register(operation_chosen, flow(F.action == CashAction.OPERATION), flags=OPERATORS)
    callbacks.register(register_chosen, flow(F.action == CashAction.REGISTER), flags=OPERATORS)
    callbacks.register(target_chosen, flow(F.action == CashAction.TARGET), flags=OPERATORS)
    callbacks.register(collect_all, flow(F.action == CashAction.ALL), flags=OPERATORS)
    callbacks.register(note_skipped, flow(F.action == CashAction.SKIP_NOTE), flags=OPERATORS)
    callbacks.register(cancelled, flow(F.action == CashAction.CANCEL))
    callbacks.register(alert_collection, CashAlertCb.filter(), flags=OPERATORS)
    callbacks.register(setup_shown, CashMenuCb.filter(F.action == CashMenuAction.SETUP), flags=SETTERS)
    callbacks.register(ask_limit, CashMenuCb.filter(F.action == CashMenuAction.LIMIT), flags=SETTERS)
    callbacks.register(ask_threshold, CashMenuCb.filter(F.action == CashMenuAction.THRESHOLD), flags=SETTERS)
    return router

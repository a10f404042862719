"""Editing a payroll draft from the bot: days worked and manual lines (bonus, penalty, deduction, advance paid) per
employee, each change recomputing the draft; and importing the month's missing days from REGOS.

Draft card → ✏️ Edit lines → an employee → 📅 Days / ➕ Bonus / ➖ Penalty / ➖ Deduction / 💵 Advance → the value
typed (amounts as in /expense: ``500 000``, ``500k``, ``1,5 mln``; refused in the user's language when negative,
huge or malformed) → for a line, its reason → saved, recomputed, the employee's card again. Every step checks that
the run is still a draft of this company (a stale or forged button changes nothing)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from aiogram import F, Router
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram_i18n import I18nContext
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.config import Settings
from db.models import Company, User
from db.payroll import AdjustmentKind, PayrollRun, RunStatus
from handlers.callbacks import PayrollAction, PayrollCb, PayrollField
from handlers.common import esc
from handlers.kit import answer_early, edit_or_send
from handlers.payroll import show_card
from services import payroll as pr
from services.amounts import parse_amount
from services.companies import business_day
from services.crypto import SecretBox
from services.errors import DomainError, ValidationFailed
from services.locale import format_money
from services.payroll.errors import RunFrozen, RunStateConflict
from services.payroll.schemes import adjustments, check_money, company_employee
from services.payroll.workdays import month_text, month_working_days
from services.permissions import Capability
from services.sync.connection import RegosNotConnected
from services.sync.engine import SyncRunStatus, sync_company
from services.users import ActiveContext

PREPARE = {"capability": Capability.PAYROLL_PREPARE}
PAGE = 20
MAX_REASON = 200
FIELDS = {PayrollField.BONUS: AdjustmentKind.BONUS, PayrollField.PENALTY: AdjustmentKind.PENALTY,
          PayrollField.DEDUCTION: AdjustmentKind.DEDUCTION, PayrollField.ADVANCE: AdjustmentKind.ADVANCE}


class EditStates(StatesGroup):
    days = State()
    amount = State()
    reason = State()


def _button(text: str, company: int, action: PayrollAction, **values: Any) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=PayrollCb(company=company, action=action, **values).pack())


def title(i18n: I18nContext, run: PayrollRun) -> str:
    return f"{i18n.get(f'payroll-kind-{run.kind}')} {month_text(run.month)}"


async def draft_run(session: AsyncSession, company_id: int, run_id: int) -> PayrollRun:
    """The run, if it is still a draft of this company; refuses otherwise (a stale button, a frozen month)."""
    run = await pr.get_run(session, company_id, run_id)
    if run.status in (RunStatus.APPROVED, RunStatus.PAID):
        raise RunFrozen(month=month_text(run.month), version=run.version, status=run.status)
    if run.status != RunStatus.DRAFT:
        raise RunStateConflict(status=run.status, expected=RunStatus.DRAFT)
    return run


async def edit_list(query: CallbackQuery, callback_data: PayrollCb, i18n: I18nContext, session: AsyncSession,
                    ctx: ActiveContext) -> None:
    run = await draft_run(session, ctx.company.id, callback_data.run)
    lines = [line for line in await pr.run_lines(session, run.id) if line.employee_id is not None]
    page = max(0, min(callback_data.item, (len(lines) - 1) // PAGE if lines else 0))
    company = ctx.company.id
    chunk = lines[page * PAGE:(page + 1) * PAGE]
    rows = [[_button(line.name[:40], company, PayrollAction.EMPLOYEE, run=run.id, emp=line.employee_id or 0)
             for line in chunk[i:i + 2]] for i in range(0, len(chunk), 2)]
    paging = []
    if page > 0:
        paging.append(_button(i18n.get("payroll-btn-prev"), company, PayrollAction.EDIT, run=run.id, item=page - 1))
    if (page + 1) * PAGE < len(lines):
        paging.append(_button(i18n.get("payroll-btn-next"), company, PayrollAction.EDIT, run=run.id, item=page + 1))
    if paging:
        rows.append(paging)
    rows.append([_button(i18n.get("payroll-btn-back"), company, PayrollAction.CARD, run=run.id)])
    await edit_or_send(query, i18n.get("payroll-edit-pick", title=title(i18n, run), version=run.version),
                       InlineKeyboardMarkup(inline_keyboard=rows))


async def employee_view(i18n: I18nContext, session: AsyncSession, ctx: ActiveContext, run: PayrollRun,
                        employee_id: int) -> tuple[str, InlineKeyboardMarkup]:
    employee = await company_employee(session, ctx.company.id, employee_id)
    line = next((x for x in await pr.run_lines(session, run.id) if x.employee_id == employee.id), None)
    loc = i18n.locale
    if line is None:
        parts = [f"<b>{esc(employee.full_name)}</b> — {esc(title(i18n, run))}", i18n.get("payroll-employee-off-run")]
    else:
        parts = [i18n.get("payroll-employee-card", name=esc(employee.full_name), title=esc(title(i18n, run)),
                          days=line.days_worked, total=line.working_days, gross=format_money(line.gross, loc),
                          net=format_money(line.net, loc))]
    company = ctx.company.id
    rows = [[_button(i18n.get("payroll-btn-days"), company, PayrollAction.SET, run=run.id, emp=employee.id,
                     field=PayrollField.DAYS)],
            [_button(i18n.get("payroll-btn-add-bonus"), company, PayrollAction.SET, run=run.id, emp=employee.id,
                     field=PayrollField.BONUS),
             _button(i18n.get("payroll-btn-add-penalty"), company, PayrollAction.SET, run=run.id, emp=employee.id,
                     field=PayrollField.PENALTY)],
            [_button(i18n.get("payroll-btn-add-deduction"), company, PayrollAction.SET, run=run.id,
                     emp=employee.id, field=PayrollField.DEDUCTION),
             _button(i18n.get("payroll-btn-add-advance"), company, PayrollAction.SET, run=run.id,
                     emp=employee.id, field=PayrollField.ADVANCE)]]
    manual = [a for a in await adjustments(session, ctx.company.id, run.month) if a.employee_id == employee.id]
    parts.append("")
    parts.append(i18n.get("payroll-employee-manual") if manual else i18n.get("payroll-employee-no-manual"))
    for item in manual:
        label = f"{i18n.get(f'payroll-line-{item.kind}')} {format_money(Decimal(item.amount), loc)}"
        parts.append(f"• {esc(label)} — {esc(item.reason)}")
        rows.append([_button(i18n.get("payroll-btn-remove", line=label)[:60], company, PayrollAction.REMOVE,
                             run=run.id, emp=employee.id, item=item.id)])
    rows.append([_button(i18n.get("payroll-btn-back"), company, PayrollAction.EDIT, run=run.id)])
    return "\n".join(parts), InlineKeyboardMarkup(inline_keyboard=rows)


async def employee_card(query: CallbackQuery, callback_data: PayrollCb, i18n: I18nContext, session: AsyncSession,
                        ctx: ActiveContext, state: FSMContext) -> None:
    await state.clear()
    run = await draft_run(session, ctx.company.id, callback_data.run)
    text, markup = await employee_view(i18n, session, ctx, run, callback_data.emp)
    await edit_or_send(query, text, markup)


async def ask_value(query: CallbackQuery, callback_data: PayrollCb, i18n: I18nContext, session: AsyncSession,
                    ctx: ActiveContext, state: FSMContext) -> None:
    run = await draft_run(session, ctx.company.id, callback_data.run)
    employee = await company_employee(session, ctx.company.id, callback_data.emp)
    if callback_data.field != PayrollField.DAYS and callback_data.field not in FIELDS:
        raise DomainError("error-payroll-step-over")
    await state.set_state(EditStates.days if callback_data.field == PayrollField.DAYS else EditStates.amount)
    await state.set_data({"pe_company": ctx.company.id, "pe_run": run.id, "pe_emp": employee.id,
                          "pe_field": callback_data.field.value})
    if callback_data.field == PayrollField.DAYS:
        company = await session.get_one(Company, ctx.company.id)
        most = month_working_days(run.month, pr.payroll_settings(company).work_week)
        text = i18n.get("payroll-ask-days", name=esc(employee.full_name), month=month_text(run.month), most=most)
    else:
        text = i18n.get("payroll-ask-amount", line=i18n.get(f"payroll-line-{FIELDS[callback_data.field]}"),
                        name=esc(employee.full_name))
    if isinstance(query.message, Message):
        await query.message.answer(text)


async def _step(state: FSMContext, ctx: ActiveContext | None) -> tuple[ActiveContext, dict[str, Any]]:
    data = await state.get_data()
    if ctx is None or data.get("pe_company") != ctx.company.id:  # switched company meanwhile: the step is over
        await state.clear()
        raise DomainError("error-payroll-step-over")
    return ctx, data


async def _saved(message: Message, i18n: I18nContext, session: AsyncSession, ctx: ActiveContext, user: User,
                 state: FSMContext, run_id: int, employee_id: int, key: str) -> None:
    await state.clear()
    run = await pr.recompute(session, ctx.company.id, run_id, actor_user_id=user.id, today=business_day(ctx.company))
    text, markup = await employee_view(i18n, session, ctx, run, employee_id)
    await message.answer(f"{i18n.get(key)}\n\n{text}", reply_markup=markup)


async def days_typed(message: Message, i18n: I18nContext, session: AsyncSession, ctx: ActiveContext | None,
                     user: User, state: FSMContext) -> None:
    ctx, data = await _step(state, ctx)
    run = await draft_run(session, ctx.company.id, int(data["pe_run"]))
    text = (message.text or "").strip()
    company = await session.get_one(Company, ctx.company.id)
    most = month_working_days(run.month, pr.payroll_settings(company).work_week)
    if not text.isascii() or not text.isdigit() or len(text) > 3:
        raise ValidationFailed("error-payroll-days", most=most)
    await pr.set_days_worked(session, company_id=ctx.company.id, employee_id=int(data["pe_emp"]), month=run.month,
                             days_worked=int(text), actor_user_id=user.id)
    await _saved(message, i18n, session, ctx, user, state, run.id, int(data["pe_emp"]), "payroll-line-saved")


async def amount_typed(message: Message, i18n: I18nContext, session: AsyncSession, ctx: ActiveContext | None,
                       state: FSMContext) -> None:
    ctx, data = await _step(state, ctx)
    await draft_run(session, ctx.company.id, int(data["pe_run"]))
    amount = parse_amount(message.text)  # refuses negative, huge, malformed (in the user's language)
    check_money("amount", amount)
    await state.set_state(EditStates.reason)
    await state.update_data(pe_amount=f"{amount:f}")
    kind = FIELDS[PayrollField(data["pe_field"])]
    await message.answer(i18n.get("payroll-ask-reason", line=i18n.get(f"payroll-line-{kind}"),
                                  amount=format_money(amount, i18n.locale)))


async def reason_typed(message: Message, i18n: I18nContext, session: AsyncSession, ctx: ActiveContext | None,
                       user: User, state: FSMContext) -> None:
    ctx, data = await _step(state, ctx)
    run = await draft_run(session, ctx.company.id, int(data["pe_run"]))
    reason = " ".join((message.text or "").split())
    if not reason or len(reason) > MAX_REASON:
        raise ValidationFailed("error-payroll-reason")
    await pr.add_adjustment(session, company_id=ctx.company.id, employee_id=int(data["pe_emp"]), month=run.month,
                            kind=FIELDS[PayrollField(data["pe_field"])], amount=Decimal(str(data["pe_amount"])),
                            reason=reason, actor_user_id=user.id)
    await _saved(message, i18n, session, ctx, user, state, run.id, int(data["pe_emp"]), "payroll-line-saved")


async def remove_line(query: CallbackQuery, callback_data: PayrollCb, i18n: I18nContext, session: AsyncSession,
                      ctx: ActiveContext, user: User, callback_answer: CallbackAnswer) -> None:
    run = await draft_run(session, ctx.company.id, callback_data.run)
    manual = {a.id: a for a in await adjustments(session, ctx.company.id, run.month)}
    item = manual.get(callback_data.item)
    if item is not None and item.employee_id == callback_data.emp:  # a line of another month or person: nothing
        await pr.remove_adjustment(session, company_id=ctx.company.id, adjustment_id=item.id, actor_user_id=user.id)
        run = await pr.recompute(session, ctx.company.id, run.id, actor_user_id=user.id,
                                 today=business_day(ctx.company))
        callback_answer.text = i18n.get("payroll-line-removed")
    text, markup = await employee_view(i18n, session, ctx, run, callback_data.emp)
    await edit_or_send(query, text, markup)


def missing_window(run: PayrollRun) -> tuple[date, date] | None:
    days = sorted(date.fromisoformat(d) for d in (run.notes or {}).get("missing_days") or [])
    return (days[0], days[-1]) if days else None


async def sync_missing(query: CallbackQuery, callback_data: PayrollCb, i18n: I18nContext, session: AsyncSession,
                       ctx: ActiveContext, user: User, callback_answer: CallbackAnswer,
                       session_factory: async_sessionmaker[AsyncSession], secret_box: SecretBox | None,
                       settings: Settings) -> None:
    """The sync /sync runs (services.sync.sync_company), over the run's missing days; then the draft again."""
    run = await draft_run(session, ctx.company.id, callback_data.run)
    window = missing_window(run)
    if window is None:
        callback_answer.text = i18n.get("payroll-sync-nothing", month=month_text(run.month))
        return
    if secret_box is None:
        raise DomainError("error-regos-not-connected")
    await answer_early(query, callback_answer)
    if isinstance(query.message, Message):
        await query.message.answer(i18n.get("sync-started"))
    await session.commit()  # hold no transaction open while the sync writes through its own sessions (as /sync)
    try:
        result = await sync_company(session_factory, ctx.company.id, date_from=window[0], date_to=window[1],
                                    trigger="manual", secret_box=secret_box, archive_dir=settings.regos_archive_dir)
    except RegosNotConnected:
        raise DomainError("error-regos-not-connected") from None
    if result.status == SyncRunStatus.BUSY and isinstance(query.message, Message):
        await query.message.answer(i18n.get("payroll-sync-busy"))
    run = await draft_run(session, ctx.company.id, run.id)
    run = await pr.recompute(session, ctx.company.id, run.id, actor_user_id=user.id,
                             today=business_day(ctx.company))
    await show_card(query, i18n, session, ctx, run, edit=False)


def get_router() -> Router:
    router = Router(name="payroll_edit")
    cb = PayrollCb.filter
    router.callback_query.register(edit_list, cb(F.action == PayrollAction.EDIT), flags=PREPARE)
    router.callback_query.register(employee_card, cb(F.action == PayrollAction.EMPLOYEE), flags=PREPARE)
    router.callback_query.register(ask_value, cb(F.action == PayrollAction.SET), flags=PREPARE)
    router.callback_query.register(remove_line, cb(F.action == PayrollAction.REMOVE), flags=PREPARE)
    router.callback_query.register(sync_missing, cb(F.action == PayrollAction.SYNC),
                                   flags={"capability": Capability.SYNC_RUN})
    typed = F.text & ~F.text.startswith("/")  # a command leaves the step to its own handler
    router.message.register(days_typed, EditStates.days, typed, flags=PREPARE)
    router.message.register(amount_typed, EditStates.amount, typed, flags=PREPARE)
    router.message.register(reason_typed, EditStates.reason, typed, flags=PREPARE)
    return router

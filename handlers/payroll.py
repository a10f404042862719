"""/payroll (accountant, owner): pick a month → the draft card (totals, warnings, the register as Excel) → submit
to the approval engine / recompute → (approved: payslips go out) → mark paid; a correction is a new version.
An advance (mid-month) is its own run from the same picker. A draft's lines are edited in handlers/payroll_edit.py,
which also offers the REGOS sync of the month's missing days. The main menu's payroll button opens the same flow.
A schemes file (.xlsx/.csv) sent as a document is imported. /payslips (everyone): one's own payslips (text and PDF)."""

from __future__ import annotations

import asyncio
from datetime import date
from decimal import Decimal

from aiogram import Bot, F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import BufferedInputFile, CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram_i18n import I18nContext
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.i18n import all_translations
from db.models import Employee, User
from db.payroll import PayrollLine, PayrollRun, RunKind, RunStatus
from handlers.callbacks import PayrollAction, PayrollCb
from handlers.common import esc
from handlers.kit import Steps, answer_early, edit_or_send
from services import approvals
from services import payroll as pr
from services.companies import business_day
from services.errors import DomainError, ValidationFailed
from services.locale import format_money
from services.outbox import CAPTION_LIMIT
from services.payroll.approval import KIND, payslip_file_name, submit_run
from services.payroll.render import details_of, payslip_text, warning_texts
from services.payroll.workdays import month_text
from services.permissions import Capability, can
from services.users import ActiveContext

PREPARE = {"capability": Capability.PAYROLL_PREPARE}
OWN = {"capability": Capability.OWN_SALES_READ}
MAX_FILE = 2 * 1024 * 1024
MAX_WARNINGS = 15


MONTH_STEP = Steps(None, prefix="payroll")  # a typed month, bound to the company it was asked in


class PayrollStates(StatesGroup):
    month = State()


def _ym(day: date) -> int:
    return day.year * 100 + day.month


def _month_of(value: int) -> date:
    try:
        return date(value // 100, value % 100, 1)
    except ValueError:
        raise ValidationFailed("error-payroll-month-invalid") from None


def _last_month(day: date) -> date:
    return date(day.year - 1, 12, 1) if day.month == 1 else date(day.year, day.month - 1, 1)


def _ctx(ctx: ActiveContext | None) -> ActiveContext:
    if ctx is None:
        raise DomainError("error-no-company")
    return ctx


def _btn(i18n: I18nContext, key: str, company: int, action: PayrollAction, *, month: int = 0,
         run: int = 0) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=i18n.get(key), callback_data=PayrollCb(company=company, action=action,
                                                                             month=month, run=run).pack())


def _title(i18n: I18nContext, run: PayrollRun) -> str:
    month = month_text(run.month)
    return f"{i18n.get('payroll-kind-advance')} {month}" if run.kind == RunKind.ADVANCE else month


async def payroll_start(message: Message, i18n: I18nContext, ctx: ActiveContext | None) -> None:
    ctx = _ctx(ctx)
    today = business_day(ctx.company)
    this, last = today.replace(day=1), _last_month(today)
    company = ctx.company.id
    markup = InlineKeyboardMarkup(inline_keyboard=[
        [_btn(i18n, "payroll-btn-this-month", company, PayrollAction.MONTH, month=_ym(this)),
         _btn(i18n, "payroll-btn-last-month", company, PayrollAction.MONTH, month=_ym(last))],
        [_btn(i18n, "payroll-btn-type-month", company, PayrollAction.TYPE_MONTH)],
        [_btn(i18n, "payroll-btn-advance", company, PayrollAction.ADVANCE, month=_ym(this))],
    ])
    await message.answer(i18n.get("payroll-pick-month", this=month_text(this), last=month_text(last)),
                         reply_markup=markup)


def _money(totals: dict[str, object], key: str, locale: str) -> str:
    return format_money(Decimal(str(totals.get(key, "0"))), locale)


def card_text(i18n: I18nContext, run: PayrollRun, lines: list[PayrollLine], company_name: str) -> str:
    totals = dict(run.totals or {})
    loc = i18n.locale
    parts = [i18n.get("payroll-card-head", company=esc(company_name), month=esc(_title(i18n, run)))]
    parts += [esc(text) for text in details_of(run, i18n.get)]
    parts += ["", i18n.get("payroll-card-totals", employees=int(str(totals.get("employees", 0))),
                           gross=_money(totals, "gross", loc), pit=_money(totals, "pit", loc),
                           net=_money(totals, "net", loc), social=_money(totals, "social_tax", loc),
                           cost=_money(totals, "employer_cost", loc))]
    if "difference" in totals:
        parts.append(i18n.get("payroll-card-difference", previous=_money(totals, "previous_net", loc),
                              difference=_money(totals, "difference", loc)))
    warnings = [f"• {esc(line.name)}: {esc(text)}" for line in lines for text in warning_texts(line, i18n.get, loc)]
    if warnings:
        parts += ["", i18n.get("payroll-card-warnings"), *warnings[:MAX_WARNINGS]]
        if len(warnings) > MAX_WARNINGS:
            parts.append(i18n.get("payroll-card-more", count=len(warnings) - MAX_WARNINGS))
    delivery = (run.notes or {}).get("delivery")
    if delivery:
        parts += ["", i18n.get("payroll-card-delivered", telegram=int(delivery.get("telegram", 0)),
                               sms=int(delivery.get("sms", 0)), unreachable=len(delivery.get("unreachable", [])))]
    return "\n".join(parts)


def card_markup(i18n: I18nContext, run: PayrollRun, ctx: ActiveContext) -> InlineKeyboardMarkup:
    company, month = ctx.company.id, _ym(run.month)
    rows = [[_btn(i18n, "payroll-btn-register", company, PayrollAction.REGISTER, run=run.id)]]
    if run.status == RunStatus.DRAFT:
        rows.append([_btn(i18n, "payroll-btn-submit", company, PayrollAction.SUBMIT, run=run.id),
                     _btn(i18n, "payroll-btn-recompute", company, PayrollAction.RECOMPUTE, run=run.id)])
        rows.append([_btn(i18n, "payroll-btn-edit", company, PayrollAction.EDIT, run=run.id)])
        notes = run.notes or {}
        if notes.get("regos_connected") and notes.get("missing_days") and can(ctx.role, Capability.SYNC_RUN):
            rows.append([_btn(i18n, "payroll-btn-sync", company, PayrollAction.SYNC, run=run.id)])
    elif run.status == RunStatus.PENDING_APPROVAL and can(ctx.role, Capability.PAYROLL_APPROVE):
        rows.append([_btn(i18n, "payroll-btn-approve", company, PayrollAction.APPROVE, run=run.id)])
    elif run.status == RunStatus.APPROVED:
        rows.append([_btn(i18n, "payroll-btn-paid", company, PayrollAction.PAID, run=run.id),
                     _btn(i18n, "payroll-btn-correct", company, PayrollAction.CORRECT, month=month, run=run.id)])
    elif run.status == RunStatus.PAID:
        rows.append([_btn(i18n, "payroll-btn-correct", company, PayrollAction.CORRECT, month=month, run=run.id)])
    return InlineKeyboardMarkup(inline_keyboard=rows)


async def show_card(target: CallbackQuery | Message, i18n: I18nContext, session: AsyncSession, ctx: ActiveContext,
                    run: PayrollRun, *, edit: bool = True) -> None:
    lines = await pr.run_lines(session, run.id)
    await edit_or_send(target, card_text(i18n, run, lines, ctx.company.name), card_markup(i18n, run, ctx), edit=edit)


async def _open_month(session: AsyncSession, ctx: ActiveContext, user: User, month: date,
                      kind: str = RunKind.MONTHLY) -> PayrollRun:
    run = await pr.latest_run(session, ctx.company.id, month, kind)
    if run is None or run.status == RunStatus.DRAFT:
        run = await pr.compute_draft(session, ctx.company.id, month, kind, actor_user_id=user.id,
                                     today=business_day(ctx.company))
    return run


async def month_chosen(query: CallbackQuery, callback_data: PayrollCb, i18n: I18nContext, session: AsyncSession,
                       ctx: ActiveContext, user: User) -> None:
    run = await _open_month(session, ctx, user, _month_of(callback_data.month))
    await show_card(query, i18n, session, ctx, run)


async def advance_chosen(query: CallbackQuery, callback_data: PayrollCb, i18n: I18nContext,
                         session: AsyncSession, ctx: ActiveContext, user: User) -> None:
    run = await _open_month(session, ctx, user, _month_of(callback_data.month), RunKind.ADVANCE)
    await show_card(query, i18n, session, ctx, run)


async def card_again(query: CallbackQuery, callback_data: PayrollCb, i18n: I18nContext, session: AsyncSession,
                     ctx: ActiveContext, state: FSMContext) -> None:
    await state.clear()
    await show_card(query, i18n, session, ctx, await pr.get_run(session, ctx.company.id, callback_data.run))


async def ask_month(query: CallbackQuery, state: FSMContext, i18n: I18nContext, ctx: ActiveContext) -> None:
    await MONTH_STEP.begin(state, ctx)
    await state.set_state(PayrollStates.month)
    if isinstance(query.message, Message):
        await query.message.answer(i18n.get("payroll-type-month"))


async def month_typed(message: Message, state: FSMContext, i18n: I18nContext, session: AsyncSession,
                      ctx: ActiveContext | None, user: User) -> None:
    ctx = _ctx(ctx)
    await MONTH_STEP.data(state, ctx)  # refuses a month asked for in another company
    try:
        month = pr.parse_month((message.text or "").strip())
    except DomainError:
        raise ValidationFailed("error-payroll-month-invalid") from None
    await state.clear()
    run = await _open_month(session, ctx, user, month)
    await show_card(message, i18n, session, ctx, run, edit=False)


async def recompute(query: CallbackQuery, callback_data: PayrollCb, i18n: I18nContext, session: AsyncSession,
                    ctx: ActiveContext, user: User) -> None:
    run = await pr.recompute(session, ctx.company.id, callback_data.run, actor_user_id=user.id,
                             today=business_day(ctx.company))
    await show_card(query, i18n, session, ctx, run)


async def submit(query: CallbackQuery, callback_data: PayrollCb, i18n: I18nContext, session: AsyncSession,
                 ctx: ActiveContext, user: User, callback_answer: CallbackAnswer) -> None:
    run = await pr.get_run(session, ctx.company.id, callback_data.run)
    if run.status == RunStatus.DRAFT:
        await submit_run(session, ctx.company.id, run.id, user)
        callback_answer.text = i18n.get("payroll-submitted")
    await show_card(query, i18n, session, ctx, run)


async def approve(query: CallbackQuery, callback_data: PayrollCb, i18n: I18nContext, session: AsyncSession,
                  ctx: ActiveContext) -> None:
    run = await pr.get_run(session, ctx.company.id, callback_data.run)
    request = await approvals.pending_request_for(session, KIND, run.id)
    if request is not None:
        await approvals.decide(session, company_id=ctx.company.id, request_id=request.id, actor=ctx.membership,
                               approve=True)
        await session.refresh(run)
    await show_card(query, i18n, session, ctx, run)


async def mark_paid(query: CallbackQuery, callback_data: PayrollCb, i18n: I18nContext, session: AsyncSession,
                    ctx: ActiveContext, user: User) -> None:
    await pr.mark_paid(session, ctx.company.id, callback_data.run, actor_user_id=user.id)
    await show_card(query, i18n, session, ctx, await pr.get_run(session, ctx.company.id, callback_data.run))


async def correct(query: CallbackQuery, callback_data: PayrollCb, i18n: I18nContext, session: AsyncSession,
                  ctx: ActiveContext, user: User) -> None:
    month, kind = _month_of(callback_data.month), str(RunKind.MONTHLY)
    if callback_data.run:  # the run the button was on says which kind (salary or advance) to correct
        of = await pr.get_run(session, ctx.company.id, callback_data.run)
        month, kind = of.month, of.kind
    latest = await pr.latest_run(session, ctx.company.id, month, kind)
    if latest is not None and latest.status == RunStatus.DRAFT:  # a second press: the correction exists
        run = latest
    else:
        run = await pr.start_correction(session, ctx.company.id, month, kind, actor_user_id=user.id,
                                        today=business_day(ctx.company))
    await show_card(query, i18n, session, ctx, run, edit=False)


async def register(query: CallbackQuery, callback_data: PayrollCb, i18n: I18nContext, session: AsyncSession,
                   ctx: ActiveContext, bot: Bot, callback_answer: CallbackAnswer) -> None:
    run = await pr.get_run(session, ctx.company.id, callback_data.run)
    lines = await pr.run_lines(session, run.id)
    await answer_early(query, callback_answer)
    data = await asyncio.to_thread(pr.register_xlsx, run, lines, ctx.company.name, i18n.get, i18n.locale)
    name = f"payroll-{month_text(run.month)}-v{run.version}.xlsx"
    await bot.send_document(query.from_user.id, BufferedInputFile(data, name),
                            caption=i18n.get("payroll-register-caption", month=month_text(run.month),
                                             version=run.version))


async def schemes_file(message: Message, i18n: I18nContext, session: AsyncSession, ctx: ActiveContext | None,
                       user: User, bot: Bot) -> None:
    ctx = _ctx(ctx)
    document = message.document
    assert document is not None
    if (document.file_size or 0) > MAX_FILE:
        raise ValidationFailed("payroll-file-too-big")
    buffer = await bot.download(document)
    data = buffer.read() if buffer is not None else b""
    today = business_day(ctx.company)
    result = await pr.import_schemes(session, company_id=ctx.company.id, data=data,
                                     filename=document.file_name or "schemes.csv",
                                     effective_from=today.replace(day=1), actor_user_id=user.id)
    await message.answer(i18n.get("payroll-imported", rows=result.rows, created=len(result.created),
                                  updated=result.updated, month=month_text(today)))


async def my_payslips(message: Message, i18n: I18nContext, session: AsyncSession, ctx: ActiveContext | None,
                      user: User) -> None:
    ctx = _ctx(ctx)
    employee = await session.scalar(select(Employee).where(Employee.company_id == ctx.company.id,
                                                           Employee.user_id == user.id))
    if employee is None:
        await message.answer(i18n.get("payslips-not-linked"))
        return
    rows = (await session.execute(
        select(PayrollRun, PayrollLine).join(PayrollLine, PayrollLine.run_id == PayrollRun.id)
        .where(PayrollRun.company_id == ctx.company.id, PayrollLine.employee_id == employee.id,
               PayrollRun.status.in_((RunStatus.APPROVED, RunStatus.PAID)))
        .order_by(PayrollRun.month.desc(), PayrollRun.version.desc()).limit(3)
    )).all()
    if not rows:
        await message.answer(i18n.get("payslips-none"))
        return
    for run, line in rows:  # the text, with the PDF attached when it fits a caption
        text = esc(payslip_text(run, line, ctx.company.name, i18n.get, i18n.locale))
        data = await asyncio.to_thread(pr.payslip_pdf, run, line, ctx.company.name, i18n.get, i18n.locale)
        document = BufferedInputFile(data, payslip_file_name(run, line))
        if len(text) <= CAPTION_LIMIT:
            await message.answer_document(document, caption=text)
        else:
            await message.answer(text)
            await message.answer_document(document)


def _is_schemes(message: Message) -> bool:
    name = (message.document.file_name or "").lower() if message.document else ""
    return name.endswith((".xlsx", ".csv"))


def get_router() -> Router:
    router = Router(name="payroll")
    router.message.register(payroll_start, Command("payroll"), flags=PREPARE)
    router.message.register(payroll_start, F.text.in_(all_translations("menu-payroll")), flags=PREPARE)
    router.message.register(my_payslips, Command("payslips"), flags=OWN)
    router.message.register(month_typed, PayrollStates.month, F.text, flags=PREPARE)
    router.message.register(schemes_file, F.document, _is_schemes, flags=PREPARE)
    cb = PayrollCb.filter
    router.callback_query.register(month_chosen, cb(F.action == PayrollAction.MONTH), flags=PREPARE)
    router.callback_query.register(ask_month, cb(F.action == PayrollAction.TYPE_MONTH), flags=PREPARE)
    router.callback_query.register(recompute, cb(F.action == PayrollAction.RECOMPUTE), flags=PREPARE)
    router.callback_query.register(submit, cb(F.action == PayrollAction.SUBMIT), flags=PREPARE)
    router.callback_query.register(approve, cb(F.action == PayrollAction.APPROVE),
                                   flags={"capability": Capability.PAYROLL_APPROVE})
    router.callback_query.register(register, cb(F.action == PayrollAction.REGISTER), flags=PREPARE)
    router.callback_query.register(mark_paid, cb(F.action == PayrollAction.PAID), flags=PREPARE)
    router.callback_query.register(correct, cb(F.action == PayrollAction.CORRECT), flags=PREPARE)
    router.callback_query.register(advance_chosen, cb(F.action == PayrollAction.ADVANCE), flags=PREPARE)
    router.callback_query.register(card_again, cb(F.action == PayrollAction.CARD), flags=PREPARE)
    from handlers import payroll_edit  # it imports this module's card

    router.include_router(payroll_edit.get_router())
    return router

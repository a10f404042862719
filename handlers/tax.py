"""/tax (owner, accountant): pick a month → the report card (sales, VAT or turnover tax, PIT and social tax,
profit tax estimate at a quarter's end, tax due, status, deadlines, what is missing) → Excel / PDF documents →
mark ready (through the approval engine) → uploaded to my.soliq.uz → filed once the owner confirms (the engine
again)."""

from __future__ import annotations

import asyncio
from datetime import date
from decimal import Decimal
from functools import partial
from typing import Any

from aiogram import Bot, F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import BufferedInputFile, CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram_i18n import I18nContext
from sqlalchemy.ext.asyncio import AsyncSession

from core.config import Settings
from db.models import User
from db.tax import TaxReport, TaxReportStatus
from handlers.callbacks import TaxAction, TaxCb
from handlers.common import esc
from handlers.kit import Steps, answer_early, edit_or_send
from services.companies import business_day
from services.errors import DomainError
from services.locale import format_date, format_money
from services.permissions import Capability
from services.tax import reports as tax_reports
from services.tax.documents import file_name, report_pdf, report_xlsx, warning_lines
from services.tax.einvoices import import_register
from services.tax.periods import parse_period, period_text, previous_month
from services.tax.submission import SubmissionClient
from services.users import ActiveContext

PREPARE = {"capability": Capability.TAX_PREPARE}
MAX_WARNINGS = 10
TAX_ORDER = ("vat", "turnover", "pit", "social", "profit")


TAX_STEP = Steps(None, prefix="tax")  # a typed month or a register file, bound to the company it began in


class TaxStates(StatesGroup):
    month = State()
    register = State()


MAX_FILE = 5 * 1024 * 1024
MAX_LISTED = 10


def _ym(day: date) -> int:
    return day.year * 100 + day.month


def _month_of(value: int) -> date:
    try:
        return date(value // 100, value % 100, 1)
    except ValueError:
        raise DomainError("tax-error-period-invalid", value=str(value)) from None


def _ctx(ctx: ActiveContext | None) -> ActiveContext:
    if ctx is None:
        raise DomainError("error-no-company")
    return ctx


def _btn(i18n: I18nContext, key: str, company: int, action: TaxAction, *, month: int = 0,
         report: int = 0) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=i18n.get(key),
                                callback_data=TaxCb(company=company, action=action, month=month,
                                                    report=report).pack())


def rate_text(rate: str, locale: str) -> str:
    return rate.replace(".", ",") if locale in ("uz", "ru") else rate


def _money(value: Any, locale: str) -> str:
    return format_money(Decimal(str(value)), locale)


async def tax_start(message: Message, i18n: I18nContext, ctx: ActiveContext | None) -> None:
    ctx = _ctx(ctx)
    last = previous_month(business_day(ctx.company).replace(day=1))
    before = previous_month(last)
    company = ctx.company.id
    markup = InlineKeyboardMarkup(inline_keyboard=[
        [_btn(i18n, "tax-btn-last-month", company, TaxAction.MONTH, month=_ym(last)),
         _btn(i18n, "tax-btn-month-before", company, TaxAction.MONTH, month=_ym(before))],
        [_btn(i18n, "tax-btn-type-month", company, TaxAction.TYPE_MONTH)],
        [_btn(i18n, "tax-btn-einvoices", company, TaxAction.EINVOICES)],
    ])
    await message.answer(i18n.get("tax-pick-period", last=period_text(last)), reply_markup=markup)


def card_text(i18n: I18nContext, report: TaxReport) -> str:
    figures = report.figures or {}
    loc = i18n.locale
    company = figures.get("company") or {}
    parts = [i18n.get("tax-card-head", company=esc(company.get("name", "")), period=report.period),
             i18n.get("tax-card-tin", tin=esc(company.get("tin", ""))),
             i18n.get("tax-card-regime", regime=i18n.get(f"tax-regime-{figures.get('regime', 'mixed')}")),
             i18n.get("tax-card-status", status=i18n.get(f"tax-status-{report.status}"))]
    sales = figures.get("sales")
    coverage = figures.get("coverage") or {}
    if sales is not None:
        parts.append(i18n.get("tax-card-sales", revenue=_money(sales["revenue"], loc),
                              returns=_money(sales["retail_returns"], loc)))
    else:
        ranges = ", ".join(f"{format_date(date.fromisoformat(a), loc)}–{format_date(date.fromisoformat(b), loc)}"
                           if a != b else format_date(date.fromisoformat(a), loc)
                           for a, b in coverage.get("missing", [])[:5])
        parts.append(i18n.get("tax-card-no-sales", days=int(coverage.get("missing_days", 0)), ranges=ranges))
    parts.append("")
    taxes = figures.get("taxes") or {}
    for name in TAX_ORDER:
        tax = taxes.get(name)
        if tax is None:
            continue
        label = i18n.get(f"tax-name-{name}")
        if tax.get("amount") is None:
            missing = tax.get("missing") or "tax-no-data"
            if missing in ("tax-missing-days", "tax-missing-payroll-none", "tax-missing-payroll-open"):
                reason = i18n.get(missing, days=int(coverage.get("missing_days", 0)), month=report.period)
            else:
                reason = i18n.get("tax-card-see-notes")
            parts.append(i18n.get("tax-card-tax-missing", name=label, reason=reason))
            continue
        line = i18n.get("tax-card-tax", name=label, amount=_money(tax["amount"], loc),
                        base=_money(tax["base"], loc), rate=rate_text(str(tax["rate"]), loc))
        if tax.get("estimate"):
            line += " " + i18n.get("tax-card-estimate")
        parts.append(line)
        if name == "vat" and tax.get("output"):
            parts.append("   " + i18n.get("tax-card-vat-detail", output=_money(tax["output"]["output"], loc),
                                          input=_money(tax["input"]["credited"], loc),
                                          carried=_money(tax["carried_in"], loc),
                                          forward=_money(tax["carried_out"], loc)))
    parts += ["", i18n.get("tax-card-total", amount=_money(figures.get("total_due", "0"), loc))]
    deadlines = figures.get("deadlines") or {}
    if deadlines:
        parts.append(i18n.get("tax-card-deadlines"))
        parts += [i18n.get("tax-card-deadline", report=i18n.get(f"tax-deadline-{kind}"),
                           date=format_date(date.fromisoformat(day), loc)) for kind, day in deadlines.items()]
    warnings = warning_lines(figures, i18n.get, loc)
    if warnings:
        parts += ["", i18n.get("tax-card-warnings"), *[f"• {esc(text)}" for text in warnings[:MAX_WARNINGS]]]
    return "\n".join(parts)


def card_markup(i18n: I18nContext, report: TaxReport, ctx: ActiveContext) -> InlineKeyboardMarkup:
    company = ctx.company.id
    rows = [[_btn(i18n, "tax-btn-xlsx", company, TaxAction.XLSX, report=report.id),
             _btn(i18n, "tax-btn-pdf", company, TaxAction.PDF, report=report.id)]]
    if report.status == TaxReportStatus.DRAFT:
        rows.append([_btn(i18n, "tax-btn-recompute", company, TaxAction.RECOMPUTE, report=report.id),
                     _btn(i18n, "tax-btn-submit", company, TaxAction.SUBMIT, report=report.id)])
    elif report.status == TaxReportStatus.READY:
        rows.append([_btn(i18n, "tax-btn-filed", company, TaxAction.FILED, report=report.id)])
    return InlineKeyboardMarkup(inline_keyboard=rows)


async def _show(target: CallbackQuery | Message, i18n: I18nContext, ctx: ActiveContext, report: TaxReport, *,
                edit: bool = True) -> None:
    await edit_or_send(target, card_text(i18n, report), card_markup(i18n, report, ctx), edit=edit)


async def month_chosen(query: CallbackQuery, callback_data: TaxCb, i18n: I18nContext, session: AsyncSession,
                       ctx: ActiveContext, user: User) -> None:
    report = await tax_reports.open_report(session, ctx.company, _month_of(callback_data.month),
                                           business_day(ctx.company), actor_user_id=user.id)
    await _show(query, i18n, ctx, report)


async def ask_month(query: CallbackQuery, state: FSMContext, i18n: I18nContext, ctx: ActiveContext) -> None:
    await TAX_STEP.begin(state, ctx)
    await state.set_state(TaxStates.month)
    if isinstance(query.message, Message):
        await query.message.answer(i18n.get("tax-type-month"))


async def month_typed(message: Message, state: FSMContext, i18n: I18nContext, session: AsyncSession,
                      ctx: ActiveContext | None, user: User) -> None:
    ctx = _ctx(ctx)
    await TAX_STEP.data(state, ctx)  # refuses a step begun in another company
    month = parse_period((message.text or "").strip())
    report = await tax_reports.open_report(session, ctx.company, month, business_day(ctx.company),
                                           actor_user_id=user.id)
    await state.clear()
    await _show(message, i18n, ctx, report, edit=False)


async def recompute(query: CallbackQuery, callback_data: TaxCb, i18n: I18nContext, session: AsyncSession,
                    ctx: ActiveContext, user: User) -> None:
    report = await tax_reports.get_report(session, ctx.company.id, callback_data.report)
    if report.status == TaxReportStatus.DRAFT:
        report = await tax_reports.recompute(session, ctx.company, report.id, business_day(ctx.company),
                                             actor_user_id=user.id)
    await _show(query, i18n, ctx, report)


async def submit(query: CallbackQuery, callback_data: TaxCb, i18n: I18nContext, session: AsyncSession,
                 ctx: ActiveContext, user: User, callback_answer: CallbackAnswer) -> None:
    submitted = await tax_reports.submit_report(session, ctx.company.id, callback_data.report, user)
    if submitted is not None:
        callback_answer.text = i18n.get("tax-submitted")
    await _show(query, i18n, ctx, await tax_reports.get_report(session, ctx.company.id, callback_data.report))


async def filed(query: CallbackQuery, callback_data: TaxCb, i18n: I18nContext, session: AsyncSession,
                ctx: ActiveContext, user: User, callback_answer: CallbackAnswer, settings: Settings) -> None:
    report = await tax_reports.get_report(session, ctx.company.id, callback_data.report)
    reference = None
    if settings.tax_submission_url and report.status == TaxReportStatus.READY:  # the configured endpoint files it
        key = settings.tax_submission_key.get_secret_value() if settings.tax_submission_key else None
        pdf = await asyncio.to_thread(report_pdf, dict(report.figures or {}), report.status, partial(i18n.get),
                                      i18n.locale)
        reference = await SubmissionClient(settings.tax_submission_url, key).submit(
            ctx.company.tin, report.period, dict(report.figures or {}), pdf)
    if await tax_reports.mark_uploaded(session, ctx.company.id, callback_data.report, user,
                                       submission_ref=reference) is not None:
        callback_answer.text = i18n.get("tax-filing-sent")
    await _show(query, i18n, ctx, await tax_reports.get_report(session, ctx.company.id, callback_data.report))


async def document(query: CallbackQuery, callback_data: TaxCb, i18n: I18nContext, session: AsyncSession,
                   ctx: ActiveContext, bot: Bot, callback_answer: CallbackAnswer) -> None:
    report = await tax_reports.get_report(session, ctx.company.id, callback_data.report)
    await answer_early(query, callback_answer)
    render, extension = (report_xlsx, "xlsx") if callback_data.action == TaxAction.XLSX else (report_pdf, "pdf")
    translate = partial(i18n.get)
    data = await asyncio.to_thread(render, dict(report.figures or {}), report.status, translate, i18n.locale)
    await bot.send_document(query.from_user.id, BufferedInputFile(data, file_name(report.figures or {}, extension)),
                            caption=i18n.get("tax-doc-caption", period=report.period))


async def ask_register(query: CallbackQuery, state: FSMContext, i18n: I18nContext, ctx: ActiveContext) -> None:
    await TAX_STEP.begin(state, ctx)
    await state.set_state(TaxStates.register)
    if isinstance(query.message, Message):
        await query.message.answer(i18n.get("tax-einv-send"))


async def register_file(message: Message, state: FSMContext, i18n: I18nContext, session: AsyncSession,
                        ctx: ActiveContext | None, user: User, bot: Bot) -> None:
    ctx = _ctx(ctx)
    document = message.document
    assert document is not None
    await TAX_STEP.data(state, ctx)
    name = document.file_name or "register.xlsx"
    if (document.file_size or 0) > MAX_FILE or not name.lower().endswith((".xlsx", ".csv")):
        raise DomainError("tax-einv-error-file", name=name)
    buffer = await bot.download(document)
    data = buffer.read() if buffer is not None else b""
    result = await import_register(session, ctx.company, data, name, actor_user_id=user.id)
    await state.clear()
    lines = [i18n.get("tax-einv-result", rows=result.rows, matched=len(result.matched))]
    if result.skipped_not_accepted:
        lines.append(i18n.get("tax-einv-not-accepted", count=result.skipped_not_accepted))
    if result.without_purchase:
        lines.append(i18n.get("tax-einv-unmatched", count=len(result.without_purchase)))
        lines += [f"• {esc(item['tin'])} № {esc(item['number'])}, "
                  f"{format_date(date.fromisoformat(item['date']), i18n.locale)}"
                  for item in result.without_purchase[:MAX_LISTED]]
    if result.purchases_without:
        lines.append(i18n.get("tax-einv-no-einvoice", count=len(result.purchases_without)))
        lines += [f"• #{item['id']} {esc(item['tin'] or '')} № {esc(item['number'] or '')}, "
                  f"{format_date(date.fromisoformat(item['date']), i18n.locale)}"
                  for item in result.purchases_without[:MAX_LISTED]]
    await message.answer("\n".join(lines))


def get_router() -> Router:
    router = Router(name="tax")
    router.message.register(tax_start, Command("tax"), flags=PREPARE)
    router.message.register(month_typed, TaxStates.month, F.text, ~F.text.startswith("/"), flags=PREPARE)
    router.message.register(register_file, TaxStates.register, F.document, flags=PREPARE)
    cb = TaxCb.filter
    router.callback_query.register(month_chosen, cb(F.action == TaxAction.MONTH), flags=PREPARE)
    router.callback_query.register(ask_month, cb(F.action == TaxAction.TYPE_MONTH), flags=PREPARE)
    router.callback_query.register(ask_register, cb(F.action == TaxAction.EINVOICES), flags=PREPARE)
    router.callback_query.register(recompute, cb(F.action == TaxAction.RECOMPUTE), flags=PREPARE)
    router.callback_query.register(submit, cb(F.action == TaxAction.SUBMIT), flags=PREPARE)
    router.callback_query.register(filed, cb(F.action == TaxAction.FILED), flags=PREPARE)
    router.callback_query.register(document, cb(F.action.in_({TaxAction.XLSX, TaxAction.PDF})), flags=PREPARE)
    return router

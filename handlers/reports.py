"""/today and /sales: a period picker, a branch picker, the report as text with a chart, and Excel/PDF/CSV files."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta
from typing import Any

from aiogram import Bot, F, Router
from aiogram.filters import Command
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import BufferedInputFile, CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.chat_action import ChatActionSender
from aiogram_i18n import I18nContext
from sqlalchemy.ext.asyncio import AsyncSession

from core.i18n import all_translations
from db import repositories as repo
from handlers.common import REPORT_ROLES, esc
from services.companies import business_day
from services.errors import DomainError
from services.locale import format_date
from services.reports import (
    MAX_RANGE_DAYS,
    PERIOD_KINDS,
    DataStatus,
    DateInputError,
    ExportFormat,
    Period,
    PeriodKind,
    chart_caption,
    chart_window,
    daily_chart_png,
    daily_series,
    data_status,
    export_file_name,
    export_report,
    format_period,
    has_chart_data,
    parse_period,
    period_for,
    render_sales_report,
    sales_report,
    split_message,
    truncate,
)
from services.reports.render import scope_text
from services.reports.sales import SalesReport
from services.users import ActiveContext

router = Router(name="reports")
REPORTERS = {"roles": REPORT_ROLES}
EXPORT_FORMATS: tuple[ExportFormat, ...] = (ExportFormat.XLSX, ExportFormat.PDF, ExportFormat.CSV)
# Dates travel in callback data as days since this day: short integers, never text.
DAY_ZERO = date(2000, 1, 1)
PERIOD_BUTTON_KEYS = {
    PeriodKind.TODAY: "report-btn-today",
    PeriodKind.YESTERDAY: "report-btn-yesterday",
    PeriodKind.THIS_WEEK: "report-btn-this-week",
    PeriodKind.LAST_WEEK: "report-btn-last-week",
    PeriodKind.THIS_MONTH: "report-btn-this-month",
    PeriodKind.LAST_MONTH: "report-btn-last-month",
    PeriodKind.CUSTOM: "report-btn-custom",
}


class ReportPeriodCb(CallbackData, prefix="rpp"):
    company: int
    kind: int  # index into PERIOD_KINDS


class ReportBranchCb(CallbackData, prefix="rpb"):
    company: int
    kind: int
    first: int  # days since DAY_ZERO
    last: int
    branch: int  # 0: every branch the user may see


class ReportExportCb(CallbackData, prefix="rpx"):
    company: int
    kind: int
    first: int
    last: int
    branch: int
    fmt: int  # index into EXPORT_FORMATS


class CustomDates(StatesGroup):
    waiting = State()


# --- helpers ------------------------------------------------------------------------------------------------------


def _day_number(day: date) -> int:
    return (day - DAY_ZERO).days


def _period_from(callback_data: ReportBranchCb | ReportExportCb) -> Period | None:
    """The period a button carries, or None when its numbers cannot be one (forged or corrupt)."""
    if not 0 <= callback_data.kind < len(PERIOD_KINDS):
        return None
    if not 0 <= callback_data.first <= callback_data.last < 40_000:
        return None
    if callback_data.last - callback_data.first + 1 > MAX_RANGE_DAYS:
        return None
    return Period(DAY_ZERO + timedelta(days=callback_data.first), DAY_ZERO + timedelta(days=callback_data.last),
                  PERIOD_KINDS[callback_data.kind])


def _error_params(error: DomainError, locale: str) -> dict[str, str]:
    return {key: format_date(value, locale) if isinstance(value, date) else esc(value)
            for key, value in error.params.items()}


async def _stale(query: CallbackQuery, i18n: I18nContext) -> None:
    await query.answer(i18n.get("error-stale-button"), show_alert=True)


async def _visible_branches(session: AsyncSession, ctx: ActiveContext) -> list[tuple[int, str]]:
    allowed = ctx.branch_ids
    return [(branch.id, branch.name) for branch in await repo.branches_of_company(session, ctx.company.id)
            if allowed is None or branch.id in allowed]


async def _scope(session: AsyncSession, ctx: ActiveContext, branch: int) -> tuple[bool, frozenset[int] | None]:
    """(allowed, branch ids): 0 is every branch the user may see; any other id must be one of them."""
    if branch == 0:
        return True, ctx.branch_ids
    if await repo.branch_in_company(session, ctx.company.id, branch) is None:
        return False, None
    if ctx.branch_ids is not None and branch not in ctx.branch_ids:
        return False, None
    return True, frozenset({branch})


async def _has_data(message: Message, i18n: I18nContext, session: AsyncSession, ctx: ActiveContext) -> bool:
    """A company that has never synced gets told how to connect REGOS instead of a report of zeros."""
    status = await data_status(session, ctx.company.id)
    if status == DataStatus.HAS_DATA:
        return True
    key = "report-no-data-connected" if status == DataStatus.CONNECTED_NO_DATA else "report-no-data"
    await message.answer(i18n.get(key, company=esc(ctx.company.name)))
    return False


def _period_keyboard(i18n: I18nContext, company_id: int) -> InlineKeyboardMarkup:
    buttons = [InlineKeyboardButton(text=i18n.get(PERIOD_BUTTON_KEYS[kind]),
                                    callback_data=ReportPeriodCb(company=company_id, kind=index).pack())
               for index, kind in enumerate(PERIOD_KINDS)]
    rows = [buttons[index:index + 2] for index in range(0, len(buttons) - 1, 2)]
    return InlineKeyboardMarkup(inline_keyboard=[*rows, [buttons[-1]]])


def _export_keyboard(i18n: I18nContext, company_id: int, period: Period, branch: int) -> InlineKeyboardMarkup:
    kind = PERIOD_KINDS.index(period.kind)
    return InlineKeyboardMarkup(inline_keyboard=[[
        InlineKeyboardButton(text=i18n.get(f"report-btn-{export_format.value}"), callback_data=ReportExportCb(
            company=company_id, kind=kind, first=_day_number(period.first), last=_day_number(period.last),
            branch=branch, fmt=index).pack())
        for index, export_format in enumerate(EXPORT_FORMATS)
    ]])


def _file_caption(report: SalesReport, i18n: I18nContext) -> str:
    return truncate(i18n.get("report-file-caption", company=esc(report.company_name),
                             period=format_period(report.period, i18n.locale), scope=scope_text(report, i18n.get)))


async def _reply(bot: Bot, chat_id: int, text: str, *, edit: Message | None = None,
                 markup: InlineKeyboardMarkup | None = None) -> None:
    """Edits the picker into `text` when there is one (the answer replaces the question), else sends anew."""
    if edit is not None:
        await edit.edit_text(text, reply_markup=markup)
    else:
        await bot.send_message(chat_id, text, reply_markup=markup)


async def _send_file(bot: Bot, chat_id: int, i18n: I18nContext, session: AsyncSession, ctx: ActiveContext,
                     period: Period, scope: frozenset[int] | None, export_format: ExportFormat) -> None:
    async with ChatActionSender.upload_document(bot=bot, chat_id=chat_id):
        report = await sales_report(session, ctx.company.id, period, branch_ids=scope)
        data = await asyncio.to_thread(export_report, report, export_format, i18n.get, i18n.locale)
        await bot.send_document(chat_id, BufferedInputFile(data, export_file_name(report, export_format)),
                                caption=_file_caption(report, i18n))


async def _deliver_report(bot: Bot, chat_id: int, i18n: I18nContext, session: AsyncSession, ctx: ActiveContext,
                          period: Period, branch: int, scope: frozenset[int] | None, *,
                          edit: Message | None = None) -> None:
    if period.too_long_for_text:
        await _reply(bot, chat_id, i18n.get("report-long-range-file", days=str(period.days)), edit=edit)
        await _send_file(bot, chat_id, i18n, session, ctx, period, scope, ExportFormat.XLSX)
        return
    async with ChatActionSender.typing(bot=bot, chat_id=chat_id):
        report = await sales_report(session, ctx.company.id, period, branch_ids=scope)
        parts = split_message(render_sales_report(report, i18n.get, i18n.locale))
        series = await daily_series(session, ctx.company.id, chart_window(period), branch_ids=scope)
        chart = (await asyncio.to_thread(daily_chart_png, series, i18n.get, i18n.locale)
                 if has_chart_data(series) else None)
    keyboard = None if report.totals.is_empty else _export_keyboard(i18n, ctx.company.id, period, branch)
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        await _reply(bot, chat_id, part, edit=edit if index == 0 else None, markup=keyboard if last else None)
    if chart is not None:
        await bot.send_photo(chat_id, BufferedInputFile(chart, "sales.png"),
                             caption=chart_caption(series, i18n.get, i18n.locale))


async def _choose_branch_or_report(bot: Bot, chat_id: int, i18n: I18nContext, session: AsyncSession,
                                   ctx: ActiveContext, period: Period, *, edit: Message | None = None) -> None:
    branches = await _visible_branches(session, ctx)
    if len(branches) <= 1:
        await _deliver_report(bot, chat_id, i18n, session, ctx, period, 0, ctx.branch_ids, edit=edit)
        return
    kind, first, last = PERIOD_KINDS.index(period.kind), _day_number(period.first), _day_number(period.last)

    def button(text: str, branch: int) -> list[InlineKeyboardButton]:
        return [InlineKeyboardButton(text=text, callback_data=ReportBranchCb(
            company=ctx.company.id, kind=kind, first=first, last=last, branch=branch).pack())]

    rows = [button(i18n.get("report-btn-all-branches"), 0), *(button(name, branch_id) for branch_id, name in branches)]
    await _reply(bot, chat_id, i18n.get("report-choose-branch", period=format_period(period, i18n.locale)),
                 edit=edit, markup=InlineKeyboardMarkup(inline_keyboard=rows))


# --- handlers -----------------------------------------------------------------------------------------------------


@router.message(Command("today"), flags=REPORTERS)
@router.message(F.text.in_(all_translations("menu-today")), flags=REPORTERS)
async def today_report(message: Message, i18n: I18nContext, session: AsyncSession, ctx: ActiveContext,
                       state: FSMContext, bot: Bot) -> None:
    await state.clear()
    if not await _has_data(message, i18n, session, ctx):
        return
    period = period_for(PeriodKind.TODAY, business_day(ctx.company))
    await _deliver_report(bot, message.chat.id, i18n, session, ctx, period, 0, ctx.branch_ids)


@router.message(Command("sales"), flags=REPORTERS)
@router.message(F.text.in_(all_translations("menu-sales")), flags=REPORTERS)
async def sales_start(message: Message, i18n: I18nContext, session: AsyncSession, ctx: ActiveContext,
                      state: FSMContext) -> None:
    await state.clear()
    if not await _has_data(message, i18n, session, ctx):
        return
    await message.answer(i18n.get("report-choose-period"), reply_markup=_period_keyboard(i18n, ctx.company.id))


@router.callback_query(ReportPeriodCb.filter(), flags=REPORTERS)
async def period_chosen(query: CallbackQuery, callback_data: ReportPeriodCb, i18n: I18nContext,
                        session: AsyncSession, ctx: ActiveContext, state: FSMContext, bot: Bot) -> None:
    message = query.message
    if (ctx.company.id != callback_data.company or not 0 <= callback_data.kind < len(PERIOD_KINDS)
            or not isinstance(message, Message)):
        await _stale(query, i18n)
        return
    kind = PERIOD_KINDS[callback_data.kind]
    await query.answer()
    if kind is PeriodKind.CUSTOM:
        await state.set_state(CustomDates.waiting)
        await state.update_data(company=ctx.company.id)
        await message.edit_text(i18n.get("report-ask-dates"))
        return
    period = period_for(kind, business_day(ctx.company))
    await _choose_branch_or_report(bot, message.chat.id, i18n, session, ctx, period, edit=message)


@router.message(CustomDates.waiting, F.text, ~F.text.startswith("/"), flags=REPORTERS)
async def dates_typed(message: Message, i18n: I18nContext, session: AsyncSession, ctx: ActiveContext,
                      state: FSMContext, bot: Bot) -> None:
    data: dict[str, Any] = await state.get_data()
    if data.get("company") != ctx.company.id:  # the user switched company meanwhile
        await state.clear()
        await message.answer(i18n.get("error-stale-button"))
        return
    try:
        period = parse_period(message.text or "", business_day(ctx.company))
    except DateInputError as error:
        await message.answer(i18n.get(error.key, **_error_params(error, i18n.locale)))
        return
    await state.clear()
    await _choose_branch_or_report(bot, message.chat.id, i18n, session, ctx, period)


@router.callback_query(ReportBranchCb.filter(), flags=REPORTERS)
async def branch_chosen(query: CallbackQuery, callback_data: ReportBranchCb, i18n: I18nContext,
                        session: AsyncSession, ctx: ActiveContext, bot: Bot) -> None:
    period = _period_from(callback_data)
    message = query.message
    if period is None or ctx.company.id != callback_data.company or message is None:
        await _stale(query, i18n)
        return
    allowed, scope = await _scope(session, ctx, callback_data.branch)
    if not allowed:
        await query.answer(i18n.get("report-error-branch"), show_alert=True)
        return
    await query.answer()
    await _deliver_report(bot, message.chat.id, i18n, session, ctx, period, callback_data.branch, scope,
                          edit=message if isinstance(message, Message) else None)


@router.callback_query(ReportExportCb.filter(), flags=REPORTERS)
async def export_chosen(query: CallbackQuery, callback_data: ReportExportCb, i18n: I18nContext,
                        session: AsyncSession, ctx: ActiveContext, bot: Bot) -> None:
    period = _period_from(callback_data)
    message = query.message
    if (period is None or ctx.company.id != callback_data.company or message is None
            or not 0 <= callback_data.fmt < len(EXPORT_FORMATS)):
        await _stale(query, i18n)
        return
    allowed, scope = await _scope(session, ctx, callback_data.branch)
    if not allowed:
        await query.answer(i18n.get("report-error-branch"), show_alert=True)
        return
    await query.answer(i18n.get("report-preparing-file"))
    await _send_file(bot, message.chat.id, i18n, session, ctx, period, scope, EXPORT_FORMATS[callback_data.fmt])

"""/today and /sales: a period picker, a branch picker, the report as text with a chart, and Excel/PDF/CSV files."""

from __future__ import annotations

import asyncio
import hashlib
from collections import OrderedDict
from datetime import date, timedelta
from typing import Any

from aiogram import Bot, F, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import (
    BufferedInputFile,
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    MaybeInaccessibleMessageUnion,
    Message,
)
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.chat_action import ChatActionSender
from aiogram_i18n import I18nContext
from sqlalchemy.ext.asyncio import AsyncSession

from core.i18n import all_translations
from handlers.callbacks import ImportDaysCallback, ReportBranchCb, ReportExportCb, ReportPeriodCb
from handlers.common import esc
from handlers.kit import Steps, answer_early, edit_or_send
from services.companies import business_day
from services.errors import DomainError
from services.permissions import Capability, can, visible_branch, visible_branches
from services.reports import (
    MAX_RANGE_DAYS,
    PERIOD_KINDS,
    DataStatus,
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
from services.reports.cache import cached_sales_report, cached_value, rendered
from services.reports.render import scope_text
from services.reports.sales import SalesReport
from services.users import ActiveContext

DATES_STEP = Steps(None, prefix="report_dates")  # a typed period

REPORTERS = {"capability": Capability.REPORTS_READ}
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


class CustomDates(StatesGroup):
    waiting = State()


# --- helpers ------------------------------------------------------------------------------------------------------


def _day_number(day: date) -> int:
    return (day - DAY_ZERO).days


def _period_from(callback_data: ReportBranchCb | ReportExportCb) -> Period:
    """The period a button carries; refused when its numbers cannot be one (forged or corrupt)."""
    if not 0 <= callback_data.first <= callback_data.last < 40_000:
        raise DomainError("error-stale-button")
    if callback_data.last - callback_data.first + 1 > MAX_RANGE_DAYS:
        raise DomainError("error-stale-button")
    return Period(DAY_ZERO + timedelta(days=callback_data.first), DAY_ZERO + timedelta(days=callback_data.last),
                  callback_data.kind)


async def _scope(session: AsyncSession, ctx: ActiveContext, branch: int) -> frozenset[int] | None:
    """0 is every branch the user may see; any other id must be one of them."""
    if branch == 0:
        return ctx.branch_ids
    if await visible_branch(session, ctx.membership, branch) is None:
        raise DomainError("report-error-branch")
    return frozenset({branch})


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
                                    callback_data=ReportPeriodCb(company=company_id, kind=kind).pack())
               for kind in PERIOD_KINDS]
    rows = [buttons[index:index + 2] for index in range(0, len(buttons) - 1, 2)]
    return InlineKeyboardMarkup(inline_keyboard=[*rows, [buttons[-1]]])


def _export_keyboard(i18n: I18nContext, company_id: int, period: Period, branch: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[[
        InlineKeyboardButton(text=i18n.get(f"report-btn-{export_format.value}"), callback_data=ReportExportCb(
            company=company_id, kind=period.kind, first=_day_number(period.first), last=_day_number(period.last),
            branch=branch, fmt=export_format).pack())
        for export_format in EXPORT_FORMATS
    ]])


def import_days_button(i18n: I18nContext, ctx: ActiveContext, first: date,
                       last: date) -> InlineKeyboardButton | None:
    """"Import the missing days" (handled by the /sync router), for those who may run a sync."""
    if not can(ctx.membership.role, Capability.SYNC_RUN):
        return None
    data = ImportDaysCallback(company=ctx.company.id, first=first.toordinal(), last=last.toordinal())
    return InlineKeyboardButton(text=i18n.get("report-btn-import-days"), callback_data=data.pack())


def _report_keyboard(i18n: I18nContext, ctx: ActiveContext, report: SalesReport,
                     branch: int) -> InlineKeyboardMarkup | None:
    """Export buttons under a report with figures; an "import the missing days" button when days are missing."""
    rows: list[list[InlineKeyboardButton]] = []
    if not report.totals.is_empty:
        rows += _export_keyboard(i18n, ctx.company.id, report.period, branch).inline_keyboard
    missing = sorted({*report.missing, *report.previous_missing})
    button = import_days_button(i18n, ctx, missing[0], missing[-1]) if missing else None
    if button is not None:
        rows.append([button])
    return InlineKeyboardMarkup(inline_keyboard=rows) if rows else None


def _file_caption(report: SalesReport, i18n: I18nContext) -> str:
    return truncate(i18n.get("report-file-caption", company=esc(report.company_name),
                             period=format_period(report.period, i18n.locale), scope=scope_text(report, i18n.get)))


async def _send_file(bot: Bot, chat_id: int, i18n: I18nContext, session: AsyncSession, ctx: ActiveContext,
                     period: Period, scope: frozenset[int] | None, export_format: ExportFormat) -> None:
    async with ChatActionSender.upload_document(bot=bot, chat_id=chat_id):
        report = await sales_report(session, ctx.company.id, period, branch_ids=scope)
        data = await asyncio.to_thread(export_report, report, export_format, i18n.get, i18n.locale)
        await bot.send_document(chat_id, BufferedInputFile(data, export_file_name(report, export_format)),
                                caption=_file_caption(report, i18n))


async def _deliver_report(bot: Bot, where: MaybeInaccessibleMessageUnion, i18n: I18nContext, session: AsyncSession,
                          ctx: ActiveContext, period: Period, branch: int, scope: frozenset[int] | None, *,
                          edit: bool) -> None:
    """The report in place of the picker `where` (edit) or after the user's message `where` (not edit)."""
    chat_id = where.chat.id
    if period.too_long_for_text:
        await edit_or_send(where, i18n.get("report-long-range-file", days=str(period.days)), edit=edit)
        await _send_file(bot, chat_id, i18n, session, ctx, period, scope, ExportFormat.XLSX)
        return
    # "typing..." only when the report takes a while: most askers get it from the cache at once.
    async with ChatActionSender.typing(bot=bot, chat_id=chat_id, initial_sleep=1.0):
        report = await cached_sales_report(session, ctx.company.id, period, branch_ids=scope)
        # Days never imported are named in the text, above the figures they qualify.
        parts = rendered(report, i18n.locale,
                         lambda: split_message(render_sales_report(report, i18n.get, i18n.locale)))
        window = chart_window(period)

        async def _chart() -> tuple[Any, bytes | None]:
            series = await daily_series(session, ctx.company.id, window, branch_ids=scope)
            png = (await asyncio.to_thread(daily_chart_png, series, i18n.get, i18n.locale)
                   if has_chart_data(series) else None)
            return series, png

        series, chart = await cached_value(session, ctx.company.id, window, scope, ("chart", i18n.locale), _chart)
    keyboard = _report_keyboard(i18n, ctx, report, branch)
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        await edit_or_send(where, part, keyboard if last else None, edit=edit and index == 0)
    if chart is not None:
        await _send_chart(bot, chat_id, chart, chart_caption(series, i18n.get, i18n.locale))


_CHART_FILE_IDS: OrderedDict[tuple[int, bytes], tuple[Bot, str]] = OrderedDict()


async def _send_chart(bot: Bot, chat_id: int, chart: bytes, caption: str) -> None:
    """A chart this bot has already uploaded is sent again by its file_id (a thousand askers of one cached report
    upload it once); one Telegram no longer knows is uploaded again."""
    key = (id(bot), hashlib.sha256(chart).digest())
    known = _CHART_FILE_IDS.get(key)
    if known is not None and known[0] is bot:
        try:
            await bot.send_photo(chat_id, known[1], caption=caption)
            return
        except TelegramBadRequest:
            _CHART_FILE_IDS.pop(key, None)
    sent = await bot.send_photo(chat_id, BufferedInputFile(chart, "sales.png"), caption=caption)
    if sent.photo:
        _CHART_FILE_IDS[key] = (bot, sent.photo[-1].file_id)
        while len(_CHART_FILE_IDS) > 256:
            _CHART_FILE_IDS.popitem(last=False)


async def _choose_branch_or_report(bot: Bot, where: MaybeInaccessibleMessageUnion, i18n: I18nContext,
                                   session: AsyncSession, ctx: ActiveContext, period: Period, *, edit: bool) -> None:
    branches = await visible_branches(session, ctx.membership)
    if len(branches) <= 1:
        await _deliver_report(bot, where, i18n, session, ctx, period, 0, ctx.branch_ids, edit=edit)
        return
    first, last = _day_number(period.first), _day_number(period.last)

    def button(text: str, branch: int) -> list[InlineKeyboardButton]:
        return [InlineKeyboardButton(text=text, callback_data=ReportBranchCb(
            company=ctx.company.id, kind=period.kind, first=first, last=last, branch=branch).pack())]

    rows = [button(i18n.get("report-btn-all-branches"), 0), *(button(b.name, b.id) for b in branches)]
    await edit_or_send(where, i18n.get("report-choose-branch", period=format_period(period, i18n.locale)),
                       InlineKeyboardMarkup(inline_keyboard=rows), edit=edit)


# --- handlers -----------------------------------------------------------------------------------------------------


async def today_report(message: Message, i18n: I18nContext, session: AsyncSession, ctx: ActiveContext,
                       state: FSMContext, bot: Bot) -> None:
    await state.clear()
    if not await _has_data(message, i18n, session, ctx):
        return
    period = period_for(PeriodKind.TODAY, business_day(ctx.company))
    await _deliver_report(bot, message, i18n, session, ctx, period, 0, ctx.branch_ids, edit=False)


async def sales_start(message: Message, i18n: I18nContext, session: AsyncSession, ctx: ActiveContext,
                      state: FSMContext) -> None:
    await state.clear()
    if not await _has_data(message, i18n, session, ctx):
        return
    await message.answer(i18n.get("report-choose-period"), reply_markup=_period_keyboard(i18n, ctx.company.id))


async def custom_period_chosen(query: CallbackQuery, i18n: I18nContext, ctx: ActiveContext,
                               state: FSMContext) -> None:
    await DATES_STEP.begin(state, ctx)
    await state.set_state(CustomDates.waiting)
    await edit_or_send(query, i18n.get("report-ask-dates"))


async def period_chosen(query: CallbackQuery, callback_data: ReportPeriodCb, i18n: I18nContext,
                        session: AsyncSession, ctx: ActiveContext, bot: Bot, callback_answer: CallbackAnswer) -> None:
    if query.message is None:
        raise DomainError("error-stale-button")
    await answer_early(query, callback_answer)
    period = period_for(callback_data.kind, business_day(ctx.company))
    await _choose_branch_or_report(bot, query.message, i18n, session, ctx, period, edit=True)


async def dates_typed(message: Message, i18n: I18nContext, session: AsyncSession, ctx: ActiveContext,
                      state: FSMContext, bot: Bot) -> None:
    await DATES_STEP.data(state, ctx)  # refuses a step started in another company
    # Dates that cannot be used are refused by the errors router; the step stays for another try.
    period = parse_period(message.text or "", business_day(ctx.company))
    await state.clear()
    await _choose_branch_or_report(bot, message, i18n, session, ctx, period, edit=False)


async def branch_chosen(query: CallbackQuery, callback_data: ReportBranchCb, i18n: I18nContext,
                        session: AsyncSession, ctx: ActiveContext, bot: Bot, callback_answer: CallbackAnswer) -> None:
    period = _period_from(callback_data)
    scope = await _scope(session, ctx, callback_data.branch)
    if query.message is None:
        raise DomainError("error-stale-button")
    await answer_early(query, callback_answer)
    await _deliver_report(bot, query.message, i18n, session, ctx, period, callback_data.branch, scope, edit=True)


async def export_chosen(query: CallbackQuery, callback_data: ReportExportCb, i18n: I18nContext,
                        session: AsyncSession, ctx: ActiveContext, bot: Bot, callback_answer: CallbackAnswer) -> None:
    period = _period_from(callback_data)
    scope = await _scope(session, ctx, callback_data.branch)
    if query.message is None or callback_data.fmt not in EXPORT_FORMATS:
        raise DomainError("error-stale-button")
    await answer_early(query, callback_answer, i18n.get("report-preparing-file"))
    await _send_file(bot, query.message.chat.id, i18n, session, ctx, period, scope, callback_data.fmt)


def get_router() -> Router:
    router = Router(name="reports")
    for trigger in (Command("today"), F.text.in_(all_translations("menu-today"))):
        router.message.register(today_report, trigger, flags=REPORTERS)
    for trigger in (Command("sales"), F.text.in_(all_translations("menu-sales"))):
        router.message.register(sales_start, trigger, flags=REPORTERS)
    router.message.register(dates_typed, CustomDates.waiting, F.text, ~F.text.startswith("/"), flags=REPORTERS)
    callbacks = router.callback_query
    callbacks.register(custom_period_chosen, ReportPeriodCb.filter(F.kind == PeriodKind.CUSTOM), flags=REPORTERS)
    callbacks.register(period_chosen, ReportPeriodCb.filter(), flags=REPORTERS)
    callbacks.register(branch_chosen, ReportBranchCb.filter(), flags=REPORTERS)
    callbacks.register(export_chosen, ReportExportCb.filter(), flags=REPORTERS)
    return router

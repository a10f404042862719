"""/invoices: the purchases with filters (period, supplier, status), paged, and their export as Excel or JSON."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import TypeVar

from aiogram import Bot
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import BufferedInputFile, CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram_i18n import I18nContext
from sqlalchemy.ext.asyncio import AsyncSession

from core.i18n import translate
from db.purchases import PurchaseStatus, Supplier
from handlers.callbacks import InvoiceListAction, InvoiceListCb, InvoicePeriod, InvoiceStatusFilter
from handlers.invoices.card import money
from handlers.kit import Steps, answer_early, edit_or_send
from services import purchases
from services.amounts import parse_amount
from services.companies import business_day
from services.errors import PermissionDenied
from services.locale import format_date
from services.permissions import Capability, can, roles_with
from services.purchases import PurchaseFilter
from services.reports.render import esc
from services.users import ActiveContext

PER_PAGE = 10
PERIOD_ORDER = list(InvoicePeriod)
STATUS_ORDER = list(InvoiceStatusFilter)
STATUSES = {InvoiceStatusFilter.LIVE: None, InvoiceStatusFilter.CONFIRMED: PurchaseStatus.CONFIRMED,
            InvoiceStatusFilter.PENDING: PurchaseStatus.PENDING_APPROVAL,
            InvoiceStatusFilter.DISCARDED: PurchaseStatus.DISCARDED}
CLAIM_MARK = {"e_invoice": "🧾", "paper": "📄", "none": "∅"}
THRESHOLD = Steps(None, prefix="pth", ttl=timedelta(minutes=30))


class ThresholdStates(StatesGroup):
    amount = State()


def period_dates(period: InvoicePeriod, today: date) -> tuple[date | None, date | None]:
    if period is InvoicePeriod.THIS_MONTH:
        return today.replace(day=1), today
    if period is InvoicePeriod.LAST_MONTH:
        end = today.replace(day=1).toordinal() - 1
        last = date.fromordinal(end)
        return last.replace(day=1), last
    if period is InvoicePeriod.THIS_YEAR:
        return today.replace(month=1, day=1), today
    return None, None


T = TypeVar("T")


def _next(items: Sequence[T], current: T) -> T:
    return items[(items.index(current) + 1) % len(items)]


def _filter(cb: InvoiceListCb, today: date) -> PurchaseFilter:
    first, last = period_dates(cb.period, today)
    return PurchaseFilter(first=first, last=last, supplier_id=cb.supplier or None, status=STATUSES[cb.status])


async def _view(session: AsyncSession, i18n: I18nContext, ctx: ActiveContext, cb: InvoiceListCb
                ) -> tuple[str, InlineKeyboardMarkup]:
    locale = i18n.locale
    page = await purchases.list_purchases(session, ctx.membership, _filter(cb, business_day(ctx.company)),
                                          page=cb.page, per_page=PER_PAGE)
    supplier = await session.get(Supplier, cb.supplier) if cb.supplier else None
    if supplier is not None and supplier.company_id != ctx.company.id:
        supplier = None
    suppliers = await purchases.supplier_names(session, page.rows)
    lines = [i18n.get("invoices-title", count=page.total_count), ""]
    for purchase in page.rows:
        found = suppliers.get(purchase.supplier_id or 0)
        day = format_date(purchase.document_date, locale) if purchase.document_date else "—"
        lines.append(f"#{purchase.id} · {day} · {esc(found.name) if found else '—'} · "
                     f"{money(purchase.total, locale)} · {CLAIM_MARK.get(purchase.vat_claim, '')} "
                     f"{i18n.get('invoice-status-' + purchase.status)}")
    if not page.rows:
        lines.append(i18n.get("invoices-none"))
    lines.append("")
    lines.append(i18n.get("invoices-totals", total=money(page.totals["total"], locale),
                          vat=money(page.totals["vat"], locale),
                          evat=money(page.totals["vat_e_invoice"], locale)))

    def button(text: str, action: InvoiceListAction, **changes: object) -> InlineKeyboardButton:
        return InlineKeyboardButton(text=text, callback_data=cb.model_copy(update={"action": action, **changes}).pack())

    rows = [
        [button("📅 " + i18n.get(f"invoices-period-{cb.period.value}"), InvoiceListAction.PERIOD,
                period=_next(PERIOD_ORDER, cb.period), page=0)],
        [button("🏢 " + (esc(supplier.name)[:40] if supplier else i18n.get("invoices-any-supplier")),
                InvoiceListAction.SUPPLIER, page=0)],
        [button("🔖 " + i18n.get(f"invoices-status-{cb.status.value}"), InvoiceListAction.STATUS,
                status=_next(STATUS_ORDER, cb.status), page=0)],
    ]
    paging = []
    if page.page > 0:
        paging.append(button("◀️", InvoiceListAction.PAGE, page=page.page - 1))
    if page.page + 1 < page.pages:
        paging.append(button("▶️", InvoiceListAction.PAGE, page=page.page + 1))
    if paging:
        rows.append(paging)
    if page.total_count:
        rows.append([button("📊 Excel", InvoiceListAction.XLSX), button("🗂 JSON", InvoiceListAction.JSON)])
    if can(ctx.role, Capability.EXPENSE_SETTINGS):
        threshold = money(purchases.approval_threshold(ctx.company), locale)
        rows.append([button(i18n.get("btn-invoices-threshold", amount=threshold), InvoiceListAction.THRESHOLD)])
    return "\n".join(lines), InlineKeyboardMarkup(inline_keyboard=rows)


async def invoices_command(message: Message, i18n: I18nContext, session: AsyncSession, ctx: ActiveContext) -> None:
    text, keyboard = await _view(session, i18n, ctx, InvoiceListCb(company=ctx.company.id,
                                                                   action=InvoiceListAction.PAGE))
    await message.answer(text, reply_markup=keyboard)


async def _next_supplier(session: AsyncSession, ctx: ActiveContext, current: int) -> int:
    ids = [0] + [s.id for s in await purchases.suppliers_of(session, ctx.company.id)]
    return ids[(ids.index(current) + 1) % len(ids)] if current in ids else 0


async def list_pressed(query: CallbackQuery, callback_data: InvoiceListCb, i18n: I18nContext, session: AsyncSession,
                       ctx: ActiveContext, bot: Bot, callback_answer: CallbackAnswer, state: FSMContext) -> None:
    cb = callback_data
    if cb.action in (InvoiceListAction.XLSX, InvoiceListAction.JSON):
        await answer_early(query, callback_answer)
        rows = await purchases.all_purchases(session, ctx.membership, _filter(cb, business_day(ctx.company)))
        suppliers = await purchases.supplier_names(session, rows)
        lines = await purchases.lines_of(session, rows)
        if cb.action is InvoiceListAction.XLSX:
            locale = i18n.locale

            def t(key: str, **params: object) -> str:
                return translate(locale, key, **params)

            data, name = purchases.purchases_xlsx(rows, suppliers, lines, t), "purchases.xlsx"
        else:
            data, name = purchases.purchases_json(rows, suppliers, lines), "purchases.json"
        await bot.send_document(query.from_user.id, BufferedInputFile(data, name),
                                caption=i18n.get("invoices-export-caption", count=len(rows)))
        return
    if cb.action is InvoiceListAction.THRESHOLD:
        if not can(ctx.role, Capability.EXPENSE_SETTINGS):
            raise PermissionDenied("error-no-permission-roles", roles=roles_with(Capability.EXPENSE_SETTINGS))
        await THRESHOLD.begin(state, ctx)
        await state.set_state(ThresholdStates.amount)
        await edit_or_send(query, i18n.get("invoices-ask-threshold"), edit=False)
        return
    if cb.action is InvoiceListAction.SUPPLIER:
        cb = cb.model_copy(update={"supplier": await _next_supplier(session, ctx, cb.supplier)})
    text, keyboard = await _view(session, i18n, ctx, cb)
    await edit_or_send(query, text, keyboard)


async def threshold_typed(message: Message, i18n: I18nContext, session: AsyncSession, ctx: ActiveContext,
                          state: FSMContext) -> None:
    await THRESHOLD.data(state, ctx)
    amount = parse_amount(message.text)
    purchases.set_approval_threshold(session, ctx.membership, ctx.company, amount)
    await THRESHOLD.forget(state)
    await message.answer(i18n.get("invoices-threshold-saved", amount=money(amount, i18n.locale)))


__all__ = ["ThresholdStates", "invoices_command", "list_pressed", "period_dates", "threshold_typed"]

"""Supplier invoices: a photo, a document (PDF, HEIC, JPG, PNG...) or an album sent by someone who may record
purchases starts a reading in the background (a progress message, then a card: Confirm / Edit / Discard, the
e-invoice mark); Edit asks for one field and validates what is typed. /invoices lists purchases with filters
(period, supplier, status) and exports them (Excel, JSON).

The card's buttons carry the purchase id; the purchase's status (a conditional UPDATE in the service) makes a
second press, or a button of a decided card, change nothing."""

from __future__ import annotations

from datetime import timedelta

from aiogram import Bot, F, Router
from aiogram.enums import ChatType
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram_i18n import I18nContext
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.i18n import all_translations
from db.models import User
from db.purchases import Purchase, PurchaseStatus, Supplier
from handlers.callbacks import InvoiceAction, InvoiceCb, InvoiceListCb
from handlers.invoices import listing
from handlers.invoices.card import (
    card_keyboard,
    card_text,
    edit_keyboard,
    markup,
    outcome_text,
    recorded_keyboard,
    recorded_text,
)
from handlers.invoices.reader import read_uploads
from handlers.kit import Steps, edit_or_send
from services import purchases
from services.approvals.cards import display_name
from services.background import Spawn
from services.companies import business_day
from services.errors import DomainError
from services.permissions import Capability, can
from services.purchases import EditField, IncomingFile
from services.users import ActiveContext

SENDERS = {"capability": Capability.INVOICE_SUBMIT}
EDIT = Steps(None, prefix="pu", ttl=timedelta(minutes=30), expired="invoice-edit-expired")


class InvoiceStates(StatesGroup):
    value = State()


def may_send(message: Message, ctx: ActiveContext | None) -> bool:
    """Files go to the invoice reader only from those who may record purchases; others get the fallback."""
    return ctx is not None and can(ctx.role, Capability.INVOICE_SUBMIT)


def incoming(message: Message) -> IncomingFile:
    if message.photo:
        photo = message.photo[-1]
        return IncomingFile("photo", photo.file_id, photo.file_unique_id, None, "image/jpeg", photo.file_size)
    document = message.document
    assert document is not None
    return IncomingFile("document", document.file_id, document.file_unique_id, document.file_name,
                        document.mime_type, document.file_size)


async def invoice_file(message: Message, i18n: I18nContext, session: AsyncSession, ctx: ActiveContext, user: User,
                       bot: Bot, spawn: Spawn, session_factory: async_sessionmaker[AsyncSession]) -> None:
    """Records the file (a refusal — too large, not a picture or PDF — stores nothing), shows one progress message
    (one per album) and hands the reading to the background."""
    file = incoming(message)
    purchases.check_file(file)
    group = message.media_group_id
    progress = await purchases.group_progress_message(session, ctx.company.id, group) if group else None
    shown = None
    if progress is None:
        shown = await message.answer(i18n.get("invoice-reading"))
    upload = await purchases.record_upload(session, company_id=ctx.company.id, user_id=user.id,
                                           chat_id=message.chat.id, message_id=message.message_id, file=file,
                                           media_group_id=group)
    upload.progress_message_id = shown.message_id if shown is not None else None
    await session.flush()
    spawn(read_uploads(upload.id, bot=bot, session_factory=session_factory), name=f"invoice-upload-{upload.id}")


# --- the card -----------------------------------------------------------------------------------------------------


async def _draft(session: AsyncSession, ctx: ActiveContext, purchase_id: int) -> Purchase:
    purchase = await purchases.purchase_of(session, ctx.company.id, purchase_id)
    if purchase.status != PurchaseStatus.DRAFT:
        raise DomainError("invoice-already-decided", id=purchase.id, status=purchase.status)
    return purchase


async def _show_card(target: CallbackQuery | Message, session: AsyncSession, locale: str, purchase: Purchase, *,
                     edit: bool = True) -> None:
    duplicate = await purchases.duplicate_of_document(session, purchase)
    text = card_text(locale, purchase, duplicate=duplicate)
    keyboard = markup(card_keyboard(locale, purchase))
    if isinstance(target, Message):
        await target.answer(text, reply_markup=keyboard)
    else:
        await edit_or_send(target, text, keyboard, edit=edit)


async def confirm_pressed(query: CallbackQuery, callback_data: InvoiceCb, i18n: I18nContext, session: AsyncSession,
                          ctx: ActiveContext, user: User, state: FSMContext) -> None:
    outcome = await purchases.confirm(session, membership=ctx.membership, user=user,
                                      purchase_id=callback_data.purchase)
    await EDIT.forget(state)
    approvers = ", ".join(display_name(a) for a in outcome.approvers) if outcome.request is not None else None
    keyboard = recorded_keyboard(i18n.locale, outcome.purchase)
    await edit_or_send(query, outcome_text(i18n.locale, outcome, approvers),
                       markup(keyboard) if keyboard else None)


async def discard_pressed(query: CallbackQuery, callback_data: InvoiceCb, i18n: I18nContext, session: AsyncSession,
                          ctx: ActiveContext, user: User, state: FSMContext) -> None:
    purchase = await purchases.discard(session, membership=ctx.membership, user=user,
                                       purchase_id=callback_data.purchase)
    await EDIT.forget(state)
    await edit_or_send(query, i18n.get("invoice-discarded", id=purchase.id))


async def edit_pressed(query: CallbackQuery, callback_data: InvoiceCb, i18n: I18nContext, session: AsyncSession,
                       ctx: ActiveContext) -> None:
    purchase = await _draft(session, ctx, callback_data.purchase)
    text = card_text(i18n.locale, purchase) + "\n\n" + i18n.get("invoice-edit-which")
    await edit_or_send(query, text, markup(edit_keyboard(i18n.locale, purchase)))


async def back_pressed(query: CallbackQuery, callback_data: InvoiceCb, i18n: I18nContext, session: AsyncSession,
                       ctx: ActiveContext, state: FSMContext) -> None:
    purchase = await _draft(session, ctx, callback_data.purchase)
    await EDIT.forget(state)
    await _show_card(query, session, i18n.locale, purchase)


async def field_pressed(query: CallbackQuery, callback_data: InvoiceCb, i18n: I18nContext, session: AsyncSession,
                        ctx: ActiveContext, state: FSMContext) -> None:
    purchase = await _draft(session, ctx, callback_data.purchase)
    which = callback_data.field
    if which is None:
        raise DomainError("error-stale-button")
    await EDIT.begin(state, ctx, purchase=purchase.id, field=which.value)
    await state.set_state(InvoiceStates.value)
    await _show_card(query, session, i18n.locale, purchase)  # the card keeps its buttons while the value is typed
    await edit_or_send(query, i18n.get(f"invoice-ask-{which.value}"), edit=False)


async def value_typed(message: Message, i18n: I18nContext, session: AsyncSession, ctx: ActiveContext,
                      state: FSMContext) -> None:
    data = await EDIT.data(state, ctx)
    purchase = await _draft(session, ctx, int(data.get("pu_purchase") or 0))
    which = EditField(str(data.get("pu_field")))
    purchases.edit_field(purchase, which, message.text or "", today=business_day(ctx.company))
    await EDIT.forget(state)
    await session.flush()
    await message.answer(i18n.get("invoice-edit-saved"))
    await _show_card(message, session, i18n.locale, purchase)


async def vat_claim_pressed(query: CallbackQuery, callback_data: InvoiceCb, i18n: I18nContext,
                            session: AsyncSession, ctx: ActiveContext, user: User) -> None:
    e_invoice = callback_data.action == InvoiceAction.E_INVOICE
    purchase = await purchases.set_vat_claim(session, membership=ctx.membership, user=user,
                                             purchase_id=callback_data.purchase, e_invoice=e_invoice)
    await session.flush()
    if purchase.status == PurchaseStatus.DRAFT:
        await _show_card(query, session, i18n.locale, purchase)
        return
    supplier = await session.get(Supplier, purchase.supplier_id) if purchase.supplier_id else None
    lines = (await purchases.lines_of(session, [purchase]))[purchase.id]
    text = recorded_text(i18n.locale, purchase, supplier, line_count=len(lines),
                         matched=sum(1 for line in lines if line.item_id),
                         unmatched=[line.name for line in lines if not line.item_id])
    keyboard = recorded_keyboard(i18n.locale, purchase)
    await edit_or_send(query, text, markup(keyboard) if keyboard else None)


async def not_a_value(message: Message, i18n: I18nContext) -> None:
    await message.answer(i18n.get("invoice-edit-type-it"))


def get_router() -> Router:
    router = Router(name="invoices")
    message = router.message
    private = F.chat.type == ChatType.PRIVATE
    message.register(listing.invoices_command, Command("invoices"), flags=SENDERS)
    message.register(listing.invoices_command, F.text.in_(all_translations("menu-invoices")), flags=SENDERS)
    message.register(value_typed, StateFilter(InvoiceStates.value), F.text, ~F.text.startswith("/"), flags=SENDERS)
    message.register(not_a_value, StateFilter(InvoiceStates.value), ~F.text.startswith("/"), flags=SENDERS)
    message.register(listing.threshold_typed, StateFilter(listing.ThresholdStates.amount), F.text,
                     ~F.text.startswith("/"), flags={"capability": Capability.EXPENSE_SETTINGS})
    message.register(invoice_file, private, StateFilter(None), F.photo | F.document, may_send, flags=SENDERS)
    callbacks = router.callback_query
    card = InvoiceCb.filter
    callbacks.register(confirm_pressed, card(F.action == InvoiceAction.CONFIRM), flags=SENDERS)
    callbacks.register(discard_pressed, card(F.action == InvoiceAction.DISCARD), flags=SENDERS)
    callbacks.register(edit_pressed, card(F.action == InvoiceAction.EDIT), flags=SENDERS)
    callbacks.register(back_pressed, card(F.action == InvoiceAction.BACK), flags=SENDERS)
    callbacks.register(field_pressed, card(F.action == InvoiceAction.FIELD), flags=SENDERS)
    callbacks.register(vat_claim_pressed, card(F.action.in_({InvoiceAction.E_INVOICE, InvoiceAction.PAPER})),
                       flags=SENDERS)
    callbacks.register(listing.list_pressed, InvoiceListCb.filter(), flags=SENDERS)
    return router


__all__ = ["get_router"]

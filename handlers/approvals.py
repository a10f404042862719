"""/approvals and the buttons of every approval card (services.approvals): open, approve, reject with a reason,
show the receipt, withdraw. Features never write approval buttons of their own.

Who may press is the request's policy, checked by the engine at the press (role, branch, amount, own request);
the company in the button is checked once by the kit. A decision edits every card shown for the request through
the outbox after commit, and the message the button was pressed on with them.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from aiogram import Bot, F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram_i18n import I18nContext
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.i18n import all_translations
from db.approvals import ApprovalCard, ApprovalRequest
from db.models import User
from handlers.callbacks import ApprovalAction, ApprovalCb, ApprovalListCb
from handlers.kit import Steps, edit_or_send
from services import approvals, outbox
from services.approvals.cards import Rendered, locale_of
from services.errors import DomainError, ValidationFailed
from services.locale import format_datetime, format_money
from services.permissions import Capability, can
from services.users import ActiveContext

MEMBERS = {"capability": Capability.COMPANY_SWITCH}
PER_PAGE = 5
REASON = Steps(None, "reject")  # the reason step after Reject: request, chat, message


class ApprovalStates(StatesGroup):
    reason = State()


def markup_of(rendered: Rendered) -> InlineKeyboardMarkup | None:
    return InlineKeyboardMarkup.model_validate(rendered.markup) if rendered.markup else None


# --- /approvals ---------------------------------------------------------------------------------------------------


async def _list_view(session: AsyncSession, i18n: I18nContext, ctx: ActiveContext,
                     page: int) -> tuple[str, InlineKeyboardMarkup | None]:
    pending = await approvals.pending_for(session, ctx.membership)
    if not pending:
        return i18n.get("approvals-empty"), None
    pages = -(-len(pending) // PER_PAGE)
    page = min(max(0, page), pages - 1)
    zone = ZoneInfo(ctx.company.timezone)
    locale = i18n.locale
    lines = [i18n.get("approvals-title", count=len(pending)), ""]
    buttons: list[InlineKeyboardButton] = []
    for number, request in enumerate(pending[page * PER_PAGE:(page + 1) * PER_PAGE], start=page * PER_PAGE + 1):
        title = approvals.card_title(await approvals.card_of(session, request), locale)
        amount = f" — {format_money(request.amount, locale)}" if request.amount is not None else ""
        lines.append(f"{number}. {title}{amount}, {format_datetime(request.created_at.astimezone(zone), locale)}")
        buttons.append(InlineKeyboardButton(text=f"{number}. #{request.id}", callback_data=ApprovalCb(
            company=ctx.company.id, action=ApprovalAction.OPEN, request=request.id).pack()))
    rows = [buttons[index:index + 3] for index in range(0, len(buttons), 3)]
    if pages > 1:
        lines += ["", i18n.get("approvals-page", page=page + 1, pages=pages)]
        rows.append([InlineKeyboardButton(text=label, callback_data=ApprovalListCb(
            company=ctx.company.id, page=target % pages).pack()) for label, target in (("◀", page - 1),
                                                                                      ("▶", page + 1))])
    return "\n".join(lines), InlineKeyboardMarkup(inline_keyboard=rows)


async def approvals_command(message: Message, i18n: I18nContext, session: AsyncSession, ctx: ActiveContext) -> None:
    text, keyboard = await _list_view(session, i18n, ctx, 0)
    await message.answer(text, reply_markup=keyboard)


async def list_page(query: CallbackQuery, callback_data: ApprovalListCb, i18n: I18nContext, session: AsyncSession,
                    ctx: ActiveContext) -> None:
    text, keyboard = await _list_view(session, i18n, ctx, callback_data.page)
    await edit_or_send(query, text, keyboard)


# --- a card's buttons ---------------------------------------------------------------------------------------------


async def _may_see(session: AsyncSession, request: ApprovalRequest, ctx: ActiveContext, user: User) -> None:
    """The requester, whoever may decide, and readers of the company's expenses may look at a request."""
    if request.requested_by_user_id == user.id or can(ctx.role, Capability.EXPENSE_READ):
        return
    approvals.check_may_decide(request, ctx.membership)


async def _echo(session: AsyncSession, request: ApprovalRequest, user: User, chat_id: int | None,
                message_id: int | None) -> None:
    """The message a button was pressed on follows the outcome (through the outbox, after commit) unless it is one
    of the cards the engine edits anyway."""
    if chat_id is None or message_id is None:
        return
    for card in (await session.scalars(select(ApprovalCard).where(ApprovalCard.request_id == request.id,
                                                                  ApprovalCard.chat_id == chat_id))).all():
        if await outbox.message_id_of(session, card.dedupe_key) == outbox.MessageRef(chat_id, message_id):
            return
    rendered = await approvals.render_for(session, request, user)
    await outbox.enqueue(session, chat_id=chat_id, text=rendered.text, kind="approval.outcome",
                         company_id=request.company_id, reply_markup=rendered.markup,
                         edit=outbox.MessageRef(chat_id, message_id), ref_id=request.id,
                         dedupe_key=f"approval:{request.id}:pressed:{chat_id}:{message_id}:{request.status}")


def _pressed_on(query: CallbackQuery) -> tuple[int | None, int | None]:
    message = query.message
    return (message.chat.id, message.message_id) if isinstance(message, Message) else (None, None)


async def open_card(query: CallbackQuery, callback_data: ApprovalCb, session: AsyncSession, ctx: ActiveContext,
                    user: User) -> None:
    request = await approvals.get_request(session, ctx.company.id, callback_data.request)
    await _may_see(session, request, ctx, user)
    rendered = await approvals.render_for(session, request, user,
                                          buttons=approvals.may_decide(request, ctx.membership))
    await edit_or_send(query, rendered.text, markup_of(rendered))


async def approve(query: CallbackQuery, callback_data: ApprovalCb, i18n: I18nContext, session: AsyncSession,
                  ctx: ActiveContext, user: User, callback_answer: CallbackAnswer) -> None:
    request = await approvals.decide(session, company_id=ctx.company.id, request_id=callback_data.request,
                                     actor=ctx.membership, approve=True)
    await _echo(session, request, user, *_pressed_on(query))
    callback_answer.text = i18n.get("approval-done-approved")


async def ask_reason(query: CallbackQuery, callback_data: ApprovalCb, i18n: I18nContext, session: AsyncSession,
                     ctx: ActiveContext, state: FSMContext) -> None:
    request = await approvals.get_request(session, ctx.company.id, callback_data.request)
    await approvals.ensure_pending(session, request)
    approvals.check_may_decide(request, ctx.membership)
    chat_id, message_id = _pressed_on(query)
    await REASON.begin(state, ctx, request=request.id, chat=chat_id, message=message_id)
    await state.set_state(ApprovalStates.reason)
    title = approvals.card_title(await approvals.card_of(session, request), i18n.locale)
    await edit_or_send(query, i18n.get("approval-ask-reason", title=title), edit=False)


async def reason_given(message: Message, i18n: I18nContext, session: AsyncSession, ctx: ActiveContext, user: User,
                       state: FSMContext) -> None:
    data = await REASON.data(state, ctx)
    try:
        request = await approvals.decide(session, company_id=ctx.company.id, request_id=int(data["reject_request"]),
                                         actor=ctx.membership, approve=False, reason=message.text)
    except ValidationFailed:
        raise  # a reason too long, or empty: they may send another
    except DomainError:
        await REASON.forget(state)  # decided meanwhile, or no longer theirs: the step is over
        raise
    await REASON.forget(state)
    await _echo(session, request, user, data.get("reject_chat"), data.get("reject_message"))
    await message.answer(i18n.get("approval-done-rejected"))


async def reason_not_text(message: Message) -> None:
    raise ValidationFailed("approval-reason-needed")


async def show_attachment(query: CallbackQuery, callback_data: ApprovalCb, session: AsyncSession,
                          ctx: ActiveContext, user: User, bot: Bot) -> None:
    request = await approvals.get_request(session, ctx.company.id, callback_data.request)
    await _may_see(session, request, ctx, user)
    card = await approvals.card_of(session, request)
    if card.attachment is None:
        raise DomainError("approval-no-attachment")
    caption = approvals.card_title(card, locale_of(user))
    if card.attachment.kind == "photo":
        await bot.send_photo(query.from_user.id, card.attachment.file_id, caption=caption)
    else:
        await bot.send_document(query.from_user.id, card.attachment.file_id, caption=caption)


async def withdraw(query: CallbackQuery, callback_data: ApprovalCb, i18n: I18nContext, session: AsyncSession,
                   ctx: ActiveContext, user: User, callback_answer: CallbackAnswer) -> None:
    request = await approvals.withdraw(session, company_id=ctx.company.id, request_id=callback_data.request,
                                       user=user)
    await _echo(session, request, user, *_pressed_on(query))
    callback_answer.text = i18n.get("approval-done-withdrawn")


def withdraw_keyboard(i18n: I18nContext, company_id: int, request_id: int) -> InlineKeyboardMarkup:
    """The requester's "withdraw" button, under the message that says a request was sent."""
    return InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(
        text=i18n.get("btn-approval-withdraw"),
        callback_data=ApprovalCb(company=company_id, action=ApprovalAction.WITHDRAW, request=request_id).pack())]])


def get_router() -> Router:
    router = Router(name="approvals")
    router.message.register(approvals_command, Command("approvals"), flags=MEMBERS)
    router.message.register(approvals_command, F.text.in_(all_translations("menu-approvals")), flags=MEMBERS)
    router.message.register(reason_given, StateFilter(ApprovalStates.reason), F.text, ~F.text.startswith("/"),
                            flags=MEMBERS)
    router.message.register(reason_not_text, StateFilter(ApprovalStates.reason), ~F.text, flags=MEMBERS)
    callbacks = router.callback_query
    callbacks.register(list_page, ApprovalListCb.filter())
    callbacks.register(open_card, ApprovalCb.filter(F.action == ApprovalAction.OPEN))
    callbacks.register(approve, ApprovalCb.filter(F.action == ApprovalAction.APPROVE))
    callbacks.register(ask_reason, ApprovalCb.filter(F.action == ApprovalAction.REJECT))
    callbacks.register(show_attachment, ApprovalCb.filter(F.action == ApprovalAction.ATTACHMENT))
    callbacks.register(withdraw, ApprovalCb.filter(F.action == ApprovalAction.WITHDRAW))
    return router

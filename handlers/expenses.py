"""/expense: a flow — amount, category, branch, comment, receipt, review — then the approval engine (or approved at
once under the company's limit); nothing is saved before Submit, so /cancel, the Cancel button or a flow left
for FLOW_TTL leave nothing behind. /expenses: the list with filters (period, branch, status, category), Excel,
and the owner's categories and limits."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from functools import partial
from typing import Any

from aiogram import Bot, F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import BufferedInputFile, CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram_i18n import I18nContext
from sqlalchemy.ext.asyncio import AsyncSession

from core.i18n import all_translations, translate
from db.finance import AttachmentKind, ExpenseCategory, ExpenseStatus
from handlers.approvals import withdraw_keyboard
from handlers.callbacks import (
    ExpenseFlowAction,
    ExpenseFlowCb,
    ExpenseLimit,
    ExpenseListAction,
    ExpenseListCb,
    ExpensePeriod,
    ExpenseSetupAction,
    ExpenseSetupCb,
    ExpenseStatusFilter,
)
from handlers.common import esc
from handlers.kit import Steps, answer_early, current_flow, edit_or_send
from services import expenses
from services.amounts import parse_amount
from services.approvals import Label
from services.companies import business_day
from services.errors import DomainError, ValidationFailed
from services.expenses import DEFAULT_CATEGORY_CODES, ExpenseDraft, ExpenseFilter
from services.locale import SUPPORTED_LOCALES, format_money
from services.permissions import Capability, can, visible_branch, visible_branches
from services.reports import PeriodKind, format_period, period_for
from services.users import ActiveContext

SUBMITTERS = {"capability": Capability.EXPENSE_SUBMIT}
SETTERS = {"capability": Capability.EXPENSE_SETTINGS}
FLOW_TTL = timedelta(minutes=30)
PER_PAGE = 10
PERIODS = {ExpensePeriod.TODAY: PeriodKind.TODAY, ExpensePeriod.THIS_WEEK: PeriodKind.THIS_WEEK,
           ExpensePeriod.THIS_MONTH: PeriodKind.THIS_MONTH, ExpensePeriod.LAST_MONTH: PeriodKind.LAST_MONTH}
STATUSES = {ExpenseStatusFilter.ANY: None, ExpenseStatusFilter.PENDING: ExpenseStatus.PENDING,
            ExpenseStatusFilter.APPROVED: ExpenseStatus.APPROVED, ExpenseStatusFilter.REJECTED: ExpenseStatus.REJECTED,
            ExpenseStatusFilter.WITHDRAWN: ExpenseStatus.WITHDRAWN}


class ExpenseStates(StatesGroup):
    amount = State()
    confirm = State()
    category = State()
    branch = State()
    comment = State()
    receipt = State()
    review = State()


class ExpenseSetupStates(StatesGroup):
    category_name = State()
    limit = State()


def _label(i18n: I18nContext, label: Label | str) -> str:
    return i18n.get(label.key, **dict(label.params)) if isinstance(label, Label) else esc(label)


def _money(i18n: I18nContext, value: Decimal) -> str:
    return format_money(value, i18n.locale, with_tiyin=value != value.to_integral_value())


def _button(text: str, data: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=data)


# --- the flow's data ----------------------------------------------------------------------------------------------


EXPENSE = Steps(ExpenseFlowCb, "ex", FLOW_TTL, "expense-flow-expired")
SETUP = Steps(None, "es")


async def _flow_button(ctx: ActiveContext, state: FSMContext, i18n: I18nContext, key: str,
                       action: ExpenseFlowAction, **fields: int) -> InlineKeyboardButton:
    flow = await current_flow(state, ExpenseFlowCb)
    return _button(i18n.get(key), ExpenseFlowCb(company=ctx.company.id, flow=flow, action=action, **fields).pack())


async def _cancel_row(ctx: ActiveContext, state: FSMContext, i18n: I18nContext,
                      skip: bool = False) -> list[InlineKeyboardButton]:
    row = [await _flow_button(ctx, state, i18n, "btn-skip", ExpenseFlowAction.SKIP)] if skip else []
    return [*row, await _flow_button(ctx, state, i18n, "btn-cancel", ExpenseFlowAction.CANCEL)]


# --- /expense, step by step ---------------------------------------------------------------------------------------


async def expense_start(message: Message, i18n: I18nContext, ctx: ActiveContext, state: FSMContext) -> None:
    await EXPENSE.begin(state, ctx)
    await state.set_state(ExpenseStates.amount)
    keyboard = InlineKeyboardMarkup(inline_keyboard=[await _cancel_row(ctx, state, i18n)])
    await message.answer(i18n.get("expense-ask-amount"), reply_markup=keyboard)


async def amount_given(message: Message, i18n: I18nContext, session: AsyncSession, ctx: ActiveContext,
                       state: FSMContext) -> None:
    await EXPENSE.data(state, ctx)
    amount = parse_amount(message.text)
    await state.update_data(ex_amount=str(amount))
    if expenses.needs_confirmation(ctx.company, amount):
        await state.set_state(ExpenseStates.confirm)
        ceiling = expenses.expense_settings(ctx.company).ceiling
        flow = await current_flow(state, ExpenseFlowCb)

        def confirm(key: str, action: ExpenseFlowAction) -> InlineKeyboardButton:
            return _button(i18n.get(key, amount=_money(i18n, amount)),
                           ExpenseFlowCb(company=ctx.company.id, flow=flow, action=action).pack())

        keyboard = InlineKeyboardMarkup(inline_keyboard=[
            [confirm("btn-expense-amount-yes", ExpenseFlowAction.CONFIRM_AMOUNT)],
            [confirm("btn-expense-amount-no", ExpenseFlowAction.REENTER_AMOUNT)]])
        await message.answer(i18n.get("expense-confirm-amount", amount=_money(i18n, amount),
                                      ceiling=_money(i18n, ceiling)), reply_markup=keyboard)
        return
    await _ask_category(message, i18n, session, ctx, state)


async def amount_confirmed(query: CallbackQuery, i18n: I18nContext, session: AsyncSession, ctx: ActiveContext,
                           state: FSMContext) -> None:
    await EXPENSE.data(state, ctx)
    await _ask_category(query, i18n, session, ctx, state)


async def amount_again(query: CallbackQuery, i18n: I18nContext, ctx: ActiveContext, state: FSMContext) -> None:
    await EXPENSE.data(state, ctx)
    await state.set_state(ExpenseStates.amount)
    keyboard = InlineKeyboardMarkup(inline_keyboard=[await _cancel_row(ctx, state, i18n)])
    await edit_or_send(query, i18n.get("expense-ask-amount"), keyboard)


async def _ask_category(target: Message | CallbackQuery, i18n: I18nContext, session: AsyncSession,
                        ctx: ActiveContext, state: FSMContext, note: str | None = None) -> None:
    data = await state.get_data()
    await state.set_state(ExpenseStates.category)
    flow = await current_flow(state, ExpenseFlowCb)
    buttons = [_button(_label(i18n, expenses.category_label(category)), ExpenseFlowCb(
        company=ctx.company.id, flow=flow, action=ExpenseFlowAction.CATEGORY, category=category.id).pack())
        for category in await expenses.categories(session, ctx.company.id)]
    rows = [buttons[index:index + 2] for index in range(0, len(buttons), 2)]
    rows.append(await _cancel_row(ctx, state, i18n))
    text = i18n.get("expense-ask-category", amount=_money(i18n, Decimal(data["ex_amount"])))
    await _show(target, f"{note}\n\n{text}" if note else text, InlineKeyboardMarkup(inline_keyboard=rows))


async def _show(target: Message | CallbackQuery, text: str, keyboard: InlineKeyboardMarkup | None) -> None:
    if isinstance(target, Message):
        await target.answer(text, reply_markup=keyboard)
    else:
        await edit_or_send(target, text, keyboard)


async def category_chosen(query: CallbackQuery, callback_data: ExpenseFlowCb, i18n: I18nContext,
                          session: AsyncSession, ctx: ActiveContext, state: FSMContext) -> None:
    await EXPENSE.data(state, ctx)
    category = await expenses.get_category(session, ctx.company.id, callback_data.category)
    await state.update_data(ex_category=category.id)
    if (await state.get_data()).get("ex_reviewed"):  # chosen again at the review (the first one was removed)
        await _review(query, i18n, session, ctx, state)
        return
    branches = await visible_branches(session, ctx.membership)
    if len(branches) <= 1:
        await state.update_data(ex_branch=branches[0].id if branches else None)
        await _ask_optional(query, i18n, ctx, state, ExpenseStates.comment)
        return
    await state.set_state(ExpenseStates.branch)
    rows = [[_button(branch.name, ExpenseFlowCb(company=ctx.company.id, flow=callback_data.flow,
                                                action=ExpenseFlowAction.BRANCH, branch=branch.id).pack())]
            for branch in branches]
    rows.append(await _cancel_row(ctx, state, i18n))
    await edit_or_send(query, i18n.get("expense-ask-branch"), InlineKeyboardMarkup(inline_keyboard=rows))


async def branch_chosen(query: CallbackQuery, callback_data: ExpenseFlowCb, i18n: I18nContext,
                        session: AsyncSession, ctx: ActiveContext, state: FSMContext) -> None:
    await EXPENSE.data(state, ctx)
    if await visible_branch(session, ctx.membership, callback_data.branch) is None:
        raise DomainError("error-branch-not-yours")
    await state.update_data(ex_branch=callback_data.branch)
    await _ask_optional(query, i18n, ctx, state, ExpenseStates.comment)


async def _ask_optional(target: Message | CallbackQuery, i18n: I18nContext, ctx: ActiveContext,
                        state: FSMContext, step: State) -> None:
    """The comment or the receipt: both may be skipped."""
    await state.set_state(step)
    keyboard = InlineKeyboardMarkup(inline_keyboard=[await _cancel_row(ctx, state, i18n, skip=True)])
    key = "expense-ask-comment" if step == ExpenseStates.comment else "expense-ask-receipt"
    await _show(target, i18n.get(key), keyboard)


async def comment_given(message: Message, i18n: I18nContext, ctx: ActiveContext, state: FSMContext) -> None:
    await EXPENSE.data(state, ctx)
    await state.update_data(ex_comment=expenses.clean_comment(message.text))
    await _ask_optional(message, i18n, ctx, state, ExpenseStates.receipt)


async def skipped(query: CallbackQuery, i18n: I18nContext, session: AsyncSession, ctx: ActiveContext,
                  state: FSMContext) -> None:
    await EXPENSE.data(state, ctx)
    step = await state.get_state()
    if step == ExpenseStates.comment.state:
        await state.update_data(ex_comment=None)
        await _ask_optional(query, i18n, ctx, state, ExpenseStates.receipt)
    elif step == ExpenseStates.receipt.state:
        await state.update_data(ex_att_kind=None, ex_att_file=None)
        await _review(query, i18n, session, ctx, state)
    else:
        raise DomainError("error-step-over")


async def receipt_given(message: Message, i18n: I18nContext, session: AsyncSession, ctx: ActiveContext,
                        state: FSMContext) -> None:
    """A photo of the receipt, or a file: a picture or a PDF (anything else is refused)."""
    await EXPENSE.data(state, ctx)
    if message.photo:
        kind, file_id = AttachmentKind.PHOTO, message.photo[-1].file_id
    else:
        assert message.document
        kind = expenses.check_document(message.document.mime_type, message.document.file_name)
        file_id = message.document.file_id
    await state.update_data(ex_att_kind=kind.value, ex_att_file=file_id)
    await _review(message, i18n, session, ctx, state)


async def receipt_other(message: Message, ctx: ActiveContext, state: FSMContext) -> None:
    await EXPENSE.data(state, ctx)
    raise ValidationFailed("expense-receipt-expected")


async def _review(target: Message | CallbackQuery, i18n: I18nContext, session: AsyncSession, ctx: ActiveContext,
                  state: FSMContext) -> None:
    data = await state.get_data()
    await state.set_state(ExpenseStates.review)
    await state.update_data(ex_reviewed=True)
    category = await session.get(ExpenseCategory, int(data["ex_category"]))
    branch = await visible_branch(session, ctx.membership, int(data["ex_branch"])) if data.get("ex_branch") else None
    text = i18n.get(
        "expense-review", amount=_money(i18n, Decimal(data["ex_amount"])),
        category=_label(i18n, expenses.category_label(category)),
        branch=esc(branch.name) if branch else i18n.get("expense-no-branch"),
        comment=esc(data.get("ex_comment") or "") or i18n.get("expense-no-comment"),
        receipt=i18n.get("expense-receipt-attached" if data.get("ex_att_file") else "expense-receipt-none"))
    keyboard = InlineKeyboardMarkup(inline_keyboard=[
        [await _flow_button(ctx, state, i18n, "btn-expense-submit", ExpenseFlowAction.SUBMIT)],
        await _cancel_row(ctx, state, i18n)])
    await _show(target, text, keyboard)


async def submitted(query: CallbackQuery, i18n: I18nContext, session: AsyncSession, ctx: ActiveContext,
                    state: FSMContext, user: Any) -> None:
    data = await EXPENSE.data(state, ctx)
    try:
        await expenses.get_category(session, ctx.company.id, int(data["ex_category"]))
    except ValidationFailed as gone:  # removed while the flow ran: choose again (nothing was written)
        await _ask_category(query, i18n, session, ctx, state, note=i18n.get(gone.key))
        return
    draft = ExpenseDraft(amount=Decimal(data["ex_amount"]), category_id=int(data["ex_category"]),
                         branch_id=data.get("ex_branch"), comment=data.get("ex_comment"),
                         attachment_kind=data.get("ex_att_kind"), attachment_file_id=data.get("ex_att_file"))
    outcome = await expenses.submit_expense(session, membership=ctx.membership, user=user, draft=draft,
                                            today=business_day(ctx.company))
    await EXPENSE.forget(state)
    amount = _money(i18n, outcome.expense.amount)
    if outcome.auto_approved:
        limit = _money(i18n, expenses.expense_settings(ctx.company).auto_approve_below)
        await edit_or_send(query, i18n.get("expense-auto-approved", id=outcome.expense.id, amount=amount,
                                           limit=limit))
        return
    assert outcome.request is not None
    key = "expense-sent" if outcome.approvers else "expense-sent-nobody"
    names = ", ".join(esc(person.first_name) for person in outcome.approvers)
    await edit_or_send(query, i18n.get(key, id=outcome.expense.id, amount=amount, names=names),
                       withdraw_keyboard(i18n, ctx.company.id, outcome.request.id))


async def cancelled(query: CallbackQuery, i18n: I18nContext, state: FSMContext) -> None:
    await EXPENSE.forget(state)
    await edit_or_send(query, i18n.get("cancelled"))


async def press_a_button(message: Message, i18n: I18nContext) -> None:
    await message.answer(i18n.get("press-a-button"))


# --- /expenses ----------------------------------------------------------------------------------------------------


def _next(values: list[Any], current: Any) -> Any:
    return values[(values.index(current) + 1) % len(values)] if current in values else values[0]


async def _filters(session: AsyncSession, ctx: ActiveContext,
                   cb: ExpenseListCb) -> tuple[ExpenseFilter, list[Any], list[ExpenseCategory]]:
    period = period_for(PERIODS[cb.period], business_day(ctx.company))
    branches = await visible_branches(session, ctx.membership)
    cats = await expenses.categories(session, ctx.company.id)
    branch_id = cb.branch if cb.branch in {b.id for b in branches} else None
    category_id = cb.category if cb.category in {c.id for c in cats} else None
    return ExpenseFilter(period, branch_id, STATUSES[cb.status], category_id), branches, cats


async def _list_view(session: AsyncSession, i18n: I18nContext, ctx: ActiveContext,
                     cb: ExpenseListCb) -> tuple[str, InlineKeyboardMarkup]:
    flt, branches, cats = await _filters(session, ctx, cb)
    page = await expenses.list_expenses(session, ctx.membership, flt, page=cb.page, per_page=PER_PAGE)
    names = await expenses.names_for(session, page.rows)
    branch_names = {b.id: b.name for b in branches}
    cat_by_id = {c.id: c for c in cats}
    status_text = (i18n.get(f"expense-status-{flt.status}") if flt.status else i18n.get("expenses-any-status"))
    category_text = (_label(i18n, expenses.category_label(cat_by_id[flt.category_id])) if flt.category_id
                     else i18n.get("expenses-all-categories"))
    branch_text = esc(branch_names[flt.branch_id]) if flt.branch_id else i18n.get("all-branches")
    lines = [i18n.get("expenses-title", period=i18n.get(f"expenses-period-{cb.period.value}"), branch=branch_text,
                      status=status_text, category=category_text), ""]
    for expense in page.rows:
        category = names["categories"].get(expense.category_id or 0)
        where = names["branches"].get(expense.branch_id or 0)
        lines.append(" · ".join(part for part in (
            f"{expense.spent_on:%d.%m}", f"#{expense.id}", _label(i18n, expenses.category_label(category)),
            _money(i18n, expense.amount), i18n.get(f"expense-status-{expense.status}"),
            esc(where.name) if where and not flt.branch_id else "") if part))
    if not page.rows:
        lines.append(i18n.get("expenses-empty"))
    else:
        lines += ["", i18n.get("expenses-totals", count=page.total_count, amount=_money(i18n, page.total_amount))]
        if page.pages > 1:
            lines.append(i18n.get("expenses-page", page=page.page + 1, pages=page.pages))

    def button(text: str, action: ExpenseListAction, **changes: Any) -> InlineKeyboardButton:
        fields = {"period": cb.period, "branch": flt.branch_id or 0, "status": cb.status,
                  "category": flt.category_id or 0, "page": 0, **changes}
        return _button(text, ExpenseListCb(company=ctx.company.id, action=action, **fields).pack())

    first_row = [button(f"📅 {i18n.get(f'expenses-period-{cb.period.value}')}", ExpenseListAction.PERIOD,
                        period=_next(list(ExpensePeriod), cb.period))]
    if len(branches) > 1:
        first_row.append(button(f"🏬 {branch_text}", ExpenseListAction.BRANCH,
                                branch=_next([0, *branch_names], flt.branch_id or 0)))
    rows = [first_row, [
        button(f"🔖 {status_text}", ExpenseListAction.STATUS, status=_next(list(ExpenseStatusFilter), cb.status)),
        button(f"🗂 {category_text}", ExpenseListAction.CATEGORY,
               category=_next([0, *cat_by_id], flt.category_id or 0))]]
    if page.pages > 1:
        rows.append([button("◀", ExpenseListAction.PAGE, page=(page.page - 1) % page.pages),
                     button(f"{page.page + 1}/{page.pages}", ExpenseListAction.PAGE, page=page.page),
                     button("▶", ExpenseListAction.PAGE, page=(page.page + 1) % page.pages)])
    if page.rows:
        rows.append([button(i18n.get("btn-expenses-export"), ExpenseListAction.EXPORT)])
    if can(ctx.role, Capability.EXPENSE_SETTINGS):
        rows.append([button(i18n.get("btn-expenses-setup"), ExpenseListAction.SETUP)])
    return "\n".join(lines), InlineKeyboardMarkup(inline_keyboard=rows)


async def expenses_command(message: Message, i18n: I18nContext, session: AsyncSession, ctx: ActiveContext) -> None:
    text, keyboard = await _list_view(session, i18n, ctx, ExpenseListCb(company=ctx.company.id,
                                                                         action=ExpenseListAction.PAGE))
    await message.answer(text, reply_markup=keyboard)


async def list_changed(query: CallbackQuery, callback_data: ExpenseListCb, i18n: I18nContext,
                       session: AsyncSession, ctx: ActiveContext) -> None:
    text, keyboard = await _list_view(session, i18n, ctx, callback_data)
    await edit_or_send(query, text, keyboard)


async def export(query: CallbackQuery, callback_data: ExpenseListCb, i18n: I18nContext, session: AsyncSession,
                 ctx: ActiveContext, bot: Bot, callback_answer: CallbackAnswer) -> None:
    flt, _, _ = await _filters(session, ctx, callback_data)
    rows = await expenses.all_expenses(session, ctx.membership, flt)
    data = expenses.expenses_xlsx(rows, await expenses.names_for(session, rows), partial(translate, i18n.locale))
    await answer_early(query, callback_answer)
    name = f"expenses_{flt.period.first.isoformat()}_{flt.period.last.isoformat()}.xlsx"
    await bot.send_document(query.from_user.id, BufferedInputFile(data, name), caption=i18n.get(
        "expenses-export-caption", period=format_period(flt.period, i18n.locale)))


# --- the owner's categories and limits --------------------------------------------------------------------------


async def _setup_view(session: AsyncSession, i18n: I18nContext, ctx: ActiveContext) -> tuple[str, Any]:
    settings = expenses.expense_settings(ctx.company)
    manager = expenses.manager_limit(ctx.company)
    text = i18n.get("expenses-setup",
                    auto=_money(i18n, settings.auto_approve_below) if settings.auto_approve_below > 0
                    else i18n.get("expense-limit-off"),
                    ceiling=_money(i18n, settings.ceiling),
                    manager=_money(i18n, manager) if manager is not None else "∞")

    def button(text: str, action: ExpenseSetupAction, **fields: Any) -> InlineKeyboardButton:
        return _button(text, ExpenseSetupCb(company=ctx.company.id, action=action, **fields).pack())

    cats = [button(f"✖️ {_label(i18n, expenses.category_label(c))}", ExpenseSetupAction.REMOVE_CATEGORY,
                   category=c.id) for c in await expenses.categories(session, ctx.company.id)]
    rows = [cats[index:index + 2] for index in range(0, len(cats), 2)]
    rows.append([button(i18n.get("btn-expense-add-category"), ExpenseSetupAction.ADD_CATEGORY)])
    rows += [[button(i18n.get(f"btn-expense-limit-{limit.value}"), ExpenseSetupAction.LIMIT, limit=limit)]
             for limit in ExpenseLimit]
    return text, InlineKeyboardMarkup(inline_keyboard=rows)


async def setup_shown(query: CallbackQuery, i18n: I18nContext, session: AsyncSession, ctx: ActiveContext) -> None:
    text, keyboard = await _setup_view(session, i18n, ctx)
    await edit_or_send(query, text, keyboard)


async def category_removed(query: CallbackQuery, callback_data: ExpenseSetupCb, i18n: I18nContext,
                           session: AsyncSession, ctx: ActiveContext, callback_answer: CallbackAnswer) -> None:
    await expenses.remove_category(session, ctx.membership, callback_data.category)
    await session.flush()
    callback_answer.text = i18n.get("expense-category-removed")
    await setup_shown(query, i18n, session, ctx)


async def ask_setup_value(query: CallbackQuery, callback_data: ExpenseSetupCb, i18n: I18nContext,
                          ctx: ActiveContext, state: FSMContext) -> None:
    await SETUP.begin(state, ctx, limit=callback_data.limit.value if callback_data.limit else None)
    if callback_data.action is ExpenseSetupAction.ADD_CATEGORY:
        await state.set_state(ExpenseSetupStates.category_name)
        text = i18n.get("expense-ask-category-name", limit=expenses.MAX_CATEGORY_NAME)
    else:
        await state.set_state(ExpenseSetupStates.limit)
        text = i18n.get(f"expense-ask-limit-{callback_data.limit.value if callback_data.limit else 'auto'}")
    await edit_or_send(query, text, edit=False)


async def category_name_given(message: Message, i18n: I18nContext, session: AsyncSession, ctx: ActiveContext,
                              state: FSMContext) -> None:
    await SETUP.data(state, ctx)
    builtin = {code: [translate(locale, f"expense-category-{code}") for locale in SUPPORTED_LOCALES]
               for code in DEFAULT_CATEGORY_CODES}
    category = await expenses.add_category(session, ctx.membership, message.text or "", builtin)
    await SETUP.forget(state)
    text, keyboard = await _setup_view(session, i18n, ctx)
    await message.answer(i18n.get("expense-category-added", name=esc(category.name)) + "\n\n" + text,
                         reply_markup=keyboard)


async def limit_given(message: Message, i18n: I18nContext, session: AsyncSession, ctx: ActiveContext,
                      state: FSMContext) -> None:
    data = await SETUP.data(state, ctx)
    limit = ExpenseLimit(data.get("es_limit") or ExpenseLimit.AUTO_APPROVE)
    text = (message.text or "").strip()
    amount = Decimal(0) if limit is ExpenseLimit.AUTO_APPROVE and text == "0" else parse_amount(text)
    if limit is ExpenseLimit.AUTO_APPROVE:
        expenses.update_expense_settings(session, ctx.membership, ctx.company, auto_approve_below=amount)
    elif limit is ExpenseLimit.CEILING:
        expenses.update_expense_settings(session, ctx.membership, ctx.company, ceiling=amount)
    else:
        expenses.set_manager_limit(session, ctx.membership, ctx.company, amount)
    await SETUP.forget(state)
    view, keyboard = await _setup_view(session, i18n, ctx)
    await message.answer(i18n.get("expense-limit-saved") + "\n\n" + view, reply_markup=keyboard)


def get_router() -> Router:
    router = Router(name="expenses")
    message = router.message
    message.register(expense_start, Command("expense"), flags=SUBMITTERS)
    message.register(expense_start, F.text.in_(all_translations("menu-expense")), flags=SUBMITTERS)
    message.register(expenses_command, Command("expenses"), flags=SUBMITTERS)
    typed = (F.text, ~F.text.startswith("/"))
    message.register(amount_given, StateFilter(ExpenseStates.amount), *typed, flags=SUBMITTERS)
    message.register(comment_given, StateFilter(ExpenseStates.comment), *typed, flags=SUBMITTERS)
    message.register(receipt_given, StateFilter(ExpenseStates.receipt), F.photo | F.document, flags=SUBMITTERS)
    message.register(receipt_other, StateFilter(ExpenseStates.receipt), ~F.text.startswith("/"), flags=SUBMITTERS)
    message.register(press_a_button, StateFilter(ExpenseStates.confirm, ExpenseStates.category, ExpenseStates.branch,
                                                 ExpenseStates.review), *typed)
    message.register(category_name_given, StateFilter(ExpenseSetupStates.category_name), *typed, flags=SETTERS)
    message.register(limit_given, StateFilter(ExpenseSetupStates.limit), *typed, flags=SETTERS)
    callbacks = router.callback_query
    flow = ExpenseFlowCb.filter
    callbacks.register(amount_confirmed, flow(F.action == ExpenseFlowAction.CONFIRM_AMOUNT), flags=SUBMITTERS)
    callbacks.register(amount_again, flow(F.action == ExpenseFlowAction.REENTER_AMOUNT), flags=SUBMITTERS)
    callbacks.register(category_chosen, flow(F.action == ExpenseFlowAction.CATEGORY), flags=SUBMITTERS)
    callbacks.register(branch_chosen, flow(F.action == ExpenseFlowAction.BRANCH), flags=SUBMITTERS)
    callbacks.register(skipped, flow(F.action == ExpenseFlowAction.SKIP), flags=SUBMITTERS)
    callbacks.register(submitted, flow(F.action == ExpenseFlowAction.SUBMIT), flags=SUBMITTERS)
    callbacks.register(cancelled, flow(F.action == ExpenseFlowAction.CANCEL))
    listing = ExpenseListCb.filter
    callbacks.register(export, listing(F.action == ExpenseListAction.EXPORT), flags=SUBMITTERS)
    callbacks.register(setup_shown, listing(F.action == ExpenseListAction.SETUP), flags=SETTERS)
    callbacks.register(list_changed, listing(), flags=SUBMITTERS)
    setup = ExpenseSetupCb.filter
    callbacks.register(category_removed, setup(F.action == ExpenseSetupAction.REMOVE_CATEGORY), flags=SETTERS)
    callbacks.register(ask_setup_value, setup(F.action.in_({ExpenseSetupAction.ADD_CATEGORY,
                                                            ExpenseSetupAction.LIMIT})), flags=SETTERS)
    return router

"""/regos: connect the company's REGOS (paste the key in private; it is deleted at once), see the status,
rename the branches that came from REGOS, tie REGOS sellers to members. Keys pasted into a group are deleted
with a warning."""

from __future__ import annotations

import contextlib
import re
from zoneinfo import ZoneInfo

from aiogram import Bot, F, Router
from aiogram.enums import ChatType
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram.utils.chat_action import ChatActionSender
from aiogram_i18n import I18nContext
from magic_filter import RegexpMode
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.config import Settings
from core.i18n import all_translations
from db import repositories as repo
from db.models import Employee, User
from handlers.callbacks import EmployeeAction, EmployeeCb, EmployeeLinkCb, RegosAction, RegosCb
from handlers.common import esc
from handlers.kit import Steps, edit_or_send, end_flow, start_flow
from handlers.sync import company_today, eta_text, history_keyboard, import_progress_text, start_sync
from services import employees
from services.background import Spawn
from services.crypto import SecretBox
from services.errors import DomainError, NotFound
from services.locale import format_datetime
from services.masking import protect_secret
from services.permissions import Capability
from services.regos import RegosProblem
from services.sync.connection import ConnectOutcome, connect_company, get_connection, rename_branch
from services.sync.details import details_backfill_status, set_details_backfill
from services.sync.imports import running_import
from services.users import ActiveContext

KEY_STEP = Steps(None, prefix="regos_key")  # the pasted integration key
RENAME_STEP = Steps(None, prefix="rename")  # a branch's new name

OWNERS = {"capability": Capability.REGOS_MANAGE}
EMPLOYEES_PER_PAGE = 30
# A REGOS integration key is 32 letters and digits; anything that looks like one in a group is removed.
KEY_LIKE = re.compile(r"(?<![0-9A-Za-z])[0-9A-Za-z]{32}(?![0-9A-Za-z])")
KEY_CANDIDATE = re.compile(r"[0-9A-Za-z_-]{16,64}")  # what might be a key, mistyped or not: deleted unread


class RegosStates(StatesGroup):
    key = State()
    branch_name = State()


async def _delete_quietly(message: Message) -> None:
    with contextlib.suppress(TelegramBadRequest):
        await message.delete()


# --- groups: never accept keys there ------------------------------------------------------------------------------


async def regos_in_group(message: Message, i18n: I18nContext) -> None:
    await _delete_quietly(message)
    await message.answer(i18n.get("regos-private-only"))


async def key_in_group(message: Message, i18n: I18nContext) -> None:
    await _delete_quietly(message)
    await message.answer(i18n.get("regos-key-deleted-warning"))


# --- status and connecting ----------------------------------------------------------------------------------------


async def regos_status(message: Message, state: FSMContext, i18n: I18nContext, session: AsyncSession,
                       ctx: ActiveContext, settings: Settings) -> None:
    connection = await get_connection(session, ctx.company.id)
    if connection is None:  # nothing to show yet: go straight to asking for the key
        await message.answer(i18n.get("regos-status-none"))
        await _ask_key(message, i18n, ctx, state)
        return
    company_id = ctx.company.id
    branches = await repo.branches_of_company(session, company_id)
    last = connection.last_success_at
    text = i18n.get(
        "regos-status", status=i18n.get(f"regos-status-{connection.status}"), prefix=esc(connection.key_prefix),
        branches=len(branches),
        last_sync=format_datetime(last.astimezone(ZoneInfo(ctx.company.timezone)), i18n.locale)
        if last else i18n.get("regos-never"),
    )
    running = running_import(company_id)
    if running is not None:  # the history import goes on in the background
        text += "\n\n" + import_progress_text(i18n.locale, running)
    if settings.public_url:
        url = f"{settings.public_url}/regos/webhook/{connection.webhook_secret}"
        text += "\n\n" + i18n.get("regos-webhook-url", url=esc(url))
    buttons = [
        [InlineKeyboardButton(text=i18n.get("btn-regos-sync"),
                              callback_data=RegosCb(company=company_id, action=RegosAction.SYNC).pack()),
         InlineKeyboardButton(text=i18n.get("btn-regos-branches"),
                              callback_data=RegosCb(company=company_id, action=RegosAction.BRANCHES).pack()),
         InlineKeyboardButton(text=i18n.get("btn-regos-employees"),
                              callback_data=EmployeeCb(company=company_id, action=EmployeeAction.LIST).pack())],
        [InlineKeyboardButton(text=i18n.get("btn-regos-connect"),
                              callback_data=RegosCb(company=company_id, action=RegosAction.KEY).pack())],
    ]
    details_text, details_button = await _details_block(session, i18n, company_id)
    text += "\n\n" + details_text
    buttons.insert(1, [details_button])
    await message.answer(text, reply_markup=InlineKeyboardMarkup(inline_keyboard=buttons))


async def _details_block(session: AsyncSession, i18n: I18nContext,
                         company_id: int) -> tuple[str, InlineKeyboardButton]:
    """The receipt details backfill: what it is for, what it costs, how far it is; and its on/off button."""
    status = await details_backfill_status(session, company_id)
    left = status.estimated_seconds_left
    text = i18n.get("regos-details", state=i18n.get("regos-details-on" if status.enabled else "regos-details-off"),
                    share=status.share_percent, without=status.receipts_without_details,
                    with_details=status.receipts_with_details)
    if status.enabled and left:
        text += "\n" + i18n.get("regos-details-left", eta=eta_text(i18n.locale, left))
    action = RegosAction.DETAILS_OFF if status.enabled else RegosAction.DETAILS_ON
    button = InlineKeyboardButton(
        text=i18n.get("btn-regos-details-off" if status.enabled else "btn-regos-details-on"),
        callback_data=RegosCb(company=company_id, action=action).pack())
    return text, button


async def details_switched(query: CallbackQuery, callback_data: RegosCb, i18n: I18nContext, session: AsyncSession,
                           ctx: ActiveContext, callback_answer: CallbackAnswer) -> None:
    enabled = callback_data.action == RegosAction.DETAILS_ON
    await set_details_backfill(session, ctx.company.id, enabled)
    text, button = await _details_block(session, i18n, ctx.company.id)
    callback_answer.text = i18n.get("regos-details-saved-on" if enabled else "regos-details-saved-off")
    await edit_or_send(query, text, InlineKeyboardMarkup(inline_keyboard=[[button]]), edit=False)


async def _ask_key(message: Message, i18n: I18nContext, ctx: ActiveContext, state: FSMContext) -> None:
    await KEY_STEP.begin(state, ctx)
    await state.set_state(RegosStates.key)
    await message.answer(i18n.get("regos-ask-key"))


def _outcome_text(i18n: I18nContext, outcome: ConnectOutcome) -> str:
    if outcome.ok:
        return i18n.get("regos-connected", branches=outcome.branches_found)
    # a code is an identifier, not an amount: str() keeps Fluent from printing "8 213"
    code = str(outcome.error_code if outcome.error_code is not None else (outcome.http_status or "—"))
    problem = outcome.problem
    if problem is RegosProblem.KEY_MALFORMED:
        return i18n.get("regos-key-format")
    if problem is RegosProblem.KEY_REJECTED:
        return i18n.get("regos-key-rejected", code=code)
    if problem is RegosProblem.NO_RIGHTS:
        return i18n.get("regos-no-rights", method=esc(outcome.failed_method or "?"), code=code)
    if problem is RegosProblem.UNREACHABLE:
        return i18n.get("regos-unreachable")
    if problem is RegosProblem.RATE_LIMITED:
        return i18n.get("regos-rate-limited")
    return i18n.get("regos-failed", code=code, description=esc((outcome.description or "")[:200]))


async def regos_key_pasted(
    message: Message, state: FSMContext, i18n: I18nContext, session: AsyncSession, user: User,
    ctx: ActiveContext, settings: Settings, secret_box: SecretBox | None, bot: Bot,
) -> None:
    key = (message.text or "").strip()
    if not KEY_CANDIDATE.fullmatch(key):  # words, a question, a short code: not a key; the step goes on
        await message.answer(i18n.get("regos-key-format"))
        return
    protect_secret(key)  # from now on the key is masked in every log line
    await _delete_quietly(message)  # the secret must not stay in the chat
    await KEY_STEP.data(state, ctx)
    if secret_box is None:
        await KEY_STEP.forget(state)
        raise DomainError("error-step-over")
    progress = await message.answer(i18n.get("regos-checking"))
    async with ChatActionSender.typing(bot=bot, chat_id=message.chat.id):
        outcome = await connect_company(session, company_id=ctx.company.id, integration_key=key,
                                        gateway_url=settings.regos_gateway_url, secret_box=secret_box, user_id=user.id)
    if outcome.ok or outcome.problem is not RegosProblem.KEY_MALFORMED:
        await KEY_STEP.forget(state)
    # Connected: the owner picks how much history to import (today first, in the background).
    keyboard = history_keyboard(i18n.locale, ctx.company.id, company_today(ctx)) if outcome.ok else None
    await edit_or_send(progress, _outcome_text(i18n, outcome), keyboard)


async def key_outside_flow(message: Message, i18n: I18nContext) -> None:
    protect_secret((message.text or "").strip())
    await _delete_quietly(message)
    await message.answer(i18n.get("regos-key-outside-flow"))


async def ask_key(query: CallbackQuery, state: FSMContext, i18n: I18nContext, ctx: ActiveContext) -> None:
    if isinstance(query.message, Message):
        await _ask_key(query.message, i18n, ctx, state)


async def sync_now(query: CallbackQuery, i18n: I18nContext, session: AsyncSession, ctx: ActiveContext,
                   session_factory: async_sessionmaker[AsyncSession], secret_box: SecretBox | None,
                   settings: Settings, spawn: Spawn) -> None:
    if isinstance(query.message, Message):  # the sync runs in the background and shows its own progress
        await start_sync(query.message, i18n.locale, session, ctx, session_factory=session_factory,
                         secret_box=secret_box, settings=settings, spawn=spawn)


async def branches_listed(query: CallbackQuery, i18n: I18nContext, session: AsyncSession,
                          ctx: ActiveContext) -> None:
    branches = await repo.branches_of_company(session, ctx.company.id)
    rows = [[InlineKeyboardButton(text=branch.name, callback_data=RegosCb(
        company=ctx.company.id, action=RegosAction.RENAME, branch=branch.id).pack())] for branch in branches]
    await edit_or_send(query, i18n.get("regos-branches-title"), InlineKeyboardMarkup(inline_keyboard=rows),
                       edit=False)


async def rename_asked(query: CallbackQuery, callback_data: RegosCb, state: FSMContext, i18n: I18nContext,
                       session: AsyncSession, ctx: ActiveContext) -> None:
    branch = await repo.branch_in_company(session, ctx.company.id, callback_data.branch)
    if branch is None:
        raise DomainError("error-branch-not-yours")
    await RENAME_STEP.begin(state, ctx, branch=branch.id)
    await state.set_state(RegosStates.branch_name)
    await edit_or_send(query, i18n.get("regos-branch-ask-name", name=esc(branch.name)), edit=False)


async def branch_renamed(message: Message, state: FSMContext, i18n: I18nContext, session: AsyncSession,
                         ctx: ActiveContext) -> None:
    data = await RENAME_STEP.data(state, ctx)
    # A name that will not do is refused by the errors router; the step stays, so the owner can send another.
    branch = await rename_branch(session, ctx.company.id, int(data.get("rename_branch", 0)), message.text or "")
    await RENAME_STEP.forget(state)
    await message.answer(i18n.get("regos-branch-renamed", name=esc(branch.name)))


# --- REGOS sellers tied to members --------------------------------------------------------------------------------


async def _employee(session: AsyncSession, company_id: int, employee_id: int) -> Employee:
    employee = next((e for e in await employees.list_employees(session, company_id) if e.id == employee_id), None)
    if employee is None:
        raise NotFound("error-member-not-found")
    return employee


async def employees_listed(query: CallbackQuery, callback_data: EmployeeCb, i18n: I18nContext,
                           session: AsyncSession, ctx: ActiveContext) -> None:
    company_id = ctx.company.id
    staff = await employees.list_employees(session, company_id)
    if not staff:
        raise NotFound("regos-no-employees")
    pages = -(-len(staff) // EMPLOYEES_PER_PAGE)
    page = min(max(callback_data.page, 0), pages - 1)
    rows = [[InlineKeyboardButton(text=("🔗 " if e.user_id else "") + e.full_name, callback_data=EmployeeCb(
        company=company_id, action=EmployeeAction.OPEN, employee=e.id).pack())]
        for e in staff[page * EMPLOYEES_PER_PAGE:(page + 1) * EMPLOYEES_PER_PAGE]]
    if pages > 1:
        rows.append([InlineKeyboardButton(text=label, callback_data=EmployeeCb(
            company=company_id, action=EmployeeAction.LIST, page=target % pages).pack())
            for label, target in (("◀", page - 1), (f"{page + 1}/{pages}", page), ("▶", page + 1))])
    title = i18n.get("regos-employees-title")
    # From the status card the list comes as a new message; paging edits the list itself.
    in_list = isinstance(query.message, Message) and query.message.text == title
    await edit_or_send(query, title, InlineKeyboardMarkup(inline_keyboard=rows), edit=in_list)


async def employee_opened(query: CallbackQuery, callback_data: EmployeeCb, i18n: I18nContext,
                          session: AsyncSession, ctx: ActiveContext, state: FSMContext) -> None:
    employee = await _employee(session, ctx.company.id, callback_data.employee)
    people = await repo.members_of_company(session, ctx.company.id)
    flow = await start_flow(state, EmployeeLinkCb)  # an older card, or one after /cancel, changes nothing
    rows = [[InlineKeyboardButton(text=m.user.first_name or str(m.user.telegram_id), callback_data=EmployeeLinkCb(
        company=ctx.company.id, flow=flow, action=EmployeeAction.LINK, employee=employee.id, member=m.id).pack())]
        for m in people]
    rows.append([InlineKeyboardButton(text=i18n.get("btn-employee-unlink"), callback_data=EmployeeLinkCb(
        company=ctx.company.id, flow=flow, action=EmployeeAction.UNLINK, employee=employee.id).pack())])
    await edit_or_send(query, i18n.get("regos-employee-choose-member", name=esc(employee.full_name)),
                       InlineKeyboardMarkup(inline_keyboard=rows))


async def employee_linked(query: CallbackQuery, callback_data: EmployeeLinkCb, i18n: I18nContext,
                          session: AsyncSession, ctx: ActiveContext, state: FSMContext) -> None:
    employee = await _employee(session, ctx.company.id, callback_data.employee)
    await employees.link_member(session, company_id=ctx.company.id, employee_id=employee.id,
                                membership_id=callback_data.member, actor_user_id=ctx.membership.user_id)
    member = await repo.membership_by_id(session, callback_data.member)
    assert member is not None  # link_member checked it is one of the company's
    await end_flow(state, EmployeeLinkCb)
    await edit_or_send(query, i18n.get("regos-employee-linked", name=esc(employee.full_name),
                                       member=esc(member.user.first_name)))


async def employee_unlinked(query: CallbackQuery, callback_data: EmployeeLinkCb, i18n: I18nContext,
                            session: AsyncSession, ctx: ActiveContext, state: FSMContext) -> None:
    employee = await _employee(session, ctx.company.id, callback_data.employee)
    await employees.link_member(session, company_id=ctx.company.id, employee_id=employee.id, membership_id=None,
                                actor_user_id=ctx.membership.user_id)
    await end_flow(state, EmployeeLinkCb)
    await edit_or_send(query, i18n.get("regos-employee-unlinked", name=esc(employee.full_name)))


def get_router() -> Router:
    router = Router(name="regos")
    private = F.chat.type == ChatType.PRIVATE
    router.message.register(regos_in_group, ~private, Command("regos"))
    router.message.register(key_in_group, ~private, F.text.regexp(KEY_LIKE, mode=RegexpMode.SEARCH))
    router.message.register(regos_status, Command("regos"), private, flags=OWNERS)
    router.message.register(regos_status, F.text.in_(all_translations("menu-regos")), private, flags=OWNERS)
    typed = (F.text, ~F.text.startswith("/"))
    router.message.register(regos_key_pasted, StateFilter(RegosStates.key), private, *typed, flags=OWNERS)
    router.message.register(key_outside_flow, private, F.text.regexp(r"^\s*[0-9A-Za-z]{32}\s*$"),
                            ~StateFilter(RegosStates.key))
    router.message.register(branch_renamed, StateFilter(RegosStates.branch_name), *typed, flags=OWNERS)

    callbacks = router.callback_query
    callbacks.register(ask_key, RegosCb.filter(F.action == RegosAction.KEY), flags=OWNERS)
    callbacks.register(sync_now, RegosCb.filter(F.action == RegosAction.SYNC), flags=OWNERS)
    details = {RegosAction.DETAILS_ON, RegosAction.DETAILS_OFF}
    callbacks.register(details_switched, RegosCb.filter(F.action.in_(details)), flags=OWNERS)
    callbacks.register(branches_listed, RegosCb.filter(F.action == RegosAction.BRANCHES), flags=OWNERS)
    callbacks.register(rename_asked, RegosCb.filter(F.action == RegosAction.RENAME), flags=OWNERS)
    callbacks.register(employees_listed, EmployeeCb.filter(F.action == EmployeeAction.LIST), flags=OWNERS)
    callbacks.register(employee_opened, EmployeeCb.filter(F.action == EmployeeAction.OPEN), flags=OWNERS)
    callbacks.register(employee_linked, EmployeeLinkCb.filter(F.action == EmployeeAction.LINK), flags=OWNERS)
    callbacks.register(employee_unlinked, EmployeeLinkCb.filter(F.action == EmployeeAction.UNLINK),
                       flags=OWNERS)
    return router

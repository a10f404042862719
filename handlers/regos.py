"""/regos: connect the company's REGOS (paste the key in private; it is deleted at once), see the status,
rename the branches that came from REGOS. Keys pasted into a group are deleted with a warning."""

from __future__ import annotations

import contextlib
import re
from zoneinfo import ZoneInfo

from aiogram import Bot, F, Router
from aiogram.enums import ChatType
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command, StateFilter
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.chat_action import ChatActionSender
from aiogram_i18n import I18nContext
from magic_filter import RegexpMode
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.config import Settings
from db import repositories as repo
from db.models import Role, User
from handlers.common import edit_text_quietly, esc
from handlers.sync import run_sync_with_progress
from services import employees
from services.crypto import SecretBox
from services.errors import DomainError
from services.locale import format_datetime
from services.masking import protect_secret
from services.sync.connection import ConnectOutcome, ConnectProblem, connect_company, get_connection, rename_branch
from services.users import ActiveContext

router = Router(name="regos")
OWNERS = {"roles": frozenset({Role.OWNER})}
# A REGOS integration key is 32 letters and digits; anything that looks like one in a group is removed.
EMPLOYEES_PER_PAGE = 30
KEY_LIKE = re.compile(r"(?<![0-9A-Za-z])[0-9A-Za-z]{32}(?![0-9A-Za-z])")


class RegosCb(CallbackData, prefix="rg"):
    company: int
    action: str  # key | branches | branch | sync | employees | employee | link
    branch: int = 0  # a branch id, or an employee id for employee/link
    member: int = 0  # a membership id for link; 0 unties


class RegosStates(StatesGroup):
    key = State()
    branch_name = State()


async def _delete_quietly(message: Message) -> None:
    with contextlib.suppress(TelegramBadRequest):
        await message.delete()


# --- groups: never accept keys there ------------------------------------------------------------------------------


@router.message(F.chat.type != ChatType.PRIVATE, Command("regos"))
async def regos_in_group(message: Message, i18n: I18nContext) -> None:
    await _delete_quietly(message)
    await message.answer(i18n.get("regos-private-only"))


@router.message(F.chat.type != ChatType.PRIVATE, F.text.regexp(KEY_LIKE, mode=RegexpMode.SEARCH))
async def key_in_group(message: Message, i18n: I18nContext) -> None:
    await _delete_quietly(message)
    await message.answer(i18n.get("regos-key-deleted-warning"))


# --- status and connecting ----------------------------------------------------------------------------------------


@router.message(Command("regos"), F.chat.type == ChatType.PRIVATE, flags=OWNERS)
async def regos_status(message: Message, state: FSMContext, i18n: I18nContext, session: AsyncSession,
                       ctx: ActiveContext, settings: Settings) -> None:
    connection = await get_connection(session, ctx.company.id)
    company_id = ctx.company.id
    buttons = [[InlineKeyboardButton(text=i18n.get("btn-regos-connect"),
                                     callback_data=RegosCb(company=company_id, action="key").pack())]]
    if connection is None:  # nothing to show yet: go straight to asking for the key
        await message.answer(i18n.get("regos-status-none"))
        await _ask_key(message, i18n, ctx, state)
        return
    else:
        branches = await repo.branches_of_company(session, company_id)
        last = connection.last_success_at
        text = i18n.get(
            "regos-status", status=i18n.get(f"regos-status-{connection.status}"), prefix=esc(connection.key_prefix),
            branches=len(branches),
            last_sync=format_datetime(last.astimezone(ZoneInfo(ctx.company.timezone)), i18n.locale)
            if last else i18n.get("regos-never"),
        )
        if settings.public_url:
            url = f"{settings.public_url}/regos/webhook/{connection.webhook_secret}"
            text += "\n\n" + i18n.get("regos-webhook-url", url=esc(url))
        buttons.insert(0, [
            InlineKeyboardButton(text=i18n.get("btn-regos-sync"),
                                 callback_data=RegosCb(company=company_id, action="sync").pack()),
            InlineKeyboardButton(text=i18n.get("btn-regos-branches"),
                                 callback_data=RegosCb(company=company_id, action="branches").pack()),
            InlineKeyboardButton(text=i18n.get("btn-regos-employees"),
                                 callback_data=RegosCb(company=company_id, action="employees").pack()),
        ])
    await message.answer(text, reply_markup=InlineKeyboardMarkup(inline_keyboard=buttons))


async def _ask_key(message: Message, i18n: I18nContext, ctx: ActiveContext, state: FSMContext) -> None:
    await state.set_state(RegosStates.key)
    await state.update_data(company=ctx.company.id)
    await message.answer(i18n.get("regos-ask-key"))


def _outcome_text(i18n: I18nContext, outcome: ConnectOutcome) -> str:
    if outcome.ok:
        return i18n.get("regos-connected", branches=outcome.branches_found)
    code = outcome.error_code if outcome.error_code is not None else (outcome.http_status or "—")
    problem = outcome.problem
    if problem is ConnectProblem.KEY_MALFORMED:
        return i18n.get("regos-key-format")
    if problem is ConnectProblem.KEY_REJECTED:
        return i18n.get("regos-key-rejected", code=code)
    if problem is ConnectProblem.NO_RIGHTS:
        return i18n.get("regos-no-rights", method=esc(outcome.failed_method or "?"), code=code)
    if problem is ConnectProblem.UNREACHABLE:
        return i18n.get("regos-unreachable")
    if problem is ConnectProblem.RATE_LIMITED:
        return i18n.get("regos-rate-limited")
    return i18n.get("regos-failed", code=code, description=esc((outcome.description or "")[:200]))


@router.message(StateFilter(RegosStates.key), F.chat.type == ChatType.PRIVATE, F.text, ~F.text.startswith("/"),
                flags=OWNERS)
async def regos_key_pasted(
    message: Message, state: FSMContext, i18n: I18nContext, session: AsyncSession, user: User,
    ctx: ActiveContext, settings: Settings, secret_box: SecretBox | None, bot: Bot,
) -> None:
    key = (message.text or "").strip()
    protect_secret(key)  # from now on the key is masked in every log line
    await _delete_quietly(message)  # the secret must not stay in the chat
    data = await state.get_data()
    if data.get("company") != ctx.company.id or secret_box is None:
        await state.clear()
        await message.answer(i18n.get("error-stale-button"))
        return
    progress = await message.answer(i18n.get("regos-checking"))
    async with ChatActionSender.typing(bot=bot, chat_id=message.chat.id):
        outcome = await connect_company(session, company_id=ctx.company.id, integration_key=key,
                                        gateway_url=settings.regos_gateway_url, secret_box=secret_box, user_id=user.id)
    if outcome.ok or outcome.problem is not ConnectProblem.KEY_MALFORMED:
        await state.clear()
    await progress.edit_text(_outcome_text(i18n, outcome))


@router.message(F.chat.type == ChatType.PRIVATE, F.text.regexp(r"^\s*[0-9A-Za-z]{32}\s*$"),
                ~StateFilter(RegosStates.key))
async def key_outside_flow(message: Message, i18n: I18nContext) -> None:
    protect_secret((message.text or "").strip())
    await _delete_quietly(message)
    await message.answer(i18n.get("regos-key-outside-flow"))


@router.callback_query(RegosCb.filter(), flags=OWNERS)
async def regos_action(
    query: CallbackQuery, callback_data: RegosCb, state: FSMContext, i18n: I18nContext, session: AsyncSession,
    ctx: ActiveContext, session_factory: async_sessionmaker[AsyncSession], secret_box: SecretBox | None,
    settings: Settings,
) -> None:
    message = query.message
    if callback_data.company != ctx.company.id or not isinstance(message, Message):
        await query.answer(i18n.get("error-stale-button"), show_alert=True)
        return
    if callback_data.action == "key":
        await query.answer()
        await _ask_key(message, i18n, ctx, state)
    elif callback_data.action == "branches":
        branches = await repo.branches_of_company(session, ctx.company.id)
        rows = [[InlineKeyboardButton(text=branch.name, callback_data=RegosCb(
            company=ctx.company.id, action="branch", branch=branch.id).pack())] for branch in branches]
        await query.answer()
        await message.answer(i18n.get("regos-branches-title"), reply_markup=InlineKeyboardMarkup(inline_keyboard=rows))
    elif callback_data.action == "branch":
        branch = await repo.branch_in_company(session, ctx.company.id, callback_data.branch)
        if branch is None:
            await query.answer(i18n.get("error-branch-not-yours"), show_alert=True)
            return
        await query.answer()
        await state.set_state(RegosStates.branch_name)
        await state.update_data(company=ctx.company.id, branch=branch.id)
        await message.answer(i18n.get("regos-branch-ask-name", name=esc(branch.name)))
    elif callback_data.action in ("employees", "employee", "link"):
        await _employees_action(query, callback_data, message, i18n, session, ctx)
    elif callback_data.action == "sync":
        await query.answer()
        await run_sync_with_progress(message, i18n, session, ctx, session_factory=session_factory,
                                     secret_box=secret_box, settings=settings)
    else:
        await query.answer(i18n.get("error-stale-button"), show_alert=True)


async def _employees_action(query: CallbackQuery, callback_data: RegosCb, message: Message, i18n: I18nContext,
                            session: AsyncSession, ctx: ActiveContext) -> None:
    company_id = ctx.company.id
    if callback_data.action == "employees":
        staff = await employees.list_employees(session, company_id)
        if not staff:
            await query.answer(i18n.get("regos-no-employees"), show_alert=True)
            return
        pages = -(-len(staff) // EMPLOYEES_PER_PAGE)
        page = min(max(callback_data.member, 0), pages - 1)  # `member` carries the page in this listing
        rows = [[InlineKeyboardButton(text=("🔗 " if e.user_id else "") + e.full_name, callback_data=RegosCb(
            company=company_id, action="employee", branch=e.id).pack())]
            for e in staff[page * EMPLOYEES_PER_PAGE:(page + 1) * EMPLOYEES_PER_PAGE]]
        if pages > 1:
            rows.append([InlineKeyboardButton(text=label, callback_data=RegosCb(
                company=company_id, action="employees", member=target % pages).pack())
                for label, target in (("◀", page - 1), (f"{page + 1}/{pages}", page), ("▶", page + 1))])
        keyboard = InlineKeyboardMarkup(inline_keyboard=rows)
        await query.answer()
        if callback_data.member or message.text == i18n.get("regos-employees-title"):
            await edit_text_quietly(message, i18n.get("regos-employees-title"), keyboard)
        else:
            await message.answer(i18n.get("regos-employees-title"), reply_markup=keyboard)
        return
    staff_by_id = {e.id: e for e in await employees.list_employees(session, company_id)}
    employee = staff_by_id.get(callback_data.branch)
    if employee is None:
        await query.answer(i18n.get("error-member-not-found"), show_alert=True)
        return
    if callback_data.action == "employee":
        people = await repo.members_of_company(session, company_id)
        rows = [[InlineKeyboardButton(text=m.user.first_name or str(m.user.telegram_id), callback_data=RegosCb(
            company=company_id, action="link", branch=employee.id, member=m.id).pack())] for m in people]
        rows.append([InlineKeyboardButton(text=i18n.get("btn-employee-unlink"), callback_data=RegosCb(
            company=company_id, action="link", branch=employee.id, member=0).pack())])
        await query.answer()
        await message.edit_text(i18n.get("regos-employee-choose-member", name=esc(employee.full_name)),
                                reply_markup=InlineKeyboardMarkup(inline_keyboard=rows))
        return
    try:
        await employees.link_member(session, company_id=company_id, employee_id=employee.id,
                                    membership_id=callback_data.member or None, actor_user_id=ctx.membership.user_id)
    except DomainError as error:
        await query.answer(i18n.get(error.key), show_alert=True)
        return
    member = await repo.membership_by_id(session, callback_data.member) if callback_data.member else None
    await query.answer()
    if member is None:
        await message.edit_text(i18n.get("regos-employee-unlinked", name=esc(employee.full_name)))
    else:
        await message.edit_text(i18n.get("regos-employee-linked", name=esc(employee.full_name),
                                         member=esc(member.user.first_name)))


@router.message(StateFilter(RegosStates.branch_name), F.text, ~F.text.startswith("/"), flags=OWNERS)
async def branch_renamed(message: Message, state: FSMContext, i18n: I18nContext, session: AsyncSession,
                         ctx: ActiveContext) -> None:
    data = await state.get_data()
    if data.get("company") != ctx.company.id:
        await state.clear()
        await message.answer(i18n.get("error-stale-button"))
        return
    try:
        branch = await rename_branch(session, ctx.company.id, int(data.get("branch", 0)), message.text or "")
    except DomainError as error:
        await message.answer(i18n.get(error.key, **error.params))
        return
    await state.clear()
    await message.answer(i18n.get("regos-branch-renamed", name=esc(branch.name)))

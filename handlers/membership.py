"""/invite, /members and /company: managing who is in the company, and switching between companies."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from aiogram import Bot, F, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram_i18n import I18nContext
from sqlalchemy.ext.asyncio import AsyncSession

from core.config import Settings
from core.i18n import all_translations
from db import repositories as repo
from db.models import Membership, User
from handlers.common import branches_text, edit_text_quietly, esc, main_menu, role_name
from handlers.keyboards import CompanyCb, InviteCb, MemberCb, role_at, role_index
from services import invites, members
from services.errors import DomainError
from services.locale import format_datetime
from services.roles import MANAGING_ROLES, assignable_roles
from services.users import ActiveContext, switch_company

router = Router(name="membership")
MANAGERS = {"roles": MANAGING_ROLES}


def _params(error: DomainError, i18n: I18nContext) -> dict[str, str]:
    params = {key: esc(value) for key, value in error.params.items()}
    if "role" in params:
        try:
            params["role"] = role_name(i18n, error.params["role"])
        except ValueError:
            pass
    return params


async def _refuse(query: CallbackQuery, i18n: I18nContext, error: DomainError) -> None:
    await query.answer(i18n.get(error.key, **_params(error, i18n)), show_alert=True)


def _is_current(ctx: ActiveContext, company_id: int) -> bool:
    """Buttons carry the company they were made for; after a switch they must not act on the other one."""
    return ctx.company.id == company_id


# --- /invite ------------------------------------------------------------------------------------------------


@router.message(Command("invite"), flags=MANAGERS)
@router.message(F.text.in_(all_translations("menu-invite")), flags=MANAGERS)
async def invite_start(message: Message, i18n: I18nContext, ctx: ActiveContext) -> None:
    rows = [
        [InlineKeyboardButton(text=role_name(i18n, role),
                              callback_data=InviteCb(company=ctx.company.id, role=role_index(role)).pack())]
        for role in assignable_roles(ctx.role)
    ]
    await message.answer(i18n.get("invite-choose-role"), reply_markup=InlineKeyboardMarkup(inline_keyboard=rows))


@router.callback_query(InviteCb.filter(), flags=MANAGERS)
async def invite_step(
    query: CallbackQuery, callback_data: InviteCb, i18n: I18nContext, session: AsyncSession, user: User,
    ctx: ActiveContext, settings: Settings, bot: Bot,
) -> None:
    role = role_at(callback_data.role)
    if role is None or not _is_current(ctx, callback_data.company) or not isinstance(query.message, Message):
        await query.answer(i18n.get("error-stale-button"), show_alert=True)
        return
    if callback_data.branch == -1:
        branches = await repo.branches_of_company(session, ctx.company.id)
        allowed = ctx.branch_ids
        visible = [branch for branch in branches if allowed is None or branch.id in allowed]
        if len(visible) > 1 or (visible and allowed is not None):
            rows = [[InlineKeyboardButton(text=branch.name, callback_data=InviteCb(
                company=ctx.company.id, role=callback_data.role, branch=branch.id).pack())] for branch in visible]
            if allowed is None:
                rows.insert(0, [InlineKeyboardButton(text=i18n.get("btn-all-branches"), callback_data=InviteCb(
                    company=ctx.company.id, role=callback_data.role, branch=0).pack())])
            await query.answer()
            await query.message.edit_text(
                i18n.get("invite-choose-branch"), reply_markup=InlineKeyboardMarkup(inline_keyboard=rows)
            )
            return
        callback_data.branch = 0
    branch_id = callback_data.branch or None
    if branch_id is None and ctx.branch_ids is not None:
        await _refuse(query, i18n, DomainError("error-branch-not-yours"))
        return
    if branch_id is not None and ctx.branch_ids is not None and branch_id not in ctx.branch_ids:
        await _refuse(query, i18n, DomainError("error-branch-not-yours"))
        return
    try:
        invite = await invites.create_invite(
            session, company_id=ctx.company.id, role=role, actor=user, actor_role=ctx.role, branch_id=branch_id,
            ttl=timedelta(hours=settings.invite_ttl_hours),
        )
    except DomainError as error:
        await _refuse(query, i18n, error)
        return
    branch = await repo.branch_in_company(session, ctx.company.id, branch_id) if branch_id else None
    me = await bot.me()
    expires = format_datetime(invite.expires_at.astimezone(ZoneInfo(ctx.company.timezone)), i18n.locale)
    await query.answer()
    await query.message.edit_text(
        i18n.get("invite-created", role=role_name(i18n, role),
                 branch=esc(branch.name) if branch else i18n.get("all-branches"),
                 expires=expires, link=esc(invites.deep_link(me.username, invite.code))),
    )


# --- /members -----------------------------------------------------------------------------------------------


def _member_name(i18n: I18nContext, membership: Membership, me: User) -> str:
    name = esc(membership.user.first_name or membership.user.username or membership.user.telegram_id)
    return f"{name} {i18n.get('member-you')}" if membership.user_id == me.id else name


MEMBERS_PER_PAGE = 20  # keeps the text far under 4096 characters and the keyboard under Telegram's 100 buttons


async def _members_view(
    session: AsyncSession, i18n: I18nContext, ctx: ActiveContext, user: User, page: int = 0
) -> tuple[str, InlineKeyboardMarkup]:
    rows = await members.list_members(session, ctx.company.id)
    pages = max(1, -(-len(rows) // MEMBERS_PER_PAGE))
    page = min(max(page, 0), pages - 1)
    lines = [i18n.get("members-title", company=esc(ctx.company.name), count=len(rows)), ""]
    buttons = []
    for membership in rows[page * MEMBERS_PER_PAGE:(page + 1) * MEMBERS_PER_PAGE]:
        name = _member_name(i18n, membership, user)
        lines.append(i18n.get("member-line", name=name, role=role_name(i18n, membership.role),
                              branches=branches_text(i18n, membership)))
        buttons.append([InlineKeyboardButton(
            text=f"{membership.user.first_name or membership.user.telegram_id} · {role_name(i18n, membership.role)}",
            callback_data=MemberCb(company=ctx.company.id, action="open", member=membership.id).pack(),
        )])
    if pages > 1:
        lines.append(f"\n{page + 1}/{pages}")
        buttons.append([
            InlineKeyboardButton(text="◀", callback_data=MemberCb(company=ctx.company.id, action="list",
                                                                  role=(page - 1) % pages).pack()),
            InlineKeyboardButton(text="▶", callback_data=MemberCb(company=ctx.company.id, action="list",
                                                                  role=(page + 1) % pages).pack()),
        ])
    return "\n".join(lines), InlineKeyboardMarkup(inline_keyboard=buttons)


@router.message(Command("members"), flags=MANAGERS)
@router.message(F.text.in_(all_translations("menu-members")), flags=MANAGERS)
async def members_list(message: Message, i18n: I18nContext, session: AsyncSession, ctx: ActiveContext,
                       user: User) -> None:
    text, keyboard = await _members_view(session, i18n, ctx, user)
    await message.answer(text, reply_markup=keyboard)


@router.callback_query(MemberCb.filter(), flags=MANAGERS)
async def member_action(
    query: CallbackQuery, callback_data: MemberCb, i18n: I18nContext, session: AsyncSession, user: User,
    ctx: ActiveContext,
) -> None:
    message = query.message
    if not _is_current(ctx, callback_data.company) or not isinstance(message, Message):
        await query.answer(i18n.get("error-stale-button"), show_alert=True)
        return
    company_id, action = ctx.company.id, callback_data.action

    def button(key: str, **fields: object) -> InlineKeyboardButton:
        return InlineKeyboardButton(text=i18n.get(key),
                                    callback_data=MemberCb(company=company_id, member=callback_data.member,
                                                           **fields).pack())  # type: ignore[arg-type]

    try:
        if action == "list":  # `role` carries the page number here
            text, keyboard = await _members_view(session, i18n, ctx, user, page=max(callback_data.role, 0))
            await query.answer()
            await edit_text_quietly(message, text, keyboard)
            return
        target = await members.get_member(session, company_id, callback_data.member, ctx.role)
        name = _member_name(i18n, target, user)
        if action == "open":
            text = i18n.get("member-card", name=name, role=role_name(i18n, target.role),
                            branches=branches_text(i18n, target))
            keyboard = InlineKeyboardMarkup(inline_keyboard=[
                [button("btn-change-role", action="role"), button("btn-remove", action="rm")],
                [button("btn-back", action="list")],
            ])
        elif action == "role":
            rows = [[InlineKeyboardButton(text=role_name(i18n, role), callback_data=MemberCb(
                company=company_id, action="set", member=target.id, role=role_index(role)).pack())]
                for role in assignable_roles(ctx.role)]
            text = i18n.get("member-choose-role", name=name)
            keyboard = InlineKeyboardMarkup(inline_keyboard=[*rows, [button("btn-back", action="open")]])
        elif action == "set":
            role = role_at(callback_data.role)
            if role is None:
                raise DomainError("error-stale-button")
            await members.change_role(session, company_id=company_id, membership_id=target.id, new_role=role,
                                      actor=user, actor_role=ctx.role)
            text = i18n.get("member-role-changed", name=name, role=role_name(i18n, role))
            keyboard = InlineKeyboardMarkup(inline_keyboard=[[button("btn-back", action="list")]])
        elif action == "rm":
            text = i18n.get("member-remove-confirm", name=name)
            keyboard = InlineKeyboardMarkup(inline_keyboard=[
                [button("btn-confirm-remove", action="rmok"), button("btn-back", action="open")]
            ])
        elif action == "rmok":
            await members.remove_member(session, company_id=company_id, membership_id=target.id, actor=user,
                                        actor_role=ctx.role)
            text = i18n.get("member-removed", name=name)
            keyboard = InlineKeyboardMarkup(inline_keyboard=[[button("btn-back", action="list")]])
        else:
            raise DomainError("error-stale-button")
    except DomainError as error:
        await _refuse(query, i18n, error)
        return
    await query.answer()
    await message.edit_text(text, reply_markup=keyboard)


# --- /company -------------------------------------------------------------------------------------------------


@router.message(Command("company"))
@router.message(F.text.in_(all_translations("menu-company")))
async def company_choose(message: Message, i18n: I18nContext, session: AsyncSession, user: User,
                         ctx: ActiveContext | None) -> None:
    memberships = await repo.memberships_of_user(session, user.id)
    if not memberships:
        await message.answer(i18n.get("company-none"))
        return
    rows = [[InlineKeyboardButton(
        text=("✅ " if ctx and ctx.company.id == m.company_id else "")
        + f"{m.company.name} · {role_name(i18n, m.role)}",
        callback_data=CompanyCb(company=m.company_id).pack(),
    )] for m in memberships]
    await message.answer(i18n.get("company-choose"), reply_markup=InlineKeyboardMarkup(inline_keyboard=rows))


@router.callback_query(CompanyCb.filter())
async def company_switch(query: CallbackQuery, callback_data: CompanyCb, i18n: I18nContext,
                         session: AsyncSession, user: User) -> None:
    try:
        company = await switch_company(session, user, callback_data.company)
    except DomainError as error:
        await _refuse(query, i18n, error)
        return
    membership = await repo.membership(session, user.id, company.id)
    assert membership is not None
    await query.answer()
    if isinstance(query.message, Message):
        # The reply keyboard can only come with a new message, so the picker makes way for it.
        await query.message.delete()
        await query.message.answer(
            i18n.get("company-switched", company=esc(company.name), role=role_name(i18n, membership.role)),
            reply_markup=main_menu(i18n, ActiveContext(company, membership).role),
        )

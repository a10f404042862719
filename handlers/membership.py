"""/invite, /members and /company: managing who is in the company, and switching between companies."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from aiogram import Bot, F, Router
from aiogram.filters import Command
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram_i18n import I18nContext
from sqlalchemy.ext.asyncio import AsyncSession

from core.config import Settings
from core.i18n import all_translations
from db import repositories as repo
from db.models import Membership, Role, User
from handlers.callbacks import (
    InviteAction,
    InviteCb,
    MemberAction,
    MemberCb,
    MemberChangeAction,
    MemberChangeCb,
    SwitchCompanyCb,
)
from handlers.common import branches_text, esc, main_menu, role_name
from handlers.kit import edit_or_send, end_flow, start_flow
from services import invites, members
from services.errors import DomainError
from services.locale import format_datetime
from services.permissions import Capability, assignable_roles, can_manage
from services.users import ActiveContext, switch_company

INVITERS = {"capability": Capability.INVITE_CREATE}
MANAGERS = {"capability": Capability.MEMBERS_MANAGE}
MEMBERS_PER_PAGE = 20  # keeps the text far under 4096 characters and the keyboard under Telegram's 100 buttons


# --- /invite: a flow (role, then branch); its buttons stop working once it ends or after /cancel ---------------


async def invite_start(message: Message, i18n: I18nContext, ctx: ActiveContext, state: FSMContext) -> None:
    flow = await start_flow(state, InviteCb)
    rows = [[InlineKeyboardButton(text=role_name(i18n, role), callback_data=InviteCb(
        company=ctx.company.id, flow=flow, action=InviteAction.ROLE, role=role).pack())]
        for role in invites.roles_to_invite(ctx.membership)]
    await message.answer(i18n.get("invite-choose-role"), reply_markup=InlineKeyboardMarkup(inline_keyboard=rows))


async def invite_role_chosen(query: CallbackQuery, callback_data: InviteCb, i18n: I18nContext,
                             session: AsyncSession, ctx: ActiveContext, state: FSMContext, settings: Settings,
                             bot: Bot) -> None:
    choice = await invites.branch_choice(session, ctx.membership)
    if not choice.needs_asking:
        await _make_invite(query, callback_data, None, i18n, session, ctx, state, settings, bot)
        return

    def button(text: str, action: InviteAction, branch: int = 0) -> list[InlineKeyboardButton]:
        return [InlineKeyboardButton(text=text, callback_data=InviteCb(
            company=ctx.company.id, flow=callback_data.flow, action=action, role=callback_data.role,
            branch=branch).pack())]

    rows = [button(branch.name, InviteAction.BRANCH, branch.id) for branch in choice.branches]
    if choice.whole_company:
        rows.insert(0, button(i18n.get("btn-all-branches"), InviteAction.WHOLE_COMPANY))
    await edit_or_send(query, i18n.get("invite-choose-branch"), InlineKeyboardMarkup(inline_keyboard=rows))


async def invite_branch_chosen(query: CallbackQuery, callback_data: InviteCb, i18n: I18nContext,
                               session: AsyncSession, ctx: ActiveContext, state: FSMContext, settings: Settings,
                               bot: Bot) -> None:
    await _make_invite(query, callback_data, callback_data.branch, i18n, session, ctx, state, settings, bot)


async def invite_whole_company(query: CallbackQuery, callback_data: InviteCb, i18n: I18nContext,
                               session: AsyncSession, ctx: ActiveContext, state: FSMContext, settings: Settings,
                               bot: Bot) -> None:
    await _make_invite(query, callback_data, None, i18n, session, ctx, state, settings, bot)


async def _make_invite(query: CallbackQuery, callback_data: InviteCb, branch_id: int | None, i18n: I18nContext,
                       session: AsyncSession, ctx: ActiveContext, state: FSMContext, settings: Settings,
                       bot: Bot) -> None:
    # Which roles and branches this member may invite to is the service's rule (services.invites).
    invite = await invites.create_invite(session, company_id=ctx.company.id, role=callback_data.role,
                                         by=ctx.membership, branch_id=branch_id,
                                         ttl=timedelta(hours=settings.invite_ttl_hours))
    branch = await repo.branch_in_company(session, ctx.company.id, branch_id) if branch_id else None
    me = await bot.me()
    expires = format_datetime(invite.expires_at.astimezone(ZoneInfo(ctx.company.timezone)), i18n.locale)
    await end_flow(state, InviteCb)  # pressed again, the buttons say the step is over: one invite per flow
    link = invites.deep_link(me.username, invite.code)
    share = InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(
        text=i18n.get("btn-share-invite"),
        url="https://t.me/share/url?" + urlencode(
            {"url": link, "text": i18n.get("invite-share-text", company=ctx.company.name)}),
    )]]) if link.startswith("https://") else None
    await edit_or_send(query, i18n.get(
        "invite-created", role=role_name(i18n, callback_data.role),
        branch=esc(branch.name) if branch else i18n.get("all-branches"),
        expires=expires, link=esc(link)), share)


# --- /members: cards to browse (every press idempotent); a change (a new role, a removal) is a flow whose -------
# buttons stop working once it is done, after /cancel, or when another change is started


def _member_name(i18n: I18nContext, membership: Membership, me: User) -> str:
    name = esc(membership.user.first_name or membership.user.username or membership.user.telegram_id)
    return f"{name} {i18n.get('member-you')}" if membership.user_id == me.id else name


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
        if not can_manage(ctx.role, Role(membership.role)):
            continue  # a button that could only refuse is not offered (a manager and the owner, another manager)
        buttons.append([InlineKeyboardButton(
            text=f"{membership.user.first_name or membership.user.telegram_id} · {role_name(i18n, membership.role)}",
            callback_data=MemberCb(company=ctx.company.id, action=MemberAction.OPEN, member=membership.id).pack(),
        )])
    if pages > 1:
        lines.append(f"\n{page + 1}/{pages}")
        buttons.append([
            InlineKeyboardButton(text=label, callback_data=MemberCb(
                company=ctx.company.id, action=MemberAction.LIST, page=target % pages).pack())
            for label, target in (("◀", page - 1), ("▶", page + 1))
        ])
    return "\n".join(lines), InlineKeyboardMarkup(inline_keyboard=buttons)


def _button(i18n: I18nContext, key: str, ctx: ActiveContext, action: MemberAction, member: int = 0,
            ) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=i18n.get(key), callback_data=MemberCb(
        company=ctx.company.id, action=action, member=member).pack())


async def members_list(message: Message, i18n: I18nContext, session: AsyncSession, ctx: ActiveContext,
                       user: User) -> None:
    text, keyboard = await _members_view(session, i18n, ctx, user)
    await message.answer(text, reply_markup=keyboard)


async def members_page(query: CallbackQuery, callback_data: MemberCb, i18n: I18nContext, session: AsyncSession,
                       ctx: ActiveContext, user: User) -> None:
    text, keyboard = await _members_view(session, i18n, ctx, user, page=callback_data.page)
    await edit_or_send(query, text, keyboard)


async def member_open(query: CallbackQuery, callback_data: MemberCb, i18n: I18nContext, session: AsyncSession,
                      ctx: ActiveContext, user: User) -> None:
    target = await members.get_member(session, ctx.company.id, callback_data.member, ctx.role)
    text = i18n.get("member-card", name=_member_name(i18n, target, user), role=role_name(i18n, target.role),
                    branches=branches_text(i18n, target))
    if Role(target.role) is Role.OWNER and await repo.count_role(session, ctx.company.id, Role.OWNER.value) <= 1:
        # the only owner: a new role or a removal could only be refused, so neither is offered
        await edit_or_send(query, f"{text}\n\n{i18n.get('member-only-owner')}", InlineKeyboardMarkup(
            inline_keyboard=[[_button(i18n, "btn-back", ctx, MemberAction.LIST)]]))
        return
    keyboard = InlineKeyboardMarkup(inline_keyboard=[
        [_button(i18n, "btn-change-role", ctx, MemberAction.ROLES, target.id),
         _button(i18n, "btn-remove", ctx, MemberAction.REMOVE, target.id)],
        [_button(i18n, "btn-back", ctx, MemberAction.LIST)],
    ])
    await edit_or_send(query, text, keyboard)


async def member_roles(query: CallbackQuery, callback_data: MemberCb, i18n: I18nContext, session: AsyncSession,
                       ctx: ActiveContext, user: User, state: FSMContext) -> None:
    target = await members.get_member(session, ctx.company.id, callback_data.member, ctx.role)
    flow = await start_flow(state, MemberChangeCb)
    rows = [[InlineKeyboardButton(text=role_name(i18n, role), callback_data=MemberChangeCb(
        company=ctx.company.id, flow=flow, action=MemberChangeAction.SET_ROLE, member=target.id, role=role).pack())]
        for role in assignable_roles(ctx.role)]
    rows.append([_button(i18n, "btn-back", ctx, MemberAction.OPEN, target.id)])
    await edit_or_send(query, i18n.get("member-choose-role", name=_member_name(i18n, target, user)),
                       InlineKeyboardMarkup(inline_keyboard=rows))


async def member_set_role(query: CallbackQuery, callback_data: MemberChangeCb, i18n: I18nContext,
                          session: AsyncSession, ctx: ActiveContext, user: User, state: FSMContext) -> None:
    if callback_data.role is None:
        raise DomainError("error-stale-button")
    target = await members.change_role(session, company_id=ctx.company.id, membership_id=callback_data.member,
                                       new_role=callback_data.role, actor=user, actor_role=ctx.role)
    await end_flow(state, MemberChangeCb)  # pressed again, the picker says the step is over
    await edit_or_send(query, i18n.get("member-role-changed", name=_member_name(i18n, target, user),
                                       role=role_name(i18n, callback_data.role)),
                       InlineKeyboardMarkup(inline_keyboard=[[_button(i18n, "btn-back", ctx, MemberAction.LIST)]]))


async def member_remove(query: CallbackQuery, callback_data: MemberCb, i18n: I18nContext, session: AsyncSession,
                        ctx: ActiveContext, user: User, state: FSMContext) -> None:
    target = await members.get_member(session, ctx.company.id, callback_data.member, ctx.role)
    flow = await start_flow(state, MemberChangeCb)
    confirm = InlineKeyboardButton(text=i18n.get("btn-confirm-remove"), callback_data=MemberChangeCb(
        company=ctx.company.id, flow=flow, action=MemberChangeAction.REMOVE, member=target.id).pack())
    await edit_or_send(query, i18n.get("member-remove-confirm", name=_member_name(i18n, target, user)),
                       InlineKeyboardMarkup(inline_keyboard=[[
                           confirm, _button(i18n, "btn-back", ctx, MemberAction.OPEN, target.id)]]))


async def member_remove_confirmed(query: CallbackQuery, callback_data: MemberChangeCb, i18n: I18nContext,
                                  session: AsyncSession, ctx: ActiveContext, user: User, state: FSMContext) -> None:
    target = await members.remove_member(session, company_id=ctx.company.id, membership_id=callback_data.member,
                                         actor=user, actor_role=ctx.role)
    await end_flow(state, MemberChangeCb)
    await edit_or_send(query, i18n.get("member-removed", name=_member_name(i18n, target, user)),
                       InlineKeyboardMarkup(inline_keyboard=[[_button(i18n, "btn-back", ctx, MemberAction.LIST)]]))


# --- /company -------------------------------------------------------------------------------------------------


async def company_choose(message: Message, i18n: I18nContext, session: AsyncSession, user: User,
                         ctx: ActiveContext | None, state: FSMContext) -> None:
    memberships = await repo.memberships_of_user(session, user.id)
    if not memberships:
        await message.answer(i18n.get("company-none"))
        return
    flow = await start_flow(state, SwitchCompanyCb)  # an older picker's buttons say the step is over
    rows = [[InlineKeyboardButton(
        text=("✅ " if ctx and ctx.company.id == m.company_id else "")
        + f"{m.company.name} · {role_name(i18n, m.role)}",
        callback_data=SwitchCompanyCb(flow=flow, target=m.company_id).pack(),
    )] for m in memberships]
    await message.answer(i18n.get("company-choose"), reply_markup=InlineKeyboardMarkup(inline_keyboard=rows))


async def company_switch(query: CallbackQuery, callback_data: SwitchCompanyCb, i18n: I18nContext,
                         session: AsyncSession, user: User, state: FSMContext) -> None:
    company = await switch_company(session, user, callback_data.target)
    membership = await repo.membership(session, user.id, company.id)
    assert membership is not None
    await state.clear()  # a flow of the other company ends here, and so does this picker's
    if isinstance(query.message, Message):
        # The reply keyboard can only come with a new message, so the picker makes way for it.
        await query.message.delete()
        await query.message.answer(
            i18n.get("company-switched", company=esc(company.name), role=role_name(i18n, membership.role)),
            reply_markup=main_menu(i18n, ActiveContext(company, membership).role),
        )


def get_router() -> Router:
    router = Router(name="membership")
    for trigger in (Command("invite"), F.text.in_(all_translations("menu-invite"))):
        router.message.register(invite_start, trigger, flags=INVITERS)
    invite_actions = {
        InviteAction.ROLE: invite_role_chosen,
        InviteAction.BRANCH: invite_branch_chosen,
        InviteAction.WHOLE_COMPANY: invite_whole_company,
    }
    for action, handler in invite_actions.items():
        router.callback_query.register(handler, InviteCb.filter(F.action == action), flags=INVITERS)

    for trigger in (Command("members"), F.text.in_(all_translations("menu-members"))):
        router.message.register(members_list, trigger, flags=MANAGERS)
    member_actions: dict[MemberAction, Callable[..., Awaitable[None]]] = {
        MemberAction.LIST: members_page,
        MemberAction.OPEN: member_open,
        MemberAction.ROLES: member_roles,
        MemberAction.REMOVE: member_remove,
    }
    for member_action, member_handler in member_actions.items():
        router.callback_query.register(member_handler, MemberCb.filter(F.action == member_action), flags=MANAGERS)
    router.callback_query.register(member_set_role, MemberChangeCb.filter(F.action == MemberChangeAction.SET_ROLE),
                                   flags=MANAGERS)
    router.callback_query.register(member_remove_confirmed,
                                   MemberChangeCb.filter(F.action == MemberChangeAction.REMOVE), flags=MANAGERS)

    for trigger in (Command("company"), F.text.in_(all_translations("menu-company"))):
        router.message.register(company_choose, trigger)
    router.callback_query.register(company_switch, SwitchCompanyCb.filter())
    return router

"""/settings: when the daily summary comes and which summaries (owner), and for each person: mute, branches."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.filters.callback_data import CallbackData
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram_i18n import I18nContext
from sqlalchemy.ext.asyncio import AsyncSession

from db import repositories as repo
from db.models import Membership, Role
from handlers.common import esc
from services import audit
from services.summaries import membership_branch_scope, parse_clock, summary_settings, update_summary_settings
from services.users import ActiveContext

router = Router(name="settings")
READERS = {"roles": frozenset({Role.OWNER, Role.MANAGER})}
OWNERS = {"roles": frozenset({Role.OWNER})}
OWNER_ACTIONS = {"time", "daily", "weekly", "monthly"}


class SettingsCb(CallbackData, prefix="st"):
    company: int
    action: str  # time | daily | weekly | monthly | mute | branches | branch | allbranches
    value: int = 0


class SettingsStates(StatesGroup):
    time = State()


def _state(i18n: I18nContext, on: bool) -> str:
    return i18n.get("settings-on" if on else "settings-off")


async def _view(session: AsyncSession, i18n: I18nContext, ctx: ActiveContext) -> tuple[str, InlineKeyboardMarkup]:
    company, membership = ctx.company, ctx.membership
    settings = summary_settings(company)
    muted = bool((membership.settings or {}).get("summary_muted"))
    scope = membership_branch_scope(membership)
    branches = await repo.branches_of_company(session, company.id)
    followed = [b.name for b in branches if scope is None or b.id in scope]
    text = i18n.get(
        "settings-title", time=settings.at.strftime("%H:%M"), timezone=esc(company.timezone),
        daily=_state(i18n, settings.daily), weekly=_state(i18n, settings.weekly),
        monthly=_state(i18n, settings.monthly), muted=i18n.get("settings-muted" if muted else "settings-unmuted"),
        branches=esc(", ".join(followed)) if followed and scope is not None else i18n.get("all-branches"),
    )

    def button(key: str, action: str, **params: object) -> InlineKeyboardButton:
        return InlineKeyboardButton(text=i18n.get(key, **params),
                                    callback_data=SettingsCb(company=company.id, action=action).pack())

    rows = []
    if ctx.role is Role.OWNER:
        rows += [[button("btn-settings-time", "time"), button("btn-settings-daily", "daily",
                                                              state=_state(i18n, settings.daily))],
                 [button("btn-settings-weekly", "weekly", state=_state(i18n, settings.weekly)),
                  button("btn-settings-monthly", "monthly", state=_state(i18n, settings.monthly))]]
    rows.append([button("btn-settings-unmute" if muted else "btn-settings-mute", "mute"),
                 button("btn-settings-branches", "branches")])
    return text, InlineKeyboardMarkup(inline_keyboard=rows)


def _branches_keyboard(i18n: I18nContext, ctx: ActiveContext, visible: list[tuple[int, str]],
                       scope: frozenset[int] | None) -> InlineKeyboardMarkup:
    rows = [[InlineKeyboardButton(text=("✅ " if scope is None or branch_id in scope else "") + name,
                                  callback_data=SettingsCb(company=ctx.company.id, action="branch",
                                                           value=branch_id).pack())]
            for branch_id, name in visible]
    rows.append([InlineKeyboardButton(text=i18n.get("btn-settings-all-branches"),
                                      callback_data=SettingsCb(company=ctx.company.id, action="allbranches").pack())])
    return InlineKeyboardMarkup(inline_keyboard=rows)


def _set_member_setting(membership: Membership, **changes: object) -> None:
    membership.settings = {**(membership.settings or {}), **changes}  # a new dict so the change is saved


@router.message(Command("settings"), flags=READERS)
async def settings_command(message: Message, i18n: I18nContext, session: AsyncSession, ctx: ActiveContext) -> None:
    text, keyboard = await _view(session, i18n, ctx)
    await message.answer(text, reply_markup=keyboard)


@router.callback_query(SettingsCb.filter(), flags=READERS)
async def settings_action(query: CallbackQuery, callback_data: SettingsCb, state: FSMContext, i18n: I18nContext,
                          session: AsyncSession, ctx: ActiveContext) -> None:
    message = query.message
    if callback_data.company != ctx.company.id or not isinstance(message, Message):
        await query.answer(i18n.get("error-stale-button"), show_alert=True)
        return
    action = callback_data.action
    if action in OWNER_ACTIONS and ctx.role is not Role.OWNER:
        await query.answer(i18n.get("error-no-permission"), show_alert=True)
        return
    membership = ctx.membership
    branches = await repo.branches_of_company(session, ctx.company.id)
    allowed = ctx.branch_ids
    visible = [(b.id, b.name) for b in branches if allowed is None or b.id in allowed]
    if action == "time":
        await state.set_state(SettingsStates.time)
        await state.update_data(company=ctx.company.id)
        await query.answer()
        await message.answer(i18n.get("settings-ask-time"))
        return
    if action in ("daily", "weekly", "monthly"):
        current = getattr(summary_settings(ctx.company), action)
        update_summary_settings(ctx.company, **{action: not current})
        audit.record(session, "settings.summary", company_id=ctx.company.id, user_id=membership.user_id,
                     **{action: not current})
    elif action == "mute":
        _set_member_setting(membership, summary_muted=not (membership.settings or {}).get("summary_muted"))
    elif action in ("branches", "branch", "allbranches"):
        if action == "branch":
            if callback_data.value not in {branch_id for branch_id, _ in visible}:
                await query.answer(i18n.get("error-branch-not-yours"), show_alert=True)
                return
            scope = set(membership_branch_scope(membership) or {branch_id for branch_id, _ in visible})
            scope ^= {callback_data.value}
            everything = scope >= {branch_id for branch_id, _ in visible}
            _set_member_setting(membership, summary_branches=None if everything or not scope else sorted(scope))
        elif action == "allbranches":
            _set_member_setting(membership, summary_branches=None)
        await session.flush()
        await query.answer()
        keyboard = _branches_keyboard(i18n, ctx, visible, membership_branch_scope(membership))
        await message.edit_text(i18n.get("settings-branches-title"), reply_markup=keyboard)
        return
    else:
        await query.answer(i18n.get("error-stale-button"), show_alert=True)
        return
    await session.flush()
    text, keyboard = await _view(session, i18n, ctx)
    await query.answer(i18n.get("settings-saved"))
    await message.edit_text(text, reply_markup=keyboard)


@router.message(StateFilter(SettingsStates.time), F.text, ~F.text.startswith("/"), flags=OWNERS)
async def settings_time(message: Message, state: FSMContext, i18n: I18nContext, session: AsyncSession,
                        ctx: ActiveContext) -> None:
    data = await state.get_data()
    at = parse_clock(message.text or "")
    if data.get("company") != ctx.company.id:
        await state.clear()
        await message.answer(i18n.get("error-stale-button"))
        return
    if at is None:
        await message.answer(i18n.get("settings-time-invalid"))
        return
    update_summary_settings(ctx.company, time=at)
    audit.record(session, "settings.summary", company_id=ctx.company.id, user_id=ctx.membership.user_id,
                 time=at.strftime("%H:%M"))
    await state.clear()
    await session.flush()
    text, keyboard = await _view(session, i18n, ctx)
    await message.answer(i18n.get("settings-saved") + "\n\n" + text, reply_markup=keyboard)

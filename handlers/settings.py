"""/settings: when the daily summary comes and which summaries (owner), and for each person: mute, branches."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.callback_answer import CallbackAnswer
from aiogram_i18n import I18nContext
from sqlalchemy.ext.asyncio import AsyncSession

from core.i18n import all_translations
from db.models import Branch, Membership
from handlers.callbacks import SettingsAction, SettingsCb
from handlers.common import esc
from handlers.kit import Steps, edit_or_send
from services import audit
from services.errors import DomainError
from services.permissions import Capability, can, visible_branches
from services.summaries import membership_branch_scope, parse_clock, summary_settings, update_summary_settings
from services.users import ActiveContext

TIME_STEP = Steps(None, prefix="summary_time")  # the daily summary's time, typed

FOLLOWERS = {"capability": Capability.SUMMARY_FOLLOW}
COMPANY = {"capability": Capability.SETTINGS_COMPANY}
SUMMARY_TOGGLES = {SettingsAction.DAILY: "daily", SettingsAction.WEEKLY: "weekly", SettingsAction.MONTHLY: "monthly"}
# What the card's buttons carry: the value to set, so pressing twice (or an old card) has one effect.
SUMMARY_SETS = {
    SettingsAction.DAILY_ON: ("daily", True), SettingsAction.DAILY_OFF: ("daily", False),
    SettingsAction.WEEKLY_ON: ("weekly", True), SettingsAction.WEEKLY_OFF: ("weekly", False),
    SettingsAction.MONTHLY_ON: ("monthly", True), SettingsAction.MONTHLY_OFF: ("monthly", False),
}
SUMMARY_SWITCH = {"daily": (SettingsAction.DAILY_ON, SettingsAction.DAILY_OFF),
                  "weekly": (SettingsAction.WEEKLY_ON, SettingsAction.WEEKLY_OFF),
                  "monthly": (SettingsAction.MONTHLY_ON, SettingsAction.MONTHLY_OFF)}
MUTE_SETS = {SettingsAction.MUTE_ON: True, SettingsAction.MUTE_OFF: False}


class SettingsStates(StatesGroup):
    time = State()


def _state(i18n: I18nContext, on: bool) -> str:
    return i18n.get("settings-on" if on else "settings-off")


async def _view(session: AsyncSession, i18n: I18nContext, ctx: ActiveContext) -> tuple[str, InlineKeyboardMarkup]:
    company, membership = ctx.company, ctx.membership
    settings = summary_settings(company)
    muted = bool((membership.settings or {}).get("summary_muted"))
    scope = membership_branch_scope(membership)
    followed = [b.name for b in await visible_branches(session, membership) if scope is None or b.id in scope]
    text = i18n.get(
        "settings-title", time=settings.at.strftime("%H:%M"), timezone=esc(company.timezone),
        daily=_state(i18n, settings.daily), weekly=_state(i18n, settings.weekly),
        monthly=_state(i18n, settings.monthly), muted=i18n.get("settings-muted" if muted else "settings-unmuted"),
        branches=esc(", ".join(followed)) if followed and scope is not None else i18n.get("all-branches"),
    )

    def button(key: str, action: SettingsAction, **params: object) -> InlineKeyboardButton:
        return InlineKeyboardButton(text=i18n.get(key, **params),
                                    callback_data=SettingsCb(company=company.id, action=action).pack())

    def switch(kind: str, on: bool) -> InlineKeyboardButton:
        turn_on, turn_off = SUMMARY_SWITCH[kind]
        return button(f"btn-settings-{kind}", turn_off if on else turn_on, state=_state(i18n, on))

    rows = []
    if can(ctx.role, Capability.SETTINGS_COMPANY):
        rows += [[button("btn-settings-time", SettingsAction.TIME), switch("daily", settings.daily)],
                 [switch("weekly", settings.weekly), switch("monthly", settings.monthly)]]
    personal = [button("btn-settings-unmute", SettingsAction.MUTE_OFF) if muted
                else button("btn-settings-mute", SettingsAction.MUTE_ON)]
    if len(await visible_branches(session, membership)) > 1:  # one branch: nothing to choose
        personal.append(button("btn-settings-branches", SettingsAction.BRANCHES))
    rows.append(personal)
    return text, InlineKeyboardMarkup(inline_keyboard=rows)


def _set_member_setting(membership: Membership, **changes: object) -> None:
    membership.settings = {**(membership.settings or {}), **changes}  # a new dict so the change is saved


async def _show_view(query: CallbackQuery, session: AsyncSession, i18n: I18nContext, ctx: ActiveContext,
                     callback_answer: CallbackAnswer) -> None:
    await session.flush()
    text, keyboard = await _view(session, i18n, ctx)
    callback_answer.text = i18n.get("settings-saved")
    await edit_or_send(query, text, keyboard)


async def _show_branches(query: CallbackQuery, i18n: I18nContext, ctx: ActiveContext,
                         visible: list[Branch]) -> None:
    scope = membership_branch_scope(ctx.membership)

    def row(branch: Branch) -> list[InlineKeyboardButton]:
        followed = scope is None or branch.id in scope
        # the button carries what it sets, so a double tap has one effect
        action = SettingsAction.BRANCH_OFF if followed else SettingsAction.BRANCH_ON
        return [InlineKeyboardButton(text=("✅ " if followed else "") + branch.name, callback_data=SettingsCb(
            company=ctx.company.id, action=action, branch=branch.id).pack())]

    rows = [row(branch) for branch in visible]
    rows.append([InlineKeyboardButton(text=i18n.get("btn-settings-all-branches"), callback_data=SettingsCb(
        company=ctx.company.id, action=SettingsAction.ALL_BRANCHES).pack())])
    back = SettingsCb(company=ctx.company.id, action=SettingsAction.VIEW).pack()
    rows.append([InlineKeyboardButton(text=i18n.get("btn-back"), callback_data=back),
                 InlineKeyboardButton(text=i18n.get("btn-done"), callback_data=back)])
    await edit_or_send(query, i18n.get("settings-branches-title"), InlineKeyboardMarkup(inline_keyboard=rows))


async def settings_command(message: Message, i18n: I18nContext, session: AsyncSession, ctx: ActiveContext) -> None:
    text, keyboard = await _view(session, i18n, ctx)
    await message.answer(text, reply_markup=keyboard)


# --- the company's summaries (owner) ------------------------------------------------------------------------------


async def ask_time(query: CallbackQuery, state: FSMContext, i18n: I18nContext, ctx: ActiveContext) -> None:
    await TIME_STEP.begin(state, ctx)
    await state.set_state(SettingsStates.time)
    await edit_or_send(query, i18n.get("settings-ask-time"), edit=False)


async def toggle_summary(query: CallbackQuery, callback_data: SettingsCb, i18n: I18nContext, session: AsyncSession,
                         ctx: ActiveContext, callback_answer: CallbackAnswer) -> None:
    if callback_data.action in SUMMARY_SETS:
        kind, turned_on = SUMMARY_SETS[callback_data.action]
    else:  # a card sent before the buttons carried the value
        kind = SUMMARY_TOGGLES[callback_data.action]
        turned_on = not getattr(summary_settings(ctx.company), kind)
    update_summary_settings(ctx.company, **{kind: turned_on})
    audit.record(session, "settings.summary", company_id=ctx.company.id, user_id=ctx.membership.user_id,
                 **{kind: turned_on})
    await _show_view(query, session, i18n, ctx, callback_answer)


async def settings_time(message: Message, state: FSMContext, i18n: I18nContext, session: AsyncSession,
                        ctx: ActiveContext) -> None:
    await TIME_STEP.data(state, ctx)
    at = parse_clock(message.text or "")
    if at is None:
        await message.answer(i18n.get("settings-time-invalid"))
        return
    update_summary_settings(ctx.company, time=at)
    audit.record(session, "settings.summary", company_id=ctx.company.id, user_id=ctx.membership.user_id,
                 time=at.strftime("%H:%M"))
    await TIME_STEP.forget(state)
    await session.flush()
    text, keyboard = await _view(session, i18n, ctx)
    await message.answer(i18n.get("settings-saved") + "\n\n" + text, reply_markup=keyboard)


# --- each person's own: mute, branches to follow ------------------------------------------------------------------


async def toggle_mute(query: CallbackQuery, callback_data: SettingsCb, i18n: I18nContext, session: AsyncSession,
                      ctx: ActiveContext, callback_answer: CallbackAnswer) -> None:
    membership = ctx.membership
    muted = MUTE_SETS.get(callback_data.action)
    if muted is None:  # a card sent before the buttons carried the value
        muted = not (membership.settings or {}).get("summary_muted")
    _set_member_setting(membership, summary_muted=muted)
    await _show_view(query, session, i18n, ctx, callback_answer)


async def branches_shown(query: CallbackQuery, i18n: I18nContext, session: AsyncSession, ctx: ActiveContext) -> None:
    await _show_branches(query, i18n, ctx, await visible_branches(session, ctx.membership))


async def branch_toggled(query: CallbackQuery, callback_data: SettingsCb, i18n: I18nContext, session: AsyncSession,
                         ctx: ActiveContext) -> None:
    visible = await visible_branches(session, ctx.membership)
    visible_ids = {branch.id for branch in visible}
    if callback_data.branch not in visible_ids:
        raise DomainError("error-branch-not-yours")
    membership = ctx.membership
    scope = set(membership_branch_scope(membership) or visible_ids)
    if callback_data.action == SettingsAction.BRANCH_ON:
        scope.add(callback_data.branch)
    elif callback_data.action == SettingsAction.BRANCH_OFF:
        scope.discard(callback_data.branch)
    else:  # a card sent before the buttons carried the value
        scope ^= {callback_data.branch}
    everything = scope >= visible_ids
    _set_member_setting(membership, summary_branches=None if everything or not scope else sorted(scope))
    await session.flush()
    await _show_branches(query, i18n, ctx, visible)


async def all_branches(query: CallbackQuery, i18n: I18nContext, session: AsyncSession, ctx: ActiveContext) -> None:
    _set_member_setting(ctx.membership, summary_branches=None)
    await session.flush()
    await _show_branches(query, i18n, ctx, await visible_branches(session, ctx.membership))


async def settings_view(query: CallbackQuery, i18n: I18nContext, session: AsyncSession, ctx: ActiveContext) -> None:
    text, keyboard = await _view(session, i18n, ctx)
    await edit_or_send(query, text, keyboard)


def get_router() -> Router:
    router = Router(name="settings")
    router.message.register(settings_command, Command("settings"), flags=FOLLOWERS)
    router.message.register(settings_command, F.text.in_(all_translations("menu-settings")), flags=FOLLOWERS)
    router.message.register(settings_time, StateFilter(SettingsStates.time), F.text, ~F.text.startswith("/"),
                            flags=COMPANY)
    callbacks = router.callback_query
    callbacks.register(ask_time, SettingsCb.filter(F.action == SettingsAction.TIME), flags=COMPANY)
    callbacks.register(toggle_summary, SettingsCb.filter(F.action.in_({*SUMMARY_TOGGLES, *SUMMARY_SETS})),
                       flags=COMPANY)
    callbacks.register(toggle_mute, SettingsCb.filter(F.action.in_({SettingsAction.MUTE, *MUTE_SETS})),
                       flags=FOLLOWERS)
    callbacks.register(branches_shown, SettingsCb.filter(F.action == SettingsAction.BRANCHES), flags=FOLLOWERS)
    callbacks.register(branch_toggled, SettingsCb.filter(F.action.in_(
        {SettingsAction.BRANCH, SettingsAction.BRANCH_ON, SettingsAction.BRANCH_OFF})), flags=FOLLOWERS)
    callbacks.register(all_branches, SettingsCb.filter(F.action == SettingsAction.ALL_BRANCHES), flags=FOLLOWERS)
    callbacks.register(settings_view, SettingsCb.filter(F.action == SettingsAction.VIEW), flags=FOLLOWERS)
    return router

"""/start, language choice, company creation and joining by invite link."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, CommandObject, CommandStart, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram_i18n import I18nContext
from sqlalchemy.ext.asyncio import AsyncSession

from core.i18n import all_translations
from db.models import TaxRegime, User
from handlers.common import esc, main_menu, role_name
from handlers.keyboards import LanguageCb, OnboardCb, cancel_button, language_keyboard
from services import companies, invites
from services.companies import COMMON_TIMEZONES
from services.errors import ValidationFailed
from services.users import ActiveContext, active_context, set_language

router = Router(name="start")
REGIMES = (TaxRegime.TURNOVER, TaxRegime.VAT)


class Onboarding(StatesGroup):
    language = State()


class CreateCompany(StatesGroup):
    name = State()
    tin = State()
    timezone = State()
    regime = State()


async def _greet(message: Message, i18n: I18nContext, user: User, ctx: ActiveContext | None) -> None:
    if ctx is None:
        keyboard = InlineKeyboardMarkup(inline_keyboard=[[
            InlineKeyboardButton(text=i18n.get("btn-create-company"), callback_data=OnboardCb(action="new").pack())
        ]])
        await message.answer(i18n.get("welcome-new", name=esc(user.first_name)), reply_markup=keyboard)
        return
    await message.answer(
        i18n.get("welcome-back", name=esc(user.first_name), company=esc(ctx.company.name),
                 role=role_name(i18n, ctx.role)),
        reply_markup=main_menu(i18n, ctx.role),
    )


async def _join(message: Message, i18n: I18nContext, session: AsyncSession, user: User, code: str) -> None:
    try:
        membership = await invites.redeem_invite(session, code=code, user=user)
    except ValidationFailed as refusal:
        await message.answer(i18n.get(refusal.key, **{k: esc(v) for k, v in refusal.params.items()}))
        await _greet(message, i18n, user, await active_context(session, user))
        return
    ctx = await active_context(session, user)
    await message.answer(
        i18n.get("invite-joined", company=esc(membership.company.name), role=role_name(i18n, membership.role)),
        reply_markup=main_menu(i18n, ctx.role if ctx else None),
    )


@router.message(CommandStart())
async def start(
    message: Message, command: CommandObject, state: FSMContext, i18n: I18nContext,
    session: AsyncSession, user: User, ctx: ActiveContext | None,
) -> None:
    await state.clear()
    payload = command.args.strip() if command.args else None
    invite_code = invites.parse_start_payload(payload)
    if user.language is None:  # the invite waits until the language is chosen
        await state.set_state(Onboarding.language)
        await state.update_data(payload=payload)
        await message.answer(i18n.get("choose-language"), reply_markup=language_keyboard())
        return
    if payload is not None and invite_code is None:
        await message.answer(i18n.get("invite-not-found"))  # a deep link, but not one of ours
    if invite_code is not None:
        await _join(message, i18n, session, user, invite_code)
        return
    await _greet(message, i18n, user, ctx)


@router.message(Command("lang"))
@router.message(F.text.in_(all_translations("menu-language")))
async def choose_language(message: Message, i18n: I18nContext) -> None:
    await message.answer(i18n.get("choose-language"), reply_markup=language_keyboard())


@router.callback_query(LanguageCb.filter())
async def language_chosen(
    query: CallbackQuery, callback_data: LanguageCb, state: FSMContext, i18n: I18nContext,
    session: AsyncSession, user: User, ctx: ActiveContext | None,
) -> None:
    try:
        set_language(user, callback_data.code)
    except ValidationFailed as refusal:
        await query.answer(i18n.get(refusal.key), show_alert=True)
        return
    i18n.locale = callback_data.code
    await query.answer()
    message = query.message
    if not isinstance(message, Message):
        return
    await message.edit_text(i18n.get("language-set"))
    onboarding = await state.get_state() == Onboarding.language.state
    data = await state.get_data() if onboarding else {}
    if onboarding:
        await state.clear()
    if data.get("payload"):
        invite_code = invites.parse_start_payload(data["payload"])
        if invite_code is None:
            await message.answer(i18n.get("invite-not-found"))
        else:
            await _join(message, i18n, session, user, invite_code)
            return
    if onboarding or ctx is None:
        await _greet(message, i18n, user, ctx)
    else:  # the menu is re-sent so its buttons speak the new language
        await message.answer(
            i18n.get("welcome-back", name=esc(user.first_name), company=esc(ctx.company.name),
                     role=role_name(i18n, ctx.role)),
            reply_markup=main_menu(i18n, ctx.role),
        )


# --- company creation -------------------------------------------------------------------------------------


@router.callback_query(OnboardCb.filter(F.action == "new"))
async def create_company_start(query: CallbackQuery, state: FSMContext, i18n: I18nContext) -> None:
    await state.set_state(CreateCompany.name)
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.answer(
            i18n.get("create-ask-name"), reply_markup=InlineKeyboardMarkup(inline_keyboard=[[cancel_button(i18n)]])
        )


@router.callback_query(OnboardCb.filter(F.action == "cancel"))
async def create_company_cancel(query: CallbackQuery, state: FSMContext, i18n: I18nContext) -> None:
    await state.clear()
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.edit_text(i18n.get("cancelled"))


@router.message(StateFilter(CreateCompany.name), F.text, ~F.text.startswith("/"))
async def company_name(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    try:
        name = companies.normalize_name(message.text or "")
    except ValidationFailed as refusal:
        await message.answer(i18n.get(refusal.key, **refusal.params))
        return
    await state.update_data(name=name)
    await state.set_state(CreateCompany.tin)
    await message.answer(i18n.get("create-ask-tin"))


@router.message(StateFilter(CreateCompany.tin), F.text, ~F.text.startswith("/"))
async def company_tin(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    try:
        tin = companies.normalize_tin(message.text or "")
    except ValidationFailed as refusal:
        await message.answer(i18n.get(refusal.key))
        return
    await state.update_data(tin=tin)
    await state.set_state(CreateCompany.timezone)
    await message.answer(i18n.get("create-ask-timezone"), reply_markup=_timezone_keyboard(i18n))


def _timezone_keyboard(i18n: I18nContext) -> InlineKeyboardMarkup:
    rows = [[InlineKeyboardButton(text=zone, callback_data=OnboardCb(action="tz", value=index).pack())]
            for index, zone in enumerate(COMMON_TIMEZONES)]
    return InlineKeyboardMarkup(inline_keyboard=[*rows, [cancel_button(i18n)]])


async def _ask_regime(message: Message, state: FSMContext, i18n: I18nContext, timezone: str) -> None:
    await state.update_data(timezone=timezone)
    await state.set_state(CreateCompany.regime)
    keyboard = InlineKeyboardMarkup(inline_keyboard=[
        [InlineKeyboardButton(text=i18n.get(f"btn-regime-{regime.value}"),
                              callback_data=OnboardCb(action="regime", value=index).pack())]
        for index, regime in enumerate(REGIMES)
    ])
    await message.answer(i18n.get("create-ask-regime"), reply_markup=keyboard)


@router.callback_query(StateFilter(CreateCompany.timezone), OnboardCb.filter(F.action == "tz"))
async def company_timezone_button(
    query: CallbackQuery, callback_data: OnboardCb, state: FSMContext, i18n: I18nContext
) -> None:
    if not 0 <= callback_data.value < len(COMMON_TIMEZONES):
        await query.answer(i18n.get("error-stale-button"), show_alert=True)
        return
    await query.answer()
    if isinstance(query.message, Message):
        await query.message.edit_reply_markup(reply_markup=None)
        await _ask_regime(query.message, state, i18n, COMMON_TIMEZONES[callback_data.value])


@router.message(StateFilter(CreateCompany.timezone), F.text, ~F.text.startswith("/"))
async def company_timezone_text(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    try:
        timezone = companies.normalize_timezone(message.text or "")
    except ValidationFailed as refusal:
        await message.answer(i18n.get(refusal.key, **{k: esc(v) for k, v in refusal.params.items()}))
        return
    await _ask_regime(message, state, i18n, timezone)


@router.callback_query(StateFilter(CreateCompany.regime), OnboardCb.filter(F.action == "regime"))
async def company_regime(
    query: CallbackQuery, callback_data: OnboardCb, state: FSMContext, i18n: I18nContext,
    session: AsyncSession, user: User,
) -> None:
    data = await state.get_data()
    if not 0 <= callback_data.value < len(REGIMES) or not {"name", "tin", "timezone"} <= data.keys():
        await query.answer(i18n.get("error-stale-button"), show_alert=True)
        return
    company = await companies.create_company(
        session, name=data["name"], tin=data["tin"], timezone=data["timezone"],
        regime=REGIMES[callback_data.value], owner=user,
    )
    await state.clear()
    await query.answer()
    ctx = await active_context(session, user)
    if isinstance(query.message, Message):
        await query.message.edit_reply_markup(reply_markup=None)
        await query.message.answer(
            i18n.get("create-done", company=esc(company.name), tin=company.tin, timezone=company.timezone),
            reply_markup=main_menu(i18n, ctx.role if ctx else None),
        )


@router.callback_query(StateFilter(CreateCompany), OnboardCb.filter())
@router.callback_query(OnboardCb.filter())
async def onboarding_stale(query: CallbackQuery, i18n: I18nContext) -> None:
    await query.answer(i18n.get("error-stale-button"), show_alert=True)


@router.message(StateFilter(CreateCompany, Onboarding), ~F.text.startswith("/"))
async def button_expected(message: Message, i18n: I18nContext) -> None:
    await message.answer(i18n.get("press-a-button"))

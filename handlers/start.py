"""/start, language choice, company creation and joining by invite link."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command, CommandObject, CommandStart, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram_i18n import I18nContext
from sqlalchemy.ext.asyncio import AsyncSession

from core.i18n import all_translations
from db.models import TaxRegime, User
from handlers.callbacks import LanguageCb, NewCompanyAction, NewCompanyCb, StartAction, StartCb
from handlers.common import esc, main_menu, role_name
from handlers.keyboards import language_keyboard
from handlers.kit import current_flow, edit_or_send, is_not_modified, refusal_text, start_flow
from services import companies, invites
from services.companies import COMMON_TIMEZONES
from services.errors import DomainError
from services.users import ActiveContext, active_context, set_language

REGIMES = (TaxRegime.TURNOVER, TaxRegime.VAT)


class Onboarding(StatesGroup):
    language = State()


class CreateCompany(StatesGroup):
    name = State()
    tin = State()
    timezone = State()
    regime = State()


async def _drop_buttons(message: Message) -> None:
    """Takes the buttons off an answered step; a double tap (already without buttons) is not an error."""
    try:
        await message.edit_reply_markup(reply_markup=None)
    except TelegramBadRequest as error:
        if not is_not_modified(error):
            raise


async def _greet(message: Message, i18n: I18nContext, user: User, ctx: ActiveContext | None) -> None:
    if ctx is None:
        keyboard = InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(
            text=i18n.get("btn-create-company"), callback_data=StartCb(action=StartAction.NEW_COMPANY).pack())]])
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
    except DomainError as refusal:  # redeem writes nothing before it refuses; the user and language stay
        await message.answer(refusal_text(i18n.locale, refusal))
        await _greet(message, i18n, user, await active_context(session, user))
        return
    ctx = await active_context(session, user)
    await message.answer(
        i18n.get("invite-joined", company=esc(membership.company.name), role=role_name(i18n, membership.role)),
        reply_markup=main_menu(i18n, ctx.role if ctx else None),
    )


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


async def choose_language(message: Message, i18n: I18nContext) -> None:
    await message.answer(i18n.get("choose-language"), reply_markup=language_keyboard())


async def language_chosen(
    query: CallbackQuery, callback_data: LanguageCb, state: FSMContext, i18n: I18nContext,
    session: AsyncSession, user: User, ctx: ActiveContext | None,
) -> None:
    set_language(user, callback_data.code)
    i18n.locale = callback_data.code
    message = query.message
    if not isinstance(message, Message):
        return
    await edit_or_send(message, i18n.get("language-set"))
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


# --- company creation: one flow, its buttons carry its id ----------------------------------------------------------


def _cancel_button(i18n: I18nContext, flow: int) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=i18n.get("btn-cancel"),
                                callback_data=NewCompanyCb(flow=flow, action=NewCompanyAction.CANCEL).pack())


async def create_company_start(query: CallbackQuery, state: FSMContext, i18n: I18nContext) -> None:
    await state.clear()
    flow = await start_flow(state, NewCompanyCb)
    await state.set_state(CreateCompany.name)
    await edit_or_send(query, i18n.get("create-ask-name"),
                       InlineKeyboardMarkup(inline_keyboard=[[_cancel_button(i18n, flow)]]), edit=False)


async def create_company_cancel(query: CallbackQuery, state: FSMContext, i18n: I18nContext) -> None:
    await state.clear()
    await edit_or_send(query, i18n.get("cancelled"))


async def company_name(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    name = companies.normalize_name(message.text or "")  # a refusal is told by the errors router; the step stays
    await state.update_data(name=name)
    await state.set_state(CreateCompany.tin)
    await message.answer(i18n.get("create-ask-tin"))


async def company_tin(message: Message, state: FSMContext, i18n: I18nContext, session: AsyncSession) -> None:
    tin = companies.normalize_tin(message.text or "")
    await companies.ensure_tin_free(session, tin)  # refused at this step, so another TIN can be typed
    await state.update_data(tin=tin)
    await state.set_state(CreateCompany.timezone)
    await message.answer(i18n.get("create-ask-timezone"),
                         reply_markup=_timezone_keyboard(i18n, await current_flow(state, NewCompanyCb)))


def _timezone_keyboard(i18n: I18nContext, flow: int) -> InlineKeyboardMarkup:
    rows = [[InlineKeyboardButton(text=zone, callback_data=NewCompanyCb(
        flow=flow, action=NewCompanyAction.TIMEZONE, zone=index).pack())]
        for index, zone in enumerate(COMMON_TIMEZONES)]
    return InlineKeyboardMarkup(inline_keyboard=[*rows, [_cancel_button(i18n, flow)]])


async def _ask_regime(message: Message, state: FSMContext, i18n: I18nContext, timezone: str) -> None:
    await state.update_data(timezone=timezone)
    await state.set_state(CreateCompany.regime)
    flow = await current_flow(state, NewCompanyCb)
    keyboard = InlineKeyboardMarkup(inline_keyboard=[
        [InlineKeyboardButton(text=i18n.get(f"btn-regime-{regime.value}"), callback_data=NewCompanyCb(
            flow=flow, action=NewCompanyAction.REGIME, regime=regime).pack())]
        for regime in REGIMES
    ])
    await message.answer(i18n.get("create-ask-regime"), reply_markup=keyboard)


async def company_timezone_button(query: CallbackQuery, callback_data: NewCompanyCb, state: FSMContext,
                                  i18n: I18nContext) -> None:
    if not 0 <= callback_data.zone < len(COMMON_TIMEZONES):
        raise DomainError("error-stale-button")
    if isinstance(query.message, Message):
        await _drop_buttons(query.message)
        await _ask_regime(query.message, state, i18n, COMMON_TIMEZONES[callback_data.zone])


async def company_timezone_text(message: Message, state: FSMContext, i18n: I18nContext) -> None:
    await _ask_regime(message, state, i18n, companies.normalize_timezone(message.text or ""))


async def company_regime(query: CallbackQuery, callback_data: NewCompanyCb, state: FSMContext, i18n: I18nContext,
                         session: AsyncSession, user: User) -> None:
    data = await state.get_data()
    if callback_data.regime not in REGIMES or not {"name", "tin", "timezone"} <= data.keys():
        raise DomainError("error-stale-button")
    company = await companies.create_company(
        session, name=data["name"], tin=data["tin"], timezone=data["timezone"], regime=callback_data.regime,
        owner=user,
    )
    await state.clear()
    ctx = await active_context(session, user)
    if isinstance(query.message, Message):
        await _drop_buttons(query.message)
        await query.message.answer(
            i18n.get("create-done", company=esc(company.name), tin=company.tin, timezone=company.timezone),
            reply_markup=main_menu(i18n, ctx.role if ctx else None),
        )


async def step_over(query: CallbackQuery) -> None:
    """A button of this flow at a step it does not belong to (pressed twice, or after moving on)."""
    raise DomainError("error-step-over")


async def button_expected(message: Message, i18n: I18nContext) -> None:
    await message.answer(i18n.get("press-a-button"))


def get_router() -> Router:
    router = Router(name="start")
    router.message.register(start, CommandStart())
    router.message.register(choose_language, Command("lang"))
    router.message.register(choose_language, F.text.in_(all_translations("menu-language")))
    router.callback_query.register(language_chosen, LanguageCb.filter())
    router.callback_query.register(create_company_start, StartCb.filter(F.action == StartAction.NEW_COMPANY))
    router.callback_query.register(create_company_cancel, NewCompanyCb.filter(F.action == NewCompanyAction.CANCEL))
    router.callback_query.register(company_timezone_button, StateFilter(CreateCompany.timezone),
                                   NewCompanyCb.filter(F.action == NewCompanyAction.TIMEZONE))
    router.callback_query.register(company_regime, StateFilter(CreateCompany.regime),
                                   NewCompanyCb.filter(F.action == NewCompanyAction.REGIME))
    router.callback_query.register(step_over, NewCompanyCb.filter())
    text = (F.text, ~F.text.startswith("/"))
    router.message.register(company_name, StateFilter(CreateCompany.name), *text)
    router.message.register(company_tin, StateFilter(CreateCompany.tin), *text)
    router.message.register(company_timezone_text, StateFilter(CreateCompany.timezone), *text)
    router.message.register(button_expected, StateFilter(CreateCompany, Onboarding), ~F.text.startswith("/"))
    return router

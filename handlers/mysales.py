"""/mysales: a member linked to a REGOS seller sees their own sales today and this month."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import Message
from aiogram_i18n import I18nContext
from sqlalchemy.ext.asyncio import AsyncSession

from core.i18n import all_translations
from handlers.common import esc, main_menu
from services.companies import business_day
from services.errors import DomainError
from services.locale import format_date, format_money, format_number
from services.mysales import OwnFigures, own_sales
from services.permissions import Capability
from services.reports.render import missing_days_text
from services.users import ActiveContext

OWN = {"capability": Capability.OWN_SALES_READ}


def _line(i18n: I18nContext, key: str, figures: OwnFigures) -> str:
    return i18n.get(key, net=format_money(figures.net, i18n.locale), receipts=figures.receipts,
                    receipts_text=format_number(figures.receipts, i18n.locale),
                    returns=format_money(figures.returns, i18n.locale))


async def my_sales(message: Message, i18n: I18nContext, session: AsyncSession, ctx: ActiveContext | None) -> None:
    if ctx is None:
        raise DomainError("error-no-company")
    today = business_day(ctx.company)
    sales = await own_sales(session, ctx.membership, today)
    if sales is None:
        await message.answer(i18n.get("mysales-not-linked"), reply_markup=main_menu(i18n, ctx.role))
        return
    # A day never imported is not a day without sales: it is named, never shown as zero.
    today_line = (i18n.get("mysales-today-missing") if sales.today_missing
                  else _line(i18n, "mysales-today", sales.today))
    lines = [
        i18n.get("mysales-title", seller=esc(sales.seller), company=esc(ctx.company.name)),
        "",
        today_line + f" ({format_date(today, i18n.locale)})",
        _line(i18n, "mysales-month", sales.month),
    ]
    if sales.month_missing:
        lines.append(i18n.get("mysales-month-missing", count=len(sales.month_missing),
                              days=missing_days_text(sales.month_missing, i18n.locale)))
    text = "\n".join(lines)
    await message.answer(text, reply_markup=main_menu(i18n, ctx.role))


def get_router() -> Router:
    router = Router(name="mysales")
    router.message.register(my_sales, Command("mysales"), flags=OWN)
    router.message.register(my_sales, F.text.in_(all_translations("menu-mysales")), flags=OWN)
    return router

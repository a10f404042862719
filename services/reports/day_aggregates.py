"""Per-item and per-payment-type figures read from REGOS's own day aggregates (``day_item_sales``,
``day_payment_sales``, issue 9). A day synced with aggregates is read from them; an older day without them falls
back to its receipt lines and payments (``sales._payments`` / ``sales._products`` exclude the aggregate days)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from sqlalchemy import ColumnElement, Numeric, func, select, type_coerce
from sqlalchemy.ext.asyncio import AsyncSession

from db.regos_data import DayItemSales, DayPaymentSales, DayReportCounts
from services.reports.periods import Period

_MONEY = Numeric(18, 2, asdecimal=True)
_QUANTITY = Numeric(18, 3, asdecimal=True)
ZERO = Decimal("0.00")


async def aggregate_days(session: AsyncSession, company_id: int, period: Period) -> list[date]:
    rows = await session.execute(
        select(DayReportCounts.business_day).distinct().where(
            DayReportCounts.company_id == company_id,
            DayReportCounts.business_day >= period.first,
            DayReportCounts.business_day <= period.last,
        )
    )
    return sorted(day for (day,) in rows.all())


def _scope(model: type[DayItemSales] | type[DayPaymentSales], company_id: int, period: Period,
           branch_ids: Iterable[int] | None) -> list[ColumnElement[bool]]:
    conditions = [model.company_id == company_id, model.business_day >= period.first,
                  model.business_day <= period.last]
    if branch_ids is not None:
        conditions.append(model.branch_id.in_(list(branch_ids)))
    return conditions


async def payment_sums(
    session: AsyncSession, company_id: int, period: Period, branch_ids: Iterable[int] | None
) -> list[tuple[int | None, str, Decimal, Decimal]]:
    """(payment type id, name, sales, refunds) over the aggregate days of the period."""
    rows = await session.execute(
        select(DayPaymentSales.payment_type_regos_id, DayPaymentSales.payment_type_name,
               type_coerce(func.sum(DayPaymentSales.sale_amount), _MONEY),
               type_coerce(func.sum(DayPaymentSales.return_amount), _MONEY))
        .where(*_scope(DayPaymentSales, company_id, period, branch_ids))
        .group_by(DayPaymentSales.payment_type_regos_id, DayPaymentSales.payment_type_name)
    )
    return [(type_id, name or "", Decimal(sale or 0), Decimal(back or 0)) for type_id, name, sale, back in rows]


async def item_sums(
    session: AsyncSession, company_id: int, period: Period, branch_ids: Iterable[int] | None
) -> list[tuple[int | None, Decimal, Decimal, Decimal, Decimal]]:
    """(item id, sold quantity, sold amount, returned quantity, returned amount) over the aggregate days."""
    rows = await session.execute(
        select(DayItemSales.item_regos_id,
               type_coerce(func.sum(DayItemSales.sold_quantity), _QUANTITY),
               type_coerce(func.sum(DayItemSales.sold_amount), _MONEY),
               type_coerce(func.sum(DayItemSales.returned_quantity), _QUANTITY),
               type_coerce(func.sum(DayItemSales.returned_amount), _MONEY))
        .where(*_scope(DayItemSales, company_id, period, branch_ids))
        .group_by(DayItemSales.item_regos_id)
    )
    return [
        (item_id, Decimal(sq or 0), Decimal(sa or 0), Decimal(rq or 0), Decimal(ra or 0))
        for item_id, sq, sa, rq, ra in rows
    ]

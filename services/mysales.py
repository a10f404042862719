"""A member's own sales: the receipts REGOS stamped with the seller linked to them (/mysales)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import Numeric, func, select, type_coerce
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Employee, Membership
from db.regos_data import Receipt
from services.permissions import Capability, require
from services.reports.coverage import coverage
from services.reports.periods import Period

CLOSED = "Closed"  # the receipt status services.reports.sales counts
_MONEY = Numeric(18, 2, asdecimal=True)
ZERO = Decimal("0.00")


@dataclass(frozen=True, slots=True)
class OwnFigures:
    receipts: int = 0
    gross: Decimal = ZERO
    returns: Decimal = ZERO

    @property
    def net(self) -> Decimal:
        return self.gross - self.returns


@dataclass(frozen=True, slots=True)
class OwnSales:
    seller: str  # the name REGOS knows them by
    today: OwnFigures
    month: OwnFigures
    month_missing: tuple[date, ...] = ()  # days of the month never imported (today included when it is)
    day: date | None = None  # the business day "today" is

    @property
    def today_missing(self) -> bool:
        return bool(self.month_missing) and self.month_missing[-1] == self.day


async def linked_employee(session: AsyncSession, membership: Membership) -> Employee | None:
    return await session.scalar(
        select(Employee).where(Employee.company_id == membership.company_id, Employee.user_id == membership.user_id,
                               Employee.regos_user_id.is_not(None)).order_by(Employee.id).limit(1))


async def _figures(session: AsyncSession, company_id: int, seller: int, period: Period) -> OwnFigures:
    rows = await session.execute(
        select(Receipt.is_return, func.count(), type_coerce(func.sum(Receipt.amount), _MONEY))
        .where(Receipt.company_id == company_id, Receipt.seller_regos_id == seller, Receipt.status == CLOSED,
               Receipt.business_day >= period.first, Receipt.business_day <= period.last)
        .group_by(Receipt.is_return))
    receipts, gross, returns = 0, ZERO, ZERO
    for is_return, count, amount in rows:
        if is_return:
            returns += Decimal(amount or 0)
        else:
            receipts += count
            gross += Decimal(amount or 0)
    return OwnFigures(receipts, gross, returns)


async def own_sales(session: AsyncSession, membership: Membership, today: date) -> OwnSales | None:
    """Today's and this month's figures of the seller linked to the member; None when none is linked."""
    require(membership.role, Capability.OWN_SALES_READ)
    employee = await linked_employee(session, membership)
    if employee is None or employee.regos_user_id is None:
        return None
    company, seller = membership.company_id, employee.regos_user_id
    month = Period(today.replace(day=1), today)
    return OwnSales(
        seller=employee.full_name,
        today=await _figures(session, company, seller, Period(today, today)),
        month=await _figures(session, company, seller, month),
        month_missing=(await coverage(session, company, month, today)).missing,
        day=today,
    )

"""The sales payroll pays commission on, read from the synced books (never from REGOS itself).

- Retail, per employee: ``daily_employee_sales`` rows with role ``seller`` (the receipt's REGOS seller), net =
  closed sales minus closed returns, as services/sync/aggregates builds them.
- Wholesale, per employee: the synced wholesale documents (``wholesale_docs``) whose REGOS seller is the
  employee (a return, which names no seller, counts against the user it is attached to): performed, not
  delete-marked sales minus such returns, as the aggregates count them.
- Branch plans: ``daily_sales`` per branch (retail net + wholesale net).
- Which days are imported: the days the REGOS sync finished (``sync_runs.cursor["days_done"]``) or that hold
  aggregates. A day of the month up to today that is neither is *missing*; the payroll says so, never counts it
  as a zero day.
Sums are taken in Python over ``Decimal`` so they are exact on every database.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.regos_data import (
    DailyEmployeeSales,
    DailySales,
    RegosConnection,
    SalesRole,
    SyncRun,
    WholesaleDoc,
    WholesaleKind,
)
from services.payroll.calc import ZERO


async def seller_sales(session: AsyncSession, company_id: int, first: date, last: date) -> dict[int, Decimal]:
    """Net retail sales per REGOS user id, as the receipts' seller."""
    rows = await session.execute(
        select(DailyEmployeeSales.regos_user_id, DailyEmployeeSales.retail_net).where(
            DailyEmployeeSales.company_id == company_id,
            DailyEmployeeSales.role == SalesRole.SELLER,
            DailyEmployeeSales.business_day >= first,
            DailyEmployeeSales.business_day <= last,
        )
    )
    totals: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for user_id, net in rows.all():
        totals[int(user_id)] += Decimal(net)
    return dict(totals)


async def seller_wholesale(session: AsyncSession, company_id: int, first: date, last: date) -> dict[int, Decimal]:
    """Net wholesale per REGOS user id, as the documents' seller (returns against the user they name)."""
    rows = await session.execute(
        select(WholesaleDoc.seller_regos_id, WholesaleDoc.kind, WholesaleDoc.amount).where(
            WholesaleDoc.company_id == company_id,
            WholesaleDoc.business_day >= first,
            WholesaleDoc.business_day <= last,
            WholesaleDoc.performed.is_(True),
            WholesaleDoc.deleted.is_(False),
            WholesaleDoc.seller_regos_id.is_not(None),
        )
    )
    totals: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for user_id, kind, amount in rows.all():
        totals[int(user_id or 0)] += -Decimal(amount) if kind == WholesaleKind.RETURN else Decimal(amount)
    return dict(totals)


@dataclass(slots=True)
class BranchSales:
    retail_net: Decimal = ZERO
    wholesale_net: Decimal = ZERO

    @property
    def total(self) -> Decimal:
        return self.retail_net + self.wholesale_net


async def branch_sales(
    session: AsyncSession, company_id: int, first: date, last: date
) -> dict[int | None, BranchSales]:
    rows = await session.execute(
        select(DailySales.branch_id, DailySales.retail_net, DailySales.wholesale_net).where(
            DailySales.company_id == company_id, DailySales.business_day >= first, DailySales.business_day <= last,
        )
    )
    totals: dict[int | None, BranchSales] = defaultdict(BranchSales)
    for branch_id, retail, wholesale in rows.all():
        entry = totals[branch_id]
        entry.retail_net += Decimal(retail)
        entry.wholesale_net += Decimal(wholesale)
    return dict(totals)


@dataclass(slots=True)
class Coverage:
    """Which days of a period the books hold."""

    first: date
    last: date
    today: date
    connected: bool
    imported: set[date] = field(default_factory=set)

    def days(self) -> list[date]:
        return [self.first + timedelta(days=i) for i in range((self.last - self.first).days + 1)]

    @property
    def missing(self) -> list[date]:
        """Days up to today that were never imported."""
        return [d for d in self.days() if d <= self.today and d not in self.imported]

    @property
    def to_come(self) -> list[date]:
        return [d for d in self.days() if d > self.today]

    @property
    def complete(self) -> bool:
        return not self.missing and not self.to_come


async def imported_days(session: AsyncSession, company_id: int, first: date, last: date) -> set[date]:
    found: set[date] = set()
    runs = await session.execute(
        select(SyncRun.cursor).where(SyncRun.company_id == company_id, SyncRun.window_from <= last,
                                     SyncRun.window_to >= first)
    )
    for (cursor,) in runs.all():
        for text in (cursor or {}).get("days_done", []) or []:
            try:
                day = date.fromisoformat(str(text))
            except ValueError:
                continue
            if first <= day <= last:
                found.add(day)
    with_rows = await session.scalars(
        select(DailySales.business_day).where(DailySales.company_id == company_id, DailySales.business_day >= first,
                                              DailySales.business_day <= last).distinct()
    )
    found.update(with_rows)
    return found


async def coverage(session: AsyncSession, company_id: int, first: date, last: date, today: date) -> Coverage:
    connected = bool(await session.scalar(select(exists().where(RegosConnection.company_id == company_id))))
    return Coverage(first, last, today, connected, await imported_days(session, company_id, first, last))

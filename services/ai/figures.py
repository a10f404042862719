"""The figures the assistant's tools read, each computed alone: a question about yesterday's net sales runs the
day totals and the payment types, not the whole sales report (products, sellers, the period before for each,
coverage twice, expenses). The same grouped queries as `services.reports.sales` (they are that module's, so a
figure here is always the report's figure), over the same scope; the caller names the missing days once.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from services.reports import sales as _sales
from services.reports.periods import Period
from services.reports.sales import PaymentRow, ProductRow, SellerRow, Totals


def _ids(branch_ids: Iterable[int] | None) -> list[int] | None:
    return sorted(set(branch_ids)) if branch_ids is not None else None


async def day_branch_totals(session: AsyncSession, company_id: int, period: Period,
                            branch_ids: Iterable[int] | None) -> dict[tuple[date, int | None], Totals]:
    return await _sales._day_branch_totals(session, company_id, period, _ids(branch_ids))


def period_totals(period: Period, by_day_branch: dict[tuple[date, int | None], Totals]) -> Totals:
    """The period's totals, summed as the report sums them (day by day)."""
    by_day: dict[date, Totals] = {day: Totals() for day in period.dates()}
    for (day, _branch), part in by_day_branch.items():
        by_day[day].add(part)
    return _sales._sum_totals(by_day.values())


async def totals(session: AsyncSession, company_id: int, period: Period, branch_ids: Iterable[int] | None) -> Totals:
    return period_totals(period, await day_branch_totals(session, company_id, period, branch_ids))


async def branch_net(session: AsyncSession, company_id: int, period: Period,
                     branch_ids: Iterable[int] | None) -> dict[int, Totals]:
    found: dict[int, Totals] = {}
    for (_day, branch_id), part in (await day_branch_totals(session, company_id, period, branch_ids)).items():
        if branch_id is not None:
            found.setdefault(branch_id, Totals()).add(part)
    return found


async def payments(session: AsyncSession, company_id: int, period: Period,
                   branch_ids: Iterable[int] | None) -> list[PaymentRow]:
    """The payment types with their names, highest net first (the report's order)."""
    found = await _sales._payments(session, company_id, period, _ids(branch_ids))
    _items, names, _people = await _sales._names(session, company_id, payment_types=found)
    for row in found.values():
        if row.regos_id in names:
            row.name = names[row.regos_id]
    return sorted(found.values(), key=lambda p: (-p.net, p.regos_id or 0))


async def products(session: AsyncSession, company_id: int, period: Period, branch_ids: Iterable[int] | None,
                   ) -> list[ProductRow]:
    """Every product sold or returned in the period, highest net amount first, without names (`name_products`)."""
    found = await _sales._products(session, company_id, period, _ids(branch_ids))
    return sorted(found.values(), key=lambda p: (-p.amount, p.item_regos_id or 0))


async def name_products(session: AsyncSession, company_id: int, rows: Iterable[ProductRow]) -> None:
    rows = list(rows)
    names, _types, _people = await _sales._names(session, company_id, items=[p.item_regos_id for p in rows])
    for row in rows:
        if row.item_regos_id in names:
            row.name, row.unit = names[row.item_regos_id]


async def sellers(session: AsyncSession, company_id: int, period: Period, branch_ids: Iterable[int] | None,
                  ) -> list[SellerRow]:
    """The sellers (receipts with one), highest net first, without names (`name_sellers`)."""
    found = await _sales._sellers(session, company_id, period, _ids(branch_ids))
    return sorted((s for s in found.values() if s.regos_user_id is not None),
                  key=lambda s: (-s.net, s.regos_user_id or 0))


async def name_sellers(session: AsyncSession, company_id: int, rows: Iterable[SellerRow]) -> None:
    rows = list(rows)
    _items, _types, names = await _sales._names(session, company_id, employees=[s.regos_user_id for s in rows])
    for row in rows:
        row.name = names.get(row.regos_user_id) if row.regos_user_id is not None else None

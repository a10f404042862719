"""A cache of sales reports: many people of one company asking for the same report (`/today` at 21:00) get one
computation per change of the books, not one each.

The key is the company, the period, the scope (the branches the asker may see), the options, and the books'
version: a cheap read of what the report depends on (how many receipts and wholesale documents the period has,
their newest id and import time, the company's last finished sync, the days marked imported, the approved
expenses). Any import, late receipt, correction or decided expense changes the version, so a cached report is
never older than the books. Concurrent askers of the same key wait
for the one computation (single flight). The cache lives in the process and holds a bounded number of reports."""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.books import ImportedDay
from db.finance import Expense, ExpenseStatus
from db.regos_data import Receipt, SyncRun, WholesaleDoc
from services.reports.periods import Period
from services.reports.sales import SalesReport, sales_report

MAX_ENTRIES = 2_000

_entries: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
_flights: dict[tuple[Any, ...], asyncio.Future[Any]] = {}
stats = {"hits": 0, "misses": 0}


async def books_version(session: AsyncSession, company_id: int, period: Period) -> tuple[Any, ...]:
    """What a report of `period` depends on, read in three indexed queries."""
    receipts = (await session.execute(
        select(func.count(Receipt.id), func.max(Receipt.id), func.max(Receipt.synced_at)).where(
            Receipt.company_id == company_id, Receipt.business_day >= period.first,
            Receipt.business_day <= period.last)
    )).one()
    wholesale = (await session.execute(
        select(func.count(WholesaleDoc.id), func.max(WholesaleDoc.id)).where(
            WholesaleDoc.company_id == company_id, WholesaleDoc.business_day >= period.first,
            WholesaleDoc.business_day <= period.last)
    )).one()
    last_sync = await session.scalar(
        select(func.max(SyncRun.finished_at)).where(SyncRun.company_id == company_id)
    )
    # which days the books hold, and the expenses decided since: a report names both
    imported = (await session.execute(
        select(func.count(ImportedDay.id), func.max(ImportedDay.imported_at)).where(
            ImportedDay.company_id == company_id, ImportedDay.business_day >= period.first,
            ImportedDay.business_day <= period.last)
    )).one()
    expenses = (await session.execute(
        select(func.count(Expense.id), func.max(Expense.decided_at), func.sum(Expense.amount)).where(
            Expense.company_id == company_id, Expense.status == ExpenseStatus.APPROVED,
            Expense.spent_on >= period.first, Expense.spent_on <= period.last)
    )).one()
    return (*receipts, *wholesale, last_sync, *imported, *expenses)


async def cached_value(
    session: AsyncSession, company_id: int, period: Period, scope: frozenset[int] | None, label: tuple[Any, ...],
    compute: Callable[[], Awaitable[Any]],
) -> Any:
    """`compute()` once per (company, period, scope, label, books' version); concurrent askers share one run."""
    version = await books_version(session, company_id, period)
    key = (company_id, period, scope, label, version)
    if key in _entries:
        _entries.move_to_end(key)
        stats["hits"] += 1
        return _entries[key]
    flight = _flights.get(key)
    if flight is not None:
        stats["hits"] += 1
        return await asyncio.shield(flight)
    stats["misses"] += 1
    future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
    _flights[key] = future
    try:
        value = await compute()
    except BaseException as error:
        if isinstance(error, asyncio.CancelledError):
            future.cancel()
        else:
            future.set_exception(error)
            future.exception()  # retrieved: a failure with no waiter is not logged as lost
        raise
    finally:
        _flights.pop(key, None)
    future.set_result(value)
    _entries[key] = value
    while len(_entries) > MAX_ENTRIES:
        _entries.popitem(last=False)
    return value


async def cached_sales_report(
    session: AsyncSession, company_id: int, period: Period, *, branch_ids: Iterable[int] | None = None,
    **options: Any,
) -> SalesReport:
    """`sales_report(...)`, computed once per (company, period, scope, options, books' version)."""
    scope = frozenset(branch_ids) if branch_ids is not None else None
    report: SalesReport = await cached_value(
        session, company_id, period, scope, ("sales", tuple(sorted(options.items()))),
        lambda: sales_report(session, company_id, period, branch_ids=scope, **options),
    )
    return report


def clear() -> None:
    _entries.clear()
    stats.update(hits=0, misses=0)

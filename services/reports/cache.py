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
from functools import cache
from typing import Any, TypeVar, cast

from sqlalchemy import Date, Integer, Select, bindparam, event, func, select, true
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import ORMExecuteState, Session

from db.books import ImportedDay
from db.finance import Expense, ExpenseStatus
from db.regos_data import Receipt, SyncRun, WholesaleDoc
from services.reports.periods import Period, chart_window
from services.reports.sales import SalesReport, sales_report

MAX_ENTRIES = 2_000
T = TypeVar("T")

_entries: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
_flights: dict[tuple[Any, ...], asyncio.Future[Any]] = {}
_rendered: OrderedDict[tuple[int, str], tuple[SalesReport, Any]] = OrderedDict()
stats = {"hits": 0, "misses": 0}
_MEMO = "reports.cache.books_versions"


def _span(*periods: Period) -> Period:
    """The days from the first of `periods` to the last: what a version read over them covers."""
    return Period(min(period.first for period in periods), max(period.last for period in periods))


async def books_version(session: AsyncSession, company_id: int, period: Period) -> tuple[Any, ...]:
    """What a report of `period` depends on, read in one query (five indexed aggregates); memoized on the session
    until it writes or its transaction ends, and a version read over a wider span serves every period inside it
    (a change on any day of the span changes it)."""
    memo: list[tuple[Period, tuple[Any, ...]]] = session.info.setdefault(_MEMO, [])
    for span, version in memo:
        if span.first <= period.first and period.last <= span.last:
            return (span.first, span.last, *version)
    first, last = period.first, period.last
    row = (await session.execute(_books_version_statement(),
                                 {"company_id": company_id, "first": first, "last": last})).one()
    version = tuple(row)
    memo.append((period, version))
    return (first, last, *version)


@cache
def _books_version_statement() -> Select[Any]:
    """The version query, built once (constructing five subqueries cost more CPU than running them)."""
    company_id = bindparam("company_id", type_=Integer)
    first, last = bindparam("first", type_=Date), bindparam("last", type_=Date)
    receipts = select(func.count(Receipt.id).label("n"), func.max(Receipt.id).label("top"),
                      func.max(Receipt.synced_at).label("at")).where(
        Receipt.company_id == company_id, Receipt.business_day >= first, Receipt.business_day <= last).subquery()
    wholesale = select(func.count(WholesaleDoc.id).label("n"), func.max(WholesaleDoc.id).label("top")).where(
        WholesaleDoc.company_id == company_id, WholesaleDoc.business_day >= first,
        WholesaleDoc.business_day <= last).subquery()
    last_sync = select(func.max(SyncRun.finished_at).label("at")).where(SyncRun.company_id == company_id).subquery()
    # which days the books hold, and the expenses decided since: a report names both
    imported = select(func.count(ImportedDay.id).label("n"), func.max(ImportedDay.imported_at).label("at")).where(
        ImportedDay.company_id == company_id, ImportedDay.business_day >= first,
        ImportedDay.business_day <= last).subquery()
    expenses = select(func.count(Expense.id).label("n"), func.max(Expense.decided_at).label("at"),
                      func.sum(Expense.amount).label("total")).where(
        Expense.company_id == company_id, Expense.status == ExpenseStatus.APPROVED,
        Expense.spent_on >= first, Expense.spent_on <= last).subquery()
    return (
        select(receipts.c.n, receipts.c.top, receipts.c.at, wholesale.c.n, wholesale.c.top, last_sync.c.at,
               imported.c.n, imported.c.at, expenses.c.n, expenses.c.at, expenses.c.total)
        .select_from(receipts)
        .join(wholesale, true()).join(last_sync, true()).join(imported, true()).join(expenses, true())
    )


def _forget_versions(session: Session, *_: Any) -> None:
    session.info.pop(_MEMO, None)


def _forget_after_write(state: ORMExecuteState) -> None:
    if not state.is_select:
        state.session.info.pop(_MEMO, None)


# A version read earlier in the session is stale once the session writes (a flush, an INSERT/UPDATE/DELETE
# statement) or its transaction ends (others may have committed since).
event.listen(Session, "after_flush", _forget_versions)
event.listen(Session, "after_transaction_end", _forget_versions)
event.listen(Session, "do_orm_execute", _forget_after_write)


async def cached_value(
    session: AsyncSession, company_id: int, period: Period, scope: frozenset[int] | None, label: tuple[Any, ...],
    compute: Callable[[], Awaitable[Any]], *, depends_on: Period | None = None,
) -> Any:
    """`compute()` once per (company, period, scope, label, books' version); concurrent askers share one run.

    The version is read over `depends_on` (by default `period`), which must cover every day `compute()` reads."""
    version = await books_version(session, company_id, depends_on or period)
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
    compared = options.get("compare_with") or period.previous()
    # The version covers the comparison period too, and the chart's days beside the report (one read for both).
    report: SalesReport = await cached_value(
        session, company_id, period, scope, ("sales", tuple(sorted(options.items()))),
        lambda: sales_report(session, company_id, period, branch_ids=scope, **options),
        depends_on=_span(period, compared, chart_window(period)),
    )
    return report


def rendered(report: SalesReport, locale: str, render: Callable[[], T]) -> T:
    """`render()` of a report (a pure function of the report and the language) once per report object and
    language: a thousand askers of one cached report get one rendering each language."""
    key = (id(report), locale)
    known = _rendered.get(key)
    if known is not None and known[0] is report:  # the same object, not one that reused a freed id
        _rendered.move_to_end(key)
        return cast(T, known[1])
    value = render()
    _rendered[key] = (report, value)
    while len(_rendered) > MAX_ENTRIES:
        _rendered.popitem(last=False)
    return value


def clear() -> None:
    _entries.clear()
    _rendered.clear()
    stats.update(hits=0, misses=0)

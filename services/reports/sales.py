"""The sales report of a period: totals, by payment type, branch, product, seller and day, each compared with the
period before. Read from the synced REGOS rows (db/sales.py), never from REGOS itself.

What counts (as REGOS's own reports, and services/sync, count it): closed receipts only; returns are receipts with
`is_return`, their amount positive and subtracted; storno lines and the lines they cancel are left out, and so are
payments flagged `is_storno` (the sync flags both halves of a storno pair); wholesale documents count when performed
and not delete-marked, returns (`kind="return"`) subtracted.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, Numeric, exists, func, select, type_coerce
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from db.base import utcnow
from db.models import Branch, Company, Employee
from db.regos_data import Item, PaymentType, Receipt, ReceiptLine, ReceiptPayment, WholesaleDoc
from services.companies import business_day
from services.reports import day_aggregates
from services.reports.coverage import Coverage, coverage
from services.reports.periods import Period

if TYPE_CHECKING:
    from services.expenses import ApprovedExpenses

ZERO = Decimal("0.00")
CENT = Decimal("0.01")
CLOSED = "Closed"
TOP_PRODUCTS = 50
TOP_SELLERS = 20
_MONEY = Numeric(18, 2, asdecimal=True)
_QUANTITY = Numeric(18, 3, asdecimal=True)


def _money(value: Any) -> Decimal:
    return Decimal(value or 0).quantize(CENT, rounding=ROUND_HALF_UP)


def change_percent(current: Decimal | int, previous: Decimal | int | None) -> Decimal | None:
    """Growth in percent against the previous figure; None when there is nothing honest to compare with: no
    previous figure, or a zero or negative base (a day of returns), where a percentage means nothing."""
    if previous is None or previous <= 0:
        return None
    return ((Decimal(current) - Decimal(previous)) * 100 / abs(Decimal(previous))).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )


@dataclass(slots=True)
class Totals:
    """Figures of a period (or one day, one branch): retail from receipts, wholesale from documents."""

    receipts: int = 0  # closed sale receipts
    return_receipts: int = 0
    retail_gross: Decimal = ZERO
    retail_returns: Decimal = ZERO  # positive
    wholesale_docs: int = 0
    wholesale_gross: Decimal = ZERO
    wholesale_return_docs: int = 0
    wholesale_returns: Decimal = ZERO  # positive

    @property
    def retail_net(self) -> Decimal:
        return self.retail_gross - self.retail_returns

    @property
    def wholesale_net(self) -> Decimal:
        return self.wholesale_gross - self.wholesale_returns

    @property
    def net_sales(self) -> Decimal:
        return self.retail_net + self.wholesale_net

    @property
    def returns(self) -> Decimal:
        return self.retail_returns + self.wholesale_returns

    @property
    def average_receipt(self) -> Decimal:
        """Average closed sale receipt (returns excluded)."""
        return _money(self.retail_gross / self.receipts) if self.receipts else ZERO

    @property
    def is_empty(self) -> bool:
        return not (self.receipts or self.return_receipts or self.wholesale_docs or self.wholesale_return_docs)

    def add(self, other: Totals) -> None:
        self.receipts += other.receipts
        self.return_receipts += other.return_receipts
        self.retail_gross += other.retail_gross
        self.retail_returns += other.retail_returns
        self.wholesale_docs += other.wholesale_docs
        self.wholesale_gross += other.wholesale_gross
        self.wholesale_return_docs += other.wholesale_return_docs
        self.wholesale_returns += other.wholesale_returns

    def figures(self) -> dict[str, Decimal | int]:
        """Every figure by name, the form exports and JSON use."""
        return {
            "net_sales": self.net_sales,
            "retail_gross": self.retail_gross,
            "retail_returns": self.retail_returns,
            "retail_net": self.retail_net,
            "wholesale_gross": self.wholesale_gross,
            "wholesale_returns": self.wholesale_returns,
            "wholesale_net": self.wholesale_net,
            "receipts": self.receipts,
            "return_receipts": self.return_receipts,
            "wholesale_docs": self.wholesale_docs,
            "wholesale_return_docs": self.wholesale_return_docs,
            "average_receipt": self.average_receipt,
        }


# The figures a report shows, in order; exports name them with `report-figure-<name>`.
FIGURES = ("net_sales", "retail_gross", "retail_returns", "retail_net", "wholesale_gross", "wholesale_returns",
           "wholesale_net", "receipts", "return_receipts", "wholesale_docs", "wholesale_return_docs",
           "average_receipt")
MONEY_FIGURES = frozenset(FIGURES) - {"receipts", "return_receipts", "wholesale_docs", "wholesale_return_docs"}


@dataclass(slots=True)
class PaymentRow:
    regos_id: int | None
    name: str
    sales: Decimal = ZERO
    refunds: Decimal = ZERO  # paid back on return receipts, positive
    previous_net: Decimal | None = None

    @property
    def net(self) -> Decimal:
        return self.sales - self.refunds


@dataclass(slots=True)
class BranchRow:
    branch_id: int | None  # None: receipts not (yet) matched to a branch
    name: str | None
    totals: Totals = field(default_factory=Totals)
    previous: Totals | None = None


@dataclass(slots=True)
class ProductRow:
    item_regos_id: int | None
    name: str | None
    unit: str | None
    sold_quantity: Decimal = Decimal(0)
    sold_amount: Decimal = ZERO
    returned_quantity: Decimal = Decimal(0)
    returned_amount: Decimal = ZERO
    previous_amount: Decimal | None = None

    @property
    def quantity(self) -> Decimal:
        return self.sold_quantity - self.returned_quantity

    @property
    def amount(self) -> Decimal:
        return self.sold_amount - self.returned_amount


@dataclass(slots=True)
class SellerRow:
    regos_user_id: int | None  # None: receipts without a seller
    name: str | None
    receipts: int = 0
    return_receipts: int = 0
    gross: Decimal = ZERO
    returns: Decimal = ZERO
    previous_net: Decimal | None = None

    @property
    def net(self) -> Decimal:
        return self.gross - self.returns


@dataclass(slots=True)
class DayRow:
    day: date
    totals: Totals
    missing: bool = False  # never imported (for some branch of the scope): its figures are not known


@dataclass(frozen=True, slots=True)
class BranchRef:
    id: int
    name: str


@dataclass(slots=True)
class SalesReport:
    company_id: int
    company_name: str
    timezone: str
    period: Period
    previous_period: Period | None
    scope: list[BranchRef] | None  # None: every branch of the company
    totals: Totals
    previous: Totals | None
    payments: list[PaymentRow]
    branches: list[BranchRow]
    products: list[ProductRow]  # by net amount, the top `TOP_PRODUCTS`
    sellers: list[SellerRow]  # by net retail, the top `TOP_SELLERS`
    days: list[DayRow]  # every day of the period, empty days included
    generated_at: datetime
    missing: tuple[date, ...] = ()  # days of the period never imported (up to today)
    previous_missing: tuple[date, ...] = ()  # days of the comparison period never imported
    imported_days: int | None = None  # days of the period (up to today) the books hold
    expenses: ApprovedExpenses | None = None  # approved expenses of the period and scope (issue 12)

    @property
    def comparable(self) -> bool:
        """A change is honest only between two periods the books hold whole (a partial week against a whole one
        would show a drop that did not happen)."""
        return self.previous is not None and not self.previous_missing and not self.missing

    @property
    def net_after_expenses(self) -> Decimal | None:
        return None if self.expenses is None else self.totals.net_sales - self.expenses.amount

    def change(self, figure: str) -> Decimal | None:
        if self.previous is None or not self.comparable:
            return None
        return change_percent(self.totals.figures()[figure], self.previous.figures()[figure])


@dataclass(slots=True)
class DailySeries:
    """Net sales per branch and day, for charts. `names[None]` is the unmatched branch when it has sales."""

    days: list[date]
    net: dict[int | None, dict[date, Decimal]]
    names: dict[int | None, str | None]
    missing: dict[int | None, frozenset[date]] = field(default_factory=dict)  # per branch: days never imported


# --- queries ----------------------------------------------------------------------------------------------------


def _receipt_filter(company_id: int, period: Period, branch_ids: Iterable[int] | None) -> list[ColumnElement[bool]]:
    conditions = [
        Receipt.company_id == company_id,
        Receipt.business_day >= period.first,
        Receipt.business_day <= period.last,
        Receipt.status == CLOSED,
    ]
    if branch_ids is not None:
        conditions.append(Receipt.branch_id.in_(list(branch_ids)))
    return conditions


def _wholesale_filter(company_id: int, period: Period, branch_ids: Iterable[int] | None) -> list[ColumnElement[bool]]:
    conditions = [
        WholesaleDoc.company_id == company_id,
        WholesaleDoc.business_day >= period.first,
        WholesaleDoc.business_day <= period.last,
        WholesaleDoc.performed.is_(True),
        WholesaleDoc.deleted.is_(False),
    ]
    if branch_ids is not None:
        conditions.append(WholesaleDoc.branch_id.in_(list(branch_ids)))
    return conditions


def _counting_lines() -> list[ColumnElement[bool]]:
    """Lines that count: not a storno line, and not a line some storno line of the same receipt cancels."""
    storno = aliased(ReceiptLine)
    cancelled = exists().where(storno.receipt_id == ReceiptLine.receipt_id, storno.storno_uuid == ReceiptLine.uuid,
                               storno.is_storno.is_(True))
    return [ReceiptLine.is_storno.is_(False), ~cancelled]


async def _day_branch_totals(
    session: AsyncSession, company_id: int, period: Period, branch_ids: Iterable[int] | None
) -> dict[tuple[date, int | None], Totals]:
    found: dict[tuple[date, int | None], Totals] = defaultdict(Totals)
    branch_ids = list(branch_ids) if branch_ids is not None else None
    receipts = await session.execute(
        select(Receipt.business_day, Receipt.branch_id, Receipt.is_return, func.count(),
               type_coerce(func.sum(Receipt.amount), _MONEY))
        .where(*_receipt_filter(company_id, period, branch_ids))
        .group_by(Receipt.business_day, Receipt.branch_id, Receipt.is_return)
    )
    for day, branch_id, is_return, count, amount in receipts:
        totals = found[(day, branch_id)]
        if is_return:
            totals.return_receipts += count
            totals.retail_returns += _money(amount)
        else:
            totals.receipts += count
            totals.retail_gross += _money(amount)
    wholesale = await session.execute(
        select(WholesaleDoc.business_day, WholesaleDoc.branch_id, WholesaleDoc.kind, func.count(),
               type_coerce(func.sum(WholesaleDoc.amount), _MONEY))
        .where(*_wholesale_filter(company_id, period, branch_ids))
        .group_by(WholesaleDoc.business_day, WholesaleDoc.branch_id, WholesaleDoc.kind)
    )
    for day, branch_id, kind, count, amount in wholesale:
        totals = found[(day, branch_id)]
        if kind == "return":
            totals.wholesale_return_docs += count
            totals.wholesale_returns += _money(amount)
        else:
            totals.wholesale_docs += count
            totals.wholesale_gross += _money(amount)
    return found


async def _payments(
    session: AsyncSession, company_id: int, period: Period, branch_ids: Iterable[int] | None
) -> dict[int | None, PaymentRow]:
    # The sync flags a storno payment and the payment it cancels alike, so the unflagged rows are the ones that
    # count (change rows, negative, included).
    # Days synced with REGOS's aggregates are read from them (issue 9); older days from receipt payments.
    aggregated = await day_aggregates.aggregate_days(session, company_id, period)
    value = type_coerce(func.sum(ReceiptPayment.value), _MONEY)
    rows = await session.execute(
        select(ReceiptPayment.payment_type_regos_id, Receipt.is_return, value,
               func.max(ReceiptPayment.payment_type_name))
        .join(Receipt, Receipt.id == ReceiptPayment.receipt_id)
        .where(*_receipt_filter(company_id, period, branch_ids), ReceiptPayment.is_storno.is_(False),
               Receipt.business_day.not_in(aggregated))
        .group_by(ReceiptPayment.payment_type_regos_id, Receipt.is_return)
    )
    found: dict[int | None, PaymentRow] = {}
    if aggregated:
        for type_id, name, sales, refunds in await day_aggregates.payment_sums(session, company_id, period, branch_ids):
            aggregate_row = found.setdefault(type_id, PaymentRow(type_id, name))
            aggregate_row.sales += sales
            aggregate_row.refunds += refunds
    for type_id, is_return, amount, name in rows:
        row = found.setdefault(type_id, PaymentRow(type_id, name or ""))
        if is_return:
            row.refunds += _money(amount)
        else:
            row.sales += _money(amount)
    return found


async def _products(
    session: AsyncSession, company_id: int, period: Period, branch_ids: Iterable[int] | None
) -> dict[int | None, ProductRow]:
    quantity = type_coerce(func.sum(ReceiptLine.quantity), _QUANTITY)
    amount = type_coerce(func.sum(ReceiptLine.amount), _MONEY)
    aggregated = await day_aggregates.aggregate_days(session, company_id, period)
    rows = await session.execute(
        select(ReceiptLine.item_regos_id, Receipt.is_return, quantity, amount)
        .join(Receipt, Receipt.id == ReceiptLine.receipt_id)
        .where(*_receipt_filter(company_id, period, branch_ids), *_counting_lines(),
               Receipt.business_day.not_in(aggregated))
        .group_by(ReceiptLine.item_regos_id, Receipt.is_return)
    )
    found: dict[int | None, ProductRow] = {}
    if aggregated:
        for item_id, sold_q, sold_a, back_q, back_a in await day_aggregates.item_sums(
            session, company_id, period, branch_ids
        ):
            product = found.setdefault(item_id, ProductRow(item_id, None, None))
            product.sold_quantity += sold_q
            product.sold_amount += sold_a
            product.returned_quantity += back_q
            product.returned_amount += back_a
    for item_id, is_return, item_quantity, item_amount in rows:
        row = found.setdefault(item_id, ProductRow(item_id, None, None))
        if is_return:
            row.returned_quantity += Decimal(item_quantity or 0)
            row.returned_amount += _money(item_amount)
        else:
            row.sold_quantity += Decimal(item_quantity or 0)
            row.sold_amount += _money(item_amount)
    return found


async def _sellers(
    session: AsyncSession, company_id: int, period: Period, branch_ids: Iterable[int] | None
) -> dict[int | None, SellerRow]:
    rows = await session.execute(
        select(Receipt.seller_regos_id, Receipt.is_return, func.count(), type_coerce(func.sum(Receipt.amount), _MONEY))
        .where(*_receipt_filter(company_id, period, branch_ids))
        .group_by(Receipt.seller_regos_id, Receipt.is_return)
    )
    found: dict[int | None, SellerRow] = {}
    for user_id, is_return, count, amount in rows:
        row = found.setdefault(user_id, SellerRow(user_id, None))
        if is_return:
            row.return_receipts += count
            row.returns += _money(amount)
        else:
            row.receipts += count
            row.gross += _money(amount)
    return found


async def _names(session: AsyncSession, company_id: int, *, items: Iterable[int | None] = (),
                 payment_types: Iterable[int | None] = (), employees: Iterable[int | None] = ()
                 ) -> tuple[dict[int, tuple[str, str | None]], dict[int, str], dict[int, str]]:
    item_ids = [i for i in set(items) if i is not None]
    type_ids = [i for i in set(payment_types) if i is not None]
    employee_ids = [i for i in set(employees) if i is not None]
    item_names: dict[int, tuple[str, str | None]] = {}
    if item_ids:
        for regos_id, name, unit in await session.execute(
            select(Item.regos_id, Item.name, Item.unit).where(Item.company_id == company_id,
                                                              Item.regos_id.in_(item_ids))
        ):
            item_names[regos_id] = (name, unit)
    type_names: dict[int, str] = {}
    if type_ids:
        for regos_id, name in await session.execute(
            select(PaymentType.regos_id, PaymentType.name).where(PaymentType.company_id == company_id,
                                                                 PaymentType.regos_id.in_(type_ids))
        ):
            type_names[regos_id] = name
    employee_names: dict[int, str] = {}
    if employee_ids:
        for user_id, full_name in await session.execute(
            select(Employee.regos_user_id, Employee.full_name).where(Employee.company_id == company_id,
                                                                     Employee.regos_user_id.in_(employee_ids))
        ):
            if user_id is not None:
                employee_names[user_id] = full_name
    return item_names, type_names, employee_names


async def _branch_names(session: AsyncSession, company_id: int) -> dict[int, str]:
    rows = await session.execute(select(Branch.id, Branch.name).where(Branch.company_id == company_id))
    return {branch_id: name for branch_id, name in rows}


# --- the report -------------------------------------------------------------------------------------------------


def _sum_totals(parts: Iterable[Totals]) -> Totals:
    total = Totals()
    for part in parts:
        total.add(part)
    return total


async def sales_report(
    session: AsyncSession,
    company_id: int,
    period: Period,
    *,
    branch_ids: Iterable[int] | None = None,
    compare: bool = True,
    compare_with: Period | None = None,
    top_products: int = TOP_PRODUCTS,
    top_sellers: int = TOP_SELLERS,
    today: date | None = None,
    with_expenses: bool = True,
) -> SalesReport:
    """The report of `period` for a company, over `branch_ids` only when given (the branches a user may see).

    Changes are against `compare_with`, by default `period.previous()` (none with `compare=False`). The caller
    checks that the branch ids belong to the company; ids of other companies simply match nothing.
    Days never imported (up to `today`, the company's business day by default) are named in `missing` and
    `previous_missing`; no change is computed against a comparison period that lacks days.
    """
    company = await session.get(Company, company_id)
    if company is None:
        raise LookupError(f"no company {company_id}")
    today = today or business_day(company)
    scope_ids = sorted(set(branch_ids)) if branch_ids is not None else None
    branch_names = await _branch_names(session, company_id)
    scope = [BranchRef(i, branch_names[i]) for i in scope_ids if i in branch_names] if scope_ids is not None else None

    by_day_branch = await _day_branch_totals(session, company_id, period, scope_ids)
    payments = await _payments(session, company_id, period, scope_ids)
    products = await _products(session, company_id, period, scope_ids)
    sellers = await _sellers(session, company_id, period, scope_ids)

    previous_period = (compare_with or period.previous()) if compare else None
    previous_by_branch: dict[int | None, Totals] | None = None
    previous_totals: Totals | None = None
    covered = await coverage(session, company_id, period, today, scope_ids)
    previous_covered: Coverage | None = None
    if previous_period is not None:
        previous_covered = await coverage(session, company_id, previous_period, today, scope_ids)
        previous_by_day_branch = await _day_branch_totals(session, company_id, previous_period, scope_ids)
        previous_by_branch = defaultdict(Totals)
        for (_day, branch_id), part in previous_by_day_branch.items():
            previous_by_branch[branch_id].add(part)
        previous_totals = _sum_totals(previous_by_day_branch.values())
        previous_payments = await _payments(session, company_id, previous_period, scope_ids)
        previous_products = await _products(session, company_id, previous_period, scope_ids)
        previous_sellers = await _sellers(session, company_id, previous_period, scope_ids)
        if previous_covered.complete and covered.complete:  # else no row has an honest figure to compare with
            for type_id, payment in payments.items():
                before = previous_payments.get(type_id)
                payment.previous_net = before.net if before else ZERO
            for item_id, product in products.items():
                earlier = previous_products.get(item_id)
                product.previous_amount = earlier.amount if earlier else ZERO
            for user_id, seller in sellers.items():
                earlier_seller = previous_sellers.get(user_id)
                seller.previous_net = earlier_seller.net if earlier_seller else ZERO

    by_branch: dict[int | None, BranchRow] = {}
    by_day: dict[date, Totals] = {day: Totals() for day in period.dates()}
    for (day, branch_id), part in by_day_branch.items():
        row = by_branch.setdefault(branch_id, BranchRow(branch_id, branch_names.get(branch_id) if branch_id else None))
        row.totals.add(part)
        by_day[day].add(part)
    for branch_id, row in by_branch.items():
        if previous_by_branch is not None and previous_covered is not None \
                and not previous_covered.branch_missing(branch_id) and not covered.branch_missing(branch_id):
            row.previous = previous_by_branch.get(branch_id, Totals())

    top_items = sorted(products.values(), key=lambda p: (-p.amount, p.item_regos_id or 0))[:top_products]
    top_people = sorted((s for s in sellers.values() if s.regos_user_id is not None),
                        key=lambda s: (-s.net, s.regos_user_id or 0))[:top_sellers]
    item_names, type_names, employee_names = await _names(
        session, company_id, items=[p.item_regos_id for p in top_items], payment_types=payments,
        employees=[s.regos_user_id for s in top_people],
    )
    for product in top_items:
        if product.item_regos_id in item_names:
            product.name, product.unit = item_names[product.item_regos_id]
    for payment in payments.values():
        if payment.regos_id in type_names:
            payment.name = type_names[payment.regos_id]
    for seller in top_people:
        seller.name = employee_names.get(seller.regos_user_id) if seller.regos_user_id is not None else None
    expenses = None
    if with_expenses:
        from services.expenses import approved_expenses  # here: services.expenses imports the reports package

        expenses = await approved_expenses(session, company_id, period, scope_ids)
    missing_days = frozenset(covered.missing)

    return SalesReport(
        company_id=company_id,
        company_name=company.name,
        timezone=company.timezone,
        period=period,
        previous_period=previous_period,
        scope=scope,
        totals=_sum_totals(by_day.values()),
        previous=previous_totals,
        payments=sorted(payments.values(), key=lambda p: (-p.net, p.regos_id or 0)),
        branches=sorted(by_branch.values(), key=lambda b: (b.branch_id is None, -b.totals.net_sales, b.branch_id or 0)),
        products=top_items,
        sellers=top_people,
        days=[DayRow(day, totals, day in missing_days) for day, totals in sorted(by_day.items())],
        generated_at=utcnow(),
        missing=covered.missing,
        imported_days=max(0, (min(period.last, today) - period.first).days + 1) - len(covered.missing),
        previous_missing=previous_covered.missing if previous_covered is not None else (),
        expenses=expenses,
    )


async def daily_series(
    session: AsyncSession, company_id: int, period: Period, *, branch_ids: Iterable[int] | None = None,
    today: date | None = None,
) -> DailySeries:
    """Net sales (retail + wholesale) per branch and day over `period`, for a chart; days a branch never
    imported are in `missing` (a gap in the chart, not a zero)."""
    scope_ids = sorted(set(branch_ids)) if branch_ids is not None else None
    company = await session.get(Company, company_id)
    if company is None:
        raise LookupError(f"no company {company_id}")
    covered = await coverage(session, company_id, period, today or business_day(company), scope_ids)
    by_day_branch = await _day_branch_totals(session, company_id, period, scope_ids)
    branch_names = await _branch_names(session, company_id)
    branches: Sequence[int | None] = (
        scope_ids if scope_ids is not None else sorted(branch_names)
    )
    net: dict[int | None, dict[date, Decimal]] = {branch_id: {} for branch_id in branches}
    for (day, branch_id), totals in by_day_branch.items():
        net.setdefault(branch_id, {})[day] = totals.net_sales
    days = period.dates()
    for values in net.values():
        for day in days:
            values.setdefault(day, ZERO)
    names: dict[int | None, str | None] = {branch_id: branch_names.get(branch_id) if branch_id else None
                                           for branch_id in net}
    missing = {branch_id: covered.branch_missing(branch_id) for branch_id in net}
    return DailySeries(days=days, net=net, names=names, missing={k: v for k, v in missing.items() if v})


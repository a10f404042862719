"""Daily aggregates (per branch and per employee) rebuilt from the stored documents, and the reconciliation of
a day against REGOS's own ``RetailReport``.

Only closed receipts count: ``receipts`` is the number of closed sales, ``retail_gross`` their sum,
``retail_returns`` the sum of closed returns (positive), ``retail_net`` = gross − returns. Wholesale counts
performed, not delete-marked documents, minus wholesale returns. Sums are taken in Python over ``Decimal`` so
they are exact on every database.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.base import utcnow
from db.regos_data import (
    DailyEmployeeSales,
    DailySales,
    Receipt,
    ReceiptPayment,
    Reconciliation,
    SalesRole,
    WholesaleDoc,
    WholesaleKind,
)
from services.regos import DocChequeStatus, RetailReportCounts, RetailReportPayment

ZERO = Decimal("0.00")
CLOSED = DocChequeStatus.Closed.value


@dataclass
class Figures:
    """Sales of one branch (or one employee, or the whole company) on one day."""

    receipts: int = 0
    return_receipts: int = 0
    retail_gross: Decimal = ZERO
    retail_returns: Decimal = ZERO
    wholesale_sales: Decimal = ZERO
    wholesale_returns: Decimal = ZERO

    @property
    def retail_net(self) -> Decimal:
        return self.retail_gross - self.retail_returns

    @property
    def wholesale_net(self) -> Decimal:
        return self.wholesale_sales - self.wholesale_returns

    def add_receipt(self, amount: Decimal, is_return: bool) -> None:
        if is_return:
            self.return_receipts += 1
            self.retail_returns += amount
        else:
            self.receipts += 1
            self.retail_gross += amount

    def absorb(self, other: Figures) -> None:
        self.receipts += other.receipts
        self.return_receipts += other.return_receipts
        self.retail_gross += other.retail_gross
        self.retail_returns += other.retail_returns
        self.wholesale_sales += other.wholesale_sales
        self.wholesale_returns += other.wholesale_returns


@dataclass
class DayFigures:
    day: date
    branches: dict[int | None, Figures] = field(default_factory=dict)
    sellers: dict[int, Figures] = field(default_factory=dict)
    cashiers: dict[int, Figures] = field(default_factory=dict)

    @property
    def total(self) -> Figures:
        total = Figures()
        for figures in self.branches.values():
            total.absorb(figures)
        return total


async def compute_day(session: AsyncSession, company_id: int, day: date) -> DayFigures:
    figures = DayFigures(day)
    receipts = await session.execute(
        select(
            Receipt.branch_id, Receipt.is_return, Receipt.amount, Receipt.seller_regos_id, Receipt.cashier_regos_id
        ).where(Receipt.company_id == company_id, Receipt.business_day == day, Receipt.status == CLOSED)
    )
    for branch_id, is_return, amount, seller_id, cashier_id in receipts.all():
        value = Decimal(amount)
        figures.branches.setdefault(branch_id, Figures()).add_receipt(value, is_return)
        if seller_id is not None:
            figures.sellers.setdefault(int(seller_id), Figures()).add_receipt(value, is_return)
        if cashier_id is not None:
            figures.cashiers.setdefault(int(cashier_id), Figures()).add_receipt(value, is_return)
    wholesale = await session.execute(
        select(WholesaleDoc.branch_id, WholesaleDoc.kind, WholesaleDoc.amount).where(
            WholesaleDoc.company_id == company_id,
            WholesaleDoc.business_day == day,
            WholesaleDoc.performed.is_(True),
            WholesaleDoc.deleted.is_(False),
        )
    )
    for branch_id, kind, amount in wholesale.all():
        branch = figures.branches.setdefault(branch_id, Figures())
        if kind == WholesaleKind.RETURN:
            branch.wholesale_returns += Decimal(amount)
        else:
            branch.wholesale_sales += Decimal(amount)
    return figures


async def rebuild_day(session: AsyncSession, company_id: int, day: date) -> DayFigures:
    """Replace the day's ``daily_sales`` and ``daily_employee_sales`` rows (inside the caller's write
    transaction, after ``lock_day_for_write``)."""
    figures = await compute_day(session, company_id, day)
    now = utcnow()
    await session.execute(
        delete(DailySales).where(DailySales.company_id == company_id, DailySales.business_day == day)
    )
    await session.execute(
        delete(DailyEmployeeSales).where(
            DailyEmployeeSales.company_id == company_id, DailyEmployeeSales.business_day == day
        )
    )
    branch_rows = [
        {
            "company_id": company_id, "business_day": day, "branch_id": branch_id, "receipts": f.receipts,
            "return_receipts": f.return_receipts, "retail_gross": f.retail_gross, "retail_returns": f.retail_returns,
            "retail_net": f.retail_net, "wholesale_net": f.wholesale_net, "updated_at": now,
        }
        for branch_id, f in figures.branches.items()
    ]
    if branch_rows:
        await session.execute(insert(DailySales), branch_rows)
    employee_rows = [
        {
            "company_id": company_id, "business_day": day, "regos_user_id": user_id, "role": role,
            "receipts": f.receipts, "retail_gross": f.retail_gross, "retail_returns": f.retail_returns,
            "retail_net": f.retail_net,
        }
        for role, people in ((SalesRole.SELLER, figures.sellers), (SalesRole.CASHIER, figures.cashiers))
        for user_id, f in people.items()
    ]
    if employee_rows:
        await session.execute(insert(DailyEmployeeSales), employee_rows)
    return figures


async def payment_totals(session: AsyncSession, company_id: int, day: date) -> dict[str, list[Decimal]]:
    """Per payment type name: [sales, refunds] over closed receipts' counting payments."""
    rows = await session.execute(
        select(ReceiptPayment.payment_type_name, Receipt.is_return, ReceiptPayment.value)
        .join(Receipt, Receipt.id == ReceiptPayment.receipt_id)
        .where(
            Receipt.company_id == company_id,
            Receipt.business_day == day,
            Receipt.status == CLOSED,
            ReceiptPayment.is_storno.is_(False),
        )
    )
    totals: dict[str, list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
    for name, is_return, value in rows.all():
        totals[name or ""][1 if is_return else 0] += Decimal(value)
    return dict(totals)


@dataclass(frozen=True)
class ReconciliationOutcome:
    day: date
    matches: bool
    differences: list[str]
    ours: dict[str, Any]
    theirs: dict[str, Any]


def _text(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01')):f}"


async def reconcile_day(
    session: AsyncSession,
    company_id: int,
    figures: DayFigures,
    counts: Sequence[RetailReportCounts],
    payments: Sequence[RetailReportPayment],
    *,
    compare_payment_types: bool,
    extra_differences: Sequence[str] = (),
) -> ReconciliationOutcome:
    """Compare our closed receipts with ``RetailReport/Counts`` and ``/Payments`` and store the result."""
    total = figures.total
    their_sales = sum((c.sale_count for c in counts), 0)
    their_returns = sum((c.return_count for c in counts), 0)
    their_gross = sum((p.sale_amount for p in payments), ZERO)
    their_refunds = sum((p.return_amount for p in payments), ZERO)
    differences: list[str] = []
    if their_sales != total.receipts:
        differences.append(f"sale receipts: ours {total.receipts}, REGOS {their_sales}")
    if their_returns != total.return_receipts:
        differences.append(f"return receipts: ours {total.return_receipts}, REGOS {their_returns}")
    if their_gross != total.retail_gross:
        differences.append(f"sales: ours {_text(total.retail_gross)}, REGOS {_text(their_gross)}")
    if their_refunds != total.retail_returns:
        differences.append(f"returns: ours {_text(total.retail_returns)}, REGOS {_text(their_refunds)}")
    ours: dict[str, Any] = {
        "sale_count": total.receipts,
        "return_count": total.return_receipts,
        "retail_gross": _text(total.retail_gross),
        "retail_returns": _text(total.retail_returns),
    }
    theirs: dict[str, Any] = {
        "sale_count": their_sales,
        "return_count": their_returns,
        "retail_gross": _text(their_gross),
        "retail_returns": _text(their_refunds),
        "payments": {},
    }
    by_name: dict[str, list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])  # one row per group and type: summed
    for p in payments:
        by_name[p.payment_type_name or ""][0] += p.sale_amount
        by_name[p.payment_type_name or ""][1] += p.return_amount
    theirs["payments"] = {name: {"sale": _text(v[0]), "return": _text(v[1])} for name, v in by_name.items()}
    if compare_payment_types:
        by_type = await payment_totals(session, company_id, figures.day)
        ours["payments"] = {name: {"sale": _text(v[0]), "return": _text(v[1])} for name, v in by_type.items()}
        for name in sorted(set(by_type) | set(theirs["payments"])):
            mine = ours["payments"].get(name, {"sale": "0.00", "return": "0.00"})
            other = theirs["payments"].get(name, {"sale": "0.00", "return": "0.00"})
            if Decimal(mine["sale"]) != Decimal(other["sale"]) or Decimal(mine["return"]) != Decimal(other["return"]):
                differences.append(f"payments {name!r}: ours {mine}, REGOS {other}")
    for difference in extra_differences:
        if difference not in differences:
            differences.append(difference)
    matches = not differences
    row = (
        await session.execute(
            select(Reconciliation).where(
                Reconciliation.company_id == company_id, Reconciliation.business_day == figures.day
            )
        )
    ).scalar_one_or_none()
    stored_ours = {**ours, "differences": differences}
    if row is None:
        session.add(
            Reconciliation(
                company_id=company_id, business_day=figures.day, ours=stored_ours, theirs=theirs, matches=matches,
                checked_at=utcnow(),
            )
        )
    else:
        row.ours, row.theirs, row.matches, row.checked_at = stored_ours, theirs, matches, utcnow()
    await session.flush()
    return ReconciliationOutcome(figures.day, matches, differences, ours, theirs)

"""What the tax report reads from the books: regimes, rates, sales by day, items' VAT classes, purchases, payroll,
expenses. Queries only; the arithmetic is in calc.py and compute.py."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.finance import Expense, ExpenseStatus
from db.models import CompanyTaxRegime, Rate
from db.payroll import PayrollRun, RunKind, RunStatus
from db.purchases import Purchase, PurchaseStatus, Supplier
from db.regos_data import DailySales, DayItemSales, DayReportCounts, Item, WholesaleDoc, WholesaleKind
from db.tax import ItemVatClass, VatClass
from services.errors import DomainError
from services.tax.calc import ZERO


class RateMissing(DomainError):
    key = "tax-error-rate-missing"


async def rate_on(session: AsyncSession, code: str, day: date, *, required: bool = True) -> Decimal | None:
    value = await session.scalar(
        select(Rate.value).where(Rate.code == code, Rate.effective_from <= day)
        .order_by(Rate.effective_from.desc()).limit(1)
    )
    if value is None and required:
        raise RateMissing(code=code, day=day)
    return Decimal(value) if value is not None else None


@dataclass(frozen=True, slots=True)
class Segment:
    """Days of a month under one regime (a regime change splits the month, as the Tax Code does)."""

    first: date
    last: date
    regime: str


async def regime_segments(session: AsyncSession, company_id: int, first: date, last: date) -> list[Segment]:
    """The regimes over [first, last]; days before the company's first regime row are not covered."""
    rows = (await session.execute(
        select(CompanyTaxRegime.effective_from, CompanyTaxRegime.regime)
        .where(CompanyTaxRegime.company_id == company_id).order_by(CompanyTaxRegime.effective_from)
    )).all()
    segments: list[Segment] = []
    for index, (start, regime) in enumerate(rows):
        end = rows[index + 1][0] - timedelta(days=1) if index + 1 < len(rows) else last
        lo, hi = max(start, first), min(end, last)
        if lo <= hi:
            if segments and segments[-1].regime == regime and segments[-1].last + timedelta(days=1) == lo:
                segments[-1] = Segment(segments[-1].first, hi, regime)
            else:
                segments.append(Segment(lo, hi, str(regime)))
    return segments


async def first_regime_day(session: AsyncSession, company_id: int) -> date | None:
    return await session.scalar(select(func.min(CompanyTaxRegime.effective_from))
                                .where(CompanyTaxRegime.company_id == company_id))


@dataclass(slots=True)
class Sales:
    days: int = 0  # days with a row in the books
    retail_gross: Decimal = ZERO
    retail_returns: Decimal = ZERO
    retail_net: Decimal = ZERO
    wholesale_net: Decimal = ZERO
    by_day: list[dict[str, Any]] = field(default_factory=list)

    @property
    def revenue(self) -> Decimal:
        return self.retail_net + self.wholesale_net


async def sales(session: AsyncSession, company_id: int, first: date, last: date) -> Sales:
    rows = (await session.execute(
        select(DailySales.business_day, func.sum(DailySales.retail_gross), func.sum(DailySales.retail_returns),
               func.sum(DailySales.retail_net), func.sum(DailySales.wholesale_net), func.sum(DailySales.receipts))
        .where(DailySales.company_id == company_id, DailySales.business_day.between(first, last))
        .group_by(DailySales.business_day).order_by(DailySales.business_day)
    )).all()
    result = Sales()
    for day, gross, returns, net, wholesale, receipts in rows:
        gross, returns, net, wholesale = (Decimal(v or 0) for v in (gross, returns, net, wholesale))
        result.days += 1
        result.retail_gross += gross
        result.retail_returns += returns
        result.retail_net += net
        result.wholesale_net += wholesale
        result.by_day.append({"day": day, "retail_gross": gross, "retail_returns": returns, "retail_net": net,
                              "wholesale_net": wholesale, "receipts": int(receipts or 0)})
    return result


@dataclass(slots=True)
class RetailBases:
    """Net retail sales (sold − returned, per item from RetailReport/Operations) apart from the standard rate:
    zero-rated, exempt, and standard-rated items at another rate than the law's (percent → amount)."""

    zero: Decimal = ZERO
    exempt: Decimal = ZERO
    other_rates: dict[Decimal, Decimal] = field(default_factory=dict)
    from_regos: int = 0  # item rows classed by their REGOS VAT
    overridden: int = 0  # item rows classed by the operator (`tax item-vat`), which wins


async def retail_bases(session: AsyncSession, company_id: int, first: date, last: date, standard_percent: Decimal
                       ) -> RetailBases:
    """Per item: the operator's class when set, else the item's VAT from REGOS (Item/Get), else standard."""
    rows = (await session.execute(
        select(ItemVatClass.vat_class, Item.vat_class, Item.vat_rate,
               func.sum(DayItemSales.sold_amount - DayItemSales.returned_amount), func.count())
        .select_from(DayItemSales)
        .outerjoin(ItemVatClass, (ItemVatClass.company_id == DayItemSales.company_id)
                   & (ItemVatClass.item_regos_id == DayItemSales.item_regos_id))
        .outerjoin(Item, (Item.company_id == DayItemSales.company_id) & (Item.regos_id == DayItemSales.item_regos_id))
        .where(DayItemSales.company_id == company_id, DayItemSales.business_day.between(first, last))
        .group_by(ItemVatClass.vat_class, Item.vat_class, Item.vat_rate)
    )).all()
    found = RetailBases()
    for override, regos_class, regos_rate, amount, count in rows:
        amount = Decimal(amount or 0)
        rate = standard_percent
        if override is not None:
            vat_class = str(override)
            found.overridden += int(count or 0)
        elif regos_class is not None:
            vat_class = str(regos_class)
            rate = Decimal(regos_rate) if regos_rate is not None else standard_percent
            found.from_regos += int(count or 0)
        else:
            vat_class = VatClass.STANDARD.value
        if vat_class == VatClass.ZERO:
            found.zero += amount
        elif vat_class == VatClass.EXEMPT:
            found.exempt += amount
        elif rate != standard_percent:
            key = rate.normalize()
            found.other_rates[key] = found.other_rates.get(key, ZERO) + amount
    return found


async def wholesale_by_type(session: AsyncSession, company_id: int, first: date, last: date
                            ) -> dict[str | None, Decimal]:
    """Net wholesale (performed, not delete-marked documents; sales − returns) per REGOS `vat_calculation_type`
    (None: synced before the type was stored)."""
    rows = (await session.execute(
        select(WholesaleDoc.vat_calculation_type, WholesaleDoc.kind, func.sum(WholesaleDoc.amount))
        .where(WholesaleDoc.company_id == company_id, WholesaleDoc.business_day.between(first, last),
               WholesaleDoc.performed.is_(True), WholesaleDoc.deleted.is_(False))
        .group_by(WholesaleDoc.vat_calculation_type, WholesaleDoc.kind)
    )).all()
    found: dict[str | None, Decimal] = {}
    for vat_type, kind, amount in rows:
        signed = Decimal(amount or 0) * (-1 if kind == WholesaleKind.RETURN else 1)
        found[vat_type] = found.get(vat_type, ZERO) + signed
    return found


async def gross_profit(session: AsyncSession, company_id: int, first: date, last: date) -> tuple[Decimal, int]:
    """REGOS's gross profit of retail (RetailReport/Counts) over the days it is known, and on how many days."""
    rows = (await session.execute(
        select(DayReportCounts.business_day, func.sum(DayReportCounts.gross_profit))
        .where(DayReportCounts.company_id == company_id, DayReportCounts.business_day.between(first, last),
               DayReportCounts.gross_profit.is_not(None))
        .group_by(DayReportCounts.business_day)
    )).all()
    return sum((Decimal(v or 0) for _, v in rows), ZERO), len(rows)


@dataclass(frozen=True, slots=True)
class PurchaseRow:
    id: int
    supplier: str
    tin: str | None
    number: str | None
    day: date | None
    total: Decimal | None
    vat: Decimal | None
    claim: str


async def purchases(session: AsyncSession, company_id: int, first: date, last: date) -> list[PurchaseRow]:
    """Confirmed purchases dated in [first, last] (drafts, pending and discarded ones do not count)."""
    rows = (await session.execute(
        select(Purchase, Supplier.name, Supplier.tin).outerjoin(Supplier, Supplier.id == Purchase.supplier_id)
        .where(Purchase.company_id == company_id, Purchase.status == PurchaseStatus.CONFIRMED,
               Purchase.document_date.between(first, last))
        .order_by(Purchase.document_date, Purchase.id)
    )).all()
    return [PurchaseRow(p.id, name or "", tin, p.document_number, p.document_date,
                        Decimal(p.total) if p.total is not None else None,
                        Decimal(p.vat_amount) if p.vat_amount is not None else None, str(p.vat_claim))
            for p, name, tin in rows]


async def approved_payroll(session: AsyncSession, company_id: int, month: date) -> PayrollRun | None:
    """The latest approved (or paid) monthly payroll version of a month."""
    return await session.scalar(
        select(PayrollRun).where(PayrollRun.company_id == company_id, PayrollRun.month == month,
                                 PayrollRun.kind == RunKind.MONTHLY,
                                 PayrollRun.status.in_((RunStatus.APPROVED, RunStatus.PAID)))
        .order_by(PayrollRun.version.desc()).limit(1)
    )


async def open_payroll(session: AsyncSession, company_id: int, month: date) -> PayrollRun | None:
    """A monthly payroll of the month that exists but is not approved yet (draft or waiting)."""
    return await session.scalar(
        select(PayrollRun).where(PayrollRun.company_id == company_id, PayrollRun.month == month,
                                 PayrollRun.kind == RunKind.MONTHLY,
                                 PayrollRun.status.in_((RunStatus.DRAFT, RunStatus.PENDING_APPROVAL)))
        .order_by(PayrollRun.version.desc()).limit(1)
    )


async def approved_expenses(session: AsyncSession, company_id: int, first: date, last: date
                            ) -> tuple[Decimal, int]:
    total, count = (await session.execute(
        select(func.sum(Expense.amount), func.count(Expense.id))
        .where(Expense.company_id == company_id, Expense.status == ExpenseStatus.APPROVED,
               Expense.spent_on.between(first, last))
    )).one()
    return Decimal(total or 0), int(count or 0)


__all__ = ["PurchaseRow", "RateMissing", "RetailBases", "Sales", "Segment", "approved_expenses", "approved_payroll",
           "first_regime_day", "gross_profit", "open_payroll", "purchases", "rate_on", "regime_segments",
           "retail_bases", "sales", "wholesale_by_type"]

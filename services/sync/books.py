"""What a company's books hold per business day, from the daily aggregates (the CLI's ``--json`` shape).

``{"days": [{"date", "receipts", "retail_gross", "retail_returns", "retail_net", "wholesale_net",
"branches": [{"regos_stock_id", "name", "receipts", "retail_net", "wholesale_net"}]}]}`` with amounts as decimal
strings ("1250000.00"). Every branch mapped to a REGOS stock is listed every day (zeros included), in stock id
order; documents whose branch could not be resolved appear under ``regos_stock_id: null``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Branch
from db.regos_data import DailySales, DayItemSales, DayReportCounts, Receipt, ReceiptLine

from .aggregates import CLOSED

ZERO = Decimal("0.00")


def amount_text(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01')):f}"


@dataclass
class BranchBook:
    regos_stock_id: int | None
    name: str
    receipts: int = 0
    retail_net: Decimal = ZERO
    wholesale_net: Decimal = ZERO

    def to_dict(self) -> dict[str, Any]:
        return {
            "regos_stock_id": self.regos_stock_id,
            "name": self.name,
            "receipts": self.receipts,
            "retail_net": amount_text(self.retail_net),
            "wholesale_net": amount_text(self.wholesale_net),
        }


@dataclass
class DayBook:
    date: date
    receipts: int = 0
    retail_gross: Decimal = ZERO
    retail_returns: Decimal = ZERO
    wholesale_net: Decimal = ZERO
    branches: list[BranchBook] = field(default_factory=list)

    @property
    def retail_net(self) -> Decimal:
        return self.retail_gross - self.retail_returns

    def to_dict(self) -> dict[str, Any]:
        return {
            "date": self.date.isoformat(),
            "receipts": self.receipts,
            "retail_gross": amount_text(self.retail_gross),
            "retail_returns": amount_text(self.retail_returns),
            "retail_net": amount_text(self.retail_net),
            "wholesale_net": amount_text(self.wholesale_net),
            "branches": [b.to_dict() for b in self.branches],
        }


def books_to_json(books: list[DayBook]) -> dict[str, Any]:
    return {"days": [book.to_dict() for book in books]}


async def day_books(session: AsyncSession, company_id: int, date_from: date, date_to: date) -> list[DayBook]:
    """One ``DayBook`` per day from ``date_from`` to ``date_to`` (inclusive)."""
    if date_to < date_from:
        raise ValueError("date_to is before date_from")
    branches = list(
        (
            await session.execute(
                select(Branch).where(Branch.company_id == company_id, Branch.regos_stock_id.is_not(None))
            )
        ).scalars()
    )
    branches.sort(key=lambda b: b.regos_stock_id or 0)
    branch_by_id = {b.id: b for b in branches}
    rows = await session.execute(
        select(DailySales).where(
            DailySales.company_id == company_id,
            DailySales.business_day >= date_from,
            DailySales.business_day <= date_to,
        )
    )
    by_day: dict[date, list[DailySales]] = defaultdict(list)
    for row in rows.scalars():
        by_day[row.business_day].append(row)
    books = []
    day = date_from
    while day <= date_to:
        book = DayBook(day, branches=[BranchBook(b.regos_stock_id, b.name) for b in branches])
        index = {b.regos_stock_id: entry for b, entry in zip(branches, book.branches, strict=True)}
        for row in by_day.get(day, []):
            book.receipts += row.receipts
            book.retail_gross += row.retail_gross
            book.retail_returns += row.retail_returns
            book.wholesale_net += row.wholesale_net
            branch = branch_by_id.get(row.branch_id) if row.branch_id is not None else None
            stock_id = branch.regos_stock_id if branch is not None else None
            entry = index.get(stock_id)
            if entry is None:
                name = branch.name if branch is not None else ""
                entry = BranchBook(stock_id, name)
                index[stock_id] = entry
                book.branches.append(entry)
            entry.receipts += row.receipts
            entry.retail_net += row.retail_net
            entry.wholesale_net += row.wholesale_net
        books.append(book)
        day += timedelta(days=1)
    return books


@dataclass
class ItemSales:
    item_regos_id: int
    sale_quantity: Decimal = Decimal("0.000")
    sale_amount: Decimal = ZERO
    return_quantity: Decimal = Decimal("0.000")
    return_amount: Decimal = ZERO


async def item_sales(
    session: AsyncSession, company_id: int, day: date, *, regos_stock_id: int | None = None
) -> dict[int, ItemSales]:
    """Per item, quantity and amount sold and returned on the day's closed receipts (storno lines and the lines
    they cancel left out): from REGOS's ``RetailReport/Operations`` when the day was synced with it (issue 9),
    else from receipt lines (which need receipt details to have been synced)."""
    has_reports = await session.scalar(
        select(exists().where(DayReportCounts.company_id == company_id, DayReportCounts.business_day == day))
    )
    if has_reports:
        return await _item_sales_from_reports(session, company_id, day, regos_stock_id)
    query = (
        select(
            ReceiptLine.receipt_id, ReceiptLine.uuid, ReceiptLine.item_regos_id, ReceiptLine.quantity,
            ReceiptLine.amount, ReceiptLine.is_storno, ReceiptLine.storno_uuid, Receipt.is_return,
        )
        .join(Receipt, Receipt.id == ReceiptLine.receipt_id)
        .where(Receipt.company_id == company_id, Receipt.business_day == day, Receipt.status == CLOSED)
    )
    if regos_stock_id is not None:
        query = query.where(Receipt.regos_stock_id == regos_stock_id)
    lines = (await session.execute(query)).all()
    cancelled = {(line.receipt_id, line.storno_uuid) for line in lines if line.is_storno and line.storno_uuid}
    result: dict[int, ItemSales] = {}
    for line in lines:
        if line.is_storno or (line.receipt_id, line.uuid) in cancelled or line.item_regos_id is None:
            continue
        entry = result.setdefault(int(line.item_regos_id), ItemSales(int(line.item_regos_id)))
        if line.is_return:
            entry.return_quantity += line.quantity
            entry.return_amount += line.amount
        else:
            entry.sale_quantity += line.quantity
            entry.sale_amount += line.amount
    return result


async def _item_sales_from_reports(
    session: AsyncSession, company_id: int, day: date, regos_stock_id: int | None
) -> dict[int, ItemSales]:
    query = select(DayItemSales).where(DayItemSales.company_id == company_id, DayItemSales.business_day == day)
    if regos_stock_id is not None:
        query = query.join(Branch, Branch.id == DayItemSales.branch_id).where(Branch.regos_stock_id == regos_stock_id)
    result: dict[int, ItemSales] = {}
    for row in (await session.execute(query)).scalars():
        if row.item_regos_id is None:
            continue
        entry = result.setdefault(int(row.item_regos_id), ItemSales(int(row.item_regos_id)))
        entry.sale_quantity += row.sold_quantity
        entry.sale_amount += row.sold_amount
        entry.return_quantity += row.returned_quantity
        entry.return_amount += row.returned_amount
    return {
        k: v for k, v in result.items()
        if v.sale_quantity or v.sale_amount or v.return_quantity or v.return_amount
    }

"""Helpers for the report tests (no tests here): a company's sales data, and expected figures from the generator.

Data gets into our tables through `services.sync` from a running FakeRegos (`sync_from_fake`); `copy_generated`
writes the generator's records straight into the tables, for tests of the report's own rules and for speed.
Either way the expected numbers come from the generator's own ground truth, never from our tables. The company
comes from `tests.helpers.create_company`, its people from `tests.helpers.add_member`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.models import Branch, Employee
from db.regos_data import Item, PaymentType, Receipt, ReceiptLine, ReceiptPayment, WholesaleDoc
from sandbox.regos import DayTotals, FakeRegos, RegosDataGenerator
from services.reports.coverage import mark_days_imported
from services.sync import SyncOptions, sync_company
from tests.sync_support import connect, fast_client


@dataclass
class SeededCompany:
    company_id: int
    branch_by_stock: dict[int, int]  # REGOS stock id -> our branch id


async def copy_generated(session: AsyncSession, company_id: int, generator: RegosDataGenerator,
                         first: date | None = None, last: date | None = None) -> SeededCompany:
    """The generator's records for `first..last` written as a sync would: reference data, receipts with lines
    and payments, wholesale documents, and each day marked imported for every branch."""
    branch_by_stock: dict[int, int] = {}
    for stock in generator.stocks:
        branch = Branch(company_id=company_id, name=stock.name, regos_stock_id=stock.id)
        session.add(branch)
        await session.flush()
        branch_by_stock[stock.id] = branch.id
    session.add_all(Item(company_id=company_id, regos_id=item.id, code=str(item.code), name=item.name,
                         unit=item.unit, min_quantity=item.min_quantity) for item in generator.items)
    session.add_all(PaymentType(company_id=company_id, regos_id=ptype.id, name=ptype.name, is_cash=ptype.is_cash)
                    for ptype in generator.payment_types)
    session.add_all(Employee(company_id=company_id, full_name=user.full_name, regos_user_id=user.id)
                    for user in generator.users)
    next_receipt_id = int(await session.scalar(select(func.coalesce(func.max(Receipt.id), 0))) or 0) + 1
    day = first or generator.config.start_date
    last = last or generator.config.end_date
    while day <= last:
        data = generator.day(day)
        receipts, lines, payments = [], [], []
        for record in data.receipts:
            receipt_id, next_receipt_id = next_receipt_id, next_receipt_id + 1
            receipts.append(dict(
                id=receipt_id, company_id=company_id, uuid=record.uuid, code=record.code,
                occurred_at=datetime.fromtimestamp(record.date, UTC), business_day=record.day,
                branch_id=branch_by_stock[record.stock_id], regos_stock_id=record.stock_id,
                regos_till_id=record.till_id, session_uuid=record.session_uuid, status=record.status,
                is_return=record.is_return, amount=record.amount, cashier_regos_id=record.cashier_id,
                seller_regos_id=record.seller_id, last_update=record.last_update,
            ))
            lines += [dict(
                receipt_id=receipt_id, uuid=line.uuid, item_regos_id=line.item_id, quantity=line.quantity,
                price=line.price, amount=line.amount, is_storno=line.has_storno, storno_uuid=line.storno_uuid,
            ) for line in record.lines]
            # As services/sync stores them: a storno payment and the payment it cancels are both flagged.
            cancelled = {payment.storno_uuid for payment in record.payments if payment.has_storno}
            payments += [dict(
                receipt_id=receipt_id, uuid=payment.uuid, payment_type_regos_id=payment.payment_type_id,
                payment_type_name=generator.payment_types_by_id[payment.payment_type_id].name,
                value=payment.value, is_storno=payment.has_storno or payment.uuid in cancelled,
            ) for payment in record.payments]
        for model, rows in ((Receipt, receipts), (ReceiptLine, lines), (ReceiptPayment, payments)):
            if rows:
                await session.execute(insert(model), rows)
        session.add_all(WholesaleDoc(
            company_id=company_id, kind="return" if doc.is_return else "sale", regos_id=doc.id, code=doc.code,
            occurred_at=datetime.fromtimestamp(doc.date, UTC), business_day=doc.day,
            branch_id=branch_by_stock[doc.stock_id], regos_stock_id=doc.stock_id, amount=doc.amount,
            performed=doc.performed, deleted=doc.deleted_mark, last_update=doc.last_update,
        ) for doc in [*data.wholesales, *data.wholesale_returns])
        await session.flush()
        await mark_days_imported(session, company_id, branch_by_stock.values(), day)
        day += timedelta(days=1)
    return SeededCompany(company_id, branch_by_stock)


async def sync_from_fake(session_factory: async_sessionmaker[AsyncSession], company_id: int, fake: FakeRegos,
                         first: date | None = None, last: date | None = None) -> SeededCompany:
    """Connect the company to the running fake and sync `first..last` (default: every generated day) the way the
    bot does, through services.sync."""
    await connect(session_factory, fake, company_id)
    config = fake.generator.config
    client = fast_client(fake)
    try:
        result = await sync_company(
            session_factory, company_id, date_from=first or config.start_date, date_to=last or config.end_date,
            trigger="cli", client=client,
            options=SyncOptions(archive=False, refresh_stock_levels=False, reconcile=False, detail_concurrency=8),
        )
    finally:
        await client.aclose()
    assert result.failure is None and result.invalid == 0, result
    async with session_factory() as session:
        rows = await session.execute(select(Branch.regos_stock_id, Branch.id).where(Branch.company_id == company_id))
        return SeededCompany(company_id, {stock_id: branch_id for stock_id, branch_id in rows if stock_id})


def expected_totals(generator: RegosDataGenerator, first: date, last: date,
                    stock_ids: list[int] | None = None) -> DayTotals:
    """Ground truth summed over days and, when given, over a subset of branches."""
    if stock_ids is None:
        return generator.period_totals(first, last)
    parts = [generator.period_totals(first, last, stock_id) for stock_id in stock_ids]
    total = DayTotals(day=first, stock_id=None)
    for part in parts:
        for name in ("sale_count", "return_count", "retail_gross", "retail_returns", "wholesale_count",
                     "wholesale_gross", "wholesale_return_count", "wholesale_returns"):
            setattr(total, name, getattr(total, name) + getattr(part, name))
        for type_id, payment in part.payments.items():
            bucket = total.payments.setdefault(type_id, type(payment)(type_id, payment.name))
            bucket.sale_amount += payment.sale_amount
            bucket.return_amount += payment.return_amount
    return total


def expected_items(generator: RegosDataGenerator, first: date, last: date) -> dict[int, tuple[Decimal, Decimal]]:
    """item id -> (net quantity, net amount) over the days."""
    found: dict[int, tuple[Decimal, Decimal]] = {}
    day = first
    while day <= last:
        for item_id, item in generator.item_totals(day).items():
            quantity, amount = found.get(item_id, (Decimal(0), Decimal(0)))
            found[item_id] = (quantity + item.sale_quantity - item.return_quantity,
                              amount + item.sale_amount - item.return_amount)
        day += timedelta(days=1)
    return found


def expected_sellers(generator: RegosDataGenerator, first: date, last: date) -> dict[int | None, tuple[int, Decimal]]:
    """seller id -> (sale receipts, net retail) over the days."""
    found: dict[int | None, tuple[int, Decimal]] = {}
    day = first
    while day <= last:
        for user_id, seller in generator.employee_totals(day, role="seller").items():
            count, net = found.get(user_id, (0, Decimal(0)))
            found[user_id] = (count + seller.sale_count, net + seller.retail_net)
        day += timedelta(days=1)
    return found

"""Issue 9: with receipt details off (the default), REGOS's limit on and faults on, every figure the sales report
shows — per day, branch, item, payment type and seller — equals the generator's truth; also for a till moved to
another branch mid-period, a day of 20,000 receipts and a key another integration already drains."""

from __future__ import annotations

import asyncio
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.models import Branch
from db.regos_data import PaymentType, ReceiptLine, RegosConnection
from sandbox.regos import FakeRegos, RegosDataGenerator, TillMove
from services import cash
from services.regos import KeyBudget, MemoryBackend, Priority, RegosClient
from services.reports.periods import Period
from services.reports.sales import sales_report
from services.sync import SyncOptions, sync_company
from tests.helpers import FakeRegosFactory, create_company
from tests.sync_support import FAST_RETRY, START, assert_books_match, connect, days_from, read_books

DAYS = days_from(START, 3)


def paced_client(fake: FakeRegos, budget: KeyBudget | None = None, **options: Any) -> RegosClient:
    """A client paced as the bot's are (a key budget at 2/s, burst 40) against the fake's real limit."""
    return RegosClient(
        fake.default_key, base_url=fake.gateway_url, retry=FAST_RETRY,
        bucket=budget or KeyBudget(f"t{id(fake)}".ljust(64, "0"), backend=MemoryBackend()),
        priority=options.pop("priority", Priority.SCHEDULED), **options,
    )


async def branch_ids(session_factory: async_sessionmaker[AsyncSession], company_id: int) -> dict[int, int]:
    async with session_factory() as session:
        rows = await session.execute(select(Branch.regos_stock_id, Branch.id).where(Branch.company_id == company_id))
        return {int(stock): branch for stock, branch in rows.all() if stock is not None}


async def assert_report_matches(
    session_factory: async_sessionmaker[AsyncSession], company_id: int, generator: RegosDataGenerator, day: date
) -> None:
    """The sales report of ``day``, company-wide and per branch, against the truth: totals, payment types,
    items (sold and returned, quantity and amount) and sellers."""
    branches = await branch_ids(session_factory, company_id)
    scopes: list[tuple[int | None, list[int] | None]] = [(None, None)]
    scopes += [(stock, [branch]) for stock, branch in sorted(branches.items())]
    async with session_factory() as session:
        for stock_id, scope in scopes:
            where = f"{day} stock {stock_id}"
            report = await sales_report(session, company_id, Period(day, day), branch_ids=scope, compare=False,
                                        top_products=100_000, top_sellers=100_000, today=day, with_expenses=False)
            truth = generator.day_totals(day, stock_id)
            totals = report.totals
            assert not report.missing, where
            assert (totals.receipts, totals.return_receipts, totals.retail_gross, totals.retail_returns,
                    totals.wholesale_gross, totals.wholesale_returns) == (
                truth.sale_count, truth.return_count, truth.retail_gross, truth.retail_returns,
                truth.wholesale_gross, truth.wholesale_returns), where
            ours_payments = {p.regos_id: (p.sales, p.refunds) for p in report.payments if p.sales or p.refunds}
            assert ours_payments == {
                type_id: (p.sale_amount, p.return_amount) for type_id, p in truth.payments.items()
                if p.sale_amount or p.return_amount
            }, where
            ours_items = {
                p.item_regos_id: (p.sold_quantity, p.sold_amount, p.returned_quantity, p.returned_amount)
                for p in report.products
            }
            assert ours_items == {
                item_id: (t.sale_quantity, t.sale_amount, t.return_quantity, t.return_amount)
                for item_id, t in generator.item_totals(day, stock_id).items()
            }, where
            ours_sellers = {
                s.regos_user_id: (s.receipts, s.gross, s.return_receipts, s.returns) for s in report.sellers
            }
            assert ours_sellers == {
                user_id: (t.sale_count, t.retail_gross, t.return_count, t.retail_returns)
                for user_id, t in generator.employee_totals(day, role="seller", stock_id=stock_id).items()
                if user_id is not None  # the report lists named sellers; receipts without one are in the totals
            }, where


async def test_details_off_limit_on_faults_on_every_report_figure_is_exact(
    session_factory: async_sessionmaker[AsyncSession], start_fake_regos: FakeRegosFactory
) -> None:
    fake = await start_fake_regos(seed=31, start_date=START, days=3, receipts_per_day=60, midnight_receipts=True,
                                  faults={"level": "mild"})
    company_id = (await create_company(session_factory)).id
    await connect(session_factory, fake, company_id)
    client = paced_client(fake)
    try:
        result = await sync_company(session_factory, company_id, date_from=DAYS[0], date_to=DAYS[-1], client=client,
                                    archive_dir=None, options=SyncOptions(archive=False))
    finally:
        await client.aclose()
    assert result.ok and result.reconciled, result
    # Details are off by default: not one per-receipt call, no line stored, and REGOS never refused us.
    assert not fake.methods_called("ChequeItemOperation/Get") and not fake.methods_called("ChequePaymentOperation/Get")
    async with session_factory() as session:
        assert (await session.execute(select(func.count()).select_from(ReceiptLine))).scalar_one() == 0
    assert fake.buckets.refused.get(fake.default_key, 0) == 0
    fake.clear_faults()
    assert_books_match(await read_books(session_factory, company_id, DAYS[0], DAYS[-1]), fake.generator)
    for day in DAYS:
        await assert_report_matches(session_factory, company_id, fake.generator, day)
    # The cash posted to each branch's register (services.cash) comes from the same aggregates.
    branches = await branch_ids(session_factory, company_id)
    async with session_factory() as session:
        cash_types = set((await session.execute(
            select(PaymentType.regos_id).where(PaymentType.company_id == company_id, PaymentType.is_cash.is_(True))
        )).scalars())
        assert cash_types
        for day in DAYS:
            expected = {}
            for stock_id, branch in branches.items():
                payments = fake.generator.day_totals(day, stock_id).payments
                expected[branch] = sum((p.net for t, p in payments.items() if t in cash_types), Decimal("0.00"))
            ours = await cash.regos_cash_sales(session, company_id, day)
            assert {b: ours.get(b, Decimal("0.00")) for b in expected} == expected, day


async def test_a_till_moved_to_another_branch_mid_period_keeps_each_day_in_its_branches(
    session_factory: async_sessionmaker[AsyncSession], start_fake_regos: FakeRegosFactory
) -> None:
    # Till 1 belongs to branch 1 until 14:00 on the second day, then to branch 2; the sync runs afterwards, so
    # REGOS's OperatingCash says "branch 2" for every day: the days before must still count it in branch 1.
    moved_at = RegosDataGenerator(start_date=START, days=3).day_start(DAYS[1]) + 14 * 3600
    fake = await start_fake_regos(seed=5, start_date=START, days=3, receipts_per_day=120,
                                  till_moves=[TillMove(1, moved_at, 2)])
    company_id = (await create_company(session_factory)).id
    await connect(session_factory, fake, company_id)
    client = paced_client(fake)
    try:
        result = await sync_company(session_factory, company_id, date_from=DAYS[0], date_to=DAYS[-1], client=client,
                                    archive_dir=None, options=SyncOptions(archive=False))
    finally:
        await client.aclose()
    assert result.ok and result.reconciled, result
    generator = fake.generator
    before = generator.day_totals(DAYS[0], 1, till_id=1)
    assert before.sale_count > 0  # the first day's till-1 sales are branch 1's
    assert_books_match(await read_books(session_factory, company_id, DAYS[0], DAYS[-1]), generator)
    for day in DAYS:
        await assert_report_matches(session_factory, company_id, generator, day)
    # Cheap: the branch as it was comes from DocCheque/GetShort for the moved till's older receipts only.
    assert len(fake.methods_called("DocCheque/GetShort")) <= 2 * len(DAYS)


async def test_a_day_with_20000_receipts_syncs_exactly(
    session_factory: async_sessionmaker[AsyncSession], start_fake_regos: FakeRegosFactory
) -> None:
    busy = START + timedelta(days=1)
    fake = await start_fake_regos(seed=41, start_date=START, days=2, receipts_per_day=50,
                                  busy_days={busy: 20_000}, faults={"level": "mild"})
    company_id = (await create_company(session_factory)).id
    await connect(session_factory, fake, company_id)
    client = paced_client(fake)
    try:
        result = await sync_company(session_factory, company_id, date_from=busy, date_to=busy, client=client,
                                    archive_dir=None, options=SyncOptions(archive=False, refresh_stock_levels=False))
    finally:
        await client.aclose()
    assert result.ok and result.reconciled, result
    assert result.receipts_listed == len(fake.generator.day(busy).receipts) >= 20_000
    assert fake.buckets.refused.get(fake.default_key, 0) == 0
    # Cost grows with pages, not receipts: 20 pages of headers plus a few calls per branch.
    assert len(fake.request_log) < 80, len(fake.request_log)
    fake.clear_faults()
    assert_books_match(await read_books(session_factory, company_id, busy, busy), fake.generator)
    await assert_report_matches(session_factory, company_id, fake.generator, busy)


async def test_a_key_another_integration_drains_backs_off_says_so_and_finishes_later(
    session_factory: async_sessionmaker[AsyncSession], start_fake_regos: FakeRegosFactory
) -> None:
    fake = await start_fake_regos(seed=51, start_date=START, days=2, receipts_per_day=40)
    company_id = (await create_company(session_factory)).id
    await connect(session_factory, fake, company_id)
    # Another integration spends 1.9 of the key's 2 calls a second and left the bucket empty: 8213 from the start.
    fake.share_key(1.9, start_tokens=0)
    budget = KeyBudget("d" * 64, backend=MemoryBackend(), max_hold=4.0, give_up_after=1.5)
    client = paced_client(fake, budget)
    try:
        first = await sync_company(session_factory, company_id, date_from=DAYS[0], date_to=DAYS[1], client=client,
                                   archive_dir=None, options=SyncOptions(archive=False, refresh_stock_levels=False))
    finally:
        await client.aclose()
    assert budget.throttled > 0 and budget.effective_rate < 2.0  # it backed off
    if not first.ok:  # days it could not finish stay retryable, and the status names the reason
        assert first.rate_limited_days or first.failure is not None
        async with session_factory() as session:
            connection = (await session.execute(select(RegosConnection))).scalar_one()
        assert connection.status == "failing" and "rate_limited" in (connection.last_error or "")
    # The other integration stops; once the hold is over, the next run finishes every day, exactly.
    fake.share_key(0.0, start_tokens=None)
    await asyncio.sleep(budget.held_seconds)
    client = paced_client(fake, budget)
    try:
        second = await sync_company(session_factory, company_id, date_from=DAYS[0], date_to=DAYS[1], client=client,
                                    archive_dir=None, options=SyncOptions(archive=False, refresh_stock_levels=False))
    finally:
        await client.aclose()
    assert second.ok and second.reconciled, second
    async with session_factory() as session:
        connection = (await session.execute(select(RegosConnection))).scalar_one()
    assert connection.status == "ok"
    assert_books_match(await read_books(session_factory, company_id, DAYS[0], DAYS[1]), fake.generator)
    assert sum(d.receipts for d in await read_books(session_factory, company_id, DAYS[0], DAYS[1])) > 0
    assert Decimal(0) <= budget.effective_rate <= 2.0


async def test_a_locked_database_in_the_middle_of_a_day_is_retried_and_the_day_ends_exact(
    session_factory: async_sessionmaker[AsyncSession], start_fake_regos: FakeRegosFactory,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import sqlite3

    from sqlalchemy.exc import OperationalError

    from services.sync import receipts, run

    fake = await start_fake_regos(seed=71, start_date=START, days=1, receipts_per_day=60)
    company_id = (await create_company(session_factory)).id
    await connect(session_factory, fake, company_id)
    failures = {"write": 1, "store": 1}
    real_write, real_store = receipts.ReceiptImporter._write, run.store_day_reports

    def locked() -> OperationalError:
        return OperationalError("INSERT ...", {}, sqlite3.OperationalError("database is locked"))

    async def flaky_write(self: Any, *args: Any) -> None:
        if failures["write"]:
            failures["write"] -= 1
            raise locked()
        await real_write(self, *args)

    async def flaky_store(*args: Any, **kwargs: Any) -> None:
        if failures["store"]:
            failures["store"] -= 1
            raise locked()
        await real_store(*args, **kwargs)

    monkeypatch.setattr(receipts.ReceiptImporter, "_write", flaky_write)
    monkeypatch.setattr(run, "store_day_reports", flaky_store)
    client = paced_client(fake)
    try:
        result = await sync_company(session_factory, company_id, date_from=START, date_to=START, client=client,
                                    archive_dir=None, options=SyncOptions(archive=False, refresh_stock_levels=False))
    finally:
        await client.aclose()
    assert failures == {"write": 0, "store": 0}  # each failed once, and was tried again
    assert result.ok and result.reconciled, result
    assert_books_match(await read_books(session_factory, company_id, START, START), fake.generator)
    await assert_report_matches(session_factory, company_id, fake.generator, START)

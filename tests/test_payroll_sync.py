"""Commissions from sales synced from the fake REGOS gateway with the real sync engine: equal to the generator's own
per-seller totals; days not imported are named; the CLI report gives the same figures as JSON, Excel and PDF."""

from __future__ import annotations

import asyncio
import json
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.cli import main
from db.models import Branch, Employee
from sandbox.regos import FakeRegos, RegosDataGenerator
from services import payroll
from services.payroll import SchemeInput
from services.payroll.calc import percent_of
from services.sync import sync_company
from tests.helpers import FakeRegosFactory, create_company, database_url_for
from tests.sync_support import connect, fast_client

FEBRUARY = date(2025, 2, 1)
DAYS = [FEBRUARY + timedelta(days=i) for i in range(28)]
AFTER = date(2025, 3, 5)
D = Decimal


def seller_truth(generator: RegosDataGenerator, days: list[date]) -> dict[int, Decimal]:
    totals: dict[int, Decimal] = defaultdict(Decimal)
    for day in days:
        for user_id, figures in generator.employee_totals(day, role="seller").items():
            if user_id is not None:
                totals[user_id] += figures.retail_net
    return dict(totals)


def wholesale_truth(generator: RegosDataGenerator, days: list[date]) -> dict[int, Decimal]:
    """The generator's own wholesale net per seller: counted sales by their seller minus counted returns by the
    user they are attached to (a return names no seller)."""
    totals: dict[int, Decimal] = defaultdict(Decimal)
    for day in days:
        data = generator.day(day)
        for doc in data.wholesales:
            if doc.counts_as_revenue:
                totals[doc.attached_user_id] += doc.amount
        for doc in data.wholesale_returns:
            if doc.counts_as_revenue:
                totals[doc.attached_user_id] -= doc.amount
    return dict(totals)


async def sync(session_factory: async_sessionmaker[AsyncSession], fake: FakeRegos, company_id: int,
               first: date, last: date, tmp_path: Path) -> None:
    client = fast_client(fake)
    try:
        result = await sync_company(session_factory, company_id, date_from=first, date_to=last, trigger="manual",
                                    client=client, archive_dir=tmp_path / "archive")
    finally:
        await client.aclose()
    assert result.failure is None


@pytest.fixture
async def fake(start_fake_regos: FakeRegosFactory) -> FakeRegos:
    return await start_fake_regos(seed=21, start_date=FEBRUARY, days=28, receipts_per_day=15, rate_limit=False)


async def test_commissions_equal_the_generators_per_seller_totals(
    session_factory: async_sessionmaker[AsyncSession], engine: AsyncEngine, fake: FakeRegos, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    company_id = (await create_company(session_factory)).id
    await connect(session_factory, fake, company_id)
    await sync(session_factory, fake, company_id, DAYS[0], DAYS[19], tmp_path)
    generator = fake.generator

    async with session_factory() as session:
        employees = (await session.scalars(select(Employee).where(Employee.company_id == company_id))).all()
        assert {e.regos_user_id for e in employees} == {u.id for u in generator.users}
        branch = await session.scalar(select(Branch).where(Branch.company_id == company_id,
                                                           Branch.regos_stock_id == 1))
        assert branch is not None
        for person in employees:
            await payroll.set_scheme(session, company_id=company_id, employee_id=person.id,
                                     effective_from=date(2025, 1, 1),
                                     scheme=SchemeInput(base_salary=D(3_000_000), retail_commission_pct=D("1.5"),
                                                        wholesale_commission_pct=D("0.5")))
        wholesaler = employees[0]
        wholesaler.branch_id = branch.id
        manual = Employee(company_id=company_id, full_name="Not in REGOS")
        session.add(manual)
        await session.flush()
        await payroll.set_scheme(session, company_id=company_id, employee_id=manual.id,
                                 effective_from=date(2025, 1, 1),
                                 scheme=SchemeInput(base_salary=D(2_000_000), retail_commission_pct=D(2)))
        partial = await payroll.compute_draft(session, company_id, FEBRUARY, today=AFTER)
        assert partial.notes["missing_days"] == [d.isoformat() for d in DAYS[20:]]
        assert partial.notes["regos_connected"] is True and partial.notes["sales_complete"] is False
        seller_lines = [line for line in await payroll.run_lines(session, partial.id) if line.retail_sales]
        assert seller_lines and all("sales_incomplete" in [w["code"] for w in line.warnings] for line in seller_lines)
        await session.commit()

    await sync(session_factory, fake, company_id, DAYS[20], DAYS[27], tmp_path)
    truth = seller_truth(generator, DAYS)
    assert len(truth) >= 3
    async with session_factory() as session:
        run = await payroll.compute_draft(session, company_id, FEBRUARY, today=AFTER)
        assert run.notes["missing_days"] == [] and run.notes["sales_complete"] is True
        lines = {line.regos_user_id: line for line in await payroll.run_lines(session, run.id)}
        for user_id, net in truth.items():
            line = lines[user_id]
            assert line.retail_sales == net, user_id
            assert line.retail_commission == percent_of(net, D("1.5")), user_id
            assert "sales_incomplete" not in [w["code"] for w in line.warnings]
        for key, line in lines.items():
            if key is not None and key not in truth:
                assert line.retail_sales == 0 and line.retail_commission == 0
        by_seller = wholesale_truth(generator, DAYS)
        assert by_seller and all(net > 0 for net in by_seller.values())
        for key, line in lines.items():  # each seller's own wholesale, whatever their branch
            if key is None:
                continue
            net = by_seller.get(key, D(0))
            assert line.wholesale_sales == net, key
            assert line.wholesale_commission == percent_of(net, D("0.5")), key
        assert lines[wholesaler.regos_user_id].wholesale_sales == by_seller.get(wholesaler.regos_user_id or 0, D(0))
        unmapped = lines[None]
        assert unmapped.retail_commission == 0 and unmapped.warnings[0]["code"] == "no_regos_user"
        await session.commit()

    monkeypatch.setenv("DATABASE_URL", database_url_for(engine))
    assert await asyncio.to_thread(main, ["report", "payroll", "--company", str(company_id), "--month",
                                          "2025-02"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["month"] == "2025-02" and data["status"] == "draft"
    rows = {e["regos_user_id"]: e for e in data["employees"]}
    for user_id, net in truth.items():
        assert rows[user_id]["retail_sales"] == f"{net:.2f}"
        assert rows[user_id]["retail_commission"] == f"{percent_of(net, D('1.5')):.2f}"
    expected_keys = {"name", "regos_user_id", "days_worked", "base", "retail_sales", "retail_commission",
                     "wholesale_sales", "wholesale_commission", "bonus", "deductions", "gross", "pit", "pit_budget",
                     "inps", "advance", "net", "social_tax", "warnings"}
    assert all(expected_keys <= set(row) for row in data["employees"])
    gross = sum((D(row["gross"]) for row in data["employees"]), D(0))
    assert data["totals"]["gross"] == f"{gross:.2f}"

    out = tmp_path / "register.xlsx"
    assert await asyncio.to_thread(main, ["report", "payroll", "--company", str(company_id), "--month", "2025-02",
                                          "--format", "xlsx", "--out", str(out), "--locale", "ru"]) == 0
    sheet = load_workbook(out).worksheets[0]
    values = list(sheet.iter_rows(values_only=True))
    assert values[1][0] == "Сотрудник"
    total_row = next(row for row in values if row[0] == "Итого")
    assert D(str(total_row[values[1].index("Начислено")])) == gross

    pdf = tmp_path / "register.pdf"
    assert await asyncio.to_thread(main, ["report", "payroll", "--company", str(company_id), "--month", "2025-02",
                                          "--format", "pdf", "--out", str(pdf)]) == 0
    assert pdf.read_bytes().startswith(b"%PDF")
    capsys.readouterr()
    assert await asyncio.to_thread(main, ["report", "payroll", "--company", str(company_id), "--month",
                                          "2025-13"]) == 2
    assert "--month is YYYY-MM" in capsys.readouterr().err
    assert await asyncio.to_thread(main, ["report", "payroll", "--company", "999", "--month", "2025-02"]) == 2

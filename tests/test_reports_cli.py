"""`python -m bot report sales`: the same figures as /sales, as JSON on stdout or as a file."""

from __future__ import annotations

import asyncio
import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.cli import main
from sandbox.regos import RegosDataGenerator
from tests.helpers import create_company, database_url_for
from tests.reports_support import copy_generated, expected_totals


async def run_cli(*args: str) -> int:
    # The CLI runs its own event loop, so it gets a thread of its own.
    return await asyncio.to_thread(main, ["report", "sales", *args])


async def test_cli_report_gives_the_generators_figures(
    engine: AsyncEngine, session_factory: async_sessionmaker[AsyncSession], monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str], tmp_path: Path,
) -> None:
    generator = RegosDataGenerator(seed=12, start_date=date(2025, 3, 3), days=10, receipts_per_day=20)
    async with session_factory() as session:
        company = await create_company(session, name="Baraka Savdo")
        seeded = await copy_generated(session, company.id, generator)
        await session.commit()
    monkeypatch.setenv("DATABASE_URL", database_url_for(engine))
    truth = expected_totals(generator, date(2025, 3, 4), date(2025, 3, 10))

    assert await run_cli("--company", str(company.id), "--from", "4.03.2025", "--to", "2025-03-10") == 0
    data = json.loads(capsys.readouterr().out)
    assert data["period"] == {"first": "2025-03-04", "last": "2025-03-10", "kind": "custom", "days": 7}
    assert data["totals"]["net_sales"] == f"{truth.total_net:.2f}"
    assert data["totals"]["retail_returns"] == f"{truth.retail_returns:.2f}"
    assert data["totals"]["receipts"] == truth.sale_count
    assert {p["regos_id"]: p["sales"] for p in data["payments"]} == {
        type_id: f"{p.sale_amount:.2f}" for type_id, p in truth.payments.items()}

    branch = seeded.branch_by_stock[3]
    assert await run_cli("--company", str(company.id), "--from", "2025-03-04", "--to", "2025-03-10",
                         "--branch", str(branch)) == 0
    one = json.loads(capsys.readouterr().out)
    branch_truth = expected_totals(generator, date(2025, 3, 4), date(2025, 3, 10), stock_ids=[3])
    assert one["totals"]["net_sales"] == f"{branch_truth.total_net:.2f}"
    assert one["branches_scope"] == [{"id": branch, "name": generator.stocks[2].name}]

    out = tmp_path / "week.xlsx"
    assert await run_cli("--company", str(company.id), "--from", "4 March 2025", "--to", "10 марта 2025",
                         "--format", "xlsx", "--out", str(out), "--locale", "ru") == 0
    summary = {row[0]: row[1] for row in load_workbook(out)["Итоги"].iter_rows(min_row=2, values_only=True) if row[0]}
    assert Decimal(str(summary["Чистые продажи"])) == truth.total_net

    assert await run_cli("--company", str(company.id), "--from", "31.02.2025", "--format", "csv") == 2
    assert "There is no such date: 31.02.2025" in capsys.readouterr().err
    assert await run_cli("--company", "999", "--from", "2025-03-04") == 2
    assert await run_cli("--company", str(company.id), "--from", "2025-03-04", "--branch", "999") == 2

"""`python -m bot report cash`: the registers' balances and movements of a period, as JSON on stdout or Excel."""

from __future__ import annotations

import asyncio
import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.cli import main
from db import repositories as repo
from db.finance import MovementKind
from db.models import User
from services import cash
from tests.helpers import create_company, database_url_for


async def run_cli(*args: str) -> int:
    return await asyncio.to_thread(main, ["report", "cash", *args])  # the CLI runs its own event loop


async def test_cli_cash_report(engine: AsyncEngine, session_factory: async_sessionmaker[AsyncSession],
                               monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
                               tmp_path: Path) -> None:
    async with session_factory() as session:
        company = await create_company(session, owner=5001, branches=["North", "South"])
        owner_user = await session.scalar(select(User).where(User.telegram_id == 5001))
        assert owner_user is not None
        owner = await repo.membership(session, owner_user.id, company.id)
        assert owner is not None
        north, south = await cash.ensure_registers(session, company.id)
        for day, kind, amount, target in [(date(2026, 11, 2), MovementKind.DEPOSIT, "400000", None),
                                          (date(2026, 11, 3), MovementKind.TRANSFER_OUT, "100000", south.id),
                                          (date(2026, 11, 4), MovementKind.COLLECTION, "50000", None)]:
            await cash.record_operation(session, membership=owner, user=owner_user, kind=kind, register_id=north.id,
                                        amount=Decimal(amount), today=day, target_register_id=target)
        await session.commit()
        company_id, north_branch = company.id, north.branch_id
    monkeypatch.setenv("DATABASE_URL", database_url_for(engine))

    assert await run_cli("--company", str(company_id), "--from", "3.11.2026", "--to", "2026-11-30") == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["from"], data["to"], data["opening"], data["closing"]) == (
        "2026-11-03", "2026-11-30", "400000.00", "350000.00")
    north_row = data["registers"][0]
    assert north_row["by_kind"] == {"collection": "-50000.00", "transfer_out": "-100000.00"}
    assert [m["kind"] for m in north_row["movements"]] == ["transfer_out", "collection"]

    assert await run_cli("--company", str(company_id), "--from", "2026-11-01", "--to", "2026-11-30",
                         "--branch", str(north_branch)) == 0
    assert [r["name"] for r in json.loads(capsys.readouterr().out)["registers"]] == ["North"]

    out = tmp_path / "cash.xlsx"
    assert await run_cli("--company", str(company_id), "--from", "2026-11-01", "--to", "2026-11-30",
                         "--format", "xlsx", "--out", str(out), "--locale", "uz") == 0
    rows = list(load_workbook(out)["Kassalar"].iter_rows(values_only=True))
    assert rows[0][0] == "Kassa" and rows[-1][0] == "Jami" and Decimal(str(rows[-1][4])) == Decimal("350000")

    assert await run_cli("--company", "999", "--from", "2026-11-01") == 2
    assert await run_cli("--company", str(company_id), "--from", "2026-11-05", "--to", "2026-11-01") == 2
    assert await run_cli("--company", str(company_id), "--from", "2026-11-01", "--branch", "777") == 2

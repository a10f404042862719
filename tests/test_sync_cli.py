"""`python -m bot regos connect` and `python -m bot sync regos --json` as an operator runs them, against a fake
REGOS started by the test: exit codes, one JSON object on stdout, figures equal to the fake's ground truth."""

from __future__ import annotations

import asyncio
import json
import sys
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from db.regos_data import RegosConnection
from sandbox.regos import FakeRegos
from tests.helpers import FakeRegosFactory, create_company, database_url_for
from tests.sync_support import START

ROOT = Path(__file__).resolve().parent.parent
SECRET_KEY = "cli-test-secret-key-0123456789"
FIRST, LAST = START + timedelta(days=4), START + timedelta(days=5)


@pytest.fixture
async def fake(start_fake_regos: FakeRegosFactory) -> FakeRegos:
    return await start_fake_regos(seed=41, start_date=START, days=7, receipts_per_day=40)


async def cli(engine: AsyncEngine, tmp_path: Path, *args: str) -> tuple[int, str, str]:
    env = {
        "PATH": "/usr/bin:/bin",
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": database_url_for(engine),
        "SECRET_KEY": SECRET_KEY,
        "LOG_LEVEL": "WARNING",
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", *args, cwd=tmp_path, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )
    stdout, stderr = await asyncio.wait_for(process.communicate(), timeout=60)
    assert process.returncode is not None
    return process.returncode, stdout.decode(), stderr.decode()


async def test_connect_then_sync_prints_the_books_as_json(
    engine: AsyncEngine, session_factory: async_sessionmaker[AsyncSession], fake: FakeRegos, tmp_path: Path
) -> None:
    company_id = (await create_company(session_factory)).id

    code, out, err = await cli(
        engine, tmp_path, "regos", "connect", "--company", str(company_id), "--key", "f" * 32,
        "--gateway", fake.gateway_url,
    )
    assert code == 1 and out == ""
    assert err.strip().startswith("error: REGOS rejected the key") and "9002" in err

    code, out, err = await cli(
        engine, tmp_path, "regos", "connect", "--company", str(company_id), "--key", fake.default_key,
        "--gateway", fake.gateway_url,
    )
    assert code == 0, err
    assert out.startswith("connected: 3 branches found") and fake.default_key not in out

    # This fake allows far more than REGOS's 2 requests/s; tell the connection so the test stays fast.
    async with session_factory.begin() as session:
        connection = (await session.execute(select(RegosConnection))).scalar_one()
        connection.settings = {**connection.settings, "rate_per_second": 500, "burst": 500}

    code, out, err = await cli(
        engine, tmp_path, "sync", "regos", "--company", str(company_id), "--from", FIRST.isoformat(),
        "--to", LAST.isoformat(), "--json", "--archive-dir", str(tmp_path / "archive"),
    )
    assert code == 0, err
    assert "\r" not in err  # no progress bar when stderr is not a terminal
    document = json.loads(out)  # exactly one JSON object
    assert list(document) == ["days", "status", "short_days"] and len(document["days"]) == 2
    assert document["short_days"] == []
    for day_doc in document["days"]:
        assert list(day_doc)[:7] == [
            "date", "receipts", "retail_gross", "retail_returns", "retail_net", "wholesale_net", "branches"
        ]
        assert day_doc["state"] == "final"
        truth = fake.generator.day_totals(fake.generator.config.start_date.fromisoformat(day_doc["date"]))
        assert day_doc["receipts"] == truth.sale_count
        for name in ("retail_gross", "retail_returns", "retail_net", "wholesale_net"):
            assert isinstance(day_doc[name], str) and Decimal(day_doc[name]) == getattr(truth, name)
            assert day_doc[name] == f"{getattr(truth, name):.2f}"
        for branch in day_doc["branches"]:
            assert list(branch) == ["regos_stock_id", "name", "receipts", "retail_net", "wholesale_net"]
            expected = fake.generator.day_totals(truth.day, branch["regos_stock_id"])
            assert branch["receipts"] == expected.sale_count
            assert branch["retail_net"] == f"{expected.retail_net:.2f}"
            assert branch["wholesale_net"] == f"{expected.wholesale_net:.2f}"
    assert (tmp_path / "archive" / str(company_id) / f"{FIRST.isoformat()}.json.gz").exists()

"""`python -m bot ask`: the answer text as the bot sends it (figures from the generator's ground truth), --json
with the tool calls and figures, a forecast, the operator's --log with feedback, and no Telegram machinery loaded."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.cli import main
from db.models import Role
from sandbox.regos import RegosDataGenerator
from services.ai import assistant
from services.locale import format_money
from tests.helpers import add_member, create_company, database_url_for, local_today
from tests.reports_support import copy_generated, expected_totals

ROOT = Path(__file__).resolve().parents[1]


async def run_cli(*args: str) -> int:
    return await asyncio.to_thread(main, ["ask", *args])


async def test_cli_answers_forecasts_and_logs(engine: AsyncEngine, session_factory: async_sessionmaker[AsyncSession],
                                             monkeypatch: pytest.MonkeyPatch,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    today = local_today()
    yesterday = today - timedelta(days=1)
    generator = RegosDataGenerator(seed=21, start_date=today - timedelta(days=42), days=42, receipts_per_day=12)
    async with session_factory() as session:
        company = await create_company(session, name="Baraka Savdo")
        await copy_generated(session, company.id, generator, last=yesterday)
        await add_member(session, company.id, 9001, Role.OWNER, language="ru")
        await add_member(session, company.id, 9002, Role.CASHIER)
        await session.commit()
    monkeypatch.setenv("DATABASE_URL", database_url_for(engine))
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    truth = expected_totals(generator, yesterday, yesterday)

    assert await run_cli("--company", str(company.id), "kecha qancha savdo boʻldi") == 0
    text = capsys.readouterr().out
    assert f"Sof savdo: <b>{format_money(truth.total_net, 'uz')}</b>" in text

    assert await run_cli("--company", str(company.id), "--user", "9001", "--json", "а позавчера?") == 0
    follow = json.loads(capsys.readouterr().out)  # the follow-up reuses the last question of the same person
    assert follow["tool"] == "sales_summary" and follow["language"] == "ru"
    before = yesterday - timedelta(days=1)
    assert Decimal(follow["result"]["totals"]["net_sales"]) == expected_totals(generator, before, before).total_net

    assert await run_cli("--company", str(company.id), "--json", "forecast next 7 days") == 0
    forecast = json.loads(capsys.readouterr().out)
    assert forecast["tool"] == "forecast_sales" and forecast["result"]["method"] == "holt_winters"
    days = forecast["result"]["days"]
    assert len(days) == 7 and days[0]["day"] == today.isoformat()
    assert all(Decimal(d["low"]) <= Decimal(d["forecast"]) <= Decimal(d["high"]) for d in days)
    assert "Forecast" in forecast["text"] and "Error on the last week held out" in forecast["text"]

    assert await run_cli("--company", str(company.id), "--user", "9002", "sales yesterday") == 1  # a cashier
    assert "error:" in capsys.readouterr().err
    assert await run_cli("--company", str(company.id) + "9", "sales") == 1
    capsys.readouterr()

    async with session_factory() as session:
        rows = await assistant.recent(session, company.id)
        assert await assistant.give_feedback(session, company.id, rows[-1].id, rows[-1].telegram_id or 0, -1,
                                             "wrong")
        await session.commit()
    assert await run_cli("--log", "--company", str(company.id), "--negative", "--json") == 0
    logged = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(r["question"], r["feedback"], r["reason"]) for r in logged] == [("kecha qancha savdo boʻldi", -1,
                                                                              "wrong")]
    assert logged[0]["tools"][0]["name"] == "sales_summary"


def test_cli_does_not_load_telegram_machinery(tmp_path: Path) -> None:
    code = ("import sys\nfrom bot.cli import main\nmain(['ask', '--log'])\n"
            "assert not [m for m in sys.modules if m.startswith('aiogram')], 'aiogram loaded'\n")
    env = {**os.environ, "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'x.db'}"}
    subprocess.run([sys.executable, "-m", "bot", "migrate"], cwd=ROOT, env=env, check=True, capture_output=True)
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_cli_start_up_loads_only_what_an_answer_needs(tmp_path: Path) -> None:
    """No files, charts, Alembic or sync machinery for one question (the cold-start budget of issue 16)."""
    code = ("import sys\nfrom bot.cli import main\nmain(['ask', '--company', '1', '--offline', 'kecha savdo'])\n"
            "heavy = [m for m in ('openpyxl', 'matplotlib', 'reportlab', 'statsmodels', 'alembic', 'services.sync',"
            " 'aiogram') if m in sys.modules]\nassert not heavy, heavy\n")
    env = {**os.environ, "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'x.db'}"}
    env.pop("OPENAI_API_KEY", None)
    subprocess.run([sys.executable, "-m", "bot", "migrate"], cwd=ROOT, env=env, check=True, capture_output=True)
    subprocess.run([sys.executable, "-m", "bot", "company", "create", "--name", "Baraka", "--tin", "123456789",
                    "--owner-telegram-id", "5"], cwd=ROOT, env=env, check=True, capture_output=True)
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "soʻm" in done.stdout or "so'm" in done.stdout, done.stdout


def test_cheap_start_up_checks_agree_with_their_sources() -> None:
    from db.migrate import head_revision, scanned_head
    from services.reports import coverage
    from services.sync.locks import DAY_JOB, ClaimStatus

    assert scanned_head() == head_revision()
    assert coverage.DAY_JOB == DAY_JOB
    assert ClaimStatus.DONE.value == coverage.CLAIM_DONE

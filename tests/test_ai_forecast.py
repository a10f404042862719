"""Forecasts and advice: Holt-Winters with a weekly season on four weeks or more, a damped trend on two to four,
a refusal below two weeks that says how much is needed; an interval around the point, a backtest error; days not
imported filled and counted, never read as zero sales; advice rows resting on the figures."""

from __future__ import annotations

import math
from datetime import date, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db import repositories as repo
from db.models import Role
from sandbox.regos import RegosDataGenerator
from services.ai import tools
from services.ai.answer import answer
from services.ai.forecast import MIN_DAYS, ShortHistory, fit_forecast, usable_history
from services.ai.tools import ToolContext
from tests.helpers import add_member, create_company
from tests.reports_support import copy_generated

START = date(2026, 10, 1)


def _weekly(days: int) -> list[float]:
    return [1000 + 400 * (i % 7 == 5) + 200 * math.sin(i / 3) + 5 * i for i in range(days)]


def test_methods_intervals_and_refusal() -> None:
    seasonal = fit_forecast(_weekly(56), START, 14)
    assert seasonal.method == "holt_winters" and len(seasonal.days) == 14 and seasonal.days[0] == START + timedelta(56)
    assert all(lo <= p <= hi for lo, p, hi in zip(seasonal.low, seasonal.point, seasonal.high, strict=True))
    assert seasonal.total[1] <= seasonal.total[0] <= seasonal.total[2]
    assert seasonal.backtest_wape is not None and seasonal.backtest_wape < 25
    short = fit_forecast(_weekly(20), START, 7)
    assert short.method == "holt" and short.backtest_wape is None  # 20 days: no room to hold a week out
    with pytest.raises(ShortHistory) as refused:
        fit_forecast(_weekly(MIN_DAYS - 1), START, 7)
    assert refused.value.have == MIN_DAYS - 1


def test_history_starts_at_the_first_import_and_fills_gaps() -> None:
    days = [START + timedelta(days=i) for i in range(20)]
    values = {d: float(i + 1) for i, d in enumerate(days)}
    missing = {days[0], days[1], days[12]}
    first, history, filled = usable_history(days, values, missing)
    assert first == days[2] and len(history) == 18 and filled == 1
    assert history[10] == history[3]  # day 12 took the same weekday a week before, not a zero


@pytest.fixture
async def owner_ctx(session_factory: async_sessionmaker[AsyncSession]):  # type: ignore[no-untyped-def]
    async with session_factory() as session:
        company = await create_company(session, name="Baraka Savdo")
        generator = RegosDataGenerator(seed=9, start_date=START, days=35, receipts_per_day=12)
        await copy_generated(session, company.id, generator)
        user = await add_member(session, company.id, 801, Role.OWNER)
        membership = await repo.membership(session, user.id, company.id)
        assert membership is not None
        yield ToolContext(session, membership, START + timedelta(days=35), "en"), generator


async def test_forecast_and_advice_tools(owner_ctx) -> None:  # type: ignore[no-untyped-def]
    ctx, generator = owner_ctx
    data = await tools.call(ctx, "forecast_sales", {"days": 7})
    assert data["method"] == "holt_winters" and data["history_days"] == 35 and data["filled_days"] == 0
    assert len(data["days"]) == 7 and data["days"][0]["day"] == ctx.today.isoformat()
    item = generator.items[0].id
    product = await tools.call(ctx, "forecast_sales", {"days": 3, "item_regos_id": item})
    assert product["unit"] == "quantity" and product["target"]["name"] == generator.items[0].name
    with pytest.raises(tools.ToolError):
        await tools.call(ctx, "forecast_sales", {"days": 3, "item_regos_id": 10**9})

    text = (await answer(ctx, "forecast next 7 days")).text
    assert "Likely between" in text and "Error on the last week held out" in text

    early = ToolContext(ctx.session, ctx.membership, START + timedelta(days=10), "en")
    refused = await answer(early, "forecast next week")
    assert refused.tool is None and "10 days imported, at least 14 are needed" in refused.text

    advice = await tools.call(ctx, "advice", {})
    assert advice["demand_days"] == 28 and advice["missing_days"] == []
    for row in advice["reorder"]:
        assert float(row["on_hand"]) < float(row["daily_demand"]) * 10
    assert "Advice" in (await answer(ctx, "what should i reorder")).text

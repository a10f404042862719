"""Forecasts from the company's own history: daily net sales (company or branches) or a product's daily quantity
for the next days, with Holt-Winters exponential smoothing (statsmodels) and weekly seasonality when there are at
least four weeks of history, a damped Holt trend on two to four weeks, and a refusal below two weeks (saying how
much is needed). The answer is an interval (10th-90th percentile of simulated paths), never a bare point, with the
error of the same method on the last week held out (backtest). Days never imported are not zeros: a gap inside the
history is filled from the same weekday and counted; the history starts at the first imported day.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache
from typing import Any

from sqlalchemy import func, select, type_coerce
from sqlalchemy.types import Numeric

from db.regos_data import DayItemSales, Item, Receipt, ReceiptLine
from services.reports import day_aggregates
from services.reports.periods import Period
from services.reports.sales import _counting_lines, _receipt_filter, daily_series

HISTORY_DAYS = 182
MIN_DAYS = 14  # below this, no forecast
SEASONAL_DAYS = 28  # four weeks: Holt-Winters with a weekly season
BACKTEST_DAYS = 7
PATHS = 400
_Q = Numeric(18, 3)


class ShortHistory(Exception):
    def __init__(self, have: int) -> None:
        super().__init__(have)
        self.have = have


@dataclass(slots=True)
class Fit:
    method: str  # holt_winters | holt
    days: list[date]
    point: list[float]
    low: list[float]
    high: list[float]
    total: tuple[float, float, float]  # point, low, high of the sum over the horizon
    backtest_wape: float | None  # weighted absolute percentage error on the held-out last week


def _model(values: list[float]) -> Any:
    from statsmodels.tsa.holtwinters import ExponentialSmoothing

    if len(values) >= SEASONAL_DAYS:
        return "holt_winters", ExponentialSmoothing(values, trend="add", damped_trend=True, seasonal="add",
                                                    seasonal_periods=7, initialization_method="estimated")
    return "holt", ExponentialSmoothing(values, trend="add", damped_trend=True, initialization_method="estimated")


def _fit(values: list[float]) -> Any:
    import warnings

    method, model = _model(values)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # convergence chatter on short or flat series
        return method, model.fit()


def fit_forecast(history: list[float], first_day: date, horizon: int) -> Fit:
    """Forecast `horizon` days after the history (whose first value is `first_day`). Pure and seeded, so the same
    history asked again (several people, "and next week?") is answered from memory, not fitted again."""
    if len(history) < MIN_DAYS:
        raise ShortHistory(len(history))
    fit = _fit_forecast(tuple(history), first_day, horizon)
    return Fit(fit.method, list(fit.days), list(fit.point), list(fit.low), list(fit.high), fit.total,
               fit.backtest_wape)


@lru_cache(maxsize=64)
def _fit_forecast(values: tuple[float, ...], first_day: date, horizon: int) -> Fit:
    import numpy as np

    history = list(values)
    method, fitted = _fit(history)
    point = [max(0.0, float(v)) for v in fitted.forecast(horizon)]
    import inspect

    seed = "rng" if "rng" in inspect.signature(fitted.simulate).parameters else "random_state"
    simulated = fitted.simulate(horizon, repetitions=PATHS, error="add", **{seed: np.random.RandomState(7)})
    paths = np.asarray(simulated).reshape(horizon, -1)
    paths = np.clip(paths, 0, None)
    low = [float(v) for v in np.percentile(paths, 10, axis=1)]
    high = [float(v) for v in np.percentile(paths, 90, axis=1)]
    sums = paths.sum(axis=0)
    total = (sum(point), float(np.percentile(sums, 10)), float(np.percentile(sums, 90)))
    wape = None
    if len(history) >= MIN_DAYS + BACKTEST_DAYS:
        train, test = history[:-BACKTEST_DAYS], history[-BACKTEST_DAYS:]
        _, back = _fit(train)
        guess = [max(0.0, float(v)) for v in back.forecast(BACKTEST_DAYS)]
        actual = sum(abs(v) for v in test)
        wape = (sum(abs(a - g) for a, g in zip(test, guess, strict=True)) / actual * 100) if actual else None
    start = first_day + timedelta(days=len(history))
    return Fit(method, [start + timedelta(days=i) for i in range(horizon)], point,
               [min(lo, p) for lo, p in zip(low, point, strict=True)],
               [max(hi, p) for hi, p in zip(high, point, strict=True)],
               (total[0], min(total[1], total[0]), max(total[2], total[0])), wape)


def usable_history(days: list[date], values: dict[date, float], missing: set[date]) -> tuple[date, list[float], int]:
    """From the first imported day to the last: inner gaps take the same weekday's last value; returns the first
    day, the values and how many days were filled."""
    known = [d for d in days if d not in missing]
    if not known:
        return days[-1] if days else date.min, [], 0
    first = known[0]
    out: list[float] = []
    filled = 0
    for day in (d for d in days if d >= first):
        if day in missing:
            out.append(out[-7] if len(out) >= 7 else (sum(out) / len(out) if out else 0.0))
            filled += 1
        else:
            out.append(values.get(day, 0.0))
    return first, out, filled


async def _product_days(session: Any, company_id: int, period: Period, branch_ids: list[int] | None,
                        item: int) -> dict[date, float]:
    """A product's net retail quantity per day (REGOS aggregates where the day has them, else receipts)."""
    aggregated = await day_aggregates.aggregate_days(session, company_id, period)
    found: dict[date, float] = {}
    if aggregated:
        query = (select(DayItemSales.business_day, type_coerce(func.sum(DayItemSales.sold_quantity
                                                                        - DayItemSales.returned_quantity), _Q))
                 .where(DayItemSales.company_id == company_id, DayItemSales.item_regos_id == item,
                        DayItemSales.business_day.in_(aggregated)).group_by(DayItemSales.business_day))
        if branch_ids is not None:
            query = query.where(DayItemSales.branch_id.in_(branch_ids))
        for day, quantity in await session.execute(query):
            found[day] = float(quantity or 0)
    rows = await session.execute(
        select(Receipt.business_day, Receipt.is_return, type_coerce(func.sum(ReceiptLine.quantity), _Q))
        .join(Receipt, Receipt.id == ReceiptLine.receipt_id)
        .where(*_receipt_filter(company_id, period, branch_ids), *_counting_lines(),
               ReceiptLine.item_regos_id == item, Receipt.business_day.not_in(aggregated))
        .group_by(Receipt.business_day, Receipt.is_return))
    for day, is_return, quantity in rows:
        found[day] = found.get(day, 0.0) + (-1 if is_return else 1) * float(quantity or 0)
    return found


def _round(value: float, product: bool) -> str:
    if product:
        return str(Decimal(str(round(value, 1))).normalize() if value else Decimal(0))
    step = 1000  # whole thousands of so'm: a forecast has no kopeks
    return f"{Decimal(round(value / step) * step):.2f}"


async def forecast_tool(ctx: Any, args: Any) -> dict[str, Any]:
    from services.ai.tools import ToolError, _scope

    branch_ids, branches = await _scope(ctx, args.branch_ids)
    last = ctx.today - timedelta(days=1)  # today is not over yet
    period = Period(last - timedelta(days=HISTORY_DAYS - 1), last)
    series = await daily_series(ctx.session, ctx.company_id, period, branch_ids=branch_ids, today=ctx.today)
    missing = set().union(*series.missing.values()) if series.missing else set()
    product_name = None
    if args.item_regos_id is not None:
        product_name = await ctx.session.scalar(select(Item.name).where(
            Item.company_id == ctx.company_id, Item.regos_id == args.item_regos_id))
        if product_name is None:
            raise ToolError("ai-error-unknown-product")
        values = await _product_days(ctx.session, ctx.company_id, period, branch_ids, args.item_regos_id)
    else:
        values = {day: float(sum((series.net[b].get(day, Decimal(0)) for b in series.net), Decimal(0)))
                  for day in series.days}
    first, history, filled = usable_history(series.days, values, missing)
    try:
        fit = fit_forecast(history, first, args.days)
    except ShortHistory as short:
        raise ToolError("ai-forecast-short", have=short.have, need=MIN_DAYS) from short
    product = args.item_regos_id is not None
    return {
        "target": {"item_regos_id": args.item_regos_id, "name": product_name,
                   "branches": [b.name for b in branches] if args.branch_ids else None},
        "unit": "quantity" if product else "net_sales", "method": fit.method, "history_days": len(history),
        "history_first": first.isoformat(), "filled_days": filled,
        "days": [{"day": d.isoformat(), "forecast": _round(p, product), "low": _round(lo, product),
                  "high": _round(hi, product)} for d, p, lo, hi in zip(fit.days, fit.point, fit.low, fit.high,
                                                                        strict=True)],
        "total": {"forecast": _round(fit.total[0], product), "low": _round(fit.total[1], product),
                  "high": _round(fit.total[2], product)},
        "backtest_wape": None if fit.backtest_wape is None else f"{fit.backtest_wape:.1f}",
        "recent": [{"day": (first + timedelta(days=i)).isoformat(), "value": v}
                   for i, v in list(enumerate(history))[-28:]],
    }


def forecast_chart_png(data: dict[str, Any], title: str) -> bytes:
    """The last four weeks and the forecast with its 80% band."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(8.0, 4.5), dpi=110)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    recent = data["recent"]
    xs = list(range(len(recent)))
    axes.plot(xs, [r["value"] for r in recent], marker="o", markersize=3, linewidth=1.6)
    ahead = list(range(len(recent), len(recent) + len(data["days"])))
    axes.plot(ahead, [float(d["forecast"]) for d in data["days"]], linestyle="--", linewidth=1.6)
    axes.fill_between(ahead, [float(d["low"]) for d in data["days"]], [float(d["high"]) for d in data["days"]],
                      alpha=0.25)
    labels = [r["day"][8:10] + "." + r["day"][5:7] for r in recent] + \
        [d["day"][8:10] + "." + d["day"][5:7] for d in data["days"]]
    step = max(1, math.ceil(len(labels) / 10))
    axes.set_xticks(list(range(len(labels)))[::step], labels[::step])
    axes.set_title("".join(ch for ch in title if ord(ch) < 0x2000).strip().replace("$", r"\$"))
    axes.grid(True, alpha=0.3)
    axes.set_ylim(bottom=0)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()

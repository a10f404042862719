"""Advice from the company's own figures (read-only): what to reorder (stock on hand against the last four weeks'
daily demand and the lead time), dead stock (on hand, unsold for N days), overstock (more than 90 days of demand),
branches and sellers whose last week fell behind the week before, and returns unusually high against the month
before. Every row carries the figures it rests on; days not imported in a window are named.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from services.reports.periods import Period
from services.reports.sales import sales_report

DEMAND_DAYS = 28
SAFETY_DAYS = 3
OVERSTOCK_DAYS = 90
FALL_PCT = Decimal(20)  # a week this much below the week before is "falling behind"
MAX_ROWS = 5
_ZERO = Decimal(0)


def _q(value: Decimal) -> str:
    return str(value.quantize(Decimal("0.1")).normalize() if value else Decimal(0))


def _m(value: Decimal) -> str:
    return f"{value:.2f}"


def _drop(now: Decimal, before: Decimal) -> Decimal | None:
    if before <= 0:
        return None
    return ((before - now) / before * 100).quantize(Decimal("0.1"))


async def advice_tool(ctx: Any, args: Any) -> dict[str, Any]:
    from services.ai.tools import StockArgs, _scope, _stock_rows, missing_days

    branch_ids, _ = await _scope(ctx, args.branch_ids)
    last = ctx.today - timedelta(days=1)
    demand_period = Period(last - timedelta(days=DEMAND_DAYS - 1), last)
    demand = await sales_report(ctx.session, ctx.company_id, demand_period, branch_ids=branch_ids, compare=False,
                                top_products=10_000)
    missing = await missing_days(ctx, demand_period, demand, branch_ids)
    counted_days = max(1, DEMAND_DAYS - len(missing))
    sold = {p.item_regos_id: p.sold_quantity - p.returned_quantity for p in demand.products if p.item_regos_id}
    dead_period = Period(last - timedelta(days=args.dead_days - 1), last)
    dead_report = demand if args.dead_days == DEMAND_DAYS else await sales_report(
        ctx.session, ctx.company_id, dead_period, branch_ids=branch_ids, compare=False, top_products=10_000)
    sold_recently = {p.item_regos_id for p in dead_report.products if p.sold_quantity > 0}
    stock = await _stock_rows(ctx, StockArgs(branch_ids=args.branch_ids, limit=50))
    reorder: list[dict[str, Any]] = []
    dead: list[dict[str, Any]] = []
    overstock: list[dict[str, Any]] = []
    for item, on_hand in stock:
        daily = sold.get(item.regos_id, _ZERO) / counted_days
        need = daily * (args.lead_time_days + SAFETY_DAYS)
        if daily > 0 and on_hand < need:
            days_left = (on_hand / daily).quantize(Decimal("0.1")) if on_hand > 0 else _ZERO
            reorder.append({"item_regos_id": item.regos_id, "name": item.name, "unit": item.unit,
                            "on_hand": _q(on_hand), "daily_demand": _q(daily), "days_left": _q(days_left),
                            "order": _q((daily * (args.lead_time_days + DEMAND_DAYS // 2) - on_hand).max(_ZERO))})
        elif on_hand > 0 and item.regos_id not in sold_recently:
            dead.append({"item_regos_id": item.regos_id, "name": item.name, "unit": item.unit,
                         "on_hand": _q(on_hand)})
        elif daily > 0 and on_hand > daily * OVERSTOCK_DAYS:
            overstock.append({"item_regos_id": item.regos_id, "name": item.name, "unit": item.unit,
                              "on_hand": _q(on_hand), "days_of_stock": _q(on_hand / daily)})
    reorder.sort(key=lambda r: Decimal(r["days_left"]))
    dead.sort(key=lambda r: -Decimal(r["on_hand"]))
    overstock.sort(key=lambda r: -Decimal(r["days_of_stock"]))

    week = Period(last - timedelta(days=6), last)
    before = Period(week.first - timedelta(days=7), week.first - timedelta(days=1))
    now_report = await sales_report(ctx.session, ctx.company_id, week, branch_ids=branch_ids, compare=False,
                                    top_sellers=10_000)
    before_report = await sales_report(ctx.session, ctx.company_id, before, branch_ids=branch_ids, compare=False,
                                       top_sellers=10_000)
    week_missing = await missing_days(ctx, Period(before.first, week.last), None, branch_ids)
    behind_branches: list[dict[str, Any]] = []
    behind_sellers: list[dict[str, Any]] = []
    if not week_missing:  # a week with days not imported would look like a fall
        old = {b.branch_id: b.totals.net_sales for b in before_report.branches if b.branch_id}
        for row in now_report.branches:
            if row.branch_id is None:
                continue
            fall = _drop(row.totals.net_sales, old.get(row.branch_id, _ZERO))
            if fall is not None and fall >= FALL_PCT:
                behind_branches.append({"name": row.name, "net": _m(row.totals.net_sales),
                                        "before": _m(old[row.branch_id]), "drop_pct": str(fall)})
        old_sellers = {s.regos_user_id: s.net for s in before_report.sellers}
        for seller in now_report.sellers:
            fall = _drop(seller.net, old_sellers.get(seller.regos_user_id, _ZERO))
            if fall is not None and fall >= FALL_PCT:
                behind_sellers.append({"name": seller.name, "net": _m(seller.net),
                                       "before": _m(old_sellers[seller.regos_user_id]), "drop_pct": str(fall)})
    returns: list[dict[str, Any]] = []
    gross_now = now_report.totals.retail_gross
    gross_month = demand.totals.retail_gross
    if gross_now > 0 and gross_month > 0 and not week_missing:
        share_now = now_report.totals.retail_returns / gross_now * 100
        share_usual = demand.totals.retail_returns / gross_month * 100
        if share_now >= 3 and share_now >= 2 * share_usual:
            returns.append({"share_pct": str(share_now.quantize(Decimal("0.1"))),
                            "usual_pct": str(share_usual.quantize(Decimal("0.1"))),
                            "returns": _m(now_report.totals.retail_returns)})
    return {"demand_days": counted_days, "missing_days": [d.isoformat() for d in missing + week_missing],
            "lead_time_days": args.lead_time_days, "dead_days": args.dead_days,
            "reorder": reorder[:MAX_ROWS], "dead_stock": dead[:MAX_ROWS], "overstock": overstock[:MAX_ROWS],
            "branches_behind": sorted(behind_branches, key=lambda r: -Decimal(r["drop_pct"]))[:MAX_ROWS],
            "sellers_behind": sorted(behind_sellers, key=lambda r: -Decimal(r["drop_pct"]))[:MAX_ROWS],
            "unusual_returns": returns}

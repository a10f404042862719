"""Templates for the tools beyond sales: payment types, expenses, cash, payroll, forecasts and advice. Each takes a
renderer (services.ai.answer's, which knows the language and script) and a tool result; figures only from it."""

from __future__ import annotations

import html
from decimal import Decimal
from typing import Any, Protocol


class Renderer(Protocol):
    locale: str

    def t(self, key: str, **params: Any) -> str: ...

    def money(self, value: str | Decimal) -> str: ...

    def qty(self, value: str | Decimal) -> str: ...

    def day(self, value: str) -> str: ...

    def period(self, data: dict[str, Any]) -> str: ...

    def pct(self, value: str | Decimal) -> str: ...


def _name(value: str | None) -> str:
    return html.escape(value or "—")


def payments(r: Renderer, data: dict[str, Any]) -> list[str]:
    lines = [r.t("ai-payments", period=r.period(data["period"]))]
    lines += [r.t("ai-payment-row", name=_name(p["name"]), amount=r.money(p["net"])) for p in data["rows"]]
    if not data["rows"]:
        lines.append(r.t("ai-nothing"))
    lines.append(r.t("ai-payments-total", total=r.money(data["total"]), net=r.money(data["net_sales"])))
    return lines


def expenses(r: Renderer, data: dict[str, Any]) -> list[str]:
    lines = [r.t("ai-expenses", period=r.period(data["period"]), count=data["approved_count"],
                 amount=r.money(data["approved_amount"]))]
    lines += [r.t("ai-payment-row", name=_name(c["name"]), amount=r.money(c["amount"])) for c in data["categories"]]
    if data["pending_count"]:
        lines.append(r.t("ai-expenses-pending", count=data["pending_count"], amount=r.money(data["pending_amount"])))
    return lines


def cash(r: Renderer, data: dict[str, Any]) -> list[str]:
    lines = [r.t("ai-cash", total=r.money(data["total"]))]
    lines += [r.t("ai-payment-row", name=_name(row["name"]), amount=r.money(row["balance"])) for row in data["rows"]]
    return lines


def payroll(r: Renderer, data: dict[str, Any]) -> list[str]:
    return [r.t("ai-payroll", month=_month(r, data["month"]),
                status=r.t(f"ai-payroll-status-{data['status'].replace('_', '-')}"), employees=data["employees"],
                gross=r.money(data["gross"]), net=r.money(data["net"]), pit=r.money(data["pit"]),
                social=r.money(data["social_tax"]), commissions=r.money(data["commissions"]))]


def _month(r: Renderer, iso: str) -> str:
    text = r.day(iso)  # "1 dekabr 2026" → "dekabr 2026"
    return text.split(" ", 1)[1] if " " in text else text


def forecast(r: Renderer, data: dict[str, Any]) -> list[str]:
    product = data["unit"] == "quantity"
    value = r.qty if product else r.money
    target = _name(data["target"]["name"]) if product else (
        ", ".join(_name(b) for b in data["target"]["branches"]) if data["target"]["branches"]
        else r.t("ai-all-branches"))
    days = data["days"]
    total = data["total"]
    lines = [r.t("ai-forecast", target=target, period=r.period({"first": days[0]["day"], "last": days[-1]["day"]}),
                 low=value(total["low"]), high=value(total["high"]), point=value(total["forecast"]))]
    if len(days) > 1:
        lines += [r.t("ai-forecast-row", day=r.day(d["day"]), low=value(d["low"]), high=value(d["high"]))
                  for d in days[:14]]
    lines.append(r.t("ai-forecast-method-" + data["method"].replace("_", "-"), days=data["history_days"]))
    if data["backtest_wape"] is not None:
        lines.append(r.t("ai-forecast-backtest", error=r.pct(data["backtest_wape"])))
    if data["filled_days"]:
        lines.append(r.t("ai-forecast-filled", days=data["filled_days"]))
    return lines


def advice(r: Renderer, data: dict[str, Any]) -> list[str]:
    lines = [r.t("ai-advice", days=data["demand_days"])]
    if data["reorder"]:
        lines.append(r.t("ai-advice-reorder", days=data["lead_time_days"]))
        lines += [r.t("ai-advice-reorder-row", name=_name(x["name"]), on_hand=r.qty(x["on_hand"]),
                      unit=_name(x["unit"] or ""), daily=r.qty(x["daily_demand"]), order=r.qty(x["order"]))
                  for x in data["reorder"]]
    if data["dead_stock"]:
        lines.append(r.t("ai-advice-dead", days=data["dead_days"]))
        lines += [r.t("ai-stock-row", name=_name(x["name"]), quantity=r.qty(x["on_hand"]), unit=_name(x["unit"] or ""))
                  for x in data["dead_stock"]]
    if data["overstock"]:
        lines.append(r.t("ai-advice-overstock"))
        lines += [r.t("ai-advice-overstock-row", name=_name(x["name"]), days=r.qty(x["days_of_stock"]))
                  for x in data["overstock"]]
    for key, rows in (("ai-advice-branches", data["branches_behind"]), ("ai-advice-sellers", data["sellers_behind"])):
        if rows:
            lines.append(r.t(key))
            lines += [r.t("ai-advice-behind-row", name=_name(x["name"]), net=r.money(x["net"]),
                          before=r.money(x["before"]), drop=r.pct(x["drop_pct"])) for x in rows]
    for x in data["unusual_returns"]:
        lines.append(r.t("ai-advice-returns", share=r.pct(x["share_pct"]), usual=r.pct(x["usual_pct"]),
                         amount=r.money(x["returns"])))
    if len(lines) == 1:
        lines.append(r.t("ai-advice-none"))
    if data["missing_days"]:
        lines.append(r.t("ai-missing", days=", ".join(r.day(d) for d in sorted(set(data["missing_days"]))[:10])))
    return lines

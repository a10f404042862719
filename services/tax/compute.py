"""A month's taxes from the company's own books, as one JSON-ready dict (the figures of a tax report).

- The month is split by the company's dated regime rows (a change mid-month splits it, as the Tax Code does):
  VAT-regime days owe VAT on sales, turnover-regime days owe turnover tax on revenue less returns.
- Output VAT: retail prices include VAT (gross × rate/(1+rate)), each item (per-item sales from
  RetailReport/Operations) by its VAT from REGOS's Item/Get unless the operator set its class; zero-rated and exempt
  items are left out of the base. Wholesale by each document's `vat_calculation_type` (included, on top, without).
  Input VAT: confirmed purchases with an accepted e-invoice only; VAT on paper documents is listed and not
  credited. Left-over input VAT is carried forward.
- PIT (its INPS part shown) and social tax: from the month's approved payroll.
- Profit tax, at a quarter's last month under the VAT regime: an estimate (revenue without VAT − cost of goods
  from REGOS's gross profit − approved expenses − payroll − social tax).
- A figure needs its data: a month with days not imported, or without an approved payroll, gets no figure for the
  taxes that depend on it, and a warning that says what is missing and how to get it.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Company, TaxRegime
from db.purchases import VatClaim
from db.tax import TaxReport
from services.errors import DomainError
from services.reports.coverage import coverage
from services.reports.periods import Period
from services.tax import sources
from services.tax.calc import ZERO, money, money_text, percent_text, share, tax_on, vat_balance, vat_in_gross
from services.tax.periods import (
    deadlines_for,
    is_quarter_end,
    month_last,
    next_month,
    period_text,
    previous_month,
    quarter_months,
    quarter_of,
)


class PeriodInFuture(DomainError):
    key = "tax-error-future"


class BeforeCompany(DomainError):
    key = "tax-error-before-company"


def _m(value: Decimal | None) -> str | None:
    return money_text(value) if value is not None else None


def _ranges(days: tuple[date, ...]) -> list[list[str]]:
    runs: list[list[date]] = []
    for day in days:
        if runs and (day - runs[-1][1]).days == 1:
            runs[-1][1] = day
        else:
            runs.append([day, day])
    return [[a.isoformat(), b.isoformat()] for a, b in runs]


WHOLESALE_TYPES = {"Include": "wholesale_included", "Exclude": "wholesale_on_top", "No": "wholesale_without_vat"}


async def _output_vat(session: AsyncSession, company_id: int, segments: list[sources.Segment],
                      rate: Decimal) -> dict[str, Any]:
    """Output VAT over the VAT-regime segments; amounts as Decimals (converted by the caller).

    Retail prices include VAT: each item by its VAT from REGOS (the operator's class wins), zero-rated and exempt
    items apart. Wholesale by each document's `vat_calculation_type`: Include → VAT inside the amount, Exclude →
    VAT on top of the amount, No → without VAT; documents synced before the type was stored (and any amount of the
    daily books without a document) count as VAT included, as before, and are named in a warning."""
    percent = (rate * 100).normalize()
    retail = wholesale = zero = exempt = ZERO
    parts = {key: ZERO for key in (*WHOLESALE_TYPES.values(), "wholesale_unknown")}
    other: dict[Decimal, Decimal] = {}
    from_regos = overridden = 0
    for segment in segments:
        booked = await sources.sales(session, company_id, segment.first, segment.last)
        apart = await sources.retail_bases(session, company_id, segment.first, segment.last, percent)
        retail += booked.retail_net
        wholesale += booked.wholesale_net
        zero += apart.zero
        exempt += apart.exempt
        from_regos += apart.from_regos
        overridden += apart.overridden
        for other_rate, amount in apart.other_rates.items():
            other[other_rate] = other.get(other_rate, ZERO) + amount
        typed = ZERO
        for vat_type, amount in (await sources.wholesale_by_type(session, company_id, segment.first,
                                                                 segment.last)).items():
            if vat_type in WHOLESALE_TYPES:
                parts[WHOLESALE_TYPES[vat_type]] += amount
                typed += amount
        parts["wholesale_unknown"] += booked.wholesale_net - typed
    standard = retail - zero - exempt - sum(other.values(), ZERO)
    vat_retail = vat_in_gross(standard, rate)
    other_rates = []
    for other_rate, amount in sorted(other.items()):
        vat = vat_in_gross(amount, other_rate / 100)
        vat_retail += vat
        other_rates.append({"rate": f"{other_rate:f}", "base": money_text(amount), "vat": money_text(vat)})
    included = parts["wholesale_included"] + parts["wholesale_unknown"]
    vat_included = vat_in_gross(included, rate)
    vat_on_top = money(parts["wholesale_on_top"] * rate)
    vat_wholesale = vat_included + vat_on_top
    revenue_without_vat = (retail - vat_retail + included - vat_included + parts["wholesale_on_top"]
                           + parts["wholesale_without_vat"])
    return {"retail_net": retail, "retail_zero_rated": zero, "retail_exempt": exempt, "retail_standard": standard,
            "retail_other_rates": other_rates, "wholesale": wholesale, **parts,
            "vat_retail": vat_retail, "vat_wholesale_included": vat_included, "vat_wholesale_on_top": vat_on_top,
            "vat_wholesale": vat_wholesale, "output": vat_retail + vat_wholesale,
            "base": standard + sum(other.values(), ZERO) + included + parts["wholesale_on_top"],
            "revenue_without_vat": revenue_without_vat, "items_from_regos": from_regos,
            "items_overridden": overridden}


def _texts(values: dict[str, Any]) -> dict[str, Any]:
    """The output figures as JSON: amounts as money text, the rest as they are."""
    return {k: money_text(v) if isinstance(v, Decimal) else v for k, v in values.items()}


def _input_vat(rows: list[sources.PurchaseRow]) -> dict[str, Any]:
    credited, paper, lines = ZERO, ZERO, []
    no_details = 0
    for row in rows:
        counted = False
        if row.claim != VatClaim.NONE and (row.vat is None or row.total is None):
            no_details += 1
        elif row.claim == VatClaim.E_INVOICE and row.vat is not None:
            credited += row.vat
            counted = True
        elif row.claim == VatClaim.PAPER and row.vat is not None:
            paper += row.vat
        lines.append({"id": row.id, "supplier": row.supplier, "tin": row.tin, "number": row.number,
                      "date": row.day.isoformat() if row.day else None, "total": _m(row.total),
                      "vat": _m(row.vat), "claim": row.claim, "credited": counted})
    return {"credited": money(credited), "paper": money(paper), "no_details": no_details, "lines": lines,
            "purchases": len(rows), "e_invoices": sum(1 for line in lines if line["credited"])}


async def _carried_in(session: AsyncSession, company_id: int, month: date) -> tuple[Decimal, bool]:
    """Input VAT carried from the previous month's report, and whether that report exists."""
    report = await session.scalar(select(TaxReport).where(TaxReport.company_id == company_id,
                                                          TaxReport.period == period_text(previous_month(month))))
    if report is None:
        return ZERO, False
    return Decimal(report.vat_carry_forward or 0), True


async def _payroll(session: AsyncSession, company_id: int, month: date, warnings: list[dict[str, Any]]
                   ) -> tuple[dict[str, Any], dict[str, Any]]:
    pit_rate = await sources.rate_on(session, "pit", month)
    inps_rate = await sources.rate_on(session, "inps", month)
    social_rate = await sources.rate_on(session, "social_tax", month)
    assert pit_rate is not None and inps_rate is not None and social_rate is not None
    run = await sources.approved_payroll(session, company_id, month)
    pit: dict[str, Any] = {"rate": percent_text(pit_rate), "inps_rate": percent_text(inps_rate)}
    social: dict[str, Any] = {"rate": percent_text(social_rate)}
    if run is None:
        waiting = await sources.open_payroll(session, company_id, month)
        reason = "tax-missing-payroll-open" if waiting is not None else "tax-missing-payroll-none"
        warnings.append({"key": reason, "month": period_text(month)})
        for tax in (pit, social):
            tax.update(base=None, amount=None, status="missing", missing=reason, sources={"payroll_runs": 0})
        return pit, social
    totals = run.totals or {}
    gross = Decimal(str(totals.get("gross", "0")))
    source = {"payroll_runs": 1, "run_id": run.id, "version": run.version,
              "employees": int(totals.get("employees", 0))}
    pit.update(base=money_text(gross), amount=money_text(Decimal(str(totals.get("pit", "0")))),
               budget=money_text(Decimal(str(totals.get("pit_budget", "0")))),
               inps=money_text(Decimal(str(totals.get("inps", "0")))), status="ok", sources=source)
    social.update(base=money_text(gross), amount=money_text(Decimal(str(totals.get("social_tax", "0")))),
                  status="ok", sources=source)
    return pit, social


async def _threshold(session: AsyncSession, company: Company, month: date, last: date, regime_now: str | None
                     ) -> dict[str, Any]:
    threshold = await sources.rate_on(session, "vat_threshold", last)
    warn = await sources.rate_on(session, "vat_threshold_warn", last, required=False) or Decimal("0.8")
    assert threshold is not None
    year = await sources.sales(session, company.id, date(month.year, 1, 1), last)
    result: dict[str, Any] = {"year_revenue": money_text(year.revenue), "threshold": money_text(threshold),
                              "share": f"{share(year.revenue, threshold):f}", "state": "ok", "general_from": None}
    if regime_now != TaxRegime.TURNOVER:
        result["state"] = "not_applicable"
        return result
    running = ZERO
    for row in year.by_day:
        running += row["retail_net"] + row["wholesale_net"]
        if running > threshold:
            crossed = row["day"].replace(day=1)
            result.update(state="exceeded", crossed_in=period_text(crossed),
                          general_from=period_text(next_month(crossed)))
            return result
    if year.revenue >= threshold * warn:
        result["state"] = "approaching"
    return result


async def _profit(session: AsyncSession, company: Company, month: date, vat_rate: Decimal, today: date,
                  warnings: list[dict[str, Any]]) -> dict[str, Any] | None:
    months = quarter_months(month)
    first, last = months[0], month_last(months[-1])
    segments = [s for s in await sources.regime_segments(session, company.id, first, last)
                if s.regime == TaxRegime.VAT]
    if not segments or segments[-1].last != last:
        return None
    code = "profit_tax_market" if (company.settings or {}).get("tax_market") else "profit_tax"
    rate = await sources.rate_on(session, code, last)
    assert rate is not None
    result: dict[str, Any] = {"estimate": True, "quarter": f"{month.year}-Q{quarter_of(month)}",
                              "rate": percent_text(rate), "base": None, "amount": None, "status": "missing"}
    missing_days = 0
    for segment in segments:
        missing_days += len((await coverage(session, company.id, Period(segment.first, segment.last), today)).missing)
    payroll_months = [m for m in months if any(s.first <= month_last(m) and s.last >= m for s in segments)]
    runs = [await sources.approved_payroll(session, company.id, m) for m in payroll_months]
    lacking = [period_text(m) for m, run in zip(payroll_months, runs, strict=True) if run is None]
    if missing_days:
        result["missing"] = "tax-missing-days"
        return result
    if lacking:
        result["missing"] = "tax-missing-payroll-quarter"
        warnings.append({"key": "tax-missing-payroll-quarter", "months": ", ".join(lacking)})
        return result
    output = await _output_vat(session, company.id, segments, vat_rate)
    revenue = output["retail_net"] + output["wholesale"]
    revenue_net = output["revenue_without_vat"]
    profit_gross = ZERO
    known_days = sales_days = 0
    expenses = ZERO
    expense_count = 0
    for segment in segments:
        gp, days = await sources.gross_profit(session, company.id, segment.first, segment.last)
        profit_gross += gp
        known_days += days
        sales_days += (await sources.sales(session, company.id, segment.first, segment.last)).days
        amount, count = await sources.approved_expenses(session, company.id, segment.first, segment.last)
        expenses += amount
        expense_count += count
    if known_days < sales_days:
        result["missing"] = "tax-missing-cost"
        warnings.append({"key": "tax-missing-cost", "days": sales_days - known_days})
        return result
    cost = output["retail_net"] - profit_gross
    payroll_gross = sum((Decimal(str((r.totals or {}).get("gross", "0"))) for r in runs if r), ZERO)
    social = sum((Decimal(str((r.totals or {}).get("social_tax", "0"))) for r in runs if r), ZERO)
    profit = revenue_net - cost - expenses - payroll_gross - social
    result.update(status="ok", revenue=money_text(revenue), revenue_without_vat=money_text(revenue_net),
                  cost_of_goods=money_text(cost), expenses=money_text(expenses), payroll=money_text(payroll_gross),
                  social_tax=money_text(social), base=money_text(profit), amount=money_text(tax_on(profit, rate)),
                  sources={"days": sales_days, "expenses": expense_count, "payroll_runs": len(runs)})
    return result


async def compute_month(session: AsyncSession, company: Company, month: date, today: date) -> dict[str, Any]:
    """Every tax of `month` for `company`, as the report's figures. Refuses a month that has not begun, and one
    before the company's first tax regime row."""
    first, last = month, month_last(month)
    if first > today:
        raise PeriodInFuture(period=period_text(month))
    start = await sources.first_regime_day(session, company.id)
    if start is None or last < start:
        raise BeforeCompany(period=period_text(month), start=start or today)
    segments = await sources.regime_segments(session, company.id, first, last)
    vat_segments = [s for s in segments if s.regime == TaxRegime.VAT]
    turnover_segments = [s for s in segments if s.regime == TaxRegime.TURNOVER]
    warnings: list[dict[str, Any]] = []
    if first < start:
        warnings.append({"key": "tax-warn-partial-start", "start": start.isoformat()})
    if len(segments) > 1:
        warnings.append({"key": "tax-warn-regime-split", "day": segments[1].first.isoformat()})
    covered = await coverage(session, company.id, Period(max(first, start), last), today)
    complete = covered.complete
    booked = await sources.sales(session, company.id, max(first, start), last)
    if not complete:
        warnings.append({"key": "tax-missing-days", "days": len(covered.missing)})
    preliminary = last >= today
    if preliminary:
        warnings.append({"key": "tax-warn-preliminary"})
    vat_rate = await sources.rate_on(session, "vat", max(first, start))
    assert vat_rate is not None
    taxes: dict[str, Any] = {}
    carry_forward = ZERO
    if vat_segments:
        vat: dict[str, Any] = {"rate": percent_text(vat_rate), "status": "missing", "base": None, "amount": None}
        rows = []
        for segment in vat_segments:
            rows += await sources.purchases(session, company.id, segment.first, segment.last)
        input_vat = _input_vat(rows)
        if input_vat["paper"] > 0:
            warnings.append({"key": "tax-warn-paper-vat", "amount": money_text(input_vat["paper"])})
        if input_vat["no_details"]:
            warnings.append({"key": "tax-warn-purchase-no-vat", "count": input_vat["no_details"]})
        carried, had_previous = await _carried_in(session, company.id, month)
        previous_vat = any(s.regime == TaxRegime.VAT for s in await sources.regime_segments(
            session, company.id, previous_month(month), month_last(previous_month(month))))
        if previous_vat and not had_previous:
            warnings.append({"key": "tax-warn-no-carry", "month": period_text(previous_month(month))})
        vat["input"] = {"credited": money_text(input_vat["credited"]), "paper_not_credited":
                        money_text(input_vat["paper"]), "no_details": input_vat["no_details"]}
        vat["purchases"] = input_vat["lines"]
        vat["carried_in"] = money_text(carried)
        vat["sources"] = {"days": 0, "purchases": input_vat["purchases"], "e_invoices": input_vat["e_invoices"]}
        if complete:
            output = await _output_vat(session, company.id, vat_segments, vat_rate)
            balance = vat_balance(output["output"], input_vat["credited"], carried)
            carry_forward = balance.carried_out
            days = 0
            for segment in vat_segments:
                days += (await sources.sales(session, company.id, segment.first, segment.last)).days
            vat.update(status="ok", base=money_text(output["base"]), amount=money_text(balance.payable),
                       output=_texts(output), payable=money_text(balance.payable),
                       carried_out=money_text(balance.carried_out))
            vat["sources"]["days"] = days
            vat["sources"]["items_from_regos"] = output["items_from_regos"]
            vat["sources"]["items_overridden"] = output["items_overridden"]
            if output["wholesale_unknown"] != 0:
                warnings.append({"key": "tax-warn-wholesale-vat-unknown",
                                 "amount": money_text(output["wholesale_unknown"])})
            if output["wholesale_without_vat"] != 0:
                warnings.append({"key": "tax-warn-wholesale-no-vat",
                                 "amount": money_text(output["wholesale_without_vat"])})
            for line in output["retail_other_rates"]:
                warnings.append({"key": "tax-warn-item-rate", "rate": line["rate"], "amount": line["base"]})
        else:
            vat["missing"] = "tax-missing-days"
        taxes["vat"] = vat
    if turnover_segments:
        ie = (company.settings or {}).get("tax_entity") == "ie"
        rate = await sources.rate_on(session, "turnover_tax_ie" if ie else "turnover_tax", turnover_segments[0].first)
        assert rate is not None
        turnover: dict[str, Any] = {"rate": percent_text(rate), "status": "missing", "base": None, "amount": None,
                                    "sources": {"days": 0}}
        if complete:
            base, gross, returns, wholesale, days = ZERO, ZERO, ZERO, ZERO, 0
            for segment in turnover_segments:
                part = await sources.sales(session, company.id, segment.first, segment.last)
                base += part.revenue
                gross += part.retail_gross
                returns += part.retail_returns
                wholesale += part.wholesale_net
                days += part.days
            turnover.update(status="ok", base=money_text(base), amount=money_text(tax_on(base, rate)),
                            retail_gross=money_text(gross), retail_returns=money_text(returns),
                            wholesale=money_text(wholesale), sources={"days": days})
        else:
            turnover["missing"] = "tax-missing-days"
        taxes["turnover"] = turnover
    taxes["pit"], taxes["social"] = await _payroll(session, company.id, month, warnings)
    if is_quarter_end(month):
        profit = await _profit(session, company, month, vat_rate, today, warnings)
        if profit is not None:
            taxes["profit"] = profit
    regime_now = segments[-1].regime if segments else None
    threshold = await _threshold(session, company, month, min(last, today), regime_now)
    if threshold["state"] == "exceeded":
        warnings.append({"key": "tax-warn-threshold-exceeded", "month": threshold["crossed_in"],
                         "general": threshold["general_from"]})
    elif threshold["state"] == "approaching":
        warnings.append({"key": "tax-warn-threshold-near", "revenue": threshold["year_revenue"],
                         "threshold": threshold["threshold"]})
    regimes = {s.regime for s in segments}
    due = deadlines_for(month, vat=bool(vat_segments), turnover=bool(turnover_segments), profit="profit" in taxes)
    total_due = sum((Decimal(t["amount"]) for t in taxes.values() if t.get("amount") is not None
                     and not t.get("estimate")), ZERO)
    return {
        "period": period_text(month), "first": first.isoformat(), "last": last.isoformat(),
        "company": {"id": company.id, "name": company.name, "tin": company.tin},
        "regime": regimes.pop() if len(regimes) == 1 else "mixed",
        "segments": [{"from": s.first.isoformat(), "to": s.last.isoformat(), "regime": s.regime} for s in segments],
        "preliminary": preliminary,
        "coverage": {"complete": complete, "missing_days": len(covered.missing), "missing": _ranges(covered.missing)},
        "sales": {"days": booked.days, "retail_gross": money_text(booked.retail_gross),
                  "retail_returns": money_text(booked.retail_returns), "retail_net": money_text(booked.retail_net),
                  "wholesale_net": money_text(booked.wholesale_net), "revenue": money_text(booked.revenue),
                  "by_day": [{**row, "day": row["day"].isoformat(),
                              **{k: money_text(v) for k, v in row.items() if isinstance(v, Decimal)}}
                             for row in booked.by_day]} if complete else None,
        "taxes": taxes,
        "total_due": money_text(total_due),
        "vat_carry_forward": money_text(carry_forward),
        "threshold": threshold,
        "deadlines": {kind: day.isoformat() for kind, day in due.items()},
        "warnings": warnings,
    }


__all__ = ["BeforeCompany", "PeriodInFuture", "compute_month"]

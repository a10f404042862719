"""A month's payroll for a company, computed from the schemes, timesheets, manual lines and the synced sales.

Who is on it: every active employee with a pay scheme in force on the month's last day (or, without a scheme, a
base salary on the employee), hired on or before that day. Days worked: the timesheet, or every working day of the
month from the hire date on. The arithmetic of one line is services/payroll/calc.py (its docstring states the
rounding rule); the rates are the dated rows in force on the month's last day.

The result carries ``notes`` for the whole month: which days of the month (up to today) are not imported, how many
days are still to come, whether REGOS is connected at all, the rates and working days used, and the advance run
whose payments were subtracted.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Company, Employee
from db.payroll import AdjustmentKind, PayrollLine, PayrollRun, PlanScope, RunKind, RunStatus
from services.companies import business_day
from services.payroll.calc import ZERO, LineResult, MonthInput, Terms, compute_advance, compute_line, som, warning
from services.payroll.errors import PayrollInvalid
from services.payroll.rates import PayrollRates, payroll_rates
from services.payroll.sales import BranchSales, Coverage, branch_sales, coverage, seller_sales, seller_wholesale
from services.payroll.schemes import (
    PayrollSettings,
    SchemeInput,
    adjustments,
    payroll_settings,
    profiles,
    schemes_for_month,
    timesheets,
)
from services.payroll.workdays import month_end, month_start, month_text, month_working_days, working_days

MONEY_FIELDS = ("base", "retail_sales", "retail_commission", "wholesale_sales", "wholesale_commission", "plan_bonus",
                "manual_bonus", "deductions", "gross", "pit", "pit_budget", "inps", "advance", "net", "social_tax")


def money_text(value: Decimal | None) -> str | None:
    return None if value is None else f"{Decimal(value).quantize(Decimal('0.01')):f}"


@dataclass(slots=True)
class EmployeeLine:
    employee_id: int
    name: str
    regos_user_id: int | None
    branch_id: int | None
    result: LineResult
    details: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class MonthPayroll:
    company_id: int
    month: date
    kind: str
    lines: list[EmployeeLine]
    notes: dict[str, Any]

    def totals(self) -> dict[str, Any]:
        return line_totals([line.result for line in self.lines])


def line_totals(results: list[LineResult] | list[PayrollLine]) -> dict[str, Any]:
    sums = {name: ZERO for name in MONEY_FIELDS}
    negative = 0
    for result in results:
        for name in MONEY_FIELDS:
            sums[name] += Decimal(getattr(result, name))
        negative += Decimal(result.net) < 0
    totals: dict[str, Any] = {name: money_text(value) for name, value in sums.items()}
    totals["bonus"] = money_text(sums["plan_bonus"] + sums["manual_bonus"])
    totals["employer_cost"] = money_text(sums["gross"] + sums["social_tax"])
    totals["employees"] = len(results)
    totals["negative_net"] = negative
    return totals


async def _staff(session: AsyncSession, company_id: int, month: date) -> list[tuple[Employee, SchemeInput]]:
    schemes = await schemes_for_month(session, company_id, month)
    employees = (await session.scalars(
        select(Employee).where(Employee.company_id == company_id, Employee.active.is_(True))
        .order_by(Employee.full_name, Employee.id)
    )).all()
    last = month_end(month)
    staff = []
    for employee in employees:
        if employee.hired_on is not None and employee.hired_on > last:
            continue
        scheme = schemes.get(employee.id)
        if scheme is not None:
            staff.append((employee, SchemeInput.of(scheme)))
        elif employee.base_salary and employee.base_salary > 0:
            staff.append((employee, SchemeInput(base_salary=Decimal(employee.base_salary))))
    return staff


def _default_days(employee: Employee, month: date, settings: PayrollSettings) -> int:
    first = month_start(month)
    if employee.hired_on is not None and employee.hired_on > first:
        return working_days(employee.hired_on, month_end(month), settings.work_week)
    return month_working_days(month, settings.work_week)


async def _advance_paid(session: AsyncSession, company_id: int, month: date) -> tuple[dict[int, Decimal],
                                                                                          dict[str, Any] | None]:
    """Per employee, the advance of the month's latest approved (or paid) advance run; and a note about it."""
    runs = (await session.scalars(
        select(PayrollRun).where(PayrollRun.company_id == company_id, PayrollRun.month == month_start(month),
                                 PayrollRun.kind == RunKind.ADVANCE).order_by(PayrollRun.version.desc())
    )).all()
    settled = next((r for r in runs if r.status in (RunStatus.APPROVED, RunStatus.PAID)), None)
    if settled is None:
        note = {"status": runs[0].status, "version": runs[0].version, "counted": False} if runs else None
        return {}, note
    rows = await session.execute(select(PayrollLine.employee_id, PayrollLine.net)
                                 .where(PayrollLine.run_id == settled.id))
    paid = {int(e): Decimal(n) for e, n in rows.all() if e is not None and Decimal(n) > 0}
    return paid, {"run_id": settled.id, "version": settled.version, "status": settled.status, "counted": True}


def _coverage_notes(cover: Coverage) -> dict[str, Any]:
    return {
        "regos_connected": cover.connected,
        "missing_days": [d.isoformat() for d in cover.missing],
        "days_to_come": len(cover.to_come),
        "sales_complete": cover.complete,
    }


def _details(terms: Terms, line: LineResult, manual: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "scheme": {
            "base_salary": money_text(terms.base_salary),
            "retail_commission_pct": f"{terms.retail_commission_pct:f}",
            "wholesale_commission_pct": f"{terms.wholesale_commission_pct:f}",
            "plan_target": money_text(terms.plan_target),
            "plan_scope": terms.plan_scope,
            "plan_bonus": f"{terms.plan_bonus:f}",
            "plan_bonus_kind": terms.plan_bonus_kind,
        },
        "manual": manual,
        "relief": line.relief,
    }


async def compute_month(session: AsyncSession, company_id: int, month: date, kind: str = RunKind.MONTHLY, *,
                        today: date | None = None) -> MonthPayroll:
    """The month's payroll as it would be now (nothing is stored: see services/payroll/runs.py)."""
    if kind not in (RunKind.ADVANCE, RunKind.MONTHLY):
        raise PayrollInvalid(field="kind", problem="advance or monthly")
    company = await session.get(Company, company_id)
    if company is None:
        raise PayrollInvalid(field="company", problem=f"no company {company_id}")
    month = month_start(month)
    last = month_end(month)
    settings = payroll_settings(company)
    rates = await payroll_rates(session, last)
    total_days = month_working_days(month, settings.work_week)
    staff = await _staff(session, company_id, month)
    sheet = await timesheets(session, company_id, month)
    notes: dict[str, Any] = {
        "month": month_text(month), "working_days": total_days, "work_week": settings.work_week,
        "rates": rates.to_json(), "settings": settings.to_json(),
    }
    lines: list[EmployeeLine] = []
    if kind == RunKind.ADVANCE:
        for employee, scheme in staff:
            days = sheet.get(employee.id, _default_days(employee, month, settings))
            result = compute_advance(scheme.terms(), days, total_days, settings.advance_percent)
            lines.append(EmployeeLine(employee.id, employee.full_name, employee.regos_user_id, employee.branch_id,
                                      result, {"advance_percent": f"{settings.advance_percent:f}"}))
        return MonthPayroll(company_id, month, kind, lines, notes)

    cover = await coverage(session, company_id, month, last, today or business_day(company))
    notes.update(_coverage_notes(cover))
    by_seller = await seller_sales(session, company_id, month, last)
    by_branch = await branch_sales(session, company_id, month, last)
    by_seller_wholesale = await seller_wholesale(session, company_id, month, last)
    manual: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for adjustment in await adjustments(session, company_id, month):
        manual[adjustment.employee_id].append({"id": adjustment.id, "kind": adjustment.kind,
                                               "amount": money_text(adjustment.amount), "reason": adjustment.reason})
    advance_paid, advance_note = await _advance_paid(session, company_id, month)
    notes["advance"] = advance_note
    people = await profiles(session, company_id)
    for employee, scheme in staff:
        data = _month_input(employee, scheme, month, settings, total_days, sheet, by_seller, by_seller_wholesale,
                            by_branch, manual[employee.id], advance_paid, people.get(employee.id))
        result = compute_line(data, rates)
        if data.retail_sales is not None and not cover.complete and scheme.retail_commission_pct > 0:
            result.warnings.append(warning("sales_incomplete", "some days of the month are not imported yet: the "
                                                               "commission covers the imported days only",
                                           missing_days=len(cover.missing), days_to_come=len(cover.to_come)))
        lines.append(EmployeeLine(employee.id, employee.full_name, employee.regos_user_id, employee.branch_id, result,
                                  _details(scheme.terms(), result, manual[employee.id])))
    return MonthPayroll(company_id, month, kind, lines, notes)


def _month_input(employee: Employee, scheme: SchemeInput, month: date, settings: PayrollSettings, total_days: int,
                 sheet: dict[int, int], by_seller: dict[int, Decimal], by_seller_wholesale: dict[int, Decimal],
                 by_branch: dict[int | None, BranchSales],
                 manual: list[dict[str, Any]], advance_paid: dict[int, Decimal], profile: Any) -> MonthInput:
    terms = scheme.terms()
    retail = by_seller.get(int(employee.regos_user_id), ZERO) if employee.regos_user_id is not None else None
    wholesale = (by_seller_wholesale.get(int(employee.regos_user_id), ZERO) if employee.regos_user_id is not None
                 else None)
    branch = by_branch.get(employee.branch_id, BranchSales()) if employee.branch_id is not None else None
    plan_sales = retail if terms.plan_scope == PlanScope.EMPLOYEE else (branch.total if branch else None)
    bonus = sum((Decimal(m["amount"]) for m in manual if m["kind"] == AdjustmentKind.BONUS), ZERO)
    withheld = sum((Decimal(m["amount"]) for m in manual
                    if m["kind"] in (AdjustmentKind.PENALTY, AdjustmentKind.DEDUCTION)), ZERO)
    paid_ahead = sum((Decimal(m["amount"]) for m in manual if m["kind"] == AdjustmentKind.ADVANCE), ZERO)
    return MonthInput(
        terms=terms,
        days_worked=sheet.get(employee.id, _default_days(employee, month, settings)),
        working_days=total_days,
        retail_sales=retail,
        wholesale_sales=wholesale,
        plan_sales=plan_sales,
        manual_bonus=bonus,
        deductions=withheld,
        advance_paid=advance_paid.get(employee.id, ZERO) + paid_ahead,
        relief_enabled=settings.social_tax_relief,
        birth_date=getattr(profile, "birth_date", None),
        low_income_family=bool(getattr(profile, "low_income_family", False)),
        month=month,
    )


__all__ = ["MONEY_FIELDS", "EmployeeLine", "MonthPayroll", "PayrollRates", "compute_month", "line_totals",
           "money_text", "som"]

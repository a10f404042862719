"""Pay schemes (dated), payroll settings of a company, the payroll facts of a person, timesheets and manual lines.

Every write goes through the caller's session (the caller commits) and leaves an audit row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Company, Employee
from db.payroll import AdjustmentKind, PayrollAdjustment, PayrollProfile, PayScheme, PlanBonusKind, PlanScope, Timesheet
from services import audit
from services.payroll.calc import ZERO, Terms
from services.payroll.errors import DaysOutOfRange, EmployeeNotFound, PayrollInvalid
from services.payroll.workdays import month_end, month_start, month_working_days

DEFAULT_ADVANCE_PERCENT = Decimal(50)
MAX_MONEY = Decimal("9999999999999999.99")


# -- company settings -------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PayrollSettings:
    """``Company.settings["payroll"]``: the working week (5 or 6 days), the advance as a % of the prorated base,
    and whether the owner enabled the 1% social-tax reliefs for employees who qualify."""

    work_week: int = 5
    advance_percent: Decimal = DEFAULT_ADVANCE_PERCENT
    social_tax_relief: bool = False

    def to_json(self) -> dict[str, Any]:
        return {"work_week": self.work_week, "advance_percent": f"{self.advance_percent:f}",
                "social_tax_relief": self.social_tax_relief}


def payroll_settings(company: Company) -> PayrollSettings:
    raw = (company.settings or {}).get("payroll") or {}
    try:
        advance = Decimal(str(raw.get("advance_percent", DEFAULT_ADVANCE_PERCENT)))
    except InvalidOperation:
        advance = DEFAULT_ADVANCE_PERCENT
    work_week = raw.get("work_week", 5)
    return PayrollSettings(work_week=work_week if work_week in (5, 6) else 5, advance_percent=advance,
                           social_tax_relief=bool(raw.get("social_tax_relief", False)))


async def update_payroll_settings(session: AsyncSession, company: Company, *, actor_user_id: int | None = None,
                                  work_week: int | None = None, advance_percent: Decimal | None = None,
                                  social_tax_relief: bool | None = None) -> PayrollSettings:
    current = payroll_settings(company)
    if work_week is not None:
        if work_week not in (5, 6):
            raise PayrollInvalid(field="work_week", problem="a working week has 5 or 6 days")
        current = replace(current, work_week=work_week)
    if advance_percent is not None:
        current = replace(current, advance_percent=check_percent("advance_percent", advance_percent))
    if social_tax_relief is not None:
        current = replace(current, social_tax_relief=social_tax_relief)
    company.settings = {**(company.settings or {}), "payroll": current.to_json()}
    audit.record(session, "payroll.settings", company_id=company.id, user_id=actor_user_id, **current.to_json())
    await session.flush()
    return current


# -- validation -------------------------------------------------------------------------------------------------------


def check_percent(field: str, value: Decimal) -> Decimal:
    if not value.is_finite() or value < 0 or value > 100:
        raise PayrollInvalid(field=field, problem="a percentage is between 0 and 100")
    if value != value.quantize(Decimal("0.0001")):
        raise PayrollInvalid(field=field, problem="at most four decimal places")
    return value


def check_money(field: str, value: Decimal) -> Decimal:
    if not value.is_finite() or value < 0 or value > MAX_MONEY:
        raise PayrollInvalid(field=field, problem="an amount of so'm, 0 or more")
    if value != value.quantize(Decimal("0.01")):
        raise PayrollInvalid(field=field, problem="at most two decimal places")
    return value


@dataclass(frozen=True, slots=True)
class SchemeInput:
    base_salary: Decimal = ZERO
    retail_commission_pct: Decimal = ZERO
    wholesale_commission_pct: Decimal = ZERO
    plan_target: Decimal | None = None
    plan_scope: str = PlanScope.EMPLOYEE
    plan_bonus: Decimal = ZERO
    plan_bonus_kind: str = PlanBonusKind.FIXED

    def validated(self) -> SchemeInput:
        check_money("base_salary", self.base_salary)
        check_percent("retail_commission_pct", self.retail_commission_pct)
        check_percent("wholesale_commission_pct", self.wholesale_commission_pct)
        if self.plan_target is not None:
            check_money("plan_target", self.plan_target)
        if self.plan_scope not in (PlanScope.EMPLOYEE, PlanScope.BRANCH):
            raise PayrollInvalid(field="plan_scope", problem="employee or branch")
        if self.plan_bonus_kind == PlanBonusKind.PERCENT:
            check_percent("plan_bonus", self.plan_bonus)
        elif self.plan_bonus_kind == PlanBonusKind.FIXED:
            check_money("plan_bonus", self.plan_bonus)
        else:
            raise PayrollInvalid(field="plan_bonus_kind", problem="fixed or percent")
        return self

    @classmethod
    def of(cls, scheme: PayScheme) -> SchemeInput:
        return cls(scheme.base_salary, scheme.retail_commission_pct, scheme.wholesale_commission_pct,
                   scheme.plan_target, scheme.plan_scope, scheme.plan_bonus, scheme.plan_bonus_kind)

    def terms(self) -> Terms:
        return Terms(self.base_salary, self.retail_commission_pct, self.wholesale_commission_pct, self.plan_target,
                     self.plan_scope, self.plan_bonus, self.plan_bonus_kind)


async def company_employee(session: AsyncSession, company_id: int, employee_id: int) -> Employee:
    employee = await session.get(Employee, employee_id)
    if employee is None or employee.company_id != company_id:
        raise EmployeeNotFound(employee_id=employee_id)
    return employee


# -- schemes ----------------------------------------------------------------------------------------------------------


async def set_scheme(session: AsyncSession, *, company_id: int, employee_id: int, effective_from: date,
                     scheme: SchemeInput, actor_user_id: int | None = None) -> PayScheme:
    """The employee's scheme from ``effective_from`` on (replaces a scheme of the same date)."""
    employee = await company_employee(session, company_id, employee_id)
    scheme = scheme.validated()
    row = await session.scalar(select(PayScheme).where(PayScheme.employee_id == employee.id,
                                                       PayScheme.effective_from == effective_from))
    if row is None:
        row = PayScheme(company_id=company_id, employee_id=employee.id, effective_from=effective_from)
        session.add(row)
    row.base_salary = scheme.base_salary
    row.retail_commission_pct = scheme.retail_commission_pct
    row.wholesale_commission_pct = scheme.wholesale_commission_pct
    row.plan_target = scheme.plan_target
    row.plan_scope = scheme.plan_scope
    row.plan_bonus = scheme.plan_bonus
    row.plan_bonus_kind = scheme.plan_bonus_kind
    row.created_by_user_id = actor_user_id
    await session.flush()
    latest = await session.scalar(
        select(func.max(PayScheme.effective_from)).where(PayScheme.employee_id == employee.id)
    )
    if latest == effective_from:
        employee.base_salary = scheme.base_salary  # the employee card shows the newest salary
    audit.record(session, "payroll.scheme", company_id=company_id, user_id=actor_user_id, employee=employee.id,
                 effective_from=effective_from.isoformat(), base_salary=f"{scheme.base_salary:f}",
                 retail_commission_pct=f"{scheme.retail_commission_pct:f}",
                 wholesale_commission_pct=f"{scheme.wholesale_commission_pct:f}")
    await session.flush()
    return row


async def schemes_on(session: AsyncSession, company_id: int, day: date) -> dict[int, PayScheme]:
    """Per employee id, the scheme in force on ``day`` (the latest with ``effective_from`` not after it)."""
    rows = await session.scalars(
        select(PayScheme).where(PayScheme.company_id == company_id, PayScheme.effective_from <= day)
        .order_by(PayScheme.employee_id, PayScheme.effective_from)
    )
    found: dict[int, PayScheme] = {}
    for row in rows:
        found[row.employee_id] = row  # ordered: the latest wins
    return found


async def schemes_for_month(session: AsyncSession, company_id: int, month: date) -> dict[int, PayScheme]:
    """A month is paid on the scheme in force on its last day (a change dated in the month covers all of it)."""
    return await schemes_on(session, company_id, month_end(month))


async def scheme_history(session: AsyncSession, company_id: int, employee_id: int) -> Sequence[PayScheme]:
    await company_employee(session, company_id, employee_id)
    return (await session.scalars(select(PayScheme).where(PayScheme.employee_id == employee_id)
                                  .order_by(PayScheme.effective_from))).all()


# -- the person -------------------------------------------------------------------------------------------------------


async def set_profile(session: AsyncSession, *, company_id: int, employee_id: int, birth_date: date | None = None,
                      low_income_family: bool | None = None, actor_user_id: int | None = None) -> PayrollProfile:
    employee = await company_employee(session, company_id, employee_id)
    profile = await session.get(PayrollProfile, employee.id)
    if profile is None:
        profile = PayrollProfile(employee_id=employee.id, company_id=company_id)
        session.add(profile)
    if birth_date is not None:
        profile.birth_date = birth_date
    if low_income_family is not None:
        profile.low_income_family = low_income_family
    audit.record(session, "payroll.profile", company_id=company_id, user_id=actor_user_id, employee=employee.id)
    await session.flush()
    return profile


async def profiles(session: AsyncSession, company_id: int) -> dict[int, PayrollProfile]:
    rows = await session.scalars(select(PayrollProfile).where(PayrollProfile.company_id == company_id))
    return {row.employee_id: row for row in rows}


# -- timesheets -------------------------------------------------------------------------------------------------------


async def set_days_worked(session: AsyncSession, *, company_id: int, employee_id: int, month: date, days_worked: int,
                          actor_user_id: int | None = None) -> Timesheet:
    """Days worked in the month: 0 up to the month's working days (in the company's working week)."""
    employee = await company_employee(session, company_id, employee_id)
    company = await session.get_one(Company, company_id)
    month = month_start(month)
    most = month_working_days(month, payroll_settings(company).work_week)
    if not 0 <= days_worked <= most:
        raise DaysOutOfRange(most=most)
    row = await session.scalar(select(Timesheet).where(Timesheet.employee_id == employee.id,
                                                       Timesheet.month == month))
    if row is None:
        row = Timesheet(company_id=company_id, employee_id=employee.id, month=month, days_worked=days_worked)
        session.add(row)
    row.days_worked = days_worked
    row.updated_by_user_id = actor_user_id
    audit.record(session, "payroll.timesheet", company_id=company_id, user_id=actor_user_id, employee=employee.id,
                 month=month.isoformat(), days_worked=days_worked)
    await session.flush()
    return row


async def timesheets(session: AsyncSession, company_id: int, month: date) -> dict[int, int]:
    rows = await session.execute(select(Timesheet.employee_id, Timesheet.days_worked)
                                 .where(Timesheet.company_id == company_id, Timesheet.month == month_start(month)))
    return {employee_id: days for employee_id, days in rows.all()}


# -- manual lines -----------------------------------------------------------------------------------------------------


async def add_adjustment(session: AsyncSession, *, company_id: int, employee_id: int, month: date, kind: str,
                         amount: Decimal, reason: str, actor_user_id: int | None = None) -> PayrollAdjustment:
    """A bonus (taxed, adds to gross), a penalty or a deduction (withheld from the net), or an advance paid ahead
    in cash (subtracted from the net like an advance run's), with its reason."""
    employee = await company_employee(session, company_id, employee_id)
    if kind not in (AdjustmentKind.BONUS, AdjustmentKind.PENALTY, AdjustmentKind.DEDUCTION, AdjustmentKind.ADVANCE):
        raise PayrollInvalid(field="kind", problem="bonus, penalty, deduction or advance")
    check_money("amount", amount)
    if amount <= 0:
        raise PayrollInvalid(field="amount", problem="more than 0")
    reason = " ".join((reason or "").split())
    if not reason:
        raise PayrollInvalid(field="reason", problem="say why")
    row = PayrollAdjustment(company_id=company_id, employee_id=employee.id, month=month_start(month), kind=kind,
                            amount=amount, reason=reason[:500], created_by_user_id=actor_user_id)
    session.add(row)
    audit.record(session, "payroll.adjustment", company_id=company_id, user_id=actor_user_id, employee=employee.id,
                 month=month_start(month).isoformat(), kind=kind, amount=f"{amount:f}")
    await session.flush()
    return row


async def remove_adjustment(session: AsyncSession, *, company_id: int, adjustment_id: int,
                            actor_user_id: int | None = None) -> bool:
    result = await session.execute(delete(PayrollAdjustment).where(PayrollAdjustment.id == adjustment_id,
                                                                   PayrollAdjustment.company_id == company_id))
    removed = bool(getattr(result, "rowcount", 0))
    if removed:
        audit.record(session, "payroll.adjustment_removed", company_id=company_id, user_id=actor_user_id,
                     adjustment=adjustment_id)
    return removed


async def adjustments(session: AsyncSession, company_id: int, month: date) -> Sequence[PayrollAdjustment]:
    return (await session.scalars(
        select(PayrollAdjustment).where(PayrollAdjustment.company_id == company_id,
                                        PayrollAdjustment.month == month_start(month))
        .order_by(PayrollAdjustment.id)
    )).all()

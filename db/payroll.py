"""Payroll: pay schemes per employee (dated), the payroll facts of a person, timesheets, manual lines, and the
payroll runs of a month with one result line per employee.

A run is one version of one month's payroll of one kind (`advance` mid-month, `monthly` at the end). A draft is
recomputed in place; from `approved` on a run is frozen, and a correction is a new version (its lines carry the
figures the previous version had, so the difference is what is paid or held back).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.base import Base, Money, UTCDateTime, utcnow


def Percent() -> Numeric[Decimal]:
    """A percentage as written (2.5 means 2.5%), four places."""
    return Numeric(7, 4, asdecimal=True)


class PlanScope(StrEnum):
    EMPLOYEE = "employee"  # the employee's own net retail sales
    BRANCH = "branch"  # the net sales (retail + wholesale) of the employee's branch


class PlanBonusKind(StrEnum):
    FIXED = "fixed"  # a sum of money
    PERCENT = "percent"  # a percentage of the sales the target is measured on


class AdjustmentKind(StrEnum):
    BONUS = "bonus"  # accrued: adds to gross, taxed
    PENALTY = "penalty"  # withheld from the net (after tax)
    DEDUCTION = "deduction"  # withheld from the net (after tax): loans, court orders, damages
    ADVANCE = "advance"  # paid ahead outside an advance run (cash): subtracted from the net as an advance


class RunKind(StrEnum):
    ADVANCE = "advance"
    MONTHLY = "monthly"


class RunStatus(StrEnum):
    DRAFT = "draft"
    PENDING_APPROVAL = "pending_approval"
    APPROVED = "approved"
    PAID = "paid"


class PayScheme(Base):
    """How an employee is paid from `effective_from` on; the latest row not after a month's last day applies to the
    whole month."""

    __tablename__ = "pay_schemes"
    __table_args__ = (UniqueConstraint("employee_id", "effective_from"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"), index=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id", ondelete="CASCADE"))
    effective_from: Mapped[date] = mapped_column(Date)
    base_salary: Mapped[Decimal] = mapped_column(Money(), default=Decimal("0"))
    retail_commission_pct: Mapped[Decimal] = mapped_column(Percent(), default=Decimal("0"))
    wholesale_commission_pct: Mapped[Decimal] = mapped_column(Percent(), default=Decimal("0"))
    plan_target: Mapped[Decimal | None] = mapped_column(Money(), default=None)
    plan_scope: Mapped[str] = mapped_column(String(8), default=PlanScope.EMPLOYEE)
    plan_bonus: Mapped[Decimal] = mapped_column(Money(), default=Decimal("0"))  # so'm, or % when kind is percent
    plan_bonus_kind: Mapped[str] = mapped_column(String(8), default=PlanBonusKind.FIXED)
    created_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class PayrollProfile(Base):
    """What payroll needs to know about a person beyond the scheme: the facts behind the social-tax reliefs."""

    __tablename__ = "payroll_profiles"

    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id", ondelete="CASCADE"), primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"), index=True)
    birth_date: Mapped[date | None] = mapped_column(Date, default=None)
    low_income_family: Mapped[bool] = mapped_column(Boolean, default=False)  # hired from a "kambag'al" family
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class Timesheet(Base):
    """Days an employee worked in a month (the first of the month); no row means every working day."""

    __tablename__ = "timesheets"
    __table_args__ = (UniqueConstraint("employee_id", "month"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"), index=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id", ondelete="CASCADE"))
    month: Mapped[date] = mapped_column(Date)
    days_worked: Mapped[int] = mapped_column(Integer)
    updated_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), default=None)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class PayrollAdjustment(Base):
    """A manual line of a month: a bonus, a penalty or a deduction, always with a reason."""

    __tablename__ = "payroll_adjustments"
    __table_args__ = (Index("ix_payroll_adjustments_company_month", "company_id", "month"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"))
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id", ondelete="CASCADE"))
    month: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(16))  # AdjustmentKind
    amount: Mapped[Decimal] = mapped_column(Money())  # positive
    reason: Mapped[str] = mapped_column(Text)
    created_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class PayrollRun(Base):
    __tablename__ = "payroll_runs"
    __table_args__ = (
        UniqueConstraint("company_id", "month", "kind", "version"),
        Index("ix_payroll_runs_company_month", "company_id", "month"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"))
    month: Mapped[date] = mapped_column(Date)  # the first day of the month
    kind: Mapped[str] = mapped_column(String(16))  # RunKind
    version: Mapped[int] = mapped_column(Integer, default=1)
    previous_run_id: Mapped[int | None] = mapped_column(
        ForeignKey("payroll_runs.id", ondelete="SET NULL"), default=None
    )
    status: Mapped[str] = mapped_column(String(16), default=RunStatus.DRAFT)
    # Totals of the lines and what the computation noticed (days not imported, the rates used), as JSON-ready data.
    totals: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    notes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    approved_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    approved_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), default=None)
    paid_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    paid_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), default=None)

    lines: Mapped[list[PayrollLine]] = relationship(
        back_populates="run", order_by="PayrollLine.id", cascade="all, delete-orphan"
    )


class PayrollLine(Base):
    """One employee's result in a run: accruals, gross, taxes, withholdings and net (whole so'm)."""

    __tablename__ = "payroll_lines"
    __table_args__ = (UniqueConstraint("run_id", "employee_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("payroll_runs.id", ondelete="CASCADE"), index=True)
    employee_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id", ondelete="SET NULL"), default=None)
    name: Mapped[str] = mapped_column(String(128))
    regos_user_id: Mapped[int | None] = mapped_column(BigInteger, default=None)
    days_worked: Mapped[int] = mapped_column(Integer, default=0)
    working_days: Mapped[int] = mapped_column(Integer, default=0)
    base: Mapped[Decimal] = mapped_column(Money(), default=Decimal("0"))
    retail_sales: Mapped[Decimal] = mapped_column(Money(), default=Decimal("0"))
    retail_commission: Mapped[Decimal] = mapped_column(Money(), default=Decimal("0"))
    wholesale_sales: Mapped[Decimal] = mapped_column(Money(), default=Decimal("0"))
    wholesale_commission: Mapped[Decimal] = mapped_column(Money(), default=Decimal("0"))
    plan_bonus: Mapped[Decimal] = mapped_column(Money(), default=Decimal("0"))
    manual_bonus: Mapped[Decimal] = mapped_column(Money(), default=Decimal("0"))
    deductions: Mapped[Decimal] = mapped_column(Money(), default=Decimal("0"))
    gross: Mapped[Decimal] = mapped_column(Money(), default=Decimal("0"))
    pit: Mapped[Decimal] = mapped_column(Money(), default=Decimal("0"))
    pit_budget: Mapped[Decimal] = mapped_column(Money(), default=Decimal("0"))
    inps: Mapped[Decimal] = mapped_column(Money(), default=Decimal("0"))
    advance: Mapped[Decimal] = mapped_column(Money(), default=Decimal("0"))
    net: Mapped[Decimal] = mapped_column(Money(), default=Decimal("0"))
    social_tax_rate: Mapped[Decimal] = mapped_column(Numeric(7, 4, asdecimal=True), default=Decimal("0"))
    social_tax: Mapped[Decimal] = mapped_column(Money(), default=Decimal("0"))
    previous_net: Mapped[Decimal | None] = mapped_column(Money(), default=None)  # in a correction: the net before
    warnings: Mapped[list[Any]] = mapped_column(JSON, default=list)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # the accrued lines, manual lines' reasons

    run: Mapped[PayrollRun] = relationship(back_populates="lines")


__all__ = [
    "AdjustmentKind",
    "PayScheme",
    "PayrollAdjustment",
    "PayrollLine",
    "PayrollProfile",
    "PayrollRun",
    "PlanBonusKind",
    "PlanScope",
    "RunKind",
    "RunStatus",
    "Timesheet",
]

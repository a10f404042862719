"""The tenant core: companies, branches, users, memberships, employees, invites, audit, job claims, rates."""

from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from db.base import Base, Money, UTCDateTime, json_default, utcnow


class Role(enum.StrEnum):
    """Roles, most powerful first. Stored as their string value."""

    OWNER = "owner"
    MANAGER = "manager"
    ACCOUNTANT = "accountant"
    CASHIER = "cashier"
    WAREHOUSE = "warehouse"
    AGENT = "agent"
    STAFF = "staff"


class TaxRegime(enum.StrEnum):
    TURNOVER = "turnover"  # aylanmadan olinadigan soliq, revenue <= 1 bn
    VAT = "vat"  # general regime: VAT + profit tax


membership_branches = Table(
    "membership_branches",
    Base.metadata,
    Column("membership_id", ForeignKey("memberships.id", ondelete="CASCADE"), primary_key=True),
    Column("branch_id", ForeignKey("branches.id", ondelete="CASCADE"), primary_key=True),
)


class Company(Base):
    __tablename__ = "companies"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(128))
    tin: Mapped[str] = mapped_column(String(9), index=True)
    timezone: Mapped[str] = mapped_column(String(64), default="Asia/Tashkent")
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=json_default)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)

    branches: Mapped[list[Branch]] = relationship(back_populates="company", order_by="Branch.id")
    tax_regimes: Mapped[list[CompanyTaxRegime]] = relationship(
        back_populates="company", order_by="CompanyTaxRegime.effective_from"
    )


class CompanyTaxRegime(Base):
    """The tax regime a company is on from a date; the row with the latest date not after a day applies."""

    __tablename__ = "company_tax_regimes"
    __table_args__ = (UniqueConstraint("company_id", "effective_from"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"), index=True)
    regime: Mapped[str] = mapped_column(String(16))
    effective_from: Mapped[date] = mapped_column(Date)

    company: Mapped[Company] = relationship(back_populates="tax_regimes")


class Branch(Base):
    __tablename__ = "branches"
    __table_args__ = (UniqueConstraint("company_id", "regos_stock_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(128))
    regos_stock_id: Mapped[int | None] = mapped_column(BigInteger, default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    company: Mapped[Company] = relationship(back_populates="branches")


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    telegram_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    first_name: Mapped[str] = mapped_column(String(128), default="")
    username: Mapped[str | None] = mapped_column(String(64), default=None)
    language: Mapped[str | None] = mapped_column(String(8), default=None)
    phone: Mapped[str | None] = mapped_column(String(32), default=None)
    active_company_id: Mapped[int | None] = mapped_column(
        ForeignKey("companies.id", ondelete="SET NULL"), default=None
    )
    bot_blocked: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    memberships: Mapped[list[Membership]] = relationship(back_populates="user", order_by="Membership.id")


class Membership(Base):
    """A user's role in a company; `branches` empty means every branch of the company."""

    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("user_id", "company_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(16))
    # Personal preferences in this company: {"summary_muted": bool, "summary_branches": [ids] | null}
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=json_default, server_default="{}")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user: Mapped[User] = relationship(back_populates="memberships")
    company: Mapped[Company] = relationship()
    branches: Mapped[list[Branch]] = relationship(secondary=membership_branches, order_by="Branch.id")


class Employee(Base):
    __tablename__ = "employees"
    __table_args__ = (UniqueConstraint("company_id", "regos_user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"), index=True)
    branch_id: Mapped[int | None] = mapped_column(ForeignKey("branches.id", ondelete="SET NULL"), default=None)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), default=None)
    full_name: Mapped[str] = mapped_column(String(128))
    position: Mapped[str | None] = mapped_column(String(64), default=None)
    phone: Mapped[str | None] = mapped_column(String(32), default=None)
    regos_user_id: Mapped[int | None] = mapped_column(BigInteger, default=None)
    base_salary: Mapped[Decimal] = mapped_column(Money(), default=Decimal("0"))
    hired_on: Mapped[date | None] = mapped_column(Date, default=None)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Invite(Base):
    """A one-time, expiring invitation to join a company with a role (and optionally one branch)."""

    __tablename__ = "invites"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(16))
    branch_id: Mapped[int | None] = mapped_column(ForeignKey("branches.id", ondelete="SET NULL"), default=None)
    created_by_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    used_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), default=None)


class AuditLog(Base):
    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_company_created", "company_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int | None] = mapped_column(ForeignKey("companies.id", ondelete="SET NULL"), default=None)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), default=None)
    action: Mapped[str] = mapped_column(String(64))
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=json_default)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class JobClaim(Base):
    """First writer wins: a second scheduler, replica or retry finds the row and does nothing."""

    __tablename__ = "job_claims"
    __table_args__ = (UniqueConstraint("job", "scope", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    job: Mapped[str] = mapped_column(String(64))
    scope: Mapped[str] = mapped_column(String(64))  # "company:12" or "global"
    period: Mapped[str] = mapped_column(String(64))  # "2026-11-22" or "2026-W47"
    owner: Mapped[str] = mapped_column(String(128))
    status: Mapped[str] = mapped_column(String(16), default="running")
    claimed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    error: Mapped[str | None] = mapped_column(Text, default=None)


class Rate(Base):
    """A dated rate, threshold or minimum (VAT, PIT, MROT, BRV...); the latest row not after a day applies."""

    __tablename__ = "rates"
    __table_args__ = (UniqueConstraint("code", "effective_from"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32))
    value: Mapped[Decimal] = mapped_column(Numeric(18, 4, asdecimal=True))
    effective_from: Mapped[date] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(String(256), default=None)


__all__ = [
    "AppState",
    "AuditLog",
    "Branch",
    "Company",
    "CompanyTaxRegime",
    "Employee",
    "Invite",
    "JobClaim",
    "Membership",
    "Rate",
    "Role",
    "SummaryDelivery",
    "TaxRegime",
    "User",
    "membership_branches",
]


class AppState(Base):
    """Small named values the application keeps between runs (for example the webhook settings hash)."""

    __tablename__ = "app_state"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class SummaryDelivery(Base):
    """A summary sent to one person: what it said (figures) so a later change can be followed by a correction,
    and exactly-once delivery per (company, user, kind, period)."""

    __tablename__ = "summary_deliveries"
    __table_args__ = (UniqueConstraint("company_id", "user_id", "kind", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))  # daily | weekly | monthly
    period: Mapped[str] = mapped_column(String(32))  # 2026-11-22 | 2026-W47 | 2026-11
    figures: Mapped[dict[str, Any]] = mapped_column(JSON, default=json_default)
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending | sent | blocked | failed
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    corrected_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)

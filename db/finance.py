"""Expenses and cash: categories, expenses, cash registers and their movements. Written by services.expenses and
services.cash.

A register's balance is the sum of its posted movements, never a stored number; a movement waiting for approval
(`pending`) or refused does not count. Movements are never edited in amount: a correction is another movement.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, Money, UTCDateTime, utcnow


class ExpenseStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


class AttachmentKind(StrEnum):
    PHOTO = "photo"
    DOCUMENT = "document"


class ExpenseCategory(Base):
    """A company's expense category: a built-in one (`code`, named in each language) or the owner's own (`name`)."""

    __tablename__ = "expense_categories"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"), index=True)
    code: Mapped[str | None] = mapped_column(String(32), default=None)
    name: Mapped[str | None] = mapped_column(String(64), default=None)
    position: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)


class Expense(Base):
    __tablename__ = "expenses"
    __table_args__ = (Index("ix_expenses_company_spent_on", "company_id", "spent_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"))
    branch_id: Mapped[int | None] = mapped_column(ForeignKey("branches.id", ondelete="SET NULL"), default=None)
    category_id: Mapped[int | None] = mapped_column(ForeignKey("expense_categories.id", ondelete="SET NULL"),
                                                    default=None)
    amount: Mapped[Decimal] = mapped_column(Money())
    comment: Mapped[str | None] = mapped_column(Text, default=None)
    attachment_file_id: Mapped[str | None] = mapped_column(String(256), default=None)
    attachment_kind: Mapped[str | None] = mapped_column(String(16), default=None)
    spent_on: Mapped[date] = mapped_column(Date)  # the business day, in the company's zone
    status: Mapped[str] = mapped_column(String(16), default=ExpenseStatus.PENDING)
    auto_approved: Mapped[bool] = mapped_column(Boolean, default=False)
    submitted_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"),
                                                             default=None)
    approval_request_id: Mapped[int | None] = mapped_column(
        ForeignKey("approval_requests.id", ondelete="SET NULL"), default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)


class CashRegister(Base):
    """A cash box of a branch (or of the company, when it has no branches)."""

    __tablename__ = "cash_registers"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"), index=True)
    branch_id: Mapped[int | None] = mapped_column(ForeignKey("branches.id", ondelete="CASCADE"), default=None)
    name: Mapped[str] = mapped_column(String(64))
    cash_limit: Mapped[Decimal | None] = mapped_column(Money(), default=None)  # alert above this
    receives_regos_sales: Mapped[bool] = mapped_column(Boolean, default=True)  # the branch's main register
    limit_alert_day: Mapped[date | None] = mapped_column(Date, default=None)  # the last day an alert went out
    lock_version: Mapped[int] = mapped_column(Integer, default=0)  # bumped to serialise writers of one register
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)


class MovementKind(StrEnum):
    DEPOSIT = "deposit"  # cash put in (+)
    WITHDRAWAL = "withdrawal"  # cash taken out (−)
    TRANSFER_OUT = "transfer_out"  # to another register (−)
    TRANSFER_IN = "transfer_in"  # from another register (+)
    COLLECTION = "collection"  # inkassatsiya: handed to the bank's collectors (−)
    REGOS_SALES = "regos_sales"  # the day's cash sales from REGOS (+, or − for a correction)


class MovementStatus(StrEnum):
    POSTED = "posted"  # counts in the balance
    PENDING = "pending"  # waits for approval; does not count
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


class CashMovement(Base):
    __tablename__ = "cash_movements"
    __table_args__ = (
        Index("ix_cash_movements_register_status", "register_id", "status"),
        Index("ix_cash_movements_company_day", "company_id", "business_day"),
        UniqueConstraint("register_id", "regos_day", "revision"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"))
    register_id: Mapped[int] = mapped_column(ForeignKey("cash_registers.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    amount: Mapped[Decimal] = mapped_column(Money())  # signed: in is positive, out negative
    status: Mapped[str] = mapped_column(String(16), default=MovementStatus.POSTED)
    business_day: Mapped[date] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text, default=None)
    counterpart_register_id: Mapped[int | None] = mapped_column(
        ForeignKey("cash_registers.id", ondelete="SET NULL"), default=None)  # the other side of a transfer
    transfer_key: Mapped[str | None] = mapped_column(String(32), default=None)  # both halves of a transfer
    regos_day: Mapped[date | None] = mapped_column(Date, default=None)  # REGOS_SALES: the day posted
    revision: Mapped[int | None] = mapped_column(Integer, default=None)  # REGOS_SALES: 1, then corrections
    created_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"),
                                                           default=None)
    approval_request_id: Mapped[int | None] = mapped_column(
        ForeignKey("approval_requests.id", ondelete="SET NULL"), default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    posted_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)


__all__ = [
    "AttachmentKind",
    "CashMovement",
    "CashRegister",
    "Expense",
    "ExpenseCategory",
    "ExpenseStatus",
    "MovementKind",
    "MovementStatus",
]

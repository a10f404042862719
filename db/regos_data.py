"""REGOS-synced data: connection, reference data, receipts, wholesale, stock, runs, aggregates, events.

Every row belongs to one company; outside ids (REGOS uuid/id) are unique per company so imports upsert.
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
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, Money, Quantity, UTCDateTime, json_default, utcnow

# The values of the string columns below (plain VARCHARs: an enum member is stored as its value).


class ConnectionStatus(StrEnum):
    OK = "ok"
    FAILING = "failing"  # REGOS could not be used lately; last_error says why
    REVOKED = "revoked"  # the key was rejected


class AuthMode(StrEnum):
    LOCAL = "local"  # the merchant's integration key
    MARKETPLACE = "marketplace"  # connected_integration_id + OAuth client credentials


class SyncTrigger(StrEnum):
    SCHEDULE = "schedule"
    MANUAL = "manual"
    CLI = "cli"
    WEBHOOK = "webhook"
    BENCHMARK = "benchmark"


class SyncRunStatus(StrEnum):
    RUNNING = "running"
    OK = "ok"
    PARTIAL = "partial"  # some days busy or failed, the rest synced
    FAILED = "failed"
    BUSY = "busy"  # every day was held by another sync
    INTERRUPTED = "interrupted"  # its process died (heartbeat went quiet)


class WholesaleKind(StrEnum):
    SALE = "sale"  # DocWholeSale
    RETURN = "return"  # DocWholeSaleReturn


class SalesRole(StrEnum):
    """Whose sales a ``daily_employee_sales`` row counts."""

    SELLER = "seller"
    CASHIER = "cashier"


class RegosConnection(Base):
    """How a company reaches REGOS. The key is stored encrypted (services.crypto), never in clear."""

    __tablename__ = "regos_connections"

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"), unique=True)
    gateway_url: Mapped[str] = mapped_column(String(256))
    key_encrypted: Mapped[str] = mapped_column(Text)
    key_prefix: Mapped[str] = mapped_column(String(8))  # shown to owners, safe to log
    auth_mode: Mapped[str] = mapped_column(String(16), default=AuthMode.LOCAL)
    client_id: Mapped[str | None] = mapped_column(String(128), default=None)
    client_secret_encrypted: Mapped[str | None] = mapped_column(Text, default=None)
    webhook_secret: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), default=ConnectionStatus.OK)
    last_error: Mapped[str | None] = mapped_column(Text, default=None)
    last_checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    last_success_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    settings: Mapped[dict[str, Any]] = mapped_column(JSON, default=json_default)  # schedule and options
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Till(Base):
    """A REGOS OperatingCash (POS till) and the branch (Stock) it belongs to."""

    __tablename__ = "tills"
    __table_args__ = (UniqueConstraint("company_id", "regos_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"), index=True)
    regos_id: Mapped[int] = mapped_column(BigInteger)
    branch_id: Mapped[int | None] = mapped_column(ForeignKey("branches.id", ondelete="SET NULL"), default=None)
    regos_stock_id: Mapped[int | None] = mapped_column(BigInteger, default=None)
    name: Mapped[str] = mapped_column(String(128), default="")
    last_update: Mapped[int] = mapped_column(BigInteger, default=0)


class Item(Base):
    __tablename__ = "items"
    __table_args__ = (UniqueConstraint("company_id", "regos_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"), index=True)
    regos_id: Mapped[int] = mapped_column(BigInteger)
    code: Mapped[str | None] = mapped_column(String(64), default=None)
    name: Mapped[str] = mapped_column(String(256))
    group_name: Mapped[str | None] = mapped_column(String(128), default=None)
    unit: Mapped[str | None] = mapped_column(String(32), default=None)
    min_quantity: Mapped[Decimal | None] = mapped_column(Quantity(), default=None)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    last_update: Mapped[int] = mapped_column(BigInteger, default=0)
    # Item/Get `vat`: its rate in percent (12.00) and class (services.tax: standard, zero, exempt); None: not given
    vat_rate: Mapped[Decimal | None] = mapped_column(Money(), default=None)
    vat_class: Mapped[str | None] = mapped_column(String(16), default=None)


class PaymentType(Base):
    __tablename__ = "payment_types"
    __table_args__ = (UniqueConstraint("company_id", "regos_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"), index=True)
    regos_id: Mapped[int] = mapped_column(BigInteger)
    name: Mapped[str] = mapped_column(String(128))
    is_cash: Mapped[bool] = mapped_column(Boolean, default=False)


class CashSession(Base):
    """A REGOS DocCashSession (shift) on a till; receipts reach their branch through it."""

    __tablename__ = "cash_sessions"
    __table_args__ = (UniqueConstraint("company_id", "uuid"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"), index=True)
    uuid: Mapped[str] = mapped_column(String(64))
    code: Mapped[str | None] = mapped_column(String(64), default=None)
    regos_till_id: Mapped[int | None] = mapped_column(BigInteger, default=None)
    branch_id: Mapped[int | None] = mapped_column(ForeignKey("branches.id", ondelete="SET NULL"), default=None)
    opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    closed: Mapped[bool] = mapped_column(Boolean, default=False)
    last_update: Mapped[int] = mapped_column(BigInteger, default=0)


class Receipt(Base):
    """A REGOS DocCheque. `amount` is positive as REGOS sends it; `is_return` says which way it counts."""

    __tablename__ = "receipts"
    __table_args__ = (
        UniqueConstraint("company_id", "uuid"),
        Index("ix_receipts_company_day", "company_id", "business_day"),
        Index("ix_receipts_company_details", "company_id", "details_synced_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"))
    uuid: Mapped[str] = mapped_column(String(64))
    code: Mapped[str | None] = mapped_column(String(64), default=None)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime())
    business_day: Mapped[date] = mapped_column(Date)
    branch_id: Mapped[int | None] = mapped_column(ForeignKey("branches.id", ondelete="SET NULL"), default=None)
    regos_stock_id: Mapped[int | None] = mapped_column(BigInteger, default=None)
    regos_till_id: Mapped[int | None] = mapped_column(BigInteger, default=None)
    session_uuid: Mapped[str | None] = mapped_column(String(64), default=None)
    status: Mapped[str] = mapped_column(String(16))  # Closed | Canceled | Opened | ...
    is_return: Mapped[bool] = mapped_column(Boolean, default=False)
    amount: Mapped[Decimal] = mapped_column(Money())
    cashier_regos_id: Mapped[int | None] = mapped_column(BigInteger, default=None)
    seller_regos_id: Mapped[int | None] = mapped_column(BigInteger, default=None)
    last_update: Mapped[int] = mapped_column(BigInteger, default=0)
    synced_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    # When its lines and payments were read (the optional details backfill, issue 9); None: headers only.
    details_synced_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)


class ReceiptLine(Base):
    __tablename__ = "receipt_lines"
    __table_args__ = (UniqueConstraint("receipt_id", "uuid"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    receipt_id: Mapped[int] = mapped_column(ForeignKey("receipts.id", ondelete="CASCADE"), index=True)
    uuid: Mapped[str] = mapped_column(String(64))
    item_regos_id: Mapped[int | None] = mapped_column(BigInteger, default=None)
    quantity: Mapped[Decimal] = mapped_column(Quantity())
    price: Mapped[Decimal] = mapped_column(Money())
    amount: Mapped[Decimal] = mapped_column(Money())
    is_storno: Mapped[bool] = mapped_column(Boolean, default=False)  # cancels `storno_uuid`
    storno_uuid: Mapped[str | None] = mapped_column(String(64), default=None)


class ReceiptPayment(Base):
    __tablename__ = "receipt_payments"
    __table_args__ = (UniqueConstraint("receipt_id", "uuid"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    receipt_id: Mapped[int] = mapped_column(ForeignKey("receipts.id", ondelete="CASCADE"), index=True)
    uuid: Mapped[str] = mapped_column(String(64))
    payment_type_regos_id: Mapped[int | None] = mapped_column(BigInteger, default=None)
    payment_type_name: Mapped[str] = mapped_column(String(128), default="")
    value: Mapped[Decimal] = mapped_column(Money())
    is_storno: Mapped[bool] = mapped_column(Boolean, default=False)


class WholesaleDoc(Base):
    """DocWholeSale (kind `sale`) and DocWholeSaleReturn (kind `return`)."""

    __tablename__ = "wholesale_docs"
    __table_args__ = (
        UniqueConstraint("company_id", "kind", "regos_id"),
        Index("ix_wholesale_company_day", "company_id", "business_day"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(8))  # WholesaleKind
    regos_id: Mapped[int] = mapped_column(BigInteger)
    code: Mapped[str | None] = mapped_column(String(64), default=None)
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime())
    business_day: Mapped[date] = mapped_column(Date)
    branch_id: Mapped[int | None] = mapped_column(ForeignKey("branches.id", ondelete="SET NULL"), default=None)
    regos_stock_id: Mapped[int | None] = mapped_column(BigInteger, default=None)
    partner_name: Mapped[str | None] = mapped_column(String(256), default=None)
    seller_regos_id: Mapped[int | None] = mapped_column(BigInteger, default=None)  # REGOS User (payroll commission)
    amount: Mapped[Decimal] = mapped_column(Money())
    performed: Mapped[bool] = mapped_column(Boolean, default=False)
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    last_update: Mapped[int] = mapped_column(BigInteger, default=0)
    vat_calculation_type: Mapped[str | None] = mapped_column(String(16), default=None)  # No | Exclude | Include


class StockLevel(Base):
    __tablename__ = "stock_levels"
    __table_args__ = (UniqueConstraint("company_id", "item_regos_id", "regos_stock_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"), index=True)
    item_regos_id: Mapped[int] = mapped_column(BigInteger)
    regos_stock_id: Mapped[int] = mapped_column(BigInteger)
    quantity: Mapped[Decimal] = mapped_column(Quantity())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class SyncRun(Base):
    """One sync: its window, what it did and how it ended; `cursor` lets a crashed run resume."""

    __tablename__ = "sync_runs"
    __table_args__ = (Index("ix_sync_runs_company_started", "company_id", "started_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"))
    trigger: Mapped[str] = mapped_column(String(16))  # SyncTrigger
    window_from: Mapped[date] = mapped_column(Date)
    window_to: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default=SyncRunStatus.RUNNING)
    pages: Mapped[int] = mapped_column(Integer, default=0)
    inserted: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0)
    skipped: Mapped[int] = mapped_column(Integer, default=0)
    errors: Mapped[list[Any]] = mapped_column(JSON, default=list)
    cursor: Mapped[dict[str, Any]] = mapped_column(JSON, default=json_default)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    duration_ms: Mapped[int | None] = mapped_column(Integer, default=None)


class DailySales(Base):
    """Per company, business day and branch: what the summaries and payroll read."""

    __tablename__ = "daily_sales"
    __table_args__ = (UniqueConstraint("company_id", "business_day", "branch_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"), index=True)
    business_day: Mapped[date] = mapped_column(Date)
    branch_id: Mapped[int | None] = mapped_column(ForeignKey("branches.id", ondelete="CASCADE"), default=None)
    receipts: Mapped[int] = mapped_column(Integer, default=0)
    return_receipts: Mapped[int] = mapped_column(Integer, default=0)
    retail_gross: Mapped[Decimal] = mapped_column(Money(), default=Decimal("0"))
    retail_returns: Mapped[Decimal] = mapped_column(Money(), default=Decimal("0"))
    retail_net: Mapped[Decimal] = mapped_column(Money(), default=Decimal("0"))
    wholesale_net: Mapped[Decimal] = mapped_column(Money(), default=Decimal("0"))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class DailyEmployeeSales(Base):
    __tablename__ = "daily_employee_sales"
    __table_args__ = (UniqueConstraint("company_id", "business_day", "regos_user_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"), index=True)
    business_day: Mapped[date] = mapped_column(Date)
    regos_user_id: Mapped[int] = mapped_column(BigInteger)
    role: Mapped[str] = mapped_column(String(8))  # SalesRole
    receipts: Mapped[int] = mapped_column(Integer, default=0)
    retail_gross: Mapped[Decimal] = mapped_column(Money(), default=Decimal("0"))
    retail_returns: Mapped[Decimal] = mapped_column(Money(), default=Decimal("0"))
    retail_net: Mapped[Decimal] = mapped_column(Money(), default=Decimal("0"))


class Reconciliation(Base):
    """Our totals for a day against REGOS's own RetailReport; a mismatch is shown to the owner."""

    __tablename__ = "reconciliations"
    __table_args__ = (UniqueConstraint("company_id", "business_day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"), index=True)
    business_day: Mapped[date] = mapped_column(Date)
    ours: Mapped[dict[str, Any]] = mapped_column(JSON, default=json_default)
    theirs: Mapped[dict[str, Any]] = mapped_column(JSON, default=json_default)
    matches: Mapped[bool] = mapped_column(Boolean, default=True)
    checked_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class RegosEvent(Base):
    """A webhook or replayed event, kept to deduplicate on `event_id`."""

    __tablename__ = "regos_events"
    __table_args__ = (UniqueConstraint("company_id", "event_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"), index=True)
    event_id: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=json_default)
    occurred_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    processed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    error: Mapped[str | None] = mapped_column(Text, default=None)



class DayItemSales(Base):
    """``RetailReport/Operations`` of one business day for one branch's tills (issue 9): per item, sold and
    returned. ``part`` > 0 is a stretch of a till that changed branch that day (its own window)."""

    __tablename__ = "day_item_sales"
    __table_args__ = (Index("ix_day_item_sales_company_day", "company_id", "business_day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"))
    business_day: Mapped[date] = mapped_column(Date)
    branch_id: Mapped[int | None] = mapped_column(ForeignKey("branches.id", ondelete="SET NULL"), default=None)
    part: Mapped[int] = mapped_column(Integer, default=0)
    item_regos_id: Mapped[int | None] = mapped_column(BigInteger, default=None)
    sold_quantity: Mapped[Decimal] = mapped_column(Quantity(), default=Decimal("0"))
    sold_amount: Mapped[Decimal] = mapped_column(Money(), default=Decimal("0"))
    returned_quantity: Mapped[Decimal] = mapped_column(Quantity(), default=Decimal("0"))
    returned_amount: Mapped[Decimal] = mapped_column(Money(), default=Decimal("0"))


class DayPaymentSales(Base):
    """``RetailReport/Payments`` of one business day for one branch's tills, per payment type (issue 9)."""

    __tablename__ = "day_payment_sales"
    __table_args__ = (Index("ix_day_payment_sales_company_day", "company_id", "business_day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"))
    business_day: Mapped[date] = mapped_column(Date)
    branch_id: Mapped[int | None] = mapped_column(ForeignKey("branches.id", ondelete="SET NULL"), default=None)
    part: Mapped[int] = mapped_column(Integer, default=0)
    payment_type_regos_id: Mapped[int | None] = mapped_column(BigInteger, default=None)
    payment_type_name: Mapped[str] = mapped_column(String(128), default="")
    sale_amount: Mapped[Decimal] = mapped_column(Money(), default=Decimal("0"))
    return_amount: Mapped[Decimal] = mapped_column(Money(), default=Decimal("0"))


class DayReportCounts(Base):
    """``RetailReport/Counts`` of one business day for one branch's tills, kept beside our header sums; both
    figures stay, a mismatch is flagged in ``reconciliations`` (issue 9)."""

    __tablename__ = "day_report_counts"
    __table_args__ = (Index("ix_day_report_counts_company_day", "company_id", "business_day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"))
    business_day: Mapped[date] = mapped_column(Date)
    branch_id: Mapped[int | None] = mapped_column(ForeignKey("branches.id", ondelete="SET NULL"), default=None)
    part: Mapped[int] = mapped_column(Integer, default=0)
    till_ids: Mapped[list[Any]] = mapped_column(JSON, default=list)
    window_start: Mapped[int] = mapped_column(BigInteger, default=0)
    window_end: Mapped[int] = mapped_column(BigInteger, default=0)
    sale_count: Mapped[int] = mapped_column(Integer, default=0)
    return_count: Mapped[int] = mapped_column(Integer, default=0)
    gross_profit: Mapped[Decimal | None] = mapped_column(Money(), default=None)
    fetched_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class RegosBudget(Base):
    """The call budget of one REGOS key, shared by every process (issue 9): a token bucket kept in the
    database (``tokens`` at ``updated`` seconds, Unix time), and how long REGOS told us to hold off."""

    __tablename__ = "regos_budgets"

    key_digest: Mapped[str] = mapped_column(String(64), primary_key=True)
    tokens: Mapped[float] = mapped_column(Float, default=0.0)
    updated: Mapped[float] = mapped_column(Float, default=0.0)
    blocked_until: Mapped[float] = mapped_column(Float, default=0.0)
    throttled: Mapped[int] = mapped_column(Integer, default=0)  # 8213 answers seen for this key
    last_throttled_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)

"""Tax reports: a month's calculation per company (VAT or turnover tax, PIT and social tax, profit tax at a
quarter's end) with its status, the VAT class of items that are not standard-rated, and the register of received
e-invoices imported from an EDI operator's Excel export."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, BigInteger, Date, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, Money, UTCDateTime, json_default, utcnow


class TaxReportStatus(StrEnum):
    DRAFT = "draft"  # computed, may be recomputed
    PENDING = "pending"  # submitted to the approval engine ("ready" once approved)
    READY = "ready"  # approved: the documents are final, waiting to be uploaded to my.soliq.uz
    FILING = "filing"  # uploaded (or sent to the submission endpoint): the filing waits in the approval engine
    FILED = "filed"  # the approvers confirmed the upload the accountant reported


class VatClass(StrEnum):
    STANDARD = "standard"
    ZERO = "zero"  # 0%: exports, listed agricultural goods
    EXEMPT = "exempt"  # outside VAT


class TaxReport(Base):
    """One month of one company: every tax of the month in `figures` (the JSON the CLI prints)."""

    __tablename__ = "tax_reports"
    __table_args__ = (UniqueConstraint("company_id", "period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"), index=True)
    period: Mapped[str] = mapped_column(String(7))  # YYYY-MM
    month: Mapped[date] = mapped_column(Date)  # its first day
    status: Mapped[str] = mapped_column(String(16), default=TaxReportStatus.DRAFT)
    figures: Mapped[dict[str, Any]] = mapped_column(JSON, default=json_default)
    vat_carry_forward: Mapped[Decimal] = mapped_column(Money(), default=Decimal("0"))  # input VAT left over
    version: Mapped[int] = mapped_column(Integer, default=1)  # bumped by each recomputation
    computed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    approval_request_id: Mapped[int | None] = mapped_column(
        ForeignKey("approval_requests.id", ondelete="SET NULL"), default=None
    )
    ready_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    filed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    filed_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), default=None)
    submission_ref: Mapped[str | None] = mapped_column(String(128), default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ItemVatClass(Base):
    """The operator's VAT class of an item (`tax item-vat`); it wins over the item's VAT from REGOS (items.vat_class),
    and an item with neither is at the standard rate."""

    __tablename__ = "item_vat_classes"
    __table_args__ = (UniqueConstraint("company_id", "item_regos_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"), index=True)
    item_regos_id: Mapped[int] = mapped_column(BigInteger)
    vat_class: Mapped[str] = mapped_column(String(16), default=VatClass.STANDARD)


class ReceivedEInvoice(Base):
    """A row of an EDI operator's register of received e-invoices, matched to a purchase when one fits."""

    __tablename__ = "received_e_invoices"
    __table_args__ = (
        UniqueConstraint("company_id", "supplier_tin", "number", "invoice_date", name="uq_received_e_invoices_key"),
        Index("ix_received_e_invoices_company_date", "company_id", "invoice_date"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"))
    supplier_tin: Mapped[str] = mapped_column(String(9))
    supplier_name: Mapped[str | None] = mapped_column(String(256), default=None)
    number: Mapped[str] = mapped_column(String(64))
    invoice_date: Mapped[date] = mapped_column(Date)
    total: Mapped[Decimal | None] = mapped_column(Money(), default=None)
    vat_amount: Mapped[Decimal | None] = mapped_column(Money(), default=None)
    purchase_id: Mapped[int | None] = mapped_column(ForeignKey("purchases.id", ondelete="SET NULL"), default=None)
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


__all__ = ["ItemVatClass", "ReceivedEInvoice", "TaxReport", "TaxReportStatus", "VatClass"]

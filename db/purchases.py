"""Supplier invoices turned into purchases: suppliers (by TIN), purchases with their lines, and the uploaded files
(photos, documents, album parts) an invoice is read from.

A purchase starts as a `draft` (the OCR result on a card), becomes `confirmed` (or `pending_approval` above the
company's threshold) and counts for input VAT only when `vat_claim` is `e_invoice` (an accepted EHF); a paper
document is recorded as `paper`. The tax report reads confirmed purchases from these tables.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, BigInteger, Date, ForeignKey, Index, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, Money, Quantity, UTCDateTime, json_default, utcnow


class PurchaseStatus(StrEnum):
    DRAFT = "draft"  # read from a file, shown on a card, not yet confirmed
    PENDING_APPROVAL = "pending_approval"  # confirmed above the threshold, waiting for an approver
    CONFIRMED = "confirmed"
    DISCARDED = "discarded"


class VatClaim(StrEnum):
    PAPER = "paper"  # input VAT read from a paper document: not creditable until its e-invoice is matched
    E_INVOICE = "e_invoice"  # an accepted electronic invoice (EHF): creditable
    NONE = "none"  # no VAT on the document (QQSsiz / без НДС)


class Supplier(Base):
    __tablename__ = "suppliers"
    __table_args__ = (UniqueConstraint("company_id", "tin"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"), index=True)
    tin: Mapped[str | None] = mapped_column(String(9), default=None)  # 9 digits; NULL for a supplier without one
    name: Mapped[str] = mapped_column(String(256))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Purchase(Base):
    __tablename__ = "purchases"
    __table_args__ = (
        Index("ix_purchases_company_status_date", "company_id", "status", "document_date"),
        Index("ix_purchases_company_file_hash", "company_id", "file_hash"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"))
    branch_id: Mapped[int | None] = mapped_column(ForeignKey("branches.id", ondelete="SET NULL"), default=None)
    supplier_id: Mapped[int | None] = mapped_column(ForeignKey("suppliers.id", ondelete="RESTRICT"), default=None)
    document_number: Mapped[str | None] = mapped_column(String(64), default=None)
    document_date: Mapped[date | None] = mapped_column(Date, default=None)
    currency: Mapped[str] = mapped_column(String(3), default="UZS")
    total_without_vat: Mapped[Decimal | None] = mapped_column(Money(), default=None)
    vat_rate: Mapped[Decimal | None] = mapped_column(Numeric(7, 4, asdecimal=True), default=None)  # 12 means 12%
    total: Mapped[Decimal | None] = mapped_column(Money(), default=None)  # with VAT, so'm
    vat_amount: Mapped[Decimal | None] = mapped_column(Money(), default=None)
    vat_claim: Mapped[str] = mapped_column(String(16), default=VatClaim.PAPER)
    status: Mapped[str] = mapped_column(String(24), default=PurchaseStatus.DRAFT)
    # The card's draft fields as read and edited: supplier name/TIN, buyer, confidence per field, problems.
    draft: Mapped[dict[str, Any]] = mapped_column(JSON, default=json_default)
    file_hash: Mapped[str | None] = mapped_column(String(64), default=None)  # sha256 of the file(s) read
    flow: Mapped[int] = mapped_column(Integer, default=0)  # the card's flow instance (stale buttons)
    chat_id: Mapped[int | None] = mapped_column(BigInteger, default=None)  # where the card is
    message_id: Mapped[int | None] = mapped_column(BigInteger, default=None)
    approval_request_id: Mapped[int | None] = mapped_column(
        ForeignKey("approval_requests.id", ondelete="SET NULL"), default=None
    )
    comment: Mapped[str | None] = mapped_column(Text, default=None)
    created_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    confirmed_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"),
                                                             default=None)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    e_invoice_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)


class PurchaseLine(Base):
    __tablename__ = "purchase_lines"
    __table_args__ = (UniqueConstraint("purchase_id", "line_no"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    purchase_id: Mapped[int] = mapped_column(ForeignKey("purchases.id", ondelete="CASCADE"), index=True)
    line_no: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(256))
    unit: Mapped[str | None] = mapped_column(String(32), default=None)
    item_id: Mapped[int | None] = mapped_column(ForeignKey("items.id", ondelete="SET NULL"), default=None)
    match_score: Mapped[Decimal | None] = mapped_column(Numeric(5, 1, asdecimal=True), default=None)
    quantity: Mapped[Decimal | None] = mapped_column(Quantity(), default=None)
    unit_price: Mapped[Decimal | None] = mapped_column(Money(), default=None)
    amount: Mapped[Decimal | None] = mapped_column(Money(), default=None)  # without VAT
    vat_rate: Mapped[Decimal | None] = mapped_column(Numeric(7, 4, asdecimal=True), default=None)
    vat_amount: Mapped[Decimal | None] = mapped_column(Money(), default=None)
    amount_with_vat: Mapped[Decimal | None] = mapped_column(Money(), default=None)


class UploadStatus(StrEnum):
    WAITING = "waiting"  # an album part waiting for its siblings
    READING = "reading"  # claimed by the background reader
    DONE = "done"
    FAILED = "failed"


class PurchaseUpload(Base):
    """One file sent to the bot (a photo, a document, one part of an album), kept until it has been read."""

    __tablename__ = "purchase_uploads"
    __table_args__ = (Index("ix_purchase_uploads_group", "company_id", "media_group_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), default=None)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    message_id: Mapped[int] = mapped_column(BigInteger)
    progress_message_id: Mapped[int | None] = mapped_column(BigInteger, default=None)  # the "reading..." message
    media_group_id: Mapped[str | None] = mapped_column(String(64), default=None)
    file_id: Mapped[str] = mapped_column(String(256))
    file_unique_id: Mapped[str | None] = mapped_column(String(128), default=None)
    file_name: Mapped[str | None] = mapped_column(String(256), default=None)
    mime_type: Mapped[str | None] = mapped_column(String(128), default=None)
    file_size: Mapped[int | None] = mapped_column(BigInteger, default=None)
    status: Mapped[str] = mapped_column(String(16), default=UploadStatus.WAITING)
    purchase_id: Mapped[int | None] = mapped_column(ForeignKey("purchases.id", ondelete="SET NULL"), default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


__all__ = [
    "Purchase",
    "PurchaseLine",
    "PurchaseStatus",
    "PurchaseUpload",
    "Supplier",
    "UploadStatus",
    "VatClaim",
]

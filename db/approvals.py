"""The approval engine's tables: a request to decide on some object of a feature, and the cards shown for it.

Written by services.approvals only. A request is decided by one conditional UPDATE on `status` (the first valid
press wins); `open_key` is set while a request is pending, so one object has at most one pending request (NULLs
never collide in a unique index, on SQLite and PostgreSQL alike).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, Money, UTCDateTime, json_default, utcnow


class ApprovalStatus(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"  # the requester took it back before anyone decided


class CardPurpose(StrEnum):
    CARD = "card"  # the first card, to every approver
    REMINDER = "reminder"  # sent again after the reminder time
    ESCALATION = "escalation"  # to the owners after the escalation time


class ApprovalRequest(Base):
    __tablename__ = "approval_requests"
    __table_args__ = (Index("ix_approval_requests_company_status_created", "company_id", "status", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(32))  # a registered kind: "expense", "cash", "payroll"...
    object_id: Mapped[int] = mapped_column(Integer)  # the kind's own row
    branch_id: Mapped[int | None] = mapped_column(ForeignKey("branches.id", ondelete="SET NULL"), default=None)
    amount: Mapped[Decimal | None] = mapped_column(Money(), default=None)
    requested_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"),
                                                             default=None)
    # Who may decide, fixed when asked: {"capability", "limits": {role: "amount"}, "remind_after", ...}
    policy: Mapped[dict[str, Any]] = mapped_column(JSON, default=json_default)
    status: Mapped[str] = mapped_column(String(16), default=ApprovalStatus.PENDING)
    open_key: Mapped[str | None] = mapped_column(String(64), unique=True, default=None)
    decided_by_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"),
                                                           default=None)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    reason: Mapped[str | None] = mapped_column(Text, default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    escalated_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)


class ApprovalCard(Base):
    """A card (or reminder) queued for one approver: on a decision each is edited to the outcome."""

    __tablename__ = "approval_cards"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("approval_requests.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    chat_id: Mapped[int] = mapped_column(BigInteger)
    purpose: Mapped[str] = mapped_column(String(16), default=CardPurpose.CARD)
    dedupe_key: Mapped[str] = mapped_column(String(160), unique=True)  # the outbox key it was queued under
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


__all__ = ["ApprovalCard", "ApprovalRequest", "ApprovalStatus", "CardPurpose"]

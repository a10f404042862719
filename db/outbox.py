"""The transactional outbox: a message the bot owes someone, written in the transaction that caused it and sent
after commit by the outbox sender (bot/outbox.py). Written by services.outbox only."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.types import JSON

from db.base import Base, UTCDateTime, utcnow


class OutboxStatus(StrEnum):
    PENDING = "pending"  # waiting to be sent (again, after a transient failure: see next_attempt_at)
    CLAIMED = "claimed"  # taken by a sender, not yet handed to Telegram: safe to take over after the lease
    SENDING = "sending"  # handed to Telegram: after a crash we cannot know if it arrived, so never sent again
    SENT = "sent"
    BLOCKED = "blocked"  # the person blocked the bot
    FAILED = "failed"  # permanent refusal, or out of attempts
    UNKNOWN = "unknown"  # the sender died while this was in flight; not repeated (at most once)


FINAL_STATUSES = frozenset({OutboxStatus.SENT, OutboxStatus.BLOCKED, OutboxStatus.FAILED, OutboxStatus.UNKNOWN})


class OutboxMessage(Base):
    __tablename__ = "outbox"
    __table_args__ = (
        UniqueConstraint("dedupe_key", "part"),
        Index("ix_outbox_status_next_attempt_at", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int | None] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"), default=None,
                                                   index=True)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    kind: Mapped[str] = mapped_column(String(64))  # "sync.alert", "summary.daily"...: logs and outcome hooks
    ref_id: Mapped[int | None] = mapped_column(Integer, default=None)  # the feature's own row (e.g. a delivery)
    text: Mapped[str] = mapped_column(Text)  # the message, or the caption of a document ("" for none)
    # A document to send with sendDocument (the bytes live here until the row is final, then they are dropped).
    document: Mapped[bytes | None] = mapped_column(LargeBinary, default=None)
    document_name: Mapped[str | None] = mapped_column(String(255), default=None)
    reply_markup: Mapped[dict[str, Any] | None] = mapped_column(JSON, default=None)
    edit_message_id: Mapped[int | None] = mapped_column(BigInteger, default=None)  # edit this message instead
    dedupe_key: Mapped[str | None] = mapped_column(String(160), default=None)  # a second enqueue is a no-op
    part: Mapped[int] = mapped_column(Integer, default=0)  # a long text is split, one row a part
    status: Mapped[str] = mapped_column(String(16), default=OutboxStatus.PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    claimed_by: Mapped[str | None] = mapped_column(String(128), default=None)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    message_id: Mapped[int | None] = mapped_column(BigInteger, default=None)  # what Telegram answered
    error: Mapped[str | None] = mapped_column(Text, default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


__all__ = ["FINAL_STATUSES", "OutboxMessage", "OutboxStatus"]

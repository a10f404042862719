"""SMS sent through Eskiz, with their delivery status, and the Eskiz API token (encrypted) per Eskiz account.

Written by services.sms only. One Eskiz account serves the whole deployment (ESKIZ_EMAIL); its token row is keyed
by the account's e-mail, so a company with its own Eskiz account later needs no new table.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, UTCDateTime, utcnow


class SmsStatus(StrEnum):
    QUEUED = "queued"  # recorded in the caller's transaction; the sender has not taken it yet
    SENDING = "sending"  # taken by a sender and handed to Eskiz; after a crash it is never sent again
    WAITING = "waiting"  # Eskiz accepted it ("Waiting for SMS provider")
    SENT = "sent"  # the operator took it (ACCEPTED, ENROUTE, STORED...), no delivery report yet
    DELIVERED = "delivered"  # DELIVRD / DELIVERED
    FAILED = "failed"  # the operator could not deliver it (UNDELIV, EXPIRED, REJECTD...)
    REFUSED = "refused"  # Eskiz refused the request (test-mode text, invalid phone, no balance)


FINAL_SMS_STATUSES = frozenset({SmsStatus.DELIVERED, SmsStatus.FAILED, SmsStatus.REFUSED})


class SmsMessage(Base):
    __tablename__ = "sms_messages"
    __table_args__ = (Index("ix_sms_messages_status_created_at", "status", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int | None] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"), default=None,
                                                   index=True)
    phone: Mapped[str] = mapped_column(String(12))  # 998XXXXXXXXX
    text: Mapped[str] = mapped_column(Text)
    purpose: Mapped[str] = mapped_column(String(32), default="manual")  # payslip, invite, otp, manual...
    ref_id: Mapped[int | None] = mapped_column(Integer, default=None)  # the feature's own row
    user_sms_id: Mapped[str] = mapped_column(String(64), unique=True)  # our id, echoed back in callbacks
    request_id: Mapped[str | None] = mapped_column(String(64), default=None, index=True)  # Eskiz's answer "id"
    provider_id: Mapped[str | None] = mapped_column(String(32), default=None)  # Eskiz's message id (callbacks)
    dispatch_id: Mapped[int | None] = mapped_column(Integer, default=None)
    status: Mapped[str] = mapped_column(String(16), default=SmsStatus.QUEUED)
    provider_status: Mapped[str | None] = mapped_column(String(32), default=None)  # raw Eskiz status
    parts: Mapped[int] = mapped_column(Integer, default=1)
    error: Mapped[str | None] = mapped_column(Text, default=None)
    claimed_by: Mapped[str | None] = mapped_column(String(64), default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    status_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)  # the provider's report time
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class EskizToken(Base):
    """The last token Eskiz issued for an account, encrypted with SECRET_KEY (services.crypto.SecretBox)."""

    __tablename__ = "eskiz_tokens"

    account: Mapped[str] = mapped_column(String(160), primary_key=True)  # the login e-mail, lower case
    token_encrypted: Mapped[str] = mapped_column(Text)
    role: Mapped[str | None] = mapped_column(String(16), default=None)  # "user", or "test" for test accounts
    obtained_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)


__all__ = ["FINAL_SMS_STATUSES", "EskizToken", "SmsMessage", "SmsStatus"]

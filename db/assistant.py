"""The assistant's records: every question with its answer, the tool calls behind it and the asker's feedback
(`ai_exchanges`, reviewed with `/ailog` and `python -m bot ask --log`), the model's daily use per company
(`ai_usage`, the quota) and the last turns of each conversation (`ai_turns`, so "and yesterday?" works across
restarts and replicas). Written by services.ai only.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Date, ForeignKey, Index, Integer, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, UTCDateTime, json_default, utcnow


class AiExchange(Base):
    __tablename__ = "ai_exchanges"
    __table_args__ = (Index("ix_ai_exchanges_company_id_created_at", "company_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), default=None)
    telegram_id: Mapped[int | None] = mapped_column(BigInteger, default=None)
    language: Mapped[str] = mapped_column(String(8))  # uz | ru | en (uz-cyrillic answers are "uz")
    path: Mapped[str] = mapped_column(String(16))  # offline | model | fallback | cli
    intent: Mapped[str] = mapped_column(String(32))
    question: Mapped[str] = mapped_column(Text)
    answer: Mapped[str] = mapped_column(Text)
    tools: Mapped[list[Any]] = mapped_column(JSON, default=list)  # [{name, arguments, ok}]
    note: Mapped[str | None] = mapped_column(String(200), default=None)  # why the model was not used
    latency_ms: Mapped[int] = mapped_column(Integer, default=0)
    feedback: Mapped[int | None] = mapped_column(SmallInteger, default=None)  # +1 | -1
    reason: Mapped[str | None] = mapped_column(String(32), default=None)
    feedback_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class AiUsage(Base):
    __tablename__ = "ai_usage"

    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    used: Mapped[int] = mapped_column(Integer, default=0)


class AiTurn(Base):
    __tablename__ = "ai_turns"
    __table_args__ = (Index("ix_ai_turns_company_id_telegram_id_id", "company_id", "telegram_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"))
    telegram_id: Mapped[int] = mapped_column(BigInteger)
    role: Mapped[str] = mapped_column(String(16))  # user | assistant
    content: Mapped[str] = mapped_column(Text)
    meta: Mapped[dict[str, Any]] = mapped_column(JSON, default=json_default)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

"""What the books know: the business days whose data was imported, per company and branch (issue 11, item 1).

A row says "this branch's sales of this day are in the books". Written by the sync when a day completes
(services.reports.coverage.mark_days_imported); read by every report, chart, summary and export to tell a day
never imported (missing) from a day without sales (zero).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, UTCDateTime, utcnow


class ImportedDay(Base):
    __tablename__ = "imported_days"
    __table_args__ = (
        UniqueConstraint("company_id", "branch_id", "business_day"),
        Index("ix_imported_days_company_day", "company_id", "business_day"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"))
    branch_id: Mapped[int] = mapped_column(ForeignKey("branches.id", ondelete="CASCADE"))
    business_day: Mapped[date] = mapped_column(Date)
    imported_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

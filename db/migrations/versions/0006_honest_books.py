"""honest books: the business days imported per company and branch (issue 11, item 1)

Days synced before this table existed have no rows; services.reports.coverage falls back to the finished sync
runs and the daily aggregates for them.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 22:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import db.base

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "imported_days",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("branch_id", sa.Integer(), nullable=False),
        sa.Column("business_day", sa.Date(), nullable=False),
        sa.Column("imported_at", db.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["company_id"], ["companies.id"], name=op.f("fk_imported_days_company_id_companies"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["branch_id"], ["branches.id"], name=op.f("fk_imported_days_branch_id_branches"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_imported_days")),
        sa.UniqueConstraint("company_id", "branch_id", "business_day",
                            name=op.f("uq_imported_days_company_id_branch_id_business_day")),
    )
    op.create_index("ix_imported_days_company_day", "imported_days", ["company_id", "business_day"])


def downgrade() -> None:
    op.drop_index("ix_imported_days_company_day", table_name="imported_days")
    op.drop_table("imported_days")

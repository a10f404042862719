"""sync days: RetailReport aggregates of each business day per branch's tills (issue 9)

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 22:00:00
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

import db.base

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("day_item_sales", "day_payment_sales", "day_report_counts")


def _common(table: str) -> list[Any]:
    return [
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("business_day", sa.Date(), nullable=False),
        sa.Column("branch_id", sa.Integer(), nullable=True),
        sa.Column("part", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"], ["companies.id"], name=op.f(f"fk_{table}_company_id_companies"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["branch_id"], ["branches.id"], name=op.f(f"fk_{table}_branch_id_branches"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
    ]


def upgrade() -> None:
    op.create_table(
        "day_item_sales",
        *_common("day_item_sales"),
        sa.Column("item_regos_id", sa.BigInteger(), nullable=True),
        sa.Column("sold_quantity", db.base.Quantity(), nullable=False),
        sa.Column("sold_amount", db.base.Money(), nullable=False),
        sa.Column("returned_quantity", db.base.Quantity(), nullable=False),
        sa.Column("returned_amount", db.base.Money(), nullable=False),
    )
    op.create_table(
        "day_payment_sales",
        *_common("day_payment_sales"),
        sa.Column("payment_type_regos_id", sa.BigInteger(), nullable=True),
        sa.Column("payment_type_name", sa.String(length=128), nullable=False),
        sa.Column("sale_amount", db.base.Money(), nullable=False),
        sa.Column("return_amount", db.base.Money(), nullable=False),
    )
    op.create_table(
        "day_report_counts",
        *_common("day_report_counts"),
        sa.Column("till_ids", sa.JSON(), nullable=False),
        sa.Column("window_start", sa.BigInteger(), nullable=False),
        sa.Column("window_end", sa.BigInteger(), nullable=False),
        sa.Column("sale_count", sa.Integer(), nullable=False),
        sa.Column("return_count", sa.Integer(), nullable=False),
        sa.Column("gross_profit", db.base.Money(), nullable=True),
        sa.Column("fetched_at", db.base.UTCDateTime(timezone=True), nullable=False),
    )
    for table in TABLES:
        op.create_index(f"ix_{table}_company_day", table, ["company_id", "business_day"])


def downgrade() -> None:
    for table in reversed(TABLES):
        op.drop_index(f"ix_{table}_company_day", table_name=table)
        op.drop_table(table)

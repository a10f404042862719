"""Tax sources from REGOS: each item's VAT rate and class, each wholesale document's VAT calculation type

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-02 03:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("items", schema=None) as batch_op:
        batch_op.add_column(sa.Column("vat_rate", sa.Numeric(precision=18, scale=2), nullable=True))
        batch_op.add_column(sa.Column("vat_class", sa.String(length=16), nullable=True))
    with op.batch_alter_table("wholesale_docs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("vat_calculation_type", sa.String(length=16), nullable=True))
    # Items are read incrementally (Item/Get since the newest last_update held): forget it once, so the next
    # reference sync reads every item again with its VAT.
    op.execute(sa.text("UPDATE items SET last_update = 0"))


def downgrade() -> None:
    with op.batch_alter_table("wholesale_docs", schema=None) as batch_op:
        batch_op.drop_column("vat_calculation_type")
    with op.batch_alter_table("items", schema=None) as batch_op:
        batch_op.drop_column("vat_class")
        batch_op.drop_column("vat_rate")

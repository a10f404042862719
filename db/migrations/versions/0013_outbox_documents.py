"""outbox documents and payroll extras: an outbox row can carry a document (bytes, file name; its text is the
caption), and a wholesale document keeps its REGOS seller (commission per seller)

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-02 12:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("outbox") as batch:
        batch.add_column(sa.Column("document", sa.LargeBinary(), nullable=True))
        batch.add_column(sa.Column("document_name", sa.String(length=255), nullable=True))
    with op.batch_alter_table("wholesale_docs") as batch:
        batch.add_column(sa.Column("seller_regos_id", sa.BigInteger(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("wholesale_docs") as batch:
        batch.drop_column("seller_regos_id")
    with op.batch_alter_table("outbox") as batch:
        batch.drop_column("document_name")
        batch.drop_column("document")

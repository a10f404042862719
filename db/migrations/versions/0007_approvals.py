"""approvals: the approval engine's requests and cards; expenses and their categories; cash registers and movements

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01 22:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import db.base

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _when(name: str, nullable: bool = True) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, db.base.UTCDateTime(timezone=True), nullable=nullable)


def _money(name: str, nullable: bool = False) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, sa.Numeric(precision=18, scale=2, asdecimal=True), nullable=nullable)


def _fk(column: str, table: str, target: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}"),
                                   ondelete=ondelete)


def upgrade() -> None:
    op.create_table(
        "approval_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("object_id", sa.Integer(), nullable=False),
        sa.Column("branch_id", sa.Integer(), nullable=True),
        _money("amount", nullable=True),
        sa.Column("requested_by_user_id", sa.Integer(), nullable=True),
        sa.Column("policy", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("open_key", sa.String(length=64), nullable=True),
        sa.Column("decided_by_user_id", sa.Integer(), nullable=True),
        _when("decided_at"),
        sa.Column("reason", sa.Text(), nullable=True),
        _when("created_at", nullable=False),
        _when("reminded_at"),
        _when("escalated_at"),
        _fk("company_id", "approval_requests", "companies", "CASCADE"),
        _fk("branch_id", "approval_requests", "branches", "SET NULL"),
        _fk("requested_by_user_id", "approval_requests", "users", "SET NULL"),
        _fk("decided_by_user_id", "approval_requests", "users", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_approval_requests")),
        sa.UniqueConstraint("open_key", name=op.f("uq_approval_requests_open_key")),
    )
    with op.batch_alter_table("approval_requests", schema=None) as batch_op:
        batch_op.create_index("ix_approval_requests_company_status_created", ["company_id", "status", "created_at"],
                              unique=False)

    op.create_table(
        "approval_cards",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("purpose", sa.String(length=16), nullable=False),
        sa.Column("dedupe_key", sa.String(length=160), nullable=False),
        _when("created_at", nullable=False),
        _fk("request_id", "approval_cards", "approval_requests", "CASCADE"),
        _fk("user_id", "approval_cards", "users", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_approval_cards")),
        sa.UniqueConstraint("dedupe_key", name=op.f("uq_approval_cards_dedupe_key")),
    )
    with op.batch_alter_table("approval_cards", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_approval_cards_request_id"), ["request_id"], unique=False)

    op.create_table(
        "expense_categories",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=True),
        sa.Column("name", sa.String(length=64), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        _when("created_at", nullable=False),
        _when("deleted_at"),
        _fk("company_id", "expense_categories", "companies", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_expense_categories")),
    )
    with op.batch_alter_table("expense_categories", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_expense_categories_company_id"), ["company_id"], unique=False)

    op.create_table(
        "expenses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("branch_id", sa.Integer(), nullable=True),
        sa.Column("category_id", sa.Integer(), nullable=True),
        _money("amount"),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("attachment_file_id", sa.String(length=256), nullable=True),
        sa.Column("attachment_kind", sa.String(length=16), nullable=True),
        sa.Column("spent_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("auto_approved", sa.Boolean(), nullable=False),
        sa.Column("submitted_by_user_id", sa.Integer(), nullable=True),
        sa.Column("approval_request_id", sa.Integer(), nullable=True),
        _when("created_at", nullable=False),
        _when("decided_at"),
        _fk("company_id", "expenses", "companies", "CASCADE"),
        _fk("branch_id", "expenses", "branches", "SET NULL"),
        _fk("category_id", "expenses", "expense_categories", "SET NULL"),
        _fk("submitted_by_user_id", "expenses", "users", "SET NULL"),
        _fk("approval_request_id", "expenses", "approval_requests", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_expenses")),
    )
    with op.batch_alter_table("expenses", schema=None) as batch_op:
        batch_op.create_index("ix_expenses_company_spent_on", ["company_id", "spent_on"], unique=False)

    op.create_table(
        "cash_registers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("branch_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=64), nullable=False),
        _money("cash_limit", nullable=True),
        sa.Column("receives_regos_sales", sa.Boolean(), nullable=False),
        sa.Column("limit_alert_day", sa.Date(), nullable=True),
        sa.Column("lock_version", sa.Integer(), nullable=False),
        _when("created_at", nullable=False),
        _when("archived_at"),
        _fk("company_id", "cash_registers", "companies", "CASCADE"),
        _fk("branch_id", "cash_registers", "branches", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cash_registers")),
    )
    with op.batch_alter_table("cash_registers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_cash_registers_company_id"), ["company_id"], unique=False)

    op.create_table(
        "cash_movements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("register_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        _money("amount"),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("business_day", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("counterpart_register_id", sa.Integer(), nullable=True),
        sa.Column("transfer_key", sa.String(length=32), nullable=True),
        sa.Column("regos_day", sa.Date(), nullable=True),
        sa.Column("revision", sa.Integer(), nullable=True),
        sa.Column("created_by_user_id", sa.Integer(), nullable=True),
        sa.Column("approval_request_id", sa.Integer(), nullable=True),
        _when("created_at", nullable=False),
        _when("posted_at"),
        _fk("company_id", "cash_movements", "companies", "CASCADE"),
        _fk("register_id", "cash_movements", "cash_registers", "CASCADE"),
        _fk("counterpart_register_id", "cash_movements", "cash_registers", "SET NULL"),
        _fk("created_by_user_id", "cash_movements", "users", "SET NULL"),
        _fk("approval_request_id", "cash_movements", "approval_requests", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cash_movements")),
        sa.UniqueConstraint("register_id", "regos_day", "revision",
                            name=op.f("uq_cash_movements_register_id_regos_day_revision")),
    )
    with op.batch_alter_table("cash_movements", schema=None) as batch_op:
        batch_op.create_index("ix_cash_movements_register_status", ["register_id", "status"], unique=False)
        batch_op.create_index("ix_cash_movements_company_day", ["company_id", "business_day"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("cash_movements", schema=None) as batch_op:
        batch_op.drop_index("ix_cash_movements_company_day")
        batch_op.drop_index("ix_cash_movements_register_status")
    op.drop_table("cash_movements")
    with op.batch_alter_table("cash_registers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cash_registers_company_id"))
    op.drop_table("cash_registers")
    with op.batch_alter_table("expenses", schema=None) as batch_op:
        batch_op.drop_index("ix_expenses_company_spent_on")
    op.drop_table("expenses")
    with op.batch_alter_table("expense_categories", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_expense_categories_company_id"))
    op.drop_table("expense_categories")
    with op.batch_alter_table("approval_cards", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_approval_cards_request_id"))
    op.drop_table("approval_cards")
    with op.batch_alter_table("approval_requests", schema=None) as batch_op:
        batch_op.drop_index("ix_approval_requests_company_status_created")
    op.drop_table("approval_requests")

"""tax: monthly tax reports with their status, items' VAT classes, the register of received e-invoices; the
profit-tax rate of markets and malls and the threshold warning share as dated rates.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 22:00:00
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal

import sqlalchemy as sa
from alembic import op

import db.base

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# ../shared/reference/uz_tax_payroll.md, sections 0, 1 and 4.
_RATE_ROWS = [
    ("profit_tax_market", Decimal("0.20"), date(2020, 1, 1), "profit tax of markets and shopping malls"),
    ("vat_threshold_warn", Decimal("0.80"), date(2019, 1, 1), "warn when the year's revenue passes this share"),
]


def _fk(column: str, table: str, target: str, ondelete: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}"),
                                   ondelete=ondelete)


def upgrade() -> None:
    op.create_table(
        "tax_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=7), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("figures", sa.JSON(), nullable=False),
        sa.Column("vat_carry_forward", sa.Numeric(precision=18, scale=2), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("computed_at", db.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("approval_request_id", sa.Integer(), nullable=True),
        sa.Column("ready_at", db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("filed_at", db.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("filed_by_user_id", sa.Integer(), nullable=True),
        sa.Column("submission_ref", sa.String(length=128), nullable=True),
        sa.Column("created_at", db.base.UTCDateTime(timezone=True), nullable=False),
        _fk("company_id", "tax_reports", "companies", "CASCADE"),
        _fk("approval_request_id", "tax_reports", "approval_requests", "SET NULL"),
        _fk("filed_by_user_id", "tax_reports", "users", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tax_reports")),
        sa.UniqueConstraint("company_id", "period", name=op.f("uq_tax_reports_company_id_period")),
    )
    with op.batch_alter_table("tax_reports", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_tax_reports_company_id"), ["company_id"], unique=False)

    op.create_table(
        "item_vat_classes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("item_regos_id", sa.BigInteger(), nullable=False),
        sa.Column("vat_class", sa.String(length=16), nullable=False),
        _fk("company_id", "item_vat_classes", "companies", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_item_vat_classes")),
        sa.UniqueConstraint("company_id", "item_regos_id", name=op.f("uq_item_vat_classes_company_id_item_regos_id")),
    )
    with op.batch_alter_table("item_vat_classes", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_item_vat_classes_company_id"), ["company_id"], unique=False)

    op.create_table(
        "received_e_invoices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("company_id", sa.Integer(), nullable=False),
        sa.Column("supplier_tin", sa.String(length=9), nullable=False),
        sa.Column("supplier_name", sa.String(length=256), nullable=True),
        sa.Column("number", sa.String(length=64), nullable=False),
        sa.Column("invoice_date", sa.Date(), nullable=False),
        sa.Column("total", sa.Numeric(precision=18, scale=2), nullable=True),
        sa.Column("vat_amount", sa.Numeric(precision=18, scale=2), nullable=True),
        sa.Column("purchase_id", sa.Integer(), nullable=True),
        sa.Column("imported_at", db.base.UTCDateTime(timezone=True), nullable=False),
        _fk("company_id", "received_e_invoices", "companies", "CASCADE"),
        _fk("purchase_id", "received_e_invoices", "purchases", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_received_e_invoices")),
        sa.UniqueConstraint("company_id", "supplier_tin", "number", "invoice_date",
                            name="uq_received_e_invoices_key"),
    )
    with op.batch_alter_table("received_e_invoices", schema=None) as batch_op:
        batch_op.create_index("ix_received_e_invoices_company_date", ["company_id", "invoice_date"], unique=False)

    rates = sa.table("rates", sa.column("code", sa.String()), sa.column("value", sa.Numeric(18, 4)),
                     sa.column("effective_from", sa.Date()), sa.column("note", sa.String()))
    op.bulk_insert(rates, [{"code": code, "value": value, "effective_from": effective_from, "note": note}
                           for code, value, effective_from, note in _RATE_ROWS])


def downgrade() -> None:
    op.execute(sa.text("DELETE FROM rates WHERE code IN ('profit_tax_market', 'vat_threshold_warn')"))
    with op.batch_alter_table("received_e_invoices", schema=None) as batch_op:
        batch_op.drop_index("ix_received_e_invoices_company_date")
    op.drop_table("received_e_invoices")
    with op.batch_alter_table("item_vat_classes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_item_vat_classes_company_id"))
    op.drop_table("item_vat_classes")
    with op.batch_alter_table("tax_reports", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_tax_reports_company_id"))
    op.drop_table("tax_reports")

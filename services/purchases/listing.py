"""/invoices: purchases by period (document date), supplier and status, paged, and exported as Excel or JSON.
Those who read purchases (owner, manager, accountant) see the company's, within their branches; a sender (the
warehouse) sees their own."""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Membership
from db.purchases import Purchase, PurchaseLine, PurchaseStatus, Supplier
from services.permissions import Capability, branch_scope, can, require

Translate = Callable[..., str]
ZERO = Decimal("0.00")


@dataclass(frozen=True, slots=True)
class PurchaseFilter:
    first: date | None = None  # document dates, inclusive
    last: date | None = None
    supplier_id: int | None = None
    status: PurchaseStatus | None = None  # None: every status but discarded drafts


@dataclass(frozen=True, slots=True)
class PurchasePage:
    rows: list[Purchase]
    total_count: int
    page: int
    pages: int
    totals: dict[str, Decimal]  # confirmed purchases of the filter: total, vat, vat on e-invoices


def _conditions(membership: Membership, flt: PurchaseFilter) -> list[Any]:
    require(membership.role, Capability.INVOICE_SUBMIT)
    conditions: list[Any] = [Purchase.company_id == membership.company_id]
    if can(membership.role, Capability.PURCHASES_READ):
        scope = branch_scope(membership)
        if scope is not None:
            conditions.append(or_(Purchase.branch_id.is_(None), Purchase.branch_id.in_(scope)))
    else:
        conditions.append(Purchase.created_by_user_id == membership.user_id)
    if flt.first is not None:
        conditions.append(Purchase.document_date >= flt.first)
    if flt.last is not None:
        conditions.append(Purchase.document_date <= flt.last)
    if flt.supplier_id:
        conditions.append(Purchase.supplier_id == flt.supplier_id)
    if flt.status is not None:
        conditions.append(Purchase.status == flt.status)
    else:
        conditions.append(Purchase.status.in_([PurchaseStatus.CONFIRMED, PurchaseStatus.PENDING_APPROVAL]))
    return conditions


async def list_purchases(session: AsyncSession, membership: Membership, flt: PurchaseFilter, *, page: int = 0,
                         per_page: int = 10) -> PurchasePage:
    conditions = _conditions(membership, flt)
    count = int(await session.scalar(select(func.count()).select_from(Purchase).where(*conditions)) or 0)
    pages = max(1, -(-count // per_page))
    page = min(max(page, 0), pages - 1)
    rows = list((await session.scalars(
        select(Purchase).where(*conditions)
        .order_by(Purchase.document_date.desc(), Purchase.id.desc())
        .offset(page * per_page).limit(per_page))).all())
    confirmed = [*conditions, Purchase.status == PurchaseStatus.CONFIRMED]
    total, vat = (await session.execute(
        select(func.coalesce(func.sum(Purchase.total), 0), func.coalesce(func.sum(Purchase.vat_amount), 0))
        .where(*confirmed))).one()
    e_vat = await session.scalar(select(func.coalesce(func.sum(Purchase.vat_amount), 0))
                                 .where(*confirmed, Purchase.vat_claim == "e_invoice"))
    totals = {"total": Decimal(str(total)).quantize(ZERO), "vat": Decimal(str(vat)).quantize(ZERO),
              "vat_e_invoice": Decimal(str(e_vat or 0)).quantize(ZERO)}
    return PurchasePage(rows, count, page, pages, totals)


async def all_purchases(session: AsyncSession, membership: Membership, flt: PurchaseFilter) -> list[Purchase]:
    return list((await session.scalars(
        select(Purchase).where(*_conditions(membership, flt))
        .order_by(Purchase.document_date, Purchase.id))).all())


async def suppliers_of(session: AsyncSession, company_id: int) -> list[Supplier]:
    return list((await session.scalars(
        select(Supplier).where(Supplier.company_id == company_id).order_by(Supplier.name, Supplier.id))).all())


async def supplier_names(session: AsyncSession, purchases: Sequence[Purchase]) -> dict[int, Supplier]:
    ids = {p.supplier_id for p in purchases if p.supplier_id}
    if not ids:
        return {}
    return {s.id: s for s in (await session.scalars(select(Supplier).where(Supplier.id.in_(ids)))).all()}


async def lines_of(session: AsyncSession, purchases: Sequence[Purchase]) -> dict[int, list[PurchaseLine]]:
    ids = [p.id for p in purchases]
    out: dict[int, list[PurchaseLine]] = {i: [] for i in ids}
    if ids:
        for line in (await session.scalars(select(PurchaseLine).where(PurchaseLine.purchase_id.in_(ids))
                                           .order_by(PurchaseLine.purchase_id, PurchaseLine.line_no))).all():
            out[line.purchase_id].append(line)
    return out


def _safe(text: str) -> str:
    """What OCR read or a person typed is never run as a formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def purchases_xlsx(rows: Sequence[Purchase], suppliers: dict[int, Supplier], lines: dict[int, list[PurchaseLine]],
                   translate: Translate) -> bytes:
    """Two sheets: the purchases (amounts as numbers, dates as dates, a total row) and their lines."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = translate("invoices-sheet")[:31]
    headers = ["invoices-col-date", "invoices-col-id", "invoices-col-number", "invoices-col-supplier",
               "invoices-col-tin", "invoices-col-net", "invoices-col-vat", "invoices-col-total",
               "invoices-col-claim", "invoices-col-status"]
    sheet.append([translate(key) for key in headers])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sums = [ZERO, ZERO, ZERO]
    for purchase in rows:
        supplier = suppliers.get(purchase.supplier_id or 0)
        sheet.append([purchase.document_date, purchase.id, _safe(purchase.document_number or ""),
                      _safe(supplier.name if supplier else ""), supplier.tin if supplier and supplier.tin else "",
                      purchase.total_without_vat, purchase.vat_amount, purchase.total,
                      translate(f"invoice-claim-{purchase.vat_claim}"),
                      translate(f"invoice-status-{purchase.status}")])
        sheet.cell(row=sheet.max_row, column=1).number_format = "yyyy-mm-dd"
        for column in (6, 7, 8):
            sheet.cell(row=sheet.max_row, column=column).number_format = "#,##0.00"
        if purchase.status == PurchaseStatus.CONFIRMED:
            for index, value in enumerate((purchase.total_without_vat, purchase.vat_amount, purchase.total)):
                sums[index] += value or ZERO
    sheet.append(["", "", "", "", translate("invoices-total-confirmed"), *sums])
    for column in (6, 7, 8):
        sheet.cell(row=sheet.max_row, column=column).number_format = "#,##0.00"
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABCDEFGHIJ", (12, 8, 14, 32, 12, 16, 14, 16, 18, 16), strict=True):
        sheet.column_dimensions[letter].width = width
    detail = workbook.create_sheet(translate("invoices-lines-sheet")[:31])
    detail.append([translate(key) for key in ("invoices-col-id", "invoices-col-line", "invoices-col-item",
                                              "invoices-col-qty", "invoices-col-price", "invoices-col-net",
                                              "invoices-col-vat", "invoices-col-regos")])
    for cell in detail[1]:
        cell.font = Font(bold=True)
    for purchase in rows:
        for line in lines.get(purchase.id, []):
            detail.append([purchase.id, line.line_no, _safe(line.name), line.quantity, line.unit_price, line.amount,
                           line.vat_amount, line.item_id or ""])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _money(value: Decimal | None) -> str | None:
    return None if value is None else format(value, "f")


def purchases_json(rows: Sequence[Purchase], suppliers: dict[int, Supplier],
                   lines: dict[int, list[PurchaseLine]]) -> bytes:
    out = []
    for purchase in rows:
        supplier = suppliers.get(purchase.supplier_id or 0)
        out.append({
            "id": purchase.id, "status": purchase.status, "document_number": purchase.document_number,
            "document_date": purchase.document_date.isoformat() if purchase.document_date else None,
            "supplier": supplier.name if supplier else None, "supplier_tin": supplier.tin if supplier else None,
            "total_without_vat": _money(purchase.total_without_vat), "vat_amount": _money(purchase.vat_amount),
            "total": _money(purchase.total), "vat_claim": purchase.vat_claim, "currency": purchase.currency,
            "lines": [{"line_no": line.line_no, "name": line.name, "item_id": line.item_id,
                       "quantity": _money(line.quantity), "unit_price": _money(line.unit_price),
                       "amount": _money(line.amount), "vat_amount": _money(line.vat_amount)}
                      for line in lines.get(purchase.id, [])],
        })
    return json.dumps(out, ensure_ascii=False, indent=1).encode()


__all__ = [
    "PurchaseFilter",
    "PurchasePage",
    "all_purchases",
    "lines_of",
    "list_purchases",
    "purchases_json",
    "purchases_xlsx",
    "supplier_names",
    "suppliers_of",
]

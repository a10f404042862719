"""Wholesale documents (``DocWholeSale``) and wholesale returns (``DocWholeSaleReturn``) into ``wholesale_docs``.

All documents are kept with their flags; only performed, not delete-marked ones count (see aggregates).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from db.regos_data import WholesaleDoc, WholesaleKind
from services.regos import DocWholeSale, business_day, to_unix

from .receipts import money


@dataclass
class WholesaleCounts:
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0
    days_touched: set[date] = field(default_factory=set)


def wholesale_values(
    doc: DocWholeSale, timezone: str, branch_by_stock: dict[int, int]
) -> dict[str, Any]:
    stock_id = doc.stock_id
    return {
        "code": str(doc.code)[:64] if doc.code else None,
        "occurred_at": doc.date,
        "business_day": business_day(doc.date, timezone),
        "branch_id": branch_by_stock.get(stock_id) if stock_id is not None else None,
        "regos_stock_id": stock_id,
        "partner_name": (doc.partner.name[:256] if doc.partner and doc.partner.name else None),
        "seller_regos_id": seller.id if (seller := doc.seller or doc.attached_user) is not None else None,
        "amount": money(doc.amount),
        "performed": bool(doc.performed),
        "deleted": bool(doc.deleted_mark),
        "last_update": to_unix(doc.last_update) if doc.last_update is not None else 0,
        "vat_calculation_type": doc.vat_calculation_type.value if doc.vat_calculation_type is not None else None,
    }


async def store_wholesale(
    session: AsyncSession,
    company_id: int,
    kind: WholesaleKind,
    docs: Sequence[DocWholeSale],
    *,
    timezone: str,
    branch_by_stock: dict[int, int],
) -> WholesaleCounts:
    """Upsert documents of one kind by REGOS id (inside the caller's write transaction)."""
    counts = WholesaleCounts()
    if not docs:
        return counts
    existing = {
        row.regos_id: row
        for row in (
            await session.execute(
                select(WholesaleDoc).where(
                    WholesaleDoc.company_id == company_id,
                    WholesaleDoc.kind == kind,
                    WholesaleDoc.regos_id.in_([d.id for d in docs]),
                )
            )
        ).scalars()
    }
    for doc in docs:
        values = wholesale_values(doc, timezone, branch_by_stock)
        row = existing.get(doc.id)
        if row is None:
            row = WholesaleDoc(company_id=company_id, kind=kind, regos_id=doc.id, **values)
            session.add(row)
            existing[doc.id] = row
            counts.inserted += 1
        elif any(getattr(row, k) != v for k, v in values.items()):
            counts.days_touched.add(row.business_day)
            for key, value in values.items():
                setattr(row, key, value)
            counts.updated += 1
        else:
            counts.unchanged += 1
            continue
        counts.days_touched.add(values["business_day"])
    await session.flush()
    return counts


async def mark_missing_wholesale(
    session: AsyncSession, company_id: int, kind: WholesaleKind, day: date, listed_ids: Iterable[int]
) -> int:
    """Documents of ``day`` that a complete listing no longer contains were deleted in REGOS."""
    keep = set(listed_ids)
    rows = await session.execute(
        select(WholesaleDoc.id, WholesaleDoc.regos_id).where(
            WholesaleDoc.company_id == company_id,
            WholesaleDoc.kind == kind,
            WholesaleDoc.business_day == day,
            WholesaleDoc.deleted.is_(False),
        )
    )
    gone = [row_id for row_id, regos_id in rows.all() if regos_id not in keep]
    if gone:
        await session.execute(update(WholesaleDoc).where(WholesaleDoc.id.in_(gone)).values(deleted=True))
    return len(gone)

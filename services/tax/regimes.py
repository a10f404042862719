"""A company's tax regime as dated rows: setting one from a day (audited)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import CompanyTaxRegime, TaxRegime
from services import audit


async def set_regime(session: AsyncSession, company_id: int, regime: TaxRegime, effective_from: date, *,
                     actor_user_id: int | None = None) -> CompanyTaxRegime:
    """The regime from `effective_from` on (replaces a row of the same day)."""
    row = await session.scalar(select(CompanyTaxRegime).where(CompanyTaxRegime.company_id == company_id,
                                                              CompanyTaxRegime.effective_from == effective_from))
    if row is None:
        row = CompanyTaxRegime(company_id=company_id, regime=regime.value, effective_from=effective_from)
        session.add(row)
    else:
        row.regime = regime.value
    await session.flush()
    audit.record(session, "tax.regime.set", company_id=company_id, user_id=actor_user_id, regime=regime.value,
                 effective_from=effective_from.isoformat())
    return row




async def set_item_vat_class(session: AsyncSession, company_id: int, item_regos_id: int, vat_class: str) -> None:
    """Marks a REGOS item zero-rated or exempt (or standard): wins over the item's VAT from REGOS."""
    from db.tax import ItemVatClass, VatClass

    value = VatClass(vat_class).value
    row = await session.scalar(select(ItemVatClass).where(ItemVatClass.company_id == company_id,
                                                          ItemVatClass.item_regos_id == item_regos_id))
    if row is None:
        session.add(ItemVatClass(company_id=company_id, item_regos_id=item_regos_id, vat_class=value))
    else:
        row.vat_class = value
    await session.flush()
    audit.record(session, "tax.item_vat.set", company_id=company_id, item_regos_id=item_regos_id, vat_class=value)


__all__ = ["set_item_vat_class", "set_regime"]

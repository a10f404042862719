"""The register of received e-invoices: rows matched to purchases by supplier TIN, number and date make their input
VAT creditable; unmatched on either side are listed; a register of another buyer or without the needed columns is
refused and changes nothing."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Company, CompanyTaxRegime, TaxRegime
from db.purchases import Purchase, PurchaseStatus, Supplier, VatClaim
from db.regos_data import SyncRun, SyncRunStatus
from db.tax import ReceivedEInvoice
from services.tax.compute import compute_month
from services.tax.einvoices import RegisterColumns, RegisterOtherCompany, import_register
from tests.helpers import create_company

D = Decimal
HEAD = ["№", "Дата", "ИНН продавца", "Продавец", "ИНН покупателя", "Сумма с НДС", "Сумма НДС", "Статус"]


def xlsx(rows: list[list[Any]], head: list[str] = HEAD) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Реестр полученных счетов-фактур"])
    sheet.append(head)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


async def setup(session: AsyncSession) -> tuple[Company, list[Purchase]]:
    company = await create_company(session, name="Oila Market", tin="301234567")
    session.add(CompanyTaxRegime(company_id=company.id, regime=TaxRegime.VAT.value, effective_from=date(2025, 1, 1)))
    supplier = Supplier(company_id=company.id, tin="207777777", name="Ulgurji MChJ")
    session.add(supplier)
    await session.flush()
    made = []
    for number, day, vat in (("F-101", date(2025, 11, 5), 120_000), ("F-102", date(2025, 11, 9), 60_000)):
        purchase = Purchase(company_id=company.id, supplier_id=supplier.id, document_number=number,
                            document_date=day, total=D(vat) * 28 / 3, vat_amount=D(vat), vat_claim=VatClaim.PAPER,
                            status=PurchaseStatus.CONFIRMED)
        session.add(purchase)
        made.append(purchase)
    await session.flush()
    return company, made


async def test_register_matches_purchases(session: AsyncSession) -> None:
    company, (first, second) = await setup(session)
    data = xlsx([
        ["F 101", "05.11.2025", "207777777", "Ulgurji MChJ", "301234567", "1120000", "120000", "Подписан"],
        ["F-900", "07.11.2025", "207777777", "Ulgurji MChJ", "301234567", "560000", "60000", "Подписан"],
        ["F-102", "09.11.2025", "207777777", "Ulgurji MChJ", "301234567", "560000", "60000", "Отклонён"],
    ])
    result = await import_register(session, company, data, "reestr.xlsx")
    assert (result.rows, result.new, result.matched, result.skipped_not_accepted) == (2, 2, [first.id], 1)
    assert result.without_purchase == [{"tin": "207777777", "number": "F-900", "date": "2025-11-07"}]
    assert [p["id"] for p in result.purchases_without] == [second.id]
    assert (first.vat_claim, second.vat_claim) == (VatClaim.E_INVOICE, VatClaim.PAPER)
    session.add(SyncRun(company_id=company.id, trigger="cli", window_from=date(2025, 11, 1),
                        window_to=date(2025, 11, 30), status=SyncRunStatus.OK))
    await session.flush()
    figures = await compute_month(session, company, date(2025, 11, 1), date(2025, 12, 3))
    assert figures["taxes"]["vat"]["input"]["credited"] == "120000.00"
    assert figures["taxes"]["vat"]["input"]["paper_not_credited"] == "60000.00"
    again = await import_register(session, company, data, "reestr.xlsx")  # the same file again: no duplicates
    assert again.new == 0 and await session.scalar(select(func.count()).select_from(ReceivedEInvoice)) == 2


async def test_another_buyer_or_unknown_columns_change_nothing(session: AsyncSession) -> None:
    company, (first, _) = await setup(session)
    other = xlsx([["F-101", "2025-11-05", "207777777", "Ulgurji", "309999999", "1120000", "120000", "Подписан"]])
    with pytest.raises(RegisterOtherCompany) as refused:
        await import_register(session, company, other, "other.xlsx")
    assert refused.value.params == {"tin": "309999999", "row": 3}
    with pytest.raises(RegisterColumns) as columns:
        await import_register(session, company, xlsx([["a", "b"]], head=["Colour", "Size"]), "odd.xlsx")
    assert "Colour" in columns.value.params["found"]
    csv_data = b"Seller TIN;Number;Date;VAT\n207777777;F-101;2025-11-05;120000\n"
    result = await import_register(session, company, csv_data, "didox.csv")
    assert result.matched == [first.id]

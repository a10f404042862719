"""The register of received e-invoices (EHF) that EDI operators (Didox, Faktura.uz, my.soliq.uz) export as Excel or
CSV: each row is matched to a purchase by supplier TIN, number and date; a matched purchase is marked "e-invoice
received" (its input VAT becomes creditable). The result lists purchases still without one and e-invoices without
a purchase. A register of another company (buyer TIN) or without the needed columns is refused, nothing imported.

The operators' APIs are for later: `EdiOperator` is the adapter a client will implement, with its base URL from
configuration, returning the same register bytes this module reads."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from db.base import utcnow
from db.models import Company
from db.purchases import Purchase, PurchaseStatus, Supplier, VatClaim
from db.tax import ReceivedEInvoice
from services import audit
from services.errors import ValidationFailed

MAX_ROWS = 20_000
COLUMNS: dict[str, tuple[str, ...]] = {
    "supplier_tin": ("seller tin", "sellertin", "supplier tin", "sotuvchi stir", "sotuvchi stiri",
                     "yetkazib beruvchi stir", "инн продавца", "инн поставщика", "стир продавца"),
    "supplier_name": ("seller", "seller name", "sellername", "supplier", "sotuvchi", "yetkazib beruvchi",
                      "продавец", "поставщик", "наименование продавца"),
    "buyer_tin": ("buyer tin", "buyertin", "xaridor stir", "xaridor stiri", "инн покупателя", "стир покупателя"),
    "number": ("number", "invoice number", "facturano", "factura no", "raqam", "hujjat raqami", "faktura raqami",
               "номер", "номер документа", "номер счёт-фактуры", "номер счет-фактуры", "№"),
    "date": ("date", "invoice date", "facturadate", "sana", "hujjat sanasi", "faktura sanasi", "дата",
             "дата документа", "дата счёт-фактуры", "дата счет-фактуры"),
    "total": ("total", "total with vat", "deliverysumwithvat", "jami", "summa", "qqs bilan summa", "сумма",
              "сумма с ндс", "итого"),
    "vat": ("vat", "vat amount", "vatsum", "qqs", "qqs summasi", "ндс", "сумма ндс"),
    "status": ("status", "holat", "статус"),
}
REQUIRED = ("supplier_tin", "number", "date")
ACCEPTED = re.compile(r"sign|imzo|подпис|accept|qabul|принят|^3$", re.IGNORECASE)


class RegisterInvalid(ValidationFailed):
    key = "tax-einv-error-file"


class RegisterColumns(ValidationFailed):
    key = "tax-einv-error-columns"


class RegisterOtherCompany(ValidationFailed):
    key = "tax-einv-error-buyer"


class EdiOperator(Protocol):
    """An EDI operator's API (Didox, Faktura.uz): the received e-invoices of a period as a register file."""

    async def received_register(self, company_tin: str, first: date, last: date) -> tuple[bytes, str]: ...


@dataclass(slots=True)
class RegisterResult:
    rows: int = 0
    new: int = 0
    matched: list[int] = field(default_factory=list)  # purchase ids marked "e-invoice received"
    without_purchase: list[dict[str, Any]] = field(default_factory=list)
    purchases_without: list[dict[str, Any]] = field(default_factory=list)
    skipped_not_accepted: int = 0
    ignored_columns: list[str] = field(default_factory=list)


def _norm(text: Any) -> str:
    return re.sub(r"\s+", " ", str(text or "").strip().lower().replace("ʻ", "").replace("'", ""))


def _number(text: Any) -> str:
    return re.sub(r"[\s\-/№#]", "", str(text or "")).lower()


def _tin(text: Any) -> str:
    digits = re.sub(r"\D", "", str(text or ""))
    return digits


def _date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value or "").strip()
    for shape in ("%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y", "%d.%m.%y"):
        try:
            return datetime.strptime(text[:10], shape).date()
        except ValueError:
            continue
    return None


def _money(value: Any) -> Decimal | None:
    if value is None or str(value).strip() == "":
        return None
    try:
        return Decimal(str(value).replace("\u00a0", "").replace(" ", "").replace(",", ".")).quantize(Decimal("0.01"))
    except InvalidOperation:
        return None


def _table(data: bytes, filename: str) -> list[list[Any]]:
    if filename.lower().endswith(".csv"):
        text = data.decode("utf-8-sig", errors="replace")
        dialect = csv.Sniffer().sniff(text[:2000], delimiters=",;\t") if text.strip() else csv.excel
        return [list(row) for row in csv.reader(io.StringIO(text), dialect)][:MAX_ROWS]
    try:
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:
        raise RegisterInvalid(name=filename) from None
    sheet = book.worksheets[0]
    return [list(row) for _, row in zip(range(MAX_ROWS), sheet.iter_rows(values_only=True), strict=False)]


def _header(rows: list[list[Any]]) -> tuple[int, dict[str, int], list[str]]:
    """The header row (among the first 10), the known columns' positions and the unknown headers."""
    aliases = {alias: name for name, names in COLUMNS.items() for alias in names}
    best: tuple[int, dict[str, int], list[str]] = (-1, {}, [])
    for index, row in enumerate(rows[:10]):
        found: dict[str, int] = {}
        unknown: list[str] = []
        for position, cell in enumerate(row):
            title = _norm(cell)
            if not title:
                continue
            if title in aliases and aliases[title] not in found:
                found[aliases[title]] = position
            else:
                unknown.append(str(cell).strip())
        if (len(found), len(unknown)) > (len(best[1]), len(best[2])):
            best = (index, found, unknown)
    return best


async def import_register(session: AsyncSession, company: Company, data: bytes, filename: str, *,
                          actor_user_id: int | None = None) -> RegisterResult:
    rows = _table(data, filename)
    header_at, columns, unknown = _header(rows)
    missing = [name for name in REQUIRED if name not in columns]
    if missing:
        raise RegisterColumns(found=", ".join(unknown[:10]) or "—")

    def cell(row: list[Any], name: str) -> Any:
        position = columns.get(name)
        return row[position] if position is not None and position < len(row) else None

    parsed: list[dict[str, Any]] = []
    result = RegisterResult(ignored_columns=unknown)
    for number, row in enumerate(rows[header_at + 1:], start=header_at + 2):
        if not any(str(value or "").strip() for value in row):
            continue
        buyer = _tin(cell(row, "buyer_tin"))
        if buyer and buyer != company.tin:
            raise RegisterOtherCompany(tin=buyer, row=number)
        tin, doc = _tin(cell(row, "supplier_tin")), str(cell(row, "number") or "").strip()
        day = _date(cell(row, "date"))
        if len(tin) != 9 or not doc or day is None:
            raise RegisterInvalid(name=f"{filename}: {number}")
        status = cell(row, "status")
        if status is not None and str(status).strip() and not ACCEPTED.search(str(status).strip()):
            result.skipped_not_accepted += 1
            continue
        parsed.append({"tin": tin, "name": str(cell(row, "supplier_name") or "").strip() or None, "number": doc,
                       "day": day, "total": _money(cell(row, "total")), "vat": _money(cell(row, "vat"))})
    purchases = (await session.execute(
        select(Purchase, Supplier.tin).join(Supplier, Supplier.id == Purchase.supplier_id)
        .where(Purchase.company_id == company.id,
               Purchase.status.in_((PurchaseStatus.CONFIRMED, PurchaseStatus.PENDING_APPROVAL)))
    )).all()
    by_key = {(tin, _number(p.document_number), p.document_date): p for p, tin in purchases if tin}
    for item in parsed[:MAX_ROWS]:
        result.rows += 1
        invoice = await session.scalar(select(ReceivedEInvoice).where(
            ReceivedEInvoice.company_id == company.id, ReceivedEInvoice.supplier_tin == item["tin"],
            ReceivedEInvoice.number == item["number"][:64], ReceivedEInvoice.invoice_date == item["day"]))
        if invoice is None:
            invoice = ReceivedEInvoice(company_id=company.id, supplier_tin=item["tin"], number=item["number"][:64],
                                       invoice_date=item["day"])
            session.add(invoice)
            result.new += 1
        invoice.supplier_name, invoice.total, invoice.vat_amount = item["name"], item["total"], item["vat"]
        purchase = by_key.get((item["tin"], _number(item["number"]), item["day"]))
        if purchase is None:
            result.without_purchase.append({"tin": item["tin"], "number": item["number"],
                                            "date": item["day"].isoformat()})
            continue
        invoice.purchase_id = purchase.id
        if purchase.vat_claim != VatClaim.E_INVOICE:
            purchase.vat_claim = VatClaim.E_INVOICE
            purchase.e_invoice_at = utcnow()
            if purchase.vat_amount is None and item["vat"] is not None:
                purchase.vat_amount = item["vat"]
        result.matched.append(purchase.id)
    matched = set(result.matched)
    months = {(item["day"].year, item["day"].month) for item in parsed}  # the months the register covers
    for purchase, supplier_tin in purchases:
        day = purchase.document_date
        if (purchase.id not in matched and purchase.vat_claim == VatClaim.PAPER and day is not None
                and (day.year, day.month) in months):
            result.purchases_without.append({"id": purchase.id, "tin": supplier_tin, "number": purchase.document_number,
                                             "date": day.isoformat()})
    await session.flush()
    audit.record(session, "tax.einvoices.imported", company_id=company.id, user_id=actor_user_id,
                 rows=result.rows, matched=len(result.matched), file=filename[:100])
    return result


__all__ = ["EdiOperator", "RegisterColumns", "RegisterInvalid", "RegisterOtherCompany", "RegisterResult",
           "import_register"]

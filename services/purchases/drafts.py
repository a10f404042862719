"""From OCR results to draft purchases: an album told apart into invoices, its pages merged, the draft stored for
its card, a field fixed by typing (validated), and the checks a card shows (totals that do not add up are flagged,
never "fixed").

    groups = split_documents(results)                 # [[page 1, page 2], [another invoice]]
    data = merge(group)                               # the fields, the lines, confidence, problems
    purchase = await create_draft(session, company_id=..., user_id=..., data=data, file_hash=...)
    edit_field(purchase, EditField.DATE, "13.02.2025", today=today)    # or refuses, changing nothing
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from db.purchases import Purchase, PurchaseStatus, VatClaim
from services.amounts import parse_amount
from services.errors import DomainError, ValidationFailed
from services.ocr import OcrResult, ProblemCode, parse_date

LOW_CONFIDENCE = 0.6
TOLERANCE = Decimal("1.00")  # so'm: rounding on printed documents
MAX_NAME = 200
MAX_NUMBER = 40
EARLIEST = date(2000, 1, 1)
# OCR problems a card keeps as they were read; the arithmetic ones are checked again on the current values.
KEPT_PROBLEMS = (ProblemCode.LINE_MISMATCH, ProblemCode.WORDS_MISMATCH, ProblemCode.LOW_QUALITY,
                 ProblemCode.TOO_MANY_PAGES)
LIVE_STATUSES = (PurchaseStatus.DRAFT, PurchaseStatus.PENDING_APPROVAL, PurchaseStatus.CONFIRMED)


class EditField(StrEnum):
    SUPPLIER = "supplier"
    TIN = "tin"
    NUMBER = "number"
    DATE = "date"
    NET = "net"  # total without VAT
    VAT = "vat"
    TOTAL = "total"


# --- an album: which pages belong together ----------------------------------------------------------------------


def _key(result: OcrResult) -> tuple[Any, Any]:
    return result.value("invoice_number"), result.value("seller_tin")


def split_documents(results: list[OcrResult]) -> list[list[OcrResult]]:
    """The parts of an album in order: a part with its own number or seller TIN that differs from the invoice
    being collected starts another invoice; a part with neither (a second page, a table's continuation) belongs
    to the one before."""
    groups: list[list[OcrResult]] = []
    for result in results:
        number, tin = _key(result)
        if groups:
            current_numbers = {r.value("invoice_number") for r in groups[-1]} - {None}
            current_tins = {r.value("seller_tin") for r in groups[-1]} - {None}
            differs = (number is not None and current_numbers and number not in current_numbers) or (
                tin is not None and current_tins and tin not in current_tins)
            if not differs:
                groups[-1].append(result)
                continue
        groups.append([result])
    return groups


@dataclass
class DraftData:
    fields: dict[str, Any] = field(default_factory=dict)  # FIELD_NAMES → value (Decimal, date, str, None)
    confidence: dict[str, float] = field(default_factory=dict)
    items: list[dict[str, Any]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    without_vat: bool = False
    kind: str = "unknown"
    pages: int = 0
    file_hash: str = ""


_TOTALS = ("total_without_vat", "vat_amount", "total")


def merge(parts: list[OcrResult]) -> DraftData:
    """One invoice from its pages: the header from the first page that has it, totals from the last, lines in
    page order."""
    data = DraftData(kind=parts[0].kind.value)
    for name in parts[0].fields:
        ordered = reversed(parts) if name in _TOTALS else iter(parts)
        for part in ordered:
            read = part.fields[name]
            if read.present:
                data.fields[name], data.confidence[name] = read.value, round(read.confidence, 2)
                break
        else:
            data.fields[name], data.confidence[name] = None, 0.0
    for part in parts:
        for item in part.items:
            data.items.append({name: item.get(name).value for name in
                               ("name", "unit", "quantity", "unit_price", "amount", "vat_rate", "vat_amount",
                                "amount_with_vat")} | {"confidence": round(item.confidence, 2)})
        for problem in part.problems:
            if problem.code in KEPT_PROBLEMS and problem.code.value not in data.problems:
                data.problems.append(problem.code.value)
        data.pages += max(1, len(part.pages))
    data.without_vat = any(part.without_vat for part in parts)
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.sha256.encode())
    data.file_hash = parts[0].sha256 if len(parts) == 1 else digest.hexdigest()
    return data


# --- storing a draft --------------------------------------------------------------------------------------------


def _json(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, date):
        return value.isoformat()
    return value


def _short(text: Any, limit: int) -> str | None:
    cleaned = " ".join(str(text or "").split())
    return cleaned[:limit] or None


async def duplicate_of_file(session: AsyncSession, company_id: int, file_hash: str) -> Purchase | None:
    return await session.scalar(
        select(Purchase).where(Purchase.company_id == company_id, Purchase.file_hash == file_hash,
                               Purchase.status.in_(LIVE_STATUSES)).order_by(Purchase.id).limit(1))


async def create_draft(session: AsyncSession, *, company_id: int, user_id: int | None, data: DraftData,
                       branch_id: int | None = None, chat_id: int | None = None) -> Purchase:
    """The draft shown on a card. The same file sent again (same bytes) is refused, naming the purchase it is."""
    if data.file_hash:
        earlier = await duplicate_of_file(session, company_id, data.file_hash)
        if earlier is not None:
            raise DomainError("invoice-duplicate-file", id=earlier.id, status=earlier.status)
    values = data.fields
    vat = values.get("vat_amount")
    claim = VatClaim.NONE if data.without_vat or (vat is not None and vat == 0) else VatClaim.PAPER
    number = _short(values.get("invoice_number"), MAX_NUMBER)
    purchase = Purchase(
        company_id=company_id, branch_id=branch_id, document_number=number,
        document_date=values.get("date"), currency=str(values.get("currency") or "UZS")[:3],
        total_without_vat=values.get("total_without_vat"), vat_rate=values.get("vat_rate"),
        total=values.get("total"), vat_amount=Decimal("0.00") if data.without_vat and vat is None else vat,
        vat_claim=claim, status=PurchaseStatus.DRAFT, file_hash=data.file_hash or None, chat_id=chat_id,
        created_by_user_id=user_id,
        draft={
            "supplier": _short(values.get("seller"), MAX_NAME), "supplier_tin": values.get("seller_tin"),
            "buyer": _short(values.get("buyer"), MAX_NAME), "buyer_tin": values.get("buyer_tin"),
            "confidence": data.confidence, "items": [{k: _json(v) for k, v in item.items()} for item in data.items],
            "problems": data.problems, "without_vat": data.without_vat, "kind": data.kind, "pages": data.pages,
            "edited": [],
        },
    )
    session.add(purchase)
    await session.flush()
    return purchase


# --- what a card says -------------------------------------------------------------------------------------------

_FIELD_CONFIDENCE = {EditField.SUPPLIER: "seller", EditField.TIN: "seller_tin", EditField.NUMBER: "invoice_number",
                     EditField.DATE: "date", EditField.NET: "total_without_vat", EditField.VAT: "vat_amount",
                     EditField.TOTAL: "total"}


def low_confidence(purchase: Purchase) -> set[EditField]:
    """The fields read with little confidence and not corrected by hand since."""
    draft = purchase.draft or {}
    confidence = draft.get("confidence") or {}
    edited = set(draft.get("edited") or [])
    return {f for f, name in _FIELD_CONFIDENCE.items()
            if f.value not in edited and confidence.get(name) is not None and confidence[name] < LOW_CONFIDENCE
            and value_of(purchase, f) is not None}


def value_of(purchase: Purchase, which: EditField) -> Any:
    draft = purchase.draft or {}
    return {EditField.SUPPLIER: draft.get("supplier"), EditField.TIN: draft.get("supplier_tin"),
            EditField.NUMBER: purchase.document_number, EditField.DATE: purchase.document_date,
            EditField.NET: purchase.total_without_vat, EditField.VAT: purchase.vat_amount,
            EditField.TOTAL: purchase.total}[which]


def items_of(purchase: Purchase) -> list[dict[str, Any]]:
    out = []
    for raw in (purchase.draft or {}).get("items") or []:
        item = dict(raw)
        for name in ("quantity", "unit_price", "amount", "vat_rate", "vat_amount", "amount_with_vat"):
            item[name] = Decimal(str(item[name])) if item.get(name) not in (None, "") else None
        out.append(item)
    return out


def checks(purchase: Purchase) -> list[str]:
    """Problems to flag on the card, on the values as they are now (after edits): missing fields, lines that do not
    add up to the total, VAT that does not fit; plus what the reader noticed."""
    flags: list[str] = list((purchase.draft or {}).get("problems") or [])
    if not (purchase.draft or {}).get("supplier_tin"):
        flags.append("no_tin")
    items = items_of(purchase)
    if not items:
        flags.append("no_items")
    net, vat, total = purchase.total_without_vat, purchase.vat_amount, purchase.total
    amounts = [item["amount"] for item in items if item["amount"] is not None]
    if items and len(amounts) == len(items):
        lines_sum = sum(amounts, Decimal(0))
        with_vat = [item["amount_with_vat"] for item in items if item["amount_with_vat"] is not None]
        expected = net if net is not None else None
        if expected is None and total is not None and len(with_vat) == len(items):
            expected, lines_sum = total, sum(with_vat, Decimal(0))
        if expected is not None and abs(lines_sum - expected) > TOLERANCE:
            flags.append("totals_mismatch")
    if net is not None and vat is not None and total is not None and abs(net + vat - total) > TOLERANCE:
        flags.append("vat_mismatch")
    if total is None:
        flags.append("no_total")
    if purchase.document_date is None:
        flags.append("no_date")
    return list(dict.fromkeys(flags))


# --- Edit: a field typed by hand --------------------------------------------------------------------------------

_TIN = re.compile(r"\d{9}")


def clean_tin(text: str) -> str:
    digits = re.sub(r"[\s\-.]", "", text or "")
    if not _TIN.fullmatch(digits) or digits[0] == "0":
        raise ValidationFailed("invoice-edit-bad-tin")
    return digits


def clean_date(text: str, today: date) -> date:
    stripped = (text or "").strip()
    value = parse_date(stripped) if 0 < len(stripped) <= 40 else None
    if value is None:
        raise ValidationFailed("invoice-edit-bad-date")
    if value > today + timedelta(days=1) or value < EARLIEST:
        raise ValidationFailed("invoice-edit-date-out-of-range", earliest=EARLIEST, today=today)
    return value


def clean_text(text: str, limit: int) -> str:
    cleaned = " ".join((text or "").split())
    if not cleaned or cleaned.startswith("/"):
        raise ValidationFailed("invoice-edit-empty")
    if len(cleaned) > limit:
        raise ValidationFailed("invoice-edit-too-long", limit=limit)
    return cleaned


def _amount(text: str, *, zero_ok: bool) -> Decimal:
    if zero_ok and (text or "").strip() in {"0", "0,00", "0.00"}:
        return Decimal("0.00")
    return parse_amount(text)


def edit_field(purchase: Purchase, which: EditField, text: str, *, today: date) -> Any:
    """Sets one field of a draft from what a person typed, or refuses (a `ValidationFailed`) changing nothing.
    Returns the new value."""
    if purchase.status != PurchaseStatus.DRAFT:
        raise DomainError("invoice-not-draft")
    draft = dict(purchase.draft or {})
    value: Any
    if which is EditField.SUPPLIER:
        value = draft["supplier"] = clean_text(text, MAX_NAME)
    elif which is EditField.TIN:
        value = draft["supplier_tin"] = clean_tin(text)
    elif which is EditField.NUMBER:
        value = purchase.document_number = clean_text(text, MAX_NUMBER)
    elif which is EditField.DATE:
        value = purchase.document_date = clean_date(text, today)
    elif which is EditField.NET:
        value = purchase.total_without_vat = _amount(text, zero_ok=False)
    elif which is EditField.VAT:
        value = purchase.vat_amount = _amount(text, zero_ok=True)
        if value == 0:
            purchase.vat_claim = VatClaim.NONE
        elif purchase.vat_claim == VatClaim.NONE:
            purchase.vat_claim = VatClaim.PAPER
    else:
        value = purchase.total = _amount(text, zero_ok=False)
    draft["edited"] = sorted({*(draft.get("edited") or []), which.value})
    purchase.draft = draft
    return value


__all__ = [
    "LIVE_STATUSES",
    "DraftData",
    "EditField",
    "checks",
    "clean_date",
    "clean_text",
    "clean_tin",
    "create_draft",
    "duplicate_of_file",
    "edit_field",
    "items_of",
    "low_confidence",
    "merge",
    "split_documents",
    "value_of",
]

"""Purchases from OCR results: the file checks, an album told apart into invoices, drafts (duplicate file refused),
edits validated, the flags a card shows, Confirm (supplier by TIN, lines matched to REGOS items, approval above the
threshold), duplicates by TIN + number + date, Discard, the VAT claim, the list and its exports."""

from __future__ import annotations

import io
import json
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from core.i18n import translate
from db import repositories as repo
from db.approvals import ApprovalRequest
from db.models import Company, Membership, Role, User
from db.purchases import Purchase, PurchaseLine, PurchaseStatus, Supplier, VatClaim
from db.regos_data import Item
from services import approvals, purchases
from services.errors import DomainError, PermissionDenied, ValidationFailed
from services.ocr import Field, LineItem, OcrResult
from services.purchases import EditField, IncomingFile, PurchaseFilter
from tests.helpers import add_member, create_company

TODAY = date(2026, 11, 20)
D = Decimal


def result(number: str | None = "EF-4447", tin: str | None = "307500201", total: str | None = "3360000",
           sha: str = "a" * 64, items: list[tuple[str, str, str, str]] | None = None) -> OcrResult:
    read = OcrResult()
    values = {"invoice_number": number, "date": date(2025, 2, 13) if number else None, "seller": "Zarafshon Sut",
              "seller_tin": tin, "total_without_vat": D("3000000") if total else None,
              "vat_rate": D("12") if total else None, "vat_amount": D("360000") if total else None,
              "total": D(total) if total else None, "currency": "UZS"}
    for name, value in values.items():
        read.fields[name] = Field(value, 0.9 if name != "seller" else 0.4)
    for name, qty, price, amount in items if items is not None else [("Sut 3,2% 1 l", "100", "12000", "1200000"),
                                                                       ("Qatiq 0,5 l", "200", "9000", "1800000")]:
        read.items.append(LineItem(name=Field(name, 0.9), quantity=Field(D(qty), 0.9),
                                   unit_price=Field(D(price), 0.9), amount=Field(D(amount), 0.9),
                                   vat_amount=Field(D(amount) * D("0.12"), 0.9)))
    read.sha256 = sha
    return read


async def setup(session: AsyncSession) -> tuple[Company, Membership, Membership, User]:
    company = await create_company(session, owner=4001, owner_name="Dilnoza", branches=["North"])
    keeper = await add_member(session, company.id, 4002, Role.WAREHOUSE, first_name="Bobur")
    await add_member(session, company.id, 4003, Role.CASHIER, first_name="Malika")
    owner_user = await session.scalar(select(User).where(User.telegram_id == 4001))
    assert owner_user is not None
    owner = await repo.membership(session, owner_user.id, company.id)
    warehouse = await repo.membership(session, keeper.id, company.id)
    assert owner and warehouse
    session.add_all([Item(company_id=company.id, regos_id=1, name="Sut 3.2% 1L"),
                     Item(company_id=company.id, regos_id=2, name="Non")])
    await session.flush()
    return company, owner, warehouse, keeper


def test_file_checks_before_download() -> None:
    purchases.check_file(IncomingFile("photo", "f", file_size=1000))
    purchases.check_file(IncomingFile("document", "f", file_name="scan.HEIC", mime_type="application/octet-stream"))
    purchases.check_file(IncomingFile("document", "f", file_name="scan.pdf", mime_type="application/pdf"))
    with pytest.raises(ValidationFailed, match="invoice-file-too-large"):
        purchases.check_file(IncomingFile("document", "f", file_name="big.pdf", file_size=30 * 1024 * 1024))
    for name, mime in (("report.docx", "application/msword"), ("x.exe", "application/x-msdownload"),
                       ("photo.exe", "image/jpeg")):
        with pytest.raises(ValidationFailed, match="invoice-file-unsupported"):
            purchases.check_file(IncomingFile("document", "f", file_name=name, mime_type=mime))


def test_an_album_is_told_apart_into_invoices() -> None:
    first, second_page = result(sha="1" * 64), result(number=None, tin=None, total=None, sha="2" * 64,
                                                      items=[("Kefir", "10", "8000", "80000")])
    other = result(number="EF-9", tin="301111111", sha="3" * 64)
    groups = purchases.split_documents([first, second_page, other])
    assert [len(g) for g in groups] == [2, 1]
    merged = purchases.merge(groups[0])
    assert merged.fields["invoice_number"] == "EF-4447" and merged.fields["total"] == D("3360000")
    assert [item["name"] for item in merged.items] == ["Sut 3,2% 1 l", "Qatiq 0,5 l", "Kefir"]
    assert merged.pages == 2 and merged.file_hash not in ("1" * 64, "2" * 64)


async def test_draft_edit_and_flags(session: AsyncSession) -> None:
    company, _, _, keeper = await setup(session)
    draft = await purchases.create_draft(session, company_id=company.id, user_id=keeper.id,
                                         data=purchases.merge([result()]))
    assert draft.status == PurchaseStatus.DRAFT and draft.vat_claim == VatClaim.PAPER
    assert purchases.low_confidence(draft) == {EditField.SUPPLIER}
    assert purchases.checks(draft) == []
    with pytest.raises(DomainError, match="invoice-duplicate-file"):  # the same bytes again
        await purchases.create_draft(session, company_id=company.id, user_id=keeper.id,
                                     data=purchases.merge([result()]))
    bad = [(EditField.TIN, "12345678"), (EditField.TIN, "012345678"), (EditField.TIN, "abc"),
           (EditField.DATE, "yesterday-ish"), (EditField.DATE, "01.01.2031"), (EditField.DATE, "1.1.1990"),
           (EditField.TOTAL, "-5"), (EditField.TOTAL, "abc"), (EditField.TOTAL, "0"), (EditField.NUMBER, "  "),
           (EditField.SUPPLIER, "x" * 300)]
    for which, typed in bad:
        with pytest.raises(ValidationFailed):
            purchases.edit_field(draft, which, typed, today=TODAY)
    assert draft.total == D("3360000") and draft.draft["supplier_tin"] == "307500201"
    assert purchases.edit_field(draft, EditField.TOTAL, "3 400 000", today=TODAY) == D("3400000.00")
    assert "vat_mismatch" in purchases.checks(draft)  # 3 000 000 + 360 000 is not 3 400 000: flagged, kept
    assert purchases.edit_field(draft, EditField.DATE, "13.02.2025", today=TODAY) == date(2025, 2, 13)
    purchases.edit_field(draft, EditField.SUPPLIER, "«Zarafshon Sut» MChJ", today=TODAY)
    assert purchases.low_confidence(draft) == set()
    purchases.edit_field(draft, EditField.TOTAL, "3360000", today=TODAY)
    assert purchases.checks(draft) == []


async def test_confirm_supplier_lines_matching_and_duplicates(session: AsyncSession) -> None:
    company, owner, warehouse, keeper = await setup(session)
    draft = await purchases.create_draft(session, company_id=company.id, user_id=keeper.id,
                                         data=purchases.merge([result()]))
    outcome = await purchases.confirm(session, membership=warehouse, user=keeper, purchase_id=draft.id)
    assert outcome.purchase.status == PurchaseStatus.CONFIRMED and outcome.supplier_created
    assert outcome.request is None  # 3 360 000 is under the default threshold
    lines = (await session.scalars(select(PurchaseLine).order_by(PurchaseLine.line_no))).all()
    assert [(line.name, line.item_id is not None, line.amount) for line in lines] == [
        ("Sut 3,2% 1 l", True, D("1200000.00")), ("Qatiq 0,5 l", False, D("1800000.00"))]
    assert [line.name for line in outcome.unmatched] == ["Qatiq 0,5 l"]
    supplier = await session.get_one(Supplier, draft.supplier_id)
    assert (supplier.tin, supplier.name) == ("307500201", "Zarafshon Sut")
    purchase = await session.get_one(Purchase, draft.id)
    assert (purchase.total, purchase.vat_amount, purchase.vat_claim) == (D("3360000.00"), D("360000.00"), "paper")
    with pytest.raises(DomainError, match="invoice-already-decided"):  # pressed twice: one effect
        await purchases.confirm(session, membership=warehouse, user=keeper, purchase_id=draft.id)

    again = await purchases.create_draft(session, company_id=company.id, user_id=keeper.id,
                                         data=purchases.merge([result(sha="b" * 64)]))  # another photo
    assert (await purchases.duplicate_of_document(session, again)).id == draft.id  # type: ignore[union-attr]
    with pytest.raises(DomainError, match="invoice-duplicate-document"):
        await purchases.confirm(session, membership=warehouse, user=keeper, purchase_id=again.id)
    await purchases.discard(session, membership=warehouse, user=keeper, purchase_id=again.id)
    assert again.status == PurchaseStatus.DISCARDED
    assert await session.scalar(select(func.count()).select_from(Supplier)) == 1

    # the VAT claim: the sender may not mark a recorded purchase; the owner may
    with pytest.raises(PermissionDenied):
        await purchases.set_vat_claim(session, membership=warehouse, user=keeper, purchase_id=draft.id,
                                      e_invoice=True)
    owner_user = await session.get_one(User, owner.user_id)
    marked = await purchases.set_vat_claim(session, membership=owner, user=owner_user, purchase_id=draft.id,
                                           e_invoice=True)
    assert marked.vat_claim == VatClaim.E_INVOICE and marked.e_invoice_at is not None


async def test_above_the_threshold_goes_to_approval(session: AsyncSession) -> None:
    company, owner, warehouse, keeper = await setup(session)
    purchases.set_approval_threshold(session, owner, company, D("1000000"))
    draft = await purchases.create_draft(session, company_id=company.id, user_id=keeper.id,
                                         data=purchases.merge([result()]))
    outcome = await purchases.confirm(session, membership=warehouse, user=keeper, purchase_id=draft.id)
    assert outcome.purchase.status == PurchaseStatus.PENDING_APPROVAL and outcome.request is not None
    assert [u.first_name for u in outcome.approvers] == ["Dilnoza"]
    request = await session.get_one(ApprovalRequest, outcome.request.id)
    assert (request.kind, request.amount) == ("purchase", D("3360000.00"))
    await approvals.decide(session, company_id=company.id, request_id=request.id, actor=owner, approve=True)
    assert (await session.get_one(Purchase, draft.id)).status == PurchaseStatus.CONFIRMED


async def test_list_filters_and_exports(session: AsyncSession) -> None:
    company, owner, warehouse, keeper = await setup(session)
    for n, sha in ((1, "c"), (2, "d")):
        draft = await purchases.create_draft(session, company_id=company.id, user_id=keeper.id,
                                             data=purchases.merge([result(number=f"A-{n}", sha=sha * 64)]))
        await purchases.confirm(session, membership=warehouse, user=keeper, purchase_id=draft.id)
    page = await purchases.list_purchases(session, owner, PurchaseFilter(first=date(2025, 2, 1),
                                                                         last=date(2025, 2, 28)))
    assert page.total_count == 2 and page.totals["total"] == D("6720000.00")
    assert page.totals["vat_e_invoice"] == D("0.00")
    empty = await purchases.list_purchases(session, owner, PurchaseFilter(first=date(2025, 3, 1)))
    assert empty.total_count == 0
    assert (await purchases.list_purchases(session, owner, PurchaseFilter(status=PurchaseStatus.DISCARDED))
            ).total_count == 0
    rows = await purchases.all_purchases(session, owner, PurchaseFilter())
    suppliers = await purchases.supplier_names(session, rows)
    lines = await purchases.lines_of(session, rows)
    book = load_workbook(io.BytesIO(purchases.purchases_xlsx(rows, suppliers, lines,
                                                             lambda key, **kw: translate("en", key, **kw))))
    sheet = book.worksheets[0]
    assert sheet.cell(1, 4).value == "Supplier" and sheet.cell(2, 8).value == 3360000
    assert sheet.cell(sheet.max_row, 8).value == 6720000
    assert book.worksheets[1].max_row == 5  # a header and two lines for each
    exported = json.loads(purchases.purchases_json(rows, suppliers, lines))
    assert exported[0]["supplier_tin"] == "307500201" and exported[0]["vat_amount"] == "360000.00"
    cashier = await session.scalar(select(Membership).where(Membership.role == Role.CASHIER))
    assert cashier is not None
    with pytest.raises(PermissionDenied):
        await purchases.list_purchases(session, cashier, PurchaseFilter())

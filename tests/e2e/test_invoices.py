"""Supplier invoices through the emulator: a generated invoice photo → progress → card → Confirm → a purchase with
the right lines, supplier and input VAT (paper); the same file again and the same invoice in another file are
recognised; Edit with nonsense typed and then fixed; Discard; stale and forged buttons; an album of two invoices;
approval above the threshold; broken, lying, encrypted, oversized files and a photo of a cat store nothing; /invoices
with filters and the Excel export; users without the capability keep the generic answer."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from PIL import Image
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from db.engine import create_session_factory
from db.models import Company, Role
from db.purchases import Purchase, PurchaseLine, PurchaseUpload, Supplier
from db.regos_data import Item
from handlers.callbacks import InvoiceAction, InvoiceCb
from sandbox.invoices import make_sample
from sandbox.stack import RunningBot
from sandbox.telegram.client import SandboxClient, SandboxMessage, SandboxUser
from tests.e2e.flows import company_with_people, count, rows, settle
from tests.ocr_support import cat_photo, image_pdf, requires_tesseract, text_pdf

pytestmark = requires_tesseract
CARD_TIMEOUT = 90.0


async def shop(sandbox: SandboxClient, engine: AsyncEngine) -> tuple[int, SandboxUser, SandboxUser, SandboxUser]:
    owner = await sandbox.create_user("Dilnoza", language_code="en")
    keeper = await sandbox.create_user("Bobur", language_code="en")
    cashier = await sandbox.create_user("Malika", language_code="en")
    company_id, _ = await company_with_people(engine, [(owner, Role.OWNER, ()), (keeper, Role.WAREHOUSE, ()),
                                                       (cashier, Role.CASHIER, ())])
    return company_id, owner, keeper, cashier


async def card_for(user: SandboxUser, photo: bytes) -> SandboxMessage:
    await user.send_photo(photo)
    await user.expect("Reading the invoice")
    return await user.expect("Supplier invoice", timeout=CARD_TIMEOUT)


def as_png(jpeg: bytes) -> bytes:
    out = io.BytesIO()
    Image.open(io.BytesIO(jpeg)).save(out, "PNG")
    return out.getvalue()


async def test_photo_card_confirm_duplicates_list_and_export(running_bot: RunningBot, sandbox: SandboxClient,
                                                             engine: AsyncEngine) -> None:
    company_id, owner, keeper, _ = await shop(sandbox, engine)
    sample = make_sample(1, "none")
    truth = sample.truth["fields"]
    items = sample.truth["items"]
    async with create_session_factory(engine)() as session:  # one REGOS item the first line should match
        session.add(Item(company_id=company_id, regos_id=77, name=str(items[0]["name"]).upper()))
        await session.commit()

    card = await card_for(keeper, sample.data)
    assert truth["seller_tin"] in card.text and truth["invoice_number"] in card.text
    assert "claimed from a paper document" in card.text
    assert card.button_texts == ["✅ Confirm", "✏️ Edit", "🗑 Discard", "🧾 E-invoice received"]
    assert await count(engine, PurchaseLine) == 0  # nothing recorded before Confirm

    await keeper.press("✅ Confirm", message_id=card.message_id)
    done = await keeper.expect("is recorded")
    assert "New supplier added" in done.text and "matched to REGOS items: 1" in done.text
    purchase = (await rows(engine, select(Purchase)))[0][0]
    assert purchase.status == "confirmed" and purchase.vat_claim == "paper"
    assert purchase.total == Decimal(truth["total"]) and purchase.vat_amount == Decimal(truth["vat_amount"])
    assert purchase.document_number == truth["invoice_number"] and purchase.document_date.isoformat() == truth["date"]
    assert await rows(engine, select(Supplier.tin)) == [(truth["seller_tin"],)]
    lines = [r[0] for r in await rows(engine, select(PurchaseLine).order_by(PurchaseLine.line_no))]
    assert len(lines) == len(items) and lines[0].item_id is not None
    assert sum(line.amount for line in lines) == Decimal(truth["total_without_vat"])

    # pressed again: one effect; the warehouse may not mark the e-invoice of a recorded purchase
    again = InvoiceCb(company=company_id, action=InvoiceAction.CONFIRM, purchase=purchase.id).pack()
    answer = await keeper.press(data=again, message_id=card.message_id, forge=True)
    assert answer is not None and "already recorded" in answer["text"]
    answer = await keeper.press("🧾 E-invoice received", message_id=done.message_id)
    assert answer is not None and "Your role does not allow this" in answer["text"]

    # the same file again; the same invoice in another file
    await keeper.send_photo(sample.data)
    await keeper.expect("Reading the invoice")
    await keeper.expect("This very file was already sent", timeout=CARD_TIMEOUT)
    second = await card_for(keeper, as_png(sample.data))
    assert "Looks like purchase #" in second.text
    answer = await keeper.press("✅ Confirm", message_id=second.message_id)
    assert answer is not None and "already recorded as purchase" in answer["text"]
    assert await rows(engine, select(Purchase.status).order_by(Purchase.id)) == [("confirmed",), ("draft",)]

    # the owner marks the e-invoice and lists, filters and exports
    await owner.send("/invoices")
    listed = await owner.expect("Purchases")
    assert "none" in listed.text or "No purchases" in listed.text  # this month: the invoice is dated 2025
    await owner.press("📅 This month", message_id=listed.message_id)
    await owner.press("📅 Last month")
    await owner.press("📅 This year")  # the button names the period shown; pressing moves to the next
    shown = await owner.expect(f"#{purchase.id} ·")
    assert "📅 All time" in shown.button_texts and "recorded" in shown.text
    await owner.press("📊 Excel", message_id=shown.message_id)
    sent = await owner.expect(predicate=lambda m: bool(m.get("document")))
    book = load_workbook(io.BytesIO(await owner.download(sent)))
    assert book.worksheets[0].cell(2, 5).value == truth["seller_tin"]
    assert Decimal(str(book.worksheets[0].cell(2, 8).value)) == Decimal(truth["total"])
    await owner.press("🏢 Every supplier", message_id=shown.message_id)
    await owner.expect(f"#{purchase.id}")


async def test_edit_discard_and_stale_or_forged_buttons(running_bot: RunningBot, sandbox: SandboxClient,
                                                        engine: AsyncEngine) -> None:
    company_id, _, keeper, _ = await shop(sandbox, engine)
    sample = make_sample(2, "none")  # its TIN is not read
    await keeper.send_document(sample.data, "nakladnaya.jpg", mime_type="image/jpeg")
    await keeper.expect("Reading the invoice")
    card = await keeper.expect("Supplier invoice", timeout=CARD_TIMEOUT)
    await keeper.press("✏️ Edit", message_id=card.message_id)
    await keeper.expect("Which value do you want to fix?")
    await keeper.press("Supplier TIN")
    await keeper.expect("9 digits")
    for typed in ("12345", "0123456789", "STIR 30750020"):
        await keeper.send(typed)
        await keeper.expect("A TIN is exactly 9 digits")
    await keeper.send("307 500 201")
    await keeper.expect("Saved")
    fixed = await keeper.expect("Supplier invoice")
    assert "307500201" in fixed.text
    await keeper.press("✏️ Edit", message_id=fixed.message_id)
    await keeper.press("Date")
    await keeper.send("31.02.2025")
    await keeper.expect("That is not a date")
    await keeper.send("01.01.2099")
    await keeper.expect("The date must be between")
    await keeper.send("14.03.2025")
    fixed = await keeper.expect("Supplier invoice")
    await keeper.press("✏️ Edit", message_id=fixed.message_id)
    await keeper.press("Total")
    for typed, reply in (("abc", "That is not an amount"), ("-5", "more than zero"), ("0", "more than zero")):
        await keeper.send(typed)
        await keeper.expect(reply)
    await keeper.send("1 234 567,50")
    fixed = await keeper.expect("Supplier invoice")
    assert "1 234 567.50 UZS" in fixed.text
    draft = (await rows(engine, select(Purchase)))[0][0]
    assert draft.status == "draft" and draft.total == Decimal("1234567.50")
    assert draft.draft["supplier_tin"] == "307500201" and draft.document_date.isoformat() == "2025-03-14"

    # a forged button for another company, and one for a purchase that is not there
    forged = InvoiceCb(company=company_id + 1, action=InvoiceAction.CONFIRM, purchase=draft.id).pack()
    answer = await keeper.press(data=forged, message_id=fixed.message_id, forge=True)
    assert answer is not None and "another company" in answer["text"]
    missing = InvoiceCb(company=company_id, action=InvoiceAction.CONFIRM, purchase=draft.id + 100).pack()
    answer = await keeper.press(data=missing, message_id=fixed.message_id, forge=True)
    assert answer is not None and "not found" in answer["text"]

    await keeper.press("🗑 Discard", message_id=fixed.message_id)
    await keeper.expect("is discarded")
    answer = await keeper.press("✅ Confirm", message_id=card.message_id)  # the first card, still shown
    assert answer is not None and "discarded" in answer["text"]
    assert await rows(engine, select(Purchase.status)) == [("discarded",)]
    assert await count(engine, Supplier) == 0 and await count(engine, PurchaseLine) == 0


async def test_bad_files_store_nothing(running_bot: RunningBot, sandbox: SandboxClient, engine: AsyncEngine) -> None:
    _, _, keeper, cashier = await shop(sandbox, engine)
    await keeper.send_photo(cat_photo())
    await keeper.expect("Reading the invoice")
    await keeper.expect(regex="could not find an invoice|The page is blank", timeout=CARD_TIMEOUT)
    await keeper.send_document(b"MZ\x90\x00 not an invoice", "invoice.exe", mime_type="application/x-msdownload")
    await keeper.expect("only from photos")
    await keeper.send_document(b"PK\x03\x04" + b"\x00" * 200, "invoice.jpg", mime_type="image/jpeg")  # a zip
    await keeper.expect("Reading the invoice")
    await keeper.expect(regex="damaged|only from photos|could not find", timeout=CARD_TIMEOUT)
    await keeper.send_document(b"%PDF-1.4\n1 0 obj garbage", "scan.pdf", mime_type="application/pdf")
    await keeper.expect("Reading the invoice")
    await keeper.expect("damaged", timeout=CARD_TIMEOUT)
    await keeper.send_document(text_pdf([["Hisobvaraq-faktura No 1"]], password="secret"), "locked.pdf",
                               mime_type="application/pdf")
    await keeper.expect("Reading the invoice")
    await keeper.expect("protected with a password", timeout=CARD_TIMEOUT)
    await keeper.send_document(b"\xff\xd8\xff" + b"0" * (21 * 1024 * 1024), "scan.jpg", mime_type="image/jpeg")
    await keeper.expect("larger than 20 MB")
    await cashier.send_photo(make_sample(1, "none").data)  # no capability: the generic answer, nothing read
    await cashier.expect("a receipt for an expense goes with /expense")
    await settle()
    assert await count(engine, Purchase) == 0 and await count(engine, PurchaseUpload) == 0


async def test_album_of_two_invoices_and_approval(running_bot: RunningBot, sandbox: SandboxClient,
                                                  engine: AsyncEngine) -> None:
    company_id, owner, keeper, _ = await shop(sandbox, engine)
    await owner.send("/invoices")
    await owner.press("⚙️ Approval above 100 000 000 UZS", message_id=(await owner.expect("Purchases")).message_id)
    await owner.expect("Above which total")
    await owner.send("abc")
    await owner.expect("That is not an amount")
    await owner.send("1 000")
    await owner.expect("Purchases above 1 000 UZS now wait for approval")
    settings = await rows(engine, select(Company.settings).where(Company.id == company_id))
    assert settings[0][0]["purchases"] == {"approval_above": "1000.00"}
    first, second = make_sample(7, "none"), make_sample(8, "none")
    await keeper.send_album([first.data, second.data])
    await keeper.expect("Reading the invoice")
    cards = [await keeper.expect("Supplier invoice", timeout=CARD_TIMEOUT),
             await keeper.expect("Supplier invoice", timeout=CARD_TIMEOUT)]
    texts = " ".join(card.text for card in cards)
    assert first.truth["fields"]["seller_tin"] in texts and second.truth["fields"]["seller_tin"] in texts
    assert await count(engine, Purchase) == 2
    await keeper.press("✅ Confirm", message_id=cards[0].message_id)
    await keeper.expect("waits for approval")
    approval = await owner.expect("Purchase #")
    await owner.press("✅ Approve", message_id=approval.message_id)
    await keeper.expect("approved")
    statuses = sorted(s for (s,) in await rows(engine, select(Purchase.status)))
    assert statuses == ["confirmed", "draft"]


@pytest.mark.parametrize("language,reading", [("ru", "Читаю счёт"), ("uz", "oʻqilmoqda")])
async def test_card_in_russian_and_uzbek(running_bot: RunningBot, sandbox: SandboxClient, engine: AsyncEngine,
                                         language: str, reading: str) -> None:
    keeper = await sandbox.create_user("Bobur", language_code=language)
    await company_with_people(engine, [(keeper, Role.OWNER, ())])
    async with create_session_factory(engine)() as session:
        from db.models import User
        await session.execute(update(User).values(language=language))
        await session.commit()
    await keeper.send_photo(make_sample(4, "none").data)
    await keeper.expect(reading)
    title = {"ru": "Счёт поставщика", "uz": "Yetkazib beruvchi hisob-fakturasi"}[language]
    card = await keeper.expect(title, timeout=CARD_TIMEOUT)
    assert ("сум" if language == "ru" else "soʻm") in card.text


async def test_scanned_pdf_document(running_bot: RunningBot, sandbox: SandboxClient, engine: AsyncEngine) -> None:
    _, _, keeper, _ = await shop(sandbox, engine)
    sample = make_sample(8, "none")
    pdf = image_pdf(Image.open(io.BytesIO(sample.data)))
    await keeper.send_document(pdf, "faktura.pdf", mime_type="application/pdf")
    await keeper.expect("Reading the invoice")
    card = await keeper.expect("Supplier invoice", timeout=CARD_TIMEOUT)
    assert sample.truth["fields"]["seller_tin"] in card.text
    await keeper.press("🧾 E-invoice received", message_id=card.message_id)
    marked = await keeper.expect("e-invoice (EHF) received")
    await keeper.press("✅ Confirm", message_id=marked.message_id)
    await keeper.expect("e-invoice received, creditable")
    assert await rows(engine, select(Purchase.status, Purchase.vat_claim)) == [("confirmed", "e_invoice")]


async def test_locked_database_while_storing_retries_and_card_comes_once(
        running_bot: RunningBot, sandbox: SandboxClient, engine: AsyncEngine,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Four invoices read at once: a store whose transaction lost SQLite's write lock to another fails at once
    ("database is locked", no busy wait). The reader runs the whole store again: the card comes, and only once."""
    from sqlalchemy.exc import OperationalError

    from services import purchases

    _, _, keeper, _ = await shop(sandbox, engine)
    real = purchases.create_draft
    failures: list[int] = []

    async def locked_once(*args: object, **kwargs: object) -> Purchase:
        if not failures:
            failures.append(1)
            raise OperationalError("INSERT INTO purchases", {}, Exception("database is locked"))
        return await real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(purchases, "create_draft", locked_once)
    sample = make_sample(2, "none")
    card = await card_for(keeper, sample.data)
    assert sample.truth["fields"]["invoice_number"] in card.text
    await settle()
    assert failures == [1]
    assert await count(engine, Purchase) == 1
    cards = [m for m in await keeper.messages() if "Supplier invoice" in (m.text or "")]
    assert len(cards) == 1
    assert (await rows(engine, select(PurchaseUpload.status)))[0][0] == "done"

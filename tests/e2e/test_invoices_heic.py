"""A supplier invoice sent as a HEIC document (what an iPhone sends when the photo goes as a file), through the
emulator: the card shows the invoice's number and total, Confirm records the purchase with the invoice's lines and
input VAT; a truncated HEIC file gets a clear message and nothing is stored."""

from __future__ import annotations

import io
from decimal import Decimal

from PIL import Image
from rapidfuzz import fuzz
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from core.i18n import translate
from db.models import Role
from db.purchases import Purchase, PurchaseLine, PurchaseUpload, Supplier
from handlers.invoices.card import money
from sandbox.invoices import Sample, make_sample
from sandbox.stack import RunningBot
from sandbox.telegram.client import SandboxClient, SandboxUser
from tests.e2e.flows import company_with_people, count, rows
from tests.ocr_support import requires_tesseract

pytestmark = requires_tesseract
CARD_TIMEOUT = 90.0
HEIC_MIME = "image/heic"


def as_heic(sample: Sample) -> bytes:
    """The generated invoice photo re-encoded as HEIC (HEVC in an ISO-BMFF `ftypheic` box), as an iPhone saves it."""
    import pillow_heif

    pillow_heif.register_heif_opener()
    out = io.BytesIO()
    Image.open(io.BytesIO(sample.data)).save(out, format="HEIF", quality=90)
    data = out.getvalue()
    assert data[4:12] == b"ftypheic"
    return data


async def warehouse_keeper(sandbox: SandboxClient, engine: AsyncEngine) -> SandboxUser:
    owner = await sandbox.create_user("Dilnoza", language_code="en")
    keeper = await sandbox.create_user("Bobur", language_code="en")
    await company_with_people(engine, [(owner, Role.OWNER, ()), (keeper, Role.WAREHOUSE, ())])
    return keeper


async def test_heic_document_card_confirm_and_purchase_lines(running_bot: RunningBot, sandbox: SandboxClient,
                                                             engine: AsyncEngine) -> None:
    keeper = await warehouse_keeper(sandbox, engine)
    sample = make_sample(3, "none")  # an e-invoice printout in Uzbek Cyrillic
    truth, items = sample.truth["fields"], sample.truth["items"]

    await keeper.send_document(as_heic(sample), "IMG_4031.HEIC", mime_type=HEIC_MIME)
    await keeper.expect("Reading the invoice")
    card = await keeper.expect("Supplier invoice", timeout=CARD_TIMEOUT)
    total_text = money(Decimal(truth["total"]), "en")
    assert f"{translate('en', 'invoice-field-number')}: {truth['invoice_number']}\n" in card.text
    assert f"{translate('en', 'invoice-field-total')}: {total_text}\n" in card.text
    assert truth["seller_tin"] in card.text
    assert await count(engine, PurchaseLine) == 0 and await count(engine, Supplier) == 0  # nothing before Confirm

    await keeper.press("✅ Confirm", message_id=card.message_id)
    await keeper.expect("is recorded")
    await running_bot.idle()  # the press's transaction commits after its reply
    purchases = [row[0] for row in await rows(engine, select(Purchase))]
    assert len(purchases) == 1
    purchase = purchases[0]
    assert purchase.status == "confirmed" and purchase.vat_claim == "paper"
    assert purchase.document_number == truth["invoice_number"]
    assert purchase.document_date is not None and purchase.document_date.isoformat() == truth["date"]
    assert purchase.total == Decimal(truth["total"]) and purchase.vat_amount == Decimal(truth["vat_amount"])
    assert purchase.total_without_vat == Decimal(truth["total_without_vat"])
    assert await rows(engine, select(Supplier.tin)) == [(truth["seller_tin"],)]

    lines = [row[0] for row in await rows(engine, select(PurchaseLine).where(PurchaseLine.purchase_id == purchase.id)
                                          .order_by(PurchaseLine.line_no))]
    assert len(lines) == len(items)
    for line, item in zip(lines, items, strict=True):
        assert (line.quantity, line.unit_price, line.amount, line.vat_amount, line.amount_with_vat) == (
            Decimal(item["quantity"]), Decimal(item["unit_price"]), Decimal(item["amount"]),
            Decimal(item["vat_amount"]), Decimal(item["amount_with_vat"])), line.name
        assert fuzz.ratio(line.name, item["name"]) >= 80, (line.name, item["name"])  # OCR may drop a stray mark
    assert sum(line.amount for line in lines if line.amount is not None) == Decimal(truth["total_without_vat"])
    uploads = await rows(engine, select(PurchaseUpload.status, PurchaseUpload.purchase_id, PurchaseUpload.mime_type))
    assert uploads == [("done", purchase.id, HEIC_MIME)]  # the upload stays with its purchase


async def test_truncated_heic_gets_a_clear_message_and_stores_nothing(running_bot: RunningBot,
                                                                      sandbox: SandboxClient,
                                                                      engine: AsyncEngine) -> None:
    keeper = await warehouse_keeper(sandbox, engine)
    heic = as_heic(make_sample(3, "none"))
    damaged = translate("en", "invoice-file-corrupt")
    for broken in (heic[: len(heic) * 2 // 3], heic[:300]):  # cut off mid-image; only the header boxes left
        await keeper.send_document(broken, "IMG_4032.HEIC", mime_type=HEIC_MIME)
        await keeper.expect("Reading the invoice")
        message = await keeper.expect("damaged", timeout=CARD_TIMEOUT)
        assert message.text == damaged and not message.button_texts
    await running_bot.idle()
    for model in (Purchase, PurchaseLine, Supplier, PurchaseUpload):
        assert await count(engine, model) == 0, model.__name__

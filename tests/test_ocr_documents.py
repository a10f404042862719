"""Generated invoices end to end through read_document: photos at several degradation levels, a scanned PDF, a PDF
with a text layer, HEIC; fields asserted against the generator's ground truth."""

from __future__ import annotations

import asyncio
import io
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Any

import numpy as np
import pytest

from sandbox.invoices import Sample, make_sample
from sandbox.invoices.layouts import render
from sandbox.invoices.score import score
from services.ocr import DocumentKind, OcrPool, OcrResult, read_document
from tests.ocr_support import image_pdf, requires_tesseract, text_pdf

# (seed, layout, language, level): a fixed handful, one per layout and script, read at once on two workers
SAMPLES = [(11, "official", "uz", "none"), (12, "receipt", "uz_cyrl", "mild"), (13, "einvoice", "ru", "mild"),
           (14, "waybill", "en", "moderate"), (15, "official", "ru", "moderate")]


@pytest.fixture(scope="module")
def read() -> Iterator[dict[str, tuple[Sample | None, OcrResult]]]:
    samples = {f"{layout}-{level}": make_sample(seed, level, layout, language)
               for seed, layout, language, level in SAMPLES}
    scan = make_sample(21, "none", "waybill", "uz")
    documents: dict[str, tuple[Sample | None, bytes]] = {key: (s, s.data) for key, s in samples.items()}
    documents["scanned-pdf"] = (scan, image_pdf(render(scan.invoice)))
    try:
        import pillow_heif
        from PIL import Image

        heif = io.BytesIO()
        pillow_heif.from_pillow(Image.open(io.BytesIO(samples["official-none"].data))).save(heif, quality=92)
        documents["heic"] = (samples["official-none"], heif.getvalue())
    except Exception:  # a pillow-heif built without an encoder: decoding is still tested where files exist
        pass

    async def run() -> dict[str, tuple[Sample | None, OcrResult]]:
        pool = OcrPool(2)
        try:
            results = await asyncio.gather(*(read_document(data, pool=pool) for _, data in documents.values()))
        finally:
            pool.close()
        return {key: (documents[key][0], result) for key, result in zip(documents, results, strict=True)}

    if requires_tesseract.args[0]:
        pytest.skip(requires_tesseract.kwargs["reason"])
    yield asyncio.run(run())


def _truth(sample: Sample | None) -> dict[str, Any]:
    assert sample is not None
    return sample.truth["fields"]


@requires_tesseract
def test_clean_official_form_reads_completely(read: dict[str, tuple[Sample | None, OcrResult]]) -> None:
    sample, result = read["official-none"]
    truth = _truth(sample)
    assert result.kind is DocumentKind.INVOICE
    for name in ("invoice_number", "seller_tin", "buyer_tin"):
        assert result.value(name) == truth[name], name
    assert result.value("date") == date.fromisoformat(truth["date"])
    for name in ("total_without_vat", "vat_amount", "total"):
        assert result.value(name) == Decimal(truth[name]), name
    assert result.value("vat_rate") == Decimal(12)
    hits, predicted, true = score(result.to_json(), sample.truth)["items"]  # type: ignore[union-attr]
    # every line found and its figures checked; Tesseract may still run one name's words together ("Sut 1 l 3,2%")
    assert predicted == true == 9 and hits >= 8
    assert all(item.checked for item in result.items)
    assert result.fields["total"].confidence >= 0.9
    assert result.pages[0].source == "ocr" and result.pages[0].languages == "uzb+eng"
    assert result.raw_text and not result.problems


@requires_tesseract
def test_thermal_receipt_in_uzbek_cyrillic(read: dict[str, tuple[Sample | None, OcrResult]]) -> None:
    sample, result = read["receipt-mild"]
    truth = _truth(sample)
    assert result.kind is DocumentKind.RECEIPT and result.prices_include_vat
    assert result.value("seller_tin") == truth["seller_tin"]
    assert result.value("buyer_tin") is None
    assert result.value("invoice_number") == truth["invoice_number"]
    assert result.value("date") == date.fromisoformat(truth["date"])
    assert result.value("total") == Decimal(truth["total"])
    assert result.value("vat_amount") == Decimal(truth["vat_amount"])
    assert result.pages[0].languages == "rus+uzb_cyrl"
    hits, predicted, true = score(result.to_json(), sample.truth)["items"]  # type: ignore[union-attr]
    assert hits == true == predicted


@requires_tesseract
@pytest.mark.parametrize("key", ["einvoice-mild", "waybill-moderate", "official-moderate"])
def test_photos_read_their_key_fields(read: dict[str, tuple[Sample | None, OcrResult]], key: str) -> None:
    sample, result = read[key]
    truth = _truth(sample)
    assert result.value("total") == Decimal(truth["total"])
    assert result.value("date") == date.fromisoformat(truth["date"])
    assert result.value("seller_tin") == truth["seller_tin"]
    assert result.value("buyer_tin") == truth["buyer_tin"]
    assert result.value("invoice_number") == truth["invoice_number"]
    hits, _, true = score(result.to_json(), sample.truth)["items"]  # type: ignore[union-attr]
    assert hits >= true - 1


@requires_tesseract
def test_scanned_pdf_is_rasterised_and_read(read: dict[str, tuple[Sample | None, OcrResult]]) -> None:
    sample, result = read["scanned-pdf"]
    truth = _truth(sample)
    assert result.mime == "application/pdf" and result.pages[0].source == "ocr"
    assert result.kind is DocumentKind.WAYBILL
    assert result.value("total") == Decimal(truth["total"])
    assert result.value("invoice_number") == truth["invoice_number"]


@requires_tesseract
def test_heic_photo(read: dict[str, tuple[Sample | None, OcrResult]]) -> None:
    if "heic" not in read:
        pytest.skip("this pillow-heif cannot encode HEIC, so there is no sample to decode")
    sample, result = read["heic"]
    assert result.mime == "image/heic"
    assert result.value("total") == Decimal(_truth(sample)["total"])


async def test_pdf_text_layer_needs_no_ocr() -> None:
    pdf = text_pdf([[
        "СЧЁТ-ФАКТУРА № 77 от 5 марта 2025 г.",
        "Договор № 12 от 01.02.2025",
        "Поставщик: ООО «Барака Фуд»",
        "ИНН: 302547891",
        "Покупатель: ООО «Орзу Маркет»",
        "ИНН: 207906174",
        "№\tНаименование\tЕд.\tКол-во\tЦена\tСумма\tНДС\tСумма НДС\tВсего",
        "1\tСахар-песок\tкг\t50\t12 000,00\t600 000,00\t12%\t72 000,00\t672 000,00",
        "2\tМука высший сорт\tмешок\t4\t380 000,00\t1 520 000,00\t12%\t182 400,00\t1 702 400,00",
        "Итого\t2 120 000,00\t254 400,00\t2 374 400,00",
        "Всего к оплате: Два миллиона триста семьдесят четыре тысячи четыреста сум 00 тийин",
    ]])
    result = await read_document(pdf, filename="invoice.pdf", pool=OcrPool(0))
    assert result.pages[0].source == "text_layer"
    assert result.value("invoice_number") == "77"
    assert result.value("date") == date(2025, 3, 5)
    assert (result.value("seller_tin"), result.value("buyer_tin")) == ("302547891", "207906174")
    assert result.value("seller") == "ООО «Барака Фуд»"
    assert (result.value("total_without_vat"), result.value("vat_amount"), result.value("total")) == (
        Decimal("2120000.00"), Decimal("254400.00"), Decimal("2374400.00"))
    assert [item.amount.value for item in result.items] == [Decimal("600000.00"), Decimal("1520000.00")]
    assert result.amount_in_words == Decimal("2374400")
    assert not result.problems


@requires_tesseract
def test_library_reads_as_the_program_does(monkeypatch: pytest.MonkeyPatch) -> None:
    """libtesseract with its models kept loaded gives the words, boxes and confidences of the tesseract program."""
    from services.ocr import engine
    from services.ocr.preprocess import prepare_page
    from services.ocr.tessapi import read_tsv

    page = np.asarray(render(make_sample(16, "none", "dotmatrix", "ru").invoice))
    grey = prepare_page(page).image
    strip = grey[: grey.shape[0] // 3]
    assert read_tsv(strip, "rus+uzb_cyrl") is not None
    by_library = engine.recognise(strip, "rus+uzb_cyrl")
    monkeypatch.setattr(engine, "USE_LIBRARY", False)
    by_program = engine.recognise(strip, "rus+uzb_cyrl")
    assert by_library == by_program
    assert len(by_library) > 10


@requires_tesseract
async def test_sharp_dot_matrix_scan_is_not_blank() -> None:
    """Seen sharply, a dot-matrix print is rows of separate dots with nothing letter-sized: they are joined first,
    so the page is read instead of being taken for a blank one."""
    sample = make_sample(16, "none", "dotmatrix", "ru")
    png = io.BytesIO()
    render(sample.invoice).save(png, "PNG")
    result = await read_document(png.getvalue(), pool=OcrPool(0))
    assert "blank_page" not in {problem.code.value for problem in result.problems}
    assert result.value("total") == Decimal(sample.truth["fields"]["total"])


@requires_tesseract
async def test_dot_matrix_photo_totals_add_up() -> None:
    """A 1C dot-matrix print photographed: its "|" cell borders painted out, its totals read or settled by the sum
    in words, base + VAT and the rate, never left wrong without a flag."""
    sample = make_sample(1002, "moderate", "dotmatrix", "ru")
    result = await read_document(sample.data, pool=OcrPool(0))
    truth = sample.truth["fields"]
    codes = {problem.code.value for problem in result.problems}
    total_right = result.value("total") == Decimal(truth["total"])
    assert total_right or codes & {"totals_mismatch", "words_mismatch", "vat_mismatch"}
    assert len(result.items) >= 3


class _RecordingPool(OcrPool):
    """Two workers as far as the band decision knows; the work runs in threads, each step's name recorded."""

    def __init__(self) -> None:
        super().__init__(2)
        self.ran: list[str] = []

    async def run(self, fn: Any, *args: Any) -> Any:
        self.ran.append(fn.__name__)
        return await asyncio.to_thread(fn, *args)


@requires_tesseract
async def test_a_photo_alone_is_read_in_bands_and_two_at_once_are_not() -> None:
    """With workers to spare one photo is cut in bands read side by side (it takes the time of a part of it) and
    still reads right; while two documents are read at once each page goes whole to one worker."""
    sample = make_sample(14, "moderate", "waybill", "en")
    alone = _RecordingPool()
    result = await read_document(sample.data, pool=alone)
    assert alone.ran.count("recognise_band") == 2 and "read_page" not in alone.ran
    assert result.value("total") == Decimal(_truth(sample)["total"])
    assert result.value("invoice_number") == _truth(sample)["invoice_number"]
    assert alone.pages_in_flight == 0
    busy = _RecordingPool()
    await asyncio.gather(read_document(sample.data, pool=busy), read_document(sample.data, pool=busy))
    assert busy.ran.count("read_page") == 2 and "recognise_band" not in busy.ran and busy.pages_in_flight == 0

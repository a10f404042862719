"""Files that are not a readable invoice: each gets a clear problem, never an exception or a made-up result."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from bot.cli import main
from services.ocr import OcrPool, ProblemCode, read_document, sniff
from tests.ocr_support import blank_page, cat_photo, requires_tesseract, text_pdf

INLINE = OcrPool(0)
RECEIPT_LINES = ["SAVDO CHEKI", "Chek № 45 12.03.2025 14:35", "\"Orzu Market\" MChJ", "STIR: 302547891",
                 "Non\t2\tx\t5 000,00\t10 000,00", "JAMI:\t10 000,00", "QQSsiz"]


def codes(result: object) -> set[ProblemCode]:
    return {problem.code for problem in result.problems}  # type: ignore[attr-defined]


@requires_tesseract
async def test_a_cat_is_not_an_invoice() -> None:
    result = await read_document(cat_photo(), filename="cat.jpg", pool=INLINE)
    assert not result.ok
    assert codes(result) & {ProblemCode.NOT_AN_INVOICE, ProblemCode.BLANK_PAGE}
    assert result.value("total") is None


@requires_tesseract
async def test_a_blank_page() -> None:
    result = await read_document(blank_page(), pool=INLINE)
    assert ProblemCode.BLANK_PAGE in codes(result)
    assert not result.ok


async def test_corrupt_and_truncated_files() -> None:
    corrupt = await read_document(b"%PDF-1.4\n1 0 obj << /Type /Catalog >>\ngarbage", pool=INLINE)
    assert codes(corrupt) == {ProblemCode.CORRUPT}
    jpeg = blank_page()
    truncated = await read_document(jpeg[: len(jpeg) // 3], pool=INLINE)
    assert ProblemCode.CORRUPT in codes(truncated) or ProblemCode.BLANK_PAGE in codes(truncated)
    assert not truncated.ok


async def test_a_password_protected_pdf() -> None:
    result = await read_document(text_pdf([RECEIPT_LINES], password="secret"), pool=INLINE)
    assert codes(result) == {ProblemCode.ENCRYPTED}
    assert not result.ok


async def test_the_content_decides_not_the_extension() -> None:
    pdf = text_pdf([RECEIPT_LINES])
    named_as_photo = await read_document(pdf, filename="photo.jpg", mime="image/jpeg", pool=INLINE)
    assert named_as_photo.mime == "application/pdf"
    assert named_as_photo.value("seller_tin") == "302547891"
    assert named_as_photo.without_vat
    text = await read_document(b"just some text, not a picture", filename="invoice.jpg", pool=INLINE)
    assert codes(text) == {ProblemCode.UNSUPPORTED_TYPE}
    gif = await read_document(b"GIF89a" + bytes(100), filename="scan.png", pool=INLINE)
    assert codes(gif) == {ProblemCode.UNSUPPORTED_TYPE}
    assert sniff(b"\x00\x00\x00\x18ftypheic" + bytes(20)) == "image/heic"


async def test_a_forty_page_pdf_is_capped() -> None:
    pages = [[f"Page {n}", *RECEIPT_LINES] for n in range(40)]
    result = await read_document(text_pdf(pages), pool=INLINE)
    assert result.pages_total == 40
    assert len(result.pages) == 10
    problem = next(p for p in result.problems if p.code is ProblemCode.TOO_MANY_PAGES)
    assert "40" in problem.detail and "10" in problem.detail


async def test_empty_and_oversized_files() -> None:
    assert codes(await read_document(b"", pool=INLINE)) == {ProblemCode.EMPTY_FILE}
    big = await read_document(blank_page(), max_bytes=10_000, pool=INLINE)
    assert codes(big) == {ProblemCode.TOO_LARGE}


async def test_no_tesseract_is_reported_not_raised(monkeypatch: pytest.MonkeyPatch) -> None:
    import services.ocr.document as document

    monkeypatch.setattr(document, "tesseract_problem", lambda: "the tesseract program is not installed: install")
    photo = await read_document(blank_page(), pool=INLINE)
    assert codes(photo) == {ProblemCode.OCR_UNAVAILABLE}
    layer = await read_document(text_pdf([RECEIPT_LINES]), pool=INLINE)  # a text layer needs no OCR
    assert layer.value("seller_tin") == "302547891"


@requires_tesseract
async def test_cli_prints_one_json_line_per_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = tmp_path / "receipt.pdf"
    good.write_bytes(text_pdf([RECEIPT_LINES]))
    bad = tmp_path / "notes.jpg"
    bad.write_text("not an image")
    status = await asyncio.to_thread(main, ["ocr", str(good), str(bad), "--jobs", "1"])
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert status == 1
    assert [line["file"] for line in lines] == [str(good), str(bad)]
    assert lines[0]["fields"]["seller_tin"] == "302547891"
    assert lines[0]["fields"]["total"] == "10000.00"
    assert set(lines[0]["confidence"]) >= {"invoice_number", "date", "total", "seller_tin"}
    assert lines[1]["problems"][0]["code"] == "unsupported_type"

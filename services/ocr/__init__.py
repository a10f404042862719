"""Supplier invoices from photos and PDFs: OCR (Tesseract, uzb + uzb_cyrl + rus + eng) and field extraction.

    result = await read_document(data, filename="photo.jpg")      # never raises for a bad file
    if result.ok:
        result.value("total"), result.fields["total"].confidence, result.items, result.problems

The pure parts can be used alone: `parse_amount`, `parse_date` / `find_dates`, `parse_tin`, `amount_in_words`,
`number_to_words`, and `extract_fields(words, page_sizes)` on words with boxes from any source.
"""

from services.ocr.dates import find_dates, month_number, parse_date
from services.ocr.document import OcrPool, close_default_pool, default_pool, extract_fields, read_document
from services.ocr.engine import INSTALL_HINT, tesseract_problem
from services.ocr.loading import MAX_BYTES, MAX_PAGES, load_document, sniff
from services.ocr.model import (
    FIELD_NAMES,
    ITEM_FIELDS,
    DocumentKind,
    Field,
    LineItem,
    OcrResult,
    PageInfo,
    Problem,
    ProblemCode,
    Word,
)
from services.ocr.numbers import amount_candidates, parse_amount, parse_percent, parse_tin
from services.ocr.words import amount_in_words, number_to_words, words_to_number

__all__ = [
    "FIELD_NAMES",
    "INSTALL_HINT",
    "ITEM_FIELDS",
    "MAX_BYTES",
    "MAX_PAGES",
    "DocumentKind",
    "Field",
    "LineItem",
    "OcrPool",
    "OcrResult",
    "PageInfo",
    "Problem",
    "ProblemCode",
    "Word",
    "amount_candidates",
    "amount_in_words",
    "close_default_pool",
    "default_pool",
    "extract_fields",
    "find_dates",
    "load_document",
    "month_number",
    "number_to_words",
    "parse_amount",
    "parse_date",
    "parse_percent",
    "parse_tin",
    "read_document",
    "sniff",
    "tesseract_problem",
    "words_to_number",
]

"""What the OCR engine returns: words with boxes, pages, fields with confidence, line items, problems."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any


@dataclass(frozen=True, slots=True)
class Word:
    """One word as Tesseract (or a PDF text layer) read it: text, confidence 0..100 and its box in page pixels."""

    text: str
    conf: float
    left: int
    top: int
    width: int
    height: int
    page: int = 0
    block: int = 0
    line: int = 0

    @property
    def right(self) -> int:
        return self.left + self.width

    @property
    def bottom(self) -> int:
        return self.top + self.height

    @property
    def cx(self) -> float:
        return self.left + self.width / 2

    @property
    def cy(self) -> float:
        return self.top + self.height / 2


class WordSpan:
    """The box and weakest confidence of a run of words (a line, a token read as one number)."""

    words: Sequence[Word]

    @property
    def left(self) -> int:
        return min(w.left for w in self.words)

    @property
    def right(self) -> int:
        return max(w.right for w in self.words)

    @property
    def top(self) -> int:
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> int:
        return max(w.bottom for w in self.words)

    @property
    def conf(self) -> float:
        return min(w.conf for w in self.words)


class ProblemCode(StrEnum):
    EMPTY_FILE = "empty_file"
    TOO_LARGE = "too_large"
    UNSUPPORTED_TYPE = "unsupported_type"
    CORRUPT = "corrupt"
    ENCRYPTED = "encrypted"
    TOO_MANY_PAGES = "too_many_pages"
    BLANK_PAGE = "blank_page"
    NOT_AN_INVOICE = "not_an_invoice"
    LOW_QUALITY = "low_quality"
    NO_TIN = "no_tin"
    NO_ITEMS = "no_items"
    LINE_MISMATCH = "line_mismatch"  # quantity × price ≠ amount on a line
    TOTALS_MISMATCH = "totals_mismatch"  # the lines do not add up to the printed total
    VAT_MISMATCH = "vat_mismatch"  # VAT ≠ rate × base, or base + VAT ≠ total
    WORDS_MISMATCH = "words_mismatch"  # the amount in words differs from the total in figures
    OCR_UNAVAILABLE = "ocr_unavailable"


FATAL_PROBLEMS = frozenset({
    ProblemCode.EMPTY_FILE, ProblemCode.TOO_LARGE, ProblemCode.UNSUPPORTED_TYPE, ProblemCode.CORRUPT,
    ProblemCode.ENCRYPTED, ProblemCode.OCR_UNAVAILABLE,
})


@dataclass(frozen=True, slots=True)
class Problem:
    code: ProblemCode
    detail: str = ""
    page: int | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"code": self.code.value}
        if self.detail:
            out["detail"] = self.detail
        if self.page is not None:
            out["page"] = self.page
        return out


@dataclass(slots=True)
class Field:
    """A value read from the document, how sure we are of it (0..1) and where it came from."""

    value: Any = None
    confidence: float = 0.0
    source: str = ""  # "text", "words" (the amount in words), "arithmetic", "corrected", "layer"
    raw: str = ""

    @property
    def present(self) -> bool:
        return self.value is not None


class DocumentKind(StrEnum):
    INVOICE = "invoice"  # hisobvaraq-faktura / счёт-фактура / e-invoice printout
    WAYBILL = "waybill"  # yuk xati / накладная
    RECEIPT = "receipt"  # a till's fiscal receipt
    UNKNOWN = "unknown"


FIELD_NAMES = (
    "invoice_number", "date", "seller", "seller_tin", "buyer", "buyer_tin", "currency", "total_without_vat",
    "vat_rate", "vat_amount", "total",
)
ITEM_FIELDS = ("name", "unit", "quantity", "unit_price", "amount", "vat_rate", "vat_amount", "amount_with_vat")


@dataclass(slots=True)
class LineItem:
    name: Field = field(default_factory=Field)
    unit: Field = field(default_factory=Field)
    quantity: Field = field(default_factory=Field)
    unit_price: Field = field(default_factory=Field)
    amount: Field = field(default_factory=Field)
    vat_rate: Field = field(default_factory=Field)
    vat_amount: Field = field(default_factory=Field)
    amount_with_vat: Field = field(default_factory=Field)
    page: int = 0
    checked: bool = False  # quantity × price = amount held (as read or after mending one digit)

    def get(self, name: str) -> Field:
        value: Field = getattr(self, name)
        return value

    @property
    def confidence(self) -> float:
        scores = [self.get(name).confidence for name in ("name", "quantity", "unit_price", "amount")]
        return min(scores)


@dataclass(slots=True)
class PageInfo:
    index: int
    width: int
    height: int
    source: str  # "ocr" or "text_layer"
    rotation: int = 0  # degrees the page was turned (EXIF and OSD together)
    skew: float = 0.0
    cropped: bool = False  # a page outline was found and straightened
    mean_confidence: float = 0.0
    words: int = 0
    seconds: float = 0.0
    languages: str = ""
    timings: dict[str, float] = field(default_factory=dict)  # seconds: prepare, orient, recognise; cpu: all CPU


@dataclass(slots=True)
class OcrResult:
    kind: DocumentKind = DocumentKind.UNKNOWN
    fields: dict[str, Field] = field(default_factory=lambda: {name: Field() for name in FIELD_NAMES})
    items: list[LineItem] = field(default_factory=list)
    without_vat: bool = False  # "QQSsiz" / "без НДС": the seller charges no VAT
    prices_include_vat: bool = False  # receipts: prices and line amounts already include VAT
    amount_in_words: Decimal | None = None
    raw_text: str = ""
    pages: list[PageInfo] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    mime: str = ""
    sha256: str = ""
    seconds: float = 0.0
    pages_total: int = 0  # pages in the file, read or not

    def value(self, name: str) -> Any:
        return self.fields[name].value

    def has(self, code: ProblemCode) -> bool:
        return any(problem.code is code for problem in self.problems)

    @property
    def ok(self) -> bool:
        """Something worth showing: not a file we cannot read, not only blank pages, not something else."""
        blank = sum(p.code is ProblemCode.BLANK_PAGE for p in self.problems)
        if blank and blank >= len(self.pages):
            return False
        return not any(p.code in FATAL_PROBLEMS or p.code is ProblemCode.NOT_AN_INVOICE for p in self.problems)

    def low_confidence(self, threshold: float = 0.6) -> list[str]:
        return [name for name, f in self.fields.items() if f.present and f.confidence < threshold]

    def to_json(self) -> dict[str, Any]:
        """The CLI's shape: values as JSON (Decimal as a string, dates ISO) with a confidence per field."""
        return {
            "kind": self.kind.value,
            "fields": {
                **{name: _json_value(f.value) for name, f in self.fields.items()},
                "without_vat": self.without_vat,
                "prices_include_vat": self.prices_include_vat,
                "items": [
                    {name: _json_value(item.get(name).value) for name in ITEM_FIELDS}
                    | {"confidence": round(item.confidence, 2), "checked": item.checked}
                    for item in self.items
                ],
            },
            "confidence": {name: round(f.confidence, 2) for name, f in self.fields.items()},
            "amount_in_words": _json_value(self.amount_in_words),
            "problems": [problem.to_json() for problem in self.problems],
            "pages": [
                {"index": p.index, "source": p.source, "rotation": p.rotation, "skew": round(p.skew, 1),
                 "cropped": p.cropped, "mean_confidence": round(p.mean_confidence, 1), "words": p.words,
                 "seconds": round(p.seconds, 3), "languages": p.languages,
                 "timings": {k: round(v, 3) for k, v in p.timings.items()}}
                for p in self.pages
            ],
            "pages_total": self.pages_total,
            "mime": self.mime,
            "sha256": self.sha256,
            "seconds": round(self.seconds, 3),
        }


def _json_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, date):
        return value.isoformat()
    return value

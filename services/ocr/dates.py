"""Dates as invoices print them: 12.03.2025, 12/03/25, 2025-03-12, "12 mart 2025 y.", "2025 yil 12-mart",
"«12» марта 2025 г.", "2025 йил 12 март", "March 12, 2025". Month names are matched loosely (OCR misspells them and
mixes Latin and Cyrillic letters that look alike)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from rapidfuzz import fuzz, process

from services.ocr.numbers import fix_digits

_MONTHS: dict[str, int] = {}
for _number, _names in enumerate([
    "yanvar январь январ января january jan янв",
    "fevral февраль феврал февраля february feb фев",
    "mart март марта march mar",
    "aprel апрель апрел апреля april apr апр",
    "may май мая may",
    "iyun июнь июн июня june jun",
    "iyul июль июл июля july jul",
    "avgust август августа august aug авг",
    "sentabr sentyabr сентябрь сентябр сентября september sep sept сен",
    "oktabr oktyabr октябрь октябр октября october oct окт",
    "noyabr ноябрь ноябр ноября november nov ноя",
    "dekabr декабрь декабр декабря december dec дек",
], 1):
    for _name in _names.split():
        _MONTHS[_name] = _number
_LONG_MONTHS = [name for name in _MONTHS if len(name) >= 4]

# Latin letters that look like Cyrillic ones and back: OCR mixes them inside one word
_TO_CYRILLIC = str.maketrans("aceopxyABCEHKMOPTXy", "асеорхуАВСЕНКМОРТХу")
_TO_LATIN = str.maketrans("асеорхуАВСЕНКМОРТХ", "aceopxyABCEHKMOPTX")

MIN_YEAR = 2000
MAX_YEAR = 2099


def month_number(word: str) -> int | None:
    """1..12 for a month name in Uzbek (Latin or Cyrillic), Russian or English, misspelt by a letter or two."""
    clean = re.sub(r"[^\w]", "", word.lower()).strip("_")
    if len(clean) < 3:
        return None
    for variant in (clean, clean.translate(_TO_CYRILLIC), clean.translate(_TO_LATIN)):
        if variant in _MONTHS:
            return _MONTHS[variant]
    if len(clean) < 4:
        return None
    for variant in (clean, clean.translate(_TO_CYRILLIC), clean.translate(_TO_LATIN)):
        match = process.extractOne(variant, _LONG_MONTHS, scorer=fuzz.ratio, score_cutoff=75)
        if match:
            return _MONTHS[match[0]]
    return None


@dataclass(frozen=True, slots=True)
class FoundDate:
    value: date
    start: int
    end: int
    numeric: bool  # printed with digits only (12.03.2025) rather than a month name


def _year(text: str) -> int | None:
    if len(text) == 2:
        return 2000 + int(text)
    if len(text) == 4:
        return int(text)
    return None


def _make(year: int | None, month: int | None, day: int) -> date | None:
    if year is None or month is None or not MIN_YEAR <= year <= MAX_YEAR:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


_SEP = r"\s*[./\-,]\s*"
_NUMERIC_DMY = re.compile(r"(?<![\d.])(\d{1,2})" + _SEP + r"(\d{1,2})" + _SEP + r"(\d{4}|\d{2})(?![\d])")
_NUMERIC_YMD = re.compile(r"(?<![\d.])(\d{4})\s*[./\-]\s*(\d{1,2})\s*[./\-]\s*(\d{1,2})(?!\d)")
_WORD = r"([^\W\d_]{3,12})\.?"
_DAY_MONTH_YEAR = re.compile(
    r"(?<!\d)[«\"'“]?(\d{1,2})[»\"'”]?\s*[-–]?\s*(?:[-–]?\s*(?:chi|son|сон|чи)\s*)?" + _WORD + r"\s*,?\s*(\d{4})"
)
_YEAR_DAY_MONTH = re.compile(
    r"(?<!\d)(\d{4})\s*[-–]?\s*(?:y\.?|yil|yilning|йил|йилнинг|г\.?|года|year)?\s*[«\"'“]?(\d{1,2})[»\"'”]?\s*[-–]?\s*"
    + _WORD
)
_MONTH_DAY_YEAR = re.compile(_WORD + r"\s+(\d{1,2})(?:st|nd|rd|th)?\s*,?\s*(\d{4})")


def find_dates(text: str) -> list[FoundDate]:
    """Every date in `text`, in order of position."""
    fixed = " ".join(fix_digits(token) for token in text.split(" "))
    found: dict[int, FoundDate] = {}

    def add(match: re.Match[str], value: date | None, numeric: bool) -> None:
        if value is not None and not any(f.start <= match.start() < f.end for f in found.values()):
            found[match.start()] = FoundDate(value, match.start(), match.end(), numeric)

    for m in _DAY_MONTH_YEAR.finditer(fixed):
        add(m, _make(int(m.group(3)), month_number(m.group(2)), int(m.group(1))), False)
    for m in _YEAR_DAY_MONTH.finditer(fixed):
        add(m, _make(int(m.group(1)), month_number(m.group(3)), int(m.group(2))), False)
    for m in _MONTH_DAY_YEAR.finditer(fixed):
        add(m, _make(int(m.group(3)), month_number(m.group(1)), int(m.group(2))), False)
    for m in _NUMERIC_YMD.finditer(fixed):
        add(m, _make(int(m.group(1)), int(m.group(2)), int(m.group(3))), True)
    for m in _NUMERIC_DMY.finditer(fixed):
        add(m, _make(_year(m.group(3)), int(m.group(2)), int(m.group(1))), True)
    return [found[key] for key in sorted(found)]


def parse_date(text: str) -> date | None:
    """The first date in `text`, or None."""
    dates = find_dates(text)
    return dates[0].value if dates else None

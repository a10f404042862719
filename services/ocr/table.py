"""Line items from the rows of the goods table, found by their arithmetic: a row is an item when three of its
numbers read as quantity × price = amount (as read, or after mending one misread digit). The name is the text to the
left, the unit the word beside the quantity; VAT rate, VAT and the amount with VAT follow the amount when printed."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from rapidfuzz import fuzz, process

from services.ocr.layout import NO_VAT_WORDS, TOTAL_LABELS, UNITS, VAT_WORDS, Line, contains_label, norm
from services.ocr.model import Field, LineItem
from services.ocr.numbers import CENT, close, money, one_digit_variants
from services.ocr.tokens import Token, line_readings

_CODE = re.compile(r"^(\d{12,}|0\d{7,})$")  # IKPU, barcodes: not part of a name, not a quantity (an amount that lost
# its decimal point, "25080000", is not one: amounts never start with 0 and stay under 12 figures)
_BORDERS = "|[](){}!Il1J;:_-—–=«»‚,."  # what OCR makes of a cell border or a dotted rule beside a name
_MARKS = "|[](){}!;:_-—–=«»‚,."
_UNIT_LIST = sorted(UNITS)


def is_unit(text: str) -> bool:
    """A unit of measure, as printed or misread by a letter ("мешож" for "мешок", "nona" for "дона")."""
    t = norm(text).strip(_MARKS + " ")
    if t in UNITS or t.rstrip(".") in UNITS:
        return True
    if len(t) < 4:
        return False
    match = process.extractOne(t, _UNIT_LIST, scorer=fuzz.ratio, score_cutoff=75)
    return match is not None and len(match[0]) >= 4


@dataclass
class RowMatch:
    score: float
    q: int
    p: int
    a: int
    quantity: Decimal
    price: Decimal
    amount: Decimal
    mended: int  # how many numbers were mended to make the arithmetic hold
    tokens: list[Token]


def _values(token: Token) -> list[Decimal]:
    values = [v for v in (token.value, *token.alternatives) if v is not None]
    digits = token.text.replace(" ", "").strip(_BORDERS + "°")
    if values and re.fullmatch(r"\d{2,}00", digits):
        values.append(values[0] / 100)  # "7500.00" with its decimal point lost: "750000"
    return values


def _witnessed(expected: Decimal, tokens: list[Token], after: int) -> bool:
    """Whether the VAT or the amount with VAT printed after the amount (at 12, 15 or 20%) says that the amount is
    `expected` (quantity × price), when the amount itself was misread in more than one way."""
    for token in tokens[after + 1:]:
        if not token.is_number or token.percent is not None:
            continue
        for value in _values(token):
            for rate in (Decimal(12), Decimal(15), Decimal(20)):
                if close(value, money(expected * rate / 100), Decimal("0.02")) or close(
                        value, money(expected * (100 + rate) / 100), Decimal("0.02")):
                    return True
    return False


def _fits(quantity: Decimal, price: Decimal, amount: Decimal) -> bool:
    if quantity <= 0 or price <= 0 or amount <= 0 or quantity > 100_000:
        return False
    return close(money(quantity * price), amount, Decimal("0.011"))


def _triples(tokens: list[Token], numbers: list[int]) -> list[tuple[int, int, int, int]]:
    """Quantity, price and amount: three numbers in a row, or with one stray figure between them that is only a
    cell border read as a digit ("| 1 |" → "1"), marked by how many were skipped."""
    out = [(numbers[n], numbers[n + 1], numbers[n + 2], 0) for n in range(len(numbers) - 2)]
    for n in range(len(numbers) - 3):
        q, x, y, z = numbers[n:n + 4]
        for stray, triple in ((x, (q, y, z)), (y, (q, x, z))):
            if tokens[stray].text.strip(_BORDERS) in ("", "1", "l", "I"):
                out.append((*triple, 1))
    return out


def _match_row(tokens: list[Token]) -> RowMatch | None:
    numbers = [i for i, t in enumerate(tokens) if t.is_number and not _CODE.match(t.text.replace(" ", ""))]
    best: RowMatch | None = None
    for q, p, a, skipped in _triples(tokens, numbers):
        for quantity in _values(tokens[q]):
            for price in _values(tokens[p]):
                for amount in _values(tokens[a]):
                    mended = 0
                    found = _fits(quantity, price, amount)
                    if not found:
                        for variant in one_digit_variants(amount):
                            if _fits(quantity, price, variant):
                                amount, mended, found = variant, 1, True
                                break
                    if not found:
                        for variant in one_digit_variants(price):
                            if _fits(quantity, variant, amount):
                                price, mended, found = variant, 1, True
                                break
                    if not found and quantity == quantity.to_integral_value() and quantity < 1000:
                        for variant in one_digit_variants(quantity):
                            if _fits(variant, price, amount):
                                quantity, mended, found = variant, 1, True
                                break
                    if not found and amount > 0 and price > 0 and quantity > 0 and quantity <= 100_000:
                        expected = money(quantity * price)
                        if abs(expected - amount) < amount / 2 and _witnessed(expected, tokens, a):
                            amount, mended, found = expected, 1, True
                    if not found:
                        continue
                    score = 10 - 4 * mended - 2 * skipped + 0.01 * q + (1 if price >= 100 else 0)
                    if best is None or score > best.score:
                        best = RowMatch(score, q, p, a, quantity, price, amount, mended, tokens)
    return best


def _field(value: object, token: Token | None, base: float, source: str = "text") -> Field:
    conf = base if token is None else base * (0.5 + 0.5 * token.conf / 100)
    return Field(value, round(min(1.0, conf), 3), source, token.text if token else "")


def _vat_extras(item: LineItem, tokens: list[Token], after: int, without_vat: bool) -> None:
    """Rate, VAT and amount with VAT printed after the amount, checked against it."""
    amount: Decimal = item.amount.value
    rate: Decimal | None = None
    rest = tokens[after + 1:]
    for token in rest:
        if token.percent is not None:
            rate = token.percent
            item.vat_rate = _field(rate, token, 0.9)
            break
        if contains_label(token.text, NO_VAT_WORDS):
            item.vat_rate = Field(None, 0.9, "text", token.text)
            item.vat_amount = Field(Decimal("0.00"), 0.9, "text")
            item.amount_with_vat = Field(amount, 0.9, "arithmetic")
            return
    numbers = [t for t in rest if t.is_number and t.percent is None]
    for i, token in enumerate(numbers):
        for vat in _values(token):
            ratio = vat / amount if amount else Decimal(0)
            implied = (ratio * 100).quantize(Decimal("1"))
            if rate is not None and not close(money(amount * rate / 100), vat, Decimal("0.05")):
                continue
            if rate is None and implied not in (Decimal(12), Decimal(15), Decimal(20)):
                continue
            item.vat_amount = _field(vat, token, 0.97, "text")
            if rate is None:
                rate = implied
                item.vat_rate = Field(rate, 0.8, "arithmetic")
            for total_token in numbers[i + 1:]:
                for with_vat in _values(total_token):
                    if close(with_vat, amount + vat, Decimal("0.05")):
                        item.amount_with_vat = _field(with_vat, total_token, 0.98)
                        return
            item.amount_with_vat = Field(money(amount + vat), 0.85, "arithmetic")
            return
    if without_vat:
        item.vat_rate = Field(None, 0.7, "arithmetic")
        item.vat_amount = Field(Decimal("0.00"), 0.7, "arithmetic")
        item.amount_with_vat = Field(amount, 0.7, "arithmetic")
    elif rate is not None and rate == 0:
        item.vat_amount = Field(Decimal("0.00"), 0.8, "arithmetic")
        item.amount_with_vat = Field(amount, 0.8, "arithmetic")


def _is_border(token: Token) -> bool:
    return not token.text.strip(_BORDERS) or (len(token.text) == 1 and token.text in "Il1|J")


def _name_and_unit(tokens: list[Token], q: int) -> tuple[str, str | None, float]:
    """The name left of the quantity: without the row number, the IKPU / barcode, the unit and the cell borders
    OCR read as letters ("| 2 | Rice Laser | kg |" → "Rice Laser", "kg")."""
    unit = None
    words = [t for t in tokens[:q] if not _CODE.match(t.text.replace(" ", "").strip(_BORDERS))]
    after = tokens[q + 1] if q + 1 < len(tokens) else None
    while words and _is_border(words[-1]):
        words.pop()
    if len(words) > 1 and is_unit(words[-1].text):
        unit = words.pop().text.strip(_MARKS)
    elif after is not None and not after.is_number and is_unit(after.text):
        unit = after.text.strip(_MARKS)
    while words and _is_border(words[-1]):
        words.pop()
    while words and _is_border(words[0]):
        words.pop(0)
    if len(words) > 1 and re.fullmatch(r"\d{1,3}[.)|\]]?", words[0].text.strip(_BORDERS[:8]) or "x"):
        words = words[1:]  # the row number
    while words and _is_border(words[0]):
        words.pop(0)
    words = [t for t in words if t.text.strip("|[]()!") and t.text not in ("x", "х", "*", "×")]
    name = " ".join(t.text.strip("|[]{}") for t in words).strip(" |[]{}-—–:;,‚.")
    conf = min((t.conf for t in words), default=0.0)
    return name, unit, conf


def _is_total_line(line: Line) -> bool:
    first = " ".join(w.text for w in line.words[:4])
    return contains_label(first, TOTAL_LABELS, 88)


def _vat_line(line: Line) -> tuple[Decimal | None, Decimal | None] | None:
    """A receipt's "QQS 12%  5 314.29" line under an item: (rate, VAT)."""
    if not contains_label(" ".join(w.text for w in line.words[:3]), VAT_WORDS + NO_VAT_WORDS):
        return None
    tokens = line_readings(line.words)[0]
    if contains_label(line.text, NO_VAT_WORDS):
        return (None, Decimal("0.00"))
    rate = next((t.percent for t in tokens if t.percent is not None), None)
    amounts = [t.value for t in tokens if t.is_number and t.percent is None and t.value is not None]
    return (rate, amounts[-1] if amounts else None)


def extract_items(lines: list[Line], without_vat: bool = False, prices_include_vat: bool = False,
                  ) -> tuple[list[LineItem], set[int]]:
    """The items, in order, and the indexes of the lines they were read from."""
    items: list[LineItem] = []
    rows: list[int] = []
    used: set[int] = set()
    pending_name: list[str] = []
    for index, line in enumerate(lines):
        if _is_total_line(line):
            pending_name = []
            continue
        vat_line = _vat_line(line)
        if vat_line is not None and prices_include_vat and items and rows and index - rows[-1] <= 2:
            rate, vat = vat_line
            item = items[-1]
            if vat is not None:
                amount = item.amount.value
                expected = money(amount * rate / (100 + rate)) if rate else Decimal("0.00")
                good = rate is None or close(expected, vat, Decimal("0.05"))
                item.vat_rate = Field(rate, 0.9 if good else 0.5, "text")
                item.vat_amount = Field(vat, 0.95 if good else 0.5, "text")
                item.amount_with_vat = Field(amount, 0.9, "arithmetic")
            used.add(index)
            continue
        best: RowMatch | None = None
        for reading in line_readings(line.words):
            match = _match_row(reading)
            if match is not None and (best is None or match.score > best.score):
                best = match
        if best is None:
            text = line.text.strip()
            has_numbers = any(ch.isdigit() for ch in text)
            letters = sum(ch.isalpha() for ch in text)
            if text and letters >= 3 and len(text) < 60 and (prices_include_vat or not has_numbers):
                pending_name = [*pending_name[-1:], text]
            elif items and rows and index == rows[-1] + 1 and not has_numbers and len(text) < 25:
                items[-1].name.value = f"{items[-1].name.value} {text}".strip()
            else:
                pending_name = []
            continue
        tokens = best.tokens
        name, unit, name_conf = _name_and_unit(tokens, best.q)
        if len(re.sub(r"[^\w]", "", name)) < 2 and pending_name:
            name = pending_name[-1]
            name_conf = 60.0
        pending_name = []
        if len(re.sub(r"[^\w]", "", name)) < 2:
            continue
        base = 0.97 if best.mended == 0 else 0.75
        item = LineItem(page=line.page, checked=True)
        item.name = Field(name, round(0.5 + 0.5 * name_conf / 100, 3), "text")
        item.unit = Field(unit, 0.8 if unit else 0.0, "text")
        quantity = Decimal(int(best.quantity)) if best.quantity == best.quantity.to_integral_value() else (
            best.quantity.normalize())
        item.quantity = _field(quantity, tokens[best.q], base)
        item.unit_price = _field(best.price, tokens[best.p], base)
        item.amount = _field(best.amount.quantize(CENT), tokens[best.a], base)
        if best.mended:
            item.amount.source = "corrected"
        _vat_extras(item, tokens, best.a, without_vat)
        items.append(item)
        rows.append(index)
        used.add(index)
    return items, used

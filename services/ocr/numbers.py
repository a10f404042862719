"""Numbers as printed on invoices and as OCR reads them: amounts, quantities, rates and TINs.

Amounts come as "1 250 000,00", "1,250,000.00", "1.250.000,00", "1250000" or "1 250 000-00"; OCR adds letters that
look like digits (O→0, l→1, S→5, з→3 ...). Everything here is pure and returns Decimal.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

# letters OCR reads in place of digits, only applied inside a token that is mostly digits
_DIGIT_LOOKALIKES = str.maketrans({
    "O": "0", "o": "0", "О": "0", "о": "0", "Q": "0", "D": "0", "U": "0",
    "l": "1", "I": "1", "|": "1", "i": "1", "!": "1", "ı": "1", "]": "1", "[": "1",
    "S": "5", "s": "5", "$": "5", "B": "8", "В": "8", "Z": "2", "z": "2", "з": "3", "З": "3",
    "б": "6", "G": "6", "b": "6", "T": "7", "g": "9", "q": "9", "A": "4", "Ч": "4", "ч": "4",
})
_LOOKALIKE_KEYS = frozenset(chr(k) for k in _DIGIT_LOOKALIKES)
_SEPARATORS = " \u00a0\u202f'’"

CENT = Decimal("0.01")
MILLI = Decimal("0.001")


def digits_only(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def fix_digits(token: str) -> str:
    """A token that is mostly digits with lookalike letters made digits ("1O5" → "105"); other tokens unchanged."""
    core = token.strip()
    if not core:
        return token
    digits = sum(ch.isdigit() for ch in core)
    lookalikes = sum(ch in _LOOKALIKE_KEYS for ch in core)
    others = sum(ch.isalpha() and ch not in _LOOKALIKE_KEYS for ch in core)
    if digits == 0 or others or lookalikes > digits:
        return token
    return core.translate(_DIGIT_LOOKALIKES)


def _normalise_amount(text: str) -> str | None:
    raw = fix_digits(text.strip().strip("=:;*%()«»\"").strip())
    raw = re.sub(r"(so'?m|сўм|сум|uzs|sum)\.?$", "", raw, flags=re.IGNORECASE).strip()
    raw = re.sub(r"-(\d{2})$", r".\1", raw)  # "1 250 000-00"
    for sep in _SEPARATORS:
        raw = raw.replace(sep, " ")
    raw = re.sub(r"\s+", " ", raw).strip()
    if not raw or not re.fullmatch(r"-?\d[\d ,.]*", raw) or not raw[-1].isdigit():
        return None
    return raw


def _grouped_integer(text: str, grouping: str) -> str | None:
    parts = re.split("[" + re.escape(grouping) + "]", text)
    if any(not part.isdigit() for part in parts):
        return None
    if len(parts) > 1 and (len(parts[0]) > 3 or any(len(part) != 3 for part in parts[1:])):
        return None
    return "".join(parts)


def amount_candidates(text: str) -> list[Decimal]:
    """Every value `text` can stand for, likeliest first: "2,500" is 2.5 (a quantity, the comma a decimal mark)
    or 2 500; "1 250 000,00" is only 1 250 000.00. Empty when `text` is not a number."""
    raw = _normalise_amount(text)
    if raw is None:
        return []
    sign = -1 if raw.startswith("-") else 1
    raw = raw.lstrip("-")
    marks = [ch for ch in raw if ch in ",."]
    options: list[str] = []
    if marks:
        last = max(raw.rfind(","), raw.rfind("."))
        head, tail = raw[:last], raw[last + 1:]
        mark = raw[last]
        if " " not in tail and 1 <= len(tail) <= 3 and mark not in head:
            other = "".join({",", "."} - {mark})
            integer = _grouped_integer(head, " " + other)
            if integer is not None:
                options.append(f"{integer}.{tail}")
        if len(tail) == 3 and len(set(marks)) == 1:
            integer = _grouped_integer(raw, " " + mark)
            if integer is not None:
                options.append(integer)
        if not options and len(tail) == 2 and len(marks) > 1 and len(set(marks)) == 1:
            # "7,729,059,80": the decimal point read as a comma, like the grouping marks before it
            integer = _grouped_integer(head, mark)
            if integer is not None:
                options.append(f"{integer}.{tail}")
        if options and len(tail) == 3 and len(marks) > 1:
            options.reverse()  # "1,250,000": grouping first
            if len(set(marks)) == 2:  # "2,426,871.007": a mark misread as a digit after the tiyin
                options.insert(0, options[-1][:-1])
    else:
        integer = _grouped_integer(raw, " ")
        if integer is not None:
            options.append(integer)
    out: list[Decimal] = []
    for option in options:
        try:
            out.append(sign * Decimal(option))
        except InvalidOperation:
            continue
    return out


def parse_amount(text: str) -> Decimal | None:
    """A money amount or quantity, the likeliest reading; None when `text` is not one. Thousands may be grouped by
    spaces, dots, commas or apostrophes; the decimal mark is whichever of , or . comes last before 1-3 digits."""
    candidates = amount_candidates(text)
    return candidates[0] if candidates else None


def parse_percent(text: str) -> Decimal | None:
    """"12%", "12 %", "0%", "15" → Decimal percent; None otherwise. "QQSsiz" / "без НДС" are read elsewhere."""
    match = re.fullmatch(r"\s*(\d{1,2}(?:[.,]\d{1,2})?)\s*%?\s*", fix_digits(text.strip(" :;.,|()[]")))
    if not match:
        return None
    value = Decimal(match.group(1).replace(",", "."))
    return value if value <= 30 else None


def money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def close(a: Decimal, b: Decimal, tolerance: Decimal = Decimal("0.01")) -> bool:
    """Two amounts the same within `tolerance` (a tiyin unless rounding of several lines is involved)."""
    return abs(a - b) <= tolerance


# --- TINs -------------------------------------------------------------------------------------------------------

_TIN = re.compile(r"(?<!\d)([1-9]\d{8})(?!\d)")


def parse_tin(text: str) -> str | None:
    """A 9-digit TIN (STIR / ИНН) from text such as "STIR: 302 547 891", "|3|0|2|5|4|7|8|9|1|" or "302547891"."""
    fixed = " ".join(fix_digits(t) for t in text.split())
    match = _TIN.search(fixed)
    if match:
        return match.group(1)
    # digit boxes and spaced groups: every character between the digits is a separator
    run = re.search(r"[1-9](?:[\s|\[\]_/.:-]*\d){8}", fixed)
    if run:
        digits = digits_only(run.group(0))
        after = fixed[run.end():]
        if len(digits) == 9 and not re.match(r"[\s|\[\]_]*\d", after):
            return digits
    return None


# the first box's left border may be read too ("|3|2|..." → "1312..."): then the digits sit at the odd places
_BOXED = re.compile(r"(?<!\d)[1lI|]?([1-9](?:[1lI|]\d){8})[1lI|]?(?!\d)")


def boxed_tin(text: str) -> str | None:
    """A TIN printed one digit per box, when OCR read every box border between the digits as a 1
    ("|3|2|3|3|9|2|4|4|8|" → "31213131912141418", or "1312..." with the first border): nine digits with a
    border between each two."""
    compact = re.sub(r"[\s\[\]()]", "", text)
    match = _BOXED.search(compact)
    if match is None:
        return None
    return match.group(1)[0::2][:9]


def digit_confusions(digit: str) -> str:
    """Digits OCR mistakes for `digit` (used to mend a number that breaks an arithmetic check)."""
    return _CONFUSIONS.get(digit, "")


_PAIRS = ["08", "06", "09", "17", "14", "27", "38", "35", "56", "58", "68", "89", "69", "13", "46"]
_CONFUSIONS = {d: "".join(sorted({p[1] if p[0] == d else p[0] for p in _PAIRS if d in p})) for d in "0123456789"}


def one_digit_variants(value: Decimal) -> list[Decimal]:
    """The amounts that differ from `value` in one confusable digit (a misread), nearest confusions first."""
    text = f"{value:f}"
    out: list[Decimal] = []
    for i, ch in enumerate(text):
        for other in digit_confusions(ch):
            if i == 0 and other == "0":
                continue
            out.append(Decimal(text[:i] + other + text[i + 1:]))
    return out


def misread_distance(read: Decimal, true: Decimal) -> int | None:
    """How many confusable digits (6/8, 3/5, 1/7 ...) OCR must have misread to print `true` as `read`, counting a
    cell border read as a leading 1 ("|4 487 800" → 14487800) as one; None when misreading cannot explain it."""
    a, b = f"{money(read):f}", f"{money(true):f}"
    extra = 0
    if len(a) == len(b) + 1 and a.startswith("1"):
        a, extra = a[1:], 1
    if len(a) != len(b):
        return None
    count = extra
    for x, y in zip(a, b, strict=True):
        if x == y:
            continue
        if x not in digit_confusions(y):
            return None
        count += 1
    return count


def misread_cost(read: Decimal, true: Decimal) -> float | None:
    """Like `misread_distance`, but weighted by how easily each misread happens: a 0 that noise, a dotted or slashed
    zero or a dot-matrix print turns into an 8, 9 or 6 costs half; every other confusable pair a whole one."""
    a, b = f"{money(read):f}", f"{money(true):f}"
    if len(a) != len(b):
        distance = misread_distance(read, true)
        return None if distance is None else float(distance)
    cost = 0.0
    for x, y in zip(a, b, strict=True):
        if x == y:
            continue
        if x not in digit_confusions(y):
            return None
        cost += 0.5 if y == "0" and x in "689" else 1.0
    return cost

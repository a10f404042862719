"""Amounts of money as people type them, in Uzbek, Russian or English: `150000`, `150 000`, `150k`, `1.5 mln`,
`1,5 млн`, `150 ming`, `2 mlrd soʻm`, `1 500 000,50`, `1,234.56`, `12.500 сум`.

Rules:
- spaces (also no-break and thin spaces) group thousands: every group after the first has three digits;
- with both `.` and `,` the last one is the decimal mark and the other groups thousands (`1.234,56`, `1,234.56`);
- one kind of mark several times groups thousands (`1.500.000`, `1,500,000`);
- one mark once, followed by exactly three digits and no multiplier, groups thousands (`150,000`, `12.500`);
  otherwise it is the decimal mark (`1,5`, `1.25`, and always before a multiplier: `1.500 mln` is 1.5 million);
- multipliers: thousand (`k`, `к`, `ming`, `минг`, `тыс`, `тысяч`, `thousand`), million (`m`, `mln`, `млн`,
  `million`, `миллион`…), billion (`mlrd`, `млрд`, `milliard`, `миллиард`…, `bn`, `billion`);
- a currency word after it is ignored (`soʻm`, `so'm`, `som`, `sum`, `сум`, `сўм`, `uzs`);
- the result is positive, has at most two decimals (tiyin) and is below MAX_AMOUNT; anything else is refused
  with a `ValidationFailed` whose key says why (the bot answers it in the user's language and keeps waiting).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from services.errors import ValidationFailed

MAX_AMOUNT = Decimal("1000000000000")  # a trillion so'm: past it the number is a typo, not an expense
MAX_INPUT_LENGTH = 64
CENT = Decimal("0.01")

THOUSAND, MILLION, BILLION = Decimal(10) ** 3, Decimal(10) ** 6, Decimal(10) ** 9
MULTIPLIERS: dict[str, Decimal] = {
    **dict.fromkeys(("k", "к", "ming", "минг", "тыс", "тысяч", "тысяча", "тысячи", "т", "thousand", "thousands",
                     "th"), THOUSAND),
    **dict.fromkeys(("m", "м", "mln", "млн", "mil", "million", "millions", "миллион", "миллиона",
                     "миллионов", "милион"), MILLION),
    **dict.fromkeys(("mlrd", "млрд", "milliard", "миллиард", "миллиарда", "миллиардов", "bn", "billion",
                     "billions"), BILLION),
}
CURRENCY_WORDS = frozenset({"so'm", "som", "sum", "сум", "сўм", "сом", "uzs", "сумов", "суммы", "сума", "soum",
                            "so'mlik", "sumov"})
_APOSTROPHES = str.maketrans({"ʻ": "'", "‘": "'", "’": "'", "`": "'", "ʼ": "'", "´": "'"})
_SPACES = re.compile(r"[\s\u00a0\u2007\u2009\u202f_]+")
_SHAPE = re.compile(r"^(?P<sign>[-−–+]?)\s*(?P<number>\d[\d ,.]*?)\s*(?P<word>[^\d\s,.][^\d]*)?$", re.ASCII)


class AmountError(ValidationFailed):
    """The typed amount is not one; `key` says why (amount-invalid, -not-positive, -too-large, -too-precise)."""

    key = "amount-invalid"


def _normalise(text: str) -> str:
    text = text.translate(_APOSTROPHES).strip().lower()
    return _SPACES.sub(" ", text)


def _strip_currency(text: str) -> str:
    words = text.split(" ")
    while words and words[-1].strip(".") in CURRENCY_WORDS:
        words.pop()
    if words:  # "150ming so'm" is handled above; "150so'm" here
        for word in sorted(CURRENCY_WORDS, key=len, reverse=True):
            if words[-1].endswith(word) and words[-1] != word:
                words[-1] = words[-1][: -len(word)]
                break
    return " ".join(words).strip()


def _grouped(groups: list[str]) -> bool:
    """Thousands groups: the first of one to three digits, every other of exactly three."""
    return bool(groups) and 1 <= len(groups[0]) <= 3 and all(len(group) == 3 for group in groups[1:])


def _split_spaces(number: str) -> str:
    """`1 500 000,5` → `1500000,5`; refuses spaces that do not group thousands."""
    if " " not in number:
        return number
    mark = re.search(r"[.,]", number)
    head, tail = (number[:mark.start()], number[mark.start():]) if mark else (number, "")
    groups = head.strip().split(" ")
    if " " in tail or not _grouped(groups) or not all(group.isdigit() for group in groups):
        raise AmountError()
    return "".join(groups) + tail


def _to_decimal(number: str, has_multiplier: bool) -> Decimal:
    number = _split_spaces(number.strip())
    if not re.fullmatch(r"[0-9][0-9.,]*", number) or number[-1] in ".,":
        raise AmountError()
    dots, commas = number.count("."), number.count(",")
    if dots and commas:
        decimal_mark = "." if number.rfind(".") > number.rfind(",") else ","
        group_mark = "," if decimal_mark == "." else "."
        whole, _, fraction = number.rpartition(decimal_mark)
        if group_mark in fraction or not _grouped(whole.split(group_mark)):
            raise AmountError()
        digits = whole.replace(group_mark, "") + "." + fraction
    elif dots + commas > 1:
        mark = "." if dots else ","
        groups = number.split(mark)
        if not _grouped(groups):
            raise AmountError()
        digits = "".join(groups)
    elif dots + commas == 1:
        mark = "." if dots else ","
        whole, fraction = number.split(mark)
        if not has_multiplier and len(fraction) == 3 and whole != "0" and len(whole) <= 3:
            digits = whole + fraction  # 150,000 / 12.500: thousands
        else:
            digits = whole + "." + fraction
    else:
        digits = number
    try:
        return Decimal(digits)
    except InvalidOperation as error:  # pragma: no cover - the shape was checked above
        raise AmountError() from error


def parse_amount(text: str | None) -> Decimal:
    """The amount typed, as a positive Decimal with two places; raises `AmountError` (a refusal) otherwise."""
    if text is None or not text.strip() or len(text) > MAX_INPUT_LENGTH:
        raise AmountError()
    cleaned = _strip_currency(_normalise(text))
    match = _SHAPE.match(cleaned)
    if match is None:
        if re.fullmatch(r"[-−–]\s*[0-9].*", cleaned):
            raise AmountError("amount-not-positive")
        raise AmountError()
    word = (match.group("word") or "").strip().rstrip(".").strip()
    multiplier = Decimal(1)
    if word:
        if word not in MULTIPLIERS:
            raise AmountError()
        multiplier = MULTIPLIERS[word]
    value = _to_decimal(match.group("number"), bool(word)) * multiplier
    if match.group("sign") in ("-", "−", "–") or value <= 0:
        raise AmountError("amount-not-positive")
    if value != value.quantize(CENT):
        raise AmountError("amount-too-precise")
    if value >= MAX_AMOUNT:
        raise AmountError("amount-too-large")
    return value.quantize(CENT)


__all__ = ["MAX_AMOUNT", "MULTIPLIERS", "AmountError", "parse_amount"]

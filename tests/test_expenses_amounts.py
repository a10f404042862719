"""Amounts as people type them (services.amounts), in Uzbek, Russian and English: every format of the issue, and
property tests — any amount written any of these ways reads back exactly; any text at all is either a valid
amount or a clear refusal, never a crash."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from services.amounts import MAX_AMOUNT, AmountError, parse_amount

CENT = Decimal("0.01")
THOUSAND_WORDS = {"uz": ["ming", "минг", "k"], "ru": ["тыс", "тыс.", "тысяч", "к", "К"], "en": ["k", "K", "thousand"]}
MILLION_WORDS = {"uz": ["mln", "million", "MLN"], "ru": ["млн", "млн.", "миллиона", "миллионов", "М"],
                 "en": ["mln", "m", "million", "M"]}
BILLION_WORDS = {"uz": ["mlrd", "milliard"], "ru": ["млрд", "миллиарда"], "en": ["bn", "billion", "mlrd"]}
CURRENCIES = {"uz": ["", " soʻm", " so'm", " som", "soʻm", " сўм", " UZS"], "ru": ["", " сум", "сум", " сумов", " UZS"],
              "en": ["", " UZS", " uzs", " sum", " som"]}
DECIMAL_MARK = {"uz": ",", "ru": ",", "en": "."}


@pytest.mark.parametrize(("text", "expected"), [
    ("150000", "150000"), ("150 000", "150000"), ("150k", "150000"), ("1.5 mln", "1500000"),
    ("1,5 млн", "1500000"), ("150 ming", "150000"), ("150 ming soʻm", "150000"), ("1,5 mln so'm", "1500000"),
    ("2 mlrd", "2000000000"), ("150 тыс.", "150000"), ("150к", "150000"), ("1,5 миллиона сум", "1500000"),
    ("1 500 000,50", "1500000.50"), ("1,234.56", "1234.56"), ("1.234,56", "1234.56"), ("1.500.000", "1500000"),
    ("150,000", "150000"), ("12.500 сум", "12500"), ("1,5", "1.50"), ("0.5", "0.50"), ("1.500 mln", "1500000"),
    ("2.5k", "2500"), ("150\u00a0000", "150000"), ("150\u202f000 сум", "150000"), ("  75 000  ", "75000"),
    ("3 m", "3000000"), ("10 000 000 UZS", "10000000"), ("150 thousand", "150000"), ("1.25 million", "1250000"),
])
def test_every_format_of_the_issue(text: str, expected: str) -> None:
    assert parse_amount(text) == Decimal(expected)


@pytest.mark.parametrize(("text", "key"), [
    ("", "amount-invalid"), ("abc", "amount-invalid"), ("сто тысяч", "amount-invalid"), ("1 50", "amount-invalid"),
    ("1e5", "amount-invalid"), ("1.2.3", "amount-invalid"), ("150,", "amount-invalid"), ("NaN", "amount-invalid"),
    ("Infinity", "amount-invalid"), ("150 000 штук", "amount-invalid"), ("12 34 56", "amount-invalid"),
    ("0", "amount-not-positive"), ("0,00", "amount-not-positive"), ("-5000", "amount-not-positive"),
    ("−1 500", "amount-not-positive"), ("1,2345", "amount-too-precise"), ("1.234567 k", "amount-too-precise"),
    ("2 000 000 000 000", "amount-too-large"), ("5000 mlrd", "amount-too-large"), ("9" * 70, "amount-invalid"),
])
def test_bad_amounts_are_refused_with_their_reason(text: str, key: str) -> None:
    with pytest.raises(AmountError) as refused:
        parse_amount(text)
    assert refused.value.key == key


def _group(whole: int, separator: str) -> str:
    digits = str(whole)
    groups: list[str] = []
    while len(digits) > 3:
        groups.insert(0, digits[-3:])
        digits = digits[:-3]
    groups.insert(0, digits)
    return separator.join(groups)


@st.composite
def written_amount(draw: st.DrawFn) -> tuple[str, Decimal]:
    """An amount and one way a person could write it, in one of the three languages."""
    locale = draw(st.sampled_from(["uz", "ru", "en"]))
    cents = draw(st.integers(min_value=1, max_value=int(MAX_AMOUNT * 100) - 1))
    value = Decimal(cents) / 100
    whole, fraction = divmod(cents, 100)
    style = draw(st.sampled_from(["plain", "spaces", "nbsp", "marks"]))
    mark = DECIMAL_MARK[locale]
    if style == "plain":
        number = str(whole)
    elif style in ("spaces", "nbsp"):
        number = _group(whole, " " if style == "spaces" else "\u00a0")
    else:  # the other mark groups thousands: 1.234.567,50 (uz, ru) or 1,234,567.50 (en)
        number = _group(whole, "." if mark == "," else ",")  # `1.234` alone reads as thousands too
    if fraction or (style != "marks" and draw(st.booleans())):
        number += mark + f"{fraction:02d}"
    currency = draw(st.sampled_from(CURRENCIES[locale]))
    return number + currency, value


@given(written_amount())
@example(("1.000", Decimal("1000")))
@example(("999,99", Decimal("999.99")))
def test_any_amount_written_any_way_reads_back(case: tuple[str, Decimal]) -> None:
    text, value = case
    assert parse_amount(text) == value


@st.composite
def amount_with_multiplier(draw: st.DrawFn) -> tuple[str, Decimal]:
    """`1,5 mln`, `150 ming`, `2.25k`, `3 млрд сум`: a mantissa with up to three decimals and a multiplier word."""
    locale = draw(st.sampled_from(["uz", "ru", "en"]))
    scale, words = draw(st.sampled_from([(Decimal(1000), THOUSAND_WORDS), (Decimal(10**6), MILLION_WORDS),
                                         (Decimal(10**9), BILLION_WORDS)]))
    whole = draw(st.integers(min_value=0, max_value=999))
    decimals = draw(st.integers(min_value=0, max_value=3))
    fraction = draw(st.integers(min_value=0, max_value=10**decimals - 1)) if decimals else 0
    mantissa = Decimal(whole) + (Decimal(fraction) / 10**decimals if decimals else 0)
    if mantissa == 0 or mantissa * scale >= MAX_AMOUNT:
        mantissa = Decimal(whole or 1)
        decimals = 0
    number = str(int(mantissa)) if not decimals else f"{int(mantissa)}{DECIMAL_MARK[locale]}{fraction:0{decimals}d}"
    space = draw(st.sampled_from(["", " "]))
    word = draw(st.sampled_from(words[locale]))
    currency = draw(st.sampled_from(CURRENCIES[locale])) if space else ""
    return f"{number}{space}{word}{currency}", (mantissa * scale).quantize(CENT)


@given(amount_with_multiplier())
def test_multipliers_in_three_languages(case: tuple[str, Decimal]) -> None:
    text, value = case
    assert parse_amount(text) == value


@given(st.text(max_size=40))
@example("1,5 млн сум сум")
@example("١٢٣")  # Arabic-Indic digits are not an amount people type here
def test_any_text_is_an_amount_or_a_clear_refusal(text: str) -> None:
    try:
        value = parse_amount(text)
    except AmountError as refused:
        assert refused.key.startswith("amount-")
    else:
        assert 0 < value < MAX_AMOUNT and value == value.quantize(CENT)


@given(st.integers(min_value=1, max_value=10**9))
def test_negative_amounts_are_refused(whole: int) -> None:
    for text in (f"-{whole}", f"- {_group(whole, ' ')}", f"−{whole} сум"):
        with pytest.raises(AmountError) as refused:
            parse_amount(text)
        assert refused.value.key == "amount-not-positive"

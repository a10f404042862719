"""The pure parsers of invoice OCR: amounts, dates, TINs, amounts in words (property tests), and field extraction
from words with boxes (no Tesseract needed)."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from sandbox.invoices.texts import money as print_money
from sandbox.invoices.texts import written_date
from services.ocr import (
    ProblemCode,
    Word,
    amount_candidates,
    amount_in_words,
    extract_fields,
    find_dates,
    month_number,
    number_to_words,
    parse_amount,
    parse_date,
    parse_tin,
    words_to_number,
)
from services.ocr.numbers import one_digit_variants

LANGUAGES = ("uz", "uz_cyrl", "ru", "en")
money_values = st.decimals(min_value=0, max_value=Decimal("999999999.99"), places=2, allow_nan=False)


@given(st.integers(min_value=0, max_value=999_999_999_999), st.sampled_from(LANGUAGES))
def test_number_words_read_back(number: int, language: str) -> None:
    assert words_to_number(number_to_words(number, language)) == number


def test_number_words_examples() -> None:
    assert number_to_words(1_250_000, "uz") == "bir million ikki yuz ellik ming"
    assert number_to_words(2_021, "ru") == "две тысячи двадцать один"
    assert number_to_words(315, "uz_cyrl") == "уч юз ўн беш"
    assert number_to_words(14_000_000, "en") == "fourteen million"


def test_amount_in_words_survives_ocr_misspellings() -> None:
    assert amount_in_words("Jami to'lovga: Bir milion ikki yuz ellik ming so'm 50 tiyin") == Decimal("1250000.50")
    assert amount_in_words("Всего к оплате: Четырнадцать миллионов семсот семь тысяч сум 00 тийин") == Decimal(
        "14707000")
    assert amount_in_words("Уч миллион туккиз юз йигирма олти минг етти юз йигирма сум 00 тийин") == Decimal(
        "3926720")
    assert amount_in_words("on ikki ming so'm") == Decimal("12000")  # o'n without its apostrophe
    assert amount_in_words("Manzil: Toshkent sh.") is None


@given(money_values, st.sampled_from(["space", "space_dot", "comma"]))
def test_printed_amounts_parse_back(value: Decimal, style: str) -> None:
    assert parse_amount(print_money(value, style)) == value


@given(money_values)
def test_dot_grouped_amounts_parse_back(value: Decimal) -> None:
    text = print_money(value, "comma").replace(",", "_").replace(".", ",").replace("_", ".")  # 1.250.000,00
    assert parse_amount(text) == value


def test_amount_readings() -> None:
    assert amount_candidates("2,500") == [Decimal("2.500"), Decimal("2500")]  # a quantity, or 2 500
    assert parse_amount("1 250 000-00") == Decimal("1250000.00")
    assert parse_amount("125O,OO") == Decimal("1250.00")  # O read for 0
    assert parse_amount("2,426,871.007") == Decimal("2426871.00")  # a border read as a third decimal
    assert parse_amount("12 5") is None
    assert parse_amount("Jami") is None


@given(money_values)
def test_one_digit_variants_differ_in_one_digit(value: Decimal) -> None:
    text = f"{value:f}"
    for variant in one_digit_variants(value):
        other = f"{variant:f}"
        assert len(other) == len(text)
        assert sum(a != b for a, b in zip(text, other, strict=True)) == 1


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)), st.sampled_from(LANGUAGES),
       st.integers(0, 1000))
def test_written_dates_parse_back(when: date, language: str, seed: int) -> None:
    text = written_date(when, language, random.Random(seed))
    assert parse_date(f"№ 145 {text}") == when


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)),
       st.sampled_from(["{d:02d}.{m:02d}.{y}", "{d}/{m}/{y}", "{y}-{m:02d}-{d:02d}", "{d:02d}-{m:02d}-{y}",
                        "{d:02d}.{m:02d}.{yy:02d}"]))
def test_numeric_dates_parse_back(when: date, pattern: str) -> None:
    text = pattern.format(d=when.day, m=when.month, y=when.year, yy=when.year % 100)
    assert parse_date(f"от {text} г.") == when


def test_date_examples() -> None:
    assert parse_date("«12» марта 2025 г.") == date(2025, 3, 12)
    assert parse_date("2024 yil 3-dekabrdagi") == date(2024, 12, 3)
    assert parse_date("2025 йил 12 март") == date(2025, 3, 12)
    assert parse_date("March 12, 2025") == date(2025, 3, 12)
    assert parse_date("Chek 0012 12.O3.2025 14:35") == date(2025, 3, 12)  # O read for 0
    assert parse_date("1 250 000.00") is None
    assert parse_date("31.02.2025") is None
    assert [f.value for f in find_dates("Shartnoma № 5 01.02.2024, faktura 05.03.2024")] == [
        date(2024, 2, 1), date(2024, 3, 5)]


def test_month_names_misread() -> None:
    assert month_number("мaрта") == 3  # a Latin "a" inside a Cyrillic word
    assert month_number("sentyabr") == 9
    assert month_number("Сентябрь") == 9
    assert month_number("dekabr") == 12
    assert month_number("oktobr") == 10
    assert month_number("Toshkent") is None


@given(st.from_regex(r"[2-7][0-9]{8}", fullmatch=True),
       st.sampled_from(["STIR: {t}", "ИНН {t}", "{g}", "|{b}|", "{s}", "TIN:{t}"]))
def test_tins_in_every_print(tin: str, form: str) -> None:
    text = form.format(t=tin, g=f"{tin[:3]} {tin[3:6]} {tin[6:]}", b="|".join(tin), s=" ".join(tin))
    assert parse_tin(text) == tin


def test_not_tins() -> None:
    assert parse_tin("H/r: 20208000123456789012") is None  # a 20-digit account
    assert parse_tin("MFO: 00440") is None
    assert parse_tin("3 0 2 5 4 7 8 9 1 2") is None  # ten boxed digits


# --- extraction from words with boxes -----------------------------------------------------------------------------

def _page(rows: list[list[tuple[int, str]]], line_height: int = 40) -> list[Word]:
    """Words from rows of (x, text) cells; each cell's words are spaced as print spaces them."""
    words: list[Word] = []
    for r, row in enumerate(rows):
        top = 100 + r * line_height
        for x, text in row:
            left = x
            for part in text.split(" "):
                width = 16 * len(part)
                words.append(Word(part, 95.0, left, top, width, 24))
                left += width + 8
    return words


INVOICE_ROWS = [
    [(600, "HISOBVARAQ-FAKTURA")],
    [(560, "№ 145 2025 yil 12-mart")],
    [(520, "Shartnoma № 7/25 10.01.2025")],
    [(40, "Yetkazib beruvchi: \"Oltin Don\" MChJ"), (1200, "Xaridor: \"Baraka Food\" XK")],
    [(40, "STIR: 302547891"), (1200, "STIR: 207906174")],
    [(40, "№"), (120, "Tovar nomi"), (700, "O'lchov"), (900, "Miqdori"), (1100, "Narxi"), (1400, "Summa"),
     (1700, "QQS"), (1900, "QQS summasi"), (2200, "Jami")],
    [(40, "1"), (120, "Shakar"), (700, "kg"), (900, "2,5"), (1100, "12 000,00"), (1400, "30 000,00"),
     (1700, "12%"), (1900, "3 600,00"), (2200, "33 600,00")],
    [(40, "2"), (120, "Un oliy nav 50 kg"), (700, "qop"), (900, "4"), (1100, "380 000,00"),
     (1400, "1 520 000,00"), (1700, "12%"), (1900, "182 400,00"), (2200, "1 702 400,00")],
    [(120, "Jami"), (1400, "1 550 000,00"), (1900, "186 000,00"), (2200, "{total}")],
    [(40, "Jami to'lovga: {words} so'm 00 tiyin")],
]


def _invoice(total: str = "1 736 000,00", words: str = "Bir million yetti yuz o'ttiz olti ming",
             ) -> list[Word]:
    rows = [[(x, text.format(total=total, words=words)) for x, text in row] for row in INVOICE_ROWS]
    return _page(rows)


def test_fields_from_words() -> None:
    result = extract_fields(_invoice(), {0: (2600, 700)})
    v = result.value
    assert v("invoice_number") == "145"
    assert v("date") == date(2025, 3, 12)
    assert v("seller") == "\"Oltin Don\" MChJ" and v("seller_tin") == "302547891"
    assert v("buyer") == "\"Baraka Food\" XK" and v("buyer_tin") == "207906174"
    assert (v("total_without_vat"), v("vat_amount"), v("total")) == (
        Decimal("1550000.00"), Decimal("186000.00"), Decimal("1736000.00"))
    assert v("vat_rate") == Decimal(12)
    assert result.amount_in_words == Decimal("1736000")
    assert [(i.name.value, i.unit.value, i.quantity.value, i.amount.value) for i in result.items] == [
        ("Shakar", "kg", Decimal("2.5"), Decimal("30000.00")),
        ("Un oliy nav 50 kg", "qop", Decimal(4), Decimal("1520000.00"))]
    assert all(item.checked for item in result.items)
    assert not result.problems
    assert result.fields["total"].confidence >= 0.9


def test_a_total_that_does_not_add_up_is_flagged_not_fixed() -> None:
    result = extract_fields(_invoice("1 746 000,00", "Bir million yetti yuz qirq olti ming"), {0: (2600, 700)})
    assert result.value("total") == Decimal("1746000.00")  # as printed
    assert result.has(ProblemCode.TOTALS_MISMATCH)


def test_a_misread_digit_is_mended_when_the_words_say_so() -> None:
    result = extract_fields(_invoice("1 786 000,00"), {0: (2600, 700)})  # 3 read as 8
    assert result.value("total") == Decimal("1736000.00")
    assert result.fields["total"].source == "corrected"
    assert not result.has(ProblemCode.TOTALS_MISMATCH)


def test_an_invoice_without_tins_and_without_vat() -> None:
    rows = [
        [(600, "YUK XATI № A-77")],
        [(600, "12.03.2025")],
        [(40, "Yetkazib beruvchi: \"Nur Plast\" XK")],
        [(40, "Oluvchi: \"Orzu Market\" MChJ")],
        [(40, "1"), (120, "Sovun 90 g"), (700, "dona"), (900, "40"), (1100, "7 200,00"), (1400, "288 000,00")],
        [(1000, "Jami:"), (1400, "288 000,00")],
        [(1000, "QQSsiz")],
    ]
    result = extract_fields(_page(rows), {0: (1600, 500)})
    assert result.kind.value == "waybill"
    assert result.value("invoice_number") == "A-77"
    assert result.without_vat and result.value("vat_rate") is None
    assert result.value("vat_amount") == Decimal("0.00")
    assert result.value("total") == Decimal("288000.00")
    assert result.has(ProblemCode.NO_TIN)


@settings(max_examples=30, deadline=None)
@given(st.lists(st.text(alphabet="abcdefghijklmnopqrstuvwxyzабвгдеж0123456789 .,:%№'\"-", max_size=30),
                max_size=12))
def test_extraction_never_breaks_on_noise(lines: list[str]) -> None:
    rows = [[(40, text)] for text in lines if text.strip()]
    extract_fields(_page(rows), {0: (1000, 1000)})

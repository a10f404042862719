"""The arithmetic and layout rules that mend what OCR misread (no Tesseract needed): TINs in digit boxes whose
borders were read as 1s, misread digits explained by confusable pairs, totals rows mended so that base + VAT = total
at the rate, table rows whose cell borders and units were read into the name, bands of a page cut between lines,
and the shared pool closed on shutdown."""

from __future__ import annotations

from decimal import Decimal

import cv2
import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from services.ocr import Word, extract_fields
from services.ocr import document as ocr_document
from services.ocr.engine import BAND_MARGIN, recognise_band, split_bands
from services.ocr.layout import group_lines
from services.ocr.numbers import boxed_tin, digit_confusions, misread_cost, misread_distance, money, parse_amount
from services.ocr.preprocess import typed_bars
from services.ocr.table import extract_items, is_unit
from services.ocr.totals import _anchor_on_words, _split_total
from tests.ocr_support import requires_tesseract

tins = st.from_regex(r"[1-9][0-9]{8}", fullmatch=True)
amounts = st.decimals(min_value=Decimal("1000.00"), max_value=Decimal("99999999.99"), places=2, allow_nan=False)


@given(tins, st.booleans(), st.booleans(), st.sampled_from(["", " ", "("]))
def test_boxed_tin_with_borders_read_as_ones(tin: str, opening: bool, closing: bool, before: str) -> None:
    text = before + ("1" if opening else "") + "1".join(tin) + ("1" if closing else "")
    assert boxed_tin(text) == tin


def test_boxed_tin_with_its_first_border_and_spaces_where_ocr_put_them() -> None:
    assert boxed_tin("ас 13171814 1 7171612 18)") == "378477628"


def test_boxed_tin_is_not_an_account() -> None:
    assert boxed_tin("20201855314255803099") is None
    assert boxed_tin("MFO: 01478") is None


@given(amounts)
def test_misread_distance_of_itself_is_zero(value: Decimal) -> None:
    assert misread_distance(value, value) == 0


@given(amounts, st.data())
def test_misread_distance_counts_confusable_digits(value: Decimal, data: st.DataObject) -> None:
    text = f"{value:f}"
    positions = [i for i, ch in enumerate(text) if ch.isdigit() and digit_confusions(ch) and i > 0]
    if not positions:
        return
    i = data.draw(st.sampled_from(positions))
    misread = text[:i] + digit_confusions(text[i])[0] + text[i + 1:]
    assert misread_distance(Decimal(misread), value) == 1
    assert misread_distance(Decimal("1" + misread), value) == 2  # and a cell border read as a leading 1


def test_misread_distance_refuses_what_ocr_does_not_do() -> None:
    assert misread_distance(Decimal("1200.00"), Decimal("1300.00")) is None  # 2 and 3 do not look alike
    assert misread_distance(Decimal("12000.00"), Decimal("1200.00")) is None


@given(amounts, st.data())
def test_split_total_mends_a_misread_totals_row(base: Decimal, data: st.DataObject) -> None:
    vat = money(base * 12 / 100)
    total = base + vat
    text = f"{base:f}"
    positions = [i for i, ch in enumerate(text) if ch.isdigit() and digit_confusions(ch) and i > 0]
    if not positions:
        return
    i = data.draw(st.sampled_from(positions))
    misread = Decimal(text[:i] + digit_confusions(text[i])[0] + text[i + 1:])
    assert _split_total(total, misread, vat, Decimal(12), 3) == (base, vat)


def test_split_total_never_invents_a_split() -> None:
    # 1 000 000 + 120 000 printed, total 1 500 000: no misreading explains it, so the document stays flagged
    assert _split_total(Decimal("1500000.00"), Decimal("1000000.00"), Decimal("120000.00"), Decimal(12), 2) is None


def test_units_as_misread() -> None:
    assert is_unit("kg") and is_unit("мешок") and is_unit("мешож") and is_unit("dona") and is_unit("quti")
    assert not is_unit("Sugar") and not is_unit("Milk") and not is_unit("Shakar")


def _row(cells: list[tuple[int, str]], top: int = 100) -> list[Word]:
    words = []
    for x, text in cells:
        left = x
        for part in text.split(" "):
            width = 16 * len(part)
            words.append(Word(part, 90.0, left, top, width, 24))
            left += width + 8
    return words


def test_dot_matrix_row_with_borders_read_as_letters() -> None:
    """"| 2 | Rice Laser | kg | 0.85 | 21,900.00 | 18,615.06 |": the borders are I and 1, a 0 of the amount read
    as 6 (mended by quantity × price)."""
    words = _row([(20, "I 2 1 Rice Laser I kg I"), (500, "0.85 [|"), (700, "21,900.00 |"), (950, "18,615.06")])
    items, _ = extract_items(group_lines(words))
    assert len(items) == 1
    item = items[0]
    assert (item.name.value, item.unit.value) == ("Rice Laser", "kg")
    assert (item.quantity.value, item.unit_price.value, item.amount.value) == (
        Decimal("0.85"), Decimal("21900.00"), Decimal("18615.00"))
    assert item.amount.source == "corrected"


def test_amount_that_lost_its_decimal_point_is_witnessed_by_its_vat() -> None:
    """"Cement M400 | qop | 4 | 62700.00 | 25080000 | 12% | 30096.00 | 280 896.00" (250 800.00 with its point lost)."""
    words = _row([(20, "5 Cement M400"), (300, "qop"), (450, "4"), (550, "62700.00"), (750, "25080000"),
                  (950, "12%"), (1050, "30096.00"), (1250, "280 896.00")])
    items, _ = extract_items(group_lines(words))
    assert [(i.name.value, i.amount.value) for i in items] == [("Cement M400", Decimal("250800.00"))]


def test_totals_row_read_without_its_label() -> None:
    """The row under the last item with figures and no words is the totals row, whatever OCR made of "Jami"."""
    rows = [
        _row([(600, "HISOBVARAQ-FAKTURA")], 40),
        _row([(40, "1 Shakar"), (700, "kg"), (900, "10"), (1100, "12 000,00"), (1400, "120 000,00"), (1700, "12%"),
              (1900, "14 400,00"), (2200, "134 400,00")], 100),
        _row([(120, "Xachi"), (1400, "120 000,00"), (1900, "14 400,00"), (2200, "134 400,00")], 150),
    ]
    result = extract_fields([w for row in rows for w in row], {0: (2600, 400)})
    assert result.value("total") == Decimal("134400.00")
    assert result.value("vat_amount") == Decimal("14400.00")


def test_bands_cut_between_lines() -> None:
    page = np.full((1200, 800), 255, np.uint8)
    for top in range(40, 1160, 60):  # a line of text every 60 px, 30 px tall
        page[top:top + 30, 50:750] = 0
    bands = split_bands(page, 2)
    assert len(bands) == 2
    assert sum(band.shape[0] for _, band in bands) == page.shape[0]
    for top, band in bands:
        assert (band[0] == 255).all() or top == 0  # every cut runs through white
    assert split_bands(page, 1) == [(0, page)]


def test_bands_share_the_text_and_leave_blank_paper_out() -> None:
    """Text only in the top third: the cut falls within the text (equal shares of it, since Tesseract's time follows
    the text), in the widest gap near there, and the blank paper below makes no band of its own (on a band of blank
    paper alone Tesseract takes the grain for ink and reads hundreds of "words" in seconds)."""
    page = np.full((1800, 800), 250, np.uint8)
    tops = [40, 100, 160, 220, 330, 390, 450, 510]  # a wider gap (80 px) after the fourth line
    for top in tops:
        page[top:top + 30, 50:750] = 0
    page[:, 20:22] = 0  # a vertical rule down the whole page does not hide the gaps between lines
    bands = split_bands(page, 2)
    assert [top for top, _ in bands] == [0, 290]
    assert bands[-1][0] + bands[-1][1].shape[0] == page.shape[0]  # the blank rest stays with the last band
    blank_bottom = np.full((1800, 800), 250, np.uint8)
    blank_bottom[40:70, 50:750] = 0
    assert len(split_bands(blank_bottom, 2)) == 1


@requires_tesseract
def test_a_band_is_read_with_margins_in_page_coordinates() -> None:
    band = np.full((60, 400), 255, np.uint8)
    cv2.putText(band, "TOTAL 125", (10, 45), cv2.FONT_HERSHEY_SIMPLEX, 1.2, 0, 3)
    words, _, _ = recognise_band(band, "eng", 0, 1000, BAND_MARGIN)
    assert words and all(1000 <= w.top < 1060 for w in words)


def test_default_pool_closes() -> None:
    pool = ocr_document.default_pool()
    assert ocr_document.default_pool() is pool
    ocr_document.close_default_pool()
    ocr_document.close_default_pool()  # twice is harmless
    assert ocr_document.default_pool() is not pool
    ocr_document.close_default_pool()


def test_decimal_point_read_as_a_comma() -> None:
    assert parse_amount("7,729,059,80") == Decimal("7729059.80")
    assert parse_amount("1,250,000.00") == Decimal("1250000.00")
    assert parse_amount("2,500") == Decimal("2.5")


def test_misread_cost_weighs_zeros_read_as_loops() -> None:
    assert misread_cost(Decimal("2272650.06"), Decimal("2272650.00")) == 0.5  # a dotted zero read as 6
    assert misread_cost(Decimal("2272650.00"), Decimal("2272650.06")) == 1.0
    assert misread_cost(Decimal("2272650.00"), Decimal("2272651.00")) is None


def test_words_settle_the_tiyin_of_a_dot_matrix_total() -> None:
    # 1C print: zeros read as 9 in the base and in the words' tiyin, 8 read as 5 in the total; the sum in words,
    # base + VAT and VAT = 12% × base agree on 14 707 980,00 only
    settled = _anchor_on_words(Decimal("14707980.09"), Decimal("14707950.00"), Decimal("13132125.09"),
                               Decimal("1575855.00"), Decimal(12), 8)
    assert settled == (Decimal("14707980.00"), Decimal("13132125.00"), Decimal("1575855.00"))
    settled = _anchor_on_words(Decimal("2545368.06"), Decimal("2545368.00"), Decimal("2272650.06"),
                               Decimal("272718.00"), Decimal(12), 4)
    assert settled == (Decimal("2545368.00"), Decimal("2272650.00"), Decimal("272718.00"))


def test_words_never_mend_a_total_that_does_not_add_up() -> None:
    # printed 10 000 more than base + VAT, in figures and in words: the parts do not make the words' sum
    assert _anchor_on_words(Decimal("2555368.00"), Decimal("2555368.00"), Decimal("2272650.00"),
                            Decimal("272718.00"), Decimal(12), 4) is None
    assert _anchor_on_words(Decimal("2555368.00"), Decimal("2545368.00"), Decimal("2272650.00"),
                            Decimal("272718.00"), Decimal(12), 4) is None


def test_typed_bars_are_found_in_columns_only() -> None:
    ink = np.zeros((400, 600), np.uint8)
    for top in range(20, 380, 40):  # a column of "|" a line apart, 30 px tall at a 22 px capital height
        ink[top:top + 30, 100:107] = 255
    ink[100:130, 300:307] = 255  # one bar alone: a letter, not a border
    ink[200:222, 400:407] = 255  # capital height: a "1"
    ink[240:262, 400:407] = 255
    ink[280:302, 400:407] = 255
    mask = typed_bars(ink, 22.0)
    assert mask[30, 103] == 255 and mask[350, 103] == 255
    assert mask[110, 303] == 0 and mask[210, 403] == 0

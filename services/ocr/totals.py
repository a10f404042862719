"""Totals and the checks between them: the totals row or lines (without VAT, VAT, with VAT), the amount in words,
and the sums of the lines. Agreement raises a field's confidence; a misread digit is mended only when another printed
figure says so; a document that does not add up keeps its printed total and is flagged."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from services.ocr.layout import PAYMENT_LABELS, TOTAL_LABELS, VAT_WORDS, WITH_VAT_WORDS, Line, contains_label
from services.ocr.model import Field, LineItem, Problem, ProblemCode
from services.ocr.numbers import close, misread_cost, misread_distance, money, one_digit_variants
from services.ocr.tokens import Token, line_readings
from services.ocr.words import amount_in_words, count_number_words, has_currency_word

ZERO = Decimal("0.00")
RATES = (Decimal(12), Decimal(15), Decimal(20), Decimal(0))


@dataclass
class Candidate:
    value: Decimal
    conf: float
    raw: str


@dataclass
class Printed:
    base: list[Candidate]
    vat: list[Candidate]
    total: list[Candidate]
    rate: Decimal | None
    words: Decimal | None
    paid: list[Decimal] = field(default_factory=list)  # a receipt's payment lines (card, cash)


def _numbers(tokens: list[Token]) -> list[Token]:
    return [t for t in tokens if t.is_number and t.percent is None and t.value is not None and t.value >= 0]


def read_printed(lines: list[Line], used: set[int], receipt: bool) -> Printed:
    """The totals as printed, from the lines below the items (`used`: the lines the items were read from)."""
    out = Printed([], [], [], None, None)
    start = max(0, min(used) - 1) if used else int(len(lines) * 0.3)
    implicit = _totals_row_under(lines, used) if used and not receipt else None
    for index in range(start, len(lines)):
        if index in used:
            continue
        line = lines[index]
        text = line.text
        head = " ".join(w.text for w in line.words[:6])
        if receipt and contains_label(" ".join(w.text for w in line.words[:3]), PAYMENT_LABELS, 86):
            paid = _numbers(line_readings(line.words)[0])
            if paid:
                out.paid.append(paid[-1].value or ZERO)
            continue
        total_label = index == implicit or contains_label(" ".join(w.text for w in line.words[:3]), TOTAL_LABELS, 88)
        vat_label = contains_label(head, VAT_WORDS, 100)
        with_vat = contains_label(head, WITH_VAT_WORDS, 90)
        if not (total_label or vat_label) or count_number_words(text) >= 3:
            continue
        readings = line_readings(line.words)
        tokens = readings[0]
        numbers = _numbers(tokens)
        if not numbers:
            continue
        rates = [t.percent for t in tokens if t.percent is not None]
        if rates and out.rate is None:
            out.rate = rates[0]
        conf = min(t.conf for t in numbers) / 100
        if total_label and len(numbers) >= 3:  # a totals row: amount, VAT, amount with VAT
            triple = _sum_triple(readings)
            if triple is not None:
                for target, token in zip((out.base, out.vat, out.total), triple, strict=True):
                    target.append(Candidate(token.value or ZERO, 0.5 + 0.5 * token.conf / 100, token.text))
                continue
            big = [t for t in numbers if (t.value or ZERO) >= 100]
            if big:
                out.total.append(Candidate(big[-1].value or ZERO, conf * 0.7, big[-1].text))
                if len(big) >= 2:
                    out.base.append(Candidate(big[0].value or ZERO, conf * 0.6, big[0].text))
                if len(big) == 3:
                    out.vat.append(Candidate(big[1].value or ZERO, conf * 0.6, big[1].text))
            continue
        if total_label and len(numbers) == 2:  # QQSsiz totals row: amount and amount (the VAT cell is "-")
            out.base.append(Candidate(numbers[0].value or ZERO, conf, numbers[0].text))
            out.total.append(Candidate(numbers[1].value or ZERO, conf, numbers[1].text))
            continue
        value = numbers[-1].value or ZERO
        if total_label and (with_vat or receipt):
            out.total.append(Candidate(value, conf, numbers[-1].text))
        elif total_label and vat_label and not with_vat:
            out.vat.append(Candidate(value, conf, numbers[-1].text))
        elif total_label:
            out.base.append(Candidate(value, conf * 0.9, numbers[-1].text))
            out.total.append(Candidate(value, conf * 0.5, numbers[-1].text))
        elif vat_label:
            out.vat.append(Candidate(value, conf, numbers[-1].text))
    out.words = find_amount_in_words(lines)
    return out


def _totals_row_under(lines: list[Line], used: set[int]) -> int | None:
    """The line right under the last item with two or more amounts and no words: the table's totals row, whatever
    OCR made of its label ("Хачи" for "Жами", "Totat")."""
    for index in range(max(used) + 1, min(len(lines), max(used) + 3)):
        line = lines[index]
        numbers = [t for t in _numbers(line_readings(line.words)[0]) if (t.value or ZERO) >= 100]
        letters = sum(sum(ch.isalpha() for ch in w.text) >= 3 for w in line.words)
        if len(numbers) >= 2 and letters <= 1:
            return index
    return None


def _sum_triple(readings: list[list[Token]]) -> tuple[Token, Token, Token] | None:
    """Three numbers of a totals row where the first two add up to the third (amount + VAT = with VAT)."""
    for tokens in readings:
        figures = {id(t) for t in _numbers(tokens)}
        numbers = [t for n, t in enumerate(tokens) if id(t) in figures and not _head_of_next(tokens, n)]
        for k in range(len(numbers) - 1, 1, -1):
            for j in range(k - 1, 0, -1):
                for i in range(j - 1, -1, -1):
                    a, v, t = numbers[i].value, numbers[j].value, numbers[k].value
                    if a is None or v is None or t is None or not all(map(_whole_figure, (
                            numbers[i], numbers[j], numbers[k]))):
                        continue
                    if v < a and close(a + v, t):
                        return numbers[i], numbers[j], numbers[k]
    return None


def _whole_figure(token: Token) -> bool:
    """An amount of a totals row as printed: a hundred or more, or with its tiyin ("0,00"); not "13" or "1", the
    head of a figure whose thousands OCR split off (13 + 1 = 14 of "13 132 125,09  1 575 855,00  14 707 980,00")."""
    return (token.value or ZERO) >= 100 or re.search(r"[.,]\d{2}$", token.text) is not None


def _head_of_next(tokens: list[Token], n: int) -> bool:
    """A whole figure right before a "125,09": the thousands of one amount cut from its tail in this reading (whose
    parts may add up by chance: 13 132 + 1 575 = 14 707 of 13 132 125 + 1 575 855 = 14 707 980)."""
    if n + 1 >= len(tokens) or not tokens[n + 1].is_number or re.search(r"[.,]\d{1,2}$", tokens[n].text):
        return False
    return re.fullmatch(r"\d{3,4}[.,]\d{2}", tokens[n + 1].text.replace(" ", "")) is not None


def find_amount_in_words(lines: list[Line]) -> Decimal | None:
    for i, line in enumerate(lines):
        text = line.text
        if count_number_words(text) < 2:
            continue
        joined = text
        if i + 1 < len(lines) and not has_currency_word(text):
            joined = f"{text} {lines[i + 1].text}"
        if not has_currency_word(joined) and count_number_words(joined) < 3:
            continue
        value = amount_in_words(joined.split(":", 1)[1] if ":" in joined[:40] else joined)
        if value is not None and value > 0:
            return value
    return None


def _best(candidates: list[Candidate], last: bool = True) -> Candidate | None:
    """The figure printed last (the summary under the lines), unless it was read far less surely."""
    if not candidates:
        return None
    ordered = candidates[::-1] if last else candidates
    top = max(c.conf for c in candidates)
    return next(c for c in ordered if c.conf >= top - 0.25)


def _agree(a: Decimal | None, b: Decimal | None) -> bool:
    return a is not None and b is not None and close(a, b)


def _mend(value: Decimal, witnesses: list[Decimal]) -> Decimal | None:
    """The witness `value` becomes when one misread digit is put right, if there is one."""
    variants = set(one_digit_variants(value))
    for witness in witnesses:
        if witness in variants or money(witness) in variants:
            return witness
    return None


def _split_total(total: Decimal, base: Decimal, vat: Decimal, rate: Decimal, lines: int,
                 ) -> tuple[Decimal, Decimal] | None:
    """The amount without VAT and the VAT that add up to `total` at `rate` and that OCR could have misread as the
    printed `base` and `vat` (at most three confusable digits in all): the figures of a totals row mended together
    when one digit of each was misread. None when no such pair exists (then the document is flagged)."""
    estimate = money(total * 100 / (100 + rate))
    tolerance = Decimal("0.01") * (lines + 1)
    best: tuple[tuple[int, Decimal], Decimal, Decimal] | None = None  # (misread digits, VAT off the rate), b, v
    for cents in range(-50, 51):
        b = estimate + Decimal(cents) / 100
        v = total - b
        if not close(money(b * rate / 100), v, tolerance):
            continue
        db, dv = misread_distance(base, b), misread_distance(vat, v)
        if db is None or dv is None or db + dv > 3:
            continue
        key = (db + dv, abs(money(b * rate / 100) - v))
        if best is None or key < best[0]:
            best = (key, b, v)
    return (best[1], best[2]) if best else None


def _anchor_on_words(words: Decimal, total: Decimal, base: Decimal, vat: Decimal, rate: Decimal, lines: int,
                     ) -> tuple[Decimal, Decimal, Decimal] | None:
    """(total, base, VAT) when the figures of the totals disagree with the amount in words but a reading of them
    agrees with it: the sums in words are letters, read far more surely than figures, yet their tiyin are figures
    too ("... sum 09 tiyin" for 00). Each candidate total has the words' sum; base + VAT must make it at the rate,
    and every printed figure must be explained by confusable digits. The one needing the fewest (and likeliest)
    misreads wins, a VAT of exactly rate × base breaking a tie. None when no reading agrees (then it is flagged)."""
    whole = words.to_integral_value(rounding="ROUND_DOWN")
    if misread_cost(total, money(words)) is None and (
            total.to_integral_value(rounding="ROUND_DOWN") != whole or total.is_signed()):
        return None
    tolerance = Decimal("0.01") * (lines + 1)
    best: tuple[tuple[float, bool], Decimal, Decimal, Decimal] | None = None
    for x in dict.fromkeys((money(words), money(whole + (total - total.to_integral_value(rounding="ROUND_DOWN"))))):
        for b, v in dict.fromkeys([(base, vat), _split_total(x, base, vat, rate, lines) or (base, vat)]):
            if not close(b + v, x) or not close(money(b * rate / 100), v, tolerance):
                continue
            costs = [misread_cost(base, b), misread_cost(vat, v), misread_cost(money(words), x)]
            read_total = misread_cost(total, x)
            if any(c is None for c in costs):
                continue
            cost = sum(c or 0.0 for c in costs) + (read_total if read_total is not None else 2.0)
            key = (cost, money(b * rate / 100) != v)
            if cost <= 3 and (best is None or key < best[0]):
                best = (key, x, b, v)
    return best[1:] if best else None


def reconcile(printed: Printed, items: list[LineItem], receipt: bool, without_vat: bool,
              ) -> tuple[dict[str, Field], list[Problem]]:
    """total_without_vat, vat_rate, vat_amount, total, with the problems the arithmetic finds."""
    problems: list[Problem] = []
    checked = [item for item in items if item.checked]
    sum_amount = sum((item.amount.value for item in checked), ZERO) if checked else None
    vats = [item.vat_amount.value for item in checked if item.vat_amount.value is not None]
    sum_vat = sum(vats, ZERO) if checked and len(vats) == len(checked) else None
    base_c, vat_c, total_c = _best(printed.base, last=False), _best(printed.vat), _best(printed.total)
    base = base_c.value if base_c else None
    vat = vat_c.value if vat_c else None
    total = total_c.value if total_c else None
    fields: dict[str, Field] = {}
    rate = printed.rate
    if rate is None and checked:
        rates = [item.vat_rate.value for item in checked if item.vat_rate.value is not None]
        rate = max(set(rates), key=rates.count) if rates else None
    if without_vat:
        rate = None
    # the total: figures, then the amount in words, then the arithmetic
    words = printed.words
    total_source, total_conf = "text", (total_c.conf if total_c else 0.0)
    if (words is not None and total is not None and base is not None and vat is not None and rate and not receipt
            and not _agree(total, words)):
        anchored = _anchor_on_words(words, total, base, vat, rate, len(items))
        if anchored is not None:
            settled, new_base, new_vat = anchored
            if not _agree(new_base, base):
                fields["total_without_vat"] = Field(money(new_base), 0.8, "corrected", base_c.raw if base_c else "")
            if not _agree(new_vat, vat):
                fields["vat_amount"] = Field(money(new_vat), 0.8, "corrected", vat_c.raw if vat_c else "")
            total, base, vat, words = settled, new_base, new_vat, settled
            total_source, total_conf = "corrected", 0.8
    expected_total = None
    if receipt:
        expected_total = sum_amount
    elif base is not None and vat is not None:
        expected_total = base + vat
    elif sum_amount is not None and (sum_vat is not None or without_vat):
        expected_total = sum_amount + (sum_vat or ZERO)
    if total is None:
        if words is not None:
            total, total_source, total_conf = words, "words", 0.75
        elif expected_total is not None:
            total, total_source, total_conf = expected_total, "arithmetic", 0.6
    elif words is not None and not _agree(total, words):
        mended = _mend(total, [words])
        if mended is not None:
            total, total_source, total_conf = mended, "corrected", 0.85
        elif expected_total is not None and _agree(words, expected_total):
            # the words and the sum of the printed parts agree: the figures were misread, not misprinted
            total, total_source, total_conf = words, "corrected", 0.7
        else:
            problems.append(Problem(ProblemCode.WORDS_MISMATCH, f"in figures {total}, in words {words}"))
            total_conf = min(total_conf, 0.5)
    if (receipt and total is not None and sum_amount is not None and len(checked) == len(items)
            and not _agree(total, sum_amount) and any(_agree(sum_amount, paid) for paid in printed.paid)):
        # the lines and the payment agree: the total's figures were misread ("580 766.66" for "580 700.00")
        total, total_source, total_conf = sum_amount, "corrected", 0.75
    if total is not None:
        witnesses = [w for w in (words, expected_total) if w is not None]
        agreeing = sum(_agree(total, w) for w in witnesses)
        total_conf = min(0.99, max(total_conf, 0.5) + 0.25 * agreeing)
        fields["total"] = Field(money(total), round(total_conf, 3), total_source, total_c.raw if total_c else "")
    # the amount without VAT
    if base is None and sum_amount is not None and not receipt:
        base = sum_amount
        fields["total_without_vat"] = Field(money(base), 0.7, "arithmetic")
    if receipt and total is not None:
        inclusive_vat = vat if vat is not None else sum_vat
        if inclusive_vat is None and rate:
            inclusive_vat = money(total * rate / (100 + rate))
        if without_vat:
            inclusive_vat = ZERO
        if inclusive_vat is not None:
            base = total - inclusive_vat
            vat = inclusive_vat
            fields["total_without_vat"] = Field(money(base), 0.8, "arithmetic")
    if base is not None and "total_without_vat" not in fields:
        conf = base_c.conf if base_c else 0.6
        mended = _mend(base, [w for w in (sum_amount,) if w is not None])
        source = "text"
        if mended is not None and total is not None and vat is not None and _agree(mended + vat, total):
            base, source, conf = mended, "corrected", 0.85
        agreeing = sum(_agree(base, w) for w in (sum_amount, (total - vat) if total is not None and vat is not None
                                                  else None))
        fields["total_without_vat"] = Field(money(base), round(min(0.99, max(conf, 0.5) + 0.2 * agreeing), 3),
                                            source, base_c.raw if base_c else "")
    # VAT
    if without_vat:
        vat = ZERO
        fields["vat_amount"] = Field(ZERO, 0.9, "text")
    if vat is None and total is not None and base is not None and total >= base:  # never a VAT below nought
        vat = total - base
        fields["vat_amount"] = Field(money(vat), 0.6, "arithmetic")
    elif vat is None and sum_vat is not None:
        vat = sum_vat
        fields["vat_amount"] = Field(money(vat), 0.65, "arithmetic")
    if vat is not None and "vat_amount" not in fields:
        conf = vat_c.conf if vat_c else 0.6
        expected = [sum_vat] + ([money(base * rate / 100)] if base is not None and rate and not receipt else [])
        agreeing = sum(_agree(vat, w) for w in expected if w is not None)
        fields["vat_amount"] = Field(money(vat), round(min(0.99, max(conf, 0.5) + 0.2 * agreeing), 3), "text",
                                     vat_c.raw if vat_c else "")
    if rate is None and not without_vat and base and vat:
        implied = (vat / base * 100).quantize(Decimal(1))
        if implied in RATES:
            rate = implied
    fields["vat_rate"] = Field(rate, 0.9 if rate is not None or without_vat else 0.0, "text")
    # one misread digit among the three printed totals, when the other two (and the words) say which
    if total is not None and base is not None and vat is not None and not receipt and not close(base + vat, total):
        words_agree = words is not None and _agree(words, total)
        mended_base = _mend(base, [total - vat])
        mended_vat = _mend(vat, [total - base])
        mended_total = None if words_agree else _mend(total, [base + vat])
        if mended_base is not None and not _agree(base, sum_amount):
            base = mended_base
            fields["total_without_vat"] = Field(money(base), 0.75, "corrected", fields["total_without_vat"].raw)
        elif mended_vat is not None and not _agree(vat, sum_vat):
            vat = mended_vat
            fields["vat_amount"] = Field(money(vat), 0.75, "corrected", fields["vat_amount"].raw)
        elif mended_total is not None:
            total = mended_total
            fields["total"] = Field(money(total), 0.75, "corrected", fields["total"].raw)
    if (total is not None and base is not None and vat is not None and rate and not receipt
            and not close(base + vat, total) and (words is None or _agree(words, total))):
        split = _split_total(total, base, vat, rate, len(items))
        if split is not None:
            base, vat = split
            fields["total_without_vat"] = Field(money(base), 0.7, "corrected", fields["total_without_vat"].raw)
            fields["vat_amount"] = Field(money(vat), 0.7, "corrected", fields["vat_amount"].raw)
    # what does not add up
    if total is not None and base is not None and vat is not None and not receipt and not close(base + vat, total):
        problems.append(Problem(
            ProblemCode.TOTALS_MISMATCH,
            f"{money(base)} + VAT {money(vat)} = {money(base + vat)}, the total says {money(total)}"))
    elif (total is not None and sum_amount is not None and len(checked) == len(items) and receipt
          and not close(sum_amount, total)):
        problems.append(Problem(ProblemCode.TOTALS_MISMATCH,
                                f"the lines add up to {money(sum_amount)}, the total says {money(total)}"))
    elif (base is not None and sum_amount is not None and not receipt and len(checked) == len(items)
          and sum_amount > base and not close(sum_amount, base)):
        problems.append(Problem(ProblemCode.TOTALS_MISMATCH,
                                f"the lines add up to {money(sum_amount)}, more than the total {money(base)}"))
    rounding = Decimal("0.01") * (len(items) + 1)  # VAT rounded line by line
    if vat is not None and base is not None and rate and not receipt and not close(money(base * rate / 100), vat,
                                                                                   rounding):
        problems.append(Problem(ProblemCode.VAT_MISMATCH, f"VAT {money(vat)} is not {rate}% of {money(base)}"))
    return fields, problems

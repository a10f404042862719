"""The numbers of a line of words: thousands groups joined back ("1 250 000,00" is three OCR words), lookalike
letters made digits, and every way an ambiguous line can be read, for the arithmetic to choose from."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from decimal import Decimal

from services.ocr.model import Word, WordSpan
from services.ocr.numbers import amount_candidates, fix_digits, parse_percent

_STRIP = "|[](){}!;:=*«»\"'`‘’°"
MAX_READINGS = 64


@dataclass(frozen=True)
class Token(WordSpan):
    """A word of a line, or several words read as one number."""

    text: str
    words: tuple[Word, ...]
    value: Decimal | None = None  # a number
    percent: Decimal | None = None  # a rate ("12%")
    alternatives: tuple[Decimal, ...] = ()  # other readings of the same figures ("2,500": 2.5 or 2500)

    @property
    def is_number(self) -> bool:
        return self.value is not None


def _numeric_text(text: str) -> str | None:
    core = fix_digits(text.strip(_STRIP))
    core = core.rstrip("|]")
    if re.fullmatch(r"-?\d[\d.,]*", core) and not core.endswith((",", ".")):
        return core
    if re.fullmatch(r"-?\d[\d.,]*\d[.,]", core):
        return core[:-1]
    return None


def _group(text: str) -> bool:
    """A thousands group that may follow another: three digits, perhaps with the decimal part."""
    return bool(re.fullmatch(r"\d{3}([.,]\d{1,2})?", text))


def _head(text: str) -> bool:
    """Figures a thousands group may follow: digits with no decimal part yet."""
    return bool(re.fullmatch(r"-?\d{1,6}", text)) or bool(re.fullmatch(r"-?\d{1,3}([ ,.]\d{3})+", text))


_GLUE = re.compile(r"(?<=[\d%])[:;'’\"!|]+(?=[\d(])")


def split_glued(words: list[Word]) -> list[Word]:
    """Words OCR glued across a cell border ("258,00:18"): cut at the mark, boxes shared by length."""
    out: list[Word] = []
    for word in words:
        parts = [p for p in _GLUE.split(word.text) if p]
        if len(parts) < 2:
            out.append(word)
            continue
        total = sum(len(p) for p in parts) or 1
        left = word.left
        for part in parts:
            width = max(1, round(word.width * len(part) / total))
            out.append(Word(part, word.conf, left, word.top, width, word.height, word.page, word.block, word.line))
            left += width + 2
    return out


def _make(words: list[Word], texts: list[str]) -> Token:
    joined = " ".join(texts)
    values = amount_candidates(joined)
    return Token(joined, tuple(words), values[0] if values else None, None, tuple(values[1:]))


def line_readings(words: list[Word]) -> list[list[Token]]:
    """Every plausible way to read the line's words as tokens, likeliest first. Two figures close together may be
    one number in thousands groups ("12 500,00") or two cells ("12" "500,00"): both readings are kept when the gap
    does not tell (at most MAX_READINGS)."""
    items: list[tuple[Word, str | None]] = [(w, _numeric_text(w.text)) for w in split_glued(words)]
    decisions: list[int] = []  # indexes i where joining i and i+1 is a question
    sure: set[int] = set()
    for i in range(len(items) - 1):
        (w1, t1), (w2, t2) = items[i], items[i + 1]
        if t1 is None or t2 is None or not _group(t2):
            continue
        h = max(w1.height, w2.height, 1)
        gap = w2.left - w1.right
        if re.fullmatch(r"-?\d{4,6}", t1):  # "1575 855,00": a space OCR lost inside the figures
            if gap < 1.4 * h:
                decisions.append(i)
            continue
        if not re.fullmatch(r"-?\d{1,3}([.,]\d{3})*", t1):  # "3.358 750,00": grouping marks mixed
            continue
        if gap < 0.45 * h:
            sure.add(i)
        elif gap < 1.4 * h or w1.width < 0.25 * h * len(t1):  # a box squeezed to a sliver says nothing of the gap
            decisions.append(i)
    readings: list[list[Token]] = []
    options = list(itertools.product([True, False], repeat=min(len(decisions), 6)))
    for choice in options[:MAX_READINGS]:
        join = set(sure) | {d for d, c in zip(decisions, choice, strict=False) if c}
        tokens: list[Token] = []
        i = 0
        while i < len(items):
            word, numeric = items[i]
            if numeric is None:
                percent = parse_percent(word.text) if "%" in word.text else None
                tokens.append(Token(word.text, (word,), None, percent))
                i += 1
                continue
            group_words, group_texts = [word], [numeric]
            while i in join and i + 1 < len(items) and items[i + 1][1] is not None and _head(" ".join(group_texts)):
                i += 1
                group_words.append(items[i][0])
                if len(group_texts) == 1 and re.fullmatch(r"-?\d{4,6}", group_texts[0]):
                    group_texts[0] += items[i][1] or ""  # the lost space: one run of figures
                else:
                    group_texts.append(items[i][1] or "")
            tokens.append(_make(group_words, group_texts))
            i += 1
        if tokens not in readings:
            readings.append(tokens)
    return readings or [[]]

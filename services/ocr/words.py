"""Amounts in words, both ways: Uzbek Latin, Uzbek Cyrillic, Russian and English.

`number_to_words(1250000, "uz")` → "bir million ikki yuz ellik ming"; `words_to_number(text)` reads such a phrase back
(whatever the language, tolerating OCR misspellings through rapidfuzz) and returns the integer, or None when the text
holds no number words. The money phrase on an invoice ("... so'm 00 tiyin") is read by `amount_in_words`.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache

from rapidfuzz import fuzz, process

LANGUAGES = ("uz", "uz_cyrl", "ru", "en")

_UZ_UNITS = ["", "bir", "ikki", "uch", "to'rt", "besh", "olti", "yetti", "sakkiz", "to'qqiz"]
_UZ_TENS = ["", "o'n", "yigirma", "o'ttiz", "qirq", "ellik", "oltmish", "yetmish", "sakson", "to'qson"]
_UZC_UNITS = ["", "бир", "икки", "уч", "тўрт", "беш", "олти", "етти", "саккиз", "тўққиз"]
_UZC_TENS = ["", "ўн", "йигирма", "ўттиз", "қирқ", "эллик", "олтмиш", "етмиш", "саксон", "тўқсон"]
_UZ_SCALES = {"uz": ("yuz", "ming", "million", "milliard"), "uz_cyrl": ("юз", "минг", "миллион", "миллиард")}

_RU_UNITS_M = ["", "один", "два", "три", "четыре", "пять", "шесть", "семь", "восемь", "девять"]
_RU_UNITS_F = ["", "одна", "две", "три", "четыре", "пять", "шесть", "семь", "восемь", "девять"]
_RU_TEENS = ["десять", "одиннадцать", "двенадцать", "тринадцать", "четырнадцать", "пятнадцать", "шестнадцать",
             "семнадцать", "восемнадцать", "девятнадцать"]
_RU_TENS = ["", "", "двадцать", "тридцать", "сорок", "пятьдесят", "шестьдесят", "семьдесят", "восемьдесят",
            "девяносто"]
_RU_HUNDREDS = ["", "сто", "двести", "триста", "четыреста", "пятьсот", "шестьсот", "семьсот", "восемьсот",
                "девятьсот"]
_RU_SCALES = [("тысяча", "тысячи", "тысяч"), ("миллион", "миллиона", "миллионов"),
              ("миллиард", "миллиарда", "миллиардов")]

_EN_UNITS = ["", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
_EN_TEENS = ["ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
             "nineteen"]
_EN_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]
_EN_SCALES = ["thousand", "million", "billion"]

MAX_NUMBER = 999_999_999_999


def _uz_triple(n: int, units: list[str], tens: list[str], hundred: str) -> list[str]:
    out: list[str] = []
    if n >= 100:
        out += [units[n // 100], hundred]
    if (n // 10) % 10:
        out.append(tens[(n // 10) % 10])
    if n % 10:
        out.append(units[n % 10])
    return out


def _ru_triple(n: int, feminine: bool) -> list[str]:
    out: list[str] = []
    if n >= 100:
        out.append(_RU_HUNDREDS[n // 100])
    rest = n % 100
    if 10 <= rest < 20:
        out.append(_RU_TEENS[rest - 10])
        return out
    if rest >= 20:
        out.append(_RU_TENS[rest // 10])
    if rest % 10:
        out.append((_RU_UNITS_F if feminine else _RU_UNITS_M)[rest % 10])
    return out


def _ru_plural(n: int, forms: tuple[str, str, str]) -> str:
    if 10 <= n % 100 < 20:
        return forms[2]
    return forms[0] if n % 10 == 1 else forms[1] if 2 <= n % 10 <= 4 else forms[2]


def _en_triple(n: int) -> list[str]:
    out: list[str] = []
    if n >= 100:
        out += [_EN_UNITS[n // 100], "hundred"]
    rest = n % 100
    if 10 <= rest < 20:
        out.append(_EN_TEENS[rest - 10])
    else:
        if rest >= 20:
            out.append(_EN_TENS[rest // 10])
        if rest % 10:
            out.append(_EN_UNITS[rest % 10])
    return out


def number_to_words(number: int, language: str = "uz") -> str:
    """A whole number 0..999 999 999 999 in words, lower case."""
    if not 0 <= number <= MAX_NUMBER:
        raise ValueError(f"{number} is out of range")
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}")
    if number == 0:
        return {"uz": "nol", "uz_cyrl": "нол", "ru": "ноль", "en": "zero"}[language]
    triples = []
    rest = number
    while rest:
        triples.append(rest % 1000)
        rest //= 1000
    words: list[str] = []
    for scale in range(len(triples) - 1, -1, -1):
        part = triples[scale]
        if not part:
            continue
        if language in ("uz", "uz_cyrl"):
            units, tens = (_UZ_UNITS, _UZ_TENS) if language == "uz" else (_UZC_UNITS, _UZC_TENS)
            names = _UZ_SCALES[language]
            words += _uz_triple(part, units, tens, names[0])
            if scale:
                words.append(names[scale])
        elif language == "ru":
            words += _ru_triple(part, feminine=scale == 1)
            if scale:
                words.append(_ru_plural(part, _RU_SCALES[scale - 1]))
        else:
            words += _en_triple(part)
            if scale:
                words.append(_EN_SCALES[scale - 1])
    return " ".join(words)


# --- reading back -----------------------------------------------------------------------------------------------

_APOSTROPHES = re.compile(r"[ʻʼ’‘`´′ʹ]")


@lru_cache(maxsize=1)
def _vocabulary() -> dict[str, tuple[str, int]]:
    """word → (kind, value): kind is "unit" (0..99), "hundred", or "scale" (1000, 10**6, 10**9)."""
    vocab: dict[str, tuple[str, int]] = {}
    for units, tens in ((_UZ_UNITS, _UZ_TENS), (_UZC_UNITS, _UZC_TENS)):
        for i, word in enumerate(units[1:], 1):
            vocab[word] = ("unit", i)
        for i, word in enumerate(tens[1:], 1):
            vocab[word] = ("unit", i * 10)
    for names in _UZ_SCALES.values():
        vocab[names[0]] = ("hundred", 100)
        for i, word in enumerate(names[1:], 1):
            vocab[word] = ("scale", 1000**i)
    for i in range(1, 10):
        vocab[_RU_UNITS_M[i]] = ("unit", i)
        vocab[_RU_UNITS_F[i]] = ("unit", i)
        vocab[_RU_HUNDREDS[i]] = ("unit", i * 100)
        vocab[_EN_UNITS[i]] = ("unit", i)
    vocab["одно"] = ("unit", 1)
    for zero in ("nol", "нол", "ноль", "zero"):
        vocab[zero] = ("unit", 0)
    for i, word in enumerate(_RU_TEENS):
        vocab[word] = ("unit", 10 + i)
        vocab[_EN_TEENS[i]] = ("unit", 10 + i)
    for i in range(2, 10):
        vocab[_RU_TENS[i]] = ("unit", i * 10)
        vocab[_EN_TENS[i]] = ("unit", i * 10)
    for i, forms in enumerate(_RU_SCALES, 1):
        for word in forms:
            vocab[word] = ("scale", 1000**i)
    vocab["hundred"] = ("hundred", 100)
    for i, word in enumerate(_EN_SCALES, 1):
        vocab[word] = ("scale", 1000**i)
    vocab["тыс"] = ("scale", 1000)
    vocab["млн"] = ("scale", 10**6)
    vocab["mln"] = ("scale", 10**6)
    # Uzbek without apostrophes, as OCR often reads them, and the Latin-Cyrillic spellings people use
    for word in list(vocab):
        if "'" in word:
            vocab.setdefault(word.replace("'", ""), vocab[word])
    for word in ("тўрт", "ўн", "ўттиз", "тўққиз", "тўқсон"):
        vocab.setdefault(word.replace("ў", "у").replace("қ", "к"), vocab[word])
    return vocab


def normalise_word(word: str) -> str:
    return _APOSTROPHES.sub("'", word.lower()).strip(".,;:()«»\"-–—")


def lookup_number_word(token: str, cutoff: float = 82) -> tuple[str, int] | None:
    """The number word `token` stands for, if it is one (allowing a letter or two misread)."""
    word = normalise_word(token)
    if len(word) < 2:
        return None
    vocab = _vocabulary()
    if word in vocab:
        return vocab[word]
    if len(word) < 4:  # short words are too easy to match by accident: "uch" vs "ich"
        return None
    match = process.extractOne(word, vocab.keys(), scorer=fuzz.ratio, score_cutoff=cutoff)
    return vocab[match[0]] if match else None


def words_to_number(text: str) -> int | None:
    """The number a phrase of number words spells, or None if it has none. Words that are not number words end the
    number once it has started (so "... ming so'm 00 tiyin" stops at "so'm")."""
    total = 0
    group = 0
    seen = False
    last_scale = 10**13
    for token in re.split(r"[\s,]+", text):
        if not token:
            continue
        entry = lookup_number_word(token)
        if entry is None:
            if seen:
                break
            continue
        kind, value = entry
        seen = True
        if kind == "unit":
            group += value
        elif kind == "hundred":
            group = (group or 1) * 100
        else:
            if value >= last_scale:  # "ming ... ming": not one number
                break
            total += (group or 1) * value
            group = 0
            last_scale = value
    return total + group if seen else None


_CURRENCY_WORD = re.compile(r"(so'?m|сўм|сум|soum|sum|uzs|рубл|dollar|доллар)", re.IGNORECASE)
_AFTER_CURRENCY = re.compile(r"(?:so'?m|сўм|сум|soum|sum|uzs)\.?\s*(\d{1,2})(?!\d)", re.IGNORECASE)
_FRACTION = re.compile(r"(\d{1,2})\s*(tiyin|тийин|тиин|tiin|коп|kop|cent)", re.IGNORECASE)


def amount_in_words(text: str) -> Decimal | None:
    """The money amount a line such as "bir million ikki yuz ellik ming so'm 50 tiyin" spells, or None."""
    number = words_to_number(_APOSTROPHES.sub("'", text))
    if number is None:
        return None
    fraction = _FRACTION.search(text) or _AFTER_CURRENCY.search(_APOSTROPHES.sub("'", text))
    cents = int(fraction.group(1)) if fraction else 0
    return Decimal(number) + Decimal(cents) / 100


def count_number_words(text: str) -> int:
    return sum(1 for token in re.split(r"[\s,]+", text) if token and lookup_number_word(token) is not None)


def has_currency_word(text: str) -> bool:
    return _CURRENCY_WORD.search(_APOSTROPHES.sub("'", text)) is not None

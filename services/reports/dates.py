"""Dates and ranges as people type them: `2026-11-22`, `22.11.2026`, `22/11`, `22 noyabr`, `22 ноября`, `Nov 22`,
`1.11-15.11`, `2026-11-01 2026-11-15`, `1-15 noyabr`, `с 1 по 15 ноября`, `today`...

Day-first always (as in Uzbekistan and Russia): `03/04/2026` is 3 April. A date typed without a year is the latest
such date not after today; the other end of a range takes its year from the end that has one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from services.errors import ValidationFailed
from services.reports.periods import MAX_RANGE_DAYS, Period, PeriodKind, month_end

MAX_INPUT_LENGTH = 100
MIN_YEAR, MAX_YEAR = 2000, 2099
_HALF_YEAR_DAYS = 183

# Month name stems, matched as word prefixes ("noyabrdan", "ноября", "November", "Nov.").
_MONTH_STEMS: dict[str, int] = {
    # English
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "oct": 10,
    "nov": 11, "dec": 12,
    # Uzbek (Latin)
    "yan": 1, "fev": 2, "iyun": 6, "iyul": 7, "avg": 8, "sen": 9, "okt": 10, "noy": 11, "dek": 12,
    # Russian and Uzbek (Cyrillic)
    "янв": 1, "фев": 2, "мар": 3, "апр": 4, "май": 5, "мая": 5, "июн": 6, "июл": 7, "авг": 8, "сен": 9,
    "окт": 10, "ноя": 11, "дек": 12,
}  # fmt: skip
_STEMS_LONGEST_FIRST = sorted(_MONTH_STEMS, key=len, reverse=True)

# Words around a date that carry no date: "2026-yil", "г.", "года", "of", "22nd", "from", "с"...
_FILLER_WORDS = frozenset({
    "yil", "yilning", "y", "da", "dan", "gacha", "chi", "inchi", "sana",
    "г", "гг", "го", "год", "года", "году", "с", "со", "по", "до", "от",
    "of", "the", "st", "nd", "rd", "th", "from", "to", "until", "till", "on", "between", "and",
})  # fmt: skip
_TODAY_WORDS = frozenset({"today", "bugun", "сегодня", "бугун"})
_YESTERDAY_WORDS = frozenset({"yesterday", "kecha", "вчера", "кеча"})

# Where a range may split, strongest first: an explicit dash or word, then a space, then a bare hyphen.
_STRONG_SEPARATOR = re.compile(r"\s*(?:\.\.+|…|–|—|\s-\s|\bto\b|\buntil\b|\btill\b|(?<=\s)по(?=\s)|(?<=\s)до(?=\s)|"
                               r"\bgacha\b)\s*")
_SPACE_SEPARATOR = re.compile(r"\s+")
_HYPHEN_SEPARATOR = re.compile(r"-")
_TOKEN = re.compile(r"\d+|[^\W\d_]+")


class DateInputError(ValidationFailed):
    """Typed dates that cannot be used; `key` names the message in reports.ftl."""

    key = "report-error-date-format"


@dataclass(frozen=True, slots=True)
class _Typed:
    """One typed date before its year is known. `month` None: a bare day, as "1" in "1-15 noyabr"."""

    text: str
    day: int
    month: int | None
    year: int | None
    exact: date | None = None  # "today", "yesterday"


def _clean(text: str) -> str:
    text = text.strip().lower()
    # One apostrophe for oʻ/gʻ and their look-alikes, and no commas in "Nov 22, 2026".
    text = re.sub(r"[ʻʼ'`’‘]", "", text)
    return re.sub(r"[,]", " ", text)


def _month_of(word: str) -> int | None:
    for stem in _STEMS_LONGEST_FIRST:
        if word.startswith(stem):
            return _MONTH_STEMS[stem]
    return None


def _format_error(text: str) -> DateInputError:
    return DateInputError("report-error-date-format", value=text.strip()[:MAX_INPUT_LENGTH])


def _nonexistent(text: str) -> DateInputError:
    return DateInputError("report-error-date-nonexistent", value=text.strip()[:MAX_INPUT_LENGTH])


def _year(token: str, text: str) -> int:
    value = int(token)
    if len(token) == 2:
        value += 2000
    elif len(token) != 4:
        raise _format_error(text)
    if not MIN_YEAR <= value <= MAX_YEAR:
        raise _nonexistent(text)
    return value


def _parse_one(text: str, today: date) -> _Typed:
    """Reads one date (maybe without a year or month); the calendar check comes when the year is known."""
    tokens = _TOKEN.findall(_clean(text))
    numbers: list[str] = []
    month_words: list[int] = []
    numbers_before_month = 0
    relative: list[date] = []
    for token in tokens:
        if token.isdecimal():
            numbers.append(token)
            numbers_before_month += not month_words
        elif token in _TODAY_WORDS:
            relative.append(today)
        elif token in _YESTERDAY_WORDS:
            relative.append(today - timedelta(days=1))
        elif token in _FILLER_WORDS:
            continue
        elif (month := _month_of(token)) is not None:
            month_words.append(month)
        else:
            raise _format_error(text)
    if relative:
        if len(relative) > 1 or numbers or month_words:
            raise _format_error(text)
        return _Typed(text, relative[0].day, relative[0].month, relative[0].year, exact=relative[0])
    if len(month_words) > 1 or not numbers or len(numbers) > 3 or any(len(n) > 4 for n in numbers):
        raise _format_error(text)
    if month_words:
        month = month_words[0]
        if len(numbers) == 3:
            raise _format_error(text)
        years = [n for n in numbers if len(n) == 4]
        days = [n for n in numbers if len(n) != 4]
        if len(years) > 1 or not days:
            raise _format_error(text)
        if len(days) == 2 and not years and numbers_before_month == 1:  # "22 noyabr 26": a short year
            return _Typed(text, int(days[0]), month, _year(days[1], text))
        if len(days) != 1:
            raise _format_error(text)
        return _Typed(text, int(days[0]), month, _year(years[0], text) if years else None)
    if len(numbers) == 1:
        if len(numbers[0]) > 2:
            raise _format_error(text)
        return _Typed(text, int(numbers[0]), None, None)
    if len(numbers) == 2:
        if any(len(n) > 2 for n in numbers):
            raise _format_error(text)
        return _Typed(text, int(numbers[0]), int(numbers[1]), None)
    if len(numbers[0]) == 4:  # 2026-11-22
        year, month_token, day_token = numbers
        if len(month_token) > 2 or len(day_token) > 2:
            raise _format_error(text)
        return _Typed(text, int(day_token), int(month_token), _year(year, text))
    day_token, month_token, year = numbers
    if len(day_token) > 2 or len(month_token) > 2 or len(year) not in (2, 4):
        raise _format_error(text)
    return _Typed(text, int(day_token), int(month_token), _year(year, text))


def _check_day_month(typed: _Typed) -> None:
    """Day and month that exist in some year (29 February included)."""
    if typed.month is None or not 1 <= typed.month <= 12:
        raise _nonexistent(typed.text)
    if not 1 <= typed.day <= (29 if typed.month == 2 else 30 if typed.month in (4, 6, 9, 11) else 31):
        raise _nonexistent(typed.text)


def _on(typed: _Typed, year: int, month: int | None = None) -> date:
    try:
        return date(year, month or typed.month or 0, typed.day)
    except ValueError:
        raise _nonexistent(typed.text) from None


def _latest_not_after(typed: _Typed, today: date) -> date:
    """A year-less date: the latest one not after today (29 February: the latest leap year's)."""
    _check_day_month(typed)
    for year in range(today.year, today.year - 9, -1):
        try:
            candidate = date(year, typed.month or 0, typed.day)
        except ValueError:
            continue
        if candidate <= today:
            return candidate
    raise _nonexistent(typed.text)


def _resolve(typed: _Typed, today: date) -> date:
    if typed.exact is not None:
        return typed.exact
    if typed.month is None:
        raise _format_error(typed.text)
    _check_day_month(typed)
    if typed.year is None:
        return _latest_not_after(typed, today)
    return _on(typed, typed.year)


def _resolve_pair(left: _Typed, right: _Typed, today: date) -> tuple[date, date]:
    """Both ends of a range; an end without a year (or month) takes it from the other end."""
    if left.month is None and right.month is None:
        raise _format_error(f"{left.text} {right.text}")
    if left.month is None:
        last = _resolve(right, today)
        return _on(left, last.year, last.month), last
    if right.month is None:
        first = _resolve(left, today)
        return first, _on(right, first.year, first.month)
    if right.year is not None and left.year is None and left.exact is None:
        last = _resolve(right, today)
        _check_day_month(left)
        first = _on(left, last.year)
        if _crosses_new_year(left.month, last.month) and (last - _on(left, last.year - 1)).days < _HALF_YEAR_DAYS:
            first = _on(left, last.year - 1)
        return first, last
    first = _resolve(left, today)
    if right.year is None and right.exact is None:
        _check_day_month(right)
        last = _on(right, first.year)
        if _crosses_new_year(first.month, right.month) and (_on(right, first.year + 1) - first).days < _HALF_YEAR_DAYS:
            last = _on(right, first.year + 1)
        return first, last
    return first, _resolve(right, today)


def _crosses_new_year(first_month: int | None, last_month: int | None) -> bool:
    """"25.12-5.01" runs into the next year; "5.12-1.12" is a reversed range, not a year less four days."""
    return first_month is not None and last_month is not None and last_month < first_month


def _checked_length(text: str) -> str:
    if not text or not text.strip() or len(text) > MAX_INPUT_LENGTH:
        raise _format_error(text or "")
    return text


def parse_date(text: str, today: date) -> date:
    """One typed date, not after `today`."""
    day = _resolve(_parse_one(_checked_length(text), today), today)
    if day > today:
        raise DateInputError("report-error-future", value=day)
    return day


def _split_candidates(text: str) -> list[tuple[str, str]]:
    candidates: list[tuple[str, str]] = []
    for separator in (_STRONG_SEPARATOR, _SPACE_SEPARATOR, _HYPHEN_SEPARATOR):
        for match in separator.finditer(text):
            left, right = text[: match.start()], text[match.end():]
            if left.strip() and right.strip():
                candidates.append((left, right))
    return candidates


def _parse_month(text: str, today: date) -> tuple[date, date] | None:
    """A whole month: "noyabr", "ноябрь 2025", "November 2026"."""
    tokens = [token for token in _TOKEN.findall(_clean(text)) if token not in _FILLER_WORDS]
    months = [month for token in tokens if not token.isdecimal() and (month := _month_of(token)) is not None]
    numbers = [token for token in tokens if token.isdecimal()]
    if len(months) != 1 or len(months) + len(numbers) != len(tokens) or len(numbers) > 1:
        return None
    if numbers and len(numbers[0]) != 4:
        return None
    month = months[0]
    latest_year = today.year if month <= today.month else today.year - 1
    year = _year(numbers[0], text) if numbers else latest_year
    return date(year, month, 1), month_end(year, month)


def _parse_dates(text: str, today: date) -> tuple[date, date]:
    """One date, or two split at the first separator where both sides read as dates."""
    try:
        day = _resolve(_parse_one(text, today), today)
        return day, day
    except DateInputError as whole_error:
        best_error = whole_error
    for left_text, right_text in _split_candidates(text):
        try:
            left, right = _parse_one(left_text, today), _parse_one(right_text, today)
        except DateInputError:
            continue
        try:
            return _resolve_pair(left, right, today)
        except DateInputError as error:
            # Both sides read as dates, so "31.11 does not exist" says more than "cannot read this".
            if best_error.key == DateInputError.key:
                best_error = error
    raise best_error


def parse_period(text: str, today: date) -> Period:
    """A typed date or range. A range ending after `today` is cut at today; one starting after it is refused."""
    text = _checked_length(text).strip()
    month = _parse_month(text, today)
    if month is not None:
        first, last = month
    else:
        first, last = _parse_dates(text, today)
    if first > last:
        raise DateInputError("report-error-range-reversed", first=first, last=last)
    if first > today:
        raise DateInputError("report-error-future", value=first)
    last = min(last, today)
    if (last - first).days + 1 > MAX_RANGE_DAYS:
        raise DateInputError("report-error-range-too-long", days=MAX_RANGE_DAYS)
    return Period(first, last, PeriodKind.CUSTOM)

"""Typed dates and ranges in the formats people use, the named periods, and what each is compared with."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from services.locale import MONTHS, SUPPORTED_LOCALES, format_date
from services.reports import DateInputError, Period, PeriodKind, chart_window, parse_date, parse_period, period_for
from services.reports.periods import MAX_RANGE_DAYS

TODAY = date(2026, 11, 22)  # a Sunday

RU_SHORT = ["янв", "фев", "мар", "апр", "мая", "июн", "июл", "авг", "сен", "окт", "ноя", "дек"]
EN_SHORT = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def full_formats(day: date) -> list[str]:
    """Ways people write a date with its year."""
    return [
        day.isoformat(),
        f"{day:%Y/%m/%d}",
        f"{day:%d.%m.%Y}",
        f"{day.day}.{day.month}.{day.year}",
        f"{day:%d/%m/%Y}",
        f"{day:%d-%m-%Y}",
        f"{day:%d.%m.%y}",
        f"{day.day} {MONTHS['uz'][day.month - 1]} {day.year}",
        f"{day.day}-{MONTHS['uz'][day.month - 1]} {day.year}-yil",
        f"{day.day} {MONTHS['ru'][day.month - 1]} {day.year} г.",
        f"{day.day} {RU_SHORT[day.month - 1]} {day.year}",
        f"{MONTHS['en'][day.month - 1]} {day.day}, {day.year}",
        f"{EN_SHORT[day.month - 1]} {day.day} {day.year}",
        f"{day.day} {MONTHS['en'][day.month - 1].upper()} {day.year}",
        *(format_date(day, locale) for locale in SUPPORTED_LOCALES),  # what the bot itself prints
    ]


def yearless_formats(day: date) -> list[str]:
    return [
        f"{day:%d.%m}",
        f"{day.day}/{day.month}",
        f"{day.day} {MONTHS['uz'][day.month - 1]}",
        f"{day.day}-{MONTHS['uz'][day.month - 1]}",
        f"{day.day} {MONTHS['ru'][day.month - 1]}",
        f"{EN_SHORT[day.month - 1]} {day.day}",
        f"{day.day} {MONTHS['en'][day.month - 1]}",
    ]


days_in_range = st.dates(min_value=date(2000, 1, 1), max_value=TODAY)


@settings(max_examples=150, deadline=None)
@given(day=days_in_range)
def test_any_full_format_reads_back_to_the_same_day(day: date) -> None:
    for text in full_formats(day):
        assert parse_date(text, TODAY) == day, text
        assert parse_period(text, TODAY) == Period(day, day), text


@settings(max_examples=150, deadline=None)
@given(day=st.dates(min_value=TODAY - timedelta(days=360), max_value=TODAY))
def test_a_date_without_year_is_the_latest_one_not_after_today(day: date) -> None:
    for text in yearless_formats(day):
        assert parse_date(text, TODAY) == day, text


@settings(max_examples=150, deadline=None)
@given(first=days_in_range, length=st.integers(min_value=0, max_value=MAX_RANGE_DAYS - 1),
       separator=st.sampled_from(["-", " - ", " – ", "—", " ", "..", " to ", " gacha ", " по "]),
       formats=st.tuples(st.integers(0, 5), st.integers(0, 5)))
def test_ranges_read_back_in_any_pair_of_formats(first: date, length: int, separator: str,
                                                 formats: tuple[int, int]) -> None:
    last = min(first + timedelta(days=length), TODAY)
    left, right = full_formats(first)[formats[0]], full_formats(last)[formats[1]]
    assert parse_period(f"{left}{separator}{right}", TODAY) == Period(first, last)


@settings(max_examples=100, deadline=None)
@given(first=st.dates(min_value=date(2002, 1, 1), max_value=TODAY), back=st.integers(min_value=1, max_value=400))
def test_a_reversed_range_is_refused_and_says_so(first: date, back: int) -> None:
    earlier = first - timedelta(days=back)
    with pytest.raises(DateInputError) as refused:
        parse_period(f"{first.isoformat()} {earlier.isoformat()}", TODAY)
    assert refused.value.key == "report-error-range-reversed"
    assert refused.value.params == {"first": first, "last": earlier}


@settings(max_examples=100, deadline=None)
@given(year=st.integers(2000, 2099), month=st.integers(1, 12), day=st.integers(29, 31))
def test_dates_that_do_not_exist_are_named_as_such(year: int, month: int, day: int) -> None:
    try:
        date(year, month, day)
    except ValueError:
        for text in (f"{day}.{month:02d}.{year}", f"{year}-{month:02d}-{day}"):
            with pytest.raises(DateInputError) as refused:
                parse_period(text, TODAY)
            assert refused.value.key == "report-error-date-nonexistent", text


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=120))
def test_any_text_is_a_period_or_a_clear_refusal(text: str) -> None:
    try:
        period = parse_period(text, TODAY)
    except DateInputError as error:
        assert error.key.startswith("report-error-")
    else:
        assert period.first <= period.last <= TODAY and period.days <= MAX_RANGE_DAYS


@pytest.mark.parametrize(("text", "first", "last"), [
    ("1.11-15.11", date(2026, 11, 1), date(2026, 11, 15)),
    ("2026-11-01 2026-11-15", date(2026, 11, 1), date(2026, 11, 15)),
    ("1-15 noyabr", date(2026, 11, 1), date(2026, 11, 15)),
    ("с 1 по 15 ноября", date(2026, 11, 1), date(2026, 11, 15)),
    ("1-noyabrdan 15-noyabrgacha", date(2026, 11, 1), date(2026, 11, 15)),
    ("from Nov 1 to Nov 15", date(2026, 11, 1), date(2026, 11, 15)),
    ("Nov 1 - 15", date(2026, 11, 1), date(2026, 11, 15)),
    ("25.12-5.01", date(2025, 12, 25), date(2026, 1, 5)),
    ("25 dekabr - 5 yanvar 2026", date(2025, 12, 25), date(2026, 1, 5)),
    ("1.11-30.11", date(2026, 11, 1), date(2026, 11, 22)),  # cut at today
    ("noyabr", date(2026, 11, 1), date(2026, 11, 22)),
    ("oktabr 2025", date(2025, 10, 1), date(2025, 10, 31)),
    ("dekabr", date(2025, 12, 1), date(2025, 12, 31)),
    ("22 ноября", date(2026, 11, 22), date(2026, 11, 22)),
    ("Nov 22", date(2026, 11, 22), date(2026, 11, 22)),
    ("22nd November", date(2026, 11, 22), date(2026, 11, 22)),
    ("03/04/2026", date(2026, 4, 3), date(2026, 4, 3)),  # day first, always
    ("1.12", date(2025, 12, 1), date(2025, 12, 1)),  # the latest 1 December not after today
    ("29.02", date(2024, 2, 29), date(2024, 2, 29)),
    ("kecha", date(2026, 11, 21), date(2026, 11, 21)),
    ("вчера - сегодня", date(2026, 11, 21), date(2026, 11, 22)),
])
def test_common_ways_of_writing_ranges(text: str, first: date, last: date) -> None:
    assert parse_period(text, TODAY) == Period(first, last)


@pytest.mark.parametrize(("text", "key"), [
    ("31.11.2026", "report-error-date-nonexistent"),
    ("29.02.2025", "report-error-date-nonexistent"),
    ("31.11-5.12", "report-error-date-nonexistent"),
    ("13.13.2026", "report-error-date-nonexistent"),
    ("5.12-1.12", "report-error-range-reversed"),
    ("15.11.2026 - 1.11.2026", "report-error-range-reversed"),
    ("2020-01-01 2026-01-01", "report-error-range-too-long"),
    ("1.12.2026", "report-error-future"),
    ("hello", "report-error-date-format"),
    ("", "report-error-date-format"),
    ("2026", "report-error-date-format"),
    ("1" * 200, "report-error-date-format"),
])
def test_bad_dates_get_a_clear_reason(text: str, key: str) -> None:
    with pytest.raises(DateInputError) as refused:
        parse_period(text, TODAY)
    assert refused.value.key == key


def test_named_periods_and_what_they_compare_with() -> None:
    wednesday = date(2026, 11, 18)
    today = period_for(PeriodKind.TODAY, wednesday)
    assert (today.first, today.last, today.previous()) == (wednesday, wednesday,
                                                           Period(date(2026, 11, 17), date(2026, 11, 17),
                                                                  PeriodKind.TODAY))
    this_week = period_for(PeriodKind.THIS_WEEK, wednesday)
    assert (this_week.first, this_week.last) == (date(2026, 11, 16), wednesday)
    assert (this_week.previous().first, this_week.previous().last) == (date(2026, 11, 9), date(2026, 11, 11))
    last_week = period_for(PeriodKind.LAST_WEEK, wednesday)
    assert (last_week.first, last_week.last) == (date(2026, 11, 9), date(2026, 11, 15))
    this_month = period_for(PeriodKind.THIS_MONTH, date(2026, 3, 31))
    assert (this_month.previous().first, this_month.previous().last) == (date(2026, 2, 1), date(2026, 2, 28))
    last_month = period_for(PeriodKind.LAST_MONTH, date(2026, 3, 10))
    assert (last_month.first, last_month.last) == (date(2026, 2, 1), date(2026, 2, 28))
    assert (last_month.previous().first, last_month.previous().last) == (date(2026, 1, 1), date(2026, 1, 31))
    custom = Period(date(2026, 11, 1), date(2026, 11, 10))
    assert custom.previous() == Period(date(2026, 10, 22), date(2026, 10, 31))
    assert chart_window(today).days == 14 and chart_window(today).last == wednesday
    assert chart_window(last_month).days == 30
    assert Period(date(2024, 12, 31), date(2026, 1, 1)).too_long_for_text
    assert not Period(date(2025, 1, 1), date(2026, 1, 1)).too_long_for_text


@settings(max_examples=100, deadline=None)
@given(first=days_in_range, length=st.integers(0, 800))
def test_a_custom_period_compares_with_as_many_days_just_before(first: date, length: int) -> None:
    period = Period(first, first + timedelta(days=length))
    previous = period.previous()
    assert previous.days == period.days and previous.last == period.first - timedelta(days=1)

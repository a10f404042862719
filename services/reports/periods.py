"""Report periods: the named ones a user picks from buttons, custom ranges, and the period each is compared with."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

# Longer than this is sent as a file: a year of daily lines is no message to read on a phone.
MAX_TEXT_DAYS = 366
# Hard ceiling, so one request cannot make the bot aggregate a decade.
MAX_RANGE_DAYS = 5 * 366


class PeriodKind(StrEnum):
    TODAY = "today"
    YESTERDAY = "yesterday"
    THIS_WEEK = "this_week"
    LAST_WEEK = "last_week"
    THIS_MONTH = "this_month"
    LAST_MONTH = "last_month"
    CUSTOM = "custom"


# Callback data carries the index, never the name.
PERIOD_KINDS: tuple[PeriodKind, ...] = tuple(PeriodKind)


def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _shift_months(day: date, months: int) -> date:
    """The same day of another month, clamped to that month's end (31 March - 1 month = 28/29 February)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


@dataclass(frozen=True, slots=True)
class Period:
    """Business days `first..last` inclusive, in the company's time zone."""

    first: date
    last: date
    kind: PeriodKind = PeriodKind.CUSTOM

    def __post_init__(self) -> None:
        if self.first > self.last:
            raise ValueError("a period ends on or after its first day")

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    @property
    def too_long_for_text(self) -> bool:
        return self.days > MAX_TEXT_DAYS

    def dates(self) -> list[date]:
        return [self.first + timedelta(days=offset) for offset in range(self.days)]

    def previous(self) -> Period:
        """The comparable period before this one.

        Days and weeks compare with the same weekdays one day/week earlier; months with the same dates of the
        previous month (a whole month with the whole previous month); a custom range with the same number of
        days immediately before it.
        """
        if self.kind in (PeriodKind.THIS_WEEK, PeriodKind.LAST_WEEK):
            return Period(self.first - timedelta(days=7), self.last - timedelta(days=7), self.kind)
        if self.kind in (PeriodKind.THIS_MONTH, PeriodKind.LAST_MONTH):
            first = _shift_months(self.first, -1)
            whole_month = self.first.day == 1 and self.last == month_end(self.last.year, self.last.month)
            last = month_end(first.year, first.month) if whole_month else _shift_months(self.last, -1)
            return Period(first, max(first, last), self.kind)
        return Period(self.first - timedelta(days=self.days), self.first - timedelta(days=1), self.kind)


def period_for(kind: PeriodKind, today: date) -> Period:
    """A named period as of `today` (the company's business day). "This week/month" run up to today."""
    if kind is PeriodKind.TODAY:
        return Period(today, today, kind)
    if kind is PeriodKind.YESTERDAY:
        yesterday = today - timedelta(days=1)
        return Period(yesterday, yesterday, kind)
    if kind is PeriodKind.THIS_WEEK:
        return Period(today - timedelta(days=today.weekday()), today, kind)
    if kind is PeriodKind.LAST_WEEK:
        monday = today - timedelta(days=today.weekday() + 7)
        return Period(monday, monday + timedelta(days=6), kind)
    if kind is PeriodKind.THIS_MONTH:
        return Period(today.replace(day=1), today, kind)
    if kind is PeriodKind.LAST_MONTH:
        last = today.replace(day=1) - timedelta(days=1)
        return Period(last.replace(day=1), last, kind)
    raise ValueError("a custom period needs its dates")


def chart_window(period: Period) -> Period:
    """Days a chart shows: the last 14 for a short period, else the period itself (at least 30 days)."""
    length = 14 if period.days <= 14 else max(30, period.days)
    return Period(period.last - timedelta(days=length - 1), period.last, PeriodKind.CUSTOM)

"""Months and working days.

Working days come from the ``holidays`` package's calendar for Uzbekistan: public holidays (Navro'z, the two Eids
as announced, ...) and the days off the government moves. A 5-day week counts Monday to Friday, with the moved
working Saturdays the calendar lists; a 6-day week counts Monday to Saturday less the public holidays (the moved
days off of the 5-day calendar do not apply to it). The week is a company setting (see ``settings``).
"""

from __future__ import annotations

import calendar as _calendar
import re
from datetime import date, timedelta
from functools import lru_cache

import holidays

from services.payroll.errors import PayrollInvalid

_MONTH = re.compile(r"^\s*(\d{4})-(\d{1,2})\s*$")
_MOVED = "substituted"  # how the English calendar names a day off moved from a working day


class MonthInvalid(PayrollInvalid):
    key = "error-payroll-month-invalid"
    message = "{value!r} is not a month: write YYYY-MM, for example 2026-11"


def parse_month(text: str) -> date:
    """``2026-11`` → 1 November 2026."""
    match = _MONTH.match(text or "")
    if not match:
        raise MonthInvalid(value=text)
    year, month = int(match.group(1)), int(match.group(2))
    if not (1 <= month <= 12 and 2000 <= year <= 2100):
        raise MonthInvalid(value=text)
    return date(year, month, 1)


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(day: date) -> date:
    return day.replace(day=_calendar.monthrange(day.year, day.month)[1])


def month_text(month: date) -> str:
    return f"{month.year:04d}-{month.month:02d}"


def month_days(month: date) -> list[date]:
    first = month_start(month)
    return [first + timedelta(days=i) for i in range((month_end(month) - first).days + 1)]


@lru_cache(maxsize=64)
def _calendar_of(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("UZ", years=year, language="en_US")


def is_working_day(day: date, work_week: int = 5) -> bool:
    calendar = _calendar_of(day.year)
    if work_week == 5:
        return bool(calendar.is_working_day(day))
    if work_week == 6:
        if day.weekday() == 6:
            return False
        name = calendar.get(day)
        return name is None or all(_MOVED in part.lower() for part in str(name).split(";"))
    raise ValueError("work_week is 5 or 6")


def working_days(first: date, last: date, work_week: int = 5) -> int:
    """Working days from ``first`` to ``last``, both included (0 when ``last`` is before ``first``)."""
    count = 0
    day = first
    while day <= last:
        count += is_working_day(day, work_week)
        day += timedelta(days=1)
    return count


def month_working_days(month: date, work_week: int = 5) -> int:
    return working_days(month_start(month), month_end(month), work_week)

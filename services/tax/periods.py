"""Tax periods: a calendar month (``2026-11``), its quarter, and the deadlines that follow it.

Deadlines (../shared/reference/uz_tax_payroll.md, section 9): PIT and social tax and turnover tax by the 15th of the
next month, VAT by the 20th, profit tax for a quarter by the 20th of the month after it (the year's return by
1 March), the annual PIT/social tax return by 15 February. A deadline on a weekend or an Uzbek public holiday moves
to the next working day (Tax Code Art. 5), from the ``holidays`` package's calendar of Uzbekistan.
"""

from __future__ import annotations

import calendar as _calendar
import re
from datetime import date, timedelta
from enum import StrEnum

from services.errors import ValidationFailed
from services.payroll.workdays import is_working_day

_MONTH = re.compile(r"^\s*(\d{4})-(\d{1,2})\s*$")


class PeriodInvalid(ValidationFailed):
    key = "tax-error-period-invalid"


class Deadline(StrEnum):
    PIT_SOCIAL = "pit_social"
    TURNOVER = "turnover"
    VAT = "vat"
    PROFIT = "profit"
    PIT_SOCIAL_ANNUAL = "pit_social_annual"


def parse_period(text: str) -> date:
    """``2026-11`` → 1 November 2026; anything else is refused with the expected shape."""
    match = _MONTH.match(text or "")
    if match:
        year, month = int(match.group(1)), int(match.group(2))
        if 1 <= month <= 12 and 2000 <= year <= 2100:
            return date(year, month, 1)
    raise PeriodInvalid(value=(text or "")[:20])


def period_text(month: date) -> str:
    return f"{month.year:04d}-{month.month:02d}"


def month_last(month: date) -> date:
    return month.replace(day=_calendar.monthrange(month.year, month.month)[1])


def next_month(month: date) -> date:
    return date(month.year + 1, 1, 1) if month.month == 12 else date(month.year, month.month + 1, 1)


def previous_month(month: date) -> date:
    return date(month.year - 1, 12, 1) if month.month == 1 else date(month.year, month.month - 1, 1)


def quarter_of(month: date) -> int:
    return (month.month - 1) // 3 + 1


def quarter_months(month: date) -> list[date]:
    first = 3 * (quarter_of(month) - 1) + 1
    return [date(month.year, first + offset, 1) for offset in range(3)]


def is_quarter_end(month: date) -> bool:
    return month.month % 3 == 0


def working_day_on_or_after(day: date) -> date:
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def deadline(kind: Deadline, month: date) -> date:
    """The (moved) deadline of a month's report of a kind."""
    following = next_month(month)
    if kind in (Deadline.PIT_SOCIAL, Deadline.TURNOVER):
        nominal = following.replace(day=15)
    elif kind is Deadline.VAT:
        nominal = following.replace(day=20)
    elif kind is Deadline.PROFIT:
        nominal = date(month.year + 1, 3, 1) if month.month == 12 else following.replace(day=20)
    else:
        nominal = date(month.year + 1, 2, 15)
    return working_day_on_or_after(nominal)


def deadlines_for(month: date, *, vat: bool, turnover: bool, profit: bool) -> dict[str, date]:
    """The deadlines a month's report has, by kind, in the order they fall."""
    kinds = [Deadline.PIT_SOCIAL]
    if turnover:
        kinds.append(Deadline.TURNOVER)
    if vat:
        kinds.append(Deadline.VAT)
    if profit:
        kinds.append(Deadline.PROFIT)
    if month.month == 12:
        kinds.append(Deadline.PIT_SOCIAL_ANNUAL)
    found = {kind.value: deadline(kind, month) for kind in kinds}
    return dict(sorted(found.items(), key=lambda item: item[1]))


__all__ = ["Deadline", "PeriodInvalid", "deadline", "deadlines_for", "is_quarter_end", "month_last", "next_month",
           "parse_period", "period_text", "previous_month", "quarter_months", "quarter_of",
           "working_day_on_or_after"]

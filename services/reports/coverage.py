"""Which days of a period the books hold: a day never imported is missing, not zero (issue 11, item 1).

A day counts as imported when a sync run that finished OK covered it, or when sales of it are in the books.
Days after today are not missing (they have not happened). Company-wide for now: the sync runs windows per
company, not per branch.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from db.regos_data import DailySales, SyncRun, SyncRunStatus
from services.reports.periods import Period


@dataclass(frozen=True, slots=True)
class Coverage:
    period: Period
    missing: tuple[date, ...]

    @property
    def complete(self) -> bool:
        return not self.missing

    def ranges(self) -> list[tuple[date, date]]:
        """The missing days as runs of consecutive days."""
        runs: list[tuple[date, date]] = []
        for day in self.missing:
            if runs and runs[-1][1] + timedelta(days=1) == day:
                runs[-1] = (runs[-1][0], day)
            else:
                runs.append((day, day))
        return runs


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=offset) for offset in range((last - first).days + 1)]


async def coverage(session: AsyncSession, company_id: int, period: Period, today: date) -> Coverage:
    last = min(period.last, today)
    if last < period.first:
        return Coverage(period, ())
    imported: set[date] = set()
    windows = await session.execute(
        select(SyncRun.window_from, SyncRun.window_to).where(
            SyncRun.company_id == company_id, SyncRun.status == SyncRunStatus.OK,
            SyncRun.window_from <= last, SyncRun.window_to >= period.first,
        )
    )
    for window_from, window_to in windows:
        imported.update(_days(max(window_from, period.first), min(window_to, last)))
    booked = await session.scalars(
        select(DailySales.business_day).where(
            DailySales.company_id == company_id, DailySales.business_day.between(period.first, last),
        ).distinct()
    )
    imported.update(booked)
    return Coverage(period, tuple(day for day in _days(period.first, last) if day not in imported))


__all__ = ["Coverage", "coverage"]

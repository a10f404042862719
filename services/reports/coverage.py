"""Which days of a period the books hold, per branch: a day never imported is missing, not zero (issue 11, item 1).

The sync marks (company, branch, day) in `imported_days` when a day's data is in the books
(`mark_days_imported`, called where a day's sync completes). A branch added later is missing for the days
before it was first imported. Days synced before that table existed have no marks: for them a day counts as
imported for a branch when its daily aggregates hold the branch, or a sync run that finished OK covered the day
after the branch was created. Days after today are not missing (they have not happened).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from db.base import utcnow
from db.books import ImportedDay
from db.models import Branch, JobClaim
from db.regos_data import DailySales, SyncRun, SyncRunStatus
from services.reports.periods import Period

# services.sync.locks' day claim (`DAY_JOB`, `ClaimStatus.DONE`), named here so that reading the books does not
# import the whole sync package (a second of start-up for `python -m bot ask`); a test keeps them equal.
DAY_JOB = "regos-sync-day"
CLAIM_DONE = "done"


@dataclass(frozen=True, slots=True)
class Coverage:
    period: Period
    missing: tuple[date, ...]  # days some branch of the scope lacks
    by_branch: dict[int, frozenset[date]] = field(default_factory=dict)  # branch -> its missing days

    @property
    def complete(self) -> bool:
        return not self.missing

    def branch_missing(self, branch_id: int | None) -> frozenset[date]:
        """The days one branch lacks (the unmatched "branch" None lacks the days any branch lacks)."""
        if branch_id is None:
            return frozenset(self.missing)
        return self.by_branch.get(branch_id, frozenset())

    def ranges(self) -> list[tuple[date, date]]:
        """The missing days as runs of consecutive days."""
        return day_ranges(self.missing)


def day_ranges(days: Iterable[date]) -> list[tuple[date, date]]:
    runs: list[tuple[date, date]] = []
    for day in sorted(days):
        if runs and runs[-1][1] + timedelta(days=1) == day:
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=offset) for offset in range((last - first).days + 1)]


async def mark_days_imported(session: AsyncSession, company_id: int, branch_ids: Iterable[int] | None,
                             *days: date) -> int:
    """Record that these days' data of these branches (None: every branch of the company) is in the books.
    Idempotent: a day synced again only has its time refreshed. Returns how many marks were new."""
    if not days:
        return 0
    if branch_ids is None:
        wanted = set(await session.scalars(select(Branch.id).where(Branch.company_id == company_id)))
    else:
        wanted = set(branch_ids)
    if not wanted:
        return 0
    existing = {(branch_id, day): mark_id for mark_id, branch_id, day in await session.execute(
        select(ImportedDay.id, ImportedDay.branch_id, ImportedDay.business_day).where(
            ImportedDay.company_id == company_id, ImportedDay.branch_id.in_(wanted),
            ImportedDay.business_day.in_(list(days))))}
    now = utcnow()
    added = 0
    for day in days:
        for branch_id in sorted(wanted):
            if (branch_id, day) in existing:
                continue
            session.add(ImportedDay(company_id=company_id, branch_id=branch_id, business_day=day, imported_at=now))
            added += 1
    await session.flush()
    return added


async def coverage(session: AsyncSession, company_id: int, period: Period, today: date,
                   branch_ids: Iterable[int] | None = None) -> Coverage:
    """The days of `period` (up to `today`) that some branch of the scope (None: every branch) lacks."""
    last = min(period.last, today)
    if last < period.first:
        return Coverage(period, ())
    span = _days(period.first, last)
    branch_rows = (await session.execute(
        select(Branch.id, Branch.created_at).where(Branch.company_id == company_id))).all()
    created: dict[int, datetime] = {branch_id: at for branch_id, at in branch_rows}
    scope = sorted(created if branch_ids is None else set(branch_ids) & set(created))

    marks: set[tuple[int, date]] = set()
    marked_days: set[date] = set()
    for branch_id, day in await session.execute(
        select(ImportedDay.branch_id, ImportedDay.business_day).where(
            ImportedDay.company_id == company_id, ImportedDay.business_day.between(period.first, last))
    ):
        marks.add((branch_id, day))
        marked_days.add(day)

    # The fallback for days synced before `imported_days` existed.
    booked: set[tuple[int | None, date]] = {
        (branch_id, day) for branch_id, day in await session.execute(
            select(DailySales.branch_id, DailySales.business_day).where(
                DailySales.company_id == company_id, DailySales.business_day.between(period.first, last)))
    }
    runs = (await session.execute(
        select(SyncRun.window_from, SyncRun.window_to, SyncRun.finished_at, SyncRun.started_at).where(
            SyncRun.company_id == company_id, SyncRun.status == SyncRunStatus.OK,
            SyncRun.window_from <= last, SyncRun.window_to >= period.first)
    )).all()
    run_days: dict[date, datetime] = {}  # day -> the latest finish of an OK run over it
    for window_from, window_to, finished_at, started_at in runs:
        moment = finished_at or started_at
        for day in _days(max(window_from, period.first), min(window_to, last)):
            if day not in run_days or run_days[day] < moment:
                run_days[day] = moment

    # A day whose last sync stopped part-way (its claim failed or still running) holds only some of its rows:
    # not imported until a sync of it completes and marks it.
    unsettled = {date.fromisoformat(period_text) for period_text in await session.scalars(
        select(JobClaim.period).where(
            JobClaim.job == DAY_JOB, JobClaim.scope == f"company:{company_id}",
            JobClaim.period.in_([day.isoformat() for day in span]), JobClaim.status != CLAIM_DONE))}

    def imported(branch_id: int, day: date) -> bool:
        if (branch_id, day) in marks:
            return True
        if day in unsettled:
            return False
        if (branch_id, day) in booked:
            return True
        if day in marked_days:  # the day's marks are authoritative: this branch was not imported
            return False
        finished = run_days.get(day)
        return finished is not None and finished >= created[branch_id]

    if not scope:  # a company without branches yet: company-level
        booked_days = {day for _branch, day in booked}
        missing_days = tuple(d for d in span if d in unsettled or (
            d not in marked_days and d not in run_days and d not in booked_days))
        return Coverage(period, missing_days)
    by_branch = {branch_id: frozenset(day for day in span if not imported(branch_id, day)) for branch_id in scope}
    lacking = set().union(*by_branch.values())
    return Coverage(period, tuple(day for day in span if day in lacking), by_branch)


__all__ = ["Coverage", "coverage", "day_ranges", "mark_days_imported"]

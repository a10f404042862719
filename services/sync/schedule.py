"""When the scheduler should sync a company (issue 4: hourly for today, a final pass for yesterday after
midnight, local time, configurable per company).

``due_syncs`` is pure: give it the moment and the company's time zone and connection settings, and it names the
syncs due, each with a ``(job, period)`` for a ``JobClaim`` so a second scheduler or replica does nothing::

    for due in due_syncs(utcnow(), company.timezone, connection.settings):
        if await claim_job(due.job, f"company:{company.id}", due.period):   # the scheduler's own claim helper
            await sync_company(factory, company.id, date_from=due.date_from, date_to=due.date_to,
                               trigger="schedule", secret_box=box)

Settings (``RegosConnection.settings["schedule"]``, all optional): ``{"hourly": true, "final_pass_at": "00:30"}``;
``"hourly": false`` turns the hourly pass off, ``"final_pass_at": null`` the nightly one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

JOB_HOURLY = "regos-sync-hourly"
JOB_FINAL = "regos-sync-final"
DEFAULT_FINAL_PASS_AT = time(0, 30)


@dataclass(frozen=True)
class DueSync:
    job: str
    period: str  # with the job and the company, the claim key: one run per hour / per day
    date_from: date
    date_to: date


def _final_pass_at(schedule: dict[str, Any]) -> time | None:
    if "final_pass_at" in schedule and schedule["final_pass_at"] is None:
        return None
    raw = schedule.get("final_pass_at")
    if not raw:
        return DEFAULT_FINAL_PASS_AT
    try:
        return time.fromisoformat(str(raw))
    except ValueError:
        return DEFAULT_FINAL_PASS_AT


def due_syncs(now: datetime, timezone: str, settings: dict[str, Any] | None = None) -> list[DueSync]:
    """The syncs due at ``now`` (aware) for a company in ``timezone``."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    schedule = dict((settings or {}).get("schedule") or {})
    local = now.astimezone(ZoneInfo(timezone))
    today = local.date()
    due: list[DueSync] = []
    final_at = _final_pass_at(schedule)
    if final_at is not None and local.time() >= final_at:
        yesterday = today - timedelta(days=1)
        due.append(DueSync(JOB_FINAL, yesterday.isoformat(), yesterday, yesterday))
    if schedule.get("hourly", True):
        due.append(DueSync(JOB_HOURLY, f"{today.isoformat()}T{local.hour:02d}", today, today))
    return due

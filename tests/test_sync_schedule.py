"""When scheduled REGOS syncs are due: hourly for today, a final pass for yesterday after midnight local time."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from services.sync import due_syncs
from services.sync.schedule import JOB_FINAL, JOB_HOURLY


def at(hour: int, minute: int = 0) -> datetime:
    """A UTC moment; Tashkent is UTC+5."""
    return datetime(2026, 11, 22, hour, minute, tzinfo=UTC)


def test_hourly_today_in_the_company_time_zone() -> None:
    [hourly] = [d for d in due_syncs(at(20, 10), "Asia/Tashkent") if d.job == JOB_HOURLY]
    # 20:10 UTC is 01:10 on the 23rd in Tashkent.
    expected = (date(2026, 11, 23), date(2026, 11, 23), "2026-11-23T01")
    assert (hourly.date_from, hourly.date_to, hourly.period) == expected


def test_final_pass_for_yesterday_after_half_past_midnight() -> None:
    assert [d.job for d in due_syncs(at(19, 20), "Asia/Tashkent")] == [JOB_HOURLY]  # 00:20 local: not yet
    final = [d for d in due_syncs(at(19, 40), "Asia/Tashkent") if d.job == JOB_FINAL]
    assert [(d.date_from, d.period) for d in final] == [(date(2026, 11, 22), "2026-11-22")]
    # The same period all day long, so the scheduler's claim makes it run once.
    later = [d for d in due_syncs(at(10), "Asia/Tashkent") if d.job == JOB_FINAL]
    assert [d.period for d in later] == ["2026-11-21"]


def test_per_company_settings() -> None:
    settings = {"schedule": {"hourly": False, "final_pass_at": "03:00"}}
    assert due_syncs(at(21), "Asia/Tashkent", settings) == []  # 02:00 local
    assert [d.job for d in due_syncs(at(23), "Asia/Tashkent", settings)] == [JOB_FINAL]
    assert [d.job for d in due_syncs(at(23), "Asia/Tashkent", {"schedule": {"final_pass_at": None}})] == [JOB_HOURLY]
    with pytest.raises(ValueError):
        due_syncs(datetime(2026, 11, 22, 10), "Asia/Tashkent")

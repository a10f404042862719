"""The periodic tasks the scheduler runs, one class per feature."""

from __future__ import annotations

from bot.scheduler import PeriodicTask


def all_tasks() -> list[PeriodicTask]:
    return []

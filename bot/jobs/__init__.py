"""The registry of periodic work: one module per feature, each with `register(jobs)`.

A feature adds its module here; the scheduler (bot/scheduler.py) runs whatever is registered and knows no feature.
Per company, tasks run in the order registered: REGOS events are replayed before that hour's sync, and a summary
follows the sync.
"""

from __future__ import annotations

from bot.jobs import approvals, outbox, purchases, regos_details, regos_events, regos_sync, sms, summaries, tax
from bot.scheduler import JobRegistry

FEATURES = (regos_events, regos_sync, summaries, approvals, outbox, sms, regos_details, tax, purchases)


def all_jobs() -> JobRegistry:
    jobs = JobRegistry()
    for feature in FEATURES:
        feature.register(jobs)
    return jobs


__all__ = ["FEATURES", "all_jobs"]

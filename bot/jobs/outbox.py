"""The outbox sweep: every few seconds, rows a sender died holding are released and whatever is due (retries after
a backoff, rows whose kick was missed, rows left by a restart) is sent; finished rows are pruned daily."""

from __future__ import annotations

from datetime import timedelta

from bot.scheduler import JobContext, JobRegistry
from services.outbox import prune, release_stale

SWEEP_EVERY = timedelta(seconds=15)
PRUNE_EVERY = timedelta(hours=6)


async def sweep(context: JobContext) -> None:
    if context.outbox is None:
        return
    await release_stale(context.session_factory)
    await context.outbox.send_due()


async def prune_sent(context: JobContext) -> None:
    await prune(context.session_factory)


def register(jobs: JobRegistry) -> None:
    jobs.every(SWEEP_EVERY, "outbox_sweep", sweep)
    jobs.every(PRUNE_EVERY, "outbox_prune", prune_sent)

"""Supplier invoice uploads: files recorded for reading that were never read (the bot stopped mid-read, an album
whose reader never ran) and album parts past Telegram's ten are dropped once an hour old, every ten minutes. The
delete is a conditional statement, so two schedulers running it at once do no harm."""

from __future__ import annotations

import logging
from datetime import timedelta

from bot.scheduler import JobContext, JobRegistry
from services.purchases.intake import forget_stale

FORGET_EVERY = timedelta(minutes=10)
log = logging.getLogger(__name__)


async def forget_stale_uploads(context: JobContext) -> int:
    async with context.session_factory() as session:
        removed = await forget_stale(session)
        await session.commit()
    if removed:
        log.info("dropped %s invoice upload(s) never read", removed)
    return removed


def register(jobs: JobRegistry) -> None:
    jobs.every(FORGET_EVERY, "purchase_uploads_forget", forget_stale_uploads)

"""REGOS event replay, hourly before that hour's sync: events REGOS kept but never delivered (our server was down)
are read with Event/Get from the last one seen, and stored events whose processing failed are retried."""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.jobs.regos_sync import sync_period
from bot.scheduler import JobContext, JobRegistry
from db.models import Company
from services.regos import RegosError
from services.sync.events import process_pending_events, replay_events
from services.sync.schedule import JOB_HOURLY

log = logging.getLogger(__name__)


class RegosEventReplayTask:
    name = "regos_event_replay"

    async def due(self, session: AsyncSession, company: Company, local_now: datetime) -> str | None:
        return await sync_period(session, company, local_now, JOB_HOURLY)

    async def run(self, context: JobContext, company: Company, period: str, local_now: datetime) -> None:
        secret_box = context.require_secret_box()
        try:
            await replay_events(context.session_factory, company.id, secret_box)
            await process_pending_events(context.session_factory, company.id, secret_box)
        except RegosError as error:  # an outage: the sync after this meets it too and tells the owner
            log.warning("event replay for company %s: %s", company.id, error)


def register(jobs: JobRegistry) -> None:
    jobs.add(RegosEventReplayTask())

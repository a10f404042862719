"""REGOS receipt details backfill (issue 9): for companies that turned it on, every five minutes a background run
reads lines and payments of receipts that have none yet, newest first, within the backfill's share of the key's
rate (default 25 %) and at the lowest priority of the key's shared budget, so syncs and /sync never wait for it.

The run is spawned (the tick goes on with other companies and tasks); one run per company at a time in this
process, and the (task, company, five-minute period) claim keeps a second scheduler from doubling it."""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from bot.scheduler import JobContext, JobRegistry
from db.models import Company
from services.sync.connection import get_connection
from services.sync.details import backfill_company, backfill_enabled

log = logging.getLogger(__name__)

PERIOD_MINUTES = 5
RUN_SECONDS = 240.0  # under the period, so runs of one company do not overlap across schedulers


class RegosDetailsTask:
    name = "regos_details_backfill"

    def __init__(self) -> None:
        self._running: set[int] = set()

    async def due(self, session: AsyncSession, company: Company, local_now: datetime) -> str | None:
        if company.id in self._running:
            return None
        connection = await get_connection(session, company.id)
        if connection is None or not backfill_enabled(connection.settings):
            return None
        minute = local_now.minute - local_now.minute % PERIOD_MINUTES
        return f"{local_now:%Y-%m-%dT%H}:{minute:02d}"

    async def run(self, context: JobContext, company: Company, period: str, local_now: datetime) -> None:
        secret_box = context.require_secret_box()
        company_id = company.id
        self._running.add(company_id)

        async def work() -> None:
            try:
                result = await backfill_company(
                    context.session_factory, company_id, secret_box, max_seconds=RUN_SECONDS
                )
                log.info("details backfill of company %s (%s): %d receipt(s), %d call(s), %d left, stopped by %s",
                         company_id, period, result.receipts, result.calls, result.left, result.stopped_by)
            finally:
                self._running.discard(company_id)

        context.spawn(work(), name=f"regos-details-{company_id}")


def register(jobs: JobRegistry) -> None:
    jobs.add(RegosDetailsTask())

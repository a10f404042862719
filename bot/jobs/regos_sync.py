"""REGOS sync: hourly over today and a final pass over yesterday after midnight (company local time); when each is
due comes from services.sync.schedule and the connection's settings (`settings["schedule"]`). The owners are told,
through the outbox, when REGOS stops answering and when it is back."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.scheduler import JobContext, JobRegistry
from db.models import Company, Role
from services import outbox
from services.reports.render import esc
from services.sync.connection import STATUS_FAILING, STATUS_OK, get_connection
from services.sync.engine import sync_company
from services.sync.schedule import JOB_FINAL, JOB_HOURLY, due_syncs

log = logging.getLogger(__name__)


async def sync_period(session: AsyncSession, company: Company, local_now: datetime, job: str) -> str | None:
    """The period of the sync `job` (JOB_HOURLY or JOB_FINAL) due now for a connected company, else None."""
    connection = await get_connection(session, company.id)
    if connection is None:
        return None
    for sync in due_syncs(local_now, company.timezone, connection.settings):
        if sync.job == job:
            return sync.period
    return None


class RegosSyncTask:
    def __init__(self, kind: str) -> None:
        assert kind in ("hourly", "nightly")
        self.kind = kind
        self.name = f"regos_sync_{kind}"
        self.job = JOB_HOURLY if kind == "hourly" else JOB_FINAL

    async def due(self, session: AsyncSession, company: Company, local_now: datetime) -> str | None:
        return await sync_period(session, company, local_now, self.job)

    async def run(self, context: JobContext, company: Company, period: str, local_now: datetime) -> None:
        secret_box = context.require_secret_box()
        day = local_now.date() if self.kind == "hourly" else local_now.date() - timedelta(days=1)
        async with context.session_factory() as session:
            before = await get_connection(session, company.id)
            status_before = before.status if before else None
        result = await sync_company(
            context.session_factory, company.id, date_from=day, date_to=day, trigger="schedule",
            secret_box=secret_box, archive_dir=context.settings.regos_archive_dir,
        )
        if result.failure is not None:
            log.warning("scheduled sync of company %s: %s", company.id, result.failure.problem)
        async with context.session_factory() as session:
            after = await get_connection(session, company.id)
            status_after = after.status if after else None
            name = esc(company.name)
            if status_after == STATUS_FAILING and status_before != STATUS_FAILING:
                await outbox.notify_roles(session, company.id, [Role.OWNER], "sync-alert-down", kind="sync.alert",
                                          dedupe_key=f"sync-down:{company.id}:{self.name}:{period}", company=name,
                                          since=local_now.strftime("%H:%M"))
            elif status_after == STATUS_OK and status_before == STATUS_FAILING:
                await outbox.notify_roles(session, company.id, [Role.OWNER], "sync-alert-recovered",
                                          kind="sync.alert", dedupe_key=f"sync-up:{company.id}:{self.name}:{period}",
                                          company=name)
            await session.commit()


def register(jobs: JobRegistry) -> None:
    jobs.add(RegosSyncTask("hourly"), RegosSyncTask("nightly"))

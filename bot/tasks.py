"""The periodic tasks the scheduler runs, one class per feature."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from html import escape

from sqlalchemy.ext.asyncio import AsyncSession

from bot.notify import recipients, tell, text_for
from bot.scheduler import PeriodicTask, SchedulerContext
from db.models import Company, Role
from services.crypto import SecretBox
from services.regos import RegosError
from services.sync.connection import STATUS_FAILING, STATUS_OK, get_connection
from services.sync.engine import sync_company
from services.sync.events import replay_events
from services.sync.schedule import JOB_FINAL, JOB_HOURLY, due_syncs

log = logging.getLogger(__name__)


class RegosSyncTask:
    """Hourly sync of today, and a final pass over yesterday after midnight (company local time); when each is
    due comes from services.sync.schedule and the connection's settings (`settings["schedule"]`)."""

    def __init__(self, kind: str) -> None:
        assert kind in ("hourly", "nightly")
        self.kind = kind
        self.name = f"regos_sync_{kind}"
        self.job = JOB_HOURLY if kind == "hourly" else JOB_FINAL

    async def due(self, session: AsyncSession, company: Company, local_now: datetime) -> str | None:
        connection = await get_connection(session, company.id)
        if connection is None:
            return None
        for sync in due_syncs(local_now, company.timezone, connection.settings):
            if sync.job == self.job:
                return sync.period
        return None

    async def run(self, context: SchedulerContext, company: Company, period: str, local_now: datetime) -> None:
        settings = context.settings
        if settings.secret_key is None:
            raise RuntimeError("SECRET_KEY is not set")
        day = local_now.date() if self.kind == "hourly" else local_now.date() - timedelta(days=1)
        async with context.session_factory() as session:
            before = await get_connection(session, company.id)
            status_before = before.status if before else None
        secret_box = SecretBox(settings.secret_key.get_secret_value())
        if self.kind == "hourly":
            # Events REGOS kept but never delivered (our server was down): Event/Get from the last one seen.
            try:
                await replay_events(context.session_factory, company.id, secret_box)
            except RegosError as error:  # an outage: the sync below meets it too and tells the owner
                log.warning("event replay for company %s: %s", company.id, error)
        result = await sync_company(
            context.session_factory, company.id, date_from=day, date_to=day, trigger="schedule",
            secret_box=secret_box, archive_dir=settings.regos_archive_dir,
        )
        async with context.session_factory() as session:
            after = await get_connection(session, company.id)
            owners = await recipients(session, company.id, [Role.OWNER])
        status_after = after.status if after else None
        if status_after == status_before:
            return
        name = escape(company.name)
        if status_after == STATUS_FAILING:
            since = local_now.strftime("%H:%M")
            await tell(context.broadcaster, owners, text_for("sync-alert-down", company=name, since=since))
        elif status_after == STATUS_OK and status_before == STATUS_FAILING:
            await tell(context.broadcaster, owners, text_for("sync-alert-recovered", company=name))
        if result.failure is not None:
            log.warning("scheduled sync of company %s: %s", company.id, result.failure.problem)


def all_tasks() -> list[PeriodicTask]:
    from bot.summary_jobs import DailySummaryTask, PeriodSummaryTask, SummaryCorrectionTask

    return [RegosSyncTask("hourly"), RegosSyncTask("nightly"), DailySummaryTask(), PeriodSummaryTask("weekly"),
            PeriodSummaryTask("monthly"), SummaryCorrectionTask()]

"""The periodic tasks the scheduler runs, one class per feature."""

from __future__ import annotations

import logging
from datetime import datetime, time, timedelta
from html import escape
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from bot.notify import recipients, tell, text_for
from bot.scheduler import PeriodicTask, SchedulerContext
from db.models import Company, Role
from services.crypto import SecretBox
from services.sync.connection import STATUS_FAILING, STATUS_OK, get_connection
from services.sync.engine import sync_company

log = logging.getLogger(__name__)


def _regos_settings(company: Company) -> dict[str, Any]:
    return dict((company.settings or {}).get("regos") or {})


def _clock(value: str, default: time) -> time:
    try:
        hours, minutes = value.split(":")
        return time(int(hours), int(minutes))
    except (AttributeError, ValueError):
        return default


class RegosSyncTask:
    """Hourly sync of today, and a final pass over yesterday shortly after midnight (company local time).

    Per company: settings["regos"] = {"hourly": true, "hourly_minute": 5, "nightly": "00:20"}.
    """

    def __init__(self, kind: str) -> None:
        assert kind in ("hourly", "nightly")
        self.kind = kind
        self.name = f"regos_sync_{kind}"

    async def due(self, session: AsyncSession, company: Company, local_now: datetime) -> str | None:
        connection = await get_connection(session, company.id)
        if connection is None:
            return None
        settings = _regos_settings(company)
        if self.kind == "hourly":
            if not settings.get("hourly", True) or local_now.minute < int(settings.get("hourly_minute", 5)):
                return None
            return local_now.strftime("%Y-%m-%dT%H")
        start = _clock(str(settings.get("nightly", "00:20")), time(0, 20))
        start_at = local_now.replace(hour=start.hour, minute=start.minute, second=0, microsecond=0)
        # Grace: a scheduler that was down at 00:20 still does the final pass until six hours later.
        if not start_at <= local_now < start_at + timedelta(hours=6):
            return None
        return (local_now.date() - timedelta(days=1)).isoformat()

    async def run(self, context: SchedulerContext, company: Company, period: str, local_now: datetime) -> None:
        settings = context.settings
        if settings.secret_key is None:
            raise RuntimeError("SECRET_KEY is not set")
        day = local_now.date() if self.kind == "hourly" else local_now.date() - timedelta(days=1)
        async with context.session_factory() as session:
            before = await get_connection(session, company.id)
            status_before = before.status if before else None
        result = await sync_company(
            context.session_factory, company.id, date_from=day, date_to=day, trigger="schedule",
            secret_box=SecretBox(settings.secret_key.get_secret_value()), archive_dir=settings.regos_archive_dir,
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

"""Approvals, expenses and cash, scheduled: reminders and escalation of pending requests, the cash limit alerts, and
the daily posting of REGOS cash sales to each branch's register. What is due and what is sent is in services
(services.approvals.schedule, services.cash); each write is a conditional UPDATE in the transaction that queues
its messages, so two schedulers or a retry do it once, and the claim on (task, company, period) besides."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, time, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from bot.scheduler import JobContext, JobRegistry
from db.models import Company
from services import approvals, cash
from services.sync.connection import get_connection

REGOS_CASH_POST_AT = time(1, 0)  # after the nightly final sync of yesterday (00:20)
POST_GRACE = timedelta(hours=12)  # downtime: still posted when the scheduler is back within this


def _minute(local_now: datetime) -> str:
    return local_now.strftime("%Y-%m-%dT%H:%M")


class ApprovalFollowUpTask:
    """Reminders (to every approver) or escalation (to the owners) of the requests still pending past their time."""

    def __init__(self, name: str, due: Callable[[AsyncSession, int, datetime], Awaitable[bool]],
                 send: Callable[[AsyncSession, int, datetime], Awaitable[int]]) -> None:
        self.name, self._due, self._send = name, due, send

    async def due(self, session: AsyncSession, company: Company, local_now: datetime) -> str | None:
        return _minute(local_now) if await self._due(session, company.id, local_now) else None

    async def run(self, context: JobContext, company: Company, period: str, local_now: datetime) -> None:
        async with context.session_factory() as session:
            await self._send(session, company.id, local_now.astimezone(UTC))
            await session.commit()


def reminder_task() -> ApprovalFollowUpTask:
    return ApprovalFollowUpTask("approval_reminders", approvals.reminders_due, approvals.send_reminders)


def escalation_task() -> ApprovalFollowUpTask:
    return ApprovalFollowUpTask("approval_escalations", approvals.escalations_due, approvals.send_escalations)


class CashLimitAlertTask:
    """A register over its limit: one alert per register and day, to the owners and its branch's managers."""

    name = "cash_limit_alerts"

    async def due(self, session: AsyncSession, company: Company, local_now: datetime) -> str | None:
        return _minute(local_now) if await cash.over_limit(session, company.id, local_now.date()) else None

    async def run(self, context: JobContext, company: Company, period: str, local_now: datetime) -> None:
        async with context.session_factory() as session:
            await cash.queue_limit_alerts(session, company.id, local_now.date())
            await session.commit()


class RegosCashPostingTask:
    """Yesterday's REGOS cash sales onto each branch's register, once, after the night's final sync."""

    name = "cash_regos_posting"

    async def due(self, session: AsyncSession, company: Company, local_now: datetime) -> str | None:
        start = datetime.combine(local_now.date(), REGOS_CASH_POST_AT, tzinfo=local_now.tzinfo)
        if not start <= local_now < start + POST_GRACE or await get_connection(session, company.id) is None:
            return None
        return (local_now.date() - timedelta(days=1)).isoformat()

    async def run(self, context: JobContext, company: Company, period: str, local_now: datetime) -> None:
        async with context.session_factory() as session:
            await cash.post_regos_cash(session, company.id, datetime.fromisoformat(period).date())
            await session.commit()


def register(jobs: JobRegistry) -> None:
    jobs.add(reminder_task(), escalation_task(), CashLimitAlertTask(), RegosCashPostingTask())

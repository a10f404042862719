"""Reminders and escalation of requests nobody has decided: scheduled work (bot/jobs/approvals.py), exactly once.

A request still pending after its policy's `remind_after` is shown again to every approver; after
`escalate_after` it goes to the owners. Each is a conditional UPDATE of the request (`reminded_at`,
`escalated_at` from NULL) in the transaction that queues the messages, so two schedulers, a restart or a retry
send it once; the job's claim on (job, company, minute) makes a second scheduler's tick a no-op besides.
`now` is the scheduler's clock, so tests move time by ticking later.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from db import repositories as repo
from db.approvals import ApprovalRequest, ApprovalStatus, CardPurpose
from db.models import Role, User
from services.approvals.cards import queue_cards
from services.approvals.engine import approvers_of
from services.approvals.policy import refusal, request_policy


async def _pending(session: AsyncSession, company_id: int) -> list[ApprovalRequest]:
    return list((await session.scalars(
        select(ApprovalRequest)
        .where(ApprovalRequest.company_id == company_id, ApprovalRequest.status == ApprovalStatus.PENDING)
        .order_by(ApprovalRequest.created_at, ApprovalRequest.id)
    )).all())


def _remind_due(request: ApprovalRequest, now: datetime) -> bool:
    return request.reminded_at is None and now >= request.created_at + request_policy(request).remind_after


def _escalate_due(request: ApprovalRequest, now: datetime) -> bool:
    return request.escalated_at is None and now >= request.created_at + request_policy(request).escalate_after


async def reminders_due(session: AsyncSession, company_id: int, now: datetime) -> bool:
    return any(_remind_due(request, now) for request in await _pending(session, company_id))


async def escalations_due(session: AsyncSession, company_id: int, now: datetime) -> bool:
    return any(_escalate_due(request, now) for request in await _pending(session, company_id))


async def _mark(session: AsyncSession, request: ApprovalRequest, column: str, now: datetime) -> bool:
    """Sets `reminded_at` or `escalated_at` once: False when another scheduler was first."""
    field = getattr(ApprovalRequest, column)
    marked = await session.scalar(
        update(ApprovalRequest)
        .where(ApprovalRequest.id == request.id, ApprovalRequest.status == ApprovalStatus.PENDING, field.is_(None))
        .values({column: now})
        .returning(ApprovalRequest.id)
        .execution_options(synchronize_session=False)
    )
    return marked is not None


def _hours(request: ApprovalRequest, now: datetime) -> int:
    return max(1, int((now - request.created_at).total_seconds() // 3600))


async def send_reminders(session: AsyncSession, company_id: int, now: datetime) -> int:
    """Reminds the approvers of each request due; returns how many requests were reminded. The caller commits."""
    reminded = 0
    for request in await _pending(session, company_id):
        if not _remind_due(request, now) or not await _mark(session, request, "reminded_at", now):
            continue
        if _escalate_due(request, now):
            continue  # it goes to the owners now anyway (after downtime): one message, not two
        await queue_cards(session, request, await approvers_of(session, request), CardPurpose.REMINDER,
                          hours_waiting=_hours(request, now))
        reminded += 1
    return reminded


async def owners_who_may_decide(session: AsyncSession, request: ApprovalRequest) -> list[User]:
    return [membership.user for membership in await repo.members_of_company(session, request.company_id)
            if membership.role == Role.OWNER and not membership.user.bot_blocked
            and refusal(request, membership) is None]


async def send_escalations(session: AsyncSession, company_id: int, now: datetime) -> int:
    """Sends each request due to the owners; returns how many were escalated. The caller commits."""
    escalated = 0
    for request in await _pending(session, company_id):
        if not _escalate_due(request, now) or not await _mark(session, request, "escalated_at", now):
            continue
        await queue_cards(session, request, await owners_who_may_decide(session, request), CardPurpose.ESCALATION,
                          hours_waiting=_hours(request, now))
        escalated += 1
    return escalated


__all__ = ["escalations_due", "owners_who_may_decide", "reminders_due", "send_escalations", "send_reminders"]

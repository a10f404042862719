"""Requests and decisions.

`submit` makes a request (one pending request per object), fixes its policy and queues a card to every approver;
`decide` is one conditional UPDATE on the pending status: the first valid press wins, and a second press — by the
same person, or another approver at the same moment — changes nothing and is told who decided and when;
`withdraw` lets the requester take a request back. Each lands in the audit log, in the caller's transaction, and
the messages that follow go through the outbox after commit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from db import repositories as repo
from db.approvals import ApprovalRequest, ApprovalStatus
from db.base import utcnow
from db.models import Company, Membership, User
from services import audit
from services.approvals.cards import display_name, queue_cards, queue_outcome
from services.approvals.kinds import get_kind
from services.approvals.policy import company_policy, refusal, request_policy
from services.errors import DomainError, NotFound, PermissionDenied, ValidationFailed
from services.permissions import roles_with

MAX_REASON = 500
MAX_PENDING_LISTED = 500


class AlreadyDecided(DomainError):
    """A press on a request that is no longer pending: says who decided it, and when (in the company's zone)."""

    key = "approval-already-approved"

    def __init__(self, status: str, name: str, when: datetime | None) -> None:
        super().__init__(f"approval-already-{status}", name=name, when=when)
        self.status = status


@dataclass(frozen=True, slots=True)
class Submitted:
    request: ApprovalRequest
    approvers: list[User]  # who got a card now (empty when the request was already pending)
    created: bool


def open_key(kind: str, object_id: int) -> str:
    return f"{kind}:{object_id}"


async def get_request(session: AsyncSession, company_id: int, request_id: int) -> ApprovalRequest:
    """A request of this company; another company's request looks exactly like a missing one."""
    request = await session.get(ApprovalRequest, request_id, populate_existing=True)
    if request is None or request.company_id != company_id:
        raise NotFound("approval-not-found")
    return request


async def pending_request_for(session: AsyncSession, kind: str, object_id: int) -> ApprovalRequest | None:
    return await session.scalar(select(ApprovalRequest).where(ApprovalRequest.open_key == open_key(kind, object_id)))


async def approvers_of(session: AsyncSession, request: ApprovalRequest) -> list[User]:
    """The members who may decide the request now and can be written to, in membership order."""
    found = []
    for membership in await repo.members_of_company(session, request.company_id):
        if refusal(request, membership) is None and not membership.user.bot_blocked:
            found.append(membership.user)
    return found


async def submit(session: AsyncSession, *, kind: str, company_id: int, object_id: int, requested_by: User,
                 amount: Decimal | None = None, branch_id: int | None = None,
                 now: datetime | None = None) -> Submitted:
    """Asks for a decision on a kind's object; a second submit of an object still pending returns that request."""
    approval_kind = get_kind(kind)
    existing = await pending_request_for(session, kind, object_id)
    if existing is not None:
        return Submitted(existing, [], created=False)
    company = await session.get_one(Company, company_id)
    request = ApprovalRequest(
        company_id=company_id, kind=kind, object_id=object_id, branch_id=branch_id, amount=amount,
        requested_by_user_id=requested_by.id, policy=company_policy(company, approval_kind).to_json(),
        status=ApprovalStatus.PENDING, open_key=open_key(kind, object_id), created_at=now or utcnow(),
    )
    session.add(request)
    await session.flush()
    audit.record(session, "approval.requested", company_id=company_id, user_id=requested_by.id,
                 request_id=request.id, kind=kind, object_id=object_id,
                 amount=f"{amount:f}" if amount is not None else None, branch_id=branch_id)
    queued = await queue_cards(session, request, await approvers_of(session, request))
    return Submitted(request, queued, created=True)


async def _already_decided(session: AsyncSession, request: ApprovalRequest) -> AlreadyDecided:
    await session.refresh(request)
    company = await session.get_one(Company, request.company_id)
    decider_id = request.decided_by_user_id
    if request.status == ApprovalStatus.WITHDRAWN:
        decider_id = request.requested_by_user_id
    decider = await session.get(User, decider_id) if decider_id else None
    when = request.decided_at.astimezone(ZoneInfo(company.timezone)) if request.decided_at else None
    return AlreadyDecided(request.status, display_name(decider), when)


def clean_reason(reason: str | None) -> str:
    text = " ".join((reason or "").split())
    if not text:
        raise ValidationFailed("approval-reason-needed")
    if len(text) > MAX_REASON:
        raise ValidationFailed("approval-reason-too-long", limit=MAX_REASON)
    return text


def check_may_decide(request: ApprovalRequest, membership: Membership | None) -> None:
    """Raises the refusal for a member who may not decide this request (checked again at the decision)."""
    key = refusal(request, membership)
    if key == "approval-not-found":
        raise NotFound(key)
    if key is not None:
        raise PermissionDenied(key, roles=roles_with(request_policy(request).capability))


async def ensure_pending(session: AsyncSession, request: ApprovalRequest) -> None:
    if request.status != ApprovalStatus.PENDING:
        raise await _already_decided(session, request)


async def _transition(session: AsyncSession, request: ApprovalRequest, status: ApprovalStatus, *,
                      by_user_id: int, now: datetime, reason: str | None = None) -> None:
    """The one conditional UPDATE: pending → `status`; raises AlreadyDecided when someone was first."""
    won = await session.scalar(
        update(ApprovalRequest)
        .where(ApprovalRequest.id == request.id, ApprovalRequest.status == ApprovalStatus.PENDING)
        .values(status=status, open_key=None, decided_by_user_id=by_user_id, decided_at=now, reason=reason)
        .returning(ApprovalRequest.id)
        .execution_options(synchronize_session=False)
    )
    if won is None:
        raise await _already_decided(session, request)
    await session.refresh(request)


async def decide(session: AsyncSession, *, company_id: int, request_id: int, actor: Membership | None,
                 approve: bool, reason: str | None = None, now: datetime | None = None) -> ApprovalRequest:
    """Approves or rejects (a rejection needs a reason). The kind's hook runs in the same transaction; a refusal
    from it, or from any check, changes nothing."""
    request = await get_request(session, company_id, request_id)
    await ensure_pending(session, request)
    check_may_decide(request, actor)
    assert actor is not None
    cleaned = None if approve else clean_reason(reason)
    status = ApprovalStatus.APPROVED if approve else ApprovalStatus.REJECTED
    await _transition(session, request, status, by_user_id=actor.user_id, now=now or utcnow(), reason=cleaned)
    kind = get_kind(request.kind)
    obj = await kind.load(session, company_id, request.object_id)
    if obj is None:
        raise NotFound("approval-object-gone")
    await (kind.on_approve if approve else kind.on_reject)(session, request, obj)
    audit.record(session, f"approval.{status.value}", company_id=company_id, user_id=actor.user_id,
                 request_id=request.id, kind=request.kind, object_id=request.object_id, reason=cleaned)
    await session.flush()
    await queue_outcome(session, request)
    return request


async def withdraw(session: AsyncSession, *, company_id: int, request_id: int, user: User,
                   now: datetime | None = None) -> ApprovalRequest:
    """The requester takes a pending request back; every card shown for it says so."""
    request = await get_request(session, company_id, request_id)
    if request.requested_by_user_id != user.id:
        raise PermissionDenied("approval-withdraw-not-yours")
    await ensure_pending(session, request)
    await _transition(session, request, ApprovalStatus.WITHDRAWN, by_user_id=user.id, now=now or utcnow())
    kind = get_kind(request.kind)
    obj = await kind.load(session, company_id, request.object_id)
    if obj is not None:
        await kind.on_withdraw(session, request, obj)
    audit.record(session, "approval.withdrawn", company_id=company_id, user_id=user.id, request_id=request.id,
                 kind=request.kind, object_id=request.object_id)
    await session.flush()
    await queue_outcome(session, request)
    return request


async def pending_for(session: AsyncSession, membership: Membership) -> list[ApprovalRequest]:
    """The pending requests this member may decide, oldest first."""
    requests: Sequence[ApprovalRequest] = (await session.scalars(
        select(ApprovalRequest)
        .where(ApprovalRequest.company_id == membership.company_id,
               ApprovalRequest.status == ApprovalStatus.PENDING)
        .order_by(ApprovalRequest.created_at, ApprovalRequest.id)
        .limit(MAX_PENDING_LISTED)
    )).all()
    return [request for request in requests if refusal(request, membership) is None]


__all__ = [
    "AlreadyDecided",
    "Submitted",
    "approvers_of",
    "check_may_decide",
    "clean_reason",
    "decide",
    "ensure_pending",
    "get_request",
    "open_key",
    "pending_for",
    "pending_request_for",
    "submit",
    "withdraw",
]

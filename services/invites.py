"""One-time, expiring invites: created by owners and managers, redeemed through a deep link."""

from __future__ import annotations

import re
import secrets
from datetime import timedelta

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from db import repositories as repo
from db.base import utcnow
from db.models import Invite, Membership, Role, User
from services import audit
from services.errors import PermissionDenied, ValidationFailed
from services.roles import assignable_roles

INVITE_PREFIX = "inv_"
CODE_PATTERN = re.compile(r"^[A-Za-z0-9_-]{8,32}$")
DEFAULT_TTL = timedelta(hours=72)


class InviteRejected(ValidationFailed):
    """Why an invite cannot be used: not-found, expired, used, company-gone, already-member."""


def deep_link(bot_username: str | None, code: str) -> str:
    payload = f"{INVITE_PREFIX}{code}"
    if bot_username:
        return f"https://t.me/{bot_username}?start={payload}"
    return f"/start {payload}"


def parse_start_payload(payload: str | None) -> str | None:
    """The invite code inside `/start inv_<code>`, or None when the payload is no invite at all."""
    if not payload or not payload.startswith(INVITE_PREFIX):
        return None
    return payload[len(INVITE_PREFIX):]


async def create_invite(
    session: AsyncSession,
    *,
    company_id: int,
    role: Role,
    actor: User | None,
    actor_role: Role | None,
    branch_id: int | None = None,
    ttl: timedelta = DEFAULT_TTL,
) -> Invite:
    """`actor_role` None means an operator at the command line, who may invite any role."""
    if actor_role is not None and role not in assignable_roles(actor_role):
        raise PermissionDenied("error-role-not-assignable", role=role.value)
    if await repo.live_company(session, company_id) is None:
        raise InviteRejected("invite-company-gone")
    if branch_id is not None and await repo.branch_in_company(session, company_id, branch_id) is None:
        raise PermissionDenied("error-branch-not-yours")
    invite = Invite(
        code=secrets.token_urlsafe(12),
        company_id=company_id,
        role=role.value,
        branch_id=branch_id,
        created_by_user_id=actor.id if actor else None,
        expires_at=utcnow() + ttl,
    )
    session.add(invite)
    audit.record(
        session, "invite.created", company_id=company_id, user_id=actor.id if actor else None,
        role=role.value, branch_id=branch_id,
    )
    await session.flush()
    return invite


async def redeem_invite(session: AsyncSession, *, code: str, user: User) -> Membership:
    """Joins the user to the invite's company. Every refusal raises before anything is written."""
    if not CODE_PATTERN.match(code or ""):
        raise InviteRejected("invite-not-found")
    invite = await repo.invite_by_code_for_update(session, code)
    if invite is None:
        raise InviteRejected("invite-not-found")
    if invite.used_at is not None:
        raise InviteRejected("invite-used")
    if invite.expires_at <= utcnow():
        raise InviteRejected("invite-expired")
    company = await repo.live_company(session, invite.company_id)
    if company is None:
        raise InviteRejected("invite-company-gone")
    if await repo.membership(session, user.id, company.id) is not None:
        raise InviteRejected("invite-already-member", company=company.name)
    membership = Membership(user_id=user.id, company_id=company.id, role=invite.role)
    if invite.branch_id is not None:
        branch = await repo.branch_in_company(session, company.id, invite.branch_id)
        if branch is not None:
            membership.branches = [branch]
    else:
        membership.branches = []
    # The conditional update is the one-time guarantee: of two people racing for one code, one row changes.
    claimed = await session.execute(
        update(Invite)
        .where(Invite.id == invite.id, Invite.used_at.is_(None))
        .values(used_at=utcnow(), used_by_user_id=user.id)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        raise InviteRejected("invite-used")
    session.add(membership)
    user.active_company_id = company.id
    audit.record(session, "invite.redeemed", company_id=company.id, user_id=user.id, role=invite.role)
    await session.flush()
    membership.company = company
    return membership

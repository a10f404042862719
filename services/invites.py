"""One-time, expiring invites: created by owners and managers, redeemed through a deep link."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from core.i18n import translate
from db import repositories as repo
from db.base import utcnow
from db.models import Branch, Invite, Membership, Role, User
from services import audit, outbox
from services.errors import PermissionDenied, ValidationFailed
from services.locale import DEFAULT_LOCALE
from services.permissions import Capability, assignable_roles, branch_scope, can, require, visible_branches
from services.reports.render import esc

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


@dataclass(frozen=True, slots=True)
class BranchChoice:
    """Where an inviter may place the new member: every branch (`whole_company`) and/or one of `branches`."""

    whole_company: bool
    branches: list[Branch]

    @property
    def needs_asking(self) -> bool:
        return len(self.branches) > 1 or (bool(self.branches) and not self.whole_company)


def roles_to_invite(by: Membership) -> list[Role]:
    """The roles an inviter may offer: none without the capability, below manager for a manager."""
    return assignable_roles(Role(by.role)) if can(by.role, Capability.INVITE_CREATE) else []


async def branch_choice(session: AsyncSession, by: Membership) -> BranchChoice:
    """A member tied to branches places people in those branches only; one who sees every branch may also
    invite for the whole company."""
    return BranchChoice(whole_company=branch_scope(by) is None, branches=await visible_branches(session, by))


async def create_invite(
    session: AsyncSession,
    *,
    company_id: int,
    role: Role,
    by: Membership | None,
    branch_id: int | None = None,
    ttl: timedelta = DEFAULT_TTL,
) -> Invite:
    """An invite for `role` in one branch (or, with `branch_id` None, every branch).

    `by` is the inviter's membership in the company; None means an operator at the command line, who may invite
    any role anywhere. An inviter gives only roles they may assign, and only branches they may see: a member tied
    to branches cannot invite for the whole company."""
    if by is not None:
        if by.company_id != company_id:
            raise PermissionDenied("error-not-your-company")
        require(by.role, Capability.INVITE_CREATE)
        if role not in assignable_roles(Role(by.role)):
            raise PermissionDenied("error-role-not-assignable", role=role)
    if await repo.live_company(session, company_id) is None:
        raise InviteRejected("invite-company-gone")
    if branch_id is not None and await repo.branch_in_company(session, company_id, branch_id) is None:
        raise PermissionDenied("error-branch-not-yours")
    if by is not None:
        choice = await branch_choice(session, by)
        if branch_id is None and not choice.whole_company:
            raise PermissionDenied("error-branch-not-yours")
        if branch_id is not None and branch_id not in {branch.id for branch in choice.branches}:
            raise PermissionDenied("error-branch-not-yours")
    actor_id = by.user_id if by is not None else None
    invite = Invite(
        code=secrets.token_urlsafe(12),
        company_id=company_id,
        role=role.value,
        branch_id=branch_id,
        created_by_user_id=actor_id,
        expires_at=utcnow() + ttl,
    )
    session.add(invite)
    audit.record(session, "invite.created", company_id=company_id, user_id=actor_id, role=role.value,
                 branch_id=branch_id)
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
    await _tell_owners(session, invite, user, company.name)
    return membership


async def _tell_owners(session: AsyncSession, invite: Invite, joined: User, company_name: str) -> None:
    """The owners (and whoever made the invite) learn who joined, through the outbox: sent after commit."""
    people = {person.id: person for person in await outbox.people_with_roles(session, invite.company_id, (Role.OWNER,))}
    if invite.created_by_user_id is not None and invite.created_by_user_id not in people:
        creator = await session.get(User, invite.created_by_user_id)
        if creator is not None and not creator.bot_blocked:
            people[creator.id] = creator
    people.pop(joined.id, None)
    name = esc(joined.first_name or (f"@{joined.username}" if joined.username else str(joined.telegram_id)))
    for person in people.values():
        locale = person.language or DEFAULT_LOCALE
        text = translate(locale, "invite-joined-owner", name=name, company=esc(company_name),
                         role=translate(locale, f"role-{Role(invite.role).value}"))
        await outbox.enqueue(session, chat_id=person.telegram_id, text=text, kind="invite.joined",
                             company_id=invite.company_id, dedupe_key=f"invite-joined:{invite.id}:{person.id}")

"""Membership changes: role change and removal, never leaving a company without an owner."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from db import repositories as repo
from db.models import Membership, Role, User
from services import audit
from services.errors import NotFound, PermissionDenied, ValidationFailed
from services.permissions import assignable_roles, can_manage


async def list_members(session: AsyncSession, company_id: int) -> Sequence[Membership]:
    return await repo.members_of_company(session, company_id)


async def _target(session: AsyncSession, company_id: int, membership_id: int, actor_role: Role) -> Membership:
    target = await repo.membership_by_id(session, membership_id)
    # Another company's member looks exactly like a missing one: ids must reveal nothing.
    if target is None or target.company_id != company_id:
        raise NotFound("error-member-not-found")
    if not can_manage(actor_role, Role(target.role)):
        raise PermissionDenied()
    return target


async def get_member(session: AsyncSession, company_id: int, membership_id: int, actor_role: Role) -> Membership:
    return await _target(session, company_id, membership_id, actor_role)


async def change_role(
    session: AsyncSession, *, company_id: int, membership_id: int, new_role: Role, actor: User, actor_role: Role
) -> Membership:
    target = await _target(session, company_id, membership_id, actor_role)
    if new_role not in assignable_roles(actor_role):
        raise PermissionDenied("error-role-not-assignable", role=new_role)
    old_role = Role(target.role)
    if old_role is new_role:
        return target  # pressing twice has one effect
    if old_role is Role.OWNER and await repo.count_role(session, company_id, Role.OWNER.value) <= 1:
        raise ValidationFailed("error-last-owner")
    target.role = new_role.value
    audit.record(
        session, "member.role_changed", company_id=company_id, user_id=actor.id,
        member=membership_id, old=old_role.value, new=new_role.value,
    )
    await session.flush()
    return target


async def remove_member(
    session: AsyncSession, *, company_id: int, membership_id: int, actor: User, actor_role: Role
) -> Membership:
    target = await _target(session, company_id, membership_id, actor_role)
    if Role(target.role) is Role.OWNER and await repo.count_role(session, company_id, Role.OWNER.value) <= 1:
        raise ValidationFailed("error-last-owner")
    if target.user.active_company_id == company_id:
        target.user.active_company_id = None
    await session.delete(target)
    audit.record(
        session, "member.removed", company_id=company_id, user_id=actor.id, member=membership_id, role=target.role
    )
    await session.flush()
    return target

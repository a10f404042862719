"""Queries over the tenant core. Each takes the caller's session; none commits."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from sqlalchemy import Select, and_, bindparam, func, join, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import contains_eager, joinedload, selectinload

from db.models import Branch, Company, Invite, Membership, User


async def user_by_telegram_id(session: AsyncSession, telegram_id: int) -> User | None:
    return await session.scalar(select(User).where(User.telegram_id == telegram_id))


@cache
def _user_with_active_membership_statement() -> Select[User, Membership]:
    """Built once: every update runs it, and constructing the statement (a join, eager options) cost more CPU
    than executing it."""
    live_membership = join(Membership, Company,
                           and_(Company.id == Membership.company_id, Company.deleted_at.is_(None)))
    return (
        select(User, Membership)
        .select_from(User)
        .outerjoin(live_membership,
                   and_(Membership.user_id == User.id, Membership.company_id == User.active_company_id))
        .options(contains_eager(Membership.company), joinedload(Membership.branches))
        .where(User.telegram_id == bindparam("telegram_id"))
    )


async def user_with_active_membership(session: AsyncSession,
                                      telegram_id: int) -> tuple[User | None, Membership | None]:
    """The user of a Telegram id and, in the same query, their membership of their active company (with the company
    and the member's branches) when they have one in a company that is not deleted: one round trip per update."""
    result = await session.execute(_user_with_active_membership_statement(), {"telegram_id": telegram_id})
    row = result.unique().first()
    if row is None:
        return None, None
    return row[0], row[1]


async def membership(session: AsyncSession, user_id: int, company_id: int) -> Membership | None:
    return await session.scalar(
        select(Membership)
        .options(selectinload(Membership.branches), selectinload(Membership.company))
        .join(Company, Company.id == Membership.company_id)
        .where(Membership.user_id == user_id, Membership.company_id == company_id, Company.deleted_at.is_(None))
    )


async def membership_by_id(session: AsyncSession, membership_id: int) -> Membership | None:
    return await session.scalar(
        select(Membership)
        .options(selectinload(Membership.branches), selectinload(Membership.user))
        .where(Membership.id == membership_id)
    )


async def memberships_of_user(session: AsyncSession, user_id: int) -> Sequence[Membership]:
    result = await session.scalars(
        select(Membership)
        .options(selectinload(Membership.company))
        .join(Company, Company.id == Membership.company_id)
        .where(Membership.user_id == user_id, Company.deleted_at.is_(None))
        .order_by(Membership.id)
    )
    return result.all()


async def members_of_company(session: AsyncSession, company_id: int) -> Sequence[Membership]:
    result = await session.scalars(
        select(Membership)
        .options(selectinload(Membership.user), selectinload(Membership.branches))
        .where(Membership.company_id == company_id)
        .order_by(Membership.id)
    )
    return result.all()


async def count_role(session: AsyncSession, company_id: int, role: str) -> int:
    count = await session.scalar(
        select(func.count()).select_from(Membership).where(Membership.company_id == company_id, Membership.role == role)
    )
    return int(count or 0)


async def live_company(session: AsyncSession, company_id: int) -> Company | None:
    return await session.scalar(select(Company).where(Company.id == company_id, Company.deleted_at.is_(None)))


async def companies(session: AsyncSession) -> Sequence[Company]:
    result = await session.scalars(select(Company).where(Company.deleted_at.is_(None)).order_by(Company.id))
    return result.all()


async def branches_of_company(session: AsyncSession, company_id: int) -> Sequence[Branch]:
    result = await session.scalars(select(Branch).where(Branch.company_id == company_id).order_by(Branch.id))
    return result.all()


async def branch_in_company(session: AsyncSession, company_id: int, branch_id: int) -> Branch | None:
    return await session.scalar(select(Branch).where(Branch.id == branch_id, Branch.company_id == company_id))


async def invite_by_code_for_update(session: AsyncSession, code: str) -> Invite | None:
    # FOR UPDATE serialises two people redeeming one code on PostgreSQL; SQLite serialises writers anyway.
    return await session.scalar(select(Invite).where(Invite.code == code).with_for_update())

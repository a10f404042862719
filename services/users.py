"""Telegram users as the product knows them: language, active company."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from db import repositories as repo
from db.models import Company, Membership, Role, User
from services.errors import NotFound, ValidationFailed
from services.locale import SUPPORTED_LOCALES
from services.permissions import branch_scope


@dataclass(frozen=True, slots=True)
class TelegramIdentity:
    telegram_id: int
    first_name: str
    username: str | None
    language_code: str | None


async def get_or_create_user(session: AsyncSession, identity: TelegramIdentity) -> User:
    user = _refreshed(identity, await repo.user_by_telegram_id(session, identity.telegram_id))
    return user if user is not None else await _created(session, identity)


def _refreshed(identity: TelegramIdentity, user: User | None) -> User | None:
    """The user's row brought up to date with what Telegram says now (None stays None)."""
    if user is None:
        return None
    if (user.first_name, user.username) != (identity.first_name[:128], identity.username):
        user.first_name, user.username = identity.first_name[:128], identity.username
    if user.bot_blocked:
        user.bot_blocked = False  # they wrote to us, so they unblocked the bot
    return user


async def _created(session: AsyncSession, identity: TelegramIdentity) -> User:
    user = User(telegram_id=identity.telegram_id, first_name=identity.first_name[:128], username=identity.username)
    session.add(user)
    await session.flush()
    return user


async def user_and_context(session: AsyncSession, identity: TelegramIdentity) -> tuple[User, ActiveContext | None]:
    """`get_or_create_user` and `active_context` together, in one query for a member of their active company
    (the common case: every update loads this)."""
    user, membership = await repo.user_with_active_membership(session, identity.telegram_id)
    refreshed = _refreshed(identity, user)
    if refreshed is None:
        return await _created(session, identity), None  # a new user has no company yet
    if membership is not None:
        return refreshed, ActiveContext(company=membership.company, membership=membership)
    return refreshed, await active_context(session, refreshed)


def set_language(user: User, language: str) -> None:
    if language not in SUPPORTED_LOCALES:
        raise ValidationFailed("error-unknown-language")
    user.language = language


@dataclass(frozen=True, slots=True)
class ActiveContext:
    company: Company
    membership: Membership

    @property
    def role(self) -> Role:
        return Role(self.membership.role)

    @property
    def branch_ids(self) -> frozenset[int] | None:
        """None means every branch of the company (the rule is services.permissions.branch_scope)."""
        return branch_scope(self.membership)


async def active_context(session: AsyncSession, user: User) -> ActiveContext | None:
    """The user's active company and role; falls back to their first membership when unset or gone."""
    if user.active_company_id is not None:
        membership = await repo.membership(session, user.id, user.active_company_id)
        if membership is not None:
            return ActiveContext(company=membership.company, membership=membership)
    memberships = await repo.memberships_of_user(session, user.id)
    if not memberships:
        if user.active_company_id is not None:
            user.active_company_id = None
        return None
    first = await repo.membership(session, user.id, memberships[0].company_id)
    if first is None:
        return None
    user.active_company_id = first.company_id
    return ActiveContext(company=first.company, membership=first)


async def switch_company(session: AsyncSession, user: User, company_id: int) -> Company:
    membership = await repo.membership(session, user.id, company_id)
    if membership is None:
        raise NotFound("error-not-your-company")
    user.active_company_id = company_id
    return membership.company

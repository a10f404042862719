"""What every update loads (the user, their active company and role in one query) and the report cache's books'
version (one query, memoized on the session until it writes or its transaction ends)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.base import utcnow
from db.books import ImportedDay
from db.models import Branch, Membership, Role
from services import companies
from services.reports.cache import books_version
from services.reports.periods import Period
from services.users import TelegramIdentity, active_context, get_or_create_user, user_and_context


def _identity(telegram_id: int, name: str = "U", username: str | None = None) -> TelegramIdentity:
    return TelegramIdentity(telegram_id, name, username, "en")


async def test_one_query_context_matches_the_two_step_one(
        session: AsyncSession, session_factory: async_sessionmaker[AsyncSession]) -> None:
    owner = await get_or_create_user(session, _identity(1))
    first = await companies.create_company(session, name="A", tin="111111111", owner=owner)
    second = await companies.create_company(session, name="B", tin="222222222", owner=owner)
    branch = Branch(company_id=second.id, name="Chilonzor")
    session.add(branch)
    await session.flush()
    cashier = await get_or_create_user(session, _identity(2))
    session.add(Membership(user_id=cashier.id, company_id=second.id, role=Role.CASHIER.value, branches=[branch]))
    cashier.active_company_id = second.id
    owner.active_company_id = first.id
    await session.commit()

    async with session_factory() as fresh:
        user, ctx = await user_and_context(fresh, _identity(2, "New name", "newname"))
        assert user.id == cashier.id and (user.first_name, user.username) == ("New name", "newname")
        assert ctx is not None and ctx.company.id == second.id and ctx.role is Role.CASHIER
        assert ctx.branch_ids == frozenset({branch.id})
        user, ctx = await user_and_context(fresh, _identity(1))
        assert ctx is not None and ctx.company.id == first.id and ctx.role is Role.OWNER and ctx.branch_ids is None
        expected = await active_context(fresh, user)
        assert expected is not None and expected.membership is ctx.membership


async def test_deleted_or_unset_active_company_falls_back(session: AsyncSession) -> None:
    owner = await get_or_create_user(session, _identity(1))
    first = await companies.create_company(session, name="A", tin="111111111", owner=owner)
    second = await companies.create_company(session, name="B", tin="222222222", owner=owner)
    owner.active_company_id = second.id
    second.deleted_at = utcnow()
    await session.commit()
    user, ctx = await user_and_context(session, _identity(1))
    assert ctx is not None and ctx.company.id == first.id and user.active_company_id == first.id

    user.active_company_id = None
    await session.commit()
    user, ctx = await user_and_context(session, _identity(1))
    assert ctx is not None and ctx.company.id == first.id

    stranger, ctx = await user_and_context(session, _identity(3, "Stranger"))
    assert ctx is None and stranger.id is not None and stranger.telegram_id == 3


async def test_books_version_is_read_once_and_forgotten_on_write(session: AsyncSession) -> None:
    owner = await get_or_create_user(session, _identity(1))
    company = await companies.create_company(session, name="A", tin="111111111", owner=owner)
    branch = Branch(company_id=company.id, name="Main")
    session.add(branch)
    await session.commit()
    today = date(2026, 3, 10)
    wide = Period(today - timedelta(days=13), today)
    before = await books_version(session, company.id, wide)
    # a narrower period inside the span is served by the same read
    assert await books_version(session, company.id, Period(today, today)) == before
    session.add(ImportedDay(company_id=company.id, branch_id=branch.id, business_day=today))
    await session.flush()  # the session wrote: what it read before is stale
    after = await books_version(session, company.id, Period(today, today))
    assert after != before
    await session.commit()
    # a new transaction reads again (others may have committed in between)
    assert session.info.get("reports.cache.books_versions") in (None, [])
    assert await books_version(session, company.id, Period(today, today)) == after

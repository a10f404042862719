"""/mysales through the emulator (issue 11, item 8): a member linked to a REGOS seller reads their own sales, equal
to the fake generator's figures for that seller; a day never imported (today, before the first sync of it) is named
as missing, not shown as zero; a member with no link is told whom to ask."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncEngine

from db.engine import create_session_factory
from db.models import Employee, Role
from sandbox.regos import FakeRegos
from sandbox.stack import RunningBot
from sandbox.telegram.client import SandboxClient
from services.locale import format_money
from tests.e2e.flows import settle
from tests.helpers import FakeRegosFactory, add_member, create_company, local_today
from tests.reports_support import expected_sellers, sync_from_fake

TODAY = local_today()
FAKE_START = TODAY - timedelta(days=8)


@pytest.fixture
async def fake(start_fake_regos: FakeRegosFactory) -> FakeRegos:
    # the rate limit stays on, wide enough for a test's backfill
    return await start_fake_regos(seed=52, start_date=FAKE_START, days=9, receipts_per_day=12, rate=200, burst=400)


async def test_a_linked_seller_sees_their_own_sales(running_bot: RunningBot, sandbox: SandboxClient,
                                                    engine: AsyncEngine, fake: FakeRegos) -> None:
    session_factory = create_session_factory(engine)
    async with session_factory() as session:
        company = await create_company(session, name="Baraka Savdo")
        await session.commit()
    yesterday = TODAY - timedelta(days=1)
    await sync_from_fake(session_factory, company.id, fake, FAKE_START, yesterday)  # today: not yet imported

    month_first = max(TODAY.replace(day=1), FAKE_START)
    sellers = {seller: figures for seller, figures in
               expected_sellers(fake.generator, month_first, yesterday).items() if seller is not None} \
        if month_first <= yesterday else {}
    seller_id, (receipts, net) = max(sellers.items(), key=lambda item: item[1][0]) if sellers else (
        next(user.id for user in fake.generator.users), (0, Decimal(0)))

    staff = await sandbox.create_user("Jasur", language_code="en")
    stranger = await sandbox.create_user("Aziz", language_code="en")
    await settle()
    async with session_factory() as session:
        user = await add_member(session, company.id, staff.id, Role.STAFF, language="en", first_name="Jasur")
        await add_member(session, company.id, stranger.id, Role.CASHIER, language="en", first_name="Aziz")
        await session.execute(update(Employee).where(
            Employee.company_id == company.id, Employee.regos_user_id == seller_id).values(user_id=user.id))
        await session.commit()

    await staff.send("/mysales")
    answer = await staff.expect("Your sales")
    assert "Today: not imported yet" in answer.text  # not "0 so'm"
    assert f"This month: {format_money(net, 'en')}, {receipts} receipt" in answer.text
    missing = (TODAY - TODAY.replace(day=1)).days + 1 - max(0, (yesterday - month_first).days + 1)
    if missing == 1:
        assert "1 day of this month is not imported yet" in answer.text
    else:
        assert f"{missing} days of this month are not imported yet" in answer.text

    await stranger.send("/mysales")
    refusal = await stranger.expect("not linked to a seller")
    assert "owner" in refusal.text

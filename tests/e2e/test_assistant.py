"""The assistant through the emulator, offline: free text in Uzbek, Russian and English answered with the sales
report's figures (company synced from a fake REGOS), and a cashier refused."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from db.engine import create_session_factory
from db.models import Role
from sandbox.regos import FakeRegos
from sandbox.stack import RunningBot
from sandbox.telegram.client import SandboxClient
from services.locale import format_money
from services.reports.periods import Period
from services.reports.sales import sales_report
from tests.e2e.flows import settle
from tests.helpers import FakeRegosFactory, add_member, create_company, local_today
from tests.reports_support import expected_totals, sync_from_fake


@pytest.fixture
async def fake(start_fake_regos: FakeRegosFactory) -> FakeRegos:
    return await start_fake_regos(seed=33, start_date=local_today() - timedelta(days=10), days=11,
                                  receipts_per_day=12, rate_limit=False)


async def test_questions_in_three_languages_and_a_refusal(running_bot: RunningBot, sandbox: SandboxClient,
                                                          engine: AsyncEngine, fake: FakeRegos) -> None:
    session_factory = create_session_factory(engine)
    async with session_factory() as session:
        company = await create_company(session, name="Baraka Savdo")
        await session.commit()
    seeded = await sync_from_fake(session_factory, company.id, fake)
    today = local_today()
    yesterday = today - timedelta(days=1)
    users = {}
    for telegram_name, role, language in (("Owner", Role.OWNER, "uz"), ("Boss", Role.OWNER, "ru"),
                                          ("Chief", Role.OWNER, "en"), ("Kassir", Role.CASHIER, "en")):
        user = await sandbox.create_user(telegram_name, language_code=language)
        users[telegram_name] = user
        await settle()
        async with session_factory() as session:
            await add_member(session, seeded.company_id, user.id, role, language=language, first_name=telegram_name)
            await session.commit()

    truth = expected_totals(fake.generator, yesterday, yesterday)
    await users["Owner"].send("kecha qancha savdo boʻldi")
    uz = await users["Owner"].expect("Sof savdo")
    assert f"Sof savdo: {format_money(truth.total_net, 'uz')}" in uz.text

    async with session_factory() as session:
        day = await sales_report(session, seeded.company_id, Period(yesterday, yesterday), compare=False)
        month = await sales_report(session, seeded.company_id, Period(today.replace(day=1), today), compare=False)
    weakest = min((b for b in day.branches if b.branch_id is not None), key=lambda b: (b.totals.net_sales,
                                                                                        -(b.branch_id or 0)))
    await users["Boss"].send("какой филиал вчера продал меньше всех")
    ru = await users["Boss"].expect("Филиалы с наименьшими продажами")
    assert f"1. {weakest.name}: {format_money(weakest.totals.net_sales, 'ru')}" in ru.text

    await users["Chief"].send("top 5 products this month")
    en = await users["Chief"].expect("Top products")
    for place, product in enumerate(month.products[:5], 1):
        assert f"{place}. {product.name}: {format_money(product.amount, 'en')}" in en.text

    await users["Kassir"].send("/ask payroll this month")
    refusal = await users["Kassir"].expect("owner")
    assert "Top products" not in refusal.text

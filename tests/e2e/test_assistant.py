"""The assistant through the emulator, offline: free text in Uzbek, Russian and English answered with the sales
report's figures (company synced from a fake REGOS), a cashier refused; a follow-up, 👍/👎 with a reason, /ailog,
/forecast with its chart, /advice, and a question not understood answered with example buttons."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from db.engine import create_session_factory
from db.models import Role
from sandbox.regos import FakeRegos
from sandbox.stack import RunningBot
from sandbox.telegram.client import SandboxClient
from services.ai import assistant
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


@pytest.fixture
async def long_fake(start_fake_regos: FakeRegosFactory) -> FakeRegos:
    return await start_fake_regos(seed=34, start_date=local_today() - timedelta(days=35), days=36,
                                  receipts_per_day=10, rate_limit=False)


async def test_follow_up_feedback_forecast_and_advice(running_bot: RunningBot, sandbox: SandboxClient,
                                                      engine: AsyncEngine, long_fake: FakeRegos) -> None:
    session_factory = create_session_factory(engine)
    async with session_factory() as session:
        company = await create_company(session, name="Baraka Savdo")
        await session.commit()
    seeded = await sync_from_fake(session_factory, company.id, long_fake)
    owner = await sandbox.create_user("Owner", language_code="en")
    await settle()
    async with session_factory() as session:
        await add_member(session, seeded.company_id, owner.id, Role.OWNER, language="en", first_name="Owner")
        await session.commit()
    today = local_today()
    yesterday, before = today - timedelta(days=1), today - timedelta(days=2)

    await owner.send("sales yesterday")
    first = await owner.expect("Net sales")
    assert format_money(expected_totals(long_fake.generator, yesterday, yesterday).total_net, "en") in first.text
    assert first.button_texts == ["👍", "👎"]
    await owner.send("and the day before yesterday?")  # a follow-up: the same question for another day
    follow = await owner.expect("Net sales")
    assert format_money(expected_totals(long_fake.generator, before, before).total_net, "en") in follow.text

    answer = await owner.press("👎", message_id=follow.message_id)
    assert answer is not None and "What was wrong" in (answer.get("text") or "")
    await owner.press("Wrong figure", message_id=follow.message_id)
    await owner.press("👍", message_id=first.message_id)
    await settle()
    async with session_factory() as session:
        rows = {r.question: (r.feedback, r.reason) for r in await assistant.recent(session, seeded.company_id)}
    assert rows["sales yesterday"] == (1, None)
    assert rows["and the day before yesterday?"] == (-1, "wrong")

    await owner.send("/ailog")
    log = await owner.expect("Assistant log")
    assert "👎 Wrong figure" in log.text and "sales_summary" in log.text

    await owner.send("/forecast next 7 days")
    forecast = await owner.expect("Forecast")
    assert "Likely between" in forecast.text and "Holt-Winters" in forecast.text
    chart = await owner.expect(predicate=lambda m: bool(m.get("photo")))
    assert chart.get("photo")

    await owner.send("/advice")
    advice = await owner.expect("Advice")
    assert "demand over the last" in advice.text

    await owner.send("asdkjh qwe")
    unknown = await owner.expect("did not understand")
    assert "sales yesterday" in unknown.button_texts
    await owner.press("sales yesterday", message_id=unknown.message_id)
    again = await owner.expect("Net sales")
    assert format_money(expected_totals(long_fake.generator, yesterday, yesterday).total_net, "en") in again.text

    await owner.send("kecha " * 680)  # the longest text Telegram carries: answered (cut to 1,000), not an error
    assert format_money(expected_totals(long_fake.generator, yesterday, yesterday).total_net, "uz") in (
        await owner.expect("Sof savdo")).text  # asked in Uzbek, answered in Uzbek

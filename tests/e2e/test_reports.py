"""/sales and /today through the emulator, on a company synced (services.sync) from a fake REGOS started here:
the figures a user reads equal the fake generator's own totals; exports arrive as documents; refusals hold."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from sqlalchemy.ext.asyncio import AsyncEngine

from db.engine import create_session_factory
from db.models import Role
from sandbox.regos import FakeRegos
from sandbox.stack import RunningBot
from sandbox.telegram.client import SandboxClient, SandboxMessage, SandboxUser
from services.locale import format_money, format_number
from tests.e2e.flows import settle
from tests.helpers import FakeRegosFactory, add_member, create_company, local_today
from tests.reports_support import SeededCompany, expected_totals, sync_from_fake

DAY_ZERO = date(2000, 1, 1)


@pytest.fixture
async def fake(start_fake_regos: FakeRegosFactory) -> FakeRegos:
    return await start_fake_regos(seed=31, start_date=local_today() - timedelta(days=16), days=17,
                                  receipts_per_day=16, rate_limit=False)


async def synced_company(engine: AsyncEngine, fake: FakeRegos, name: str = "Baraka <Savdo>") -> SeededCompany:
    session_factory = create_session_factory(engine)
    async with session_factory() as session:
        company = await create_company(session, name=name)
        await session.commit()
    return await sync_from_fake(session_factory, company.id, fake)


async def join(engine: AsyncEngine, company_id: int, user: SandboxUser, role: Role, language: str,
               branch_ids: list[int] | None = None) -> None:
    await settle()
    async with create_session_factory(engine)() as session:
        await add_member(session, company_id, user.id, role, language=language, first_name=user.first_name,
                         branch_ids=branch_ids or ())
        await session.commit()


def is_document(message: SandboxMessage) -> bool:
    return bool(message.get("document"))


def is_photo(message: SandboxMessage) -> bool:
    return bool(message.get("photo"))


async def test_owner_reads_last_week_and_gets_the_files(running_bot: RunningBot, sandbox: SandboxClient,
                                                        engine: AsyncEngine, fake: FakeRegos) -> None:
    seeded = await synced_company(engine, fake)
    owner = await sandbox.create_user("Dilnoza", language_code="en")
    await join(engine, seeded.company_id, owner, Role.OWNER, "en")
    today = local_today()
    monday = today - timedelta(days=today.weekday() + 7)
    truth = expected_totals(fake.generator, monday, monday + timedelta(days=6))

    await owner.send("/sales")
    await owner.expect("Choose the period")
    await owner.press("Last week")
    await owner.expect("Which branches?")
    await owner.press("All branches")
    report = await owner.expect("Net sales")
    assert report.edited  # the picker became the report
    assert f"Net sales: {format_money(truth.total_net, 'en')}" in report.text
    assert f"Receipts: {format_number(truth.sale_count, 'en')}" in report.text
    assert f"Returns: {format_money(truth.retail_returns, 'en')} ({truth.return_count})" in report.text
    assert "Baraka <Savdo>" in report.text and "Baraka &lt;Savdo&gt;" in (report.html or "")
    assert "By payment type" in report.text and "Top products" in report.text and "Top sellers" in report.text
    for stock in fake.generator.stocks:
        branch_truth = expected_totals(fake.generator, monday, monday + timedelta(days=6), stock_ids=[stock.id])
        assert f"{stock.name}: {format_money(branch_truth.total_net, 'en')}" in report.text
    chart = await owner.expect(predicate=is_photo)
    assert "Net sales by day" in chart.text

    calls_before = len(await sandbox.calls("sendChatAction"))
    answer = await owner.press("📗 Excel", message_id=report.message_id)
    assert answer and "Preparing" in answer["text"]
    excel = await owner.expect(predicate=is_document)
    assert excel["document"]["file_name"].endswith(".xlsx") and "Baraka <Savdo>" in excel.text
    workbook = load_workbook(io.BytesIO(await sandbox.download(excel)))
    summary = {row[0]: row[1] for row in workbook["Summary"].iter_rows(min_row=2, values_only=True) if row[0]}
    assert Decimal(str(summary["Net sales"])) == truth.total_net and summary["Receipts"] == truth.sale_count
    actions = (await sandbox.calls("sendChatAction"))[calls_before:]
    assert any("upload_document" in str(call) for call in actions)

    await owner.press("📄 CSV", message_id=report.message_id)
    csv_file = await owner.expect(predicate=is_document)
    rows = list(csv.reader(io.StringIO((await sandbox.download(csv_file)).decode("utf-8-sig"))))
    net_row = next(row for row in rows if row[:1] == ["Net sales"])
    assert net_row[1] == f"{truth.total_net:.2f}"
    await owner.press("📕 PDF", message_id=report.message_id)
    pdf = await owner.expect(predicate=is_document)
    assert pdf["document"]["file_name"].endswith(".pdf")
    assert (await sandbox.download(pdf)).startswith(b"%PDF-")

    # /today in Russian: today's figures, straight away
    await join_language(engine, owner, "ru")
    await owner.send("/today")
    today_report = await owner.expect(predicate=lambda message: not is_photo(message))
    today_truth = fake.generator.day_totals(today)  # the fake reveals receipts up to its clock: maybe none yet
    if today_truth.sale_count:
        assert f"Чистые продажи: {format_money(today_truth.total_net, 'ru')}" in today_report.text
    else:
        assert "продаж нет" in today_report.text, today_report.text


async def join_language(engine: AsyncEngine, user: SandboxUser, language: str) -> None:
    from sqlalchemy import update

    from db.models import User

    await settle()
    async with create_session_factory(engine)() as session:
        await session.execute(update(User).where(User.telegram_id == user.id).values(language=language))
        await session.commit()


async def test_custom_dates_branch_choice_and_a_range_over_a_year(
    running_bot: RunningBot, sandbox: SandboxClient, engine: AsyncEngine, fake: FakeRegos
) -> None:
    seeded = await synced_company(engine, fake)
    accountant = await sandbox.create_user("Gulnora", language_code="uz")
    await join(engine, seeded.company_id, accountant, Role.ACCOUNTANT, "uz")
    first = fake.generator.config.start_date + timedelta(days=2)
    last = first + timedelta(days=9)

    await accountant.send("/sales")
    await accountant.expect("Davrni tanlang")
    await accountant.press("📅 Boshqa sanalar")
    await accountant.expect("Sanalarni yuboring")
    await accountant.send("31.02.2026")
    await accountant.expect("Bunday sana yoʻq: 31.02.2026")
    await accountant.send(f"{last:%d.%m.%Y} - {first:%d.%m.%Y}")
    await accountant.expect("boshlanishidan")
    await accountant.send("ertaga")
    await accountant.expect("sana sifatida oʻqiy olmadim")
    await accountant.send(f"{first:%d.%m}-{last:%d.%m}")
    await accountant.expect("Qaysi filiallar?")
    stock = fake.generator.stocks[1]
    await accountant.press(stock.name)
    report = await accountant.expect("Sof savdo")
    truth = expected_totals(fake.generator, first, last, stock_ids=[stock.id])
    assert f"Sof savdo: {format_money(truth.total_net, 'uz')}" in report.text
    assert f"Cheklar: {format_number(truth.sale_count, 'uz')}" in report.text
    assert stock.name in report.text.splitlines()[1]

    await accountant.send("/sales")
    await accountant.expect("Davrni tanlang")
    await accountant.press("📅 Boshqa sanalar")
    await accountant.expect("Sanalarni yuboring")
    await accountant.send(f"1.1.2025-{last:%d.%m.%Y}")
    await accountant.expect("Qaysi filiallar?")
    await accountant.press("Barcha filiallar")
    await accountant.expect("Excel fayl sifatida")
    document = await accountant.expect(predicate=is_document)
    workbook = load_workbook(io.BytesIO(await sandbox.download(document)))
    summary = {row[0]: row[1] for row in workbook["Jami"].iter_rows(min_row=2, values_only=True) if row[0]}
    expected = expected_totals(fake.generator, fake.generator.config.start_date, last)
    assert Decimal(str(summary["Sof savdo"])) == expected.total_net


async def test_refusals_roles_forged_branches_and_companies_without_data(
    running_bot: RunningBot, sandbox: SandboxClient, engine: AsyncEngine, fake: FakeRegos
) -> None:
    seeded = await synced_company(engine, fake)
    branches = [seeded.branch_by_stock[stock.id] for stock in fake.generator.stocks]
    owner = await sandbox.create_user("Dilnoza", language_code="en")
    manager = await sandbox.create_user("Rustam", language_code="ru")
    cashier = await sandbox.create_user("Malika", language_code="en")
    await join(engine, seeded.company_id, owner, Role.OWNER, "en")
    await join(engine, seeded.company_id, manager, Role.MANAGER, "ru", branch_ids=[branches[0]])
    await join(engine, seeded.company_id, cashier, Role.CASHIER, "en")
    async with create_session_factory(engine)() as session:
        empty = await create_company(session, name="Yangi Do'kon", tin="222222222")
        await session.commit()
    newcomer = await sandbox.create_user("Bekzod", language_code="en")
    await join(engine, empty.id, newcomer, Role.OWNER, "en")

    # a cashier may not read reports, by command or by a pressed (forged) button
    await cashier.send("/sales")
    refused = await cashier.expect("Your role does not allow this")
    assert "It is for: owner, manager, accountant" in refused.text  # whom to ask, from the permission table
    await cashier.send("/today")
    refusal = await cashier.expect("Your role does not allow this")
    answer = await cashier.press(data=f"rpb:{seeded.company_id}:custom:9000:9010:0", message_id=refusal.message_id,
                                 forge=True)
    assert answer and answer["show_alert"] and "role does not allow" in answer["text"]

    # a branch manager sees only their branch: no branch picker, their figures
    today = local_today()
    await manager.send("/sales")
    await manager.expect("Выберите период")
    await manager.press("Вчера")
    report = await manager.expect("Чистые продажи")
    truth = expected_totals(fake.generator, today - timedelta(days=1), today - timedelta(days=1), stock_ids=[1])
    assert f"Чистые продажи: {format_money(truth.total_net, 'ru')}" in report.text
    day = (today - timedelta(days=1) - DAY_ZERO).days
    for forged in (f"rpb:{seeded.company_id}:yesterday:{day}:{day}:{branches[1]}",
                   f"rpx:{seeded.company_id}:yesterday:{day}:{day}:{branches[2]}:xlsx"):
        answer = await manager.press(data=forged, message_id=report.message_id, forge=True)
        assert answer and answer["show_alert"] and "недоступен" in answer["text"], forged

    # the owner presses buttons carrying another company's branch, another company, or nonsense dates
    await owner.send("/sales")
    picker = await owner.expect("Choose the period")
    foreign_branch = 10_000
    for forged, expected in (
        (f"rpb:{seeded.company_id}:yesterday:{day}:{day}:{foreign_branch}", "not one you may see"),
        (f"rpx:{seeded.company_id}:yesterday:{day}:{day}:{foreign_branch}:pdf", "not one you may see"),
        (f"rpb:{empty.id}:yesterday:{day}:{day}:0", "made for another company"),
        (f"rpp:{empty.id}:today", "made for another company"),
        (f"rpb:{seeded.company_id}:yesterday:{day}:{day - 5}:0", "out of date"),
        (f"rpb:{seeded.company_id}:forever:{day}:{day}:0", "out of date"),
        (f"rpx:{seeded.company_id}:yesterday:{day}:{day}:0:doc", "out of date"),
    ):
        answer = await owner.press(data=forged, message_id=picker.message_id, forge=True)
        assert answer and answer["show_alert"] and expected in answer["text"], forged
    await owner.expect_no_message(timeout=0.5)

    # a company that never synced is told how to connect REGOS
    await newcomer.send("/today")
    told = await newcomer.expect("There are no sales")
    assert "/regos" in told.text and "Yangi Do'kon" in told.text
    await newcomer.send("/sales")
    await newcomer.expect("/regos")

"""Exports, missing days and approved expenses through the emulator (issues 11 and 12): /sales → a file button →
the document arrives with a name that tells company, branches and period apart and the generator's own figures;
a day never imported is named in the report and marked in every file, and there is a button to import it;
approved expenses (only approved ones) appear in /sales and in the daily summary, with the cash line."""

from __future__ import annotations

import asyncio
import csv
import importlib.util
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.jobs.summaries import DailySummaryTask
from bot.scheduler import Scheduler
from db.books import ImportedDay
from db.engine import create_session_factory
from db.finance import CashMovement, CashRegister, Expense, ExpenseCategory, ExpenseStatus, MovementKind
from db.models import Role
from db.regos_data import RegosConnection
from sandbox.regos import FakeRegos
from sandbox.stack import RunningBot
from sandbox.telegram.client import SandboxClient, SandboxMessage, SandboxUser
from services.crypto import SecretBox
from services.locale import format_date, format_money, format_number
from services.sync import SyncOptions, sync_company
from tests.e2e.flows import scalar, settle
from tests.helpers import FakeRegosFactory, add_member, at_local, create_company
from tests.reports_support import SeededCompany, expected_totals, sync_from_fake
from tests.sync_support import fast_client

START = date(2026, 11, 9)  # a Monday, long past
FIRST, LAST = date(2026, 11, 16), date(2026, 11, 22)  # the week reported
GAP = date(2026, 11, 19)  # never imported
PDFIUM = importlib.util.find_spec("pypdfium2") is not None


@pytest.fixture
async def fake(start_fake_regos: FakeRegosFactory) -> FakeRegos:
    # the rate limit stays on (REGOS's 8213 past it), wide enough that a test's backfill is not throttled to 2/s
    return await start_fake_regos(seed=41, start_date=START, days=14, receipts_per_day=12, rate=200, burst=400)


async def company_with_a_gap(engine: AsyncEngine, fake: FakeRegos) -> SeededCompany:
    """Synced as the bot does, except one day that was never imported."""
    session_factory = create_session_factory(engine)
    async with session_factory() as session:
        company = await create_company(session, name="Baraka Savdo")
        await session.commit()
    seeded = await sync_from_fake(session_factory, company.id, fake, START, GAP - timedelta(days=1))
    client = fast_client(fake)
    try:
        result = await sync_company(session_factory, company.id, date_from=GAP + timedelta(days=1),
                                    date_to=START + timedelta(days=13), trigger="cli", client=client,
                                    options=SyncOptions(archive=False, refresh_stock_levels=False, reconcile=False))
    finally:
        await client.aclose()
    assert result.failure is None, result
    return seeded


async def hand_over_key(bot: RunningBot, fake: FakeRegos) -> None:
    """The connection made with the tests' key box, re-sealed with the bot's own (its summary job syncs first)."""
    box = SecretBox(bot.app.settings.require_secret_key())
    async with bot.app.session_factory() as session:
        await session.execute(update(RegosConnection).values(key_encrypted=box.encrypt(fake.default_key)))
        await session.commit()


async def join(engine: AsyncEngine, company_id: int, user: SandboxUser, role: Role, language: str) -> None:
    await settle()
    async with create_session_factory(engine)() as session:
        await add_member(session, company_id, user.id, role, language=language, first_name=user.first_name)
        await session.commit()


def is_document(message: SandboxMessage) -> bool:
    return bool(message.get("document"))


async def ask_week(owner: SandboxUser, *, all_branches: str = "All branches") -> SandboxMessage:
    await owner.send("/sales")
    await owner.expect("Choose the period")
    await owner.press("📅 Other dates")
    await owner.expect("Send the dates")
    await owner.send(f"{FIRST:%d.%m.%Y}-{LAST:%d.%m.%Y}")
    await owner.expect("Which branches?")
    await owner.press(all_branches)
    return await owner.expect("Net sales")


async def test_sales_export_names_figures_and_missing_day(running_bot: RunningBot, sandbox: SandboxClient,
                                                          engine: AsyncEngine, fake: FakeRegos) -> None:
    seeded = await company_with_a_gap(engine, fake)
    owner = await sandbox.create_user("Dilnoza", language_code="en")
    await join(engine, seeded.company_id, owner, Role.OWNER, "en")
    before_gap = expected_totals(fake.generator, FIRST, GAP - timedelta(days=1))
    after_gap = expected_totals(fake.generator, GAP + timedelta(days=1), LAST)
    known_net = before_gap.total_net + after_gap.total_net  # the days the books hold
    known_receipts = before_gap.sale_count + after_gap.sale_count

    report = await ask_week(owner)
    gap_text = format_date(GAP, "en")
    assert f"1 day of this period is not imported yet ({gap_text})" in report.text
    assert f"Net sales: {format_money(known_net, 'en')}" in report.text
    assert f"Receipts: {format_number(known_receipts, 'en')}" in report.text
    assert "▲" not in report.text and "▼" not in report.text  # six days against seven would be no change at all
    # the button that imports them (handled by the /sync router), carrying exactly the missing days
    data = report.button("📥 Import the missing days")["callback_data"]
    assert data == f"imd:{seeded.company_id}:{GAP.toordinal()}:{GAP.toordinal()}"

    await owner.press("📄 CSV", message_id=report.message_id)
    csv_file = await owner.expect(predicate=is_document)
    assert csv_file["document"]["file_name"] == f"sales_Baraka-Savdo_all_{FIRST:%Y%m%d}-{LAST:%Y%m%d}.csv"
    rows = list(csv.reader(io.StringIO((await sandbox.download(csv_file)).decode("utf-8-sig"))))
    assert next(row for row in rows if row[:1] == ["Net sales"])[1] == f"{known_net:.2f}"
    assert [GAP.isoformat(), "not imported", "", "", "", "", "", ""] in rows
    for day in (FIRST, LAST):
        truth = expected_totals(fake.generator, day, day)
        assert next(row for row in rows if row[:1] == [day.isoformat()])[-1] == f"{truth.total_net:.2f}"

    await owner.press("📗 Excel", message_id=report.message_id)
    excel = await owner.expect(predicate=is_document)
    assert excel["document"]["file_name"] == f"sales_Baraka-Savdo_all_{FIRST:%Y%m%d}-{LAST:%Y%m%d}.xlsx"
    workbook = load_workbook(io.BytesIO(await sandbox.download(excel)))
    summary = {row[0]: row[1] for row in workbook["Summary"].iter_rows(min_row=2, values_only=True) if row[0]}
    assert Decimal(str(summary["Net sales"])) == known_net and summary["Receipts"] == known_receipts
    by_day = {row[0].date(): row[1] for row in workbook["By day"].iter_rows(min_row=2, values_only=True)
              if hasattr(row[0], "date")}
    assert by_day[GAP] == "not imported" and by_day[FIRST] == expected_totals(fake.generator, FIRST, FIRST).sale_count

    await owner.press("📕 PDF", message_id=report.message_id)
    pdf = await owner.expect(predicate=is_document)
    assert pdf["document"]["file_name"].endswith(f"{FIRST:%Y%m%d}-{LAST:%Y%m%d}.pdf")
    content = await sandbox.download(pdf)
    assert content.startswith(b"%PDF-")
    if PDFIUM:
        import pypdfium2

        document = pypdfium2.PdfDocument(content)
        text = "\n".join(document[index].get_textpage().get_text_range() for index in range(len(document)))
        assert "not imported" in text and format_money(known_net, "en") in text

    # one branch's file: another name, that branch's figures
    stock = fake.generator.stocks[0]
    branch_id = seeded.branch_by_stock[stock.id]
    branch_report = await ask_week(owner, all_branches=stock.name)
    await owner.press("📄 CSV", message_id=branch_report.message_id)
    branch_csv = await owner.expect(predicate=is_document)
    name = branch_csv["document"]["file_name"]
    assert name.startswith("sales_Baraka-Savdo_") and f"-{branch_id}_{FIRST:%Y%m%d}" in name and "_all_" not in name
    branch_rows = list(csv.reader(io.StringIO((await sandbox.download(branch_csv)).decode("utf-8-sig"))))
    branch_truth = (expected_totals(fake.generator, FIRST, GAP - timedelta(days=1), stock_ids=[stock.id]).total_net
                    + expected_totals(fake.generator, GAP + timedelta(days=1), LAST, stock_ids=[stock.id]).total_net)
    assert next(row for row in branch_rows if row[:1] == ["Net sales"])[1] == f"{branch_truth:.2f}"

    # an accountant reads the warning but gets no import button (a sync is for owners and managers)
    accountant = await sandbox.create_user("Gulnora", language_code="en")
    await join(engine, seeded.company_id, accountant, Role.ACCOUNTANT, "en")
    accountant_report = await ask_week(accountant)
    assert "not imported yet" in accountant_report.text
    assert "📥 Import the missing days" not in accountant_report.button_texts

    # the owner presses the button: the day is imported, and the report is whole
    await hand_over_key(running_bot, fake)
    await owner.press("📥 Import the missing days", message_id=report.message_id)
    for _ in range(100):
        if await scalar(engine, select(func.count()).select_from(ImportedDay).where(
                ImportedDay.company_id == seeded.company_id, ImportedDay.business_day == GAP)):
            break
        await asyncio.sleep(0.2)
    await settle()
    whole = await ask_week(owner)
    full = expected_totals(fake.generator, FIRST, LAST)
    assert "not imported" not in whole.text and f"Net sales: {format_money(full.total_net, 'en')}" in whole.text
    assert "📥 Import the missing days" not in whole.button_texts


async def test_only_approved_expenses_reach_sales_and_the_summary(
        running_bot: RunningBot, sandbox: SandboxClient, engine: AsyncEngine, fake: FakeRegos) -> None:
    seeded = await company_with_a_gap(engine, fake)
    owner = await sandbox.create_user("Dilnoza", language_code="en")
    await join(engine, seeded.company_id, owner, Role.OWNER, "en")
    day = LAST
    branch = seeded.branch_by_stock[fake.generator.stocks[0].id]
    async with create_session_factory(engine)() as session:
        rent = ExpenseCategory(company_id=seeded.company_id, code="rent")
        session.add(rent)
        await session.flush()
        for amount, status in (("180000", ExpenseStatus.APPROVED), ("4444444", ExpenseStatus.REJECTED),
                               ("3333333", ExpenseStatus.PENDING), ("2222222", ExpenseStatus.WITHDRAWN)):
            session.add(Expense(company_id=seeded.company_id, branch_id=branch, category_id=rent.id,
                                amount=Decimal(amount), spent_on=day, status=status))
        register = CashRegister(company_id=seeded.company_id, branch_id=branch, name="Kassa 1")
        session.add(register)
        await session.flush()
        session.add(CashMovement(company_id=seeded.company_id, register_id=register.id, kind=MovementKind.DEPOSIT,
                                 amount=Decimal("650000"), business_day=day))
        await session.commit()
    approved = format_money(Decimal("180000"), "en")
    refused = [format_money(Decimal(a), "en") for a in ("4444444", "3333333", "2222222")]

    report = await ask_week(owner)
    assert "Approved expenses" in report.text and f"Rent: {approved} (1)" in report.text
    assert f"Expenses in total: {approved} (1 expense)" in report.text
    net = expected_totals(fake.generator, FIRST, GAP - timedelta(days=1)).total_net + expected_totals(
        fake.generator, GAP + timedelta(days=1), LAST).total_net
    assert f"Net sales after expenses: {format_money(net - Decimal('180000'), 'en')}" in report.text
    assert not any(amount in report.text for amount in refused)

    await hand_over_key(running_bot, fake)
    ticker = Scheduler(running_bot.app.job_context(), [DailySummaryTask()], owner="t")
    assert ("summary_daily", "ran") in [(r.task, r.status) for r in await ticker.tick(at_local(day, 21, 0))]
    summary = await owner.expect("daily summary", timeout=20)
    day_net = expected_totals(fake.generator, day, day).total_net
    assert f"Rent: {approved} (1)" in summary.text
    assert f"Net sales after expenses: {format_money(day_net - Decimal('180000'), 'en')}" in summary.text
    assert f"In the cash registers: {format_money(Decimal('650000'), 'en')}" in summary.text
    assert not any(amount in summary.text for amount in refused)


async def test_summary_of_a_day_after_a_gap_makes_no_false_comparison(
        running_bot: RunningBot, sandbox: SandboxClient, engine: AsyncEngine, fake: FakeRegos) -> None:
    seeded = await company_with_a_gap(engine, fake)
    owner = await sandbox.create_user("Dilnoza", language_code="ru")
    await join(engine, seeded.company_id, owner, Role.OWNER, "ru")
    day = GAP + timedelta(days=1)  # the day before it was never imported
    await owner.send("/help")  # a chat with the bot, as every recipient has
    await owner.expect()
    await hand_over_key(running_bot, fake)
    ticker = Scheduler(running_bot.app.job_context(), [DailySummaryTask()], owner="t")
    assert ("summary_daily", "ran") in [(r.task, r.status) for r in await ticker.tick(at_local(day, 21, 0))]
    summary = await owner.expect("Чистые продажи", timeout=20)
    truth = expected_totals(fake.generator, day, day)
    assert f"Чистые продажи: {format_money(truth.total_net, 'ru')}" in summary.text
    assert f"без сравнения с {format_date(GAP, 'ru')}: этот день не загружен" in summary.text
    assert "к предыдущему дню" not in summary.text
    assert "по сравнению с" in summary.text  # the same weekday a week before is imported
    button = summary.button("📥 Загрузить недостающие дни")  # through the outbox, for the /sync router
    assert button["callback_data"] == f"imd:{seeded.company_id}:{GAP.toordinal()}:{GAP.toordinal()}"

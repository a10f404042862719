"""/tax through the emulator: last month's report card with hand-checked figures, Excel and PDF documents, ready
through the approval engine, uploaded and filed once the owner confirms (the engine again); a month with days not
imported shows no figure and cannot be marked ready; bad months, an e-invoice register of another buyer and a cashier
refused; deadline reminders exactly once across two schedulers with a controllable clock."""

from __future__ import annotations

import asyncio
import io
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pypdfium2 as pdfium
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.jobs.tax import TaxReminderTask
from bot.scheduler import Scheduler
from db.approvals import ApprovalRequest
from db.engine import create_session_factory
from db.models import AuditLog, CompanyTaxRegime, Role, TaxRegime
from db.payroll import PayrollRun, RunKind, RunStatus
from db.regos_data import DailySales, SyncRun, SyncRunStatus
from db.tax import TaxReport
from sandbox.stack import RunningBot
from sandbox.telegram.client import SandboxClient, SandboxUser
from services.locale import format_money
from services.tax.periods import month_last, previous_month
from tests.e2e.flows import rows, scalar, settle
from tests.helpers import add_member, create_company, local_today

D = Decimal


def pdf_text(data: bytes) -> str:
    document = pdfium.PdfDocument(data)
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()


async def vat_company(engine: AsyncEngine, owner: SandboxUser, accountant: SandboxUser, month: date,
                      *, cashier: SandboxUser | None = None) -> int:
    """A VAT payer since 2025 with last month imported: 2 240 000 retail (VAT 240 000) and an approved payroll
    of 5 000 000 (PIT 600 000, social tax 600 000)."""
    await settle()
    async with create_session_factory(engine)() as session:
        company = await create_company(session, name="Oila Market", tin="301234567")
        session.add(CompanyTaxRegime(company_id=company.id, regime=TaxRegime.VAT.value,
                                     effective_from=date(2025, 1, 1)))
        await add_member(session, company.id, owner.id, Role.OWNER, first_name=owner.first_name)
        await add_member(session, company.id, accountant.id, Role.ACCOUNTANT, first_name=accountant.first_name)
        if cashier is not None:
            await add_member(session, company.id, cashier.id, Role.CASHIER, first_name=cashier.first_name)
        session.add(SyncRun(company_id=company.id, trigger="cli", window_from=month, window_to=month_last(month),
                            status=SyncRunStatus.OK))
        session.add(DailySales(company_id=company.id, business_day=month.replace(day=10), receipts=5,
                               retail_gross=D(2_352_000), retail_returns=D(112_000), retail_net=D(2_240_000),
                               wholesale_net=D(0)))
        session.add(PayrollRun(company_id=company.id, month=month, kind=RunKind.MONTHLY, version=1,
                               status=RunStatus.APPROVED,
                               totals={"gross": "5000000.00", "pit": "600000.00", "pit_budget": "595000.00",
                                       "inps": "5000.00", "social_tax": "600000.00", "employees": 1}))
        await session.commit()
        return company.id


async def test_tax_card_documents_ready_and_filed(running_bot: RunningBot, sandbox: SandboxClient,
                                                  engine: AsyncEngine) -> None:
    owner = await sandbox.create_user("Dilnoza", language_code="en")
    accountant = await sandbox.create_user("Kamola", language_code="en")
    month = previous_month(local_today().replace(day=1))
    company_id = await vat_company(engine, owner, accountant, month)
    await owner.send("/help")
    await owner.expect()

    await accountant.send("/tax")
    await accountant.expect("Which month's taxes?")
    await accountant.press("Last month")
    card = await accountant.expect("Taxes — Oila Market")
    assert card.edited and f"{month:%Y-%m}" in card.text and "TIN: 301234567" in card.text
    assert f"VAT: {format_money(D(240_000), 'en')}" in card.text  # 2 240 000 × 12/112
    assert f"PIT: {format_money(D(600_000), 'en')}" in card.text
    assert f"Social tax: {format_money(D(600_000), 'en')}" in card.text
    assert f"Tax due: {format_money(D(1_440_000), 'en')}" in card.text
    assert "Status: draft" in card.text and "Deadlines:" in card.text

    await accountant.press("Excel", message_id=card.message_id)
    excel = await accountant.expect(predicate=lambda m: bool(m.get("document")))
    assert excel["document"]["file_name"] == f"tax_301234567_{month:%Y-%m}.xlsx"
    book = load_workbook(io.BytesIO(await accountant.download(excel)))
    sheet = book["Report"]
    values = {row[1]: row[2] for row in sheet.iter_rows(values_only=True) if row and len(row) > 2}
    assert values["VAT payable"] == D("240000.00") and values["PIT"] == D("600000.00")
    assert "Sales by day" in book.sheetnames and book["Sales by day"].max_row == 2

    await accountant.press("PDF", message_id=card.message_id)
    pdf = await accountant.expect(predicate=lambda m: bool(m.get("document")) and
                                  m["document"]["file_name"].endswith(".pdf"))
    text = pdf_text(await accountant.download(pdf))
    for figure in ("VAT calculation", "301234567", "240 000", "600 000", "5 000"):
        assert figure in text, figure

    await accountant.press("Mark ready (for approval)", message_id=card.message_id)
    pending = await accountant.expect("waiting for approval")
    assert "Mark ready (for approval)" not in pending.button_texts
    await running_bot.app.outbox.send_due()
    approval = await owner.expect(f"Tax report {month:%Y-%m}")
    await owner.press("✅ Approve", message_id=approval.message_id)
    await settle()
    assert await rows(engine, select(TaxReport.status)) == [("ready",)]

    await accountant.send("/tax")
    await accountant.expect("Which month's taxes?")
    await accountant.press("Last month")
    ready = await accountant.expect("ready to file")
    await accountant.press("Uploaded to my.soliq.uz", message_id=ready.message_id)
    uploaded = await accountant.expect("waiting for the owner to confirm the filing")
    assert "Uploaded to my.soliq.uz" not in uploaded.button_texts
    await settle()
    assert await rows(engine, select(TaxReport.status)) == [("filing",)]
    # "filed" is a decision too: the owner confirms it on the engine's card
    await running_bot.app.outbox.send_due()
    confirm = await owner.expect("uploaded to my.soliq.uz: confirm it is filed")
    await owner.press("✅ Approve", message_id=confirm.message_id)
    await settle()
    assert await rows(engine, select(TaxReport.status)) == [("filed",)]
    await accountant.send("/tax")
    await accountant.expect("Which month's taxes?")
    await accountant.press("Last month")
    filed = await accountant.expect("Status: filed")
    assert "Uploaded to my.soliq.uz" not in filed.button_texts
    actions = await rows(engine, select(AuditLog.action).where(AuditLog.company_id == company_id,
                                                               AuditLog.action.like("tax.report.%"))
                         .order_by(AuditLog.id))
    assert [a for (a,) in actions] == ["tax.report.created", "tax.report.submitted", "tax.report.ready",
                                       "tax.report.uploaded", "tax.report.filed"]
    decisions = await rows(engine, select(ApprovalRequest.kind, ApprovalRequest.status)
                           .where(ApprovalRequest.company_id == company_id).order_by(ApprovalRequest.id))
    assert decisions == [("tax_report", "approved"), ("tax_filing", "approved")]


async def test_missing_days_bad_months_and_cashier(running_bot: RunningBot, sandbox: SandboxClient,
                                                   engine: AsyncEngine) -> None:
    owner = await sandbox.create_user("Dilnoza", language_code="en")
    accountant = await sandbox.create_user("Kamola", language_code="en")
    cashier = await sandbox.create_user("Malika", language_code="en")
    month = previous_month(local_today().replace(day=1))
    await vat_company(engine, owner, accountant, month, cashier=cashier)

    await accountant.send("/tax")
    await accountant.expect("Which month's taxes?")
    await accountant.press("Month before")  # never imported
    card = await accountant.expect("Taxes — Oila Market")
    assert "not imported" in card.text and "VAT: no figure" in card.text
    assert "Tax due" in card.text
    await accountant.press("Mark ready (for approval)", message_id=card.message_id)
    await asyncio.sleep(0.2)
    await settle()
    assert await rows(engine, select(TaxReport.status)) == [("draft",)]

    await accountant.send("/tax")
    await accountant.expect("Which month's taxes?")
    await accountant.press("Another month…")
    await accountant.expect("YYYY-MM")
    await accountant.send("2099-01")
    await accountant.expect("has not begun")
    await accountant.send("March")
    await accountant.expect("is not a month")
    await accountant.send("2020-01")
    await accountant.expect("before the company's tax regime starts")
    assert await scalar(engine, select(func.count()).select_from(TaxReport)) == 1

    def register(buyer: str) -> bytes:
        book = Workbook()
        sheet = book.active
        assert sheet is not None
        sheet.append(["Seller TIN", "Number", "Date", "Buyer TIN", "VAT"])
        sheet.append(["207777777", "F-9", month.replace(day=3).isoformat(), buyer, 12000])
        buffer = io.BytesIO()
        book.save(buffer)
        return buffer.getvalue()

    await accountant.send("/tax")
    await accountant.expect("Which month's taxes?")
    await accountant.press("E-invoice register (Excel)")
    await accountant.expect("Send the register")
    await accountant.send_document(register("309999999"), "reestr.xlsx")
    await accountant.expect("another buyer (TIN 309999999)")
    await accountant.send_document(register("301234567"), "reestr.xlsx")
    result = await accountant.expect("E-invoices read: 1, matched to purchases: 0")
    assert "E-invoices without a purchase: 1" in result.text and "207777777" in result.text

    await cashier.send("/tax")
    answer = await cashier.expect()
    assert "Which month" not in answer.text and "accountant" in answer.text.lower()


async def test_reminders_exactly_once(running_bot: RunningBot, sandbox: SandboxClient, engine: AsyncEngine) -> None:
    owner = await sandbox.create_user("Dilnoza", language_code="en")
    accountant = await sandbox.create_user("Kamola", language_code="en")
    await vat_company(engine, owner, accountant, previous_month(local_today().replace(day=1)))
    for person in (owner, accountant):
        await person.send("/help")
        await person.expect()
    context = running_bot.app.job_context()
    first, second = (Scheduler(context, [TaxReminderTask()], owner=name) for name in ("first", "second"))
    zone = ZoneInfo("Asia/Tashkent")
    # May 2026: PIT and social tax due Monday 15 June, VAT due Saturday 20 June → Monday 22 June
    early = datetime(2026, 6, 10, 8, 30, tzinfo=zone)
    assert await first.tick(early) == []  # before 09:00
    at = early + timedelta(hours=1)
    ran, skipped = await asyncio.gather(first.tick(at), second.tick(at))
    assert sorted(r.status for r in ran + skipped) == ["ran", "skipped"]
    assert [r.status for r in await first.tick(at + timedelta(hours=2))] == ["skipped"]
    await running_bot.app.outbox.send_due()
    for person in (owner, accountant):
        reminder = await person.expect("PIT and social tax for 2026-05")
        assert "in 5 days" in reminder.text and "/tax" in reminder.text
        await person.expect_no_message(timeout=0.3)
    on_day = datetime(2026, 6, 22, 10, 0, tzinfo=zone)
    await first.tick(on_day)
    await running_bot.app.outbox.send_due()
    due_today = await accountant.expect("VAT for 2026-05")
    assert "(today)" in due_today.text

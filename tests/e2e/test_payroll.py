"""/payroll through the emulator: a draft, its approval through the engine, payslips by Telegram (outbox) and by
SMS (the fake Eskiz), a correction of an approved month, a bad schemes file, a cashier refused; /payslips."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date
from decimal import Decimal

import pypdfium2 as pdfium
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from db.engine import create_session_factory
from db.models import Employee, Role, User
from db.payroll import PayrollRun
from db.sms import SmsMessage
from sandbox.eskiz import DEFAULT_EMAIL, DEFAULT_PASSWORD, FakeEskiz
from sandbox.stack import RunningBot
from sandbox.telegram.client import SandboxClient, SandboxUser
from services import payroll
from services.locale import format_money
from services.payroll import SchemeInput
from services.sms import EskizClient, send_queued
from tests.e2e.flows import rows, settle
from tests.helpers import add_member, create_company, local_today

D = Decimal


@pytest.fixture
async def eskiz() -> AsyncIterator[FakeEskiz]:
    server = FakeEskiz(delivery_delay=0.01)
    await server.start()
    yield server
    await server.stop()


def pdf_text(data: bytes) -> str:
    document = pdfium.PdfDocument(data)
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()


def last_month() -> date:
    today = local_today()
    return date(today.year - 1, 12, 1) if today.month == 1 else date(today.year, today.month - 1, 1)


async def staffed_company(engine: AsyncEngine, owner: SandboxUser, accountant: SandboxUser,
                          seller: SandboxUser) -> int:
    """Two employees on 5 000 000: Aziza uses the bot (linked to `seller`), Bobur only has a phone."""
    await settle()
    async with create_session_factory(engine)() as session:
        company = await create_company(session, name="Oila Market")
        await add_member(session, company.id, owner.id, Role.OWNER, first_name=owner.first_name)
        await add_member(session, company.id, accountant.id, Role.ACCOUNTANT, first_name=accountant.first_name)
        staff = await add_member(session, company.id, seller.id, Role.STAFF, first_name=seller.first_name)
        aziza = Employee(company_id=company.id, full_name="Aziza Karimova", user_id=staff.id, base_salary=D(0))
        bobur = Employee(company_id=company.id, full_name="Bobur Aliyev", phone="+998 90 123 45 67",
                         base_salary=D(0))
        session.add_all([aziza, bobur])
        await session.flush()
        for person in (aziza, bobur):
            await payroll.set_scheme(session, company_id=company.id, employee_id=person.id,
                                     effective_from=date(2020, 1, 1), scheme=SchemeInput(base_salary=D(5_000_000)))
        await session.commit()
        return company.id


async def test_draft_approval_payslips_and_correction(running_bot: RunningBot, sandbox: SandboxClient,
                                                      engine: AsyncEngine, eskiz: FakeEskiz) -> None:
    owner = await sandbox.create_user("Dilnoza", language_code="en")
    accountant = await sandbox.create_user("Kamola", language_code="en")
    seller = await sandbox.create_user("Aziza", language_code="en")
    company_id = await staffed_company(engine, owner, accountant, seller)
    month = last_month()
    for person in (owner, seller):  # Telegram lets a bot write only to people who started it
        await person.send("/help")
        await person.expect()

    await accountant.send("/payroll")
    await accountant.expect("Which month's payroll?")
    await accountant.press("Last month")
    card = await accountant.expect("Payroll — Oila Market")
    assert card.edited and "2 employees" in card.text
    assert f"Net to pay: {format_money(D(8_800_000), 'en')}" in card.text
    assert f"Social tax: {format_money(D(1_200_000), 'en')}" in card.text
    assert "REGOS is not connected" in card.text
    await accountant.press("Register (Excel)", message_id=card.message_id)
    excel = await accountant.expect(predicate=lambda m: bool(m.get("document")))
    assert excel["document"]["file_name"].endswith(".xlsx")

    await accountant.press("Submit for approval", message_id=card.message_id)
    await running_bot.app.outbox.send_due()
    engine_card = await owner.expect("Payroll of")  # the approval engine's card
    await owner.send("/payroll")
    await owner.expect("Which month's payroll?")
    await owner.press("Last month")
    pending = await owner.expect("waiting for approval")
    assert "Approve" in pending.button_texts  # the payroll card's own shortcut (decided through the engine too)
    await owner.press("✅ Approve", message_id=engine_card.message_id)
    await running_bot.app.outbox.send_due()
    payslip = await seller.expect("Payslip")
    assert "Aziza Karimova" in payslip.text and format_money(D(4_400_000), "en") in payslip.text
    assert payslip["document"]["file_name"] == f"payslip_{month:%Y-%m}_Aziza_Karimova.pdf"
    slip = pdf_text(await seller.download(payslip))
    for figure in ("Payslip", "Aziza Karimova", "5 000 000", "600 000", "595 000", "4 400 000"):
        assert figure in slip, figure

    factory = create_session_factory(engine)
    sms = await rows(engine, select(SmsMessage.phone, SmsMessage.purpose, SmsMessage.text))
    assert [tuple(s[:2]) for s in sms] == [("998901234567", "payslip")] and "4 400 000" in sms[0][2]
    async with EskizClient(DEFAULT_EMAIL, DEFAULT_PASSWORD, base_url=eskiz.api_url) as client:
        await client.login()
        first_token = client.token_info
        eskiz.expire_tokens()  # Eskiz says "Expired token": refreshed once, the send retried, nothing lost
        report = await send_queued(factory, client)
        assert client.token_info is not None and first_token is not None
        assert client.token_info.token != first_token.token
    assert len(report.accepted) == 1 and eskiz.messages[0].to == "998901234567"
    assert [s.to for s in eskiz.messages] == ["998901234567"]  # sent once

    await seller.send("/payslips")
    again = await seller.expect("Payslip")
    assert "Aziza Karimova" in again.text and again["document"]["file_name"].endswith("_Aziza_Karimova.pdf")
    assert "4 400 000" in pdf_text(await seller.download(again))

    # an approved month is frozen; a correction is a new version with the difference
    await owner.send("/payroll")
    await owner.expect("Which month's payroll?")
    await owner.press("Last month")
    approved = await owner.expect("Version 1, approved")
    assert "Recompute" not in approved.button_texts
    async with factory() as session:
        bobur = await session.scalar(select(Employee).where(Employee.full_name == "Bobur Aliyev"))
        assert bobur is not None
        await payroll.add_adjustment(session, company_id=company_id, employee_id=bobur.id, month=month,
                                     kind="bonus", amount=D(1_000_000), reason="Plan")
        await session.commit()
    await owner.press("Correction", message_id=approved.message_id)
    correction = await owner.expect("Paid before")
    assert f"difference: {format_money(D(880_000), 'en')}" in correction.text
    runs = await rows(engine, select(PayrollRun.version, PayrollRun.status).order_by(PayrollRun.version))
    assert [tuple(r) for r in runs] == [(1, "approved"), (2, "draft")]


async def test_bad_file_and_cashier_refused(running_bot: RunningBot, sandbox: SandboxClient,
                                            engine: AsyncEngine) -> None:
    owner = await sandbox.create_user("Dilnoza", language_code="en")
    accountant = await sandbox.create_user("Kamola", language_code="en")
    cashier = await sandbox.create_user("Malika", language_code="en")
    company_id = await staffed_company(engine, owner, accountant, await sandbox.create_user("Aziza"))
    async with create_session_factory(engine)() as session:
        await add_member(session, company_id, cashier.id, Role.CASHIER, first_name="Malika")
        await session.commit()

    bad = (b"employee,regos_user_id,phone,base_salary,retail_commission_pct,wholesale_commission_pct,plan_target,"
           b"plan_bonus,colour\nAli,,,abc,150,,,,red\n")
    await accountant.send_document(bad, "schemes.csv")
    refusal = await accountant.expect("The file was not imported")
    assert "row" in refusal.text and "colour" in refusal.text
    good = (b"employee,regos_user_id,phone,base_salary,retail_commission_pct,wholesale_commission_pct,plan_target,"
            b"plan_bonus\nSardor,,,3000000,1,,,\n")
    await accountant.send_document(good, "schemes.csv")
    await accountant.expect("Pay schemes imported")
    names = await rows(engine, select(Employee.full_name).order_by(Employee.full_name))
    assert [n for (n,) in names] == ["Aziza Karimova", "Bobur Aliyev", "Sardor"]

    await cashier.send("/payroll")
    answer = await cashier.expect()
    assert "Which month" not in answer.text and "accountant" in answer.text.lower()


async def test_typed_month_validated_and_bound_to_its_company(running_bot: RunningBot, sandbox: SandboxClient,
                                                              engine: AsyncEngine) -> None:
    owner = await sandbox.create_user("Dilnoza", language_code="en")
    accountant = await sandbox.create_user("Kamola", language_code="en")
    seller = await sandbox.create_user("Aziza", language_code="en")
    await staffed_company(engine, owner, accountant, seller)
    month = last_month()

    await accountant.send("/payroll")
    await accountant.expect("Which month's payroll?")
    await accountant.press("Type a month")
    await accountant.expect("Type the month as YYYY-MM")
    await accountant.send(f"{month.year}-13")
    await accountant.expect("Write the month as YYYY-MM")
    await accountant.send(f"{month:%Y-%m}")
    card = await accountant.expect("Payroll — Oila Market")
    assert "2 employees" in card.text

    # a month asked for in one company and typed after switching to another is refused, nothing opened there
    await accountant.send("/payroll")
    await accountant.expect("Which month's payroll?")
    await accountant.press("Type a month")
    await accountant.expect("Type the month as YYYY-MM")
    await settle()
    async with create_session_factory(engine)() as session:
        other = await create_company(session, name="Boshqa Savdo", tin="305987654")
        await add_member(session, other.id, accountant.id, Role.ACCOUNTANT, first_name=accountant.first_name)
        account = (await session.execute(select(User).where(User.telegram_id == accountant.id))).scalar_one()
        account.active_company_id = other.id
        await session.commit()
    await accountant.send(f"{month:%Y-%m}")
    await accountant.expect("This step is over")
    assert await rows(engine, select(PayrollRun.id).where(PayrollRun.company_id == other.id)) == []

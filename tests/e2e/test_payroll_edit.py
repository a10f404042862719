"""Editing a payroll draft in the bot (days worked, bonus, deduction, advance paid; bad amounts refused in the
user's language; stale and forged buttons change nothing), a mid-month advance run through approval with its PDF
payslip, the payroll button of the main menu, and the "import the missing days" offer that runs the REGOS sync."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from db.engine import create_session_factory
from db.models import Employee, Role
from db.payroll import PayrollAdjustment, PayrollRun, Timesheet
from handlers.callbacks import PayrollAction, PayrollCb, PayrollField
from sandbox.regos.server import FakeRegos
from sandbox.stack import RunningBot
from sandbox.telegram.client import SandboxClient, SandboxUser
from services import payroll
from services.locale import format_money
from services.payroll import SchemeInput
from services.payroll.calc import prorate
from tests.e2e.flows import FAKE_REGOS_KEY, connect_fake_regos, rows, scalar, settle
from tests.helpers import FakeRegosFactory, add_member, create_company, local_today

D = Decimal


def money(value: int) -> str:
    return format_money(D(value), "en")


def last_month() -> date:
    today = local_today()
    return date(today.year - 1, 12, 1) if today.month == 1 else date(today.year, today.month - 1, 1)


async def staffed_company(engine: AsyncEngine, owner: SandboxUser, accountant: SandboxUser,
                          seller: SandboxUser) -> int:
    """Aziza (linked to `seller`) and Bobur (a phone only), both on 5 000 000 a month."""
    await settle()
    async with create_session_factory(engine)() as session:
        company = await create_company(session, name="Oila Market")
        await add_member(session, company.id, owner.id, Role.OWNER, first_name=owner.first_name)
        await add_member(session, company.id, accountant.id, Role.ACCOUNTANT, first_name=accountant.first_name)
        staff = await add_member(session, company.id, seller.id, Role.STAFF, first_name=seller.first_name)
        aziza = Employee(company_id=company.id, full_name="Aziza Karimova", user_id=staff.id)
        bobur = Employee(company_id=company.id, full_name="Bobur Aliyev", phone="+998 90 123 45 67")
        session.add_all([aziza, bobur])
        await session.flush()
        for person in (aziza, bobur):
            await payroll.set_scheme(session, company_id=company.id, employee_id=person.id,
                                     effective_from=date(2020, 1, 1), scheme=SchemeInput(base_salary=D(5_000_000)))
        await session.commit()
        return company.id


async def test_edit_days_and_manual_lines_of_a_draft(running_bot: RunningBot, sandbox: SandboxClient,
                                                     engine: AsyncEngine) -> None:
    owner = await sandbox.create_user("Dilnoza", language_code="en")
    accountant = await sandbox.create_user("Kamola", language_code="en")
    company_id = await staffed_company(engine, owner, accountant, await sandbox.create_user("Aziza"))
    month = last_month()
    working = payroll.month_working_days(month)

    await accountant.send("/start")  # the main menu has the payroll button for an accountant
    await accountant.expect()
    assert ["💼 Payroll"] in (await accountant.reply_keyboard() or [])
    await accountant.press_reply("💼 Payroll")
    await accountant.expect("Which month's payroll?")
    await accountant.press("Last month")
    card = await accountant.expect("Payroll — Oila Market")
    assert f"Net to pay: {money(8_800_000)}" in card.text
    await accountant.press("✏️ Edit lines", message_id=card.message_id)
    picker = await accountant.expect("Whose lines?")
    assert {"Aziza Karimova", "Bobur Aliyev"} <= set(picker.button_texts)
    await accountant.press("Bobur Aliyev", message_id=picker.message_id)
    bobur_card = await accountant.expect("Bobur Aliyev")
    assert f"Days worked: {working} of {working}" in bobur_card.text and "No manual lines" in bobur_card.text

    await accountant.press("➕ Bonus", message_id=bobur_card.message_id)
    await accountant.expect("send the amount")
    for bad, answer in (("-5000", "must be more than zero"), ("lots", "That is not an amount"),
                        ("99999999999999", "too large"), ("0,001", "at most two decimals")):
        await accountant.send(bad)
        await accountant.expect(answer)
    await accountant.send("1 000 000")
    await accountant.expect("now send the reason")
    await accountant.send("x" * 201)
    await accountant.expect("Write the reason in a few words")
    await accountant.send("Plan")
    saved = await accountant.expect("Saved. The draft is recomputed.")
    assert f"Gross: {money(6_000_000)}" in saved.text and f"Net to pay: {money(5_280_000)}" in saved.text

    await accountant.press("📅 Days worked", message_id=saved.message_id)
    await accountant.expect(f"from 0 to {working}")
    for bad in ("ten", "99", "-1", "5.5"):
        await accountant.send(bad)
        await accountant.expect(f"Days worked is a whole number from 0 to {working}")
    await accountant.send("10")
    days = await accountant.expect("Saved")
    base = prorate(D(5_000_000), 10, working)
    assert f"Days worked: 10 of {working}" in days.text
    assert f"Gross: {format_money(base + 1_000_000, 'en')}" in days.text

    await accountant.press("💵 Advance paid", message_id=days.message_id)
    await accountant.expect("send the amount")
    await accountant.send("500k")
    await accountant.expect("Advance paid of")
    await accountant.send("Cash on the 15th")
    advanced = await accountant.expect("Saved")
    assert "Advance paid 500 000" in advanced.text and "Cash on the 15th" in advanced.text
    await settle()  # the update's transaction commits after its answer
    async with create_session_factory(engine)() as session:
        run = await payroll.latest_run(session, company_id, month)
        assert run is not None
        lines = {line.name: line for line in await payroll.run_lines(session, run.id)}
    bobur = lines["Bobur Aliyev"]
    assert (bobur.days_worked, bobur.advance, bobur.manual_bonus) == (10, D(500_000), D(1_000_000))
    assert bobur.net == bobur.gross - bobur.pit - D(500_000)

    remove = next(text for text in advanced.button_texts if text.startswith("❌ Advance paid"))
    removed = await accountant.press(remove, message_id=advanced.message_id)
    assert removed is not None and "removed" in (removed.get("text") or "")
    await settle()
    assert await scalar(engine, select(func.count()).select_from(PayrollAdjustment)) == 1
    stale = advanced.button(remove)["callback_data"]  # pressed again (a second tap): nothing more happens
    await accountant.press(data=stale, message_id=advanced.message_id, forge=True)
    assert await scalar(engine, select(func.count()).select_from(PayrollAdjustment)) == 1

    # forged: another company's id, a run of another company, an employee of another company
    other = await scalar(engine, select(func.max(Employee.id))) + 100
    bonus = PayrollField.BONUS
    for data in (PayrollCb(company=company_id + 7, action=PayrollAction.SET, run=run.id, emp=bobur.employee_id or 0,
                           field=bonus),
                 PayrollCb(company=company_id, action=PayrollAction.SET, run=run.id + 50, emp=1, field=bonus),
                 PayrollCb(company=company_id, action=PayrollAction.SET, run=run.id, emp=other, field=bonus),
                 PayrollCb(company=company_id, action=PayrollAction.SET, run=run.id, emp=1)):
        await accountant.press(data=data.pack(), message_id=advanced.message_id, forge=True)
    await accountant.send("777 000")  # no step is waiting for an amount: not taken as one
    await settle()
    assert await scalar(engine, select(func.count()).select_from(PayrollAdjustment)) == 1

    # once submitted the draft is frozen: the old buttons refuse and change nothing
    await accountant.press("⬅️ Back", message_id=advanced.message_id)
    back = await accountant.expect("Whose lines?")
    await accountant.press("⬅️ Back", message_id=back.message_id)
    again = await accountant.expect("Payroll — Oila Market")
    await accountant.press("Submit for approval", message_id=again.message_id)
    await accountant.expect("waiting for approval")
    refused = await accountant.press(data=advanced.button("📅 Days worked")["callback_data"],
                                     message_id=advanced.message_id, forge=True)  # an old client still has it
    assert refused is not None and "The payroll is waiting for approval now" in (refused.get("text") or ""), refused
    assert [tuple(r) for r in await rows(engine, select(Timesheet.days_worked))] == [(10,)]


async def test_advance_run_through_approval(running_bot: RunningBot, sandbox: SandboxClient,
                                            engine: AsyncEngine) -> None:
    owner = await sandbox.create_user("Dilnoza", language_code="en")
    accountant = await sandbox.create_user("Kamola", language_code="en")
    seller = await sandbox.create_user("Aziza", language_code="en")
    await staffed_company(engine, owner, accountant, seller)
    for person in (owner, seller):
        await person.send("/help")
        await person.expect()
    month = local_today().replace(day=1)

    await accountant.send("/payroll")
    await accountant.expect("Which month's payroll?")
    await accountant.press("Advance for this month")
    card = await accountant.expect("Payroll — Oila Market — Advance")
    assert f"Net to pay: {money(5_000_000)}" in card.text  # 50% of each prorated base
    await accountant.press("Submit for approval", message_id=card.message_id)
    await running_bot.app.outbox.send_due()
    approval = await owner.expect("Payroll of")
    await owner.press("✅ Approve", message_id=approval.message_id)
    await running_bot.app.outbox.send_due()
    slip = await seller.expect("Payslip")
    assert "Advance" in slip.text and money(2_500_000) in slip.text
    assert slip["document"]["file_name"] == f"advance_{month:%Y-%m}_Aziza_Karimova.pdf"
    runs = await rows(engine, select(PayrollRun.kind, PayrollRun.status))
    assert [tuple(r) for r in runs] == [("advance", "approved")]


@pytest.fixture
async def fake_regos(start_fake_regos: FakeRegosFactory) -> FakeRegos:
    today = local_today()
    return await start_fake_regos(seed=5, start_date=today - timedelta(days=3), days=4, receipts_per_day=6,
                                  keys={FAKE_REGOS_KEY: None})


async def test_missing_days_offer_a_sync(running_bot: RunningBot, sandbox: SandboxClient, engine: AsyncEngine,
                                         fake_regos: FakeRegos) -> None:
    owner = await sandbox.create_user("Dilnoza", language_code="en")
    accountant = await sandbox.create_user("Kamola", language_code="en")
    await staffed_company(engine, owner, accountant, await sandbox.create_user("Aziza"))
    await connect_fake_regos(running_bot.app, fake_regos)
    today = local_today()

    await accountant.send("/payroll")  # an accountant may not run a sync: no offer
    await accountant.expect("Which month's payroll?")
    await accountant.press("This month")
    seen = await accountant.expect("Days not imported from REGOS")
    assert "🔄 Import the missing days" not in seen.button_texts

    await owner.send("/payroll")
    await owner.expect("Which month's payroll?")
    await owner.press("This month")
    card = await owner.expect("Days not imported from REGOS")
    await owner.press("🔄 Import the missing days", message_id=card.message_id)
    fresh = await owner.expect("Payroll — Oila Market", timeout=60)
    assert fresh.message_id != card.message_id
    assert "Days not imported" not in fresh.text, fresh.text
    assert "🔄 Import the missing days" not in fresh.button_texts
    await settle()
    async with create_session_factory(engine)() as session:
        run = await payroll.latest_run(session, (await session.scalar(select(Employee.company_id))) or 0,
                                       today.replace(day=1))
        assert run is not None and run.notes["missing_days"] == []

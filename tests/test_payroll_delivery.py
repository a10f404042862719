"""What an approval delivers: a payslip with its PDF (text extracted and checked) in the employee's language through
the outbox, and SMS in the recipient's language or the company's."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pypdfium2 as pdfium
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Employee, Role
from db.outbox import OutboxMessage
from db.payroll import PayrollLine, PayrollRun, RunKind
from db.sms import SmsMessage
from services import payroll
from services.payroll import SchemeInput
from services.payroll.approval import deliver_payslips, payslip_file_name
from services.sms.locale import company_locale, recipient_locale
from tests.helpers import add_member, create_company

MONTH = date(2025, 11, 1)
AFTER = date(2025, 12, 3)
D = Decimal


def pdf_text(data: bytes) -> str:
    document = pdfium.PdfDocument(data)
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()


async def test_payslip_pdf_in_the_employees_language_and_sms_in_the_companys(session: AsyncSession) -> None:
    company = await create_company(session, name="Oila Market")
    await add_member(session, company.id, 7001, Role.OWNER, language="ru", first_name="Dilnoza")
    aziza_user = await add_member(session, company.id, 7002, Role.STAFF, language="uz", first_name="Aziza")
    blocked_user = await add_member(session, company.id, 7003, Role.STAFF, language="en", first_name="Sardor")
    blocked_user.bot_blocked = True
    aziza = Employee(company_id=company.id, full_name="Karimova Oʻgʻiloy", user_id=aziza_user.id)
    bobur = Employee(company_id=company.id, full_name="Bobur Aliyev", phone="+998 90 123 45 67")
    sardor = Employee(company_id=company.id, full_name="Sardor Usmonov", user_id=blocked_user.id,
                      phone="901112233")
    nobody = Employee(company_id=company.id, full_name="Nodira", phone="12")  # an invalid phone: unreachable
    session.add_all([aziza, bobur, sardor, nobody])
    await session.flush()
    for person in (aziza, bobur, sardor, nobody):
        await payroll.set_scheme(session, company_id=company.id, employee_id=person.id, effective_from=MONTH,
                                 scheme=SchemeInput(base_salary=D(5_000_000)))
    await payroll.add_adjustment(session, company_id=company.id, employee_id=aziza.id, month=MONTH,
                                 kind="bonus", amount=D(1_000_000), reason="Reja")
    run = await payroll.compute_draft(session, company.id, MONTH, today=AFTER)
    assert await payroll.submit(session, company.id, run.id)
    assert await payroll.approve(session, company.id, run.id)

    delivery = await deliver_payslips(session, run)
    assert delivery.telegram == ["Karimova Oʻgʻiloy"]
    assert sorted(delivery.sms) == ["Bobur Aliyev", "Sardor Usmonov"] and delivery.unreachable == ["Nodira"]

    [row] = (await session.scalars(select(OutboxMessage))).all()
    assert row.chat_id == 7002 and row.kind == "payroll.payslip"
    assert row.document_name == "payslip_2025-11_Karimova_Oʻgʻiloy.pdf"
    assert row.text.startswith("Hisob-varaq — Oila Market")  # the caption, in Uzbek
    assert row.document is not None
    content = pdf_text(row.document)
    # gross 6 000 000 → PIT 720 000 (714 000 + 6 000 INPS), net 5 280 000
    for figure in ("Hisob-varaq", "Karimova Oʻgʻiloy", "Oila Market", "6 000 000", "720 000", "714 000", "6 000",
                   "5 280 000", "Toʻlanadi", "Reja"):
        assert figure in content, figure

    sms = {s.phone: s.text for s in (await session.scalars(select(SmsMessage))).all()}
    assert sms["998901234567"] == "Oila Market: зарплата за 2025-11, к выплате 4 400 000 сум."  # the owner's
    assert sms["998901112233"].startswith("Oila Market: salary for 2025-11, net to pay 4 400 000")  # his own

    again = await deliver_payslips(session, run)  # a second delivery queues nothing new on Telegram
    assert again.telegram == ["Karimova Oʻgʻiloy"]
    assert len((await session.scalars(select(OutboxMessage))).all()) == 1


async def test_locales_and_file_names(session: AsyncSession) -> None:
    company = await create_company(session, name="Oila Market")
    assert await company_locale(session, company) == "uz"  # nobody chose: the default
    owner = await add_member(session, company.id, 7101, Role.OWNER, language="en")
    assert await company_locale(session, company) == "en"
    company.settings = {**(company.settings or {}), "language": "ru"}
    assert await company_locale(session, company) == "ru"
    owner.language = "xx"
    assert await recipient_locale(session, company, owner) == "ru"
    assert await recipient_locale(session, company, None) == "ru"
    owner.language = "uz"
    assert await recipient_locale(session, company, owner) == "uz"

    monthly = PayrollRun(month=MONTH, kind=RunKind.MONTHLY, version=1)
    advance = PayrollRun(month=MONTH, kind=RunKind.ADVANCE, version=2)
    line = PayrollLine(id=5, name="Aliyev  Bobur / <b>")
    assert payslip_file_name(monthly, line) == "payslip_2025-11_Aliyev_Bobur_b.pdf"
    assert payslip_file_name(advance, PayrollLine(id=6, name="///")) == "advance_2025-11_line6_v2.pdf"

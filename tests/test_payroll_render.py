"""Payslips and the register as files and text, in the three languages."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from functools import partial

import pypdfium2 as pdfium
from openpyxl import load_workbook
from sqlalchemy.ext.asyncio import AsyncSession

from core.i18n import translate
from db.models import Employee
from services import payroll
from services.payroll import SchemeInput
from tests.helpers import create_company

MONTH = date(2025, 11, 1)
AFTER = date(2025, 12, 3)


def pdf_text(data: bytes) -> str:
    document = pdfium.PdfDocument(data)
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()


async def test_payslips_and_register_of_a_correction(session: AsyncSession) -> None:
    company = await create_company(session, name="Oila Market")
    person = Employee(company_id=company.id, full_name="Karimova Oʻgʻiloy")
    session.add(person)
    await session.flush()
    await payroll.set_scheme(session, company_id=company.id, employee_id=person.id, effective_from=MONTH,
                             scheme=SchemeInput(base_salary=Decimal(5_000_000)))
    await payroll.add_adjustment(session, company_id=company.id, employee_id=person.id, month=MONTH,
                                 kind="penalty", amount=Decimal(100_000), reason="Kechikish")
    run = await payroll.compute_draft(session, company.id, MONTH, today=AFTER)
    [line] = await payroll.run_lines(session, run.id)

    text = payroll.payslip_text(run, line, company.name, partial(translate, "uz"), "uz")
    assert "Hisob-varaq — Oila Market" in text and "Karimova Oʻgʻiloy" in text
    assert "JShDS 12%: 600 000 soʻm" in text
    assert "Jarima: Kechikish" in text
    ru = payroll.payslip_text(run, line, company.name, partial(translate, "ru"), "ru")
    assert "К выплате: 4 300 000 сум" in ru and "в т.ч. ИНПС: 5 000 сум" in ru

    slip = payroll.payslip_pdf(run, line, company.name, partial(translate, "ru"), "ru")
    content = pdf_text(slip)
    assert "Расчётный листок" in content and "Karimova Oʻgʻiloy" in content and "4 300 000" in content

    assert await payroll.submit(session, company.id, run.id)
    assert await payroll.approve(session, company.id, run.id)
    correction = await payroll.start_correction(session, company.id, MONTH, today=AFTER)
    lines = await payroll.run_lines(session, correction.id)
    register = payroll.register_xlsx(correction, lines, company.name, partial(translate, "en"), "en")
    rows = list(load_workbook(io.BytesIO(register)).worksheets[0].iter_rows(values_only=True))
    header = rows[1]
    assert header[0] == "Employee" and "Difference" in header and "Net to pay" in header
    assert rows[2][0] == "Karimova Oʻgʻiloy"
    assert Decimal(str(rows[2][header.index("Net to pay")])) == Decimal(4_300_000)
    assert Decimal(str(rows[2][header.index("Difference")])) == 0
    assert rows[3][0] == "Total"
    pdf = payroll.register_pdf(correction, lines, company.name, partial(translate, "uz"), "uz")
    assert "Ish haqi qaydnomasi" in pdf_text(pdf)

"""Manual lines the bot edits (an advance paid in cash, days worked out of range) and wholesale commission per
seller from the synced wholesale documents (performed, not delete-marked, returns against their user)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Employee
from db.regos_data import WholesaleDoc, WholesaleKind
from services import payroll
from services.payroll import SchemeInput
from services.payroll.errors import DaysOutOfRange
from services.payroll.sales import seller_wholesale
from tests.helpers import create_company

MONTH = date(2025, 11, 1)
AFTER = date(2025, 12, 3)
D = Decimal


async def test_advance_paid_in_cash_is_subtracted_like_an_advance(session: AsyncSession) -> None:
    company = await create_company(session)
    person = Employee(company_id=company.id, full_name="Aziza")
    session.add(person)
    await session.flush()
    await payroll.set_scheme(session, company_id=company.id, employee_id=person.id, effective_from=MONTH,
                             scheme=SchemeInput(base_salary=D(5_000_000)))
    await payroll.add_adjustment(session, company_id=company.id, employee_id=person.id, month=MONTH,
                                 kind="advance", amount=D(1_000_000), reason="Cash on the 15th")
    await payroll.add_adjustment(session, company_id=company.id, employee_id=person.id, month=MONTH,
                                 kind="deduction", amount=D(100_000), reason="Loan")
    run = await payroll.compute_draft(session, company.id, MONTH, today=AFTER)
    [line] = await payroll.run_lines(session, run.id)
    # gross 5 000 000 → PIT 600 000; net = 5 000 000 − 600 000 − 1 000 000 advance − 100 000 deduction
    assert (line.gross, line.pit, line.advance, line.deductions) == (D(5_000_000), D(600_000), D(1_000_000),
                                                                      D(100_000))
    assert line.net == D(3_300_000)
    with pytest.raises(DaysOutOfRange) as refused:
        await payroll.set_days_worked(session, company_id=company.id, employee_id=person.id, month=MONTH,
                                      days_worked=99)
    assert refused.value.key == "error-payroll-days" and refused.value.params == {"most": 20}
    with pytest.raises(payroll.PayrollInvalid):
        await payroll.set_days_worked(session, company_id=company.id, employee_id=person.id, month=MONTH,
                                      days_worked=-1)
    for amount in (D(-5), D(0), D("1e20"), D("0.001")):
        with pytest.raises(payroll.PayrollInvalid):
            await payroll.add_adjustment(session, company_id=company.id, employee_id=person.id, month=MONTH,
                                         kind="advance", amount=amount, reason="x")


async def test_wholesale_commission_is_the_sellers_own(session: AsyncSession) -> None:
    company = await create_company(session)
    seller = Employee(company_id=company.id, full_name="Seller", regos_user_id=7)
    other = Employee(company_id=company.id, full_name="Other", regos_user_id=8)
    session.add_all([seller, other])
    await session.flush()
    for person in (seller, other):
        await payroll.set_scheme(session, company_id=company.id, employee_id=person.id, effective_from=MONTH,
                                 scheme=SchemeInput(base_salary=D(3_000_000), wholesale_commission_pct=D(2)))
    moment = datetime(2025, 11, 10, 8, tzinfo=UTC)
    docs = [  # (kind, seller, amount, performed, deleted, day)
        (WholesaleKind.SALE, 7, D("10000000.50"), True, False, date(2025, 11, 10)),
        (WholesaleKind.SALE, 7, D(4_000_000), True, True, date(2025, 11, 11)),  # delete-marked
        (WholesaleKind.SALE, 7, D(3_000_000), False, False, date(2025, 11, 12)),  # a draft
        (WholesaleKind.RETURN, 7, D(1_000_000), True, False, date(2025, 11, 13)),
        (WholesaleKind.SALE, 7, D(9_000_000), True, False, date(2025, 12, 1)),  # next month
        (WholesaleKind.SALE, None, D(2_000_000), True, False, date(2025, 11, 14)),  # stored before sellers were
        (WholesaleKind.SALE, 8, D(500_000), True, False, date(2025, 11, 15)),
    ]
    for index, (kind, user, amount, performed, deleted, day) in enumerate(docs, start=1):
        session.add(WholesaleDoc(company_id=company.id, kind=kind, regos_id=index, occurred_at=moment,
                                 business_day=day, seller_regos_id=user, amount=amount, performed=performed,
                                 deleted=deleted))
    await session.flush()
    assert await seller_wholesale(session, company.id, MONTH, date(2025, 11, 30)) == {7: D("9000000.50"),
                                                                                      8: D(500_000)}
    run = await payroll.compute_draft(session, company.id, MONTH, today=AFTER)
    lines = {line.name: line for line in await payroll.run_lines(session, run.id)}
    assert (lines["Seller"].wholesale_sales, lines["Seller"].wholesale_commission) == (D("9000000.50"),
                                                                                      D(180_000))
    assert (lines["Other"].wholesale_sales, lines["Other"].wholesale_commission) == (D(500_000), D(10_000))

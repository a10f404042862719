"""Payroll runs in the database: a month's draft, advance, approval, frozen history, corrections as new versions."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Branch, Employee, Rate
from db.payroll import PayrollRun, RunKind, RunStatus
from services import payroll
from services.payroll import (
    NegativeNet,
    OpenRunExists,
    RunFrozen,
    RunStateConflict,
    SchemeInput,
)
from tests.helpers import create_company

MONTH = date(2025, 11, 1)  # 20 working days (5-day week), MROT 1 271 000
AFTER = date(2025, 12, 3)
D = Decimal


async def employee(session: AsyncSession, company_id: int, name: str, *, regos_user_id: int | None = None,
                   branch_id: int | None = None, **scheme: Any) -> Employee:
    person = Employee(company_id=company_id, full_name=name, regos_user_id=regos_user_id, branch_id=branch_id)
    session.add(person)
    await session.flush()
    await payroll.set_scheme(session, company_id=company_id, employee_id=person.id, effective_from=date(2025, 1, 1),
                             scheme=SchemeInput(**scheme))
    return person


def by_name(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {e["name"]: e for e in report["employees"]}


async def test_the_seeded_rates_include_the_reliefs(session: AsyncSession) -> None:
    rates = await payroll.payroll_rates(session, date(2025, 11, 30))
    assert (rates.pit, rates.inps, rates.social_tax, rates.mrot) == (D("0.12"), D("0.001"), D("0.12"), D(1_271_000))
    assert rates.social_tax_relief == D("0.01") and rates.relief_youth_min_mrot == D("2.5")
    assert (await payroll.payroll_rates(session, date(2028, 2, 1))).social_tax_relief == D("0.12")
    codes = set(await session.scalars(select(Rate.code)))
    assert {"pit", "inps", "social_tax", "mrot", "brv", "social_tax_relief"} <= codes


async def test_a_draft_month_with_the_hand_computed_case(session: AsyncSession) -> None:
    company = await create_company(session)
    await employee(session, company.id, "Aziza Karimova", base_salary=D(5_000_000))
    await employee(session, company.id, "Bobur Aliyev", base_salary=D(1_200_000))
    run = await payroll.compute_draft(session, company.id, MONTH, today=AFTER)
    report = payroll.run_json(run, await payroll.run_lines(session, run.id))
    assert (report["month"], report["status"], report["version"], report["kind"]) == ("2025-11", "draft", 1,
                                                                                      "monthly")
    aziza = by_name(report)["Aziza Karimova"]
    assert {k: aziza[k] for k in ("days_worked", "base", "gross", "pit", "pit_budget", "inps", "advance", "net",
                                  "social_tax", "employer_cost")} == {
        "days_worked": 20, "base": "5000000.00", "gross": "5000000.00", "pit": "600000.00",
        "pit_budget": "595000.00", "inps": "5000.00", "advance": "0.00", "net": "4400000.00",
        "social_tax": "600000.00", "employer_cost": "5600000.00"}
    assert aziza["warnings"] == []
    bobur = by_name(report)["Bobur Aliyev"]
    assert [w["code"] for w in bobur["warnings"]] == ["below_mrot"]
    assert report["totals"]["gross"] == "6200000.00" and report["totals"]["employees"] == 2
    assert report["notes"]["regos_connected"] is False
    assert len(report["notes"]["missing_days"]) == 30 and report["notes"]["days_to_come"] == 0

    # A draft is recomputed in place: still one version.
    await payroll.set_days_worked(session, company_id=company.id, employee_id=int(aziza["employee_id"]),
                                  month=MONTH, days_worked=10)
    again = await payroll.compute_draft(session, company.id, MONTH, today=AFTER)
    assert again.id == run.id
    lines = {line.name: line for line in await payroll.run_lines(session, run.id)}
    assert lines["Aziza Karimova"].base == D(2_500_000) and lines["Aziza Karimova"].days_worked == 10
    with pytest.raises(payroll.PayrollInvalid):
        await payroll.set_days_worked(session, company_id=company.id, employee_id=lines["Aziza Karimova"].employee_id
                                      or 0, month=MONTH, days_worked=21)


async def test_a_new_hire_is_prorated_from_the_hire_date(session: AsyncSession) -> None:
    company = await create_company(session)
    person = await employee(session, company.id, "Dilshod", base_salary=D(4_000_000))
    person.hired_on = date(2025, 11, 17)  # 17..30 November: 10 working days of 20
    late = await employee(session, company.id, "Not yet", base_salary=D(4_000_000))
    late.hired_on = date(2025, 12, 1)
    run = await payroll.compute_draft(session, company.id, MONTH, today=AFTER)
    [line] = await payroll.run_lines(session, run.id)
    assert (line.name, line.days_worked, line.working_days, line.base) == ("Dilshod", 10, 20, D(2_000_000))


async def test_advance_run_is_subtracted_once_approved(session: AsyncSession) -> None:
    company = await create_company(session)
    await payroll.update_payroll_settings(session, company, advance_percent=D(40))
    await employee(session, company.id, "Aziza", base_salary=D(5_000_000))
    advance = await payroll.compute_draft(session, company.id, MONTH, RunKind.ADVANCE, today=date(2025, 11, 15))
    [line] = await payroll.run_lines(session, advance.id)
    assert (line.advance, line.net, line.pit) == (D(2_000_000), D(2_000_000), 0)

    monthly = await payroll.compute_draft(session, company.id, MONTH, today=AFTER)
    [before] = await payroll.run_lines(session, monthly.id)
    assert before.advance == 0 and monthly.notes["advance"]["counted"] is False

    assert await payroll.submit(session, company.id, advance.id)
    assert await payroll.approve(session, company.id, advance.id)
    monthly = await payroll.compute_draft(session, company.id, MONTH, today=AFTER)
    [after] = await payroll.run_lines(session, monthly.id)
    assert (after.gross, after.pit, after.advance, after.net) == (D(5_000_000), D(600_000), D(2_000_000),
                                                                  D(2_400_000))


async def test_approval_freezes_and_a_correction_is_a_new_version(session: AsyncSession) -> None:
    company = await create_company(session)
    aziza = await employee(session, company.id, "Aziza", base_salary=D(5_000_000))
    await employee(session, company.id, "Bobur", base_salary=D(3_000_000))
    run = await payroll.compute_draft(session, company.id, MONTH, today=AFTER)
    assert await payroll.submit(session, company.id, run.id)
    assert not await payroll.submit(session, company.id, run.id)  # pressed twice: one effect
    with pytest.raises(RunStateConflict):
        await payroll.compute_draft(session, company.id, MONTH, today=AFTER)  # waiting for approval
    assert await payroll.approve(session, company.id, run.id, actor_user_id=None)
    assert not await payroll.approve(session, company.id, run.id)
    with pytest.raises(RunFrozen):
        await payroll.compute_draft(session, company.id, MONTH, today=AFTER)
    with pytest.raises(RunFrozen):
        await payroll.recompute(session, company.id, run.id)
    with pytest.raises(RunStateConflict):
        await payroll.reject(session, company.id, run.id)
    assert await payroll.mark_paid(session, company.id, run.id)
    assert not await payroll.mark_paid(session, company.id, run.id)

    await payroll.add_adjustment(session, company_id=company.id, employee_id=aziza.id, month=MONTH, kind="bonus",
                                 amount=D(1_000_000), reason="Best seller of November")
    correction = await payroll.start_correction(session, company.id, MONTH, today=AFTER)
    assert (correction.version, correction.previous_run_id, correction.status) == (2, run.id, RunStatus.DRAFT)
    with pytest.raises(OpenRunExists):
        await payroll.start_correction(session, company.id, MONTH, today=AFTER)
    report = payroll.run_json(correction, await payroll.run_lines(session, correction.id))
    fixed = by_name(report)["Aziza"]
    assert (fixed["gross"], fixed["net"], fixed["previous_net"], fixed["difference"]) == (
        "6000000.00", "5280000.00", "4400000.00", "880000.00")
    assert fixed["manual"][0]["reason"] == "Best seller of November"
    assert by_name(report)["Bobur"]["difference"] == "0.00"
    assert report["totals"]["difference"] == "880000.00"

    # History is untouched: version 1 still holds its figures.
    old = {line.name: line for line in await payroll.run_lines(session, run.id)}
    assert old["Aziza"].net == D(4_400_000)
    first = await session.get(PayrollRun, run.id)
    assert first is not None and first.status == RunStatus.PAID
    # The month's report shows the latest version.
    assert (await payroll.month_report(session, company.id, MONTH, today=AFTER))["version"] == 2


async def test_negative_net_is_flagged_and_never_approved_silently(session: AsyncSession) -> None:
    company = await create_company(session)
    person = await employee(session, company.id, "Sardor", base_salary=D(2_000_000))
    await payroll.add_adjustment(session, company_id=company.id, employee_id=person.id, month=MONTH,
                                 kind="deduction", amount=D(1_900_000), reason="Shortage at the till")
    run = await payroll.compute_draft(session, company.id, MONTH, today=AFTER)
    [line] = await payroll.run_lines(session, run.id)
    assert line.net == D(2_000_000 - 240_000 - 1_900_000)
    assert "negative_net" in [w["code"] for w in line.warnings]
    assert run.totals["negative_net"] == 1
    with pytest.raises(NegativeNet):
        await payroll.submit(session, company.id, run.id)
    assert await payroll.submit(session, company.id, run.id, allow_negative=True)
    with pytest.raises(NegativeNet):
        await payroll.approve(session, company.id, run.id)
    assert await payroll.reject(session, company.id, run.id)


async def test_bad_manual_lines_and_other_companies_are_refused(session: AsyncSession) -> None:
    company = await create_company(session)
    other = await create_company(session, name="Other", tin="305000001")
    person = await employee(session, company.id, "Aziza", base_salary=D(5_000_000))
    for kind, amount, reason in (("bonus", D(0), "x"), ("gift", D(10), "x"), ("penalty", D(10), "  "),
                                 ("bonus", D("10.001"), "x")):
        with pytest.raises(payroll.PayrollInvalid):
            await payroll.add_adjustment(session, company_id=company.id, employee_id=person.id, month=MONTH,
                                         kind=kind, amount=amount, reason=reason)
    with pytest.raises(payroll.EmployeeNotFound):
        await payroll.add_adjustment(session, company_id=other.id, employee_id=person.id, month=MONTH,
                                     kind="bonus", amount=D(10), reason="x")
    with pytest.raises(payroll.PayrollInvalid):
        await payroll.set_scheme(session, company_id=company.id, employee_id=person.id, effective_from=MONTH,
                                 scheme=SchemeInput(retail_commission_pct=D(101)))
    run = await payroll.compute_draft(session, company.id, MONTH, today=AFTER)
    with pytest.raises(payroll.RunNotFound):
        await payroll.approve(session, other.id, run.id)


async def test_no_regos_user_no_branch_and_the_relief(session: AsyncSession) -> None:
    company = await create_company(session)
    await payroll.update_payroll_settings(session, company, social_tax_relief=True)
    branch = Branch(company_id=company.id, name="Chilonzor")
    session.add(branch)
    await session.flush()
    young = await employee(session, company.id, "Young seller", branch_id=branch.id, base_salary=D(4_000_000),
                           retail_commission_pct=D(1), wholesale_commission_pct=D(1))
    await payroll.set_profile(session, company_id=company.id, employee_id=young.id, birth_date=date(1999, 2, 2))
    await employee(session, company.id, "Unmapped", base_salary=D(4_000_000), wholesale_commission_pct=D(1))
    run = await payroll.compute_draft(session, company.id, MONTH, today=AFTER)
    lines = {line.name: line for line in await payroll.run_lines(session, run.id)}
    assert [w["code"] for w in lines["Young seller"].warnings][:1] == ["no_regos_user"]
    assert (lines["Young seller"].social_tax_rate, lines["Young seller"].social_tax) == (D("0.01"), D(40_000))
    assert "no_regos_user_wholesale" in [w["code"] for w in lines["Unmapped"].warnings]
    assert lines["Unmapped"].social_tax == D(480_000)


async def test_schemes_change_by_effective_date(session: AsyncSession) -> None:
    company = await create_company(session)
    person = await employee(session, company.id, "Aziza", base_salary=D(4_000_000))
    await payroll.set_scheme(session, company_id=company.id, employee_id=person.id, effective_from=date(2025, 12, 1),
                             scheme=SchemeInput(base_salary=D(5_000_000)))
    november = await payroll.compute_draft(session, company.id, MONTH, today=AFTER)
    december = await payroll.compute_draft(session, company.id, date(2025, 12, 1), today=date(2026, 1, 5))
    assert [line.base for line in await payroll.run_lines(session, november.id)] == [D(4_000_000)]
    assert [line.base for line in await payroll.run_lines(session, december.id)] == [D(5_000_000)]

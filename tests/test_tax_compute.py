"""Tax months computed from the books, checked against hand-computed figures (Tax Code rules in
../shared/reference/uz_tax_payroll.md): VAT with returns, zero-rated items, e-invoice vs paper input VAT and a
carried-forward balance; turnover tax; PIT and social tax from the approved payroll; a regime change mid-month;
the 1 bn threshold crossing; missing days, missing payroll, future and pre-company months refused."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Company, CompanyTaxRegime, TaxRegime
from db.payroll import PayrollRun, RunKind, RunStatus
from db.purchases import Purchase, PurchaseStatus, Supplier, VatClaim
from db.regos_data import DailySales, DayItemSales, SyncRun, SyncRunStatus
from db.tax import ItemVatClass, TaxReport, TaxReportStatus, VatClass
from services.tax.compute import BeforeCompany, PeriodInFuture, compute_month
from services.tax.periods import month_last
from services.tax.reports import ReportIncomplete, open_report, submit_report
from tests.helpers import create_company

D = Decimal
NOV = date(2025, 11, 1)
TODAY = date(2025, 12, 5)


async def company_on(session: AsyncSession, *regimes: tuple[TaxRegime, date], name: str = "Oila Market") -> Company:
    company = await create_company(session, name=name)
    for regime, since in regimes:
        session.add(CompanyTaxRegime(company_id=company.id, regime=regime.value, effective_from=since))
    await session.flush()
    return company


async def imported(session: AsyncSession, company_id: int, first: date, last: date) -> None:
    session.add(SyncRun(company_id=company_id, trigger="cli", window_from=first, window_to=last,
                        status=SyncRunStatus.OK))
    await session.flush()


async def day_sales(session: AsyncSession, company_id: int, day: date, *, gross: int, returns: int = 0,
                    wholesale: int = 0) -> None:
    session.add(DailySales(company_id=company_id, business_day=day, receipts=3, retail_gross=D(gross),
                           retail_returns=D(returns), retail_net=D(gross - returns), wholesale_net=D(wholesale)))
    await session.flush()


async def approved_payroll(session: AsyncSession, company_id: int, month: date, gross: int = 5_000_000) -> None:
    g = D(gross)
    session.add(PayrollRun(company_id=company_id, month=month, kind=RunKind.MONTHLY, version=1,
                           status=RunStatus.APPROVED,
                           totals={"gross": f"{g:.2f}", "pit": f"{g * D('0.12'):.2f}",
                                   "pit_budget": f"{g * D('0.119'):.2f}", "inps": f"{g * D('0.001'):.2f}",
                                   "social_tax": f"{g * D('0.12'):.2f}", "employees": 1}))
    await session.flush()


async def purchase(session: AsyncSession, company_id: int, supplier: Supplier, day: date, *, total: int | None,
                   vat: int | None, claim: VatClaim, status: PurchaseStatus = PurchaseStatus.CONFIRMED) -> None:
    session.add(Purchase(company_id=company_id, supplier_id=supplier.id, document_number=f"F-{day.day}",
                         document_date=day, total=D(total) if total is not None else None,
                         vat_amount=D(vat) if vat is not None else None, vat_claim=claim, status=status))
    await session.flush()


async def test_vat_month_by_hand(session: AsyncSession) -> None:
    company = await company_on(session, (TaxRegime.VAT, date(2025, 1, 1)))
    await imported(session, company.id, NOV, month_last(NOV))
    await day_sales(session, company.id, date(2025, 11, 3), gross=1_232_000, returns=112_000)
    await day_sales(session, company.id, date(2025, 11, 4), gross=2_240_000, wholesale=560_000)
    session.add(DayItemSales(company_id=company.id, business_day=date(2025, 11, 3), item_regos_id=77,
                             sold_amount=D(224_000), returned_amount=D(0)))
    session.add(ItemVatClass(company_id=company.id, item_regos_id=77, vat_class=VatClass.ZERO))
    supplier = Supplier(company_id=company.id, tin="301234567", name="Ulgurji MChJ")
    session.add(supplier)
    await session.flush()
    await purchase(session, company.id, supplier, date(2025, 11, 5), total=2_800_000, vat=300_000,
                   claim=VatClaim.E_INVOICE)
    await purchase(session, company.id, supplier, date(2025, 11, 6), total=560_000, vat=60_000, claim=VatClaim.PAPER)
    await purchase(session, company.id, supplier, date(2025, 11, 7), total=None, vat=None, claim=VatClaim.E_INVOICE)
    await purchase(session, company.id, supplier, date(2025, 11, 8), total=1_120_000, vat=120_000,
                   claim=VatClaim.E_INVOICE, status=PurchaseStatus.DRAFT)
    session.add(TaxReport(company_id=company.id, period="2025-10", month=date(2025, 10, 1), figures={},
                          vat_carry_forward=D(150_000)))
    await approved_payroll(session, company.id, NOV)

    figures = await compute_month(session, company, NOV, TODAY)
    vat = figures["taxes"]["vat"]
    # retail net 3 360 000 less zero-rated 224 000 = 3 136 000 × 12/112 = 336 000; wholesale 560 000 → 60 000
    assert vat["output"]["retail_standard"] == "3136000.00" and vat["output"]["retail_zero_rated"] == "224000.00"
    assert vat["output"]["vat_retail"] == "336000.00" and vat["output"]["vat_wholesale"] == "60000.00"
    assert vat["output"]["output"] == "396000.00"
    # input: the e-invoice 300 000 only (paper 60 000 flagged, the draft ignored, one without VAT details)
    assert vat["input"] == {"credited": "300000.00", "paper_not_credited": "60000.00", "no_details": 1}
    assert vat["carried_in"] == "150000.00"
    # 396 000 − 300 000 − 150 000 = −54 000: nothing to pay, 54 000 carried forward
    assert (vat["payable"], vat["carried_out"], vat["amount"]) == ("0.00", "54000.00", "0.00")
    assert figures["vat_carry_forward"] == "54000.00"
    assert vat["sources"] == {"days": 2, "purchases": 3, "e_invoices": 1, "items_from_regos": 0,
                              "items_overridden": 1}
    assert figures["taxes"]["pit"]["amount"] == "600000.00" and figures["taxes"]["pit"]["inps"] == "5000.00"
    assert figures["taxes"]["pit"]["budget"] == "595000.00" and figures["taxes"]["social"]["amount"] == "600000.00"
    assert figures["total_due"] == "1200000.00" and figures["regime"] == "vat"
    keys = {w["key"] for w in figures["warnings"]}
    assert {"tax-warn-paper-vat", "tax-warn-purchase-no-vat"} <= keys
    assert figures["deadlines"] == {"pit_social": "2025-12-15", "vat": "2025-12-22"}  # 20 Dec 2025 is a Saturday


async def test_turnover_month_by_hand_and_missing_payroll(session: AsyncSession) -> None:
    company = await company_on(session, (TaxRegime.TURNOVER, date(2025, 1, 1)))
    await imported(session, company.id, NOV, month_last(NOV))
    await day_sales(session, company.id, date(2025, 11, 10), gross=10_500_000, returns=500_000, wholesale=2_000_000)
    figures = await compute_month(session, company, NOV, TODAY)
    turnover = figures["taxes"]["turnover"]
    # revenue less returns: 10 000 000 + 2 000 000 = 12 000 000 × 4% = 480 000
    assert (turnover["base"], turnover["rate"], turnover["amount"]) == ("12000000.00", "4", "480000.00")
    assert "vat" not in figures["taxes"] and figures["regime"] == "turnover"
    assert figures["taxes"]["pit"]["amount"] is None
    assert {"key": "tax-missing-payroll-none", "month": "2025-11"} in figures["warnings"]
    assert figures["total_due"] == "480000.00"
    report = await open_report(session, company, NOV, TODAY)
    with pytest.raises(ReportIncomplete):
        await submit_report(session, company.id, report.id, requested_by=None)  # type: ignore[arg-type]
    assert report.status == TaxReportStatus.DRAFT


async def test_regime_change_mid_month_splits_it(session: AsyncSession) -> None:
    company = await company_on(session, (TaxRegime.TURNOVER, date(2025, 1, 1)), (TaxRegime.VAT, date(2025, 11, 16)))
    await imported(session, company.id, NOV, month_last(NOV))
    await day_sales(session, company.id, date(2025, 11, 10), gross=1_120_000)
    await day_sales(session, company.id, date(2025, 11, 20), gross=1_120_000)
    figures = await compute_month(session, company, NOV, TODAY)
    assert figures["regime"] == "mixed"
    assert [s["regime"] for s in figures["segments"]] == ["turnover", "vat"]
    assert figures["taxes"]["turnover"]["amount"] == "44800.00"  # 1 120 000 × 4%
    assert figures["taxes"]["vat"]["output"]["output"] == "120000.00"  # 1 120 000 × 12/112
    assert {"key": "tax-warn-regime-split", "day": "2025-11-16"} in figures["warnings"]
    assert set(figures["deadlines"]) == {"pit_social", "turnover", "vat"}


async def test_threshold_crossing_says_from_which_month(session: AsyncSession) -> None:
    company = await company_on(session, (TaxRegime.TURNOVER, date(2025, 1, 1)))
    await imported(session, company.id, date(2025, 1, 1), date(2025, 11, 30))
    await day_sales(session, company.id, date(2025, 3, 10), gross=600_000_000)
    await day_sales(session, company.id, date(2025, 6, 5), gross=450_000_000)
    figures = await compute_month(session, company, NOV, TODAY)
    assert figures["threshold"]["state"] == "exceeded"
    assert (figures["threshold"]["crossed_in"], figures["threshold"]["general_from"]) == ("2025-06", "2025-07")
    march = await compute_month(session, company, date(2025, 3, 1), TODAY)
    assert march["threshold"]["state"] == "ok"  # 600 m of 1 bn: below the 80% warning
    await day_sales(session, company.id, date(2025, 3, 11), gross=250_000_000)
    march = await compute_month(session, company, date(2025, 3, 1), TODAY)
    assert march["threshold"]["state"] == "approaching"


async def test_missing_days_give_no_sales_figure(session: AsyncSession) -> None:
    company = await company_on(session, (TaxRegime.VAT, date(2025, 1, 1)))
    await day_sales(session, company.id, date(2025, 11, 3), gross=1_120_000)
    await approved_payroll(session, company.id, NOV)
    figures = await compute_month(session, company, NOV, TODAY)
    assert figures["coverage"]["complete"] is False and figures["coverage"]["missing_days"] == 29
    assert figures["coverage"]["missing"][0] == ["2025-11-01", "2025-11-02"]
    assert figures["sales"] is None
    assert figures["taxes"]["vat"]["amount"] is None and figures["taxes"]["vat"]["missing"] == "tax-missing-days"
    assert figures["taxes"]["pit"]["amount"] == "600000.00"  # payroll does not depend on the sales days
    assert figures["total_due"] == "1200000.00"


async def test_future_and_pre_company_months_are_refused(session: AsyncSession) -> None:
    company = await company_on(session, (TaxRegime.VAT, date(2025, 6, 1)))
    with pytest.raises(PeriodInFuture):
        await compute_month(session, company, date(2026, 1, 1), TODAY)
    with pytest.raises(BeforeCompany):
        await compute_month(session, company, date(2025, 5, 1), TODAY)
    current = await compute_month(session, company, date(2025, 12, 1), TODAY)
    assert current["preliminary"] is True and {"key": "tax-warn-preliminary"} in current["warnings"]


async def test_profit_tax_estimate_at_quarter_end(session: AsyncSession) -> None:
    from db.finance import Expense, ExpenseStatus
    from db.regos_data import DayReportCounts

    company = await company_on(session, (TaxRegime.VAT, date(2025, 1, 1)))
    sep = date(2025, 9, 1)
    await imported(session, company.id, date(2025, 7, 1), month_last(sep))
    await day_sales(session, company.id, date(2025, 8, 4), gross=112_000_000)
    session.add(DayReportCounts(company_id=company.id, business_day=date(2025, 8, 4), gross_profit=D(40_000_000)))
    session.add(Expense(company_id=company.id, amount=D(3_000_000), spent_on=date(2025, 8, 5),
                        status=ExpenseStatus.APPROVED))
    session.add(Expense(company_id=company.id, amount=D(9_000_000), spent_on=date(2025, 8, 6),
                        status=ExpenseStatus.REJECTED))
    for month in (date(2025, 7, 1), date(2025, 8, 1), sep):
        await approved_payroll(session, company.id, month, gross=2_000_000)
    figures = await compute_month(session, company, sep, TODAY)
    profit = figures["taxes"]["profit"]
    # revenue 112 000 000 − VAT 12 000 000 = 100 000 000; cost 112 m − 40 m = 72 000 000; expenses 3 000 000;
    # payroll 6 000 000 and social tax 720 000 → profit 18 280 000 × 15% = 2 742 000 (an estimate)
    assert profit["estimate"] is True and profit["quarter"] == "2025-Q3"
    assert (profit["revenue_without_vat"], profit["cost_of_goods"], profit["expenses"]) == (
        "100000000.00", "72000000.00", "3000000.00")
    assert (profit["payroll"], profit["social_tax"], profit["base"], profit["amount"]) == (
        "6000000.00", "720000.00", "18280000.00", "2742000.00")
    assert "profit" in figures["deadlines"] and figures["deadlines"]["profit"] == "2025-10-20"
    # the estimate is not added to the month's tax due
    assert D(figures["total_due"]) == D(figures["taxes"]["vat"]["amount"]) + D("480000")

"""Days never imported, per branch (issue 11, item 1): coverage, reports, charts, files and summaries name them as
missing, never as zero, and no change is computed against a comparison period the books hold only in part.
Approved expenses and the cash line in reports and summaries (issue 12)."""

from __future__ import annotations

import csv
import io
import json
import math
from datetime import date, timedelta
from decimal import Decimal
from functools import partial

from openpyxl import load_workbook
from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.i18n import translate
from db.base import utcnow
from db.books import ImportedDay
from db.finance import CashMovement, CashRegister, Expense, ExpenseCategory, ExpenseStatus, MovementKind
from db.models import Branch, JobClaim
from db.regos_data import DailySales, Receipt, SyncRun, SyncRunStatus
from sandbox.regos import RegosDataGenerator
from services.locale import format_money
from services.reports import ExportFormat, Period, PeriodKind, daily_series, export_report, sales_report
from services.reports.charts import daily_chart_png
from services.reports.coverage import coverage, mark_days_imported
from services.reports.render import chart_caption, render_sales_report
from services.summaries import build_daily_summary, render_daily_summary
from tests.helpers import create_company
from tests.reports_support import copy_generated, expected_totals

START = date(2025, 1, 6)  # a Monday
WEEK_ONE = Period(START, START + timedelta(days=6), PeriodKind.LAST_WEEK)
WEEK_TWO = Period(START + timedelta(days=7), START + timedelta(days=13), PeriodKind.LAST_WEEK)
EN = partial(translate, "en")


def generator() -> RegosDataGenerator:
    return RegosDataGenerator(seed=8, start_date=START, days=14, receipts_per_day=12)


async def test_coverage_is_per_branch_with_a_fallback_for_older_syncs(
        session_factory: async_sessionmaker[AsyncSession]) -> None:
    days = [START + timedelta(days=offset) for offset in range(5)]
    period = Period(days[0], days[-1])
    async with session_factory() as session:
        company = await create_company(session)
        first, second = Branch(company_id=company.id, name="A"), Branch(company_id=company.id, name="B")
        session.add_all([first, second])
        await session.flush()
        found = await coverage(session, company.id, period, today=date(2026, 1, 1))
        assert found.missing == tuple(days)  # never synced: every day is missing

        # a sync run from before the per-branch table covered days 1-2, after both branches existed
        session.add(SyncRun(company_id=company.id, trigger="cli", window_from=days[0], window_to=days[1],
                            status=SyncRunStatus.OK, finished_at=utcnow()))
        # a failed run covers nothing
        session.add(SyncRun(company_id=company.id, trigger="cli", window_from=days[0], window_to=days[4],
                            status="failed", finished_at=utcnow()))
        # day 3 imported for branch A only; day 4 has branch B's aggregates (an older sync)
        assert await mark_days_imported(session, company.id, [first.id], days[2]) == 1
        assert await mark_days_imported(session, company.id, [first.id], days[2]) == 0  # idempotent
        session.add(DailySales(company_id=company.id, business_day=days[3], branch_id=second.id))
        await session.flush()

        found = await coverage(session, company.id, period, today=date(2026, 1, 1))
        assert found.missing == (days[2], days[3], days[4])
        assert found.by_branch[first.id] == {days[3], days[4]}
        assert found.by_branch[second.id] == {days[2], days[4]}
        only_a = await coverage(session, company.id, period, today=date(2026, 1, 1), branch_ids=[first.id])
        assert only_a.missing == (days[3], days[4])

        # a branch added after the old sync is missing for the days before it was imported
        late = Branch(company_id=company.id, name="C", created_at=utcnow() + timedelta(hours=1))
        session.add(late)
        await session.flush()
        found = await coverage(session, company.id, period, today=date(2026, 1, 1), branch_ids=[late.id])
        assert found.missing == tuple(days)
        await mark_days_imported(session, company.id, None, *days)  # a backfill marks every branch
        assert (await coverage(session, company.id, period, today=date(2026, 1, 1))).complete

        # days after today have not happened: not missing
        future = await coverage(session, company.id, Period(days[4], days[4] + timedelta(days=30)), today=days[4])
        assert future.complete


async def test_a_day_whose_sync_stopped_part_way_is_missing_until_a_sync_completes_it(
        session_factory: async_sessionmaker[AsyncSession]) -> None:
    day = START
    async with session_factory() as session:
        company = await create_company(session, branches=["A"])
        branch_id = await session.scalar(select(Branch.id).where(Branch.company_id == company.id))
        # the sync wrote some of the day's aggregates, then failed: its claim says so
        session.add(DailySales(company_id=company.id, business_day=day, branch_id=branch_id))
        session.add(JobClaim(job="regos-sync-day", scope=f"company:{company.id}", period=day.isoformat(),
                             owner="host:1:x", status="failed"))
        await session.flush()
        assert (await coverage(session, company.id, Period(day, day), today=date(2026, 1, 1))).missing == (day,)
        await mark_days_imported(session, company.id, None, day)  # the next sync completes it
        assert (await coverage(session, company.id, Period(day, day), today=date(2026, 1, 1))).complete


async def test_a_partly_imported_comparison_period_shows_no_change(
        session_factory: async_sessionmaker[AsyncSession]) -> None:
    data = generator()
    async with session_factory() as session:
        company = await create_company(session, name="Baraka Savdo")
        seeded = await copy_generated(session, company.id, data, WEEK_TWO.first, WEEK_TWO.last)  # week one never
        await session.commit()
        report = await sales_report(session, company.id, WEEK_TWO)
    assert report.missing == () and len(report.previous_missing) == 7
    assert report.totals.net_sales == expected_totals(data, WEEK_TWO.first, WEEK_TWO.last).total_net
    assert report.change("net_sales") is None and not report.comparable
    assert all(p.previous_net is None for p in report.payments)
    assert all(p.previous_amount is None for p in report.products)
    assert all(b.previous is None for b in report.branches)
    text = render_sales_report(report, EN, "en")
    assert "The comparison period is missing 7 days (06.01–12.01.2025), so no changes are shown" in text
    assert "▲" not in text and "▼" not in text and "%" not in text
    data_json = json.loads(export_report(report, ExportFormat.JSON, EN, "en"))
    assert data_json["previous_missing_days"][0] == "2025-01-06" and set(data_json["changes"].values()) == {None}

    # one branch lacking a day of the comparison period: that branch shows no change, the others do
    async with session_factory() as session:
        await mark_days_imported(session, company.id, None, *WEEK_ONE.dates())
        lacking = seeded.branch_by_stock[data.stocks[0].id]
        await session.execute(delete(ImportedDay).where(ImportedDay.branch_id == lacking,
                                                        ImportedDay.business_day == WEEK_ONE.first))
        await session.commit()
        report = await sales_report(session, company.id, WEEK_TWO)
    assert report.previous_missing == (WEEK_ONE.first,) and report.change("net_sales") is None
    rows = {row.branch_id: row for row in report.branches}
    assert rows[lacking].previous is None
    assert all(row.previous is not None for branch_id, row in rows.items() if branch_id != lacking)


async def test_missing_days_are_marked_in_text_chart_and_files(
        session_factory: async_sessionmaker[AsyncSession]) -> None:
    data = generator()
    gap = WEEK_TWO.first + timedelta(days=2)
    async with session_factory() as session:
        company = await create_company(session, name="Baraka Savdo")
        seeded = await copy_generated(session, company.id, data)
        branch = seeded.branch_by_stock[data.stocks[1].id]
        await session.execute(delete(ImportedDay).where(ImportedDay.branch_id == branch,
                                                        ImportedDay.business_day == gap))
        await session.commit()
        report = await sales_report(session, company.id, WEEK_TWO)
        series = await daily_series(session, company.id, WEEK_TWO)
    assert report.missing == (gap,) and [row.day for row in report.days if row.missing] == [gap]
    text = render_sales_report(report, EN, "en")
    assert "1 day of this period is not imported yet (15 January 2025)" in text and "/sync" in text

    # the chart: a gap for that branch on that day, not a zero
    assert series.missing == {branch: frozenset({gap})}
    assert "Gaps: 1 day not imported (15 January 2025)" in chart_caption(series, EN, "en")
    assert daily_chart_png(series, EN, "en").startswith(b"\x89PNG")

    # files: the day says "not imported" (CSV, Excel), JSON has it as not imported with no figures
    rows = list(csv.reader(io.StringIO(export_report(report, ExportFormat.CSV, EN, "en").decode("utf-8-sig"))))
    assert [gap.isoformat(), "not imported", "", "", "", "", "", ""] in rows
    assert any("Days not imported: 15 January 2025" in cell for row in rows for cell in row)
    workbook = load_workbook(io.BytesIO(export_report(report, ExportFormat.XLSX, EN, "en")))
    by_day = list(workbook["By day"].iter_rows(min_row=2, values_only=True))
    assert [row[1] for row in by_day if hasattr(row[0], "date") and row[0].date() == gap] == ["not imported"]
    day = next(d for d in json.loads(export_report(report, ExportFormat.JSON, EN, "en"))["days"]
               if d["date"] == gap.isoformat())
    assert day["imported"] is False and day["net_sales"] is None
    ru = partial(translate, "ru")
    ru_rows = export_report(report, ExportFormat.CSV, ru, "ru").decode("utf-8-sig")
    assert f"{gap.isoformat()};не загружен;" in ru_rows

    # the day nobody imported for any branch, in a period with no sales otherwise: missing, not "no sales"
    async with session_factory() as session:
        await session.execute(delete(Receipt).where(Receipt.business_day == gap))
        await session.commit()
        one_day = await sales_report(session, company.id, Period(gap, gap))
    assert one_day.imported_days == 0
    one_text = render_sales_report(one_day, EN, "en")
    assert "not imported yet" in one_text and "No sales" not in one_text


async def test_nan_gaps_leave_the_line_and_its_scale_alone() -> None:
    from services.reports.sales import DailySeries

    days = [START + timedelta(days=offset) for offset in range(4)]
    series = DailySeries(days=days, net={1: {d: Decimal(100 + i) for i, d in enumerate(days)}}, names={1: "A"},
                         missing={1: frozenset({days[1]})})
    assert daily_chart_png(series, EN, "en").startswith(b"\x89PNG")
    assert math.isnan(float("nan"))


async def _add_expense(session: AsyncSession, company_id: int, branch_id: int | None, day: date, amount: str,
                       status: ExpenseStatus, category_id: int | None) -> None:
    session.add(Expense(company_id=company_id, branch_id=branch_id, category_id=category_id, amount=Decimal(amount),
                        spent_on=day, status=status))


async def test_approved_expenses_and_cash_in_the_report_and_the_summary(
        session_factory: async_sessionmaker[AsyncSession]) -> None:
    data = generator()
    day = WEEK_TWO.first + timedelta(days=1)
    async with session_factory() as session:
        company = await create_company(session, name="Baraka Savdo")
        seeded = await copy_generated(session, company.id, data)
        branch = seeded.branch_by_stock[data.stocks[0].id]
        other = seeded.branch_by_stock[data.stocks[1].id]
        rent = ExpenseCategory(company_id=company.id, code="rent")
        own = ExpenseCategory(company_id=company.id, name="Choy <va> non")
        session.add_all([rent, own])
        await session.flush()
        await _add_expense(session, company.id, branch, day, "150000", ExpenseStatus.APPROVED, rent.id)
        await _add_expense(session, company.id, branch, day, "25000.50", ExpenseStatus.APPROVED, own.id)
        await _add_expense(session, company.id, branch, day, "999999", ExpenseStatus.REJECTED, rent.id)
        await _add_expense(session, company.id, branch, day, "777777", ExpenseStatus.PENDING, rent.id)
        await _add_expense(session, company.id, branch, WEEK_ONE.first, "5000", ExpenseStatus.APPROVED, rent.id)
        await session.commit()
        report = await sales_report(session, company.id, WEEK_TWO)
        scoped = await sales_report(session, company.id, WEEK_TWO, branch_ids=[other])
        summary = await build_daily_summary(session, company.id, day)
        without_cash = render_daily_summary(summary, EN, "en")
        register = CashRegister(company_id=company.id, branch_id=branch, name="Kassa 1")
        session.add(register)
        await session.flush()
        session.add(CashMovement(company_id=company.id, register_id=register.id, kind=MovementKind.DEPOSIT,
                                 amount=Decimal("500000"), business_day=day))
        await session.commit()
        with_cash = render_daily_summary(await build_daily_summary(session, company.id, day), EN, "en")

    assert report.expenses is not None and report.expenses.amount == Decimal("175000.50")
    assert report.expenses.count == 2
    assert report.net_after_expenses == report.totals.net_sales - Decimal("175000.50")
    text = render_sales_report(report, EN, "en")
    assert "Approved expenses" in text
    assert f"Rent: {format_money(Decimal('150000'), 'en')} (1)" in text
    assert "Choy &lt;va&gt; non" in text  # the owner's own name, escaped
    assert f"Expenses in total: {format_money(Decimal('175000.50'), 'en')} (2 expenses)" in text
    assert f"Net sales after expenses: <b>{format_money(report.net_after_expenses, 'en')}</b>" in text
    assert "999" not in text.replace(",", " ").split("Approved expenses")[1].split("Net sales after")[0]
    assert scoped.expenses is not None and scoped.expenses.count == 0
    assert "Approved expenses" not in render_sales_report(scoped, EN, "en")
    workbook = load_workbook(io.BytesIO(export_report(report, ExportFormat.XLSX, EN, "en")))
    sheet = {row[0]: row[1:] for row in workbook["Expenses"].iter_rows(min_row=2, values_only=True)}
    assert Decimal(str(sheet["Rent"][1])) == Decimal("150000") and sheet["Choy <va> non"][0] == 1

    after = summary.report.net_after_expenses
    assert after is not None and f"Net sales after expenses: <b>{format_money(after, 'en')}</b>" in without_cash
    assert "In the cash registers" not in without_cash  # no cash kept in the bot: no figure
    assert f"In the cash registers: {format_money(Decimal('500000'), 'en')}" in with_cash


async def test_summary_names_missing_days_and_counters_add_up(
        session_factory: async_sessionmaker[AsyncSession]) -> None:
    data = generator()
    day = WEEK_TWO.first + timedelta(days=3)
    async with session_factory() as session:
        company = await create_company(session, name="Baraka Savdo")
        await copy_generated(session, company.id, data, WEEK_TWO.first, WEEK_TWO.last)  # a week ago: never
        # a receipt not matched to a branch still counts, and its row is shown so the rows add up
        stray = await session.scalar(select(Receipt.id).where(Receipt.business_day == day,
                                                              Receipt.is_return.is_(False)).limit(1))
        await session.execute(update(Receipt).where(Receipt.id == stray).values(branch_id=None))
        await session.commit()
        summary = await build_daily_summary(session, company.id, day)
    report = summary.report
    assert summary.same_weekday_missing and not report.missing
    text = render_daily_summary(summary, EN, "en")
    week_ago = "9 January 2025"
    assert f"no comparison with {week_ago}: that day is not imported" in text
    assert "vs the day before" in text  # yesterday is imported: its change is honest
    assert "without a branch" in text
    assert sum((b.totals.net_sales for b in summary.branches), Decimal(0)) == report.totals.net_sales
    assert sum(b.totals.receipts for b in summary.branches) == report.totals.receipts
    assert sum((row.totals.net_sales for row in report.days), Decimal(0)) == report.totals.net_sales
    assert sum((b.totals.net_sales for b in report.branches), Decimal(0)) == report.totals.net_sales
    assert sum((p.net for p in report.payments), Decimal(0)) == report.totals.retail_net  # paid = sold

    async with session_factory() as session:
        first = await build_daily_summary(session, company.id, WEEK_TWO.first)
    first_text = render_daily_summary(first, EN, "en")
    assert "vs the day before" not in first_text and "no comparison with 12 January 2025" in first_text
    async with session_factory() as session:
        missing = await build_daily_summary(session, company.id, WEEK_ONE.first)
    missing_text = render_daily_summary(missing, EN, "en")
    assert "Not all of 6 January 2025 is imported yet" in missing_text and "No sales" not in missing_text


def test_summary_import_button_packs_as_the_callback() -> None:
    from handlers.callbacks import ImportDaysCallback
    from services.summary_delivery import import_days_data

    first, last = date(2026, 11, 1), date(2026, 11, 14)
    assert import_days_data(7, first, last) == ImportDaysCallback(
        company=7, first=first.toordinal(), last=last.toordinal()).pack()

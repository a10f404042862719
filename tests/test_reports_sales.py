"""The period report against the fake REGOS generator's own totals, its text, chart and files."""

from __future__ import annotations

import csv
import importlib.util
import io
import json
from datetime import date, timedelta
from decimal import Decimal
from functools import partial

import pytest
from openpyxl import load_workbook
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.i18n import translate
from db.base import utcnow
from db.models import Branch
from db.regos_data import Item, RegosConnection, SyncRun, SyncRunStatus
from sandbox.regos import FakeRegos, RegosDataGenerator
from services.locale import format_money
from services.reports import (
    DataStatus,
    ExportFormat,
    Period,
    PeriodKind,
    chart_window,
    daily_chart_png,
    daily_series,
    data_status,
    export_report,
    has_chart_data,
    neutralise_csv_cell,
    render_sales_report,
    report_json,
    sales_report,
    split_message,
)
from tests.helpers import FakeRegosFactory, create_company
from tests.reports_support import (
    copy_generated,
    expected_items,
    expected_sellers,
    expected_totals,
    sync_from_fake,
)

START = date(2025, 1, 6)  # a Monday
LAST_WEEK = Period(date(2025, 1, 13), date(2025, 1, 19), PeriodKind.LAST_WEEK)
PREVIOUS_WEEK = Period(date(2025, 1, 6), date(2025, 1, 12), PeriodKind.LAST_WEEK)
PDFIUM = importlib.util.find_spec("pypdfium2") is not None


@pytest.fixture
async def fake(start_fake_regos: FakeRegosFactory) -> FakeRegos:
    return await start_fake_regos(seed=21, start_date=START, days=14, receipts_per_day=30, rate_limit=False)


def small_generator() -> RegosDataGenerator:
    return RegosDataGenerator(seed=4, start_date=START, days=14, receipts_per_day=25)


async def copied_company(session_factory: async_sessionmaker[AsyncSession],
                         generator: RegosDataGenerator) -> tuple[int, dict[int, int]]:
    async with session_factory() as session:
        company = await create_company(session, name="Baraka Savdo")
        seeded = await copy_generated(session, company.id, generator)
        await session.commit()
    return company.id, seeded.branch_by_stock


async def test_synced_report_equals_the_generators_ground_truth(
    session_factory: async_sessionmaker[AsyncSession], fake: FakeRegos
) -> None:
    async with session_factory() as session:
        company = await create_company(session, name="Baraka Savdo")
        await session.commit()
    seeded = await sync_from_fake(session_factory, company.id, fake)
    generator = fake.generator
    truth = expected_totals(generator, LAST_WEEK.first, LAST_WEEK.last)
    before = expected_totals(generator, PREVIOUS_WEEK.first, PREVIOUS_WEEK.last)

    async with session_factory() as session:
        report = await sales_report(session, company.id, LAST_WEEK)
    totals = report.totals
    assert (totals.receipts, totals.return_receipts, totals.retail_gross, totals.retail_returns,
            totals.retail_net) == (truth.sale_count, truth.return_count, truth.retail_gross, truth.retail_returns,
                                   truth.retail_net)
    assert (totals.wholesale_gross, totals.wholesale_returns, totals.wholesale_net) == (
        truth.wholesale_gross, truth.wholesale_returns, truth.wholesale_net)
    assert totals.net_sales == truth.total_net
    assert totals.average_receipt == (truth.retail_gross / truth.sale_count).quantize(Decimal("0.01"))
    assert report.previous_period == PREVIOUS_WEEK
    assert report.previous is not None and report.previous.net_sales == before.total_net
    expected_change = ((truth.total_net - before.total_net) * 100 / before.total_net).quantize(Decimal("0.1"))
    assert report.change("net_sales") == expected_change

    # by payment type: sales and refunds per type, as REGOS's payments report has them
    assert {p.regos_id: (p.name, p.sales, p.refunds) for p in report.payments} == {
        type_id: (p.name, p.sale_amount, p.return_amount) for type_id, p in truth.payments.items()}
    previous_payments: dict[int | None, Decimal] = {type_id: p.net for type_id, p in before.payments.items()}
    assert all(p.previous_net == previous_payments.get(p.regos_id, 0) for p in report.payments)

    # by branch, and a report over one branch only
    stock_of_branch = {branch: stock for stock, branch in seeded.branch_by_stock.items()}
    for row in report.branches:
        assert row.branch_id is not None
        stock_truth = generator.period_totals(LAST_WEEK.first, LAST_WEEK.last, stock_of_branch[row.branch_id])
        assert (row.totals.receipts, row.totals.retail_net, row.totals.wholesale_net) == (
            stock_truth.sale_count, stock_truth.retail_net, stock_truth.wholesale_net)
    assert {row.branch_id for row in report.branches} == set(seeded.branch_by_stock.values())
    async with session_factory() as session:
        one = await sales_report(session, company.id, LAST_WEEK, branch_ids=[seeded.branch_by_stock[2]])
    stock_truth = expected_totals(generator, LAST_WEEK.first, LAST_WEEK.last, stock_ids=[2])
    assert (one.totals.receipts, one.totals.retail_net, one.totals.wholesale_net) == (
        stock_truth.sale_count, stock_truth.retail_net, stock_truth.wholesale_net)
    assert [b.id for b in one.scope or []] == [seeded.branch_by_stock[2]]

    # top products (storno lines dropped) and sellers
    items = expected_items(generator, LAST_WEEK.first, LAST_WEEK.last)
    ranked = sorted(items.items(), key=lambda kv: (-kv[1][1], kv[0]))
    assert [(p.item_regos_id, p.quantity, p.amount) for p in report.products] == [
        (item_id, quantity, amount) for item_id, (quantity, amount) in ranked[:len(report.products)]]
    assert report.products[0].name == generator.items_by_id[ranked[0][0]].name
    sellers = expected_sellers(generator, LAST_WEEK.first, LAST_WEEK.last)
    assert {s.regos_user_id: (s.receipts, s.net) for s in report.sellers} == {
        user_id: figures for user_id, figures in sellers.items() if user_id is not None}
    assert report.sellers[0].name == generator.users_by_id[report.sellers[0].regos_user_id or 0].full_name

    # every day of the period, and the chart's series per branch
    assert [(d.day, d.totals.receipts, d.totals.net_sales) for d in report.days] == [
        (day, generator.day_totals(day).sale_count, generator.day_totals(day).total_net) for day in LAST_WEEK.dates()]
    async with session_factory() as session:
        series = await daily_series(session, company.id, Period(START, LAST_WEEK.last))
    for stock_id, branch_id in seeded.branch_by_stock.items():
        assert series.net[branch_id] == {day: generator.day_totals(day, stock_id).total_net for day in series.days}


async def test_branch_scope_other_companies_and_empty_companies(
    session_factory: async_sessionmaker[AsyncSession]
) -> None:
    generator = small_generator()
    company_id, branch_by_stock = await copied_company(session_factory, generator)
    async with session_factory() as session:
        other = await create_company(session, name="Other", tin="222222222")
        await session.commit()
        assert await data_status(session, other.id) == DataStatus.NOT_CONNECTED
        session.add(RegosConnection(company_id=other.id, gateway_url="http://127.0.0.1:1", key_encrypted="x",
                                    key_prefix="abcd", webhook_secret="s", settings={}))
        await session.commit()
        assert await data_status(session, other.id) == DataStatus.CONNECTED_NO_DATA
        assert await data_status(session, company_id) == DataStatus.HAS_DATA

        # another company's branch ids match nothing of this one, and its report is empty
        foreign = await sales_report(session, other.id, LAST_WEEK, branch_ids=list(branch_by_stock.values()))
        same_weekday = Period(LAST_WEEK.last - timedelta(days=7), LAST_WEEK.last - timedelta(days=7))
        sunday = await sales_report(session, company_id, Period(LAST_WEEK.last, LAST_WEEK.last),
                                    compare_with=same_weekday)
        assert sunday.previous_period == same_weekday
        assert sunday.previous is not None
        assert sunday.previous.net_sales == generator.day_totals(same_weekday.first).total_net
        assert foreign.totals.is_empty and foreign.products == [] and foreign.payments == []
        empty = await sales_report(session, other.id, LAST_WEEK)
        assert empty.totals.is_empty and len(empty.days) == 7
        text = render_sales_report(empty, partial(translate, "en"), "en")
        # never synced: the week is missing, not "no sales" (issue 11)
        assert "7 days of this period are not imported yet" in text and "No sales" not in text
        session.add(SyncRun(company_id=other.id, trigger="cli", window_from=LAST_WEEK.previous().first,
                            window_to=LAST_WEEK.last, status=SyncRunStatus.OK, finished_at=utcnow()))
        await session.flush()
        synced = render_sales_report(await sales_report(session, other.id, LAST_WEEK), partial(translate, "en"), "en")
        assert "No sales in this period" in synced and "not imported" not in synced

        two = [branch_by_stock[1], branch_by_stock[3]]
        scoped = await sales_report(session, company_id, LAST_WEEK, branch_ids=two)
    truth = expected_totals(generator, LAST_WEEK.first, LAST_WEEK.last, stock_ids=[1, 3])
    assert (scoped.totals.receipts, scoped.totals.retail_net, scoped.totals.wholesale_net) == (
        truth.sale_count, truth.retail_net, truth.wholesale_net)
    assert {row.branch_id for row in scoped.branches} == set(two)


async def test_text_is_phone_readable_escaped_and_split_under_the_limit(
    session_factory: async_sessionmaker[AsyncSession]
) -> None:
    generator = small_generator()
    company_id, branch_by_stock = await copied_company(session_factory, generator)
    async with session_factory() as session:
        await session.execute(update(Branch).where(Branch.id == branch_by_stock[1])
                              .values(name="<b>Chilonzor</b> & Co"))
        await session.commit()
        report = await sales_report(session, company_id, LAST_WEEK)
    truth = expected_totals(generator, LAST_WEEK.first, LAST_WEEK.last)
    for locale in ("uz", "ru", "en"):
        text = render_sales_report(report, partial(translate, locale), locale)
        assert format_money(truth.total_net, locale) in text
        assert format_money(truth.retail_returns, locale) in text
        assert "&lt;b&gt;Chilonzor&lt;/b&gt; &amp; Co" in text and "<b>Chilonzor" not in text
        assert "▲" in text or "▼" in text
        assert all(line == line.rstrip() for line in text.splitlines())
    assert "Sof savdo" in render_sales_report(report, partial(translate, "uz"), "uz")
    assert "Чистые продажи" in render_sales_report(report, partial(translate, "ru"), "ru")

    lines = [f"{index}. <b>Item</b> — {'x' * (index % 90)} 1 000 so'm ▲ 1,0% 📦" for index in range(600)]
    long_text = "\n".join(lines)
    parts = split_message(long_text)
    assert len(parts) > 1
    assert all(len(part.encode("utf-16-le")) // 2 <= 4096 for part in parts)
    assert "\n".join(parts).splitlines() == lines  # cut only between lines, nothing lost
    one_line = "&amp;" * 2000
    parts = split_message(one_line)
    assert "".join(parts) == one_line and all(part.endswith(";") for part in parts)


async def test_chart_is_a_png_of_the_branches(session_factory: async_sessionmaker[AsyncSession]) -> None:
    company_id, branch_by_stock = await copied_company(session_factory, small_generator())
    async with session_factory() as session:
        # "$" starts matplotlib math text; a name is only text
        await session.execute(update(Branch).where(Branch.id == branch_by_stock[1]).values(name=r"Do'kon $\frac$"))
        await session.commit()
        series = await daily_series(session, company_id, chart_window(LAST_WEEK))
    assert len(series.days) == 14 and has_chart_data(series)
    assert series.days[-1] == LAST_WEEK.last and set(series.net) == set(branch_by_stock.values())
    png = daily_chart_png(series, partial(translate, "ru"), "ru")
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 10_000


async def test_exports_hold_the_generators_totals(session_factory: async_sessionmaker[AsyncSession]) -> None:
    generator = small_generator()
    company_id, branch_by_stock = await copied_company(session_factory, generator)
    async with session_factory() as session:
        await session.execute(update(Item).where(Item.company_id == company_id)
                              .values(name="=HYPERLINK(\"http://evil\",\"oʻgʻ Ёж\")"))
        await session.execute(update(Branch).where(Branch.id == branch_by_stock[2]).values(name="+cmd|' /C calc'!A0"))
        await session.commit()
        report = await sales_report(session, company_id, LAST_WEEK)
    truth = expected_totals(generator, LAST_WEEK.first, LAST_WEEK.last)
    uz = partial(translate, "uz")

    # Excel: formatted sheets with totals, read back
    workbook = load_workbook(io.BytesIO(export_report(report, ExportFormat.XLSX, uz, "uz")))
    assert workbook.sheetnames == ["Jami", "Kunlar boʻyicha", "Filiallar boʻyicha", "Toʻlov turlari boʻyicha",
                                   "Top mahsulotlar", "Top sotuvchilar"]
    summary = {row[0]: row[1:] for row in workbook["Jami"].iter_rows(min_row=2, values_only=True) if row[0]}
    assert Decimal(str(summary["Sof savdo"][0])) == truth.total_net
    assert summary["Cheklar"][0] == truth.sale_count
    days_sheet = workbook["Kunlar boʻyicha"]
    assert days_sheet.freeze_panes == "B2"
    day_rows = list(days_sheet.iter_rows(min_row=2, values_only=True))
    assert len(day_rows) == 8 and day_rows[-1][0] == "Jami"
    assert Decimal(str(day_rows[-1][7])) == truth.total_net and day_rows[-1][1] == truth.sale_count
    assert days_sheet.cell(row=2, column=4).number_format == "#,##0.00"
    products = list(workbook["Top mahsulotlar"].iter_rows(min_row=2, values_only=True))
    assert products[0][1] == "=HYPERLINK(\"http://evil\",\"oʻgʻ Ёж\")"  # text, not a formula
    assert workbook["Top mahsulotlar"].cell(row=2, column=2).data_type == "s"
    payments = list(workbook["Toʻlov turlari boʻyicha"].iter_rows(min_row=2, values_only=True))
    assert Decimal(str(payments[-1][3])) == sum((p.net for p in truth.payments.values()), Decimal(0))

    # CSV: the same figures, formula-looking text neutralised
    text = export_report(report, ExportFormat.CSV, uz, "uz").decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))  # Uzbek Excel: ";" and a decimal comma
    assert ["Jami", *[f"{v:.2f}".replace(".", ",") if isinstance(v, Decimal) else str(v) for v in (
        truth.sale_count, report.totals.return_receipts, truth.retail_gross, truth.retail_returns, truth.retail_net,
        truth.wholesale_net, truth.total_net)]] in rows
    cells = [cell for row in rows for cell in row]
    assert "'=HYPERLINK(\"http://evil\",\"oʻgʻ Ёж\")" in cells and "'+cmd|' /C calc'!A0" in cells
    assert not any(cell.startswith(("=", "+", "@", "\t", "\r")) for cell in cells)
    assert all(neutralise_csv_cell(value) == "'" + value for value in ("=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"))
    assert neutralise_csv_cell("Naqd pul") == "Naqd pul"

    # JSON: every figure, amounts as decimal strings
    data = json.loads(export_report(report, ExportFormat.JSON, uz, "uz"))
    assert data == json.loads(json.dumps(report_json(report), ensure_ascii=False))
    assert data["totals"]["net_sales"] == f"{truth.total_net:.2f}"
    assert data["totals"]["receipts"] == truth.sale_count
    assert data["previous_period"] == {"first": "2025-01-06", "last": "2025-01-12", "days": 7}
    assert {p["regos_id"]: p["net"] for p in data["payments"]} == {
        type_id: f"{p.net:.2f}" for type_id, p in truth.payments.items()}
    assert len(data["days"]) == 7 and data["days"][0]["date"] == "2025-01-13"

    # PDF: opens, and shows the totals and Uzbek Latin oʻ gʻ in the embedded DejaVu Sans
    pdf = export_report(report, ExportFormat.PDF, uz, "uz")
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF") and b"DejaVuSans" in pdf
    if PDFIUM:
        import pypdfium2

        document = pypdfium2.PdfDocument(pdf)
        pages = "\n".join(document[index].get_textpage().get_text_range() for index in range(len(document)))
        assert format_money(truth.total_net, "uz") in pages
        assert "Toʻlov turlari boʻyicha" in pages and "oʻgʻ Ёж" in pages


async def test_a_year_of_data_is_reported_quickly(session_factory: async_sessionmaker[AsyncSession]) -> None:
    """Exports of a long range stay small in memory (write-only Excel) and the queries aggregate in SQL."""
    generator = RegosDataGenerator(seed=9, start_date=date(2024, 1, 1), days=5, receipts_per_day=5)
    company_id, _ = await copied_company(session_factory, generator)
    year = Period(date(2024, 1, 1), date(2024, 12, 31))
    async with session_factory() as session:
        report = await sales_report(session, company_id, year)
    assert len(report.days) == 366 and not year.too_long_for_text
    truth = expected_totals(generator, date(2024, 1, 1), date(2024, 1, 5))
    assert report.totals.net_sales == truth.total_net
    workbook = load_workbook(io.BytesIO(export_report(report, ExportFormat.XLSX, partial(translate, "en"), "en")))
    assert workbook["By day"].max_row == 1 + 366 + 1
    assert report.previous_period == Period(date(2022, 12, 31), date(2023, 12, 31))
    assert report.previous_period.last + timedelta(days=1) == year.first

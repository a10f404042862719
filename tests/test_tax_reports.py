"""Tax reports as stored objects and documents: the PDF renders Uzbek and Russian (a page rendered to PNG), the
Excel traces figures to their sources, statuses change once and each through the approval engine, reminders skip
filed months, the CLI prints JSON."""

from __future__ import annotations

import asyncio
import io
import json
from datetime import date
from decimal import Decimal
from functools import partial
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.cli import main
from core.i18n import translate
from db.models import AuditLog, Company, CompanyTaxRegime, Membership, Role, TaxRegime
from db.payroll import PayrollRun, RunKind, RunStatus
from db.regos_data import DailySales, SyncRun, SyncRunStatus
from db.tax import ItemVatClass, TaxReport, TaxReportStatus
from services import approvals
from services.errors import DomainError
from services.tax.documents import report_pdf, report_xlsx
from services.tax.reminders import reminders_due
from services.tax.reports import FILING_KIND, ReportFrozen, mark_uploaded, open_report, recompute, submit_report
from tests.helpers import add_member, create_company, database_url_for

D = Decimal
OCT = date(2025, 10, 1)
TODAY = date(2025, 11, 20)


async def books(session: AsyncSession, regime: TaxRegime = TaxRegime.VAT) -> Company:
    company = await create_company(session, name="Baraka Savdo", tin="305555555")
    session.add(CompanyTaxRegime(company_id=company.id, regime=regime.value, effective_from=date(2025, 1, 1)))
    session.add(SyncRun(company_id=company.id, trigger="cli", window_from=OCT, window_to=date(2025, 10, 31),
                        status=SyncRunStatus.OK))
    session.add(DailySales(company_id=company.id, business_day=date(2025, 10, 7), receipts=4,
                           retail_gross=D(5_600_000), retail_returns=D(0), retail_net=D(5_600_000),
                           wholesale_net=D(0)))
    session.add(PayrollRun(company_id=company.id, month=OCT, kind=RunKind.MONTHLY, status=RunStatus.PAID,
                           totals={"gross": "3000000.00", "pit": "360000.00", "pit_budget": "357000.00",
                                   "inps": "3000.00", "social_tax": "360000.00", "employees": 2}))
    await session.flush()
    return company


@pytest.mark.parametrize(("locale", "phrases"), [
    ("uz", ("QQS hisob-kitobi", "Toʻlanadigan QQS", "STIR 305555555", "600 000,00")),
    ("ru", ("Расчёт НДС", "НДС к уплате", "ИНН 305555555", "600 000,00")),
])
async def test_pdf_renders_uzbek_and_russian(session: AsyncSession, tmp_path: Path, locale: str,
                                             phrases: tuple[str, ...]) -> None:
    company = await books(session)
    report = await open_report(session, company, OCT, TODAY)
    data = report_pdf(report.figures, report.status, partial(translate, locale), locale)
    document = pdfium.PdfDocument(data)
    try:
        text = document[0].get_textpage().get_text_range()
        image = document[0].render(scale=1.5).to_pil().convert("L")
    finally:
        document.close()
    for phrase in phrases:
        assert phrase in text, phrase
    png = tmp_path / f"tax-{locale}.png"
    image.save(png)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    dark = sum(1 for value in image.getdata() if value < 128)  # type: ignore[attr-defined]
    assert dark > 2000  # the glyphs were drawn (a missing font draws nothing or boxes only)


async def test_excel_traces_figures(session: AsyncSession) -> None:
    company = await books(session)
    report = await open_report(session, company, OCT, TODAY)
    book = load_workbook(io.BytesIO(report_xlsx(report.figures, report.status, partial(translate, "ru"), "ru")))
    assert book.sheetnames == ["Отчёт", "Продажи по дням", "Закупки", "Зарплата"]
    lines = {row[1]: row[2] for row in book["Отчёт"].iter_rows(values_only=True) if len(row) > 2 and row[1]}
    assert lines["НДС начисленный"] == D("600000.00") and lines["Социальный налог"] == D("360000.00")
    days = list(book["Продажи по дням"].iter_rows(min_row=2, values_only=True))
    assert days == [("2025-10-07", 4, D("5600000.00"), D("0.00"), D("5600000.00"), D("0.00"))]
    payroll = next(iter(book["Зарплата"].iter_rows(min_row=2, values_only=True)))
    assert payroll[2] == 2 and payroll[3] == D("3000000.00")


async def test_statuses_change_once_each_through_the_engine(session: AsyncSession) -> None:
    """draft → (tax_report approved) → ready → uploaded → (tax_filing approved) → filed; a rejected filing goes
    back to ready; every change in the audit log; pressing twice changes nothing."""
    company = await books(session)
    owner = await add_member(session, company.id, 9101, Role.OWNER, first_name="Dilnoza")
    accountant = await add_member(session, company.id, 9102, Role.ACCOUNTANT, first_name="Kamola")
    members = {m.user_id: m for m in (await session.execute(select(Membership).where(
        Membership.company_id == company.id))).scalars()}
    report = await open_report(session, company, OCT, TODAY)
    assert report.status == TaxReportStatus.DRAFT and report.figures["taxes"]["vat"]["amount"] == "600000.00"
    again = await recompute(session, company, report.id, TODAY)
    assert again.id == report.id and again.version == 2
    with pytest.raises(ReportFrozen):
        await mark_uploaded(session, company.id, report.id, accountant)  # a draft is not uploaded
    submitted = await submit_report(session, company.id, report.id, accountant)
    assert submitted is not None and [u.id for u in submitted.approvers] == [owner.id]
    with pytest.raises(DomainError):  # the accountant may not decide
        await approvals.decide(session, company_id=company.id, request_id=submitted.request.id,
                               actor=members[accountant.id], approve=True)
    await approvals.decide(session, company_id=company.id, request_id=submitted.request.id,
                           actor=members[owner.id], approve=True)
    assert report.status == TaxReportStatus.READY and report.ready_at is not None

    uploaded = await mark_uploaded(session, company.id, report.id, accountant, submission_ref="T-1")
    assert uploaded is not None and uploaded.request.kind == FILING_KIND
    assert report.status == TaxReportStatus.FILING and report.filed_at is None
    assert await mark_uploaded(session, company.id, report.id, accountant) is None  # pressed twice
    await approvals.decide(session, company_id=company.id, request_id=uploaded.request.id,
                           actor=members[owner.id], approve=False, reason="Not in the cabinet yet")
    assert report.status == TaxReportStatus.READY

    uploaded = await mark_uploaded(session, company.id, report.id, accountant)
    assert uploaded is not None and uploaded.created
    await approvals.decide(session, company_id=company.id, request_id=uploaded.request.id,
                           actor=members[owner.id], approve=True)
    assert report.status == TaxReportStatus.FILED and report.filed_at is not None
    assert report.filed_by_user_id == accountant.id
    assert await mark_uploaded(session, company.id, report.id, accountant) is None
    with pytest.raises(ReportFrozen):
        await recompute(session, company, report.id, TODAY)
    other = await create_company(session, name="Other")
    with pytest.raises(Exception, match="tax-error-not-found"):
        await mark_uploaded(session, other.id, report.id, accountant)
    actions = (await session.execute(select(AuditLog.action).where(
        AuditLog.company_id == company.id, AuditLog.action.like("tax.report.%")).order_by(AuditLog.id))).scalars()
    assert list(actions) == ["tax.report.created", "tax.report.submitted", "tax.report.ready",
                             "tax.report.uploaded", "tax.report.filing_returned", "tax.report.uploaded",
                             "tax.report.filed"]


async def test_reminders_skip_filed_months(session: AsyncSession) -> None:
    company = await books(session)
    assert await reminders_due(session, company, date(2025, 11, 10)) == []  # 7 days before: no reminder
    assert {(r.kind, r.days_left) for r in await reminders_due(session, company, date(2025, 11, 12))} == {
        ("pit_social", 5)}  # 15 November 2025 is a Saturday: due Monday 17th
    assert {(r.kind, r.days_left) for r in await reminders_due(session, company, date(2025, 11, 20))} == {
        ("vat", 0)}
    report = await open_report(session, company, OCT, TODAY)
    report.status = TaxReportStatus.READY  # approved, not uploaded yet: still reminded
    await session.flush()
    assert {r.kind for r in await reminders_due(session, company, date(2025, 11, 20))} == {"vat"}
    for uploaded in (TaxReportStatus.FILING, TaxReportStatus.FILED):  # uploaded (waiting for the owner) or filed
        report.status = uploaded
        await session.flush()
        assert await reminders_due(session, company, date(2025, 11, 20)) == []


async def run_cli(*args: str) -> int:
    return await asyncio.to_thread(main, list(args))


async def test_cli_json_and_files(engine: AsyncEngine, session_factory: async_sessionmaker[AsyncSession],
                                  monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
                                  tmp_path: Path) -> None:
    async with session_factory() as session:
        company = await books(session, TaxRegime.TURNOVER)
        await session.commit()
    monkeypatch.setenv("DATABASE_URL", database_url_for(engine))
    assert await run_cli("report", "tax", "--company", str(company.id), "--period", "2025-10") == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["period"], data["regime"], data["status"]) == ("2025-10", "turnover", "draft")
    turnover = data["taxes"]["turnover"]
    assert (turnover["base"], turnover["rate"], turnover["amount"]) == ("5600000.00", "4", "224000.00")
    assert turnover["sources"] == {"days": 1}
    assert data["taxes"]["pit"]["sources"]["payroll_runs"] == 1 and data["taxes"]["pit"]["amount"] == "360000.00"
    out = tmp_path / "oct.pdf"
    assert await run_cli("report", "tax", "--company", str(company.id), "--period", "2025-10", "--format", "pdf",
                         "--out", str(out), "--locale", "ru") == 0
    assert out.read_bytes()[:4] == b"%PDF"
    capsys.readouterr()
    assert await run_cli("report", "tax", "--company", str(company.id), "--period", "2099-01") == 1
    assert "has not begun" in capsys.readouterr().err
    assert await run_cli("report", "tax", "--company", str(company.id), "--period", "Oct") == 2
    assert await run_cli("tax", "regime", "--company", str(company.id), "--regime", "vat", "--from",
                         "2025-10-16") == 0
    assert await run_cli("tax", "item-vat", "--company", str(company.id), "--item", "77", "--class", "zero") == 0
    async with session_factory() as session:
        assert await session.scalar(select(ItemVatClass.vat_class).where(ItemVatClass.item_regos_id == 77)) == "zero"
        rows = (await session.execute(select(CompanyTaxRegime.regime, CompanyTaxRegime.effective_from)
                                      .where(CompanyTaxRegime.company_id == company.id)
                                      .order_by(CompanyTaxRegime.effective_from))).all()
        assert ("vat", date(2025, 10, 16)) in [tuple(r) for r in rows]
        assert await session.scalar(select(TaxReport.period)) == "2025-10"


class _I18n:
    def __init__(self, locale: str) -> None:
        self.locale = locale

    def get(self, key: str, **params: object) -> str:
        return translate(self.locale, key, **params)


@pytest.mark.parametrize(("locale", "phrases"), [
    ("uz", ("Soliqlar — Baraka Savdo", "QQS: 600 000", "12%", "Muddatlar:", "JShDS va ijtimoiy soliq")),
    ("ru", ("Налоги — Baraka Savdo", "НДС: 600 000", "Сроки:", "НДФЛ и социальный налог")),
    ("en", ("Taxes — Baraka Savdo", "VAT: 600 000", "Deadlines:", "Tax due")),
])
async def test_card_in_every_language(session: AsyncSession, locale: str, phrases: tuple[str, ...]) -> None:
    from handlers.tax import card_text

    company = await books(session)
    report = await open_report(session, company, OCT, TODAY)
    text = card_text(_I18n(locale), report)  # type: ignore[arg-type]
    for phrase in phrases:
        assert phrase in text, (phrase, text)
    missing = await open_report(session, company, date(2025, 9, 1), TODAY)  # nothing imported in September
    assert translate(locale, "tax-no-data") not in card_text(_I18n(locale), missing)  # type: ignore[arg-type]

"""The payroll register (Excel, PDF) and payslips (PDF, plain text) of a run, in the reader's language.

Pure rendering: the caller passes the run, its lines, the company name, a translate function
(``translate(key, **params) -> str``, e.g. ``functools.partial(core.i18n.translate, locale)``) and the locale for
numbers. PDFs use the bundled DejaVu fonts (services/fonts), which carry Uzbek Latin and Cyrillic.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol
from xml.sax.saxutils import escape as xml_escape

from db.payroll import PayrollLine, PayrollRun
from services.fonts import PDF_FONT, PDF_FONT_BOLD, register_pdf_fonts
from services.locale import format_money, format_number
from services.payroll.workdays import month_text


class Translate(Protocol):
    def __call__(self, key: str, /, **params: Any) -> str: ...


@dataclass(frozen=True, slots=True)
class Column:
    key: str  # payroll-col-<key>
    attr: str  # a PayrollLine attribute, or a computed one (see _value)
    width: float
    money: bool = True


COLUMNS = (
    Column("name", "name", 30, money=False),
    Column("regos-user", "regos_user_id", 10, money=False),
    Column("days", "days_worked", 7, money=False),
    Column("base", "base", 13),
    Column("retail-sales", "retail_sales", 14),
    Column("retail-commission", "retail_commission", 13),
    Column("wholesale-sales", "wholesale_sales", 14),
    Column("wholesale-commission", "wholesale_commission", 13),
    Column("bonus", "bonus", 12),
    Column("deductions", "deductions", 12),
    Column("gross", "gross", 14),
    Column("pit", "pit", 12),
    Column("pit-budget", "pit_budget", 12),
    Column("inps", "inps", 10),
    Column("advance", "advance", 12),
    Column("net", "net", 14),
    Column("social-tax", "social_tax", 12),
    Column("employer-cost", "employer_cost", 14),
)


def _value(line: PayrollLine, attr: str) -> Any:
    if attr == "bonus":
        return Decimal(line.plan_bonus) + Decimal(line.manual_bonus)
    if attr == "employer_cost":
        return Decimal(line.gross) + Decimal(line.social_tax)
    return getattr(line, attr)


def _columns(run: PayrollRun) -> list[Column]:
    columns = list(COLUMNS)
    if run.previous_run_id is not None:
        columns += [Column("previous-net", "previous_net", 14), Column("difference", "difference", 14)]
    return columns


def _line_value(line: PayrollLine, column: Column) -> Any:
    if column.attr == "difference":
        return Decimal(line.net) - Decimal(line.previous_net or 0)
    return _value(line, column.attr)


def _total(lines: list[PayrollLine], column: Column) -> Any:
    if not column.money:
        return None
    return sum((Decimal(_line_value(line, column) or 0) for line in lines), Decimal(0))


def warning_texts(line: PayrollLine, translate: Translate, locale: str) -> list[str]:
    texts = []
    for item in line.warnings or []:
        code = str(item.get("code", ""))
        params = {k: format_money(Decimal(v), locale) for k, v in item.items()
                  if k in ("floor", "mrot", "net", "retail_sales")}
        text = translate(f"payroll-warning-{code.replace('_', '-')}", **params)
        texts.append(text if not text.startswith("payroll-warning-") else str(item.get("text", code)))
    return texts


def title_of(run: PayrollRun, translate: Translate, company_name: str) -> str:
    return (f"{translate('payroll-register-title')} — {company_name} — {translate(f'payroll-kind-{run.kind}')} "
            f"{month_text(run.month)}")


def details_of(run: PayrollRun, translate: Translate) -> list[str]:
    notes = run.notes or {}
    parts = [f"{translate('payroll-version', version=str(run.version))}, {translate(f'payroll-status-{run.status}')}"]
    if notes.get("regos_connected") is False:
        parts.append(translate("payroll-not-connected"))
    missing = notes.get("missing_days") or []
    if missing:
        parts.append(translate("payroll-missing-days", days=_days_text(missing)))
    if notes.get("days_to_come"):
        parts.append(translate("payroll-days-to-come", count=str(notes["days_to_come"])))
    return parts


def _days_text(days: list[str]) -> str:
    """ISO days as short ranges: 2026-11-01..2026-11-03 → 01.11–03.11."""
    from datetime import date, timedelta

    parsed = sorted(date.fromisoformat(d) for d in days)
    ranges: list[tuple[date, date]] = []
    for day in parsed:
        if ranges and day - ranges[-1][1] == timedelta(days=1):
            ranges[-1] = (ranges[-1][0], day)
        else:
            ranges.append((day, day))
    return ", ".join(f"{a:%d.%m}" if a == b else f"{a:%d.%m}–{b:%d.%m}" for a, b in ranges)


# -- Excel ------------------------------------------------------------------------------------------------------------


def register_xlsx(run: PayrollRun, lines: list[PayrollLine], company_name: str, translate: Translate,
                  locale: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(month_text(run.month))
    columns = _columns(run)
    for index, column in enumerate([*columns, Column("warnings", "warnings", 50, money=False)], start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.freeze_panes = "B3"
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")

    def cell(value: Any, *, money: bool = False, strong: bool = False) -> WriteOnlyCell:
        item = WriteOnlyCell(sheet, value=value)
        if isinstance(value, str):
            item.data_type = "s"  # names stay text even when they start with "="
        elif money:
            item.number_format = "#,##0"
        if strong:
            item.font, item.fill = bold, fill
        return item

    sheet.append([cell(title_of(run, translate, company_name), strong=True)])
    header = [cell(translate(f"payroll-col-{c.key}"), strong=True) for c in columns]
    header.append(cell(translate("payroll-col-warnings"), strong=True))
    for item in header:
        item.alignment = Alignment(wrap_text=True, vertical="center")
    sheet.append(header)
    for line in lines:
        row = [cell(_line_value(line, c), money=c.money) for c in columns]
        row.append(cell("; ".join(warning_texts(line, translate, locale))))
        sheet.append(row)
    totals = [cell(translate("payroll-total"), strong=True)]
    totals += [cell(_total(lines, c), money=c.money, strong=True) for c in columns[1:]]
    sheet.append(totals)
    sheet.append([])
    for text in details_of(run, translate):
        sheet.append([cell(text)])
    manual = [(line.name, item) for line in lines for item in (line.details or {}).get("manual", [])]
    if manual:
        lines_sheet = workbook.create_sheet("manual")
        lines_sheet.append([translate("payroll-col-name"), "kind", "amount", "reason"])
        for name, item in manual:
            lines_sheet.append([name, item.get("kind"), Decimal(item.get("amount") or 0), item.get("reason")])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# -- PDF --------------------------------------------------------------------------------------------------------------


def _text(value: Any, column: Column, locale: str) -> str:
    if value is None:
        return ""
    if column.money:
        return format_number(Decimal(value), locale)
    return str(value)


def register_pdf(run: PayrollRun, lines: list[PayrollLine], company_name: str, translate: Translate,
                 locale: str) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    register_pdf_fonts()
    body = ParagraphStyle("body", fontName=PDF_FONT, fontSize=6.5, leading=8)
    header = ParagraphStyle("header", parent=body, fontName=PDF_FONT_BOLD, textColor=colors.white)
    title = ParagraphStyle("title", fontName=PDF_FONT_BOLD, fontSize=13, leading=16, spaceAfter=4)
    columns = _columns(run)
    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=landscape(A4), leftMargin=8 * mm, rightMargin=8 * mm,
                                 topMargin=10 * mm, bottomMargin=10 * mm,
                                 title=title_of(run, translate, company_name), author="Smart Savdo")
    story: list[Any] = [Paragraph(xml_escape(title_of(run, translate, company_name)), title)]
    story += [Paragraph(xml_escape(text), body) for text in details_of(run, translate)]
    story.append(Spacer(1, 3 * mm))
    data: list[list[Any]] = [[Paragraph(xml_escape(translate(f"payroll-col-{c.key}")), header) for c in columns]]
    for line in lines:
        data.append([Paragraph(xml_escape(_text(_line_value(line, c), c, locale)), body) if not c.money
                     else _text(_line_value(line, c), c, locale) for c in columns])
    data.append([translate("payroll-total"), *[_text(_total(lines, c), c, locale) for c in columns[1:]]])
    scale = document.width / sum(c.width for c in columns)
    table = Table(data, colWidths=[c.width * scale for c in columns], repeatRows=1)
    style: list[Any] = [
        ("FONTNAME", (0, 0), (-1, -1), PDF_FONT),
        ("FONTSIZE", (0, 0), (-1, -1), 6.5),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#2F5597")),
        ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#A6A6A6")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("FONTNAME", (0, -1), (-1, -1), PDF_FONT_BOLD),
        ("BACKGROUND", (0, -1), (-1, -1), colors.HexColor("#DDEBF7")),
    ]
    style += [("ALIGN", (i, 1), (i, -1), "RIGHT") for i, c in enumerate(columns) if c.money]
    table.setStyle(TableStyle(style))
    story.append(table)
    warned = [(line.name, warning_texts(line, translate, locale)) for line in lines if line.warnings]
    if warned:
        story.append(Spacer(1, 3 * mm))
        story.append(Paragraph(xml_escape(translate("payroll-col-warnings")), header.clone("w", textColor="black")))
        for name, texts in warned:
            story.append(Paragraph(xml_escape(f"{name}: {' '.join(texts)}"), body))
    document.build(story)
    return buffer.getvalue()


# -- payslips ---------------------------------------------------------------------------------------------------------


def payslip_rows(line: PayrollLine, translate: Translate, locale: str) -> list[tuple[str, str, bool]]:
    """(label, amount, emphasised) rows of a payslip: accrued lines, gross, withheld lines, net."""
    def money(value: Any) -> str:
        return format_money(Decimal(value), locale)

    days = translate("payroll-days-worked", days=str(line.days_worked), total=str(line.working_days))
    rows: list[tuple[str, str, bool]] = [(translate("payroll-accrued"), "", True)]
    rows.append((f"{translate('payroll-col-base')} ({days})", money(line.base), False))
    if Decimal(line.retail_commission):
        rows.append((f"{translate('payroll-col-retail-commission')} ({money(line.retail_sales)})",
                     money(line.retail_commission), False))
    if Decimal(line.wholesale_commission):
        rows.append((f"{translate('payroll-col-wholesale-commission')} ({money(line.wholesale_sales)})",
                     money(line.wholesale_commission), False))
    if Decimal(line.plan_bonus):
        rows.append((translate("payroll-plan-bonus"), money(line.plan_bonus), False))
    manual = (line.details or {}).get("manual", [])
    for item in manual:
        if item.get("kind") == "bonus":
            rows.append((translate("payroll-manual-bonus", reason=str(item.get("reason", ""))),
                         money(item.get("amount") or 0), False))
    rows.append((translate("payroll-col-gross"), money(line.gross), True))
    rows.append((translate("payroll-withheld"), "", True))
    rows.append((translate("payroll-col-pit"), money(line.pit), False))
    rows.append((f"  {translate('payroll-col-pit-budget')}", money(line.pit_budget), False))
    rows.append((f"  {translate('payroll-col-inps')}", money(line.inps), False))
    if Decimal(line.advance):
        rows.append((translate("payroll-col-advance"), money(line.advance), False))
    for item in manual:
        if item.get("kind") in ("penalty", "deduction"):
            rows.append((translate(f"payroll-manual-{item['kind']}", reason=str(item.get("reason", ""))),
                         money(item.get("amount") or 0), False))
    rows.append((translate("payroll-to-pay"), money(line.net), True))
    if line.previous_net is not None:
        rows.append((translate("payroll-col-previous-net"), money(line.previous_net), False))
        rows.append((translate("payroll-col-difference"), money(Decimal(line.net) - Decimal(line.previous_net)),
                     True))
    return rows


def payslip_text(run: PayrollRun, line: PayrollLine, company_name: str, translate: Translate, locale: str) -> str:
    """A payslip as plain text (the caller escapes it for HTML): one line per row, warnings last."""
    head = (f"{translate('payroll-payslip-title')} — {company_name}\n{line.name}, "
            f"{translate(f'payroll-kind-{run.kind}')} {month_text(run.month)}")
    body = [f"{label}: {amount}" if amount else label for label, amount, _ in payslip_rows(line, translate, locale)]
    return "\n".join([head, *body, *warning_texts(line, translate, locale)])


def payslip_pdf(run: PayrollRun, line: PayrollLine, company_name: str, translate: Translate, locale: str) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A5
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    register_pdf_fonts()
    body = ParagraphStyle("body", fontName=PDF_FONT, fontSize=9, leading=11)
    title = ParagraphStyle("title", fontName=PDF_FONT_BOLD, fontSize=13, leading=16, spaceAfter=4)
    buffer = io.BytesIO()
    heading = f"{translate('payroll-payslip-title')} — {translate(f'payroll-kind-{run.kind}')} {month_text(run.month)}"
    document = SimpleDocTemplate(buffer, pagesize=A5, leftMargin=10 * mm, rightMargin=10 * mm, topMargin=10 * mm,
                                 bottomMargin=10 * mm, title=f"{heading} — {line.name}", author="Smart Savdo")
    story: list[Any] = [Paragraph(xml_escape(heading), title), Paragraph(xml_escape(company_name), body),
                        Paragraph(xml_escape(line.name), body), Spacer(1, 4 * mm)]
    rows = payslip_rows(line, translate, locale)
    data = [[Paragraph(xml_escape(label), body), amount] for label, amount, _ in rows]
    table = Table(data, colWidths=[document.width * 0.65, document.width * 0.35])
    style: list[Any] = [("FONTNAME", (0, 0), (-1, -1), PDF_FONT), ("FONTSIZE", (0, 0), (-1, -1), 9),
                        ("ALIGN", (1, 0), (1, -1), "RIGHT"),
                        ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#D9D9D9"))]
    style += [("FONTNAME", (0, i), (-1, i), PDF_FONT_BOLD) for i, (_, _, strong) in enumerate(rows) if strong]
    table.setStyle(TableStyle(style))
    story.append(table)
    for text in warning_texts(line, translate, locale):
        story.append(Paragraph(xml_escape(f"⚠ {text}"), body))
    document.build(story)
    return buffer.getvalue()

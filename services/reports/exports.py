"""The report as files: Excel, PDF, CSV (one table model for the three, so they show the same figures) and JSON.

Excel uses openpyxl's write-only mode (constant memory whatever the range). PDF uses reportlab with the bundled
DejaVu Sans, which has Uzbek Latin `oʻ gʻ` and Cyrillic. CSV cells that a spreadsheet would run as a formula are
neutralised. JSON carries every figure, amounts as decimal strings.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any
from xml.sax.saxutils import escape as xml_escape
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from services.fonts import PDF_FONT, PDF_FONT_BOLD, register_pdf_fonts
from services.locale import format_datetime, format_money, format_number
from services.reports.charts import HEIGHT_INCHES, WIDTH_INCHES, daily_chart_png, has_chart_data
from services.reports.render import (
    Translate,
    branch_label,
    format_change,
    format_period,
    format_quantity,
    label_text,
    missing_days_text,
)
from services.reports.sales import FIGURES, MONEY_FIGURES, DailySeries, SalesReport, Totals, change_percent


class ExportFormat(StrEnum):
    XLSX = "xlsx"
    PDF = "pdf"
    CSV = "csv"
    JSON = "json"


MIME_TYPES = {
    ExportFormat.XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ExportFormat.PDF: "application/pdf",
    ExportFormat.CSV: "text/csv",
    ExportFormat.JSON: "application/json",
}


class Kind(StrEnum):
    TEXT = "text"
    MONEY = "money"
    COUNT = "count"
    QUANTITY = "quantity"
    PERCENT = "percent"  # a change in percent (12.3 means +12.3 %)
    DATE = "date"
    NUMBER = "number"  # money or count, by the value's type (the summary mixes both)


@dataclass(slots=True)
class Column:
    header_key: str
    kind: Kind
    width: int = 16


@dataclass(slots=True)
class Table:
    title_key: str
    columns: list[Column]
    rows: list[list[Any]] = field(default_factory=list)
    total: list[Any] | None = None


def _figure_key(figure: str) -> str:
    return "report-figure-" + figure.replace("_", "-")


def _previous_value(totals: Totals | None, figure: str) -> Decimal | int | None:
    return totals.figures()[figure] if totals is not None else None


def report_tables(report: SalesReport, translate: Translate) -> list[Table]:
    """Summary, by day, by branch, by payment type, top products, top sellers: what every file format shows."""
    summary = Table("report-sheet-summary", [
        Column("report-col-figure", Kind.TEXT, 28), Column("report-col-current", Kind.NUMBER, 18),
        Column("report-col-previous", Kind.NUMBER, 18), Column("report-col-change", Kind.PERCENT, 12),
    ])
    for figure in FIGURES:
        current = report.totals.figures()[figure]
        summary.rows.append([translate(_figure_key(figure)), current, _previous_value(report.previous, figure),
                             report.change(figure)])
    if report.expenses is not None and report.expenses.count:
        summary.rows.append([translate("report-figure-expenses"), report.expenses.amount, None, None])
        summary.rows.append([translate("report-figure-net-after-expenses"), report.net_after_expenses, None, None])

    day_columns = [
        Column("report-col-date", Kind.DATE, 12), Column("report-figure-receipts", Kind.COUNT, 10),
        Column("report-figure-return-receipts", Kind.COUNT, 10), Column("report-figure-retail-gross", Kind.MONEY),
        Column("report-figure-retail-returns", Kind.MONEY), Column("report-figure-retail-net", Kind.MONEY),
        Column("report-figure-wholesale-net", Kind.MONEY), Column("report-figure-net-sales", Kind.MONEY),
    ]

    def day_values(totals: Totals) -> list[Any]:
        return [totals.receipts, totals.return_receipts, totals.retail_gross, totals.retail_returns,
                totals.retail_net, totals.wholesale_net, totals.net_sales]

    days = Table("report-sheet-days", day_columns)
    for row in report.days:
        if row.missing:  # never imported: not a day of zeros
            days.rows.append([row.day, translate("report-day-missing"), *[None] * (len(day_columns) - 2)])
        else:
            days.rows.append([row.day, *day_values(row.totals)])
    days.total = [translate("report-col-total"), *day_values(report.totals)]

    branches = Table("report-sheet-branches", [
        Column("report-col-branch", Kind.TEXT, 28), *day_columns[1:],
        Column("report-col-previous", Kind.MONEY), Column("report-col-change", Kind.PERCENT, 12),
    ])
    for branch in report.branches:
        previous = branch.previous.net_sales if branch.previous is not None else None
        branches.rows.append([branch_label(branch.branch_id, branch.name, translate), *day_values(branch.totals),
                              previous, change_percent(branch.totals.net_sales, previous)])
    previous_net = report.previous.net_sales if report.previous is not None else None
    branches.total = [translate("report-col-total"), *day_values(report.totals), previous_net,
                      report.change("net_sales")]

    payments = Table("report-sheet-payments", [
        Column("report-col-payment-type", Kind.TEXT, 24), Column("report-col-sales", Kind.MONEY),
        Column("report-col-refunds", Kind.MONEY), Column("report-col-net", Kind.MONEY),
        Column("report-col-previous", Kind.MONEY), Column("report-col-change", Kind.PERCENT, 12),
    ])
    for payment in report.payments:
        payments.rows.append([payment.name or f"#{payment.regos_id}", payment.sales, payment.refunds, payment.net,
                              payment.previous_net, change_percent(payment.net, payment.previous_net)])
    payment_sales = sum((p.sales for p in report.payments), Decimal(0))
    payment_refunds = sum((p.refunds for p in report.payments), Decimal(0))
    payment_previous = (sum((p.previous_net or Decimal(0) for p in report.payments), Decimal(0))
                        if report.previous is not None else None)
    payments.total = [translate("report-col-total"), payment_sales, payment_refunds, payment_sales - payment_refunds,
                      payment_previous, change_percent(payment_sales - payment_refunds, payment_previous)]

    products = Table("report-sheet-products", [
        Column("report-col-rank", Kind.COUNT, 6), Column("report-col-product", Kind.TEXT, 36),
        Column("report-col-unit", Kind.TEXT, 8), Column("report-col-quantity", Kind.QUANTITY, 12),
        Column("report-col-amount", Kind.MONEY), Column("report-col-previous", Kind.MONEY),
        Column("report-col-change", Kind.PERCENT, 12),
    ])
    for rank, product in enumerate(report.products, start=1):
        products.rows.append([rank, product.name or f"#{product.item_regos_id}", product.unit or "",
                              product.quantity, product.amount, product.previous_amount,
                              change_percent(product.amount, product.previous_amount)])

    sellers = Table("report-sheet-sellers", [
        Column("report-col-rank", Kind.COUNT, 6), Column("report-col-seller", Kind.TEXT, 30),
        Column("report-figure-receipts", Kind.COUNT, 10), Column("report-col-net", Kind.MONEY),
        Column("report-col-previous", Kind.MONEY), Column("report-col-change", Kind.PERCENT, 12),
    ])
    for rank, seller in enumerate(report.sellers, start=1):
        sellers.rows.append([rank, seller.name or f"#{seller.regos_user_id}", seller.receipts, seller.net,
                             seller.previous_net, change_percent(seller.net, seller.previous_net)])
    expenses = Table("report-sheet-expenses", [
        Column("report-col-category", Kind.TEXT, 30), Column("report-col-count", Kind.COUNT, 10),
        Column("report-col-amount", Kind.MONEY),
    ])
    if report.expenses is not None:
        for category in report.expenses.by_category:
            expenses.rows.append([_plain_label(label_text(category.category, translate)), category.count,
                                  category.amount])
        expenses.total = [translate("report-col-total"), report.expenses.count, report.expenses.amount]
    return [summary, days, branches, payments, products, sellers, expenses]


def _plain_label(text: str) -> str:
    """label_text escapes for Telegram HTML; files want the plain name."""
    return html.unescape(text)


def report_details(report: SalesReport, translate: Translate, locale: str) -> list[tuple[str, str]]:
    """Label and value lines that head every file: company, period, comparison, branches, time zone."""
    scope = (translate("report-scope-all") if report.scope is None
             else ", ".join(branch.name for branch in report.scope) or translate("report-scope-none"))
    details = [
        (translate("report-col-company"), report.company_name),
        (translate("report-col-period"), format_period(report.period, locale)),
    ]
    if report.previous_period is not None:
        details.append((translate("report-col-compared"), format_period(report.previous_period, locale)))
    if report.missing:
        details.append((translate("report-day-missing").capitalize(), translate(
            "report-missing-note", days=missing_days_text(report.missing, locale))))
    if report.previous_missing:
        details.append((translate("report-col-compared"), translate(
            "report-missing-days-compared", count=len(report.previous_missing),
            days=missing_days_text(report.previous_missing, locale)).removeprefix("⚠️ ")))
    details += [
        (translate("report-col-branches"), scope),
        (translate("report-col-timezone"), report.timezone),
        (translate("report-col-generated"),
         format_datetime(report.generated_at.astimezone(ZoneInfo(report.timezone)), locale)),
    ]
    return details


_FILE_NAME_UNSAFE = re.compile(r"[^\w]+")


def _file_part(text: str, fallback: str) -> str:
    return _FILE_NAME_UNSAFE.sub("-", text).strip("-_")[:40] or fallback


def export_file_name(report: SalesReport, export_format: ExportFormat) -> str:
    """`sales_<company>_<branches>_<first>-<last>.<ext>`: two exports of different branches or periods never share a
    name (branch names stay readable; ids keep two same-named branches apart)."""
    if report.scope is None:
        scope = "all"
    else:
        scope = "+".join(f"{_file_part(branch.name, 'branch')}-{branch.id}" for branch in report.scope)[:80] or "none"
    company = _file_part(report.company_name, str(report.company_id))
    period = f"{report.period.first:%Y%m%d}-{report.period.last:%Y%m%d}"
    return f"sales_{company}_{scope}_{period}.{export_format}"


# --- Excel ------------------------------------------------------------------------------------------------------

_EXCEL_FORMATS = {
    Kind.MONEY: "#,##0.00",
    Kind.COUNT: "#,##0",
    Kind.QUANTITY: "#,##0.###",
    Kind.PERCENT: "0.0%",
    Kind.DATE: "dd.mm.yyyy",
}
_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="2F5597")
_TOTAL_FONT = Font(bold=True)
_TOTAL_FILL = PatternFill("solid", fgColor="DDEBF7")
_EXCEL_TITLE_FORBIDDEN = str.maketrans({char: " " for char in "[]:*?/\\"})


def _excel_cell(sheet: WriteOnlyWorksheet, value: Any, kind: Kind, *, total: bool = False) -> WriteOnlyCell:
    if kind is Kind.PERCENT and value is not None:
        value = Decimal(value) / 100
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        # openpyxl makes any string starting with "=" a formula; names from REGOS stay plain text.
        cell.data_type = "s"
    elif kind is Kind.NUMBER:
        cell.number_format = _EXCEL_FORMATS[Kind.COUNT if isinstance(value, int) else Kind.MONEY]
    elif kind in _EXCEL_FORMATS:
        cell.number_format = _EXCEL_FORMATS[kind]
    if total:
        cell.font, cell.fill = _TOTAL_FONT, _TOTAL_FILL
    return cell


def to_xlsx(report: SalesReport, translate: Translate, locale: str) -> bytes:
    workbook = Workbook(write_only=True)
    used_titles: set[str] = set()
    for index, table in enumerate(report_tables(report, translate)):
        if index and not table.rows and table.title_key == "report-sheet-expenses":
            continue
        title = translate(table.title_key).translate(_EXCEL_TITLE_FORBIDDEN).strip()[:31] or f"Sheet{index + 1}"
        if title in used_titles:
            title = f"{title[:28]} {index + 1}"
        used_titles.add(title)
        sheet = workbook.create_sheet(title)
        for column_index, column in enumerate(table.columns, start=1):
            sheet.column_dimensions[get_column_letter(column_index)].width = column.width
        sheet.freeze_panes = "B2" if table.columns[0].kind in (Kind.TEXT, Kind.DATE) else "A2"
        header = []
        for column in table.columns:
            cell = WriteOnlyCell(sheet, value=translate(column.header_key))
            cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
            cell.alignment = Alignment(wrap_text=True, vertical="center")
            header.append(cell)
        sheet.append(header)
        for row in table.rows:
            sheet.append([_excel_cell(sheet, value, column.kind) for value, column in zip(row, table.columns,
                                                                                            strict=True)])
        if table.total is not None:
            sheet.append([_excel_cell(sheet, value, column.kind, total=True)
                          for value, column in zip(table.total, table.columns, strict=True)])
        if index == 0:
            sheet.append([])
            for label, value in report_details(report, translate, locale):
                sheet.append([_excel_cell(sheet, label, Kind.TEXT, total=True), _excel_cell(sheet, value, Kind.TEXT)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- CSV --------------------------------------------------------------------------------------------------------

_FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_csv_cell(value: str) -> str:
    """A spreadsheet runs a cell starting with = + - @ (or a tab/CR before one) as a formula: prefix a quote."""
    return "'" + value if value.startswith(_FORMULA_TRIGGERS) else value


# Excel splits a CSV by the regional list separator: ";" with a decimal comma in Uzbek and Russian settings,
# "," with a decimal point in English ones. A "sep=" line would make Excel ignore the UTF-8 BOM (Cyrillic breaks).
CSV_DIALECTS = {"uz": (";", ","), "ru": (";", ",")}
_CSV_DEFAULT = (",", ".")


def csv_dialect(locale: str) -> tuple[str, str]:
    """(field separator, decimal mark) of a CSV meant for Excel in this locale."""
    return CSV_DIALECTS.get(locale, _CSV_DEFAULT)


def _plain(value: Any, kind: Kind, decimal_mark: str = ".") -> str:
    """Numbers without grouping (12345.00, or 12345,00 with a decimal comma), dates ISO; text neutralised."""
    if value is None:
        return ""
    if isinstance(value, str):
        return neutralise_csv_cell(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        if kind is Kind.PERCENT:
            text = f"{value:.1f}"
        elif kind is Kind.QUANTITY:
            text = f"{value.normalize():f}"
        else:
            text = f"{value:.2f}"
        return text.replace(".", decimal_mark)
    return str(value)


def to_csv(report: SalesReport, translate: Translate, locale: str) -> bytes:
    """One file with a section per table (title line, header, rows, total), UTF-8 with a BOM for Excel."""
    separator, decimal_mark = csv_dialect(locale)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=separator, lineterminator="\r\n")
    for label, value in report_details(report, translate, locale):
        writer.writerow([neutralise_csv_cell(label), neutralise_csv_cell(value)])
    for table in report_tables(report, translate):
        writer.writerow([])
        writer.writerow([neutralise_csv_cell(translate(table.title_key))])
        writer.writerow([neutralise_csv_cell(translate(column.header_key)) for column in table.columns])
        for row in [*table.rows, *([table.total] if table.total is not None else [])]:
            writer.writerow([_plain(value, column.kind, decimal_mark)
                             for value, column in zip(row, table.columns, strict=True)])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


# --- PDF --------------------------------------------------------------------------------------------------------


def _pdf_text(value: Any, kind: Kind, locale: str) -> str:
    if value is None:
        return ""
    if kind is Kind.PERCENT:
        return format_change(Decimal(value), locale)
    if isinstance(value, str):
        return value
    if isinstance(value, date):
        return f"{value:%d.%m.%Y}"
    if kind is Kind.QUANTITY:
        return format_quantity(Decimal(value), locale)
    if isinstance(value, int):
        return format_number(value, locale)
    return format_number(Decimal(value), locale)


def to_pdf(report: SalesReport, translate: Translate, locale: str) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.platypus import Image, KeepTogether, Paragraph, SimpleDocTemplate, Spacer, TableStyle
    from reportlab.platypus import Table as PdfTable

    register_pdf_fonts()
    body = ParagraphStyle("body", fontName=PDF_FONT, fontSize=8, leading=10)
    # A heading never ends a page alone: it stays with (the start of) its table.
    heading = ParagraphStyle("heading", fontName=PDF_FONT_BOLD, fontSize=12, leading=15, spaceBefore=8, spaceAfter=4,
                             keepWithNext=1)
    title = ParagraphStyle("title", fontName=PDF_FONT_BOLD, fontSize=16, leading=20, spaceAfter=6)
    # Header cells wrap between words only; columns are widened to their longest header word below.
    header = ParagraphStyle("header", parent=body, textColor=colors.white, splitLongWords=0)

    def paragraph(text: str, style: ParagraphStyle = body) -> Paragraph:
        return Paragraph(xml_escape(text), style)  # names are text, never reportlab markup

    buffer = io.BytesIO()
    document = SimpleDocTemplate(
        buffer, pagesize=landscape(A4), leftMargin=12 * mm, rightMargin=12 * mm, topMargin=12 * mm,
        bottomMargin=12 * mm, title=f"{translate('report-export-title')} — {report.company_name}",
        author="Smart Savdo",
    )
    story: list[Any] = [paragraph(f"{translate('report-export-title')} — {report.company_name}", title)]
    for label, value in report_details(report, translate, locale):
        story.append(paragraph(f"{label}: {value}"))
    story.append(Spacer(1, 4 * mm))
    story.append(paragraph(f"{translate('report-figure-net-sales')}: "
                           f"{format_money(report.totals.net_sales, locale)}", heading))
    chart = _pdf_chart(report, translate, locale)
    if chart is not None:
        width = document.width * 0.75
        story.append(Image(io.BytesIO(chart), width=width, height=width * HEIGHT_INCHES / WIDTH_INCHES))
    for table in report_tables(report, translate):
        if not table.rows:
            continue
        table_heading = paragraph(translate(table.title_key), heading)
        numeric = [column.kind not in (Kind.TEXT, Kind.DATE) for column in table.columns]
        data: list[list[Any]] = [[paragraph(translate(column.header_key), header) for column in table.columns]]
        rows = [*table.rows, *([table.total] if table.total is not None else [])]
        for row in rows:
            data.append([paragraph(_pdf_text(value, column.kind, locale)) if column.kind is Kind.TEXT
                         else _pdf_text(value, column.kind, locale) for value, column in zip(row, table.columns,
                                                                                             strict=True)])
        scale = min(2.6 * mm, document.width / sum(column.width for column in table.columns))
        padding = 6 + 1  # the table's cell padding on both sides, and a point to spare
        widths = [max(column.width * scale, max(stringWidth(word, PDF_FONT, 8)
                                                for word in translate(column.header_key).split() or [""]) + padding)
                  for column in table.columns]
        style = [
            ("FONTNAME", (0, 0), (-1, -1), PDF_FONT),
            ("FONTSIZE", (0, 0), (-1, -1), 8),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#2F5597")),
            ("TEXTCOLOR", (0, 0), (-1, 0), colors.white),
            ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#A6A6A6")),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ]
        style += [("ALIGN", (index, 1), (index, -1), "RIGHT") for index, is_number in enumerate(numeric) if is_number]
        if table.total is not None:
            style += [("FONTNAME", (0, -1), (-1, -1), PDF_FONT_BOLD),
                      ("BACKGROUND", (0, -1), (-1, -1), colors.HexColor("#DDEBF7"))]
        pdf_table = PdfTable(data, colWidths=widths, repeatRows=1)
        pdf_table.setStyle(TableStyle(style))
        if len(data) <= 12:  # a short table moves whole to the next page rather than split from its heading
            story.append(KeepTogether([table_heading, pdf_table]))
        else:
            story += [table_heading, pdf_table]
    document.build(story)
    return buffer.getvalue()


def _pdf_chart(report: SalesReport, translate: Translate, locale: str) -> bytes | None:
    """The daily chart of the report's net sales (the whole scope as one line), or None when it says nothing."""
    series = DailySeries(days=[row.day for row in report.days],
                         net={0: {row.day: row.totals.net_sales for row in report.days}},
                         names={0: translate("report-chart-title")},
                         missing={0: frozenset(row.day for row in report.days if row.missing)})
    if not has_chart_data(series):
        return None
    return daily_chart_png(series, translate, locale)


# --- JSON -------------------------------------------------------------------------------------------------------


def _amount(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def _totals_json(totals: Totals | None) -> dict[str, Any] | None:
    if totals is None:
        return None
    return {figure: (f"{value:.2f}" if figure in MONEY_FIGURES else value)
            for figure, value in totals.figures().items()}


def _change_json(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.1f}"


def report_json(report: SalesReport) -> dict[str, Any]:
    """Every figure of the report, amounts as decimal strings ("12345.00"), changes in percent ("12.3")."""
    previous_period = report.previous_period
    return {
        "company": {"id": report.company_id, "name": report.company_name, "timezone": report.timezone},
        "period": {"first": report.period.first.isoformat(), "last": report.period.last.isoformat(),
                   "kind": report.period.kind.value, "days": report.period.days},
        "previous_period": None if previous_period is None else {
            "first": previous_period.first.isoformat(), "last": previous_period.last.isoformat(),
            "days": previous_period.days},
        "branches_scope": None if report.scope is None else [{"id": b.id, "name": b.name} for b in report.scope],
        "generated_at": report.generated_at.isoformat(),
        "totals": _totals_json(report.totals),
        "previous_totals": _totals_json(report.previous),
        "changes": {figure: _change_json(report.change(figure)) for figure in FIGURES},
        "payments": [{
            "regos_id": p.regos_id, "name": p.name, "sales": _amount(p.sales), "refunds": _amount(p.refunds),
            "net": _amount(p.net), "previous_net": _amount(p.previous_net),
            "change": _change_json(change_percent(p.net, p.previous_net)),
        } for p in report.payments],
        "branches": [{
            "branch_id": b.branch_id, "name": b.name, "totals": _totals_json(b.totals),
            "previous_net_sales": _amount(b.previous.net_sales) if b.previous is not None else None,
            "change": _change_json(change_percent(b.totals.net_sales,
                                                  b.previous.net_sales if b.previous is not None else None)),
        } for b in report.branches],
        "products": [{
            "rank": rank, "item_regos_id": p.item_regos_id, "name": p.name, "unit": p.unit,
            "quantity": f"{p.quantity.normalize():f}", "amount": _amount(p.amount),
            "sold_quantity": f"{p.sold_quantity.normalize():f}", "sold_amount": _amount(p.sold_amount),
            "returned_quantity": f"{p.returned_quantity.normalize():f}", "returned_amount": _amount(p.returned_amount),
            "previous_amount": _amount(p.previous_amount),
            "change": _change_json(change_percent(p.amount, p.previous_amount)),
        } for rank, p in enumerate(report.products, start=1)],
        "sellers": [{
            "rank": rank, "regos_user_id": s.regos_user_id, "name": s.name, "receipts": s.receipts,
            "return_receipts": s.return_receipts, "gross": _amount(s.gross), "returns": _amount(s.returns),
            "net": _amount(s.net), "previous_net": _amount(s.previous_net),
            "change": _change_json(change_percent(s.net, s.previous_net)),
        } for rank, s in enumerate(report.sellers, start=1)],
        "days": [{"date": d.day.isoformat(), "imported": not d.missing,
                  **({figure: None for figure in FIGURES} if d.missing else _totals_json(d.totals) or {})}
                 for d in report.days],
        "missing_days": [day.isoformat() for day in report.missing],
        "previous_missing_days": [day.isoformat() for day in report.previous_missing],
        "expenses": None if report.expenses is None else {
            "count": report.expenses.count, "amount": _amount(report.expenses.amount),
            "net_after_expenses": _amount(report.net_after_expenses),
            "by_category": [{"category": getattr(c.category, "key", None) or str(c.category), "count": c.count,
                             "amount": _amount(c.amount)} for c in report.expenses.by_category],
        },
    }


def to_json(report: SalesReport) -> bytes:
    return json.dumps(report_json(report), ensure_ascii=False, indent=2).encode("utf-8")


def export_report(report: SalesReport, export_format: ExportFormat, translate: Translate, locale: str) -> bytes:
    """The file's bytes; CPU-bound (run it in a worker thread from the bot)."""
    if export_format is ExportFormat.XLSX:
        return to_xlsx(report, translate, locale)
    if export_format is ExportFormat.PDF:
        return to_pdf(report, translate, locale)
    if export_format is ExportFormat.CSV:
        return to_csv(report, translate, locale)
    return to_json(report)


__all__ = [
    "MIME_TYPES",
    "ExportFormat",
    "export_file_name",
    "export_report",
    "neutralise_csv_cell",
    "report_details",
    "report_json",
    "report_tables",
    "to_csv",
    "to_json",
    "to_pdf",
    "to_xlsx",
]

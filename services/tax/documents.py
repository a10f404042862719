"""A tax report as documents laid out like the official calculations, line by line with their codes:
QQS hisob-kitobi / Расчёт НДС, aylanmadan olinadigan soliq hisob-kitobi / Расчёт налога с оборота, JShDS va
ijtimoiy soliq hisob-kitobi / Расчёт НДФЛ и социального налога, and the profit-tax estimate; with the company's TIN
and period. Excel adds drill-down sheets (sales by day, purchases, payroll, warnings) so every figure traces to its
source lines. PDFs use the bundled DejaVu fonts (Uzbek Latin oʻ gʻ and Cyrillic)."""

from __future__ import annotations

import io
from collections.abc import Callable
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape as xml_escape

from services.fonts import PDF_FONT, PDF_FONT_BOLD, register_pdf_fonts
from services.locale import format_money, format_number

Translate = Callable[..., str]
Row = tuple[str, str, Any]  # line code, i18n key of its label, value (Decimal, str, or None: no data)


def _d(value: Any) -> Decimal | None:
    return Decimal(str(value)) if value is not None else None


def _other_rates(out: dict[str, Any]) -> Decimal | None:
    if not out:
        return None
    return sum((Decimal(str(line["base"])) for line in out.get("retail_other_rates") or []), Decimal("0.00"))


def _wholesale_included(out: dict[str, Any]) -> Decimal | None:
    """Wholesale with VAT inside the amount (and that of unknown type, counted the same); older reports: all."""
    if "wholesale_included" not in out:
        return _d(out.get("wholesale"))
    return Decimal(str(out["wholesale_included"])) + Decimal(str(out.get("wholesale_unknown", "0")))


def sections(figures: dict[str, Any]) -> list[tuple[str, list[Row]]]:
    """(title key, rows) of each calculation the report holds, in the forms' order."""
    taxes = figures.get("taxes") or {}
    found: list[tuple[str, list[Row]]] = []
    vat = taxes.get("vat")
    if vat is not None:
        out = vat.get("output") or {}
        inp = vat.get("input") or {}
        found.append(("tax-form-vat", [
            ("010", "tax-line-vat-retail", _d(out.get("retail_standard"))),
            ("011", "tax-line-vat-other-rates", _other_rates(out)),
            ("020", "tax-line-vat-wholesale", _wholesale_included(out)),
            ("021", "tax-line-vat-wholesale-on-top", _d(out.get("wholesale_on_top"))),
            ("022", "tax-line-vat-wholesale-no-vat", _d(out.get("wholesale_without_vat"))),
            ("030", "tax-line-vat-zero", _d(out.get("retail_zero_rated"))),
            ("040", "tax-line-vat-exempt", _d(out.get("retail_exempt"))),
            ("050", "tax-line-rate", f"{vat['rate']}%"),
            ("060", "tax-line-vat-output", _d(out.get("output"))),
            ("070", "tax-line-vat-input", _d(inp.get("credited"))),
            ("080", "tax-line-vat-paper", _d(inp.get("paper_not_credited"))),
            ("090", "tax-line-vat-carried-in", _d(vat.get("carried_in"))),
            ("100", "tax-line-vat-payable", _d(vat.get("payable"))),
            ("110", "tax-line-vat-carried-out", _d(vat.get("carried_out"))),
        ]))
    turnover = taxes.get("turnover")
    if turnover is not None:
        found.append(("tax-form-turnover", [
            ("010", "tax-line-turnover-gross", _d(turnover.get("retail_gross"))),
            ("020", "tax-line-turnover-returns", _d(turnover.get("retail_returns"))),
            ("030", "tax-line-turnover-wholesale", _d(turnover.get("wholesale"))),
            ("040", "tax-line-turnover-base", _d(turnover.get("base"))),
            ("050", "tax-line-rate", f"{turnover['rate']}%"),
            ("060", "tax-line-turnover-amount", _d(turnover.get("amount"))),
        ]))
    pit, social = taxes.get("pit") or {}, taxes.get("social") or {}
    found.append(("tax-form-payroll", [
        ("010", "tax-line-payroll-fund", _d(pit.get("base"))),
        ("020", "tax-line-pit", _d(pit.get("amount"))),
        ("021", "tax-line-inps", _d(pit.get("inps"))),
        ("022", "tax-line-pit-budget", _d(pit.get("budget"))),
        ("030", "tax-line-social", _d(social.get("amount"))),
    ]))
    profit = taxes.get("profit")
    if profit is not None:
        found.append(("tax-form-profit", [
            ("010", "tax-line-profit-revenue", _d(profit.get("revenue"))),
            ("020", "tax-line-profit-revenue-net", _d(profit.get("revenue_without_vat"))),
            ("030", "tax-line-profit-cost", _d(profit.get("cost_of_goods"))),
            ("040", "tax-line-profit-expenses", _d(profit.get("expenses"))),
            ("050", "tax-line-profit-payroll", _d(profit.get("payroll"))),
            ("060", "tax-line-profit-social", _d(profit.get("social_tax"))),
            ("070", "tax-line-profit-base", _d(profit.get("base"))),
            ("080", "tax-line-rate", f"{profit['rate']}%"),
            ("090", "tax-line-profit-amount", _d(profit.get("amount"))),
        ]))
    return found


def value_text(value: Any, translate: Translate, locale: str) -> str:
    if value is None:
        return translate("tax-no-data")
    if isinstance(value, Decimal):
        return format_number(value, locale, 2)
    return str(value)


def header_lines(figures: dict[str, Any], status: str, translate: Translate) -> list[str]:
    company = figures.get("company") or {}
    return [
        translate("tax-doc-company", name=company.get("name", ""), tin=company.get("tin", "")),
        translate("tax-doc-period", period=figures.get("period", ""), first=figures.get("first", ""),
                  last=figures.get("last", "")),
        translate("tax-doc-regime", regime=translate(f"tax-regime-{figures.get('regime', 'mixed')}")),
        translate("tax-doc-status", status=translate(f"tax-status-{status}")),
    ]


MONEY_PARAMS = frozenset({"amount", "revenue", "threshold"})


def warning_lines(figures: dict[str, Any], translate: Translate, locale: str) -> list[str]:
    """The report's warnings in a language (money values formatted for it)."""
    def value(name: str, raw: Any) -> Any:
        if name in MONEY_PARAMS:
            return format_money(Decimal(str(raw)), locale)
        if name == "rate" and locale in ("uz", "ru"):
            return str(raw).replace(".", ",")
        return raw

    return [translate(w["key"], **{k: value(k, v) for k, v in w.items() if k != "key"})
            for w in figures.get("warnings", [])]


def report_xlsx(figures: dict[str, Any], status: str, translate: Translate, locale: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    bold = Font(bold=True)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = translate("tax-sheet-report")[:31]
    sheet.append([translate("tax-doc-title")])
    sheet["A1"].font = Font(bold=True, size=13)
    for line in header_lines(figures, status, translate):
        sheet.append([line])
    for title, rows in sections(figures):
        sheet.append([])
        sheet.append([translate(title)])
        sheet.cell(sheet.max_row, 1).font = bold
        sheet.append([translate("tax-col-code"), translate("tax-col-line"), translate("tax-col-amount")])
        for code, key, value in rows:
            cell_value: Any = value if isinstance(value, Decimal) else (value if value is not None
                                                                         else translate("tax-no-data"))
            sheet.append([code, translate(key), cell_value])
            if isinstance(value, Decimal):
                sheet.cell(sheet.max_row, 3).number_format = "#,##0.00"
    warnings = warning_lines(figures, translate, locale)
    if warnings:
        sheet.append([])
        sheet.append([translate("tax-warnings")])
        sheet.cell(sheet.max_row, 1).font = bold
        for text in warnings:
            sheet.append([text])
    sheet.column_dimensions["A"].width = 10
    sheet.column_dimensions["B"].width = 60
    sheet.column_dimensions["C"].width = 20

    days = book.create_sheet(translate("tax-sheet-sales")[:31])
    days.append([translate("tax-col-day"), translate("tax-col-receipts"), translate("tax-line-turnover-gross"),
                 translate("tax-line-turnover-returns"), translate("tax-col-retail-net"),
                 translate("tax-line-turnover-wholesale")])
    for row in (figures.get("sales") or {}).get("by_day", []):
        days.append([row["day"], row["receipts"], Decimal(row["retail_gross"]), Decimal(row["retail_returns"]),
                     Decimal(row["retail_net"]), Decimal(row["wholesale_net"])])
    if figures.get("sales") is None:
        days.append([translate("tax-missing-days", days=int((figures.get("coverage") or {}).get("missing_days", 0)))])
    for first, last in (figures.get("coverage") or {}).get("missing", []):
        days.append([translate("tax-col-missing"), first, last])

    purchases = book.create_sheet(translate("tax-sheet-purchases")[:31])
    purchases.append([translate("tax-col-purchase"), translate("tax-col-supplier"), translate("tax-col-tin"),
                      translate("tax-col-number"), translate("tax-col-day"), translate("tax-col-total"),
                      translate("tax-col-vat"), translate("tax-col-claim"), translate("tax-col-credited")])
    for line in ((figures.get("taxes") or {}).get("vat") or {}).get("purchases", []):
        purchases.append([line["id"], line["supplier"], line["tin"], line["number"], line["date"],
                          _d(line["total"]), _d(line["vat"]), translate(f"tax-claim-{line['claim']}"),
                          translate("tax-yes") if line["credited"] else translate("tax-no")])

    payroll = book.create_sheet(translate("tax-sheet-payroll")[:31])
    pit = (figures.get("taxes") or {}).get("pit") or {}
    source = pit.get("sources") or {}
    payroll.append([translate("tax-col-run"), translate("tax-col-version"), translate("tax-col-employees"),
                    translate("tax-line-payroll-fund"), translate("tax-line-pit"), translate("tax-line-social")])
    if source.get("run_id"):
        payroll.append([source["run_id"], source.get("version"), source.get("employees"), _d(pit.get("base")),
                        _d(pit.get("amount")), _d(((figures.get("taxes") or {}).get("social") or {}).get("amount"))])
    else:
        payroll.append([translate(pit.get("missing") or "tax-no-data", month=figures.get("period", ""))])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def report_pdf(figures: dict[str, Any], status: str, translate: Translate, locale: str) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    register_pdf_fonts()
    body = ParagraphStyle("body", fontName=PDF_FONT, fontSize=8.5, leading=11)
    title = ParagraphStyle("title", fontName=PDF_FONT_BOLD, fontSize=13, leading=16, spaceAfter=4)
    heading = ParagraphStyle("heading", fontName=PDF_FONT_BOLD, fontSize=10, leading=13, spaceBefore=6)
    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm, topMargin=15 * mm,
                                 bottomMargin=15 * mm, title=translate("tax-doc-title"), author="Smart Savdo")
    story: list[Any] = [Paragraph(xml_escape(translate("tax-doc-title")), title)]
    story += [Paragraph(xml_escape(line), body) for line in header_lines(figures, status, translate)]
    for section, rows in sections(figures):
        story.append(Paragraph(xml_escape(translate(section)), heading))
        data: list[list[Any]] = [[translate("tax-col-code"), translate("tax-col-line"), translate("tax-col-amount")]]
        data += [[code, Paragraph(xml_escape(translate(key)), body), value_text(value, translate, locale)]
                 for code, key, value in rows]
        table = Table(data, colWidths=[18 * mm, 112 * mm, 45 * mm], repeatRows=1)
        table.setStyle(TableStyle([
            ("FONTNAME", (0, 0), (-1, -1), PDF_FONT), ("FONTSIZE", (0, 0), (-1, -1), 8.5),
            ("FONTNAME", (0, 0), (-1, 0), PDF_FONT_BOLD), ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#DDEBF7")),
            ("GRID", (0, 0), (-1, -1), 0.25, colors.HexColor("#A6A6A6")), ("ALIGN", (2, 1), (2, -1), "RIGHT"),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ]))
        story.append(table)
    warnings = warning_lines(figures, translate, locale)
    if warnings:
        story.append(Spacer(1, 3 * mm))
        story.append(Paragraph(xml_escape(translate("tax-warnings")), heading))
        story += [Paragraph(xml_escape(f"• {text}"), body) for text in warnings]
    story.append(Spacer(1, 4 * mm))
    story.append(Paragraph(xml_escape(translate("tax-doc-draft-note")), body))
    document.build(story)
    return buffer.getvalue()


def file_name(figures: dict[str, Any], extension: str) -> str:
    company = figures.get("company") or {}
    return f"tax_{company.get('tin') or company.get('id', '')}_{figures.get('period', '')}.{extension}"


__all__ = ["file_name", "header_lines", "report_pdf", "report_xlsx", "sections", "value_text", "warning_lines"]

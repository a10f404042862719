"""Sales reports: periods and typed dates, the period report with comparisons, its text, chart and files.

    period = period_for(PeriodKind.YESTERDAY, today)            # or parse_period("1.11-15.11", today)
    report = await sales_report(session, company_id, period, branch_ids=ctx.branch_ids)
    parts = split_message(render_sales_report(report, translate, locale))
    png = daily_chart_png(await daily_series(session, company_id, chart_window(period)), translate, locale)
    xlsx = export_report(report, ExportFormat.XLSX, translate, locale)

`translate(key, **params) -> str` is any Fluent lookup bound to a locale (the keys live in locales/*/reports.ftl).
"""

from typing import TYPE_CHECKING, Any

from services.reports.dates import DateInputError, parse_date, parse_period
from services.reports.periods import (
    MAX_RANGE_DAYS,
    MAX_TEXT_DAYS,
    PERIOD_KINDS,
    Period,
    PeriodKind,
    chart_window,
    period_for,
)
from services.reports.render import (
    TELEGRAM_CAPTION_LIMIT,
    TELEGRAM_TEXT_LIMIT,
    Translate,
    chart_caption,
    format_change,
    format_period,
    render_sales_report,
    split_message,
    truncate,
)
from services.reports.sales import (
    BranchRow,
    DailySeries,
    DayRow,
    PaymentRow,
    ProductRow,
    SalesReport,
    SellerRow,
    Totals,
    change_percent,
    daily_series,
    sales_report,
)
from services.reports.status import DataStatus, data_status

if TYPE_CHECKING:
    from services.reports.charts import daily_chart_png, has_chart_data
    from services.reports.exports import (
        MIME_TYPES,
        ExportFormat,
        export_file_name,
        export_report,
        neutralise_csv_cell,
        report_json,
    )

# The files and the chart (openpyxl, matplotlib) load on first use, so that a caller that only needs the figures
# (`python -m bot ask`) does not pay for them.
_LAZY = {"daily_chart_png": "charts", "has_chart_data": "charts", "MIME_TYPES": "exports", "ExportFormat": "exports",
         "export_file_name": "exports", "export_report": "exports", "neutralise_csv_cell": "exports",
         "report_json": "exports"}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(f"services.reports.{module}"), name)
    globals()[name] = value
    return value

__all__ = [
    "MAX_RANGE_DAYS",
    "MAX_TEXT_DAYS",
    "MIME_TYPES",
    "PERIOD_KINDS",
    "TELEGRAM_CAPTION_LIMIT",
    "TELEGRAM_TEXT_LIMIT",
    "BranchRow",
    "DailySeries",
    "DataStatus",
    "DateInputError",
    "DayRow",
    "ExportFormat",
    "PaymentRow",
    "Period",
    "PeriodKind",
    "ProductRow",
    "SalesReport",
    "SellerRow",
    "Totals",
    "Translate",
    "change_percent",
    "chart_caption",
    "chart_window",
    "daily_chart_png",
    "daily_series",
    "data_status",
    "export_file_name",
    "export_report",
    "format_change",
    "format_period",
    "has_chart_data",
    "neutralise_csv_cell",
    "parse_date",
    "parse_period",
    "period_for",
    "render_sales_report",
    "report_json",
    "sales_report",
    "split_message",
    "truncate",
]

"""A PNG of net sales per day, one line per branch (matplotlib, Agg, no pyplot: safe to run in a worker thread)."""

from __future__ import annotations

import io
import math
from decimal import Decimal

from services.locale import format_number
from services.reports.render import Translate, branch_label
from services.reports.sales import DailySeries

WIDTH_INCHES, HEIGHT_INCHES, DPI = 8.0, 4.5, 120


_AXIS_UNITS = {"uz": (" mln", " ming"), "ru": (" млн", " тыс."), "en": ("M", "K")}


def _axis_amount(value: float, locale: str) -> str:
    """Compact amounts on the axis: 1,2 mln / 850 ming (uz), 1,2 млн / 850 тыс. (ru), 1.2M / 850K (en)."""
    million, thousand = _AXIS_UNITS.get(locale, _AXIS_UNITS["en"])
    magnitude = abs(value)
    if magnitude >= 1_000_000:
        return f"{format_number(Decimal(str(value / 1_000_000)), locale, places=1)}{million}"
    if magnitude >= 1_000:
        return f"{format_number(Decimal(str(value / 1_000)), locale)}{thousand}"
    return format_number(Decimal(str(value)), locale)


def has_chart_data(series: DailySeries) -> bool:
    """A chart is worth sending when at least two days have sales."""
    days_with_sales = {day for branch_id, values in series.net.items() for day, amount in values.items()
                       if amount and day not in series.missing.get(branch_id, frozenset())}
    return len(days_with_sales) >= 2


def daily_chart_png(series: DailySeries, translate: Translate, locale: str) -> bytes:
    # Imported here: matplotlib takes a while to load and most updates never draw a chart.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter

    figure = Figure(figsize=(WIDTH_INCHES, HEIGHT_INCHES), dpi=DPI)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    positions = list(range(len(series.days)))
    lowest = 0.0
    for branch_id, values in series.net.items():
        gaps = series.missing.get(branch_id, frozenset())
        # A day never imported is a gap in the line (NaN), never a zero the line dips to.
        amounts = [math.nan if day in gaps else float(values.get(day, 0)) for day in series.days]
        known = [amount for amount in amounts if not math.isnan(amount)]
        if not any(known):
            continue
        lowest = min(lowest, *known)
        # A "$" would start matplotlib's math text; branch names are plain text.
        label = branch_label(branch_id, series.names.get(branch_id), translate).replace("$", r"\$")
        axes.plot(positions, amounts, marker="o", markersize=3, linewidth=1.8, label=label)
    step = max(1, len(series.days) // 10)
    axes.set_xticks(positions[::step], [f"{day:%d.%m}" for day in series.days[::step]])
    axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _pos: _axis_amount(value, locale)))
    axes.set_title(translate("report-chart-title"))
    axes.grid(True, alpha=0.3)
    axes.set_ylim(bottom=lowest * 1.05)  # from zero, unless a day of returns went below it
    if axes.get_legend_handles_labels()[0]:
        axes.legend(loc="upper left", fontsize="small")
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()

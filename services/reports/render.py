"""The report as a phone-readable Telegram message (HTML): figures formatted per locale, changes as ▲/▼ percentages.

Pure text: the caller passes a translate function (`translate(key, **params) -> str`, e.g. aiogram-i18n's
`i18n.get` or `functools.partial(core.i18n.translate, locale)`) and the locale for numbers and dates.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any, Protocol

from services.locale import format_date, format_money, format_number
from services.reports.coverage import day_ranges
from services.reports.periods import Period
from services.reports.sales import DailySeries, SalesReport, Totals, change_percent

TELEGRAM_TEXT_LIMIT = 4096
TELEGRAM_CAPTION_LIMIT = 1024
TEXT_TOP_PRODUCTS = 10
TEXT_TOP_SELLERS = 5


class Translate(Protocol):
    def __call__(self, key: str, /, **params: Any) -> str: ...


def esc(value: object) -> str:
    """Names come from REGOS and from users: always escaped in HTML."""
    return html.escape(str(value), quote=False)


def format_change(change: Decimal | None, locale: str) -> str:
    if change is None:
        return ""
    if change == 0:
        return "= 0%"
    arrow = "▲" if change > 0 else "▼"
    return f"{arrow} {format_number(abs(change), locale, places=1)}%"


def format_quantity(value: Decimal, locale: str) -> str:
    """Whole pieces without decimals, weights with up to three places (12,5 kg)."""
    exponent = value.normalize().as_tuple().exponent
    places = max(0, -exponent) if isinstance(exponent, int) else 0
    return format_number(value, locale, places=min(places, 3))


def format_period(period: Period, locale: str) -> str:
    """One day in words (22 November 2026); a range in digits, short enough for a phone line."""
    if period.first == period.last:
        return format_date(period.first, locale)
    if period.first.year == period.last.year:
        return f"{period.first:%d.%m}–{period.last:%d.%m.%Y}"
    return f"{period.first:%d.%m.%Y}–{period.last:%d.%m.%Y}"


def scope_text(report: SalesReport, translate: Translate) -> str:
    if report.scope is None:
        return translate("report-scope-all")
    if not report.scope:
        return translate("report-scope-none")
    return ", ".join(esc(branch.name) for branch in report.scope)


def branch_label(branch_id: int | None, name: str | None, translate: Translate) -> str:
    if branch_id is None:
        return translate("report-branch-unassigned")
    return name if name else f"#{branch_id}"


def _line(text: str) -> str:
    # A figure with no change to show leaves a trailing space behind its placeholder.
    return text.rstrip()


def _summary_lines(report: SalesReport, translate: Translate, locale: str) -> list[str]:
    totals = report.totals

    def money(value: Decimal) -> str:
        return format_money(value, locale)

    def change(figure: str) -> str:
        return format_change(report.change(figure), locale)

    lines = [
        translate("report-net", amount=money(totals.net_sales), change=change("net_sales")),
        translate("report-retail", amount=money(totals.retail_net), change=change("retail_net")),
    ]
    if totals.wholesale_docs or totals.wholesale_return_docs or (report.previous and report.previous.wholesale_docs):
        lines.append(translate("report-wholesale", amount=money(totals.wholesale_net), change=change("wholesale_net")))
    lines += [
        translate("report-returns", amount=money(totals.retail_returns),
                  count=format_number(totals.return_receipts, locale), change=change("retail_returns")),
        translate("report-receipts", count=format_number(totals.receipts, locale), change=change("receipts")),
        translate("report-average", amount=money(totals.average_receipt), change=change("average_receipt")),
    ]
    return [_line(line) for line in lines]


def _previous_net(totals: Totals | None) -> Decimal | None:
    return totals.net_sales if totals is not None else None


MISSING_RANGES_SHOWN = 5


def missing_days_text(days: Iterable[date], locale: str) -> str:
    """The missing days as short ranges (1.11–14.11, 20 November), the first few and "…" after them."""
    ranges = day_ranges(days)
    text = ", ".join(format_period(Period(first, last), locale) for first, last in ranges[:MISSING_RANGES_SHOWN])
    return text + (", …" if len(ranges) > MISSING_RANGES_SHOWN else "")


def coverage_lines(missing: tuple[date, ...], previous_missing: tuple[date, ...], translate: Translate,
                   locale: str) -> list[str]:
    """Warnings when part of the period, or of the period it is compared with, was never imported."""
    lines = []
    if missing:
        lines.append(translate("report-missing-days", count=len(missing), days=missing_days_text(missing, locale)))
    if previous_missing:
        lines.append(translate("report-missing-days-compared", count=len(previous_missing),
                               days=missing_days_text(previous_missing, locale)))
    return lines


def label_text(label: object, translate: Translate) -> str:
    """A category name: a locale text (services.approvals.Label) or the owner's own words."""
    key = getattr(label, "key", None)
    if isinstance(key, str):
        return translate(key, **dict(getattr(label, "params", {}) or {}))
    return esc(label)


def expense_lines(report: SalesReport, translate: Translate, locale: str) -> list[str]:
    """Approved expenses of the period by category, and net sales after them (issue 12)."""
    expenses = report.expenses
    if expenses is None or not expenses.count or report.net_after_expenses is None:
        return []
    lines = ["", translate("report-section-expenses")]
    lines += [translate("report-expense-row", name=label_text(row.category, translate),
                        amount=format_money(row.amount, locale), count=row.count) for row in expenses.by_category]
    lines.append(translate("report-expenses-total", amount=format_money(expenses.amount, locale),
                           count=expenses.count))
    lines.append(translate("report-net-after-expenses", amount=format_money(report.net_after_expenses, locale)))
    return lines


def render_sales_report(report: SalesReport, translate: Translate, locale: str) -> str:
    """The whole report as one HTML text; split it with `split_message` before sending."""
    lines = [
        _line(translate("report-title", company=esc(report.company_name))),
        _line(translate("report-period", period=format_period(report.period, locale),
                        timezone=esc(report.timezone), scope=scope_text(report, translate))),
    ]
    if report.previous_period is not None:
        lines.append(_line(translate("report-compared", period=format_period(report.previous_period, locale))))
    lines.append("")
    warnings = coverage_lines(report.missing, report.previous_missing, translate, locale)
    if warnings:  # above the figures they qualify
        lines += [*warnings, ""]
    if report.totals.is_empty:
        if not report.missing:
            lines.append(translate("report-empty-period"))
        elif report.imported_days:  # some days are in the books, and they hold no sales
            lines.append(translate("report-empty-imported", count=report.imported_days))
        if report.comparable and report.previous is not None and not report.previous.is_empty:
            lines.append(_line(translate("report-previous-net", amount=format_money(report.previous.net_sales,
                                                                                     locale))))
        lines += expense_lines(report, translate, locale)
        return "\n".join(lines)
    lines += _summary_lines(report, translate, locale)
    lines += expense_lines(report, translate, locale)

    if report.payments:
        lines += ["", translate("report-section-payments")]
        for payment in report.payments:
            name = esc(payment.name) if payment.name else f"#{payment.regos_id}"
            lines.append(_line(translate("report-row", name=name, amount=format_money(payment.net, locale),
                                         change=format_change(change_percent(payment.net, payment.previous_net),
                                                              locale))))
    if len(report.branches) > 1 or (report.branches and report.branches[0].branch_id is None):
        lines += ["", translate("report-section-branches")]
        for branch in report.branches:
            lines.append(_line(translate(
                "report-row", name=esc(branch_label(branch.branch_id, branch.name, translate)),
                amount=format_money(branch.totals.net_sales, locale),
                change=format_change(change_percent(branch.totals.net_sales, _previous_net(branch.previous)), locale),
            )))
    if report.products:
        lines += ["", translate("report-section-products")]
        for rank, product in enumerate(report.products[:TEXT_TOP_PRODUCTS], start=1):
            name = esc(product.name) if product.name else f"#{product.item_regos_id}"
            lines.append(_line(translate(
                "report-product-row", rank=rank, name=name, amount=format_money(product.amount, locale),
                quantity=format_quantity(product.quantity, locale), unit=esc(product.unit or ""),
                change=format_change(change_percent(product.amount, product.previous_amount), locale),
            )))
    if report.sellers:
        lines += ["", translate("report-section-sellers")]
        for rank, seller in enumerate(report.sellers[:TEXT_TOP_SELLERS], start=1):
            name = esc(seller.name) if seller.name else f"#{seller.regos_user_id}"
            lines.append(_line(translate(
                "report-seller-row", rank=rank, name=name, amount=format_money(seller.net, locale),
                receipts=format_number(seller.receipts, locale),
                change=format_change(change_percent(seller.net, seller.previous_net), locale),
            )))
    return "\n".join(re.sub(r"  +", " ", line) for line in lines)


def chart_caption(series: DailySeries, translate: Translate, locale: str) -> str:
    period = Period(series.days[0], series.days[-1])
    caption = translate("report-chart-caption", period=format_period(period, locale))
    gaps = sorted(set().union(*series.missing.values())) if series.missing else []
    if gaps:
        caption += "\n" + translate("report-chart-gaps", count=len(gaps), days=missing_days_text(gaps, locale))
    return truncate(caption, TELEGRAM_CAPTION_LIMIT)


def _units(text: str) -> int:
    """Telegram counts UTF-16 code units: an emoji is two."""
    return len(text.encode("utf-16-le")) // 2


def _safe_cut(text: str, limit: int) -> int:
    """A cut position within `limit` units that is not inside an HTML tag or entity."""
    cut = 0
    units = 0
    for index, char in enumerate(text):
        units += 2 if ord(char) > 0xFFFF else 1
        if units > limit:
            break
        cut = index + 1
    head = text[:cut]
    for opener, closer in (("<", ">"), ("&", ";")):
        start = head.rfind(opener)
        if start > head.rfind(closer) and start > 0:
            cut = start
            head = text[:cut]
    return max(cut, 1)


def split_message(text: str, limit: int = TELEGRAM_TEXT_LIMIT) -> list[str]:
    """Parts of at most `limit` UTF-16 units, cut at line boundaries (a single over-long line is cut inside)."""
    parts: list[str] = []
    current: list[str] = []
    size = 0
    for line in text.split("\n"):
        while _units(line) > limit:
            if current:
                parts.append("\n".join(current))
                current, size = [], 0
            cut = _safe_cut(line, limit)
            parts.append(line[:cut])
            line = line[cut:]
        added = _units(line) + (1 if current else 0)
        if current and size + added > limit:
            parts.append("\n".join(current))
            current, size, added = [], 0, _units(line)
        current.append(line)
        size += added
    if current:
        parts.append("\n".join(current))
    return [part for part in (p.strip("\n") for p in parts) if part.strip()]


def truncate(text: str, limit: int = TELEGRAM_CAPTION_LIMIT) -> str:
    """A caption within Telegram's limit, ending with an ellipsis when it had to be cut."""
    if _units(text) <= limit:
        return text
    return text[: _safe_cut(text, limit - 1)].rstrip() + "…"

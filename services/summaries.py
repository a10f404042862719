"""Scheduled summaries: what they contain, who gets them, exactly-once delivery records and corrections.

The figures come from the sales report (services.reports.sales) over the synced REGOS data; this module adds
the daily view an owner reads in the evening: changes against yesterday and the same weekday last week, low
stock, alerts. No aiogram here: rendering takes a translate function.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, exists, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from db.finance import CashMovement
from db.models import Branch, Company, Membership, SummaryDelivery, User
from db.regos_data import Item, StockLevel
from services.cash import CashSummary, cash_summary
from services.locale import format_date, format_money, format_number
from services.permissions import Capability, branch_scope, roles_with
from services.reports.periods import Period, PeriodKind, month_end
from services.reports.render import (
    Translate,
    esc,
    expense_lines,
    format_change,
    format_period,
    render_sales_report,
)
from services.reports.sales import SalesReport, Totals, change_percent, sales_report

DEFAULT_SUMMARY_TIME = time(21, 0)
DROP_ALERT = Decimal("-20")  # percent against the same weekday last week
RETURNS_ALERT_SHARE = Decimal("0.05")  # returns above 5% of gross sales, and well above the usual share
LOW_STOCK_LIMIT = 10
CORRECTION_DAYS = 7  # a late return this many days back still gets a correction
SUMMARY_ROLES = roles_with(Capability.SUMMARY_FOLLOW)  # the permission table decides who gets summaries


# --- settings -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SummarySettings:
    at: time = DEFAULT_SUMMARY_TIME
    daily: bool = True
    weekly: bool = True
    monthly: bool = True


def parse_clock(value: str) -> time | None:
    """`21:00`, `9:30`, `21.00`, `2100` → a time; None when it is not a time of day."""
    text = (value or "").strip().replace(".", ":")
    if text.isdigit() and len(text) in (3, 4):
        text = f"{text[:-2]}:{text[-2:]}"
    parts = text.split(":")
    if len(parts) != 2 or not all(part.isdigit() for part in parts):
        return None
    hours, minutes = int(parts[0]), int(parts[1])
    if not (0 <= hours < 24 and 0 <= minutes < 60):
        return None
    return time(hours, minutes)


def summary_settings(company: Company) -> SummarySettings:
    raw = dict((company.settings or {}).get("summary") or {})
    return SummarySettings(
        at=parse_clock(str(raw.get("time", ""))) or DEFAULT_SUMMARY_TIME,
        daily=bool(raw.get("daily", True)), weekly=bool(raw.get("weekly", True)),
        monthly=bool(raw.get("monthly", True)),
    )


def update_summary_settings(company: Company, **changes: Any) -> SummarySettings:
    raw = dict((company.settings or {}).get("summary") or {})
    for key, value in changes.items():
        raw[key] = value.strftime("%H:%M") if isinstance(value, time) else value
    company.settings = {**(company.settings or {}), "summary": raw}  # a new dict, so SQLAlchemy sees the change
    return summary_settings(company)


# --- who gets it --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Recipient:
    user: User
    membership: Membership
    branch_ids: frozenset[int] | None  # None: the whole company


def membership_branch_scope(membership: Membership) -> frozenset[int] | None:
    """The branches this member follows: those they chose, within those they may see."""
    allowed = branch_scope(membership)
    chosen = (membership.settings or {}).get("summary_branches")
    if chosen:
        chosen_ids = frozenset(int(branch_id) for branch_id in chosen)
        return chosen_ids if allowed is None else (chosen_ids & allowed) or allowed
    return allowed


async def summary_recipients(session: AsyncSession, company_id: int) -> list[Recipient]:
    result = await session.scalars(
        select(Membership)
        .options(selectinload(Membership.user), selectinload(Membership.branches))
        .where(Membership.company_id == company_id, Membership.role.in_([r.value for r in SUMMARY_ROLES]))
        .order_by(Membership.id)
    )
    recipients = []
    for membership in result.all():
        if (membership.settings or {}).get("summary_muted") or membership.user.bot_blocked:
            continue
        recipients.append(Recipient(membership.user, membership, membership_branch_scope(membership)))
    return recipients


# --- the daily summary --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LowStock:
    item: str
    branch: str | None
    quantity: Decimal
    minimum: Decimal


@dataclass(frozen=True, slots=True)
class Alert:
    key: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass
class BranchShift:
    """One branch's day as REGOS's shift report shows it: sales, returns, net, by payment type."""

    name: str | None  # None: receipts not matched to a branch (shown, so that the rows add up to the total)
    totals: Totals
    previous_net: Decimal | None
    payments: list[tuple[str, Decimal]]


@dataclass
class DailySummary:
    day: date
    report: SalesReport  # the day, compared with yesterday
    same_weekday: Totals  # the same weekday a week before
    low_stock: list[LowStock]
    alerts: list[Alert]
    branches: list[BranchShift] = field(default_factory=list)
    same_weekday_missing: bool = False  # the same weekday last week was never imported: no change against it
    cash: CashSummary | None = None  # what the registers hold now, when the company keeps cash in the bot

    def figures(self) -> dict[str, str | int]:
        """What the reader was told, to notice later changes (a late return) and correct them."""
        totals = self.report.totals
        return {"net": str(totals.net_sales), "gross": str(totals.retail_gross),
                "returns": str(totals.retail_returns), "wholesale": str(totals.wholesale_net),
                "receipts": totals.receipts}


async def _low_stock(session: AsyncSession, company_id: int, branch_ids: frozenset[int] | None) -> list[LowStock]:
    query = (
        select(Item.name, Branch.name, StockLevel.quantity, Item.min_quantity)
        .join(Item, and_(Item.company_id == StockLevel.company_id, Item.regos_id == StockLevel.item_regos_id))
        .outerjoin(Branch, and_(Branch.company_id == StockLevel.company_id,
                                Branch.regos_stock_id == StockLevel.regos_stock_id))
        .where(StockLevel.company_id == company_id, Item.min_quantity.is_not(None),
               StockLevel.quantity < Item.min_quantity, Item.deleted.is_(False))
        .order_by((StockLevel.quantity / Item.min_quantity).asc(), Item.name)
        .limit(LOW_STOCK_LIMIT)
    )
    if branch_ids is not None:
        query = query.where(Branch.id.in_(branch_ids))
    rows = (await session.execute(query)).all()
    return [LowStock(item=name, branch=branch, quantity=quantity, minimum=minimum or Decimal(0))
            for name, branch, quantity, minimum in rows]


async def build_daily_summary(
    session: AsyncSession, company_id: int, day: date, branch_ids: frozenset[int] | None = None
) -> DailySummary:
    scope = sorted(branch_ids) if branch_ids is not None else None
    report = await sales_report(session, company_id, Period(day, day, PeriodKind.CUSTOM), branch_ids=scope,
                                top_products=5, top_sellers=3)
    week_ago = day - timedelta(days=7)
    week_ago_report = await sales_report(session, company_id, Period(week_ago, week_ago), branch_ids=scope,
                                         compare=False, top_products=0, top_sellers=0, with_expenses=False)
    same_weekday = week_ago_report.totals
    usual = (await sales_report(session, company_id, Period(day - timedelta(days=28), day - timedelta(days=1)),
                                branch_ids=scope, compare=False, top_products=0, top_sellers=0,
                                with_expenses=False)).totals
    alerts: list[Alert] = []
    drop = (change_percent(report.totals.net_sales, same_weekday.net_sales)
            if not (week_ago_report.missing or report.missing) else None)
    if drop is not None and drop < DROP_ALERT:
        alerts.append(Alert("summary-alert-drop", {"percent": abs(drop)}))
    gross = report.totals.retail_gross
    if gross > 0:
        share = report.totals.retail_returns / gross
        usual_share = usual.retail_returns / usual.retail_gross if usual.retail_gross > 0 else Decimal(0)
        if share > RETURNS_ALERT_SHARE and share > 2 * usual_share:
            alerts.append(Alert("summary-alert-returns", {"percent": (share * 100).quantize(Decimal("0.1")),
                                                          "usual": (usual_share * 100).quantize(Decimal("0.1"))}))
    shifts = []
    if len(report.branches) > 1:  # one branch is the total already
        for row in report.branches:
            payments: list[tuple[str, Decimal]] = []
            if row.branch_id is not None:
                own = await sales_report(session, company_id, Period(day, day), branch_ids=[row.branch_id],
                                         compare=False, top_products=0, top_sellers=0, with_expenses=False)
                payments = [(p.name or f"#{p.regos_id}", p.net) for p in own.payments]
            shifts.append(BranchShift(
                name=(row.name or f"#{row.branch_id}") if row.branch_id is not None else None, totals=row.totals,
                previous_net=row.previous.net_sales if row.previous else None, payments=payments,
            ))
    return DailySummary(day=day, report=report, same_weekday=same_weekday,
                        low_stock=await _low_stock(session, company_id, branch_ids), alerts=alerts,
                        branches=shifts, same_weekday_missing=bool(week_ago_report.missing),
                        cash=await _cash(session, company_id, branch_ids))


async def _cash(session: AsyncSession, company_id: int, branch_ids: frozenset[int] | None) -> CashSummary | None:
    """The cash line, once the company records cash in the bot (a register nobody uses holds no known figure)."""
    if not await session.scalar(select(exists().where(CashMovement.company_id == company_id))):
        return None
    return await cash_summary(session, company_id, branch_ids)


def _net_line(summary: DailySummary, translate: Translate, locale: str) -> str:
    """Net sales with the changes that can be computed honestly; a day not imported is named instead."""
    report, totals = summary.report, summary.report.totals
    parts = [translate("summary-net", amount=format_money(totals.net_sales, locale))]
    if report.missing:  # the day itself is incomplete: no change means anything
        return parts[0]
    yesterday = summary.day - timedelta(days=1)
    if report.previous is not None and report.comparable:
        change = format_change(change_percent(totals.net_sales, report.previous.net_sales), locale)
        if change:
            parts.append(translate("summary-change-yesterday", change=change))
    elif report.previous_missing:
        parts.append(translate("summary-change-missing", day=format_date(yesterday, locale)))
    week_ago = summary.day - timedelta(days=7)
    if summary.same_weekday_missing:
        parts.append(translate("summary-change-missing", day=format_date(week_ago, locale)))
    else:
        change = format_change(change_percent(totals.net_sales, summary.same_weekday.net_sales), locale)
        if change:
            parts.append(translate("summary-change-weekday", change=change, day=format_date(week_ago, locale)))
    return " · ".join(parts)


def render_daily_summary(summary: DailySummary, translate: Translate, locale: str) -> str:
    report, totals = summary.report, summary.report.totals
    lines = [
        translate("summary-daily-title", company=esc(report.company_name)),
        translate("summary-business-day", day=format_date(summary.day, locale), timezone=esc(report.timezone)),
        "",
    ]
    if report.missing:
        lines += [translate("summary-day-missing", day=format_date(summary.day, locale)), ""]
    cash = ([translate("cash-summary-line", balance=format_money(summary.cash.total, locale))]
            if summary.cash is not None else [])
    if totals.is_empty:
        if not report.missing:
            lines.append(translate("summary-no-sales"))
        lines += expense_lines(report, translate, locale)
        lines += ["", *cash] if cash else []
        return "\n".join(lines).strip("\n")
    lines += [
        _net_line(summary, translate, locale),
        translate("summary-sales-returns", sales=format_money(totals.retail_gross, locale),
                  receipts=format_number(totals.receipts, locale),
                  returns=format_money(totals.retail_returns, locale),
                  return_receipts=format_number(totals.return_receipts, locale)),
    ]
    if totals.wholesale_docs or totals.wholesale_return_docs:
        lines.append(translate("summary-wholesale", amount=format_money(totals.wholesale_net, locale)))
    lines.append(translate("summary-average", amount=format_money(totals.average_receipt, locale)))
    if report.payments:
        lines += ["", translate("summary-section-payments")]
        lines += [translate("summary-row", name=esc(p.name or f"#{p.regos_id}"), amount=format_money(p.net, locale))
                  for p in report.payments]
    if summary.branches:
        lines += ["", translate("summary-section-branches")]
        for branch in summary.branches:
            change = format_change(change_percent(branch.totals.net_sales, branch.previous_net), locale)
            name = esc(branch.name) if branch.name is not None else translate("report-branch-unassigned")
            lines.append(translate("summary-branch-row", name=name,
                                   amount=format_money(branch.totals.net_sales, locale),
                                   receipts=format_number(branch.totals.receipts, locale), change=change).rstrip())
            lines.append("   " + translate("summary-branch-shift",
                                           sales=format_money(branch.totals.retail_gross, locale),
                                           returns=format_money(branch.totals.retail_returns, locale)))
            if branch.payments:
                lines.append("   " + " · ".join(f"{esc(name)} {format_money(amount, locale)}"
                                                for name, amount in branch.payments))
    if report.products:
        lines += ["", translate("summary-section-products")]
        lines += [translate("summary-ranked-row", rank=rank, name=esc(p.name or f"#{p.item_regos_id}"),
                            amount=format_money(p.amount, locale))
                  for rank, p in enumerate(report.products[:5], start=1)]
    if report.sellers:
        lines += ["", translate("summary-section-sellers")]
        lines += [translate("summary-ranked-row", rank=rank, name=esc(s.name or f"#{s.regos_user_id}"),
                            amount=format_money(s.net, locale))
                  for rank, s in enumerate(report.sellers[:3], start=1)]
    lines += expense_lines(report, translate, locale)
    if cash:
        lines += ["", *cash]
    if summary.low_stock:
        lines += ["", translate("summary-section-low-stock")]
        lines += [translate("summary-low-stock-row", name=esc(row.item), branch=esc(row.branch or "—"),
                            quantity=format_number(row.quantity, locale), minimum=format_number(row.minimum, locale))
                  for row in summary.low_stock]
    if summary.alerts:
        lines += ["", translate("summary-section-alerts")]
        lines += [translate(alert.key, **{k: format_number(v, locale, places=1) if isinstance(v, Decimal) else v
                                          for k, v in alert.params.items()}) for alert in summary.alerts]
    return "\n".join(lines)


def render_correction(day: date, before: dict[str, Any], after: dict[str, Any], translate: Translate,
                      locale: str) -> str:
    return translate("summary-correction", day=format_date(day, locale),
                     before=format_money(Decimal(str(before.get("net", "0"))), locale),
                     after=format_money(Decimal(str(after.get("net", "0"))), locale),
                     receipts=format_number(int(after.get("receipts", 0)), locale))


# --- weekly and monthly -------------------------------------------------------------------------------------------


def last_week(today: date) -> Period:
    monday = today - timedelta(days=today.weekday())
    return Period(monday - timedelta(days=7), monday - timedelta(days=1), PeriodKind.LAST_WEEK)


def last_month(today: date) -> Period:
    first = today.replace(day=1)
    previous_last = first - timedelta(days=1)
    return Period(previous_last.replace(day=1), month_end(previous_last.year, previous_last.month),
                  PeriodKind.LAST_MONTH)


async def build_period_summary(session: AsyncSession, company_id: int, period: Period,
                               branch_ids: frozenset[int] | None) -> SalesReport:
    return await sales_report(session, company_id, period,
                              branch_ids=sorted(branch_ids) if branch_ids is not None else None)


def render_period_summary(kind: str, report: SalesReport, translate: Translate, locale: str) -> str:
    """The weekly or monthly summary: the sales report of the period, with its missing days and expenses."""
    title = translate(f"summary-{kind}-title", period=format_period(report.period, locale))
    return title + "\n\n" + render_sales_report(report, translate, locale)


def report_figures(report: SalesReport) -> dict[str, str | int]:
    totals = report.totals
    return {"net": str(totals.net_sales), "gross": str(totals.retail_gross), "returns": str(totals.retail_returns),
            "wholesale": str(totals.wholesale_net), "receipts": totals.receipts}


async def delivery(session: AsyncSession, company_id: int, user_id: int, kind: str,
                   period: str) -> SummaryDelivery | None:
    return await session.scalar(select(SummaryDelivery).where(
        SummaryDelivery.company_id == company_id, SummaryDelivery.user_id == user_id,
        SummaryDelivery.kind == kind, SummaryDelivery.period == period))

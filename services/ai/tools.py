"""Read-only tools over one company's data, each with a pydantic argument schema (its JSON schema is what a model
sees). Every tool runs in a `ToolContext`: the asking member's company, the branches they may see
(`permissions.visible_branches`) and their role's capabilities. A result is plain JSON data (money as strings) and
always says which days of the period were not imported, so no answer states a figure for a day we do not have.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from core.i18n import translate
from db.finance import CashRegister, ExpenseStatus
from db.models import Branch, Membership, Role
from db.regos_data import Item, PaymentType, StockLevel
from services import permissions
from services.ai import figures
from services.errors import PermissionDenied
from services.permissions import Capability
from services.reports.coverage import coverage
from services.reports.periods import MAX_RANGE_DAYS, Period
from services.reports.sales import SalesReport, Totals, sales_report

MAX_TOP = 50


@dataclass(slots=True)
class ToolContext:
    session: AsyncSession
    membership: Membership
    today: date  # the company's business day
    locale: str = "uz"  # the user's language, for questions that do not show their own

    @property
    def company_id(self) -> int:
        return self.membership.company_id

    @property
    def role(self) -> Role:
        return Role(self.membership.role)


class ToolError(Exception):
    """A tool refused its arguments (bad period, unknown branch): the key names the reason."""

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.params = params


# --- argument schemas -----------------------------------------------------------------------------------------------


class PeriodArgs(BaseModel):
    first: date = Field(description="first business day, inclusive (YYYY-MM-DD)")
    last: date = Field(description="last business day, inclusive (YYYY-MM-DD)")
    branch_ids: list[int] | None = Field(default=None, description="limit to these branch ids; all visible if empty")


class TopArgs(PeriodArgs):
    limit: int = Field(default=5, ge=1, le=MAX_TOP)
    order: Literal["top", "bottom"] = "top"


class CompareArgs(PeriodArgs):
    other_first: date
    other_last: date


class SellerArgs(PeriodArgs):
    seller_regos_id: int


class ProductArgs(PeriodArgs):
    item_regos_id: int


class StockArgs(BaseModel):
    item_regos_id: int | None = None
    branch_ids: list[int] | None = None
    limit: int = Field(default=20, ge=1, le=MAX_TOP)


class ForecastArgs(BaseModel):
    days: int = Field(default=7, ge=1, le=28, description="how many days ahead, from tomorrow")
    branch_ids: list[int] | None = None
    item_regos_id: int | None = Field(default=None, description="a product's quantity instead of net sales")


class AdviceArgs(BaseModel):
    branch_ids: list[int] | None = None
    lead_time_days: int = Field(default=7, ge=1, le=60, description="days a reorder takes to arrive")
    dead_days: int = Field(default=30, ge=7, le=180, description="unsold for this many days counts as dead stock")


# --- helpers --------------------------------------------------------------------------------------------------------


def money(value: Decimal) -> str:
    return f"{value:.2f}"


def totals_data(totals: Totals) -> dict[str, str | int]:
    return {name: (money(value) if isinstance(value, Decimal) else value) for name, value in totals.figures().items()}


def _period(args: PeriodArgs, today: date, first: date | None = None, last: date | None = None) -> Period:
    first, last = first or args.first, last or args.last
    if first > last:
        raise ToolError("ai-error-period-order")
    if first > today:
        raise ToolError("ai-error-future")
    if (last - first).days + 1 > MAX_RANGE_DAYS:
        raise ToolError("ai-error-period-too-long")
    return Period(first, min(last, today))


async def _scope(ctx: ToolContext, wanted: list[int] | None) -> tuple[list[int], list[Branch]]:
    visible = await permissions.visible_branches(ctx.session, ctx.membership)
    if not wanted:
        return [b.id for b in visible], visible
    by_id = {b.id: b for b in visible}
    chosen = [by_id[i] for i in wanted if i in by_id]
    if not chosen:  # another company's branch looks exactly like a missing one
        raise ToolError("ai-error-unknown-branch")
    return [b.id for b in chosen], chosen


async def missing_days(ctx: ToolContext, period: Period, report: SalesReport | None = None,
                       branch_ids: list[int] | None = None) -> list[date]:
    """Days of the period up to today that some branch of the scope never imported (services.reports.coverage,
    the one rule): a figure over them is marked, never shown as zero."""
    covered = await coverage(ctx.session, ctx.company_id, period, ctx.today, branch_ids)
    return sorted(covered.missing)


def _period_data(period: Period, requested_last: date, missing: list[date]) -> dict[str, Any]:
    return {"first": period.first.isoformat(), "last": period.last.isoformat(),
            "cut_at_today": requested_last > period.last, "missing_days": [d.isoformat() for d in missing]}


async def _report(ctx: ToolContext, args: PeriodArgs, **kwargs: Any) -> tuple[SalesReport, dict[str, Any]]:
    """The whole sales report of the period (for callers that need most of it; the tools read `_scoped` and only
    the figures they answer with)."""
    period = _period(args, ctx.today)
    branch_ids, _ = await _scope(ctx, args.branch_ids)
    report = await sales_report(ctx.session, ctx.company_id, period, branch_ids=branch_ids, with_expenses=False,
                                **kwargs)
    return report, _period_data(period, args.last, await missing_days(ctx, period, report, branch_ids))


@dataclass(slots=True)
class _Scoped:
    period: Period
    branch_ids: list[int]
    branches: list[Branch]
    data: dict[str, Any]  # the period as a result states it, with its missing days


async def _scoped(ctx: ToolContext, args: PeriodArgs) -> _Scoped:
    period = _period(args, ctx.today)
    branch_ids, branches = await _scope(ctx, args.branch_ids)
    return _Scoped(period, branch_ids, branches,
                   _period_data(period, args.last, await missing_days(ctx, period, None, branch_ids)))


# --- the tools ------------------------------------------------------------------------------------------------------


async def sales_summary(ctx: ToolContext, args: PeriodArgs) -> dict[str, Any]:
    scoped = await _scoped(ctx, args)
    period, previous_period = scoped.period, scoped.period.previous()
    current = await figures.totals(ctx.session, ctx.company_id, period, scoped.branch_ids)
    previous = figures._sales._sum_totals((await figures.day_branch_totals(
        ctx.session, ctx.company_id, previous_period, scoped.branch_ids)).values())
    payments = await figures.payments(ctx.session, ctx.company_id, period, scoped.branch_ids)
    return {"period": scoped.data, "totals": totals_data(current), "previous": totals_data(previous),
            "previous_period": {"first": previous_period.first.isoformat(), "last": previous_period.last.isoformat()},
            "payments": [{"name": p.name, "net": money(p.net)} for p in payments]}


async def compare_periods(ctx: ToolContext, args: CompareArgs) -> dict[str, Any]:
    scoped = await _scoped(ctx, args)
    other_args = PeriodArgs(first=args.other_first, last=args.other_last, branch_ids=args.branch_ids)
    other = await _scoped(ctx, other_args)
    return {"period": scoped.data,
            "totals": totals_data(await figures.totals(ctx.session, ctx.company_id, scoped.period, scoped.branch_ids)),
            "other_period": other.data,
            "other_totals": totals_data(await figures.totals(ctx.session, ctx.company_id, other.period,
                                                             other.branch_ids))}


async def top_branches(ctx: ToolContext, args: TopArgs) -> dict[str, Any]:
    scoped = await _scoped(ctx, args)
    net = {branch_id: part.net_sales for branch_id, part in (await figures.branch_net(
        ctx.session, ctx.company_id, scoped.period, scoped.branch_ids)).items()}
    ranked = sorted(scoped.branches, key=lambda b: (net.get(b.id, Decimal(0)), -b.id), reverse=args.order == "top")
    return {"period": scoped.data, "order": args.order, "rows": [
        {"branch_id": b.id, "name": b.name, "net_sales": money(net.get(b.id, Decimal("0.00")))}
        for b in ranked[:args.limit]]}


async def top_products(ctx: ToolContext, args: TopArgs) -> dict[str, Any]:
    scoped = await _scoped(ctx, args)
    rows = [p for p in await figures.products(ctx.session, ctx.company_id, scoped.period, scoped.branch_ids)
            if p.item_regos_id is not None]
    if args.order == "bottom":
        rows = sorted(rows, key=lambda p: (p.amount, p.item_regos_id or 0))
    rows = rows[:args.limit]
    await figures.name_products(ctx.session, ctx.company_id, rows)
    return {"period": scoped.data, "order": args.order, "rows": [
        {"item_regos_id": p.item_regos_id, "name": p.name, "unit": p.unit, "net_amount": money(p.amount),
         "net_quantity": str(p.sold_quantity - p.returned_quantity)} for p in rows]}


async def top_sellers(ctx: ToolContext, args: TopArgs) -> dict[str, Any]:
    scoped = await _scoped(ctx, args)
    rows = await figures.sellers(ctx.session, ctx.company_id, scoped.period, scoped.branch_ids)
    if args.order == "bottom":
        rows = sorted(rows, key=lambda s: (s.net, s.regos_user_id or 0))
    rows = rows[:args.limit]
    await figures.name_sellers(ctx.session, ctx.company_id, rows)
    return {"period": scoped.data, "order": args.order, "rows": [
        {"seller_regos_id": s.regos_user_id, "name": s.name, "receipts": s.receipts, "net": money(s.net)}
        for s in rows]}


async def seller_figures(ctx: ToolContext, args: SellerArgs) -> dict[str, Any]:
    scoped = await _scoped(ctx, args)
    row = next((s for s in await figures.sellers(ctx.session, ctx.company_id, scoped.period, scoped.branch_ids)
                if s.regos_user_id == args.seller_regos_id), None)
    if row is not None:
        await figures.name_sellers(ctx.session, ctx.company_id, [row])
    return {"period": scoped.data, "seller_regos_id": args.seller_regos_id, "found": row is not None,
            "name": row.name if row else None, "receipts": row.receipts if row else 0,
            "returns": money(row.returns) if row else "0.00", "net": money(row.net) if row else "0.00"}


async def product_figures(ctx: ToolContext, args: ProductArgs) -> dict[str, Any]:
    scoped = await _scoped(ctx, args)
    row = next((p for p in await figures.products(ctx.session, ctx.company_id, scoped.period, scoped.branch_ids)
                if p.item_regos_id == args.item_regos_id), None)
    name = await ctx.session.scalar(select(Item.name).where(Item.company_id == ctx.company_id,
                                                            Item.regos_id == args.item_regos_id))
    return {"period": scoped.data, "item_regos_id": args.item_regos_id, "name": name,
            "sold_quantity": str(row.sold_quantity if row else 0), "net_amount": money(row.amount) if row else "0.00",
            "returned_quantity": str(row.returned_quantity if row else 0)}


async def _stock_rows(ctx: ToolContext, args: StockArgs) -> list[tuple[Item, Decimal]]:
    _, branches = await _scope(ctx, args.branch_ids)
    stocks = [b.regos_stock_id for b in branches if b.regos_stock_id is not None]
    query = (select(Item, StockLevel.quantity).join(StockLevel, (StockLevel.company_id == Item.company_id)
                                                   & (StockLevel.item_regos_id == Item.regos_id))
             .where(Item.company_id == ctx.company_id, StockLevel.regos_stock_id.in_(stocks)))
    if args.item_regos_id is not None:
        query = query.where(Item.regos_id == args.item_regos_id)
    summed: dict[int, tuple[Item, Decimal]] = {}
    for item, quantity in await ctx.session.execute(query):
        _, before = summed.get(item.regos_id, (item, Decimal(0)))
        summed[item.regos_id] = (item, before + quantity)
    return sorted(summed.values(), key=lambda pair: (pair[1], pair[0].regos_id))


async def stock_on_hand(ctx: ToolContext, args: StockArgs) -> dict[str, Any]:
    rows = await _stock_rows(ctx, args)
    return {"rows": [{"item_regos_id": i.regos_id, "name": i.name, "unit": i.unit, "quantity": str(q)}
                     for i, q in rows[:args.limit]]}


async def low_stock(ctx: ToolContext, args: StockArgs) -> dict[str, Any]:
    rows = [(i, q) for i, q in await _stock_rows(ctx, args) if i.min_quantity is not None and q < i.min_quantity]
    return {"rows": [{"item_regos_id": i.regos_id, "name": i.name, "unit": i.unit, "quantity": str(q),
                      "min_quantity": str(i.min_quantity)} for i, q in rows[:args.limit]]}


# --- payments, expenses, cash, payroll --------------------------------------------------------------------------------


class PaymentArgs(PeriodArgs):
    payment_regos_ids: list[int] | None = Field(default=None, description="payment type ids (from sales_summary)")
    kind: Literal["cash", "cashless"] | None = Field(default=None, description="all cash or all cashless types")


class MonthArgs(BaseModel):
    month: date = Field(description="any day of the month (YYYY-MM-DD)")


async def sales_by_payment(ctx: ToolContext, args: PaymentArgs) -> dict[str, Any]:
    scoped = await _scoped(ctx, args)
    period = scoped.data
    payments = await figures.payments(ctx.session, ctx.company_id, scoped.period, scoped.branch_ids)
    net_sales = (await figures.totals(ctx.session, ctx.company_id, scoped.period, scoped.branch_ids)).net_sales
    cash_ids = set((await ctx.session.scalars(select(PaymentType.regos_id).where(
        PaymentType.company_id == ctx.company_id, PaymentType.is_cash.is_(True)))).all())
    rows = [p for p in payments
            if (not args.payment_regos_ids or p.regos_id in args.payment_regos_ids)
            and (args.kind is None or (p.regos_id in cash_ids) == (args.kind == "cash"))]
    total = sum((p.net for p in rows), Decimal("0.00"))
    return {"period": period, "kind": args.kind, "total": money(total), "net_sales": money(net_sales),
            "rows": [{"payment_regos_id": p.regos_id, "name": p.name, "sales": money(p.sales),
                      "refunds": money(p.refunds), "net": money(p.net)} for p in rows]}


async def expenses_summary(ctx: ToolContext, args: PeriodArgs) -> dict[str, Any]:
    from services import expenses
    from services.approvals.kinds import Label

    period = _period(args, ctx.today)
    branch_ids, _ = await _scope(ctx, args.branch_ids)
    approved = await expenses.approved_expenses(ctx.session, ctx.company_id, period, branch_ids)
    pending = await expenses.list_expenses(ctx.session, ctx.membership, expenses.ExpenseFilter(
        period, status=ExpenseStatus.PENDING), per_page=1)

    def label(value: Any) -> str:
        return translate(ctx.locale, value.key, **value.params) if isinstance(value, Label) else value

    return {"period": _period_data(period, args.last, []), "approved_count": approved.count,
            "approved_amount": money(approved.amount), "pending_count": pending.total_count,
            "pending_amount": money(pending.total_amount),
            "categories": [{"name": label(t.category), "count": t.count, "amount": money(t.amount)}
                           for t in approved.by_category]}


async def cash_balances(ctx: ToolContext, args: StockArgs) -> dict[str, Any]:
    from services import cash

    branch_ids, _ = await _scope(ctx, args.branch_ids)
    scoped = args.branch_ids or permissions.branch_scope(ctx.membership) is not None
    registers = [r for r in (await ctx.session.scalars(select(CashRegister).where(
        CashRegister.company_id == ctx.company_id, CashRegister.archived_at.is_(None))
        .order_by(CashRegister.id))).all() if not scoped or r.branch_id in branch_ids]
    held = await cash.balances(ctx.session, [r.id for r in registers])
    return {"total": money(sum(held.values(), Decimal("0.00"))), "rows": [
        {"register_id": r.id, "name": r.name, "balance": money(held[r.id]),
         "limit": money(r.cash_limit) if r.cash_limit is not None else None} for r in registers]}


async def payroll_summary(ctx: ToolContext, args: MonthArgs) -> dict[str, Any]:
    from services.payroll.compute import compute_month, line_totals
    from services.payroll.runs import latest_run, run_lines

    if permissions.branch_scope(ctx.membership) is not None:
        raise ToolError("ai-error-payroll-scope")  # payroll is company-wide: not for one branch's people
    month = args.month.replace(day=1)
    if month > ctx.today:
        raise ToolError("ai-error-future")
    run = await latest_run(ctx.session, ctx.company_id, month)
    if run is not None and run.status != "draft":
        lines = await run_lines(ctx.session, run.id)
        totals, status = line_totals(lines), run.status
        names = [(line.name, line.net) for line in lines]
    else:
        computed = await compute_month(ctx.session, ctx.company_id, month, today=ctx.today)
        totals, status = computed.totals(), "draft"
        names = [(line.name, line.result.net) for line in computed.lines]
    return {"month": month.isoformat(), "status": status, "employees": totals["employees"],
            "gross": totals["gross"], "net": totals["net"], "pit": totals["pit"],
            "social_tax": totals["social_tax"], "commissions": money(
                Decimal(totals["retail_commission"]) + Decimal(totals["wholesale_commission"])),
            "employer_cost": totals["employer_cost"],
            "rows": [{"name": n, "net": money(Decimal(v))} for n, v in names[:MAX_TOP]]}


async def forecast_sales(ctx: ToolContext, args: Any) -> dict[str, Any]:
    from services.ai.forecast import forecast_tool

    return await forecast_tool(ctx, args)


async def advice(ctx: ToolContext, args: Any) -> dict[str, Any]:
    from services.ai.advice import advice_tool

    return await advice_tool(ctx, args)


# --- the catalogue --------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Tool:
    name: str
    description: str
    args: type[BaseModel]
    run: Callable[[ToolContext, Any], Awaitable[dict[str, Any]]]
    capability: Capability

    def schema(self) -> dict[str, Any]:
        """The OpenAI function-calling form."""
        return {"type": "function", "function": {"name": self.name, "description": self.description,
                                                 "parameters": self.args.model_json_schema()}}


_R = Capability.REPORTS_READ
TOOLS: dict[str, Tool] = {tool.name: tool for tool in (
    Tool("sales_summary", "Net sales, retail/wholesale, returns, receipts, average receipt and payment types for "
         "a period, with the period before", PeriodArgs, sales_summary, _R),
    Tool("compare_periods", "Sales totals of two periods side by side", CompareArgs, compare_periods, _R),
    Tool("top_branches", "Branches ranked by net sales (order=bottom for the weakest)", TopArgs, top_branches, _R),
    Tool("top_products", "Products ranked by net amount sold", TopArgs, top_products, _R),
    Tool("top_sellers", "Sellers ranked by net retail sales", TopArgs, top_sellers, _R),
    Tool("seller_figures", "One seller's receipts and net sales", SellerArgs, seller_figures, _R),
    Tool("product_figures", "One product's quantity and amount sold", ProductArgs, product_figures, _R),
    Tool("stock_on_hand", "Quantity on hand per product (lowest first)", StockArgs, stock_on_hand, _R),
    Tool("low_stock", "Products below their minimum quantity", StockArgs, low_stock, _R),
    Tool("sales_by_payment", "Net sales by payment type (cash, Uzcard, Humo, Click...), optionally only cash or "
         "cashless or some types", PaymentArgs, sales_by_payment, _R),
    Tool("expenses_summary", "Approved expenses by category and those waiting for approval, for a period",
         PeriodArgs, expenses_summary, Capability.EXPENSE_READ),
    Tool("cash_balances", "What each cash register holds now", StockArgs, cash_balances, Capability.CASH_READ),
    Tool("payroll_summary", "A month's payroll: employees, gross, net, taxes, commissions", MonthArgs,
         payroll_summary, Capability.PAYROLL_PREPARE),
    Tool("forecast_sales", "Forecast of daily net sales (company, a branch) or a product's quantity for the next "
         "days, with an interval and a backtest error", ForecastArgs, forecast_sales, _R),
    Tool("advice", "Reorder suggestions, dead stock, overstock, branches and sellers falling behind, unusual "
         "returns", AdviceArgs, advice, _R),
)}


def tools_for(role: Role) -> list[Tool]:
    """The tools a role may call: a model is shown only these."""
    if not permissions.can(role, Capability.AI_ASK):
        return []
    return [tool for tool in TOOLS.values() if permissions.can(role, tool.capability)]


async def call(ctx: ToolContext, name: str, arguments: dict[str, Any] | BaseModel) -> dict[str, Any]:
    """Run a tool by name for the member in `ctx`; an unknown tool or a capability the role lacks is refused."""
    tool = TOOLS.get(name)
    if tool is None:
        raise ToolError("ai-error-unknown-tool", name=name[:40])
    if not permissions.can(ctx.role, Capability.AI_ASK) or not permissions.can(ctx.role, tool.capability):
        raise PermissionDenied("error-no-permission-roles", roles=permissions.roles_with(tool.capability))
    args = arguments if isinstance(arguments, tool.args) else tool.args.model_validate(arguments)
    return await tool.run(ctx, args)


def yesterday_of(today: date) -> date:
    return today - timedelta(days=1)

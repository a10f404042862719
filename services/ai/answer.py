"""The offline assistant: a question parsed (services.ai.parser), mapped to a tool (services.ai.tools), rendered
from Fluent templates in the question's language, Uzbek Cyrillic questions answered in Uzbek Cyrillic. Every figure
in an answer comes from a tool result; names from the database are escaped and never read as instructions.
"""

from __future__ import annotations

import html
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from db.models import Employee, Role
from db.regos_data import Item, PaymentType
from services import permissions
from services.ai import render_more, texts, tools
from services.ai.parser import Intent, Named, Names, Question, parse, to_cyrillic
from services.locale import format_date, format_money, format_number
from services.permissions import Capability
from services.reports.periods import Period, PeriodKind, period_for

MAX_ROWS = 20
_OTHER_AREAS = {Intent.TAX: Capability.TAX_PREPARE, Intent.PURCHASES: Capability.INVOICE_REVIEW}
_AREA_TOOLS = {Intent.PAYROLL: "payroll_summary", Intent.EXPENSES: "expenses_summary", Intent.CASH: "cash_balances"}
EXAMPLES = ("ai-example-1", "ai-example-2", "ai-example-3", "ai-example-4", "ai-example-5")


@dataclass(slots=True)
class Answer:
    text: str
    language: str
    script: str
    intent: str
    tool: str | None = None
    arguments: dict[str, Any] = field(default_factory=dict)
    result: dict[str, Any] | None = None
    path: str = "offline"  # offline | model | fallback
    note: str | None = None  # why the model did not answer (fallback, quota)
    examples: bool = False  # it did not understand: show example questions as buttons
    meta: dict[str, Any] = field(default_factory=dict)  # what a follow-up reuses


async def load_names(ctx: tools.ToolContext) -> Names:
    branches = await permissions.visible_branches(ctx.session, ctx.membership)
    sellers = await ctx.session.execute(select(Employee.regos_user_id, Employee.full_name).where(
        Employee.company_id == ctx.company_id, Employee.regos_user_id.is_not(None)))
    items = await ctx.session.execute(select(Item.regos_id, Item.name).where(
        Item.company_id == ctx.company_id, Item.deleted.is_(False)))
    payments = await ctx.session.execute(select(PaymentType.regos_id, PaymentType.name).where(
        PaymentType.company_id == ctx.company_id))
    return Names(branches=[Named(b.id, b.name) for b in branches],
                 sellers=[Named(int(i), n) for i, n in sellers if i is not None],
                 products=[Named(i, n) for i, n in items], payments=[Named(int(i), n) for i, n in payments])


class _Renderer:
    def __init__(self, question: Question) -> None:
        self.locale = question.language
        self.cyrillic = question.script == "cyrillic" and question.language == "uz"

    def t(self, key: str, **params: Any) -> str:
        """A template; in Uzbek Cyrillic the template is transliterated, the figures and names are not."""
        if not self.cyrillic:
            return texts.t(self.locale, key, **params)
        marks = {name: f"\ue000{index}\ue001" for index, (name, value) in enumerate(params.items())
                 if isinstance(value, str)}
        text = to_cyrillic(texts.t(self.locale, key, **{**params, **marks}))
        for name, mark in marks.items():
            text = text.replace(mark, str(params[name]))
        return text

    def money(self, value: str | Decimal) -> str:
        text = format_money(Decimal(value), self.locale)
        return to_cyrillic(text) if self.cyrillic else text

    def qty(self, value: str | Decimal) -> str:
        amount = Decimal(value)
        return format_number(amount, self.locale, places=0 if amount == amount.to_integral() else 3)

    def pct(self, value: str | Decimal) -> str:
        return format_number(Decimal(value), self.locale, places=1)

    def day(self, value: str) -> str:
        text = format_date(date.fromisoformat(value), self.locale)
        return to_cyrillic(text) if self.cyrillic else text

    def period(self, data: dict[str, Any]) -> str:
        first, last = data["first"], data["last"]
        return self.day(first) if first == last else self.t("ai-period", first=self.day(first), last=self.day(last))

    def notes(self, data: dict[str, Any]) -> list[str]:
        lines = []
        missing = data.get("missing_days") or []
        if missing:
            shown = ", ".join(self.day(d) for d in missing[:10]) + (" …" if len(missing) > 10 else "")
            lines.append(self.t("ai-missing", days=shown))
        if data.get("cut_at_today"):
            lines.append(self.t("ai-cut-at-today"))
        return lines


def _name(value: str | None) -> str:
    return html.escape(value or "—")


def _default_period(question: Question, today: date) -> Period:
    if question.period is not None:
        return question.period
    ranked = question.intent in {Intent.TOP_BRANCHES, Intent.TOP_PRODUCTS, Intent.TOP_SELLERS, Intent.EXPENSES}
    return period_for(PeriodKind.THIS_MONTH if ranked else PeriodKind.TODAY, today)


def _tool_for(question: Question, period: Period) -> tuple[str, dict[str, Any]]:
    base: dict[str, Any] = {"first": period.first, "last": period.last,
                            "branch_ids": [b.id for b in question.branches] or None}
    limit = min(question.limit or (5 if question.intent is Intent.TOP_PRODUCTS else 10), tools.MAX_TOP)
    match question.intent:
        case Intent.TOP_BRANCHES:
            return "top_branches", {**base, "branch_ids": None, "limit": limit, "order": question.order}
        case Intent.TOP_PRODUCTS:
            return "top_products", {**base, "limit": limit, "order": question.order}
        case Intent.TOP_SELLERS:
            return "top_sellers", {**base, "limit": limit, "order": question.order}
        case Intent.SELLER:
            assert question.seller is not None
            return "seller_figures", {**base, "seller_regos_id": question.seller.id}
        case Intent.PRODUCT:
            assert question.product is not None
            return "product_figures", {**base, "item_regos_id": question.product.id}
        case Intent.STOCK | Intent.LOW_STOCK:
            name = "stock_on_hand" if question.intent is Intent.STOCK else "low_stock"
            return name, {"item_regos_id": question.product.id if question.product else None,
                          "branch_ids": base["branch_ids"], "limit": question.limit or MAX_ROWS}
        case Intent.EXPENSES:
            return "expenses_summary", base
        case Intent.CASH:
            return "cash_balances", {"branch_ids": base["branch_ids"]}
        case Intent.PAYROLL:
            return "payroll_summary", {"month": period.first.replace(day=1)}
        case Intent.FORECAST:
            return "forecast_sales", {"days": question.horizon, "branch_ids": base["branch_ids"],
                                      "item_regos_id": question.product.id if question.product else None}
        case Intent.ADVICE:
            return "advice", {"branch_ids": base["branch_ids"]}
    if question.focus == "payments" and (question.payment_kind or question.payments):
        return "sales_by_payment", {**base, "kind": question.payment_kind,
                                    "payment_regos_ids": [p.id for p in question.payments] or None}
    return "sales_summary", base


_MORE = {"sales_by_payment": render_more.payments, "expenses_summary": render_more.expenses,
         "cash_balances": render_more.cash, "payroll_summary": render_more.payroll,
         "forecast_sales": render_more.forecast, "advice": render_more.advice}


def render(question: Question, tool: str, data: dict[str, Any]) -> str:
    r = _Renderer(question)
    lines: list[str] = []
    if tool == "sales_summary":
        totals = data["totals"]
        scope = "" if not question.branches else " · " + ", ".join(_name(b.name) for b in question.branches)
        lines.append(r.t("ai-sales", period=r.period(data["period"]), scope=scope, net=r.money(totals["net_sales"]),
                         retail=r.money(totals["retail_net"]), wholesale=r.money(totals["wholesale_net"]),
                         returns=r.money(totals["returns"] if "returns" in totals else
                                         Decimal(totals["retail_returns"]) + Decimal(totals["wholesale_returns"])),
                         receipts=totals["receipts"], average=r.money(totals["average_receipt"])))
        if question.focus == "payments" or question.intent is Intent.COMPARE:
            lines += [r.t("ai-payment-row", name=_name(p["name"]), amount=r.money(p["net"])) for p in data["payments"]]
        if data.get("previous") and data.get("previous_period") and question.intent is Intent.COMPARE:
            lines.append(r.t("ai-sales-change", previous_period=r.period(data["previous_period"]),
                             previous=r.money(data["previous"]["net_sales"])))
    elif tool in {"top_branches", "top_products", "top_sellers"}:
        header = f"ai-{tool.replace('_', '-')}" + ("-bottom" if data["order"] == "bottom" else "")
        lines.append(r.t(header, period=r.period(data["period"])))
        amount_key = {"top_branches": "net_sales", "top_products": "net_amount", "top_sellers": "net"}[tool]
        for place, row in enumerate(data["rows"], 1):
            lines.append(r.t("ai-row", place=place, name=_name(row["name"]), amount=r.money(row[amount_key])))
        if not data["rows"]:
            lines.append(r.t("ai-nothing"))
    elif tool == "seller_figures":
        name = question.seller.name if question.seller else data["name"]
        lines.append(r.t("ai-seller", name=_name(name), period=r.period(data["period"]), net=r.money(data["net"]),
                         receipts=data["receipts"]))
    elif tool == "product_figures":
        lines.append(r.t("ai-product", name=_name(data["name"]), period=r.period(data["period"]),
                         quantity=r.qty(data["sold_quantity"]), amount=r.money(data["net_amount"])))
    elif tool in {"stock_on_hand", "low_stock"}:
        lines.append(r.t("ai-stock" if tool == "stock_on_hand" else "ai-low-stock"))
        for row in data["rows"]:
            if tool == "low_stock":
                lines.append(r.t("ai-low-stock-row", name=_name(row["name"]), quantity=r.qty(row["quantity"]),
                                 unit=_name(row["unit"] or ""), minimum=r.qty(row["min_quantity"])))
            else:
                lines.append(r.t("ai-stock-row", name=_name(row["name"]), quantity=r.qty(row["quantity"]),
                                 unit=_name(row["unit"] or "")))
        if not data["rows"]:
            lines.append(r.t("ai-nothing"))
    elif tool in _MORE:
        lines += _MORE[tool](r, data)
    if "period" in data:
        lines += r.notes(data["period"])
    return "\n".join(lines)


def _roles(locale: str, capability: Capability) -> str:
    return ", ".join(texts.t(locale, f"role-{role.value}") for role in permissions.roles_with(capability))


def _follow(question: Question, previous: dict[str, Any] | None) -> tuple[str, dict[str, Any]] | None:
    """ "kecha-chi?" after a question: the same tool and arguments, for the new period."""
    if not question.follow_up or not previous or question.period is None:
        return None
    tool, arguments = previous.get("tool"), previous.get("arguments")
    if tool not in tools.TOOLS or not isinstance(arguments, dict) or "first" not in arguments:
        return None
    question.intent = Intent(previous.get("intent", Intent.SALES.value))
    question.focus = previous.get("focus")
    question.branches = [Named(int(i), str(n)) for i, n in previous.get("branches", [])]
    return tool, {**arguments, "first": question.period.first, "last": question.period.last}


def _jsonable(arguments: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in arguments.items()}


@dataclass(slots=True)
class Plan:
    """What answering a question takes, decided before any figure is read: either the answer already (`final`:
    empty, refused, not understood, the future) or the tool to call and its arguments."""

    question: Question
    final: Answer | None = None
    tool: str | None = None
    arguments: dict[str, Any] = field(default_factory=dict)

    @property
    def intent(self) -> str:
        return self.question.intent.value


Caller = Callable[[tools.ToolContext, str, dict[str, Any]], Awaitable[dict[str, Any]]]


async def plan(ctx: tools.ToolContext, text: str, *, question: Question | None = None,
               previous: dict[str, Any] | None = None) -> Plan:
    """Parse and decide (the member in `ctx` must have AI_ASK); `previous` is the last answer's `meta`, so that a
    bare period ("and yesterday?") asks the last question again."""
    permissions.require(ctx.role, Capability.AI_ASK)
    if question is None:
        question = parse(text, ctx.today, await load_names(ctx) if text.strip() else Names(), ctx.locale)
    r = _Renderer(question)

    def plain(key: str, **params: Any) -> Plan:
        return Plan(question, Answer(r.t(key, **params), question.language, question.script, question.intent.value))

    if not text.strip():
        return plain("ai-empty")
    if question.intent is Intent.SECRET:
        return plain("ai-secret")
    capability = _OTHER_AREAS.get(question.intent) or (
        tools.TOOLS[_AREA_TOOLS[question.intent]].capability if question.intent in _AREA_TOOLS else None)
    if capability is not None and not permissions.can(Role(ctx.membership.role), capability):
        return plain("ai-refused", roles=_roles(question.language, capability))
    if question.intent in _OTHER_AREAS:
        return plain("ai-not-yet")
    if question.intent is Intent.UNKNOWN:
        unknown = plain("ai-unknown")
        assert unknown.final is not None
        unknown.final.examples = True
        return unknown
    if question.future and question.intent is not Intent.FORECAST:
        return plain("ai-future")
    followed = _follow(question, previous)
    name, arguments = followed or _tool_for(question, _default_period(question, ctx.today))
    return Plan(question, tool=name, arguments=arguments)


async def run(ctx: tools.ToolContext, planned: Plan, call: Caller | None = None) -> Answer:
    """The planned answer: its tool called (through `call` when given, e.g. one that remembers results) and the
    result rendered."""
    if planned.final is not None:
        return planned.final
    question, name, arguments = planned.question, planned.tool, planned.arguments
    assert name is not None
    try:
        data = await (call or tools.call)(ctx, name, arguments)
    except tools.ToolError as error:
        return Answer(_Renderer(question).t(error.key, **error.params), question.language, question.script,
                      question.intent.value)
    meta = {"tool": name, "arguments": _jsonable(arguments), "intent": question.intent.value,
            "focus": question.focus, "branches": [[b.id, b.name] for b in question.branches]}
    return Answer(render(question, name, data), question.language, question.script, question.intent.value,
                  tool=name, arguments=_jsonable(arguments), result=data, meta=meta)


async def answer(ctx: tools.ToolContext, text: str, *, question: Question | None = None,
                 previous: dict[str, Any] | None = None) -> Answer:
    """Answer a question offline, for the member in `ctx` (who must have AI_ASK). `previous` is the last answer's
    `meta`, so that a bare period ("and yesterday?") asks the last question again."""
    return await run(ctx, await plan(ctx, text, question=question, previous=previous))

"""What REGOS shows at a moment and what it holds: lookups, views "as of" a Unix second, stock levels that move
with the sales already made, and the ground truth computed straight from the records (never through HTTP)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from .base import WHOLE_DAY
from .daygen import DayGenerator
from .records import (
    STATUS_CANCELED,
    ZERO,
    DayView,
    LineRec,
    PaymentRec,
    ReceiptRec,
    WholesaleRec,
    day_of_uuid,
    effective_lines,
    effective_payments,
)


@dataclass
class PaymentTotals:
    payment_type_id: int
    name: str
    sale_amount: Decimal = ZERO
    return_amount: Decimal = ZERO

    @property
    def net(self) -> Decimal:
        return self.sale_amount - self.return_amount


@dataclass
class ItemTotals:
    item_id: int
    sale_quantity: Decimal = Decimal(0)
    sale_amount: Decimal = ZERO
    return_quantity: Decimal = Decimal(0)
    return_amount: Decimal = ZERO
    cost_of_sales: Decimal = ZERO
    cost_of_returns: Decimal = ZERO


@dataclass
class EmployeeTotals:
    user_id: int | None
    sale_count: int = 0
    retail_gross: Decimal = ZERO
    return_count: int = 0
    retail_returns: Decimal = ZERO

    @property
    def retail_net(self) -> Decimal:
        return self.retail_gross - self.retail_returns


@dataclass
class DayTotals:
    """What REGOS holds for one business day (Asia/Tashkent) and one branch (``stock_id``) or all (None), as
    of ``as_of`` (a Unix second; None = the whole day, everything planned)."""

    day: date
    stock_id: int | None
    sale_count: int = 0
    return_count: int = 0
    cancelled_count: int = 0  # informational: cancelled receipts count nowhere else
    unclosed_count: int = 0  # informational: receipts still open count nowhere else
    retail_gross: Decimal = ZERO
    retail_returns: Decimal = ZERO
    wholesale_count: int = 0
    wholesale_gross: Decimal = ZERO
    wholesale_return_count: int = 0
    wholesale_returns: Decimal = ZERO
    gross_profit: Decimal = ZERO
    payments: dict[int, PaymentTotals] = field(default_factory=dict)
    as_of: float | None = None
    till_id: int | None = None

    @property
    def retail_net(self) -> Decimal:
        return self.retail_gross - self.retail_returns

    @property
    def wholesale_net(self) -> Decimal:
        return self.wholesale_gross - self.wholesale_returns

    @property
    def total_net(self) -> Decimal:
        return self.retail_net + self.wholesale_net

    def payments_by_name(self) -> dict[str, Decimal]:
        """Net amount per payment type name (sales minus refunds)."""
        return {p.name: p.net for p in self.payments.values()}


_SUMMED = (
    "sale_count", "return_count", "cancelled_count", "unclosed_count", "retail_gross", "retail_returns",
    "wholesale_count", "wholesale_gross", "wholesale_return_count", "wholesale_returns", "gross_profit",
)  # fmt: skip


class TruthGenerator(DayGenerator):
    # -- lookups (everything planned, visible or not) -------------------------------------------------------------

    def receipt(self, uuid: str) -> ReceiptRec | None:
        day = day_of_uuid(uuid)
        return self.day(day).receipts_by_uuid.get(uuid) if day else None

    def line(self, uuid: str) -> LineRec | None:
        day = day_of_uuid(uuid)
        return self.day(day).lines_by_uuid.get(uuid) if day else None

    def payment(self, uuid: str) -> PaymentRec | None:
        day = day_of_uuid(uuid)
        return self.day(day).payments_by_uuid.get(uuid) if day else None

    def wholesale(self, doc_id: int, *, is_return: bool = False) -> WholesaleRec | None:
        try:
            day = date.fromordinal(doc_id // 100)
        except (ValueError, OverflowError):
            return None
        data = self.day(day)
        docs = data.wholesale_returns if is_return else data.wholesales
        return next((d for d in docs if d.id == doc_id), None)

    # -- what is visible at a moment ------------------------------------------------------------------------------

    def view(self, day: date, as_of: float | None = None) -> DayView:
        """The day as REGOS shows it at ``as_of`` (default: now, see ``horizon``)."""
        horizon = self.horizon(as_of)
        data = self.day(day)
        if horizon >= data.settled_at:
            return DayView(day, data.sessions, data.receipts, data.wholesales, data.wholesale_returns)
        cache = self._view_cache
        cached = cache.get(day)
        if cached is not None and cached[0] == self.version and cached[1] == horizon:
            return cached[2]
        view = DayView(
            day,
            [s for x in data.sessions if (s := self.view_session(x, horizon)) is not None],
            [r for x in data.receipts if (r := self.view_receipt(x, horizon)) is not None],
            [d for d in data.wholesales if d.last_update <= horizon],
            [d for d in data.wholesale_returns if d.last_update <= horizon],
        )
        cache[day] = (self.version, horizon, view)
        cache.move_to_end(day)
        while len(cache) > 8:
            cache.popitem(last=False)
        return view

    def visible_receipt(self, uuid: str, as_of: float | None = None) -> ReceiptRec | None:
        return self.view_receipt(self.receipt(uuid), self.horizon(as_of))

    def visible_wholesale(
        self, doc_id: int, *, is_return: bool = False, as_of: float | None = None
    ) -> WholesaleRec | None:
        return self.view_wholesale(self.wholesale(doc_id, is_return=is_return), self.horizon(as_of))

    def iter_receipts(
        self, start_ts: int | None = None, end_ts: int | None = None, *, as_of: float | None = None
    ) -> Iterator[ReceiptRec]:
        """Receipts visible at ``as_of`` with ``start_ts <= date <= end_ts``, in date order (days generated one
        at a time)."""
        horizon = self.horizon(as_of)
        for day in self.days_overlapping(start_ts, end_ts):
            for receipt in self.view(day, horizon).receipts:
                if (start_ts is None or receipt.date >= start_ts) and (end_ts is None or receipt.date <= end_ts):
                    yield receipt

    # -- stock levels ---------------------------------------------------------------------------------------------

    def closing_level(self, item_id: int, stock_id: int) -> Decimal:
        """Stock on hand once every planned record of the period is made."""
        key = (item_id, stock_id)
        if key not in self._stock_levels:
            item = self.items_by_id.get(item_id)
            if item is None or stock_id not in {s.id for s in self.stocks}:
                return Decimal(0)
            rng = self._rng("stock", item_id, stock_id)
            if item.deleted_mark:  # left over when the item was delete-marked; nothing sells it any more
                keep = stock_id == 1 or rng.random() < 0.5
                quantity = Decimal(rng.randrange(20, 150)) if keep else Decimal(0)
            elif rng.random() < 0.1:
                quantity = Decimal(rng.randrange(0, int(item.min_quantity)))
            else:
                quantity = Decimal(rng.randrange(int(item.min_quantity), 250))
            if item.weighted:
                quantity += Decimal("0.5") * rng.randrange(2)
            self._stock_levels[key] = quantity
        return self._stock_levels[key]

    def stock_level(self, item_id: int, stock_id: int, as_of: float | None = None) -> Decimal:
        """Stock on hand at ``as_of`` (default now): the closing level plus what is still to be sold after it."""
        level = self.closing_level(item_id, stock_id)
        if item_id not in self.items_by_id:
            return level
        return level + self._movements_after(self.horizon(as_of)).get((item_id, stock_id), Decimal(0))

    def _movements_after(self, horizon: float) -> dict[tuple[int, int], Decimal]:
        """Quantity per (item, stock) that records made after ``horizon`` take out of stock (net of returns)."""
        if self.settled(self.config.end_date, horizon):
            return {}
        key = (self.version, horizon)
        cached = self._movement_cache
        if cached is not None and cached[0] == key:
            return cached[1]
        total: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
        start = self.config.start_date
        if horizon >= self.day_start(start):
            start = max(start, self.business_day(horizon) - timedelta(days=1))
        day = start
        while day <= self.config.end_date:
            whole = self.day_start(day) > horizon
            for (item_id, stock_id), quantity in self._day_movements(day, None if whole else horizon).items():
                total[(item_id, stock_id)] += quantity
            day += timedelta(days=1)
        self._movement_cache = (key, dict(total))
        return self._movement_cache[1]

    def _day_movements(self, day: date, after: float | None) -> dict[tuple[int, int], Decimal]:
        cache = self._day_moves
        if after is None and (self.version, day) in cache:
            return cache[(self.version, day)]
        moves: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
        data = self.day(day)
        for receipt in data.receipts:
            if receipt.is_closed and (after is None or receipt.last_update > after):
                sign = -1 if receipt.is_return else 1
                for line in effective_lines(receipt.lines):
                    moves[(line.item_id, receipt.stock_id)] += sign * line.quantity
        for doc in data.wholesales + data.wholesale_returns:
            if doc.counts_as_revenue and (after is None or doc.last_update > after):
                sign = -1 if doc.is_return else 1
                for wline in doc.lines:
                    moves[(wline.item_id, doc.stock_id)] += sign * wline.quantity
        if after is None:
            if len(cache) > 64:
                cache.clear()
            cache[(self.version, day)] = moves
        return moves

    # -- ground truth ---------------------------------------------------------------------------------------------

    def day_totals(
        self, day: date, stock_id: int | None = None, *, till_id: int | None = None, as_of: float | None = None
    ) -> DayTotals:
        """Ground truth of one business day, for one branch or (``stock_id=None``) the whole company, as REGOS
        holds it at ``as_of`` (default now; ``WHOLE_DAY`` for every planned record). With ``till_id``: that
        till's receipts only, and no wholesale (it has no till)."""
        horizon = self.horizon(as_of)
        totals = DayTotals(day=day, stock_id=stock_id, as_of=None if horizon == WHOLE_DAY else horizon, till_id=till_id)
        data = self.view(day, horizon)
        for receipt in data.receipts:
            if stock_id is not None and receipt.stock_id != stock_id:
                continue
            if till_id is not None and receipt.till_id != till_id:
                continue
            self._add_receipt_to_totals(totals, receipt)
        if till_id is not None:
            return totals
        for doc in data.wholesales:
            if (stock_id is None or doc.stock_id == stock_id) and doc.counts_as_revenue:
                totals.wholesale_count += 1
                totals.wholesale_gross += doc.amount
        for doc in data.wholesale_returns:
            if (stock_id is None or doc.stock_id == stock_id) and doc.counts_as_revenue:
                totals.wholesale_return_count += 1
                totals.wholesale_returns += doc.amount
        return totals

    def _add_receipt_to_totals(self, totals: DayTotals, receipt: ReceiptRec) -> None:
        if receipt.status == STATUS_CANCELED:
            totals.cancelled_count += 1
            return
        if not receipt.is_closed:
            totals.unclosed_count += 1
            return
        cost = sum(
            (self.items_by_id[line.item_id].cost * line.quantity for line in effective_lines(receipt.lines)), ZERO
        )
        if receipt.is_return:
            totals.return_count += 1
            totals.retail_returns += receipt.amount
            totals.gross_profit -= receipt.amount - cost
        else:
            totals.sale_count += 1
            totals.retail_gross += receipt.amount
            totals.gross_profit += receipt.amount - cost
        for payment in effective_payments(receipt.payments):
            ptype = self.payment_types_by_id[payment.payment_type_id]
            bucket = totals.payments.setdefault(ptype.id, PaymentTotals(ptype.id, ptype.name))
            if receipt.is_return:
                bucket.return_amount += payment.value
            else:
                bucket.sale_amount += payment.value

    def branch_totals(self, day: date, *, as_of: float | None = None) -> dict[int, DayTotals]:
        """Ground truth per branch (stock id: the till's branch at each receipt's time) for one day."""
        return {stock.id: self.day_totals(day, stock.id, as_of=as_of) for stock in self.stocks}

    def period_totals(
        self, first: date, last: date, stock_id: int | None = None, *, as_of: float | None = None
    ) -> DayTotals:
        """Ground truth summed over business days ``first..last`` (inclusive); ``day`` is ``first``."""
        horizon = self.horizon(as_of)
        total = DayTotals(day=first, stock_id=stock_id, as_of=None if horizon == WHOLE_DAY else horizon)
        day = first
        while day <= last:
            part = self.day_totals(day, stock_id, as_of=horizon)
            for name in _SUMMED:
                setattr(total, name, getattr(total, name) + getattr(part, name))
            for type_id, payment in part.payments.items():
                bucket = total.payments.setdefault(type_id, PaymentTotals(type_id, payment.name))
                bucket.sale_amount += payment.sale_amount
                bucket.return_amount += payment.return_amount
            day += timedelta(days=1)
        return total

    def item_totals(
        self, day: date, stock_id: int | None = None, *, as_of: float | None = None
    ) -> dict[int, ItemTotals]:
        """Per item: quantity and amount sold and returned on closed receipts of the day."""
        result: dict[int, ItemTotals] = {}
        for receipt in self.view(day, as_of).receipts:
            if not receipt.is_closed or (stock_id is not None and receipt.stock_id != stock_id):
                continue
            for line in effective_lines(receipt.lines):
                entry = result.setdefault(line.item_id, ItemTotals(line.item_id))
                cost = self.items_by_id[line.item_id].cost * line.quantity
                if receipt.is_return:
                    entry.return_quantity += line.quantity
                    entry.return_amount += line.amount
                    entry.cost_of_returns += cost
                else:
                    entry.sale_quantity += line.quantity
                    entry.sale_amount += line.amount
                    entry.cost_of_sales += cost
        return result

    def vat_bases(self, day: date, *, as_of: float | None = None) -> tuple[dict[str, Decimal], dict[str, Decimal]]:
        """The day's tax bases: net retail (sold − returned, closed receipts) per item VAT of Item/Get, by its name
        ("QQS 12%", "QQS 0%", "QQSsiz"), and net wholesale (performed, not delete-marked; sales − returns) per
        `vat_calculation_type`."""
        retail: dict[str, Decimal] = {}
        for item_id, totals in self.item_totals(day, as_of=as_of).items():
            name = self.items_by_id[item_id].vat[1]
            retail[name] = retail.get(name, ZERO) + totals.sale_amount - totals.return_amount
        wholesale: dict[str, Decimal] = {}
        data = self.view(day, self.horizon(as_of))
        for docs, sign in ((data.wholesales, 1), (data.wholesale_returns, -1)):
            for doc in docs:
                if doc.counts_as_revenue:
                    kind = doc.vat_calculation_type
                    wholesale[kind] = wholesale.get(kind, ZERO) + sign * doc.amount
        return retail, wholesale

    def employee_totals(
        self, day: date, *, role: str = "seller", stock_id: int | None = None, as_of: float | None = None
    ) -> dict[int | None, EmployeeTotals]:
        """Closed receipts of the day per seller (``role="seller"``, None = no seller) or per cashier."""
        if role not in ("seller", "cashier"):
            raise ValueError("role is 'seller' or 'cashier'")
        result: dict[int | None, EmployeeTotals] = {}
        for receipt in self.view(day, as_of).receipts:
            if not receipt.is_closed or (stock_id is not None and receipt.stock_id != stock_id):
                continue
            user_id = receipt.seller_id if role == "seller" else receipt.cashier_id
            entry = result.setdefault(user_id, EmployeeTotals(user_id))
            if receipt.is_return:
                entry.return_count += 1
                entry.retail_returns += receipt.amount
            else:
                entry.sale_count += 1
                entry.retail_gross += receipt.amount
        return result


def totals_to_dict(totals: DayTotals) -> dict[str, Any]:
    """Ground truth as JSON-ready data (Decimals stay Decimals; ``encode`` writes them exactly)."""
    return {
        "day": totals.day.isoformat(),
        "stock_id": totals.stock_id,
        "till_id": totals.till_id,
        "as_of": None if totals.as_of is None else int(totals.as_of),
        "sale_count": totals.sale_count,
        "return_count": totals.return_count,
        "cancelled_count": totals.cancelled_count,
        "unclosed_count": totals.unclosed_count,
        "retail_gross": totals.retail_gross,
        "retail_returns": totals.retail_returns,
        "retail_net": totals.retail_net,
        "wholesale_count": totals.wholesale_count,
        "wholesale_gross": totals.wholesale_gross,
        "wholesale_return_count": totals.wholesale_return_count,
        "wholesale_returns": totals.wholesale_returns,
        "wholesale_net": totals.wholesale_net,
        "gross_profit": totals.gross_profit,
        "payments": [
            {
                "payment_type_id": p.payment_type_id,
                "name": p.name,
                "sale_amount": p.sale_amount,
                "return_amount": p.return_amount,
            }
            for p in sorted(totals.payments.values(), key=lambda p: p.payment_type_id)
        ],
    }

"""Late changes to the generated company (a receipt cancelled or closed after the fact, a late return or sale, a
wholesale document performed or delete-marked, an item repriced). Each is an overlay that survives cache eviction
and bumps ``last_update`` to the clock."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from .records import (
    KIND_PAYMENT,
    STATUS_CANCELED,
    STATUS_CLOSED,
    ItemRec,
    PaymentRec,
    ReceiptRec,
    SessionRec,
    WholesaleRec,
    effective_lines,
    make_uuid,
    money,
)
from .truth import TruthGenerator


class RegosDataGenerator(TruthGenerator):
    """The fake company's data. Static references are built at once; days are generated on demand and cached
    (LRU of ``cache_days``). Mutations (late changes) are kept as overlays and survive cache eviction. With
    ``live`` (the default) REGOS's answers and the ground truth show only what exists at the clock."""

    def _now(self, floor: int) -> int:
        stamp = max(int(self.clock()), floor + 1)
        self.latest_change = max(self.latest_change, float(stamp))
        return stamp

    def _changed(self, day: date) -> None:
        self.version += 1
        for cache in (self._days, self._sales):
            cache.pop(day, None)
            cache.pop(date.fromordinal(day.toordinal() + 1), None)  # the next day's returns may reference this day

    def mutate_receipt(self, uuid: str, **changes: object) -> ReceiptRec:
        """Change fields of an existing receipt (e.g. ``status``, ``seller_id``); bumps ``last_update``."""
        receipt = self.receipt(uuid)
        if receipt is None:
            raise KeyError(f"no receipt {uuid}")
        allowed = {"status", "seller_id", "cashier_id", "return_reason_id"}
        unknown = set(changes) - allowed
        if unknown:
            raise ValueError(f"cannot change {sorted(unknown)}")
        override = self._receipt_overrides.setdefault(uuid, {})
        override.update(changes)
        override["last_update"] = self._now(receipt.last_update)
        self._changed(receipt.day)
        changed = self.receipt(uuid)
        assert changed is not None
        return changed

    def cancel_receipt(self, uuid: str) -> ReceiptRec:
        """Annul a receipt after the fact (it stops counting anywhere)."""
        return self.mutate_receipt(uuid, status=STATUS_CANCELED)

    def close_receipt(self, uuid: str, payment_type_id: int = 1) -> ReceiptRec:
        """Close a receipt that was left open, paying it in full with one payment type."""
        receipt = self.receipt(uuid)
        if receipt is None:
            raise KeyError(f"no receipt {uuid}")
        if receipt.is_closed:
            return receipt
        payment = PaymentRec(
            make_uuid(self._mutation_rng, receipt.day.toordinal(), KIND_PAYMENT), uuid, 1, payment_type_id,
            receipt.amount,
        )  # fmt: skip
        override = self._receipt_overrides.setdefault(uuid, {})
        override.update(status=STATUS_CLOSED, payments=[payment], last_update=self._now(receipt.last_update))
        self._changed(receipt.day)
        changed = self.receipt(uuid)
        assert changed is not None
        return changed

    def _session_for(self, day: date, till_id: int) -> SessionRec:
        return next(s for s in self._sales_phase(day).sessions if s.till_id == till_id)

    def add_return(
        self,
        original_uuid: str,
        at: int | datetime,
        *,
        lines: list[tuple[int, Decimal | int]] | None = None,
        reason_id: int = 1,
    ) -> ReceiptRec:
        """A return of an earlier sale, made at ``at`` (a later business day is fine): ``lines`` are
        (item_id, quantity); by default the first line of the sale in full."""
        original = self.receipt(original_uuid)
        if original is None or original.is_return or not original.is_closed:
            raise ValueError("the original must be an existing closed sale")
        moment = int(at.timestamp()) if isinstance(at, datetime) else int(at)
        day = self.business_day(moment)
        if not self.in_range(day) or moment < original.date:
            raise ValueError("the return must fall in the generated period, after the sale")
        source = effective_lines(original.lines)
        if lines is None:
            chosen = [(source[0], source[0].quantity)]
        else:
            by_item = {line.item_id: line for line in source}
            chosen = []
            for item_id, quantity in lines:
                if item_id not in by_item or Decimal(quantity) > by_item[item_id].quantity:
                    raise ValueError(f"item {item_id} was not sold in that quantity")
                chosen.append((by_item[item_id], Decimal(quantity)))
        till = self.tills[original.till_id - 1]
        session = self._session_for(day, till.id)
        receipt = self._make_return(self._mutation_rng, day, moment, till, session, original, chosen, reason_id)
        receipt.last_update = self._now(moment)
        receipt.code = f"L{len(self._added_receipts[day]) + 1}"
        self._added_receipts[day].append(receipt)
        self._changed(day)
        return receipt

    def add_receipt(
        self,
        day: date,
        *,
        stock_id: int | None = None,
        at: int | None = None,
        items: list[tuple[int, Decimal | int]] | None = None,
        payment_type_id: int | None = None,
    ) -> ReceiptRec:
        """A closed sale that appears late for a business day, e.g. a till that was offline. By default it is
        dated noon (or, for today, a minute ago) in the first branch whose shift is open then."""
        if not self.in_range(day):
            raise ValueError("day is outside the generated period")
        first, last = self.day_bounds(day)
        moment = at
        if moment is None:
            moment = first + 12 * 3600
            if self.config.live:
                moment = max(first, min(moment, int(self.clock()) - 60, last))
        if self.business_day(moment) != day:
            raise ValueError("at is not on that business day")
        by_stock = self.tills_at(moment)
        if stock_id is None:
            open_here = [
                s.id for s in self.stocks
                if by_stock.get(s.id) and self._session_for(day, by_stock[s.id][0].id).start_date <= moment
            ]  # fmt: skip
            stock_id = open_here[0] if open_here else next(s.id for s in self.stocks if by_stock.get(s.id))
        if not by_stock.get(stock_id):
            raise ValueError(f"stock {stock_id} has no till at that moment")
        till = by_stock[stock_id][0]
        session = self._session_for(day, till.id)
        if at is None:
            moment = min(moment, max(session.close_date - 120, session.start_date))
        chosen = None
        if items is not None:
            chosen = [(self.items_by_id[item_id], Decimal(quantity)) for item_id, quantity in items]
        receipt = self._generate_sale(
            self._mutation_rng, day, moment, till, session, STATUS_CLOSED, chosen, payment_type_id
        )
        receipt.last_update = self._now(moment)
        receipt.code = f"L{len(self._added_receipts[day]) + 1}"
        self._added_receipts[day].append(receipt)
        self._changed(day)
        return receipt

    def set_wholesale_state(
        self, doc_id: int, *, is_return: bool = False, performed: bool | None = None, deleted_mark: bool | None = None
    ) -> WholesaleRec:
        """Perform, un-perform or delete-mark a wholesale document (or return) after the fact."""
        doc = self.wholesale(doc_id, is_return=is_return)
        if doc is None:
            raise KeyError(f"no wholesale document {doc_id}")
        override = self._wholesale_overrides.setdefault((is_return, doc_id), {})
        if performed is not None:
            override["performed"] = performed
        if deleted_mark is not None:
            override["deleted_mark"] = deleted_mark
        override["last_update"] = self._now(doc.last_update)
        self._changed(doc.day)
        changed = self.wholesale(doc_id, is_return=is_return)
        assert changed is not None
        return changed

    def update_item(self, item_id: int, *, price: Decimal | int | None = None, name: str | None = None) -> ItemRec:
        """Change an item (bumps ``last_update``). Already generated sales keep their prices."""
        item = self.items_by_id[item_id]
        if price is not None:
            item.price = money(price)
        if name is not None:
            item.name = name
        item.last_update = self._now(item.last_update)
        self.version += 1
        return item

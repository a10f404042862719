"""Generation of one business day from (seed, date): shifts, sales, returns, wholesale. Days are built on
demand and cached LRU; mutations are overlays (see ``mutations.py``) applied on every build."""

from __future__ import annotations

import bisect
import itertools
import math
import random
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from . import catalog
from .base import GeneratorBase, pick_payment_type, round_price
from .records import (
    KIND_LINE,
    KIND_PAYMENT,
    KIND_RECEIPT,
    KIND_SESSION,
    STATUS_CANCELED,
    STATUS_CLOSED,
    STATUS_OPENED,
    ZERO,
    DayData,
    ItemRec,
    LineRec,
    PaymentRec,
    ReceiptRec,
    SalesPhase,
    SessionRec,
    StockRec,
    TillRec,
    WholesaleLineRec,
    WholesaleRec,
    effective_lines,
    effective_payments,
    make_uuid,
    money,
)

_LINE_COUNTS = (1, 1, 1, 2, 2, 2, 3, 3, 4, 5, 6, 8)
_UNIT_QUANTITIES = (1, 1, 1, 1, 1, 2, 2, 3, 4, 5)
_WEIGHT_QUANTITIES = (
    Decimal("0.5"),
    Decimal("1"),
    Decimal("1"),
    Decimal("1.5"),
    Decimal("2"),
    Decimal("2.5"),
    Decimal("3"),
)
_BANKNOTES = (1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000, 200_000)


class DayGenerator(GeneratorBase):
    def day(self, day: date) -> DayData:
        """All records planned for one business day (mutations applied), visible or not yet (see ``view``).
        Days outside the range are empty."""
        cached = self._days.get(day)
        if cached is not None:
            self._days.move_to_end(day)
            return cached
        data = self._build_day(day)
        self._days[day] = data
        while len(self._days) > self.config.cache_days:
            self._days.popitem(last=False)
        return data

    def _sales_phase(self, day: date) -> SalesPhase:
        cached = self._sales.get(day)
        if cached is not None:
            self._sales.move_to_end(day)
            return cached
        phase = self._generate_sales(day)
        self._sales[day] = phase
        while len(self._sales) > self.config.cache_days + 1:
            self._sales.popitem(last=False)
        return phase

    def _build_day(self, day: date) -> DayData:
        if not self.in_range(day):
            return DayData(day, [], [], [], [])
        phase = self._sales_phase(day)
        previous = self._sales_phase(day - timedelta(days=1)) if self.in_range(day - timedelta(days=1)) else None
        rng = self._rng("returns", day.toordinal())
        returns = [
            r
            for slot_time, till in phase.return_slots
            if (r := self._generate_return(rng, day, slot_time, till, phase, previous)) is not None
        ]
        receipts = phase.receipts + returns + list(self._added_receipts.get(day, ()))
        for receipt in receipts:
            override = self._receipt_overrides.get(receipt.uuid)
            if override:
                for name, value in override.items():
                    setattr(receipt, name, value)
        receipts.sort(key=lambda r: (r.date, r.uuid))
        wholesales, wholesale_returns = self._generate_wholesale(day)
        for doc in wholesales + wholesale_returns:
            override = self._wholesale_overrides.get((doc.is_return, doc.id))
            if override:
                for name, value in override.items():
                    setattr(doc, name, value)
        self._close_sessions(phase.sessions, receipts)
        data = DayData(day, phase.sessions, receipts, wholesales, wholesale_returns)
        data.index()
        return data

    def _stock_of(self, till: TillRec, moment: int) -> int:
        return self.till_stock_at(till.id, moment) if self.till_moves else till.stock_id

    def _generate_sales(self, day: date) -> SalesPhase:
        cfg = self.config
        rng = self._rng("day", day.toordinal())
        ordinal = day.toordinal()
        day_start = self.day_start(day)
        day_index = (day - cfg.start_date).days
        tills_by_stock = self.tills_at(day_start) if self.till_moves else self.tills_by_stock

        sessions: list[SessionRec] = []
        sessions_by_till: dict[int, SessionRec] = {}
        for till in self.tills:
            stock = self.stocks[self._stock_of(till, day_start) - 1]
            cashier = self.cashiers[(till.id + day_index) % len(self.cashiers)]
            if stock.close_hour == 24:
                opened, closed = day_start + rng.randrange(5, 60), day_start + 86_400 - rng.randrange(30, 90)
                if cfg.midnight_receipts:  # the shift spans the whole business day, to the second
                    opened, closed = self.day_bounds(day)
            else:
                opened = day_start + stock.open_hour * 3600 - rng.randrange(600, 1800)
                closed = day_start + stock.close_hour * 3600 + rng.randrange(300, 1800)
            session = SessionRec(
                uuid=make_uuid(rng, ordinal, KIND_SESSION),
                code=str(day_index * len(self.tills) + till.id),
                day=day,
                till_id=till.id,
                stock_id=stock.id,
                start_date=opened,
                start_user_id=cashier.id,
                start_amount=money(rng.choice((100_000, 200_000, 300_000, 500_000))),
                close_date=closed,
                close_user_id=cashier.id,
                closed=True,
                close_amount=ZERO,
                last_update=closed,
            )
            sessions.append(session)
            sessions_by_till[till.id] = session

        stocks: list[StockRec] = self.stocks
        stock_weights = self._stock_cum_weights
        if self.till_moves:  # a branch whose tills all moved away sells nothing
            stocks = [s for s in self.stocks if tills_by_stock.get(s.id)]
            stock_weights = list(itertools.accumulate(s.weight for s in stocks))
        receipts: list[ReceiptRec] = []
        return_slots: list[tuple[int, TillRec]] = []
        count = self.receipt_count(day)
        for _ in range(count):
            stock = rng.choices(stocks, cum_weights=stock_weights)[0]
            tills = tills_by_stock[stock.id]
            till = tills[rng.randrange(len(tills))]
            hours, cum = self._hour_weights[stock.id]
            hour = rng.choices(hours, cum_weights=cum)[0]
            session = sessions_by_till[till.id]
            moment = day_start + hour * 3600 + rng.randrange(3600)
            moment = min(max(moment, session.start_date + 60), session.close_date - 60)
            roll = rng.random()
            if roll < cfg.return_rate:
                return_slots.append((moment, till))
                continue
            if roll < cfg.return_rate + cfg.cancel_rate:
                status = STATUS_CANCELED
            elif roll < cfg.return_rate + cfg.cancel_rate + cfg.unclosed_rate:
                status = STATUS_OPENED
            else:
                status = STATUS_CLOSED
            receipts.append(self._generate_sale(rng, day, moment, till, session, status))
        if cfg.midnight_receipts:
            receipts.extend(self._midnight_sales(day, tills_by_stock, sessions_by_till))
        receipts.sort(key=lambda r: (r.date, r.uuid))
        return SalesPhase(sessions, sessions_by_till, receipts, return_slots)

    def _midnight_sales(
        self, day: date, tills_by_stock: dict[int, list[TillRec]], sessions: dict[int, SessionRec]
    ) -> list[ReceiptRec]:
        """A closed sale at 00:00:00 and one at 23:59:59 local on the first till of each round-the-clock branch
        (their own random stream, so the rest of the day stays as without them)."""
        rng = self._rng("midnight", day.toordinal())
        sales = []
        for stock in self.stocks:
            tills = tills_by_stock.get(stock.id)
            if stock.close_hour != 24 or not tills:
                continue
            session = sessions[tills[0].id]
            for moment in self.day_bounds(day):
                sales.append(self._generate_sale(rng, day, moment, tills[0], session, STATUS_CLOSED))
        return sales

    def _pick_items(self, rng: random.Random, count: int) -> list[ItemRec]:
        return rng.choices(self.sellable_items, cum_weights=self._item_cum_weights, k=count)

    def _quantity(self, rng: random.Random, item: ItemRec) -> Decimal:
        if item.weighted:
            return _WEIGHT_QUANTITIES[rng.randrange(len(_WEIGHT_QUANTITIES))]
        return Decimal(_UNIT_QUANTITIES[rng.randrange(len(_UNIT_QUANTITIES))])

    def _generate_sale(
        self,
        rng: random.Random,
        day: date,
        moment: int,
        till: TillRec,
        session: SessionRec,
        status: str,
        items: list[tuple[ItemRec, Decimal]] | None = None,
        payment_type_id: int | None = None,
    ) -> ReceiptRec:
        cfg = self.config
        ordinal = day.toordinal()
        stock_id = self._stock_of(till, moment)
        uuid = make_uuid(rng, ordinal, KIND_RECEIPT)
        last_update = moment + (rng.randrange(10, 180) if status == STATUS_CLOSED else rng.randrange(5, 900))
        if items is None:
            chosen = self._pick_items(rng, _LINE_COUNTS[rng.randrange(len(_LINE_COUNTS))])
            items = [(item, self._quantity(rng, item)) for item in chosen]
        lines: list[LineRec] = []
        for item, quantity in items:
            price2 = item.price
            price = price2
            if rng.random() < cfg.discount_rate:
                price = money(max(100, int(price2 * Decimal("0.9")) // 100 * 100))
            line_uuid = make_uuid(rng, ordinal, KIND_LINE)
            order = len(lines) + 1
            lines.append(LineRec(line_uuid, uuid, order, item.id, stock_id, quantity, price, price2, last_update))
        if rng.random() < cfg.storno_rate:
            item = self._pick_items(rng, 1)[0]
            quantity = self._quantity(rng, item)
            scanned = LineRec(
                make_uuid(rng, ordinal, KIND_LINE), uuid, len(lines) + 1, item.id, stock_id,
                quantity, item.price, item.price, last_update,
            )  # fmt: skip
            storno = LineRec(
                make_uuid(rng, ordinal, KIND_LINE), uuid, len(lines) + 2, item.id, stock_id,
                -quantity if cfg.negative_storno else quantity, item.price, item.price, last_update,
                has_storno=True, storno_uuid=scanned.uuid,
            )  # fmt: skip
            lines.extend((scanned, storno))
        amount = sum((line.amount for line in effective_lines(lines)), ZERO)
        payments = (
            self._generate_payments(rng, ordinal, uuid, amount, payment_type_id) if status == STATUS_CLOSED else []
        )
        seller = self.sellers[rng.randrange(len(self.sellers))] if self.sellers and rng.random() < 0.6 else None
        return ReceiptRec(
            uuid=uuid,
            day=day,
            date=moment,
            code="",
            status=status,
            session_uuid=session.uuid,
            till_id=till.id,
            stock_id=stock_id,
            cashier_id=session.start_user_id,
            seller_id=seller.id if seller else None,
            is_return=False,
            amount=amount,
            last_update=last_update,
            lines=lines,
            payments=payments,
            base_status=status,
        )

    def _generate_payments(
        self, rng: random.Random, ordinal: int, receipt_uuid: str, amount: Decimal, forced_type: int | None = None
    ) -> list[PaymentRec]:
        cfg = self.config
        payments: list[PaymentRec] = []

        def add(type_id: int, value: Decimal, **flags: object) -> PaymentRec:
            payment = PaymentRec(make_uuid(rng, ordinal, KIND_PAYMENT), receipt_uuid, len(payments) + 1, type_id, value)
            for name, flag in flags.items():
                setattr(payment, name, flag)
            payments.append(payment)
            return payment

        if amount <= 0:
            return payments
        if forced_type is None and rng.random() < cfg.payment_storno_rate:
            declined = add(rng.choice((2, 3)), amount)
            add(
                declined.payment_type_id,
                -amount if cfg.negative_storno else amount,
                has_storno=True,
                storno_uuid=declined.uuid,
            )
        if forced_type is not None:
            type_id = forced_type
        elif rng.random() < catalog.SPLIT_PAYMENT_SHARE and amount >= 2_000:
            cash_part = money(max(1_000, int(amount * Decimal(rng.uniform(0.2, 0.7))) // 1000 * 1000))
            if cash_part < amount:
                add(1, cash_part)
                add(rng.choice((2, 3)), amount - cash_part)
                return payments
            type_id = 1
        else:
            type_id = pick_payment_type(rng)
        if type_id == 1 and rng.random() < 0.6:
            note = next((n for n in _BANKNOTES if n >= amount / 2), _BANKNOTES[-1])
            tendered = money(math.ceil(amount / note) * note)
            if tendered > amount:
                cash = add(1, tendered, has_change=True)
                add(1, amount - tendered, change_uuid=cash.uuid)
                return payments
        add(type_id, amount)
        return payments

    def _generate_return(
        self,
        rng: random.Random,
        day: date,
        moment: int,
        till: TillRec,
        phase: SalesPhase,
        previous: SalesPhase | None,
    ) -> ReceiptRec | None:
        # base_status, not status: a later mutation must not change which sale an old return points at
        stock_id = self._stock_of(till, moment)
        same_day = phase.closed_sales(stock_id)
        candidates = same_day[: bisect.bisect_left(phase.closed_sale_times(stock_id), moment - 1800)]
        if previous is not None and (not candidates or rng.random() < 0.5):
            candidates = previous.closed_sales(stock_id) or candidates
        if not candidates:
            return None
        original = candidates[rng.randrange(len(candidates))]
        source_lines = effective_lines(original.lines)
        if not source_lines:
            return None
        chosen = rng.sample(source_lines, k=min(len(source_lines), rng.choice((1, 1, 2))))
        returned = []
        for line in chosen:
            quantity = line.quantity
            if not self.items_by_id[line.item_id].weighted and quantity > 1:
                quantity = Decimal(rng.randrange(1, int(quantity) + 1))
            returned.append((line, quantity))
        session = phase.sessions_by_till[till.id]
        reason_id = self.return_reasons[rng.randrange(len(self.return_reasons))][0]
        return self._make_return(rng, day, moment, till, session, original, returned, reason_id)

    def _make_return(
        self,
        rng: random.Random,
        day: date,
        moment: int,
        till: TillRec,
        session: SessionRec,
        original: ReceiptRec,
        returned: list[tuple[LineRec, Decimal]],
        reason_id: int,
    ) -> ReceiptRec:
        ordinal = day.toordinal()
        stock_id = self._stock_of(till, moment)
        uuid = make_uuid(rng, ordinal, KIND_RECEIPT)
        last_update = moment + rng.randrange(10, 180)
        lines = [
            LineRec(
                make_uuid(rng, ordinal, KIND_LINE),
                uuid,
                i + 1,
                src.item_id,
                stock_id,
                qty,
                src.price,
                src.price2,
                last_update,
            )
            for i, (src, qty) in enumerate(returned)
        ]
        amount = sum((line.amount for line in lines), ZERO)
        paid = [p for p in effective_payments(original.payments) if p.value > 0]
        refund_type = paid[0].payment_type_id if paid else 1
        payments = [PaymentRec(make_uuid(rng, ordinal, KIND_PAYMENT), uuid, 1, refund_type, amount)]
        return ReceiptRec(
            uuid=uuid,
            day=day,
            date=moment,
            code="",
            status=STATUS_CLOSED,
            session_uuid=session.uuid,
            till_id=till.id,
            stock_id=stock_id,
            cashier_id=session.start_user_id,
            seller_id=None,
            is_return=True,
            amount=amount,
            last_update=last_update,
            lines=lines,
            payments=payments,
            original_uuid=original.uuid,
            return_reason_id=reason_id,
            base_status=STATUS_CLOSED,
        )

    def _close_sessions(self, sessions: list[SessionRec], receipts: list[ReceiptRec]) -> None:
        """Receipt codes run per session; the closing cash is the float plus the cash taken."""
        counters: dict[str, int] = defaultdict(int)
        cash: dict[str, Decimal] = defaultdict(lambda: ZERO)
        for receipt in receipts:
            if not receipt.code:  # late receipts come with their own code, so base codes never shift
                counters[receipt.session_uuid] += 1
                receipt.code = str(counters[receipt.session_uuid])
            if receipt.is_closed:
                taken = sum((p.value for p in effective_payments(receipt.payments) if p.payment_type_id == 1), ZERO)
                cash[receipt.session_uuid] += -taken if receipt.is_return else taken
        for session in sessions:
            session.close_amount = session.start_amount + cash[session.uuid]

    def _generate_wholesale(self, day: date) -> tuple[list[WholesaleRec], list[WholesaleRec]]:
        cfg = self.config
        rng = self._rng("wholesale", day.toordinal())
        weekday_factor = 0.3 if day.weekday() == 6 else 1.0
        # ids are ordinal * 100 + n, so at most 99 documents of each kind per day
        sale_count = min(99, _poisson(rng, cfg.wholesale_per_day * weekday_factor))
        return_count = min(99, _poisson(rng, cfg.wholesale_per_day * 0.15 * weekday_factor))
        sales = [self._wholesale_doc(rng, day, n, is_return=False) for n in range(sale_count)]
        returns = [self._wholesale_doc(rng, day, n, is_return=True) for n in range(return_count)]
        sales.sort(key=lambda d: (d.date, d.id))
        returns.sort(key=lambda d: (d.date, d.id))
        return sales, returns

    def _wholesale_doc(self, rng: random.Random, day: date, number: int, *, is_return: bool) -> WholesaleRec:
        doc_id = day.toordinal() * 100 + number + 1
        moment = self.day_start(day) + rng.randrange(9 * 3600, 18 * 3600)
        stock = rng.choices(self.stocks, cum_weights=self._stock_cum_weights)[0]
        last_update = moment + rng.randrange(60, 3600)
        lines = []
        for order, item in enumerate(self._pick_items(rng, rng.randrange(1, 4) if is_return else rng.randrange(3, 13))):
            if item.weighted:
                quantity = Decimal(rng.randrange(10, 80)) / 2
            else:
                quantity = Decimal(rng.randrange(2, 13) if is_return else rng.randrange(5, 61))
            price = money(round_price(float(item.price) * 0.9))
            lines.append(
                WholesaleLineRec(
                    doc_id * 100 + order + 1, doc_id, order + 1, item.id, quantity, price, item.cost, last_update
                )
            )
        roll = rng.random()
        performed, deleted = (True, False)
        if roll > 0.95:
            performed, deleted = True, True
        elif roll > 0.90:
            performed, deleted = False, True
        elif roll > 0.82:
            performed, deleted = False, False
        prefix = "VOQ" if is_return else "ULG"
        return WholesaleRec(
            id=doc_id,
            day=day,
            date=moment,
            code=f"{prefix}-{day:%y%m%d}-{number + 1:02d}",
            partner_id=self.partners[rng.randrange(len(self.partners))].id,
            stock_id=stock.id,
            attached_user_id=self.users[1].id,
            amount=sum((line.amount for line in lines), ZERO),
            performed=performed,
            deleted_mark=deleted,
            last_update=last_update,
            lines=lines,
            is_return=is_return,
            description="Qaytarilgan tovar" if is_return else "",
            vat_calculation_type=catalog.WHOLESALE_VAT_TYPES[doc_id % len(catalog.WHOLESALE_VAT_TYPES)],
        )


def _poisson(rng: random.Random, lam: float) -> int:
    if lam <= 0:
        return 0
    limit, k, product = math.exp(-lam), 0, rng.random()
    while product > limit:
        k += 1
        product *= rng.random()
    return k

"""Deterministic data of a fake REGOS company, generated lazily per business day from (seed, date).

Nothing here depends on the client in ``services/regos``: the ground-truth totals are computed straight from the
generated records, so product tests can compare what the bot imported with what REGOS "really" holds.

Conventions of the fake (REGOS leaves some unpublished, see README):
- a storno line has ``has_storno=true`` and ``storno_uuid`` = the line it cancels, and the negated quantity
  (``negative_storno=True``) so the pair cancels out; payments likewise;
- a cash payment with change has ``has_change=true``; the change row has a negative value and ``change_uuid``
  pointing at that payment; the effective payments of a receipt always sum exactly to its ``amount``;
- return receipts carry a positive ``amount`` and ``is_return=true``; ``original_uuid`` (not sent by REGOS)
  names the sale they return;
- every uuid embeds the business day, so a lookup by uuid generates only that day.
"""

from __future__ import annotations

import bisect
import itertools
import math
import random
import time
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as dtime
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from . import catalog

CENT = Decimal("0.01")
ZERO = Decimal("0.00")

STATUS_CLOSED = "Closed"
STATUS_CANCELED = "Canceled"
STATUS_OPENED = "Opened"

KIND_RECEIPT = "1"
KIND_LINE = "2"
KIND_PAYMENT = "3"
KIND_SESSION = "4"

# Receipts per weekday relative to the average (Mon..Sun): weekends are busier. Mean is 1.0.
WEEKDAY_FACTORS = (0.90, 0.88, 0.92, 0.95, 1.05, 1.17, 1.13)
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
_PAYMENT_TYPE_IDS = [type_id for type_id, _ in catalog.PAYMENT_MIX]
_PAYMENT_CUM_WEIGHTS = list(itertools.accumulate(share for _, share in catalog.PAYMENT_MIX))
_BANKNOTES = (1_000, 2_000, 5_000, 10_000, 20_000, 50_000, 100_000, 200_000)


def money(value: int | Decimal) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def _round_price(value: float) -> int:
    step = 500 if value >= 10_000 else 100
    return max(step, round(value / step) * step)


def make_uuid(rng: random.Random, ordinal: int, kind: str) -> str:
    """A v4-looking uuid whose last group starts with the day ordinal and a kind digit."""
    bits = f"{rng.getrandbits(96):024x}"
    variant = "89ab"[int(bits[23], 16) & 3]
    return f"{bits[0:8]}-{bits[8:12]}-4{bits[12:15]}-{variant}{bits[15:18]}-{ordinal:06x}{kind}{bits[18:23]}"


def day_of_uuid(value: str) -> date | None:
    """The business day a generated uuid belongs to, or None for a foreign uuid."""
    try:
        ordinal = int(value[24:30], 16)
        return date.fromordinal(ordinal)
    except (ValueError, IndexError, OverflowError):
        return None


@dataclass(frozen=True)
class GeneratorConfig:
    seed: int = 1
    start_date: date = date(2025, 1, 6)
    days: int = 28
    receipts_per_day: int = 300  # company-wide average; weekday rhythm and ±8 % noise on top
    branches: int = 3
    tills_per_branch: int = 2
    users: int = 10
    items: int = 300
    timezone: str = "Asia/Tashkent"
    cancel_rate: float = 0.02
    unclosed_rate: float = 0.005
    return_rate: float = 0.03
    storno_rate: float = 0.06
    payment_storno_rate: float = 0.01
    discount_rate: float = 0.08
    wholesale_per_day: float = 3.0
    negative_storno: bool = True
    cache_days: int = 4

    def __post_init__(self) -> None:
        if not 1 <= self.branches <= len(catalog.BRANCHES):
            raise ValueError(f"branches must be 1..{len(catalog.BRANCHES)}")
        if self.days < 1 or self.receipts_per_day < 0 or self.items < 10 or self.tills_per_branch < 1:
            raise ValueError("days >= 1, receipts_per_day >= 0, items >= 10, tills_per_branch >= 1")
        if self.users < 3:
            raise ValueError("users >= 3 (owner, manager, at least one cashier)")

    @property
    def end_date(self) -> date:
        """Last generated business day (inclusive)."""
        return self.start_date + timedelta(days=self.days - 1)


# -- static records --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class StockRec:
    id: int
    name: str
    address: str
    open_hour: int
    close_hour: int  # exclusive; 24 for a round-the-clock shop
    weight: float


@dataclass(frozen=True, slots=True)
class TillRec:
    id: int
    stock_id: int
    index: int
    key: str


@dataclass(frozen=True, slots=True)
class UserRec:
    id: int
    first_name: str
    last_name: str
    gender: str
    role: str  # owner, manager, cashier, seller
    phone: str
    login: str
    seller_barcode: str
    last_update: int

    @property
    def full_name(self) -> str:
        return f"{self.last_name} {self.first_name}"


@dataclass(frozen=True, slots=True)
class GroupRec:
    id: int
    name: str


@dataclass(slots=True)
class ItemRec:
    id: int
    code: int
    name: str
    group_id: int
    unit: str
    weighted: bool
    price: Decimal
    cost: Decimal
    min_quantity: Decimal
    barcode: str
    last_update: int


@dataclass(frozen=True, slots=True)
class PaymentTypeRec:
    id: int
    name: str
    is_cash: bool
    kkm_code: int


@dataclass(frozen=True, slots=True)
class PartnerRec:
    id: int
    name: str
    inn: str


# -- per-day records -------------------------------------------------------------------------------------------


@dataclass(slots=True)
class LineRec:
    uuid: str
    receipt_uuid: str
    order: int
    item_id: int
    stock_id: int
    quantity: Decimal
    price: Decimal
    price2: Decimal
    last_update: int
    has_storno: bool = False
    storno_uuid: str | None = None

    @property
    def amount(self) -> Decimal:
        return money(self.quantity * self.price)


@dataclass(slots=True)
class PaymentRec:
    uuid: str
    receipt_uuid: str
    order: int
    payment_type_id: int
    value: Decimal
    has_storno: bool = False
    storno_uuid: str | None = None
    has_change: bool = False
    change_uuid: str | None = None


@dataclass(slots=True)
class ReceiptRec:
    uuid: str
    day: date
    date: int
    code: str
    status: str
    session_uuid: str
    till_id: int
    stock_id: int
    cashier_id: int
    seller_id: int | None
    is_return: bool
    amount: Decimal
    last_update: int
    lines: list[LineRec]
    payments: list[PaymentRec]
    original_uuid: str | None = None
    return_reason_id: int | None = None
    base_status: str = ""  # status as generated, before any mutation (keeps later generation deterministic)

    @property
    def is_closed(self) -> bool:
        return self.status == STATUS_CLOSED


@dataclass(slots=True)
class SessionRec:
    uuid: str
    code: str
    day: date
    till_id: int
    stock_id: int
    start_date: int
    start_user_id: int
    start_amount: Decimal
    close_date: int
    close_user_id: int
    closed: bool
    close_amount: Decimal
    last_update: int


@dataclass(slots=True)
class WholesaleLineRec:
    id: int
    document_id: int
    order: int
    item_id: int
    quantity: Decimal
    price: Decimal
    cost: Decimal
    last_update: int

    @property
    def amount(self) -> Decimal:
        return money(self.quantity * self.price)


@dataclass(slots=True)
class WholesaleRec:
    id: int
    day: date
    date: int
    code: str
    partner_id: int
    stock_id: int
    attached_user_id: int
    amount: Decimal
    performed: bool
    deleted_mark: bool
    last_update: int
    lines: list[WholesaleLineRec]
    is_return: bool = False
    description: str = ""

    @property
    def counts_as_revenue(self) -> bool:
        return self.performed and not self.deleted_mark


@dataclass
class DayData:
    day: date
    sessions: list[SessionRec]
    receipts: list[ReceiptRec]  # sorted by date, then uuid
    wholesales: list[WholesaleRec]
    wholesale_returns: list[WholesaleRec]
    receipts_by_uuid: dict[str, ReceiptRec] = field(default_factory=dict)
    lines_by_uuid: dict[str, LineRec] = field(default_factory=dict)
    payments_by_uuid: dict[str, PaymentRec] = field(default_factory=dict)

    def index(self) -> None:
        self.receipts_by_uuid = {r.uuid: r for r in self.receipts}
        self.lines_by_uuid = {line.uuid: line for r in self.receipts for line in r.lines}
        self.payments_by_uuid = {p.uuid: p for r in self.receipts for p in r.payments}


@dataclass
class _SalesPhase:
    """Receipts of a day that reference nothing else (sales, cancelled, unclosed) plus the slots for returns."""

    sessions: list[SessionRec]
    sessions_by_till: dict[int, SessionRec]
    receipts: list[ReceiptRec]
    return_slots: list[tuple[int, TillRec]]
    _closed_by_stock: dict[int, list[ReceiptRec]] | None = None
    _closed_times_by_stock: dict[int, list[int]] | None = None

    def closed_sales(self, stock_id: int) -> list[ReceiptRec]:
        """Sales generated closed at this stock, by date (the pool a return can come from)."""
        if self._closed_by_stock is None:
            grouped: dict[int, list[ReceiptRec]] = defaultdict(list)
            for receipt in self.receipts:
                if receipt.base_status == STATUS_CLOSED:
                    grouped[receipt.stock_id].append(receipt)
            self._closed_by_stock = grouped
            self._closed_times_by_stock = {k: [r.date for r in v] for k, v in grouped.items()}
        return self._closed_by_stock.get(stock_id, [])

    def closed_sale_times(self, stock_id: int) -> list[int]:
        self.closed_sales(stock_id)
        assert self._closed_times_by_stock is not None
        return self._closed_times_by_stock.get(stock_id, [])


# -- ground truth ----------------------------------------------------------------------------------------------


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
    """What REGOS holds for one business day (Asia/Tashkent) and one branch (``stock_id``) or all (None)."""

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


def effective_lines(lines: Iterable[LineRec]) -> list[LineRec]:
    """Lines that count: storno lines and the lines they cancel are dropped."""
    line_list = list(lines)
    cancelled = {line.storno_uuid for line in line_list if line.has_storno}
    return [line for line in line_list if not line.has_storno and line.uuid not in cancelled]


def effective_payments(payments: Iterable[PaymentRec]) -> list[PaymentRec]:
    """Payments that count (change rows included, storno pairs dropped)."""
    payment_list = list(payments)
    cancelled = {p.storno_uuid for p in payment_list if p.has_storno}
    return [p for p in payment_list if not p.has_storno and p.uuid not in cancelled]


# -- the generator ---------------------------------------------------------------------------------------------


class RegosDataGenerator:
    """The fake company's data. Static references are built at once; days are generated on demand and cached
    (LRU of ``cache_days``). Mutations (late changes) are kept as overlays and survive cache eviction."""

    def __init__(self, config: GeneratorConfig | None = None, *, clock: Callable[[], float] = time.time, **overrides):
        if config is None:
            config = GeneratorConfig(**overrides)
        elif overrides:
            raise TypeError("pass either a GeneratorConfig or keyword overrides, not both")
        self.config = config
        self.tz = ZoneInfo(config.timezone)
        self.clock = clock
        self.version = 0  # bumped by every mutation, so servers can drop their caches
        self._days: OrderedDict[date, DayData] = OrderedDict()
        self._sales: OrderedDict[date, _SalesPhase] = OrderedDict()
        self._receipt_overrides: dict[str, dict[str, object]] = {}
        self._added_receipts: dict[date, list[ReceiptRec]] = defaultdict(list)
        self._wholesale_overrides: dict[tuple[bool, int], dict[str, object]] = {}
        self._mutation_rng = random.Random(f"regos-fake:{config.seed}:mutations")
        self._build_static()

    # -- static data ------------------------------------------------------------------------------------------

    def _rng(self, *parts: object) -> random.Random:
        return random.Random(":".join(["regos-fake", str(self.config.seed), *map(str, parts)]))

    def _build_static(self) -> None:
        cfg = self.config
        rng = self._rng("static")
        base_update = int(self.day_start(cfg.start_date)) - 86_400 * 30
        self.firm_id = 1
        self.stocks: list[StockRec] = []
        for index in range(cfg.branches):
            name, address = catalog.BRANCHES[index]
            round_the_clock = index == 2
            open_hour, close_hour = (0, 24) if round_the_clock else ((8, 23) if index == 0 else (9, 22))
            self.stocks.append(StockRec(index + 1, name, address, open_hour, close_hour, 1.0 / (index + 1.2)))
        self.tills: list[TillRec] = []
        for stock in self.stocks:
            for t in range(cfg.tills_per_branch):
                till_id = len(self.tills) + 1
                self.tills.append(TillRec(till_id, stock.id, t, f"KASSA-{stock.id}-{t + 1}"))
        self.tills_by_stock: dict[int, list[TillRec]] = defaultdict(list)
        for till in self.tills:
            self.tills_by_stock[till.stock_id].append(till)

        names = list(catalog.FIRST_NAMES)
        rng.shuffle(names)
        self.users: list[UserRec] = []
        for index in range(cfg.users):
            first, gender = names[index % len(names)]
            last = catalog.LAST_NAMES[rng.randrange(len(catalog.LAST_NAMES))]
            if gender == "F" and not last.endswith("a"):
                last += "a"
            elif gender == "M" and last.endswith("a"):
                last = last[:-1]
            role = "owner" if index == 0 else "manager" if index == 1 else ("cashier" if index % 3 else "seller")
            self.users.append(
                UserRec(
                    id=index + 1,
                    first_name=first,
                    last_name=last,
                    gender=gender,
                    role=role,
                    phone=f"+99890{rng.randrange(1_000_000, 9_999_999)}",
                    login=f"{first.lower().replace(chr(39), '')}{index + 1}",
                    seller_barcode=f"2{index + 1:011d}",
                    last_update=base_update - rng.randrange(86_400 * 90),
                )
            )
        self.cashiers = [u for u in self.users if u.role == "cashier"] or [self.users[-1]]
        self.sellers = [u for u in self.users if u.role in ("seller", "cashier")]
        self.users_by_id = {u.id: u for u in self.users}

        self.groups = [GroupRec(i + 1, g[0]) for i, g in enumerate(catalog.ITEM_GROUPS)]
        self.items: list[ItemRec] = []
        for index in range(cfg.items):
            group_index = index % len(catalog.ITEM_GROUPS)
            _group, unit, weighted, (low, high), bases = catalog.ITEM_GROUPS[group_index]
            base = bases[(index // len(catalog.ITEM_GROUPS)) % len(bases)]
            variant = catalog.VARIANTS[(index // (len(catalog.ITEM_GROUPS) * len(bases))) % len(catalog.VARIANTS)]
            name = f"{base} {variant}".strip()
            if index >= len(catalog.ITEM_GROUPS) * len(bases) * len(catalog.VARIANTS):
                name = f"{name} #{index}"
            price = _round_price(rng.uniform(low, high))
            cost = _round_price(price * rng.uniform(0.68, 0.85))
            self.items.append(
                ItemRec(
                    id=index + 1,
                    code=1000 + index + 1,
                    name=name,
                    group_id=group_index + 1,
                    unit=unit,
                    weighted=weighted,
                    price=money(price),
                    cost=money(min(cost, price)),
                    min_quantity=Decimal(rng.choice((5, 10, 10, 15, 20))),
                    barcode=f"478{rng.randrange(10**9, 10**10)}",
                    last_update=base_update - rng.randrange(86_400 * 120),
                )
            )
        self.items_by_id = {i.id: i for i in self.items}
        # Zipf-like popularity: a few items sell far more than the rest.
        order = list(range(len(self.items)))
        rng.shuffle(order)
        weights = [0.0] * len(self.items)
        for rank, item_index in enumerate(order):
            weights[item_index] = 1.0 / (rank + 3) ** 0.9
        running = 0.0
        self._item_cum_weights: list[float] = []
        for w in weights:
            running += w
            self._item_cum_weights.append(running)

        self.payment_types = [PaymentTypeRec(*p) for p in catalog.PAYMENT_TYPES]
        self.payment_types_by_id = {p.id: p for p in self.payment_types}
        self.partners = [
            PartnerRec(i + 1, n, f"30{rng.randrange(1_000_000, 9_999_999)}") for i, n in enumerate(catalog.PARTNERS)
        ]
        self.return_reasons = list(catalog.RETURN_REASONS)
        self._stock_levels: dict[tuple[int, int], Decimal] = {}

        self._hour_weights: dict[int, tuple[list[int], list[float]]] = {}
        for stock in self.stocks:
            hours = list(range(stock.open_hour, stock.close_hour))
            cum: list[float] = []
            total = 0.0
            for h in hours:
                w = 0.15 if h < 7 else 1.0 + 1.6 * math.exp(-((h - 13) ** 2) / 4) + 2.0 * math.exp(-((h - 19) ** 2) / 5)
                total += w
                cum.append(total)
            self._hour_weights[stock.id] = (hours, cum)
        stock_total = 0.0
        self._stock_cum_weights: list[float] = []
        for stock in self.stocks:
            stock_total += stock.weight
            self._stock_cum_weights.append(stock_total)

    # -- calendar ---------------------------------------------------------------------------------------------

    def day_start(self, day: date) -> int:
        return int(datetime.combine(day, dtime.min, tzinfo=self.tz).timestamp())

    def day_bounds(self, day: date) -> tuple[int, int]:
        """First and last Unix second of a business day (inclusive)."""
        return self.day_start(day), self.day_start(day + timedelta(days=1)) - 1

    def business_day(self, unix_seconds: int) -> date:
        return datetime.fromtimestamp(unix_seconds, tz=self.tz).date()

    @property
    def days(self) -> list[date]:
        return [self.config.start_date + timedelta(days=i) for i in range(self.config.days)]

    def in_range(self, day: date) -> bool:
        return self.config.start_date <= day <= self.config.end_date

    def days_overlapping(self, start_ts: int | None, end_ts: int | None) -> list[date]:
        first = self.config.start_date if start_ts is None else max(self.config.start_date, self.business_day(start_ts))
        last = self.config.end_date if end_ts is None else min(self.config.end_date, self.business_day(end_ts))
        if first > last:
            return []
        return [first + timedelta(days=i) for i in range((last - first).days + 1)]

    def receipt_count(self, day: date) -> int:
        """Base receipts of a day (before mutations), cheap: does not generate the day."""
        if not self.in_range(day):
            return 0
        rng = self._rng("count", day.toordinal())
        factor = WEEKDAY_FACTORS[day.weekday()] * rng.uniform(0.92, 1.08)
        return max(0, round(self.config.receipts_per_day * factor))

    def total_receipt_count(self) -> int:
        """All base receipts of the generated period (returns, cancelled and unclosed included)."""
        return sum(self.receipt_count(d) for d in self.days)

    # -- stock levels ---------------------------------------------------------------------------------------------

    def stock_level(self, item_id: int, stock_id: int) -> Decimal:
        key = (item_id, stock_id)
        if key not in self._stock_levels:
            item = self.items_by_id.get(item_id)
            if item is None or stock_id not in {s.id for s in self.stocks}:
                return Decimal(0)
            rng = self._rng("stock", item_id, stock_id)
            if rng.random() < 0.1:
                quantity = Decimal(rng.randrange(0, int(item.min_quantity)))
            else:
                quantity = Decimal(rng.randrange(int(item.min_quantity), 250))
            if item.weighted:
                quantity += Decimal("0.5") * rng.randrange(2)
            self._stock_levels[key] = quantity
        return self._stock_levels[key]

    # -- day generation -------------------------------------------------------------------------------------------

    def day(self, day: date) -> DayData:
        """All records of one business day (mutations applied). Days outside the range are empty."""
        cached = self._days.get(day)
        if cached is not None:
            self._days.move_to_end(day)
            return cached
        data = self._build_day(day)
        self._days[day] = data
        while len(self._days) > self.config.cache_days:
            self._days.popitem(last=False)
        return data

    def _sales_phase(self, day: date) -> _SalesPhase:
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

    def _generate_sales(self, day: date) -> _SalesPhase:
        cfg = self.config
        rng = self._rng("day", day.toordinal())
        ordinal = day.toordinal()
        day_start = self.day_start(day)
        day_index = (day - cfg.start_date).days

        sessions: list[SessionRec] = []
        sessions_by_till: dict[int, SessionRec] = {}
        for till in self.tills:
            stock = self.stocks[till.stock_id - 1]
            cashier = self.cashiers[(till.id + day_index) % len(self.cashiers)]
            if stock.close_hour == 24:
                opened, closed = day_start + rng.randrange(5, 60), day_start + 86_400 - rng.randrange(30, 90)
            else:
                opened = day_start + stock.open_hour * 3600 - rng.randrange(600, 1800)
                closed = day_start + stock.close_hour * 3600 + rng.randrange(300, 1800)
            session = SessionRec(
                uuid=make_uuid(rng, ordinal, KIND_SESSION),
                code=str(day_index * len(self.tills) + till.id),
                day=day,
                till_id=till.id,
                stock_id=till.stock_id,
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

        receipts: list[ReceiptRec] = []
        return_slots: list[tuple[int, TillRec]] = []
        count = self.receipt_count(day)
        for _ in range(count):
            stock = rng.choices(self.stocks, cum_weights=self._stock_cum_weights)[0]
            tills = self.tills_by_stock[stock.id]
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
        receipts.sort(key=lambda r: (r.date, r.uuid))
        return _SalesPhase(sessions, sessions_by_till, receipts, return_slots)

    def _pick_items(self, rng: random.Random, count: int) -> list[ItemRec]:
        return rng.choices(self.items, cum_weights=self._item_cum_weights, k=count)

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
            lines.append(
                LineRec(
                    make_uuid(rng, ordinal, KIND_LINE),
                    uuid,
                    len(lines) + 1,
                    item.id,
                    till.stock_id,
                    quantity,
                    price,
                    price2,
                    last_update,
                )
            )
        if rng.random() < cfg.storno_rate:
            item = self._pick_items(rng, 1)[0]
            quantity = self._quantity(rng, item)
            scanned = LineRec(
                make_uuid(rng, ordinal, KIND_LINE),
                uuid,
                len(lines) + 1,
                item.id,
                till.stock_id,
                quantity,
                item.price,
                item.price,
                last_update,
            )
            storno = LineRec(
                make_uuid(rng, ordinal, KIND_LINE),
                uuid,
                len(lines) + 2,
                item.id,
                till.stock_id,
                -quantity if cfg.negative_storno else quantity,
                item.price,
                item.price,
                last_update,
                has_storno=True,
                storno_uuid=scanned.uuid,
            )
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
            stock_id=till.stock_id,
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
            type_id = rng.choices(_PAYMENT_TYPE_IDS, cum_weights=_PAYMENT_CUM_WEIGHTS)[0]
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
        phase: _SalesPhase,
        previous: _SalesPhase | None,
    ) -> ReceiptRec | None:
        # base_status, not status: a later mutation must not change which sale an old return points at
        same_day = phase.closed_sales(till.stock_id)
        candidates = same_day[: bisect.bisect_left(phase.closed_sale_times(till.stock_id), moment - 1800)]
        if previous is not None and (not candidates or rng.random() < 0.5):
            candidates = previous.closed_sales(till.stock_id) or candidates
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
        uuid = make_uuid(rng, ordinal, KIND_RECEIPT)
        last_update = moment + rng.randrange(10, 180)
        lines = [
            LineRec(
                make_uuid(rng, ordinal, KIND_LINE),
                uuid,
                i + 1,
                src.item_id,
                till.stock_id,
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
            stock_id=till.stock_id,
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
            price = money(_round_price(float(item.price) * 0.9))
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
        )

    # -- lookups ------------------------------------------------------------------------------------------------

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

    def iter_receipts(self, start_ts: int | None = None, end_ts: int | None = None) -> Iterator[ReceiptRec]:
        """Receipts with ``start_ts <= date <= end_ts``, in date order (days generated one at a time)."""
        for day in self.days_overlapping(start_ts, end_ts):
            for receipt in self.day(day).receipts:
                if (start_ts is None or receipt.date >= start_ts) and (end_ts is None or receipt.date <= end_ts):
                    yield receipt

    # -- ground truth ---------------------------------------------------------------------------------------------

    def day_totals(self, day: date, stock_id: int | None = None) -> DayTotals:
        """Ground truth of one business day, for one branch or (``stock_id=None``) the whole company."""
        totals = DayTotals(day=day, stock_id=stock_id)
        data = self.day(day)
        for receipt in data.receipts:
            if stock_id is not None and receipt.stock_id != stock_id:
                continue
            self._add_receipt_to_totals(totals, receipt)
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

    def branch_totals(self, day: date) -> dict[int, DayTotals]:
        """Ground truth per branch (stock id) for one day."""
        return {stock.id: self.day_totals(day, stock.id) for stock in self.stocks}

    def period_totals(self, first: date, last: date, stock_id: int | None = None) -> DayTotals:
        """Ground truth summed over business days ``first..last`` (inclusive); ``day`` is ``first``."""
        total = DayTotals(day=first, stock_id=stock_id)
        day = first
        while day <= last:
            part = self.day_totals(day, stock_id)
            for name in (
                "sale_count", "return_count", "cancelled_count", "unclosed_count", "retail_gross", "retail_returns",
                "wholesale_count", "wholesale_gross", "wholesale_return_count", "wholesale_returns", "gross_profit",
            ):  # fmt: skip
                setattr(total, name, getattr(total, name) + getattr(part, name))
            for type_id, payment in part.payments.items():
                bucket = total.payments.setdefault(type_id, PaymentTotals(type_id, payment.name))
                bucket.sale_amount += payment.sale_amount
                bucket.return_amount += payment.return_amount
            day += timedelta(days=1)
        return total

    def item_totals(self, day: date, stock_id: int | None = None) -> dict[int, ItemTotals]:
        """Per item: quantity and amount sold and returned on closed receipts of the day."""
        result: dict[int, ItemTotals] = {}
        for receipt in self.day(day).receipts:
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

    def employee_totals(self, day: date, *, role: str = "seller") -> dict[int | None, EmployeeTotals]:
        """Closed receipts of the day per seller (``role="seller"``, None = no seller) or per cashier."""
        if role not in ("seller", "cashier"):
            raise ValueError("role is 'seller' or 'cashier'")
        result: dict[int | None, EmployeeTotals] = {}
        for receipt in self.day(day).receipts:
            if not receipt.is_closed:
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

    # -- mutations (late changes) ---------------------------------------------------------------------------------

    def _now(self, floor: int) -> int:
        return max(int(self.clock()), floor + 1)

    def _changed(self, day: date) -> None:
        self.version += 1
        for cache in (self._days, self._sales):
            cache.pop(day, None)
            cache.pop(day + timedelta(days=1), None)  # the next day's returns may reference this day

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
        payments = [
            PaymentRec(
                make_uuid(self._mutation_rng, receipt.day.toordinal(), KIND_PAYMENT),
                uuid,
                1,
                payment_type_id,
                receipt.amount,
            )
        ]
        override = self._receipt_overrides.setdefault(uuid, {})
        override.update(status=STATUS_CLOSED, payments=payments, last_update=self._now(receipt.last_update))
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
        """A closed sale that appears late for a (past) business day, e.g. a till that was offline."""
        if not self.in_range(day):
            raise ValueError("day is outside the generated period")
        rng = self._mutation_rng
        stock = self.stocks[(stock_id or 1) - 1]
        till = self.tills_by_stock[stock.id][0]
        session = self._session_for(day, till.id)
        moment = at if at is not None else min(session.close_date - 120, self.day_start(day) + 12 * 3600)
        if self.business_day(moment) != day:
            raise ValueError("at is not on that business day")
        chosen = None
        if items is not None:
            chosen = [(self.items_by_id[item_id], Decimal(quantity)) for item_id, quantity in items]
        receipt = self._generate_sale(rng, day, moment, till, session, STATUS_CLOSED, chosen, payment_type_id)
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


def _poisson(rng: random.Random, lam: float) -> int:
    if lam <= 0:
        return 0
    limit, k, product = math.exp(-lam), 0, rng.random()
    while product > limit:
        k += 1
        product *= rng.random()
    return k

"""The generator's configuration, its static references (branches, tills, people, items), its calendar and its
clock: what exists, where each till stands at a moment, and which moment "now" is."""

from __future__ import annotations

import itertools
import math
import random
import time
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from datetime import time as dtime
from decimal import Decimal
from zoneinfo import ZoneInfo

from . import catalog
from .records import (
    STATUS_OPENED,
    DayData,
    DayView,
    GroupRec,
    ItemRec,
    PartnerRec,
    PaymentTypeRec,
    ReceiptRec,
    SalesPhase,
    SessionRec,
    StockRec,
    TillMove,
    TillRec,
    UserRec,
    WholesaleRec,
    money,
)

# Receipts per weekday relative to the average (Mon..Sun): weekends are busier. Mean is 1.0.
WEEKDAY_FACTORS = (0.90, 0.88, 0.92, 0.95, 1.05, 1.17, 1.13)
_PAYMENT_TYPE_IDS = [type_id for type_id, _ in catalog.PAYMENT_MIX]
_PAYMENT_CUM_WEIGHTS = list(itertools.accumulate(share for _, share in catalog.PAYMENT_MIX))

WHOLE_DAY = math.inf  # ``as_of=WHOLE_DAY``: everything planned, whatever the clock says
SETTLE_SECONDS = 3600  # generated records of a day are all final this long after its end


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
    # scenarios (all off by default, so the data of older seeds stays the same)
    busy_days: Mapping[date, int] = field(default_factory=dict)  # exact receipt count on these days
    till_moves: Sequence[TillMove | tuple[int, date | int, int]] = ()
    midnight_receipts: bool = False  # a sale at 00:00:00 and one at 23:59:59 in round-the-clock branches
    deleted_items: int = 0  # extra delete-marked items, never sold, with stock on hand
    live: bool = True  # reveal records only up to the clock; False shows every planned record at once

    def __post_init__(self) -> None:
        if not 1 <= self.branches <= len(catalog.BRANCHES):
            raise ValueError(f"branches must be 1..{len(catalog.BRANCHES)}")
        if self.days < 1 or self.receipts_per_day < 0 or self.items < 10 or self.tills_per_branch < 1:
            raise ValueError("days >= 1, receipts_per_day >= 0, items >= 10, tills_per_branch >= 1")
        if self.users < 3:
            raise ValueError("users >= 3 (owner, manager, at least one cashier)")
        if any(count < 0 for count in self.busy_days.values()) or self.deleted_items < 0:
            raise ValueError("busy_days counts and deleted_items must be >= 0")
        tills = self.branches * self.tills_per_branch
        for move in self.till_moves:
            till_id, _at, stock_id = move if isinstance(move, tuple) else (move.till_id, move.at, move.stock_id)
            if not (1 <= till_id <= tills and 1 <= stock_id <= self.branches):
                raise ValueError(f"till move {move!r}: till 1..{tills}, stock 1..{self.branches}")

    @property
    def end_date(self) -> date:
        """Last generated business day (inclusive)."""
        return self.start_date + timedelta(days=self.days - 1)


class GeneratorBase:
    """Static references, calendar, till placement and the clock. Day generation builds on this."""

    def __init__(self, config: GeneratorConfig | None = None, *, clock: Callable[[], float] = time.time, **overrides):
        if config is None:
            config = GeneratorConfig(**overrides)
        elif overrides:
            raise TypeError("pass either a GeneratorConfig or keyword overrides, not both")
        self.config = config
        self.tz = ZoneInfo(config.timezone)
        self.clock = clock
        self.version = 0  # bumped by every mutation, so servers can drop their caches
        self.latest_change = 0.0  # the newest last_update a mutation wrote
        self._days: OrderedDict[date, DayData] = OrderedDict()
        self._sales: OrderedDict[date, SalesPhase] = OrderedDict()
        self._receipt_overrides: dict[str, dict[str, object]] = {}
        self._added_receipts: dict[date, list[ReceiptRec]] = defaultdict(list)
        self._wholesale_overrides: dict[tuple[bool, int], dict[str, object]] = {}
        self._stock_levels: dict[tuple[int, int], Decimal] = {}
        self._mutation_rng = random.Random(f"regos-fake:{config.seed}:mutations")
        self._view_cache: OrderedDict[date, tuple[int, float, DayView]] = OrderedDict()
        self._movement_cache: tuple[tuple[int, float], dict[tuple[int, int], Decimal]] | None = None
        self._day_moves: dict[tuple[int, date], dict[tuple[int, int], Decimal]] = {}
        self._build_static()
        self._build_moves()

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
        self.tills_by_stock: dict[int, list[TillRec]] = defaultdict(list)  # where the tills start
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
            price = round_price(rng.uniform(low, high))
            cost = round_price(price * rng.uniform(0.68, 0.85))
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
                    vat=catalog.GROUP_VAT.get(_group, catalog.VAT_STANDARD),
                )
            )
        self.sellable_items = list(self.items)  # delete-marked items are never sold
        # Zipf-like popularity: a few items sell far more than the rest.
        order = list(range(len(self.items)))
        rng.shuffle(order)
        weights = [0.0] * len(self.items)
        for rank, item_index in enumerate(order):
            weights[item_index] = 1.0 / (rank + 3) ** 0.9
        self._item_cum_weights = list(itertools.accumulate(weights))
        self._add_deleted_items(base_update)
        self.items_by_id = {i.id: i for i in self.items}

        self.payment_types = [PaymentTypeRec(*p) for p in catalog.PAYMENT_TYPES]
        self.payment_types_by_id = {p.id: p for p in self.payment_types}
        self.partners = [
            PartnerRec(i + 1, n, f"30{rng.randrange(1_000_000, 9_999_999)}") for i, n in enumerate(catalog.PARTNERS)
        ]
        self.return_reasons = list(catalog.RETURN_REASONS)

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
        self._stock_cum_weights = list(itertools.accumulate(stock.weight for stock in self.stocks))

    def _add_deleted_items(self, base_update: int) -> None:
        """Items delete-marked in REGOS some weeks before the period: kept in Item/Get with ``deleted_mark``
        true, never on a receipt of the period, yet with stock left in some branches."""
        rng = self._rng("deleted-items")
        for n in range(self.config.deleted_items):
            name, group_index, price = catalog.DELETED_ITEMS[n % len(catalog.DELETED_ITEMS)]
            if n >= len(catalog.DELETED_ITEMS):
                name = f"{name} #{n + 1}"
            group, unit, weighted, _range, _bases = catalog.ITEM_GROUPS[group_index]
            item_id = len(self.items) + 1
            self.items.append(
                ItemRec(
                    id=item_id,
                    code=1000 + item_id,
                    name=name,
                    group_id=group_index + 1,
                    unit=unit,
                    weighted=weighted,
                    price=money(price),
                    cost=money(round_price(price * 0.8)),
                    min_quantity=Decimal(5),
                    barcode=f"479{rng.randrange(10**9, 10**10)}",
                    last_update=base_update + rng.randrange(86_400 * 20),
                    deleted_mark=True,
                    vat=catalog.GROUP_VAT.get(group, catalog.VAT_STANDARD),
                )
            )

    # -- calendar ---------------------------------------------------------------------------------------------

    def day_start(self, day: date) -> int:
        return int(datetime.combine(day, dtime.min, tzinfo=self.tz).timestamp())

    def day_bounds(self, day: date) -> tuple[int, int]:
        """First and last Unix second of a business day (inclusive): [00:00, 24:00) local."""
        return self.day_start(day), self.day_start(day + timedelta(days=1)) - 1

    def business_day(self, unix_seconds: float) -> date:
        return datetime.fromtimestamp(unix_seconds, tz=self.tz).date()

    @property
    def days(self) -> list[date]:
        return [self.config.start_date + timedelta(days=i) for i in range(self.config.days)]

    def in_range(self, day: date) -> bool:
        return self.config.start_date <= day <= self.config.end_date

    def days_overlapping(self, start_ts: float | None, end_ts: float | None) -> list[date]:
        first = self.config.start_date if start_ts is None else max(self.config.start_date, self.business_day(start_ts))
        last = self.config.end_date
        if end_ts is not None and end_ts < self.day_start(last + timedelta(days=1)):
            last = min(last, self.business_day(end_ts))
        if first > last:
            return []
        return [first + timedelta(days=i) for i in range((last - first).days + 1)]

    def receipt_count(self, day: date) -> int:
        """Base receipts of a day (before mutations), cheap: does not generate the day."""
        if not self.in_range(day):
            return 0
        busy = self.config.busy_days.get(day)
        if busy is not None:
            return busy
        rng = self._rng("count", day.toordinal())
        factor = WEEKDAY_FACTORS[day.weekday()] * rng.uniform(0.92, 1.08)
        return max(0, round(self.config.receipts_per_day * factor))

    def total_receipt_count(self) -> int:
        """All base receipts of the generated period (returns, cancelled and unclosed included)."""
        return sum(self.receipt_count(d) for d in self.days)

    # -- tills moving between branches -----------------------------------------------------------------------

    def _build_moves(self) -> None:
        moves: list[tuple[int, int, int]] = []
        for move in self.config.till_moves:
            till_id, at, stock_id = move if isinstance(move, tuple) else (move.till_id, move.at, move.stock_id)
            moment = self.day_start(at) if isinstance(at, date) else int(at)
            moves.append((moment, till_id, stock_id))
        self.till_moves = sorted(moves)

    def till_stock_at(self, till_id: int, moment: float) -> int:
        """The branch (stock id) the till belongs to at this Unix second."""
        stock_id = self.tills[till_id - 1].stock_id
        for at, moved, target in self.till_moves:
            if at > moment:
                break
            if moved == till_id:
                stock_id = target
        return stock_id

    def till_last_update(self, till_id: int, moment: float) -> int:
        """``last_update`` of the till as seen at ``moment``: its latest move so far, or the reference date."""
        moved = [at for at, till, _ in self.till_moves if till == till_id and at <= moment]
        return max([self.users[0].last_update, *moved])

    def tills_at(self, moment: float) -> dict[int, list[TillRec]]:
        """Tills per branch at this Unix second."""
        grouped: dict[int, list[TillRec]] = defaultdict(list)
        for till in self.tills:
            grouped[self.till_stock_at(till.id, moment)].append(till)
        return grouped

    # -- the clock: what is visible now ------------------------------------------------------------------------

    def horizon(self, as_of: float | None = None) -> float:
        """The last Unix second whose records are visible: ``as_of``, else the clock (``live``), else all."""
        if as_of is not None:
            return float(as_of)
        return float(self.clock()) if self.config.live else WHOLE_DAY

    def settled(self, day: date, horizon: float) -> bool:
        """Every record of the day is final at ``horizon`` (cheap: generates nothing)."""
        return horizon >= self.day_bounds(day)[1] + SETTLE_SECONDS and horizon >= self.latest_change

    @staticmethod
    def view_receipt(receipt: ReceiptRec | None, horizon: float) -> ReceiptRec | None:
        """A receipt as REGOS shows it at ``horizon``: absent before its date, ``Opened`` without payments while
        it is being rung up or paid, final from its ``last_update`` on."""
        if receipt is None or receipt.date > horizon:
            return None
        if receipt.last_update <= horizon:
            return receipt
        return replace(receipt, status=STATUS_OPENED, payments=[], last_update=receipt.date)

    @staticmethod
    def view_session(session: SessionRec, horizon: float) -> SessionRec | None:
        if session.start_date > horizon:
            return None
        if session.close_date <= horizon:
            return session
        return replace(session, closed=False, last_update=session.start_date)

    @staticmethod
    def view_wholesale(doc: WholesaleRec | None, horizon: float) -> WholesaleRec | None:
        return doc if doc is not None and doc.last_update <= horizon else None


def round_price(value: float) -> int:
    step = 500 if value >= 10_000 else 100
    return max(step, round(value / step) * step)


def pick_payment_type(rng: random.Random) -> int:
    return rng.choices(_PAYMENT_TYPE_IDS, cum_weights=_PAYMENT_CUM_WEIGHTS)[0]

"""The records of the fake REGOS company: references, per-day documents, and the helpers that total them.

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

import random
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0.00")

STATUS_CLOSED = "Closed"
STATUS_CANCELED = "Canceled"
STATUS_OPENED = "Opened"

KIND_RECEIPT = "1"
KIND_LINE = "2"
KIND_PAYMENT = "3"
KIND_SESSION = "4"


def money(value: int | Decimal) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


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
    stock_id: int  # the branch the till starts in; see ``TillMove`` and ``till_stock_at`` for later moves
    index: int
    key: str


@dataclass(frozen=True, slots=True)
class TillMove:
    """The till ``till_id`` belongs to ``stock_id`` from ``at`` on: a business day (from its 00:00 local) or a
    Unix second (a move in the middle of a day)."""

    till_id: int
    at: date | int
    stock_id: int


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
    deleted_mark: bool = False  # delete-marked in REGOS: never sold any more, but may still have stock on hand
    vat: tuple[int, str, int] = (1, "QQS 12%", 12)  # Item/Get `vat`: id, name, percent (catalog.GROUP_VAT)


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
    stock_id: int  # the till's branch at the receipt's time
    cashier_id: int
    seller_id: int | None
    is_return: bool
    amount: Decimal
    last_update: int  # also the moment the receipt becomes visible in its final state
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
    last_update: int  # also the moment the document becomes visible
    lines: list[WholesaleLineRec]
    is_return: bool = False
    description: str = ""
    vat_calculation_type: str = "Include"  # No | Exclude (VAT on top of `amount`) | Include (VAT inside `amount`)

    @property
    def counts_as_revenue(self) -> bool:
        return self.performed and not self.deleted_mark


@dataclass
class DayData:
    """Everything planned for one business day (mutations applied), visible or not yet."""

    day: date
    sessions: list[SessionRec]
    receipts: list[ReceiptRec]  # sorted by date, then uuid
    wholesales: list[WholesaleRec]
    wholesale_returns: list[WholesaleRec]
    receipts_by_uuid: dict[str, ReceiptRec] = field(default_factory=dict)
    lines_by_uuid: dict[str, LineRec] = field(default_factory=dict)
    payments_by_uuid: dict[str, PaymentRec] = field(default_factory=dict)
    settled_at: float = 0.0  # from this Unix second on, every record of the day is visible in its final state

    def index(self) -> None:
        self.receipts_by_uuid = {r.uuid: r for r in self.receipts}
        self.lines_by_uuid = {line.uuid: line for r in self.receipts for line in r.lines}
        self.payments_by_uuid = {p.uuid: p for r in self.receipts for p in r.payments}
        stamps = [r.last_update for r in self.receipts]
        stamps += [max(s.close_date, s.last_update) for s in self.sessions]
        stamps += [d.last_update for d in self.wholesales + self.wholesale_returns]
        self.settled_at = float(max(stamps, default=0))


@dataclass
class DayView:
    """What REGOS shows of a day at one moment: records not yet made are absent, a receipt being paid is
    ``Opened`` with no payments, a shift still running is open."""

    day: date
    sessions: list[SessionRec]
    receipts: list[ReceiptRec]
    wholesales: list[WholesaleRec]
    wholesale_returns: list[WholesaleRec]


@dataclass
class SalesPhase:
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

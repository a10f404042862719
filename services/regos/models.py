"""Typed REGOS records (pydantic v2), parsed tolerantly.

Unknown fields are ignored, money and quantities are exact ``Decimal``s, timestamps are UTC-aware datetimes,
enums accept names or numbers. Only the fields a record cannot be used without are required; a record that
misses one (or carries garbage in a typed field) is skipped and counted by ``parse_records``, never fatal for
its page.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Generic, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, ValidationError, model_validator

from .enums import AgregateStatus, DocChequeStatus, ItemType, VatCalculationType
from .envelope import RegosResponse
from .parsing import to_decimal, to_optional_decimal, to_optional_utc_datetime, to_utc_datetime

Money = Annotated[Decimal, BeforeValidator(to_decimal)]
OptionalMoney = Annotated[Decimal | None, BeforeValidator(to_optional_decimal)]
Quantity = Money
OptionalQuantity = OptionalMoney
UtcDateTime = Annotated[datetime, BeforeValidator(to_utc_datetime)]
OptionalUtcDateTime = Annotated[datetime | None, BeforeValidator(to_optional_utc_datetime)]


class RegosRecord(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True, coerce_numbers_to_str=True)


class NamedRef(RegosRecord):
    """Any embedded reference REGOS sends as an object with at least an id and a name."""

    id: int | None = None
    name: str | None = None


class TaxVat(NamedRef):
    value: OptionalMoney = None


class Firm(RegosRecord):
    id: int
    name: str | None = None
    fullname: str | None = None
    inn: str | None = None
    address: str | None = None
    deleted_mark: bool | None = None
    last_update: OptionalUtcDateTime = None


class Stock(RegosRecord):
    """A REGOS storage place; in Smart Savdo a branch (shop)."""

    id: int
    name: str | None = None
    address: str | None = None
    firm: Firm | None = None
    area: OptionalMoney = None
    description: str | None = None
    deleted_mark: bool | None = None
    last_update: OptionalUtcDateTime = None


class OperatingCash(RegosRecord):
    """A POS till; belongs to one Stock."""

    id: int
    stock: Stock | None = None
    key: str | None = None
    price_type: NamedRef | None = None
    description: str | None = None
    virtual: bool | None = None
    auto_close: bool | None = None
    max_cheque_quantity_in_session: int | None = None
    last_update: OptionalUtcDateTime = None

    @property
    def stock_id(self) -> int | None:
        return self.stock.id if self.stock else None


class User(RegosRecord):
    """An employee: cashier, seller, manager."""

    id: int
    full_name: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    middle_name: str | None = None
    main_phone: str | None = None
    email: str | None = None
    login: str | None = None
    user_group: NamedRef | None = None
    seller_barcode: str | None = None
    active: bool | None = None
    can_authorize: bool | None = None
    last_update: OptionalUtcDateTime = None

    @property
    def display_name(self) -> str:
        if self.full_name:
            return self.full_name
        parts = [p for p in (self.last_name, self.first_name, self.middle_name) if p]
        return " ".join(parts) or f"#{self.id}"


class Item(RegosRecord):
    id: int
    code: int | None = None
    name: str | None = None
    fullname: str | None = None
    articul: str | None = None
    group: NamedRef | None = None
    department: NamedRef | None = None
    vat: TaxVat | None = None
    unit: NamedRef | None = None
    base_barcode: str | None = None
    barcode_list: str | None = None
    type: ItemType | None = None
    deleted_mark: bool | None = None
    min_quantity: OptionalQuantity = None
    last_update: OptionalUtcDateTime = None

    @property
    def barcodes(self) -> list[str]:
        return [b.strip() for b in (self.barcode_list or "").split(",") if b.strip()]


class ItemQuantityDetails(RegosRecord):
    common: OptionalQuantity = None
    allowed: OptionalQuantity = None
    booked: OptionalQuantity = None


class ItemExt(RegosRecord):
    """``Item/GetExt`` row: the item with its price and quantity for one stock/price type."""

    item: Item
    quantity: ItemQuantityDetails | None = None
    pricetype: NamedRef | None = None
    price: OptionalMoney = None
    last_purchase_cost: OptionalMoney = None
    image_url: str | None = None


class PaymentType(RegosRecord):
    id: int | None = None
    name: str | None = None
    is_cash: bool | None = None
    kkm_code: int | None = None
    last_update: OptionalUtcDateTime = None


def _payment_type_from_any(value: Any) -> Any:
    """A payment type may arrive as the full object, a bare id or a bare name."""
    if value is None or isinstance(value, (dict, PaymentType)):
        return value
    if isinstance(value, bool):
        raise ValueError("a boolean is not a payment type")
    if isinstance(value, (int, Decimal)) or (isinstance(value, str) and value.strip().isdigit()):
        return {"id": int(value)}
    if isinstance(value, str):
        return {"name": value}
    raise ValueError(f"not a payment type: {type(value).__name__}")


class DocCheque(RegosRecord):
    """A retail receipt. It carries no till or stock: go ``session`` → DocCashSession → OperatingCash → Stock."""

    uuid: str
    date: UtcDateTime
    code: str | None = None
    status: DocChequeStatus | None = None
    session: str | None = None
    cashier: User | None = None
    is_return: bool = False
    seller: User | None = None
    return_reason: NamedRef | None = None
    card: NamedRef | None = None
    amount: Money
    agregate_status: AgregateStatus | None = None
    last_update: OptionalUtcDateTime = None

    @model_validator(mode="before")
    @classmethod
    def _null_is_return_means_sale(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("is_return") is None and "is_return" in data:
            data = {**data, "is_return": False}
        return data

    @property
    def is_closed(self) -> bool:
        return self.status is DocChequeStatus.Closed

    @property
    def is_canceled(self) -> bool:
        return self.status is DocChequeStatus.Canceled


class DocChequeShort(RegosRecord):
    """``DocCheque/GetShort`` row: a receipt with its till and stock already resolved."""

    uuid: str
    operating_cash_id: int | None = None
    date: UtcDateTime
    code: str | None = None
    sale_status: DocChequeStatus | None = None
    session_uuid: str | None = None
    session_code: str | None = None
    is_return: bool = False
    amount: Money
    stock_id: int | None = None
    stock_name: str | None = None
    firm_id: int | None = None
    firm_name: str | None = None
    customer_id: int | None = None
    customer_name: str | None = None
    card_id: int | None = None
    card_barcode: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _null_is_return_means_sale(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("is_return") is None and "is_return" in data:
            data = {**data, "is_return": False}
        return data

    @property
    def is_closed(self) -> bool:
        return self.sale_status is DocChequeStatus.Closed


class ChequeItemOperation(RegosRecord):
    """A receipt line. ``has_storno`` marks a storno line; ``storno_uuid`` names the line it cancels.

    To total a receipt, drop storno lines together with the lines they cancel (this is right whatever sign
    REGOS gives a storno line's quantity).
    """

    uuid: str
    has_storno: bool = False
    storno_uuid: str | None = None
    document: str
    stock_id: int | None = None
    item: Item | None = None
    order: int | None = None
    quantity: Quantity
    price: Money
    price2: OptionalMoney = None
    promo_id: int | None = None
    vat_value: OptionalMoney = None
    last_update: OptionalUtcDateTime = None

    @property
    def amount(self) -> Decimal:
        return self.quantity * self.price

    @property
    def item_id(self) -> int | None:
        return self.item.id if self.item else None


class ChequePaymentOperation(RegosRecord):
    """A receipt payment. Storno pairs cancel; a change row (``change_uuid`` set) carries the change given back."""

    uuid: str
    has_storno: bool = False
    storno_uuid: str | None = None
    document: str
    order: int | None = None
    payment_type: Annotated[PaymentType | None, BeforeValidator(_payment_type_from_any)] = None
    value: Money
    has_change: bool | None = None
    change_uuid: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _type_is_payment_type(cls, data: Any) -> Any:
        # REGOS's schema has both ``type`` and ``payment_type``; either may be the one that is filled.
        if isinstance(data, dict) and data.get("payment_type") is None and data.get("type") is not None:
            data = {**data, "payment_type": data["type"]}
        return data


class DocCashSession(RegosRecord):
    """A till shift."""

    uuid: str
    code: str | None = None
    operating_cash_id: int | None = None
    start_date: OptionalUtcDateTime = None
    start_user: User | None = None
    start_amount: OptionalMoney = None
    close_date: OptionalUtcDateTime = None
    close_user: User | None = None
    closed: bool | None = None
    close_amount: OptionalMoney = None
    last_update: OptionalUtcDateTime = None


class DocWholeSale(RegosRecord):
    """A wholesale document. Only performed, not deleted documents count as revenue."""

    id: int
    date: UtcDateTime
    code: str | None = None
    partner: NamedRef | None = None
    stock: Stock | None = None
    currency: NamedRef | None = None
    description: str | None = None
    amount: Money
    vat_calculation_type: VatCalculationType | None = None
    exchange_rate: OptionalMoney = None
    attached_user: User | None = None
    seller: User | None = None
    blocked: bool | None = None
    performed: bool = False
    deleted_mark: bool = False
    last_update: OptionalUtcDateTime = None

    @model_validator(mode="before")
    @classmethod
    def _null_flags_are_false(cls, data: Any) -> Any:
        if isinstance(data, dict):
            fixes = {k: False for k in ("performed", "deleted_mark") if k in data and data[k] is None}
            if fixes:
                data = {**data, **fixes}
        return data

    @property
    def counts_as_revenue(self) -> bool:
        return self.performed and not self.deleted_mark

    @property
    def stock_id(self) -> int | None:
        return self.stock.id if self.stock else None


class DocWholeSaleReturn(DocWholeSale):
    """A wholesale return (from a partner). Same shape as DocWholeSale, without ``seller``."""


class WholeSaleOperation(RegosRecord):
    """A line of a wholesale (or wholesale return) document."""

    id: int
    document_id: int
    item: Item | None = None
    quantity: Quantity
    order: int | None = None
    price: Money
    price2: OptionalMoney = None
    vat_value: OptionalMoney = None
    last_purchase_cost: OptionalMoney = None
    description: str | None = None
    last_update: OptionalUtcDateTime = None

    @property
    def amount(self) -> Decimal:
        return self.quantity * self.price


class RetailReportCounts(RegosRecord):
    sale_count: int = 0
    return_count: int = 0
    debt_amount: OptionalMoney = None
    debt_paid_amount: OptionalMoney = None
    gross_profit: OptionalMoney = None


class RetailReportPayment(RegosRecord):
    payment_type_name: str | None = None
    sale_amount: Money = Decimal(0)
    return_amount: Money = Decimal(0)


class RetailReportOperation(RegosRecord):
    item: Item | None = None
    sale_quantity: Quantity = Decimal(0)
    sale_amount: Money = Decimal(0)
    return_quantity: Quantity = Decimal(0)
    return_amount: Money = Decimal(0)


class ItemQuantity(RegosRecord):
    """``Item/GetCurrentQuantity`` row."""

    item_id: int
    stock_id: int
    quantity: Quantity


class EventItem(RegosRecord):
    """A stored event from ``Event/Get`` (same shape as a flat webhook)."""

    event_id: str
    occurred_at: OptionalUtcDateTime = None
    action: str
    data: Any = None


# ---------------------------------------------------------------------------------------------------------------
# Tolerant parsing

RecordT = TypeVar("RecordT", bound=BaseModel)

_MAX_PROBLEMS_KEPT = 20  # enough to diagnose, bounded so a page of garbage cannot bloat memory


@dataclass(frozen=True)
class RecordProblem:
    """Why one record was skipped: its position in the page, its id if it had one, and the first error."""

    index: int
    record_id: str | None
    error: str


@dataclass
class RecordBatch(Generic[RecordT]):
    """Parsed records of one call (or of a whole paging run) and how many were skipped. ``response`` is the raw
    answer when the batch is one call's (for the archive)."""

    items: list[RecordT] = field(default_factory=list)
    skipped: int = 0
    problems: list[RecordProblem] = field(default_factory=list)
    response: RegosResponse | None = None

    def __iter__(self) -> Iterator[RecordT]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, index: int) -> RecordT:
        return self.items[index]

    def extend(self, other: RecordBatch[RecordT]) -> None:
        self.items.extend(other.items)
        self.skipped += other.skipped
        room = _MAX_PROBLEMS_KEPT - len(self.problems)
        if room > 0:
            self.problems.extend(other.problems[:room])


def _record_id(raw: Any) -> str | None:
    if isinstance(raw, dict):
        for key in ("uuid", "id", "event_id", "item_id"):
            if raw.get(key) is not None:
                return str(raw[key])
    return None


def _first_error(exc: ValidationError) -> str:
    errors = exc.errors(include_input=False, include_url=False)
    if not errors:
        return "invalid record"
    first = errors[0]
    location = ".".join(str(part) for part in first.get("loc", ()))
    return f"{location}: {first.get('msg', 'invalid')}" if location else str(first.get("msg", "invalid"))


def parse_records(model: type[RecordT], raw_items: Any, *, strict: bool = False) -> RecordBatch[RecordT]:
    """Validate each raw record on its own; bad ones are skipped and counted (or raise if ``strict``)."""
    batch: RecordBatch[RecordT] = RecordBatch()
    if raw_items is None:
        return batch
    if not isinstance(raw_items, Sequence) or isinstance(raw_items, (str, bytes)):
        raw_items = [raw_items]
    for index, raw in enumerate(raw_items):
        try:
            batch.items.append(model.model_validate(raw))
        except ValidationError as exc:
            if strict:
                raise
            batch.skipped += 1
            if len(batch.problems) < _MAX_PROBLEMS_KEPT:
                batch.problems.append(RecordProblem(index, _record_id(raw), _first_error(exc)))
    return batch


def sum_amounts(values: Iterable[Decimal]) -> Decimal:
    return sum(values, Decimal(0))

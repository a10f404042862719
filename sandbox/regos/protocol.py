"""REGOS protocol pieces shared by the fake's controllers: error codes, request parsing, paging, small records."""

from __future__ import annotations

import hashlib
import operator
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

GATEWAY_PREFIX = "/gateway/out"
MAX_LIMIT = 10_000  # REGOS: "Значение по умолчанию 10000. Максимальное значение 10000"
CURRENT_QUANTITY_MAX_IDS = 250
EVENT_RETENTION_SECONDS = 7 * 86_400
EVENT_PAGE_DEFAULT = 100
EVENT_PAGE_MAX = 1000

# Error texts as REGOS words them (docs.regos.uz errors page); the exact text for a bad key is a guess.
ERR_REQUIRED = 1002
ERR_BAD_PARAMETERS = (1008, "Неверные параметры запроса")
ERR_BAD_PARAMETERS_2 = (1012, "Некорректные параметры")
ERR_NO_RIGHTS = (1007, "Недостаточно прав для выполнения операции")
ERR_NOT_FOUND = (1009, "Записи не найдены")
ERR_BAD_TOKEN = (9001, "Ошибка авторизации. Отсутствует или неверный заголовок Authorization")
ERR_BAD_KEY = (9002, "Ошибка авторизации. Токен отсутствует или неактивен")
ERR_RATE_LIMIT = (8213, "Ошибка лимита: превышено количество запросов")

Handler = Callable[[dict[str, Any], str], Awaitable[dict[str, Any]]]


class RegosApiError(Exception):
    def __init__(self, code: int, description: str) -> None:
        super().__init__(description)
        self.code = code
        self.description = description


def required(name: str) -> RegosApiError:
    return RegosApiError(ERR_REQUIRED, f"Не заполнено обязательное поле: {name}")


@dataclass
class KeyConfig:
    """An integration key the fake accepts. ``denied_methods`` answer 1007; ``requires_bearer`` is the
    marketplace mode (the key is then a ``connected_integration_id``)."""

    denied_methods: frozenset[str] = frozenset()
    requires_bearer: bool = False


@dataclass(frozen=True)
class OAuthClient:
    client_secret: str
    connected_integration_id: str


@dataclass
class RequestRecord:
    method: str
    key_prefix: str
    fault: str | None
    outcome: str  # "ok", "error:<code>", "http:<status>", "hang", "stream"


@dataclass
class WebhookDelivery:
    event_id: str
    attempt: int
    status: int | None
    error: str | None = None


@dataclass
class Token:
    integration_id: str
    expires_at: float


@dataclass
class ReportSkew:
    """Makes ``RetailReport/Counts`` and/or ``/Payments`` disagree with the receipt headers for one business day
    (and one till, or all): the deltas are added to REGOS's aggregate answer for any window that covers part of
    that day and any till filter that includes the till. ``times`` = how many answers it affects (None = all)."""

    day: date
    till_id: int | None = None
    sale_count: int = 0
    return_count: int = 0
    gross_profit: Decimal = Decimal("0.00")
    payment_type_id: int | None = None
    sale_amount: Decimal = Decimal("0.00")
    return_amount: Decimal = Decimal("0.00")
    times: int | None = None

    @property
    def active(self) -> bool:
        return self.times is None or self.times > 0

    def used(self) -> None:
        if self.times is not None:
            self.times -= 1

    def describe(self) -> dict[str, Any]:
        return {
            "day": self.day.isoformat(), "till_id": self.till_id, "sale_count": self.sale_count,
            "return_count": self.return_count, "gross_profit": self.gross_profit,
            "payment_type_id": self.payment_type_id, "sale_amount": self.sale_amount,
            "return_amount": self.return_amount, "times": self.times,
        }  # fmt: skip


def default_key_for(seed: int) -> str:
    """A stable 32-hex key like REGOS's, different per seed."""
    return hashlib.md5(f"smartsavdo-fake-regos-{seed}".encode(), usedforsecurity=False).hexdigest()


def bad_parameter(name: str) -> RegosApiError:
    return RegosApiError(ERR_BAD_PARAMETERS[0], f"{ERR_BAD_PARAMETERS[1]}: {name}")


def opt_int(value: Any, name: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool):
        raise RegosApiError(*ERR_BAD_PARAMETERS)
    try:
        return int(value)
    except (TypeError, ValueError):
        raise bad_parameter(name) from None


def opt_bool(value: Any, name: str) -> bool | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise bad_parameter(name)


def int_list(value: Any, name: str) -> list[int] | None:
    if value is None:
        return None
    if not isinstance(value, list):
        raise bad_parameter(name)
    return [n for v in value if (n := opt_int(v, name)) is not None]


def str_list(value: Any, name: str) -> list[str] | None:
    if value is None:
        return None
    if not isinstance(value, list):
        raise bad_parameter(name)
    return [str(v) for v in value]


def status_name(value: Any) -> str | None:
    """Statuses arrive as names or documented numbers."""
    if value is None:
        return None
    names = ["Default", "Opened", "Paying", "Closed", "Delayed", "DelayedPayment", "Canceled"]
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < len(names):
        return names[value]
    text = str(value).strip()
    if text.isdigit() and int(text) < len(names):
        return names[int(text)]
    for name in names:
        if name.lower() == text.lower():
            return None if name == "Default" else name
    raise bad_parameter("status")


def page(rows: list[Any], limit: int, offset: int) -> tuple[list[Any], int, int]:
    chunk = rows[offset : offset + limit]
    total = len(rows)
    next_offset = offset + len(chunk) if offset + len(chunk) < total else 0
    return chunk, next_offset, total


def limit_offset(body: Mapping[str, Any]) -> tuple[int, int]:
    limit = opt_int(body.get("limit"), "limit") or MAX_LIMIT
    offset = opt_int(body.get("offset"), "offset") or 0
    if limit < 0 or offset < 0:
        raise RegosApiError(*ERR_BAD_PARAMETERS)
    return min(limit, MAX_LIMIT), offset


def paged(rows: list[Any], body: Mapping[str, Any]) -> dict[str, Any]:
    limit, offset = limit_offset(body)
    chunk, next_offset, total = page(rows, limit, offset)
    return {"ok": True, "result": chunk, "next_offset": next_offset, "total": total}


def descending(body: Mapping[str, Any], columns: Iterable[str] = ("Date", "Default")) -> bool:
    orders = body.get("sort_orders") or []
    if isinstance(orders, list) and orders and isinstance(orders[0], Mapping):
        first = orders[0]
        if str(first.get("column", "Default")) in columns:
            return str(first.get("direction", "ASC")).upper() == "DESC"
    return False


def iso(unix_seconds: float) -> str:
    return datetime.fromtimestamp(unix_seconds, tz=UTC).isoformat().replace("+00:00", "Z")


COMPARATORS: dict[str, Callable[[int, int], bool]] = {
    "Equal": operator.eq,
    "NotEqual": operator.ne,
    "Greater": operator.gt,
    "GreaterOrEqual": operator.ge,
    "Less": operator.lt,
    "LessOrEqual": operator.le,
}

"""Tolerant conversions for REGOS wire values: JSON with exact decimals, money, Unix times, enums."""

from __future__ import annotations

import gzip
import json
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

_GZIP_MAGIC = b"\x1f\x8b"
# Separators a human or a spreadsheet may put inside a number: spaces, no-break spaces, thin spaces.
_DIGIT_GROUP_SEPARATORS = (" ", "\u00a0", "\u202f", "\u2009", "_")
# Unix seconds stay below this until the year 5138; anything larger is taken as milliseconds.
_MAX_UNIX_SECONDS = 10**11

DEFAULT_TIMEZONE = "Asia/Tashkent"


def decode_body(raw: bytes) -> bytes:
    """Undo gzip when a gateway sends it without a Content-Encoding header (REGOS's own client sniffs too)."""
    if raw[:2] == _GZIP_MAGIC:
        return gzip.decompress(raw)
    return raw


def _constant_to_decimal(name: str) -> Decimal:
    # NaN/Infinity are not JSON; keep them as Decimal so the record validator rejects just that record.
    return Decimal(name)


def loads(raw: bytes | str) -> Any:
    """``json.loads`` that turns every JSON fraction into ``Decimal`` so money never passes through float."""
    return json.loads(raw, parse_float=Decimal, parse_constant=_constant_to_decimal)


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        # Integral amounts as ints, others as exact strings: REGOS request fields are ints/strings anyway.
        return int(value) if value == value.to_integral_value() else str(value)
    if isinstance(value, datetime):
        return to_unix(value)
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    if hasattr(value, "value"):  # enums
        return value.value
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def dumps(payload: Any) -> bytes:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"), default=_json_default).encode()


def to_decimal(value: Any) -> Decimal:
    """Exact Decimal from a JSON number, a Decimal or a string like ``"12 500,00"``. Rejects bools, NaN, Infinity."""
    if isinstance(value, bool):
        raise ValueError("a boolean is not an amount")
    if isinstance(value, Decimal):
        result = value
    elif isinstance(value, int):
        result = Decimal(value)
    elif isinstance(value, float):
        result = Decimal(repr(value))  # shortest round-trip text, never the binary expansion
    elif isinstance(value, str):
        text = value.strip()
        for separator in _DIGIT_GROUP_SEPARATORS:
            text = text.replace(separator, "")
        text = text.replace(",", ".")
        if not text:
            raise ValueError("empty amount")
        try:
            result = Decimal(text)
        except InvalidOperation as exc:
            raise ValueError(f"not a number: {value!r}") from exc
    else:
        raise ValueError(f"not a number: {type(value).__name__}")
    if not result.is_finite():
        raise ValueError(f"not a finite number: {value!r}")
    return result


def to_optional_decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    return to_decimal(value)


def to_utc_datetime(value: Any) -> datetime:
    """UTC-aware datetime from Unix seconds (int, Decimal or numeric string) or an ISO-8601 string."""
    if isinstance(value, bool):
        raise ValueError("a boolean is not a timestamp")
    if isinstance(value, datetime):
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    if isinstance(value, str):
        text = value.strip()
        if not text:
            raise ValueError("empty timestamp")
        try:
            number: Any = to_decimal(text)
        except ValueError:
            parsed = datetime.fromisoformat(text)
            return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)
        value = number
    if isinstance(value, (int, float, Decimal)):
        seconds = Decimal(value) if not isinstance(value, Decimal) else value
        if not seconds.is_finite():
            raise ValueError("not a finite timestamp")
        if abs(seconds) >= _MAX_UNIX_SECONDS:
            seconds = seconds / 1000
        return datetime.fromtimestamp(int(seconds), tz=UTC)
    raise ValueError(f"not a timestamp: {type(value).__name__}")


def to_optional_utc_datetime(value: Any) -> datetime | None:
    """Like ``to_utc_datetime`` but ``None``, ``""`` and ``0`` (REGOS's "not set") become ``None``."""
    if value is None or value == "" or (not isinstance(value, bool) and value == 0):
        return None
    return to_utc_datetime(value)


def optional_int(value: Any) -> int | None:
    """An integer field of an answer, or ``None`` when it is missing or not a number (a bool is not one)."""
    if value is None or isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def to_unix(value: datetime | int) -> int:
    """Unix seconds for a request filter. Naive datetimes are refused: a wrong zone shifts a whole day by 5 h."""
    if isinstance(value, bool):
        raise TypeError("a boolean is not a timestamp")
    if isinstance(value, int):
        return value
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError("naive datetime: attach a time zone (REGOS dates are Unix seconds, UTC)")
        return int(value.timestamp())
    raise TypeError(f"not a timestamp: {type(value).__name__}")


def day_bounds(day: date, tz: str = DEFAULT_TIMEZONE) -> tuple[int, int]:
    """Unix seconds of the first and last second of a business day in ``tz`` (both inclusive).

    REGOS does not document whether ``end_date`` is inclusive; the last second keeps either reading correct
    except for a record stamped exactly at 23:59:59 on an exclusive server, so assign records by their own
    ``date`` rather than by the window that fetched them.
    """
    zone = ZoneInfo(tz)
    start = datetime.combine(day, time.min, tzinfo=zone)
    end = datetime.combine(day + timedelta(days=1), time.min, tzinfo=zone)
    return int(start.timestamp()), int(end.timestamp()) - 1


def business_day(moment: datetime, tz: str = DEFAULT_TIMEZONE) -> date:
    """The calendar day in ``tz`` that ``moment`` belongs to."""
    return moment.astimezone(ZoneInfo(tz)).date()

"""REGOS enums.

REGOS sends enums as their names (``"Closed"``) but documents them with numbers too (``<Closed | 3>``), and the
numbers follow the declaration order with ``Default`` at 0. Every enum here accepts the name in any case, the
number, or the number as a string; a value it does not know becomes ``Unknown`` instead of failing the record.
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from typing import Any, TypeVar

_ALIASES = {"cancelled": "canceled", "aggregated": "agregated"}


def _normalise(name: str) -> str:
    text = name.strip().replace("_", "").replace("-", "").replace(" ", "").lower()
    return _ALIASES.get(text, text)


class RegosEnum(StrEnum):
    """Base: a str enum (serialises as the REGOS name) that also parses documented numbers."""

    @classmethod
    def _numbered(cls) -> list[RegosEnum]:
        return [member for member in cls if member.name != "Unknown"]

    @property
    def number(self) -> int | None:
        """The documented number, or ``None`` for ``Unknown``."""
        numbered = self._numbered()
        if self not in numbered:
            return None
        offset = 0 if numbered[0].name == "Default" else 1
        return numbered.index(self) + offset

    @classmethod
    def from_number(cls, number: int) -> RegosEnum | None:
        for member in cls._numbered():
            if member.number == number:
                return member
        return None

    @classmethod
    def _missing_(cls, value: object) -> Any:
        number: int | None = None
        if isinstance(value, bool):
            number = None
        elif isinstance(value, int):
            number = value
        elif isinstance(value, Decimal) and value.is_finite() and value == value.to_integral_value():
            number = int(value)
        elif isinstance(value, str):
            text = value.strip()
            if text.lstrip("-").isdigit():
                number = int(text)
            else:
                wanted = _normalise(text)
                for member in cls:
                    if _normalise(member.name) == wanted:
                        return member
        if number is not None:
            found = cls.from_number(number)
            if found is not None:
                return found
        return cls.__members__.get("Unknown")


class DocChequeStatus(RegosEnum):
    Default = "Default"
    Opened = "Opened"
    Paying = "Paying"
    Closed = "Closed"
    Delayed = "Delayed"
    DelayedPayment = "DelayedPayment"
    Canceled = "Canceled"
    Unknown = "Unknown"


class AgregateStatus(RegosEnum):
    Default = "Default"
    New = "New"
    Prepared = "Prepared"
    Agregated = "Agregated"
    Unknown = "Unknown"


class VatCalculationType(RegosEnum):
    Default = "Default"
    No = "No"
    Exclude = "Exclude"
    Include = "Include"
    Unknown = "Unknown"


class ItemType(RegosEnum):
    Default = "Default"
    Item = "Item"
    Service = "Service"
    Unknown = "Unknown"


class SortDirection(RegosEnum):
    Default = "Default"
    ASC = "ASC"
    DESC = "DESC"
    Unknown = "Unknown"


E = TypeVar("E", bound=RegosEnum)


def parse_enum(enum_cls: type[E], value: Any) -> E:
    """``enum_cls(value)`` that never raises for a string or a number (unknown values give ``Unknown``)."""
    if isinstance(value, enum_cls):
        return value
    return enum_cls(value)

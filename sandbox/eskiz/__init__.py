"""A fake Eskiz SMS gateway (see README.md)."""

from .server import FakeEskiz, RequestRecord
from .state import (
    DEFAULT_EMAIL,
    DEFAULT_NICK,
    DEFAULT_PART_PRICE,
    DEFAULT_PASSWORD,
    TEST_TEXTS,
    TOKEN_LIFETIME,
    Account,
    CallbackDelivery,
    FakeSms,
    sms_parts,
)

__all__ = [
    "DEFAULT_EMAIL",
    "DEFAULT_NICK",
    "DEFAULT_PART_PRICE",
    "DEFAULT_PASSWORD",
    "TEST_TEXTS",
    "TOKEN_LIFETIME",
    "Account",
    "CallbackDelivery",
    "FakeEskiz",
    "FakeSms",
    "RequestRecord",
    "sms_parts",
]

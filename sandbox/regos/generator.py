"""Deterministic data of a fake REGOS company, generated lazily per business day from (seed, date).

Nothing here depends on the client in ``services/regos``: the ground-truth totals are computed straight from the
generated records, so product tests can compare what the bot imported with what REGOS "really" holds.

The code lives in several modules; this one keeps the public names in one place:
``records`` (the record types and conventions), ``base`` (configuration, references, calendar, till moves, the
clock), ``daygen`` (one day's shifts, receipts and wholesale), ``truth`` (views as of a moment, stock levels,
ground truth) and ``mutations`` (late changes; the final ``RegosDataGenerator``).
"""

from __future__ import annotations

from .base import WEEKDAY_FACTORS, WHOLE_DAY, GeneratorConfig
from .mutations import RegosDataGenerator
from .records import (
    CENT,
    KIND_LINE,
    KIND_PAYMENT,
    KIND_RECEIPT,
    KIND_SESSION,
    STATUS_CANCELED,
    STATUS_CLOSED,
    STATUS_OPENED,
    ZERO,
    DayData,
    DayView,
    GroupRec,
    ItemRec,
    LineRec,
    PartnerRec,
    PaymentRec,
    PaymentTypeRec,
    ReceiptRec,
    SessionRec,
    StockRec,
    TillMove,
    TillRec,
    UserRec,
    WholesaleLineRec,
    WholesaleRec,
    day_of_uuid,
    effective_lines,
    effective_payments,
    make_uuid,
    money,
)
from .truth import DayTotals, EmployeeTotals, ItemTotals, PaymentTotals, totals_to_dict

__all__ = [
    "CENT",
    "KIND_LINE",
    "KIND_PAYMENT",
    "KIND_RECEIPT",
    "KIND_SESSION",
    "STATUS_CANCELED",
    "STATUS_CLOSED",
    "STATUS_OPENED",
    "WEEKDAY_FACTORS",
    "WHOLE_DAY",
    "ZERO",
    "DayData",
    "DayTotals",
    "DayView",
    "EmployeeTotals",
    "GeneratorConfig",
    "GroupRec",
    "ItemRec",
    "ItemTotals",
    "LineRec",
    "PartnerRec",
    "PaymentRec",
    "PaymentTotals",
    "PaymentTypeRec",
    "ReceiptRec",
    "RegosDataGenerator",
    "SessionRec",
    "StockRec",
    "TillMove",
    "TillRec",
    "UserRec",
    "WholesaleLineRec",
    "WholesaleRec",
    "day_of_uuid",
    "effective_lines",
    "effective_payments",
    "make_uuid",
    "money",
    "totals_to_dict",
]

"""A fake REGOS gateway with a deterministic generated company (see README.md)."""

from .faults import FaultPlan
from .generator import (
    DayTotals,
    EmployeeTotals,
    GeneratorConfig,
    ItemTotals,
    PaymentTotals,
    RegosDataGenerator,
    day_of_uuid,
    effective_lines,
    effective_payments,
)
from .server import FakeRegos, KeyConfig, OAuthClient, default_key_for, totals_to_dict

__all__ = [
    "DayTotals",
    "EmployeeTotals",
    "FakeRegos",
    "FaultPlan",
    "GeneratorConfig",
    "ItemTotals",
    "KeyConfig",
    "OAuthClient",
    "PaymentTotals",
    "RegosDataGenerator",
    "day_of_uuid",
    "default_key_for",
    "effective_lines",
    "effective_payments",
    "totals_to_dict",
]

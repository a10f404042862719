"""A fake REGOS gateway with a deterministic generated company (see README.md)."""

from .faults import FAULT_LEVELS, FaultPlan
from .generator import (
    WHOLE_DAY,
    DayTotals,
    EmployeeTotals,
    GeneratorConfig,
    ItemTotals,
    PaymentTotals,
    RegosDataGenerator,
    TillMove,
    day_of_uuid,
    effective_lines,
    effective_payments,
)
from .server import FakeRegos, KeyConfig, OAuthClient, ReportSkew, default_key_for, totals_to_dict

__all__ = [
    "FAULT_LEVELS",
    "WHOLE_DAY",
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
    "ReportSkew",
    "TillMove",
    "day_of_uuid",
    "default_key_for",
    "effective_lines",
    "effective_payments",
    "totals_to_dict",
]

"""The money arithmetic of the tax reports, pure and exact (Decimal), with one rounding rule.

Rounding: every tax amount is rounded once, to the tiyin (0.01 so'm), half up, at the moment it is computed from its
base; sums of rounded amounts are not rounded again. (Receipts and e-invoices carry amounts to 2 decimals; the Tax
Code sets no other rule for the calculations — ../shared/reference/uz_tax_payroll.md, section 8.)

- VAT in a VAT-inclusive price: gross × rate / (1 + rate) (12%: 112 000 → 12 000).
- VAT payable = output − input − carried in; a negative result is carried forward, never refunded here.
- Turnover tax: revenue less returns × rate. Profit tax: max(0, profit) × rate.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

ZERO = Decimal("0.00")
TIYIN = Decimal("0.01")


def money(value: Decimal | int) -> Decimal:
    """Rounded to the tiyin, half up."""
    return Decimal(value).quantize(TIYIN, rounding=ROUND_HALF_UP)


def money_text(value: Decimal | int) -> str:
    return f"{money(value):f}"


def vat_in_gross(gross: Decimal, rate: Decimal) -> Decimal:
    """The VAT contained in a VAT-inclusive amount; `rate` is a fraction (0.12)."""
    if rate <= 0:
        return ZERO
    return money(Decimal(gross) * rate / (1 + rate))


def tax_on(base: Decimal, rate: Decimal) -> Decimal:
    """A tax charged on top of a base (turnover, profit); a negative base owes nothing."""
    if base <= 0 or rate <= 0:
        return ZERO
    return money(Decimal(base) * rate)


@dataclass(frozen=True, slots=True)
class VatBalance:
    output: Decimal
    input: Decimal
    carried_in: Decimal
    payable: Decimal  # to pay this month (never negative)
    carried_out: Decimal  # input VAT left over for the next month (never negative)


def vat_balance(output: Decimal, input_vat: Decimal, carried_in: Decimal) -> VatBalance:
    difference = money(output) - money(input_vat) - money(carried_in)
    return VatBalance(money(output), money(input_vat), money(carried_in),
                      difference if difference > 0 else ZERO, -difference if difference < 0 else ZERO)


EXEMPT_MARKS = ("siz", "без", "exempt", "free", "ozod", "освобож", "не облага")


def item_vat_class(rate: Decimal | None, name: str | None) -> str | None:
    """The VAT class of a REGOS item from its Item/Get `vat` (percent and name): a positive rate is standard-rated
    (at that rate), 0 is zero-rated unless the name says the item is outside VAT ("QQSsiz", "Без НДС", "exempt");
    None when REGOS gives no VAT at all."""
    if rate is None:
        text = (name or "").lower()
        return "exempt" if text and any(mark in text for mark in EXEMPT_MARKS) else None
    if rate > 0:
        return "standard"
    text = (name or "").lower()
    return "exempt" if any(mark in text for mark in EXEMPT_MARKS) else "zero"


def share(part: Decimal, whole: Decimal) -> Decimal:
    """part / whole as a fraction with 4 decimals (0 when whole is 0)."""
    if whole <= 0:
        return Decimal("0.0000")
    return (Decimal(part) / Decimal(whole)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def percent_text(rate: Decimal) -> str:
    """0.12 → "12", 0.001 → "0.1"."""
    text = f"{(Decimal(rate) * 100).normalize():f}"
    return text


__all__ = ["TIYIN", "ZERO", "VatBalance", "item_vat_class", "money", "money_text", "percent_text", "share", "tax_on",
           "vat_balance", "vat_in_gross"]

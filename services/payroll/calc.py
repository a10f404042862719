"""The payroll arithmetic of one employee and one month, pure (no database): accruals, gross, taxes, net.

Rounding rule (the only one): every amount is rounded to whole so'm, half up (ROUND_HALF_UP), once, at the moment
it is computed from a rate or a fraction: the prorated base, each commission, a percentage plan bonus, PIT, INPS,
social tax, an advance. Everything else is a sum or difference of amounts already rounded, so totals add up to the
so'm and nothing is rounded twice. The budget part of PIT is PIT minus INPS (not rounded on its own), so
``pit_budget + inps == pit`` always. Sales figures from REGOS are used as they are (to the tiyin).

What the lines mean:
- gross = base + retail commission + wholesale commission + plan bonus + manual bonuses (all taxable wages);
- PIT = gross × pit rate (12%); INPS = gross × inps rate (0.1%) is *part* of PIT, not on top of it;
- net = gross − PIT − advance already paid − penalties and deductions (these are withheld after tax);
- employer social tax = gross × 12%, or × the relief rate (1%) when the employee qualifies and the owner enabled it;
  it is not withheld from the employee; employer cost = gross + social tax.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from services.payroll.rates import PayrollRates

ZERO = Decimal("0.00")
HUNDRED = Decimal(100)


def som(value: Decimal | int) -> Decimal:
    """Whole so'm, half up, kept with two places as the database stores money (5000000.00)."""
    return Decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP).quantize(Decimal("0.01"))


def percent_of(amount: Decimal, percent: Decimal) -> Decimal:
    """``percent`` (2.5 means 2.5%) of ``amount``, rounded."""
    return som(amount * percent / HUNDRED)


def prorate(amount: Decimal, days_worked: int, working_days: int) -> Decimal:
    if working_days <= 0:
        return ZERO
    return som(amount * days_worked / working_days)


@dataclass(frozen=True, slots=True)
class IncomeTax:
    pit: Decimal
    inps: Decimal

    @property
    def pit_budget(self) -> Decimal:
        return self.pit - self.inps


def income_tax(gross: Decimal, rates: PayrollRates) -> IncomeTax:
    if gross <= 0:
        return IncomeTax(ZERO, ZERO)
    return IncomeTax(som(gross * rates.pit), som(gross * rates.inps))


def social_tax(gross: Decimal, rate: Decimal) -> Decimal:
    return som(gross * rate) if gross > 0 else ZERO


@dataclass(frozen=True, slots=True)
class Terms:
    """The pay scheme in force for the month (see db.payroll.PayScheme)."""

    base_salary: Decimal = ZERO
    retail_commission_pct: Decimal = ZERO
    wholesale_commission_pct: Decimal = ZERO
    plan_target: Decimal | None = None
    plan_scope: str = "employee"
    plan_bonus: Decimal = ZERO
    plan_bonus_kind: str = "fixed"


@dataclass(slots=True)
class MonthInput:
    """What is known about one employee for the month. ``None`` sales mean "cannot be known" (no REGOS user, no
    branch): the commission is zero and a warning says why."""

    terms: Terms
    days_worked: int
    working_days: int
    retail_sales: Decimal | None = ZERO
    wholesale_sales: Decimal | None = ZERO
    plan_sales: Decimal | None = None  # what the plan target is measured on; None = not known
    manual_bonus: Decimal = ZERO
    deductions: Decimal = ZERO  # penalties + deductions, positive
    advance_paid: Decimal = ZERO
    # relief facts
    relief_enabled: bool = False
    birth_date: date | None = None
    low_income_family: bool = False
    month: date | None = None


def warning(code: str, text: str, **params: Any) -> dict[str, Any]:
    """A warning as stored and exported: a stable code (for translations), an English text and its figures."""
    return {"code": code, "text": text, **{k: (f"{v:f}" if isinstance(v, Decimal) else v) for k, v in params.items()}}


@dataclass(slots=True)
class LineResult:
    days_worked: int
    working_days: int
    base: Decimal = ZERO
    retail_sales: Decimal = ZERO
    retail_commission: Decimal = ZERO
    wholesale_sales: Decimal = ZERO
    wholesale_commission: Decimal = ZERO
    plan_bonus: Decimal = ZERO
    manual_bonus: Decimal = ZERO
    deductions: Decimal = ZERO
    gross: Decimal = ZERO
    pit: Decimal = ZERO
    pit_budget: Decimal = ZERO
    inps: Decimal = ZERO
    advance: Decimal = ZERO
    net: Decimal = ZERO
    social_tax_rate: Decimal = ZERO
    social_tax: Decimal = ZERO
    relief: str | None = None
    warnings: list[dict[str, Any]] = field(default_factory=list)

    @property
    def bonus(self) -> Decimal:
        return self.plan_bonus + self.manual_bonus

    @property
    def employer_cost(self) -> Decimal:
        return self.gross + self.social_tax


def _age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def relief_for(gross: Decimal, data: MonthInput, rates: PayrollRates) -> str | None:
    """Which 1% social-tax relief the employee qualifies for this month, if the owner enabled the reliefs."""
    if not data.relief_enabled or rates.social_tax_relief is None or gross <= 0:
        return None
    if (data.birth_date is not None and data.month is not None and rates.relief_youth_max_age is not None
            and rates.relief_youth_min_mrot is not None
            and _age_on(data.birth_date, data.month) <= rates.relief_youth_max_age
            and gross >= rates.relief_youth_min_mrot * rates.mrot):
        return "youth"
    if (data.low_income_family and rates.relief_low_income_min_mrot is not None
            and gross >= rates.relief_low_income_min_mrot * rates.mrot):
        return "low_income"
    return None


def _plan_bonus(terms: Terms, data: MonthInput, result: LineResult) -> Decimal:
    if terms.plan_target is None or terms.plan_target <= 0 or terms.plan_bonus <= 0:
        return ZERO
    if data.plan_sales is None:
        result.warnings.append(warning("plan_unknown", "the plan's sales are not known (no branch or no REGOS "
                                                       "user): no plan bonus"))
        return ZERO
    if data.plan_sales < terms.plan_target:
        return ZERO
    if terms.plan_bonus_kind == "percent":
        return percent_of(data.plan_sales, terms.plan_bonus)
    return som(terms.plan_bonus)


def compute_line(data: MonthInput, rates: PayrollRates) -> LineResult:
    """One employee's monthly payroll line (see the module docstring for every rule)."""
    terms = data.terms
    result = LineResult(days_worked=data.days_worked, working_days=data.working_days)
    result.base = prorate(terms.base_salary, data.days_worked, data.working_days)

    if data.retail_sales is None:
        if terms.retail_commission_pct > 0:
            result.warnings.append(warning("no_regos_user", "no REGOS user is mapped to this employee, so their "
                                                            "sales are not known: retail commission is 0"))
    else:
        result.retail_sales = data.retail_sales
        if data.retail_sales < 0:
            result.warnings.append(warning("negative_sales", "returns exceed sales this month: no retail commission",
                                           retail_sales=data.retail_sales))
        else:
            result.retail_commission = percent_of(data.retail_sales, terms.retail_commission_pct)
    if data.wholesale_sales is None:
        if terms.wholesale_commission_pct > 0:
            result.warnings.append(warning("no_regos_user_wholesale", "no REGOS user is mapped to this employee, "
                                                                      "so their wholesale sales are not known: "
                                                                      "wholesale commission is 0"))
    else:
        result.wholesale_sales = data.wholesale_sales
        if data.wholesale_sales > 0:
            result.wholesale_commission = percent_of(data.wholesale_sales, terms.wholesale_commission_pct)
    result.plan_bonus = _plan_bonus(terms, data, result)
    result.manual_bonus = som(data.manual_bonus)
    result.deductions = som(data.deductions)
    result.advance = som(data.advance_paid)

    result.gross = (result.base + result.retail_commission + result.wholesale_commission + result.plan_bonus
                    + result.manual_bonus)
    tax = income_tax(result.gross, rates)
    result.pit, result.inps, result.pit_budget = tax.pit, tax.inps, tax.pit_budget
    result.net = result.gross - result.pit - result.advance - result.deductions

    result.relief = relief_for(result.gross, data, rates)
    result.social_tax_rate = rates.social_tax_relief if result.relief and rates.social_tax_relief is not None \
        else rates.social_tax
    result.social_tax = social_tax(result.gross, result.social_tax_rate)

    if data.days_worked > 0 and data.working_days > 0:
        floor = prorate(rates.mrot, min(data.days_worked, data.working_days), data.working_days)
        if result.gross < floor:
            result.warnings.append(warning(
                "below_mrot", "gross is below the minimum wage (MROT) for the days worked", floor=floor,
                mrot=som(rates.mrot)))
    if result.net < 0:
        result.warnings.append(warning("negative_net", "deductions and the advance exceed the pay: net is "
                                                       "negative and nothing is paid until it is resolved",
                                       net=result.net))
    return result


def compute_advance(terms: Terms, days_worked: int, working_days: int, percent: Decimal) -> LineResult:
    """An advance (avans) line: ``percent`` of the prorated base salary, paid mid-month without withholding; PIT is
    withheld on the whole month's gross in the monthly run, where the advance is subtracted."""
    result = LineResult(days_worked=days_worked, working_days=working_days)
    result.base = prorate(terms.base_salary, days_worked, working_days)
    result.advance = percent_of(result.base, percent)
    result.net = result.advance
    return result

"""The payroll arithmetic (services/payroll/calc.py): hand-computed cases and properties of the tax math."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from services.payroll.calc import (
    MonthInput,
    Terms,
    compute_advance,
    compute_line,
    income_tax,
    percent_of,
    prorate,
    social_tax,
    som,
)
from services.payroll.rates import PayrollRates
from services.payroll.workdays import is_working_day, month_working_days, parse_month, working_days

RATES = PayrollRates(
    on=date(2025, 11, 30), pit=Decimal("0.12"), inps=Decimal("0.001"), social_tax=Decimal("0.12"),
    mrot=Decimal("1271000"), brv=Decimal("412000"), social_tax_relief=Decimal("0.01"),
    relief_youth_max_age=Decimal(30), relief_youth_min_mrot=Decimal("2.5"), relief_low_income_min_mrot=Decimal("1.5"),
)
D = Decimal


def full_month(terms: Terms, **extra: object) -> MonthInput:
    return MonthInput(terms=terms, days_worked=20, working_days=20, **extra)  # type: ignore[arg-type]


def test_the_reference_case_gross_five_million() -> None:
    line = compute_line(full_month(Terms(base_salary=D(5_000_000))), RATES)
    assert line.gross == D("5000000")
    assert line.pit == D("600000")
    assert line.pit_budget == D("595000")
    assert line.inps == D("5000")
    assert line.net == D("4400000")
    assert line.social_tax == D("600000")
    assert line.employer_cost == D("5600000")
    assert line.warnings == []


def test_gross_adds_commissions_plan_bonus_and_manual_bonus() -> None:
    terms = Terms(base_salary=D(3_000_000), retail_commission_pct=D("1.5"), wholesale_commission_pct=D("0.5"),
                  plan_target=D(80_000_000), plan_bonus=D(500_000))
    line = compute_line(full_month(terms, retail_sales=D("100000000.40"), wholesale_sales=D(20_000_000),
                                   plan_sales=D("100000000.40"), manual_bonus=D(200_000)), RATES)
    assert line.retail_commission == D(1_500_000)  # 1 500 000.006 → whole so'm
    assert line.wholesale_commission == D(100_000)
    assert line.plan_bonus == D(500_000)
    assert line.gross == D(3_000_000 + 1_500_000 + 100_000 + 500_000 + 200_000)
    assert line.bonus == D(700_000)


def test_plan_bonus_fixed_or_percent_only_when_the_target_is_met() -> None:
    fixed = Terms(plan_target=D(10_000_000), plan_bonus=D(300_000))
    assert compute_line(full_month(fixed, plan_sales=D(9_999_999)), RATES).plan_bonus == 0
    assert compute_line(full_month(fixed, plan_sales=D(10_000_000)), RATES).plan_bonus == D(300_000)
    share = Terms(plan_target=D(10_000_000), plan_bonus=D(2), plan_bonus_kind="percent")
    assert compute_line(full_month(share, plan_sales=D(12_345_678)), RATES).plan_bonus == D(246_914)
    unknown = compute_line(full_month(fixed, plan_sales=None), RATES)
    assert unknown.plan_bonus == 0 and [w["code"] for w in unknown.warnings] == ["plan_unknown", "below_mrot"]


def test_proration_by_days_worked() -> None:
    line = compute_line(MonthInput(Terms(base_salary=D(4_000_000)), days_worked=7, working_days=22), RATES)
    assert line.base == D(1_272_727)  # 4 000 000 × 7 / 22 = 1 272 727.27
    assert prorate(D(4_000_000), 11, 22) == D(2_000_000)
    assert prorate(D(4_000_000), 0, 22) == 0


def test_mrot_warning_for_a_full_month_and_pro_rata() -> None:
    low = compute_line(full_month(Terms(base_salary=D(1_200_000))), RATES)
    assert [w["code"] for w in low.warnings] == ["below_mrot"]
    assert low.warnings[0]["floor"] == "1271000.00"
    assert compute_line(full_month(Terms(base_salary=D(1_271_000))), RATES).warnings == []
    # Half the month at a salary above MROT: the floor is half of MROT, and the pay is above it.
    half = compute_line(MonthInput(Terms(base_salary=D(1_300_000)), days_worked=10, working_days=20), RATES)
    assert half.warnings == []
    half_low = compute_line(MonthInput(Terms(base_salary=D(1_000_000)), days_worked=10, working_days=20), RATES)
    assert half_low.warnings[0]["floor"] == "635500.00"


def test_advance_deductions_and_negative_net() -> None:
    line = compute_line(full_month(Terms(base_salary=D(5_000_000)), advance_paid=D(2_000_000),
                                   deductions=D(100_000)), RATES)
    assert line.net == D(5_000_000 - 600_000 - 2_000_000 - 100_000)
    negative = compute_line(full_month(Terms(base_salary=D(2_000_000)), advance_paid=D(1_000_000),
                                       deductions=D(900_000)), RATES)
    assert negative.net == D(2_000_000 - 240_000 - 1_000_000 - 900_000)
    assert "negative_net" in [w["code"] for w in negative.warnings]


def test_an_advance_is_a_share_of_the_prorated_base_without_withholding() -> None:
    advance = compute_advance(Terms(base_salary=D(5_000_000)), 22, 22, D(40))
    assert (advance.advance, advance.net, advance.pit, advance.gross) == (D(2_000_000), D(2_000_000), 0, 0)
    assert compute_advance(Terms(base_salary=D(5_000_000)), 11, 22, D(50)).advance == D(1_250_000)


def test_no_regos_user_means_no_commission_and_says_why() -> None:
    line = compute_line(full_month(Terms(base_salary=D(3_000_000), retail_commission_pct=D(2)), retail_sales=None),
                        RATES)
    assert line.retail_commission == 0
    assert [w["code"] for w in line.warnings] == ["no_regos_user"]
    returns = compute_line(full_month(Terms(base_salary=D(3_000_000), retail_commission_pct=D(2)),
                                      retail_sales=D(-50_000)), RATES)
    assert returns.retail_commission == 0 and returns.warnings[0]["code"] == "negative_sales"


def test_social_tax_relief_only_when_enabled_and_qualifying() -> None:
    terms = Terms(base_salary=D(4_000_000))  # ≥ 2.5 × 1 271 000 = 3 177 500
    young = dict(birth_date=date(1998, 5, 1), month=date(2025, 11, 1))
    assert compute_line(full_month(terms, **young), RATES).social_tax == D(480_000)  # not enabled
    line = compute_line(full_month(terms, relief_enabled=True, **young), RATES)
    assert (line.relief, line.social_tax_rate, line.social_tax) == ("youth", D("0.01"), D(40_000))
    old = compute_line(full_month(terms, relief_enabled=True, birth_date=date(1990, 1, 1), month=date(2025, 11, 1)),
                       RATES)
    assert old.relief is None and old.social_tax == D(480_000)
    low_pay = compute_line(full_month(Terms(base_salary=D(3_000_000)), relief_enabled=True, **young), RATES)
    assert low_pay.relief is None
    family = compute_line(full_month(Terms(base_salary=D(2_000_000)), relief_enabled=True, low_income_family=True),
                          RATES)
    assert family.relief == "low_income" and family.social_tax == D(20_000)
    without_rows = PayrollRates(on=RATES.on, pit=RATES.pit, inps=RATES.inps, social_tax=RATES.social_tax,
                                mrot=RATES.mrot)
    assert compute_line(full_month(terms, relief_enabled=True, **young), without_rows).relief is None


def test_working_days_of_uzbekistan() -> None:
    assert month_working_days(date(2025, 3, 1)) == 18  # 8 March moved to Monday 10th, Navro'z, Ramadan Hayit
    assert not is_working_day(date(2025, 3, 21))  # Navro'z
    assert is_working_day(date(2025, 1, 4))  # a Saturday worked for the moved 2 January
    assert not is_working_day(date(2025, 1, 2))
    assert is_working_day(date(2025, 1, 2), 6)  # the 6-day week keeps it
    assert month_working_days(date(2025, 1, 1), 6) == 26
    assert working_days(date(2025, 1, 31), date(2025, 1, 1)) == 0
    assert parse_month("2026-11") == date(2026, 11, 1)


AMOUNTS = st.decimals(min_value=0, max_value=10**12, places=2, allow_nan=False, allow_infinity=False)
PERCENTS = st.decimals(min_value=0, max_value=100, places=4, allow_nan=False, allow_infinity=False)


@given(AMOUNTS)
def test_pit_parts_add_up_and_are_whole_som(gross: Decimal) -> None:
    tax = income_tax(gross, RATES)
    assert tax.pit_budget + tax.inps == tax.pit
    for amount in (tax.pit, tax.inps, tax.pit_budget):
        assert amount == amount.to_integral_value() and amount >= 0
    assert abs(tax.pit - gross * RATES.pit) <= D("0.5")
    assert abs(tax.inps - gross * RATES.inps) <= D("0.5")
    assert abs(tax.pit_budget - gross * (RATES.pit - RATES.inps)) <= 1  # the budget's 11.9%, within a so'm


@given(AMOUNTS, st.sampled_from([D("0.12"), D("0.01")]))
def test_social_tax_is_the_rate_rounded_once(gross: Decimal, rate: Decimal) -> None:
    tax = social_tax(gross, rate)
    assert tax == som(tax) and abs(tax - gross * rate) <= D("0.5")


@given(AMOUNTS, PERCENTS)
def test_percent_of_is_rounded_half_up_to_the_som(amount: Decimal, percent: Decimal) -> None:
    value = percent_of(amount, percent)
    exact = amount * percent / 100
    assert value == value.to_integral_value()
    assert exact - D("0.5") <= value <= exact + D("0.5")
    assert value <= amount + D("0.5")


@given(
    base=AMOUNTS, retail=AMOUNTS, retail_pct=PERCENTS, bonus=AMOUNTS, deductions=AMOUNTS, advance=AMOUNTS,
    days=st.integers(min_value=0, max_value=26), total=st.integers(min_value=1, max_value=26),
)
def test_a_line_balances_to_the_som(base: Decimal, retail: Decimal, retail_pct: Decimal, bonus: Decimal,
                                    deductions: Decimal, advance: Decimal, days: int, total: int) -> None:
    days = min(days, total)
    line = compute_line(MonthInput(Terms(base_salary=base, retail_commission_pct=retail_pct), days_worked=days,
                                   working_days=total, retail_sales=retail, manual_bonus=bonus,
                                   deductions=deductions, advance_paid=advance), RATES)
    assert line.gross == line.base + line.retail_commission + line.wholesale_commission + line.bonus
    assert line.net + line.pit + line.advance + line.deductions == line.gross
    assert line.pit_budget + line.inps == line.pit
    assert line.base <= som(base) and line.gross >= 0
    assert line.employer_cost == line.gross + line.social_tax
    assert ("negative_net" in [w["code"] for w in line.warnings]) == (line.net < 0)
    for name in ("base", "retail_commission", "gross", "pit", "inps", "net", "social_tax"):
        value = getattr(line, name)
        assert value == value.to_integral_value(), name

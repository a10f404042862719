"""The tax arithmetic (services/tax/calc.py) and calendar (services/tax/periods.py): hand-computed examples from the
law and properties that hold for any amounts (hypothesis)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.tax.calc import money, percent_text, tax_on, vat_balance, vat_in_gross
from services.tax.periods import (
    Deadline,
    PeriodInvalid,
    deadline,
    deadlines_for,
    parse_period,
    quarter_months,
    working_day_on_or_after,
)

D = Decimal
RATE = D("0.12")
amounts = st.decimals(min_value=D("0"), max_value=D("100000000000"), places=2, allow_nan=False,
                      allow_infinity=False)


def test_hand_computed_examples() -> None:
    assert vat_in_gross(D(112_000), RATE) == D("12000.00")  # the reference's retail example
    assert vat_in_gross(D(4_032), RATE) == D("432.00")  # e-invoice example: 3 600 + 432
    assert vat_in_gross(D("100.00"), RATE) == D("10.71")  # 10.714… half up
    assert vat_in_gross(D(1000), D(0)) == D("0.00")  # zero-rated
    assert tax_on(D(12_000_000), D("0.04")) == D("480000.00")
    assert tax_on(D(-5), D("0.15")) == D("0.00")  # a loss owes no profit tax
    balance = vat_balance(D(396_000), D(300_000), D(150_000))
    assert (balance.payable, balance.carried_out) == (D(0), D(54_000))
    assert vat_balance(D(500_000), D(300_000), D(54_000)).payable == D(146_000)
    assert (percent_text(D("0.12")), percent_text(D("0.001"))) == ("12", "0.1")


@given(amounts)
def test_vat_in_gross_is_the_net_difference(gross: Decimal) -> None:
    vat = vat_in_gross(gross, RATE)
    assert vat == money(vat) and D(0) <= vat <= gross
    net = gross - vat
    assert abs(net * RATE - vat) <= D("0.01")  # VAT is 12% of the price without it, to the tiyin


@given(amounts, amounts)
def test_vat_in_gross_adds_up_to_a_tiyin_per_part(a: Decimal, b: Decimal) -> None:
    assert abs(vat_in_gross(a + b, RATE) - vat_in_gross(a, RATE) - vat_in_gross(b, RATE)) <= D("0.01")


@given(amounts, amounts, amounts)
def test_vat_balance_pays_or_carries_never_both(output: Decimal, input_vat: Decimal, carried: Decimal) -> None:
    balance = vat_balance(output, input_vat, carried)
    assert balance.payable >= 0 and balance.carried_out >= 0
    assert balance.payable == 0 or balance.carried_out == 0
    assert balance.payable - balance.carried_out == output - input_vat - carried


@given(amounts)
def test_turnover_tax_is_exact(base: Decimal) -> None:
    assert tax_on(base, D("0.04")) == money(base * D("0.04"))


def test_deadlines_move_past_weekends_and_holidays() -> None:
    # February 2026: VAT by 20 March — Eid al-Fitr (20th), Saturday Nowruz, Sunday, Nowruz observed (23rd) → 24th
    assert deadline(Deadline.VAT, date(2026, 2, 1)) == date(2026, 3, 24)
    # February 2025: PIT and social tax by 15 March, a Saturday → Monday 17 March
    assert deadline(Deadline.PIT_SOCIAL, date(2025, 2, 1)) == date(2025, 3, 17)
    assert deadline(Deadline.TURNOVER, date(2025, 10, 1)) == date(2025, 11, 17)  # 15 November 2025: a Saturday
    assert deadline(Deadline.PIT_SOCIAL, date(2025, 9, 1)) == date(2025, 10, 15)  # a Wednesday: stays
    assert deadline(Deadline.PROFIT, date(2025, 12, 1)) == date(2026, 3, 2)  # 1 March 2026 is a Sunday
    assert deadline(Deadline.PROFIT, date(2025, 9, 1)) == date(2025, 10, 20)
    assert deadline(Deadline.PIT_SOCIAL_ANNUAL, date(2025, 12, 1)) == date(2026, 2, 16)  # 15 Feb: a Sunday
    assert working_day_on_or_after(date(2026, 1, 1)) == date(2026, 1, 5)  # New Year, day off, weekend


def test_which_deadlines_a_month_has() -> None:
    assert list(deadlines_for(date(2025, 11, 1), vat=True, turnover=False, profit=False)) == ["pit_social", "vat"]
    assert list(deadlines_for(date(2025, 12, 1), vat=False, turnover=True, profit=False)) == [
        "pit_social", "turnover", "pit_social_annual"]


def test_periods() -> None:
    assert parse_period("2026-3") == date(2026, 3, 1)
    assert quarter_months(date(2026, 8, 1)) == [date(2026, 7, 1), date(2026, 8, 1), date(2026, 9, 1)]
    for bad in ("2026-13", "march", "", "26-01", "2026-00"):
        with pytest.raises(PeriodInvalid):
            parse_period(bad)

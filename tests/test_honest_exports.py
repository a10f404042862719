"""Unit checks for issue 11 items 1, 3 and 11: honest changes, Excel-ready CSV, telling file names, the day a
summary after midnight covers, missing-day ranges."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from services.reports.coverage import Coverage
from services.reports.exports import ExportFormat, _plain, csv_dialect, export_file_name
from services.reports.exports import Kind as ExportKind
from services.reports.periods import Period
from services.reports.sales import BranchRef, change_percent
from services.summary_delivery import covered_day


def test_no_percentage_against_a_zero_or_negative_base() -> None:
    assert change_percent(Decimal(100), Decimal(-50)) is None
    assert change_percent(Decimal(100), Decimal(0)) is None
    assert change_percent(Decimal(100), None) is None
    assert change_percent(Decimal(150), Decimal(100)) == Decimal("50.0")


def test_csv_dialect_for_uzbek_and_russian_excel() -> None:
    assert csv_dialect("uz") == (";", ",") and csv_dialect("ru") == (";", ",")
    assert csv_dialect("en") == (",", ".")
    assert _plain(Decimal("12345.50"), ExportKind.MONEY, ",") == "12345,50"
    assert _plain(Decimal("12.3"), ExportKind.PERCENT, ",") == "12,3"


class _Report:
    def __init__(self, scope: list[BranchRef] | None, first: date, last: date) -> None:
        self.company_id, self.company_name, self.scope, self.period = 7, "Oila Market", scope, Period(first, last)


def test_file_names_tell_branch_and_period_apart() -> None:
    nov = (date(2026, 11, 1), date(2026, 11, 15))
    names = {
        export_file_name(_Report(None, *nov), ExportFormat.CSV),  # type: ignore[arg-type]
        export_file_name(_Report([BranchRef(2, "Chilonzor")], *nov), ExportFormat.CSV),  # type: ignore[arg-type]
        export_file_name(_Report([BranchRef(3, "Chilonzor")], *nov), ExportFormat.CSV),  # type: ignore[arg-type]
        export_file_name(_Report(None, date(2026, 11, 1), date(2026, 11, 30)), ExportFormat.CSV),  # type: ignore[arg-type]
    }
    assert len(names) == 4
    assert "sales_Oila-Market_Chilonzor-2_20261101-20261115.csv" in names


def test_summary_after_midnight_covers_the_day_before() -> None:
    assert covered_day(date(2026, 12, 2), 0) == date(2026, 12, 1)
    assert covered_day(date(2026, 12, 2), 5) == date(2026, 12, 1)
    assert covered_day(date(2026, 12, 2), 21) == date(2026, 12, 2)


def test_missing_days_as_ranges() -> None:
    days = (date(2026, 11, 1), date(2026, 11, 2), date(2026, 11, 5))
    found = Coverage(Period(date(2026, 11, 1), date(2026, 11, 7)), days)
    assert not found.complete
    assert found.ranges() == [(date(2026, 11, 1), date(2026, 11, 2)), (date(2026, 11, 5), date(2026, 11, 5))]

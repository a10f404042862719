"""Every key exists in every language with the same placeholders; numbers and dates format per locale."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from fluent.syntax import FluentParser, ast
from hypothesis import given
from hypothesis import strategies as st

from core.i18n import translate
from services.locale import SUPPORTED_LOCALES, format_date, format_money, format_number, normalize_locale

LOCALES = Path(__file__).resolve().parent.parent / "locales"


def _variables(node: object) -> set[str]:
    if isinstance(node, ast.VariableReference):
        return {node.id.name}
    found: set[str] = set()
    if isinstance(node, ast.BaseNode):
        for value in vars(node).values():
            for child in value if isinstance(value, list) else [value]:
                found |= _variables(child)
    return found


def _messages(locale: str) -> dict[str, set[str]]:
    """key -> set of variable names used in it."""
    found: dict[str, set[str]] = {}
    for path in sorted((LOCALES / locale).glob("*.ftl")):
        resource = FluentParser().parse(path.read_text(encoding="utf-8"))
        for entry in resource.body:
            if isinstance(entry, ast.Junk):
                raise AssertionError(f"{path}: cannot parse {(entry.content or '')[:80]!r}")
            if isinstance(entry, ast.Message):
                assert entry.id.name not in found, f"{locale}: duplicate key {entry.id.name}"
                found[entry.id.name] = _variables(entry)
    return found


def test_every_key_in_every_language_with_same_placeholders() -> None:
    catalogs = {locale: _messages(locale) for locale in SUPPORTED_LOCALES}
    reference = catalogs["en"]
    assert len(reference) > 50
    for locale, catalog in catalogs.items():
        missing = sorted(set(reference) - set(catalog))
        extra = sorted(set(catalog) - set(reference))
        assert not missing, f"{locale} lacks {missing}"
        assert not extra, f"{locale} has keys English lacks: {extra}"
        for key, variables in reference.items():
            assert catalog[key] == variables, f"{locale}:{key} uses {catalog[key]}, en uses {variables}"


def test_every_key_renders_in_every_language() -> None:
    for key, variables in _messages("en").items():
        for locale in SUPPORTED_LOCALES:
            text = translate(locale, key, **{name: "X" for name in variables})
            assert text and "{" not in text, (locale, key)


@pytest.mark.parametrize(
    ("locale", "expected"),
    [("uz", "5 000 000 soʻm"), ("ru", "5 000 000 сум"), ("en", "5 000 000 UZS")],
)
def test_money_per_locale(locale: str, expected: str) -> None:
    assert format_money(Decimal("5000000"), locale) == expected


def test_money_rounding_and_sign() -> None:
    assert format_money(Decimal("-1234.50"), "uz") == "-1 235 soʻm"
    assert format_money(Decimal("1234.5"), "ru", with_tiyin=True) == "1 234,50 сум"
    assert format_number(Decimal("999.995"), "en", places=2) == "1 000.00"


@given(st.decimals(min_value=Decimal("-1e15"), max_value=Decimal("1e15"), places=2, allow_nan=False))
def test_formatted_number_reads_back_to_the_same_amount(value: Decimal) -> None:
    for locale in SUPPORTED_LOCALES:
        text = format_number(value, locale, places=2)
        parsed = Decimal(text.replace(" ", "").replace(",", "."))
        assert parsed == value
        digits = text.lstrip("-").split(",")[0].split(".")[0].split(" ")
        assert all(len(group) == 3 for group in digits[1:]) and 1 <= len(digits[0]) <= 3


def test_dates_per_locale() -> None:
    day = date(2026, 11, 22)
    assert format_date(day, "en") == "22 November 2026"
    assert format_date(day, "ru") == "22 ноября 2026 г."
    assert format_date(day, "uz") == "2026-yil 22-noyabr"


@pytest.mark.parametrize(("code", "expected"), [("ru-RU", "ru"), ("uz", "uz"), ("en_US", "en"), ("de", None),
                                                 (None, None), ("", None)])
def test_normalize_locale(code: str | None, expected: str | None) -> None:
    assert normalize_locale(code) == expected

"""Uzbek phone numbers → 998XXXXXXXXX, whatever the spelling; everything else refused with a clear reason."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.errors import DomainError
from services.sms import InvalidPhoneError, format_phone, is_valid_phone, normalize_phone
from services.sms.phones import MOBILE_CODES

codes = st.sampled_from(sorted(MOBILE_CODES))
subscriber = st.text(alphabet="0123456789", min_size=7, max_size=7)
separator = st.sampled_from(["", " ", "-", ".", "  ", "\u00a0"])


@st.composite
def spelled(draw: st.DrawFn) -> tuple[str, str]:
    """(a way people write a number, the number as Eskiz wants it)."""
    code, rest = draw(codes), draw(subscriber)
    sep = draw(separator)
    groups = [code, rest[:3], rest[3:5], rest[5:]]
    if draw(st.booleans()):
        groups[0] = f"({code})"
    body = sep.join(groups)
    prefix = draw(st.sampled_from(["+998", "998", "00998", "8", ""]))
    joiner = draw(separator) if prefix else ""
    lead, trail = draw(st.sampled_from(["", " "])), draw(st.sampled_from(["", " ", "\t"]))
    return f"{lead}{prefix}{joiner}{body}{trail}", f"998{code}{rest}"


@given(spelled())
def test_every_spelling_normalises_to_twelve_digits(case: tuple[str, str]) -> None:
    raw, expected = case
    assert normalize_phone(raw) == expected


@given(spelled())
def test_normalising_is_idempotent_and_formatting_round_trips(case: tuple[str, str]) -> None:
    raw, _ = case
    once = normalize_phone(raw)
    assert normalize_phone(once) == once
    assert normalize_phone(format_phone(once)) == once
    assert format_phone(once).startswith("+998 ")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("+998 90 123-45-67", "998901234567"),
        ("8 90 123 45 67", "998901234567"),
        ("90 123 45 67", "998901234567"),
        ("(90) 123-45-67", "998901234567"),
        ("901234567", "998901234567"),
        ("998991234567", "998991234567"),
        ("+998(33)1234567", "998331234567"),
        ("00998 77 123 45 67", "998771234567"),
        (998901234567, "998901234567"),
    ],
)
def test_the_spellings_the_issue_names(raw: object, expected: str) -> None:
    assert normalize_phone(raw) == expected


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("", "empty"),
        ("   ", "empty"),
        (None, "empty"),
        ("+7 999 123 45 67", "country"),
        ("79991234567", "country"),
        ("+1 202 555 0123", "country"),
        ("90 123 45 6", "length"),
        ("9012345678", "length"),
        ("9989012345678", "length"),
        ("90 123 45 6a", "characters"),
        ("+998 90 123 45 67 ext 1", "characters"),
        ("٩٠١٢٣٤٥٦٧", "characters"),  # Arabic-Indic digits are digits to Python, not to Eskiz
        ("71 123 45 67", "operator"),  # a Tashkent landline cannot get an SMS
        ("+998 00 123 45 67", "operator"),
    ],
)
def test_invalid_numbers_are_refused_with_a_reason(raw: object, reason: str) -> None:
    with pytest.raises(InvalidPhoneError) as caught:
        normalize_phone(raw)
    assert caught.value.reason == reason
    message = str(caught.value)
    assert "not an Uzbek mobile number" in message and "+998 90 123 45 67" in message
    assert isinstance(caught.value, DomainError)  # handlers answer it like any refusal
    assert not is_valid_phone(raw)


@given(st.text(alphabet="0123456789", min_size=1, max_size=20).filter(lambda s: len(s) not in (9, 10, 12)))
def test_wrong_digit_counts_are_never_accepted(digits: str) -> None:
    with pytest.raises(InvalidPhoneError):
        normalize_phone(digits)


@given(st.text(min_size=1, max_size=30))
def test_any_text_is_either_a_valid_number_or_refused(raw: str) -> None:
    try:
        result = normalize_phone(raw)
    except InvalidPhoneError as error:
        assert error.reason in {"empty", "characters", "length", "country", "operator"}
    else:
        assert len(result) == 12 and result.isdigit() and result.startswith("998")
        assert result[3:5] in MOBILE_CODES

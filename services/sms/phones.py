"""Uzbek mobile numbers as Eskiz wants them: ``998XXXXXXXXX`` (12 digits, no ``+``).

Accepted spellings: ``+998 90 123-45-67``, ``998901234567``, ``00998 90 ...``, ``(90) 123 45 67``, ``90 123 45 67``,
``901234567`` and the old domestic ``8 90 123 45 67``; spaces, dashes, dots and brackets are ignored. Anything
else is refused with ``InvalidPhoneError`` saying why. The two digits after 998 must be a mobile operator code
(``MOBILE_CODES``): SMS cannot reach a landline such as 71 (Tashkent).
"""

from __future__ import annotations

import re
from typing import Any

from services.errors import ValidationFailed

COUNTRY_CODE = "998"
# Operator codes in use (Beeline 90/91, Ucell 93/94/50, Uzmobile 95/99/77, Mobiuz 97/88, Perfectum 98, Humans 33,
# OQ 20, Uztelecom 55). A new code is one line here.
MOBILE_CODES = frozenset({"20", "33", "50", "55", "77", "88", "90", "91", "93", "94", "95", "97", "98", "99"})
_SEPARATORS = re.compile(r"[\s\-.()\u00a0\u2010-\u2015]+")
EXAMPLE = "+998 90 123 45 67"


class InvalidPhoneError(ValidationFailed):
    """Not an Uzbek mobile number; ``reason`` is one of empty, characters, length, country, operator."""

    key = "error-invalid"

    def __init__(self, raw: str, reason: str, detail: str) -> None:
        super().__init__(None, value=raw)
        self.raw = raw
        self.reason = reason
        self.detail = detail

    def __str__(self) -> str:
        return f"{self.raw!r} is not an Uzbek mobile number: {self.detail} (for example {EXAMPLE})"


def normalize_phone(raw: Any) -> str:
    """``'+998 90 123-45-67'`` → ``'998901234567'``; raises ``InvalidPhoneError``."""
    text = "" if raw is None else str(raw)
    compact = _SEPARATORS.sub("", text.strip())
    if not compact:
        raise InvalidPhoneError(text, "empty", "the number is empty")
    if compact.startswith("+"):
        compact = compact[1:]
        if not compact.startswith(COUNTRY_CODE):
            raise InvalidPhoneError(text, "country", "only Uzbek numbers (+998) can be used")
    elif compact.startswith("00"):
        compact = compact[2:]
        if not compact.startswith(COUNTRY_CODE):
            raise InvalidPhoneError(text, "country", "only Uzbek numbers (+998) can be used")
    if not compact.isdigit() or not compact.isascii():
        raise InvalidPhoneError(text, "characters", "it may contain only digits, spaces, dashes, brackets and a +")
    if len(compact) == 12 and compact.startswith(COUNTRY_CODE):
        national = compact[3:]
    elif len(compact) == 9:
        national = compact
    elif len(compact) == 10 and compact.startswith("8"):
        national = compact[1:]  # the old domestic prefix: 8 90 123 45 67
    elif len(compact) >= 11 and not compact.startswith(COUNTRY_CODE):
        raise InvalidPhoneError(text, "country", "only Uzbek numbers (998 and 9 digits) can be used")
    else:
        raise InvalidPhoneError(text, "length", f"it has {len(compact)} digits, an Uzbek number has 9 after 998")
    if national[:2] not in MOBILE_CODES:
        raise InvalidPhoneError(text, "operator", f"{national[:2]} is not a mobile operator code")
    return COUNTRY_CODE + national


def is_valid_phone(raw: Any) -> bool:
    try:
        normalize_phone(raw)
    except InvalidPhoneError:
        return False
    return True


def format_phone(phone: str) -> str:
    """``998901234567`` → ``+998 90 123 45 67`` (for people to read)."""
    digits = normalize_phone(phone)
    return f"+998 {digits[3:5]} {digits[5:8]} {digits[8:10]} {digits[10:12]}"


def mask_phone(phone: str) -> str:
    """``998901234567`` → ``99890***4567`` for logs."""
    return f"{phone[:5]}***{phone[-4:]}" if len(phone) >= 9 else "***"

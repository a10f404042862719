"""Locale facts and number/date formatting per locale (`5 000 000 so'm`, `5 000 000 сум`)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

SUPPORTED_LOCALES = ("uz", "ru", "en")
DEFAULT_LOCALE = "uz"

CURRENCY_SUFFIX = {"uz": "soʻm", "ru": "сум", "en": "UZS"}
DECIMAL_SEPARATOR = {"uz": ",", "ru": ",", "en": "."}
GROUP_SEPARATOR = " "  # a plain space groups thousands in all three; it survives Telegram and copy-paste

MONTHS = {
    "uz": ["yanvar", "fevral", "mart", "aprel", "may", "iyun", "iyul", "avgust", "sentabr", "oktabr", "noyabr",
           "dekabr"],
    "ru": ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября",
           "ноября", "декабря"],
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"],
}


def normalize_locale(code: str | None) -> str | None:
    """Maps a Telegram language_code (`ru-RU`, `uz`) to a supported locale, or None."""
    if not code:
        return None
    base = code.lower().replace("_", "-").split("-")[0]
    return base if base in SUPPORTED_LOCALES else None


def _group(digits: str) -> str:
    parts = []
    while len(digits) > 3:
        parts.append(digits[-3:])
        digits = digits[:-3]
    parts.append(digits)
    return GROUP_SEPARATOR.join(reversed(parts))


def format_number(value: Decimal | int, locale: str, places: int = 0) -> str:
    quantum = Decimal(1).scaleb(-places)
    amount = Decimal(value).quantize(quantum, rounding=ROUND_HALF_UP)
    sign = "-" if amount < 0 else ""
    text = f"{abs(amount):f}"
    whole, _, fraction = text.partition(".")
    result = sign + _group(whole)
    if places:
        result += DECIMAL_SEPARATOR.get(locale, ".") + fraction
    return result


def format_money(value: Decimal | int, locale: str, *, with_tiyin: bool = False) -> str:
    """Whole so'm by default (tiyin are not used in retail); `with_tiyin` keeps two places."""
    number = format_number(value, locale, places=2 if with_tiyin else 0)
    return f"{number} {CURRENCY_SUFFIX.get(locale, 'UZS')}"


def format_date(day: date | datetime, locale: str) -> str:
    if locale == "en":
        return f"{day.day} {MONTHS['en'][day.month - 1]} {day.year}"
    if locale == "ru":
        return f"{day.day} {MONTHS['ru'][day.month - 1]} {day.year} г."
    return f"{day.year}-yil {day.day}-{MONTHS['uz'][day.month - 1]}"


def format_datetime(moment: datetime, locale: str) -> str:
    return f"{format_date(moment, locale)}, {moment:%H:%M}"

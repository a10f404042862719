"""SMS texts: Eskiz's test texts and how many parts a text takes."""

from __future__ import annotations

# Eskiz's docs: an account in test status may send only these texts (any other is refused).
TEST_TEXTS = ("Это тест от Eskiz", "Bu Eskiz dan test", "This is test from Eskiz")

_GSM7 = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§"
    "¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM7_EXTENDED = frozenset("^{}\\[~]|€\f")
MAX_PARTS = 10  # a longer text is refused before it costs ten SMS


def is_test_text(text: str) -> bool:
    return text.strip() in TEST_TEXTS


def is_gsm7(text: str) -> bool:
    return all(ch in _GSM7 or ch in _GSM7_EXTENDED for ch in text)


def sms_parts(text: str) -> int:
    """Parts a text is billed as: GSM-7 160 characters (153 per part when split), otherwise UCS-2 70 (67).
    Uzbek Latin with ʻ/ʼ (U+02BB/U+02BC) or Cyrillic is UCS-2; a plain apostrophe keeps GSM-7."""
    if is_gsm7(text):
        units = sum(2 if ch in _GSM7_EXTENDED else 1 for ch in text)
        single, multi = 160, 153
    else:
        units = len(text.encode("utf-16-le")) // 2
        single, multi = 70, 67
    if units <= single:
        return 1
    return -(-units // multi)

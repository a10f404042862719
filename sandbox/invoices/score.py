"""Scoring what the reader returned against the ground truth of a generated invoice.

A field is right when it equals the truth (amounts to the tiyin, dates exactly, TINs digit for digit, numbers after
folding Cyrillic lookalike letters to Latin); names are right at a rapidfuzz similarity of 85 or more, quotes dropped,
the Uzbek letters қ ғ ў ҳ counted as к г у х and Cyrillic letters drawn as Latin ones (М400 / M400) as the same.
An item matches
when its quantity, unit price and amount equal a true item's and its name is similar (token set ratio 75 or more);
item F1 is over those one-to-one matches.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from rapidfuzz import fuzz

SCORED_FIELDS = ("invoice_number", "date", "seller", "seller_tin", "buyer", "buyer_tin", "total_without_vat",
                 "vat_rate", "vat_amount", "total")
_LOOKALIKES = str.maketrans("АВЕКМНОРСТХУЁҒ", "ABEKMHOPCTXYEF")


def _decimal(value: Any) -> Decimal | None:
    if value is None:
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


_UZBEK_LETTERS = str.maketrans("қғўҳё", "кгухе")  # read by the Russian model as their lookalikes


_HOMOGLYPHS = str.maketrans("аеокмнорстухв", "aeokmhopctyxb")  # Cyrillic letters drawn as Latin ones ("М400")


def _name(value: str) -> str:
    value = re.sub(r"[«»\"'`ʻʼ’‘“”]", "", value.lower()).translate(_UZBEK_LETTERS).translate(_HOMOGLYPHS)
    return re.sub(r"\s+", " ", value).strip()


def field_right(name: str, predicted: Any, truth: Any) -> bool:
    if truth is None or predicted is None:
        return truth is None and predicted is None
    if name in ("total_without_vat", "vat_amount", "total", "vat_rate"):
        a, b = _decimal(predicted), _decimal(truth)
        return a is not None and b is not None and abs(a - b) < Decimal("0.005")
    if name in ("seller", "buyer"):
        return fuzz.ratio(_name(str(predicted)), _name(str(truth))) >= 85
    if name == "invoice_number":
        fold = lambda v: re.sub(r"\s", "", str(v).upper().translate(_LOOKALIKES))  # noqa: E731
        return fold(predicted) == fold(truth)
    return str(predicted) == str(truth)


def _item_match(predicted: dict[str, Any], truth: dict[str, Any]) -> bool:
    for key in ("quantity", "unit_price", "amount"):
        a, b = _decimal(predicted.get(key)), _decimal(truth.get(key))
        if a is None or b is None or abs(a - b) >= Decimal("0.005"):
            return False
    return fuzz.token_set_ratio(_name(str(predicted.get("name") or "")), _name(str(truth["name"]))) >= 75


def item_counts(predicted: list[dict[str, Any]], truth: list[dict[str, Any]]) -> tuple[int, int, int]:
    """(true positives, predicted, true)."""
    left = list(truth)
    hits = 0
    for item in predicted:
        for i, candidate in enumerate(left):
            if _item_match(item, candidate):
                hits += 1
                del left[i]
                break
    return hits, len(predicted), len(truth)


def score(result: dict[str, Any], truth: dict[str, Any]) -> dict[str, Any]:
    """Per-field right/wrong and item counts for one document (`result` as `OcrResult.to_json()`)."""
    fields = result.get("fields", {})
    out: dict[str, Any] = {name: field_right(name, fields.get(name), truth["fields"].get(name))
                           for name in SCORED_FIELDS}
    out["items"] = item_counts(fields.get("items", []), truth["items"])
    codes = {p["code"] for p in result.get("problems", [])}
    out["flagged_mismatch"] = bool(codes & {"totals_mismatch", "vat_mismatch", "words_mismatch"})
    out["adds_up"] = truth.get("adds_up", True)
    return out


def summarise(scores: list[dict[str, Any]]) -> dict[str, Any]:
    """Accuracy per field, item precision / recall / F1, and how documents that do not add up were flagged."""
    n = len(scores)
    out: dict[str, Any] = {"documents": n}
    if not n:
        return out
    for name in SCORED_FIELDS:
        out[name] = round(sum(s[name] for s in scores) / n, 3)
    hits = sum(s["items"][0] for s in scores)
    predicted = sum(s["items"][1] for s in scores)
    true = sum(s["items"][2] for s in scores)
    precision = hits / predicted if predicted else 0.0
    recall = hits / true if true else 0.0
    out["items_precision"] = round(precision, 3)
    out["items_recall"] = round(recall, 3)
    out["items_f1"] = round(2 * precision * recall / (precision + recall), 3) if precision + recall else 0.0
    wrong = [s for s in scores if not s["adds_up"]]
    right = [s for s in scores if s["adds_up"]]
    out["mismatch_flagged"] = f"{sum(s['flagged_mismatch'] for s in wrong)}/{len(wrong)}"
    out["false_mismatch_flags"] = f"{sum(s['flagged_mismatch'] for s in right)}/{len(right)}"
    return out

"""The heading fields from the lines of a page: what kind of document, its number and date, seller and buyer with
their TINs (labelled STIR / СТИР / ИНН / TIN, printed plain or one digit per box), currency, "QQSsiz" / "без НДС"."""

from __future__ import annotations

import re
from dataclasses import dataclass

from services.ocr.dates import find_dates
from services.ocr.layout import (
    BUYER_LABELS,
    CONTRACT_LABELS,
    INVOICE_WORDS,
    NO_VAT_WORDS,
    NUMBER_LABELS,
    RECEIPT_WORDS,
    SELLER_LABELS,
    TIN_LABELS,
    WAYBILL_WORDS,
    Line,
    after_colon,
    contains_label,
    label_score,
    norm,
    segments,
)
from services.ocr.model import DocumentKind, Field, Word
from services.ocr.numbers import boxed_tin, parse_tin

_LOOKALIKE_TO_LATIN = str.maketrans("АВЕКМНОРСТХУЁҒІ", "ABEKMHOPCTXYEFI")
_DATE_LABELS = ["sana", "сана", "дата", "date", "от", "dan", "sanasi", "санаси", "dated"]


def classify(lines: list[Line]) -> DocumentKind:
    head = " ".join(line.text for line in lines[: max(8, len(lines) // 3)])
    everything = " ".join(line.text for line in lines)
    if contains_label(head, WAYBILL_WORDS, 88):
        return DocumentKind.WAYBILL
    if contains_label(head, ["hisobvaraq-faktura", "ҳисобварақ-фактура", "счет-фактура", "счёт-фактура", "invoice",
                             "hisob-faktura"], 85):
        return DocumentKind.INVOICE
    if sum(contains_label(everything, [word], 90) for word in RECEIPT_WORDS) >= 2:
        return DocumentKind.RECEIPT
    if contains_label(head, INVOICE_WORDS, 88):
        return DocumentKind.INVOICE
    return DocumentKind.UNKNOWN


def _conf(words: list[Word] | tuple[Word, ...]) -> float:
    return min((w.conf for w in words), default=0.0) / 100


def _title_lines(lines: list[Line], kind: DocumentKind) -> list[int]:
    words = {DocumentKind.WAYBILL: WAYBILL_WORDS, DocumentKind.RECEIPT: ["chek", "чек", "receipt", "check"]}.get(
        kind, INVOICE_WORDS)
    limit = max(6, int(len(lines) * 0.45))
    for i, line in enumerate(lines[:limit]):
        if contains_label(line.text, words, 86) and not contains_label(line.text, CONTRACT_LABELS, 88):
            return [i, *range(i + 1, min(len(lines), i + 4))]
    return list(range(min(len(lines), 6)))


def _is_number_label(text: str) -> tuple[bool, str]:
    """Whether a word is the "№" before a number (as OCR reads it), and any digits glued to it."""
    t = norm(text)
    for glued in ("№", "no.", "nº", "n°", "#"):
        if t.startswith(glued) and len(t) > len(glued):
            rest = text[len(glued):].strip(" .:")
            if any(ch.isdigit() for ch in rest):
                return True, rest
    return t.rstrip(".:") in NUMBER_LABELS or t in ("№", "no.", "n:", "no:"), ""


def clean_number(text: str) -> str:
    text = text.strip(" .,:;|()[]{}«»\"'")
    if re.search(r"[A-Za-zА-Яа-я]", text):
        text = text.translate(_LOOKALIKE_TO_LATIN)
    return text


def find_number(lines: list[Line], kind: DocumentKind) -> tuple[Field, int | None]:
    """The document's number and the index of the line it was on."""
    for i in _title_lines(lines, kind):
        line = lines[i]
        if contains_label(line.text, CONTRACT_LABELS, 88):
            continue
        words = line.words
        for j, word in enumerate(words):
            is_label, glued = _is_number_label(word.text)
            if (not is_label and kind is DocumentKind.RECEIPT and j + 1 < len(words)
                    and norm(word.text).strip(":.") in ("chek", "чек", "receipt", "check")
                    and re.fullmatch(r"\d{1,10}", words[j + 1].text.strip(" .,:;"))):
                return Field(clean_number(words[j + 1].text), round(0.8 * (0.5 + 0.5 * _conf([words[j + 1]])), 3),
                             "text", words[j + 1].text), i
            if not is_label:
                continue
            if glued:
                return Field(clean_number(glued), round(0.9 * (0.5 + 0.5 * _conf([word])), 3), "text", glued), i
            for k in range(j + 1, min(len(words), j + 3)):
                candidate = words[k].text
                if any(ch.isdigit() for ch in candidate):
                    used = [words[k]]
                    if candidate.endswith(("-", "/")) and k + 1 < len(words):
                        candidate += words[k + 1].text
                        used.append(words[k + 1])
                    if find_dates(candidate) and re.fullmatch(r"[\d.]+", candidate):
                        break  # "№ от 12.03.2025": the number is missing, this is the date
                    conf = 0.5 + 0.5 * _conf(used)
                    return Field(clean_number(candidate), round(0.95 * conf, 3), "text", candidate), i
    return Field(), None


def find_date(lines: list[Line], kind: DocumentKind, number_line: int | None) -> Field:
    order: list[int] = []
    if number_line is not None:
        order += [number_line, number_line + 1, number_line - 1, number_line + 2]
    order += _title_lines(lines, kind)
    seen: set[int] = set()
    for i in order:
        if i in seen or not 0 <= i < len(lines):
            continue
        seen.add(i)
        line = lines[i]
        if contains_label(line.text, CONTRACT_LABELS, 88):
            continue
        found = find_dates(line.text)
        if found:
            return Field(found[0].value, round(0.5 + 0.45 * line.conf / 100, 3), "text", line.text)
    for line in lines:
        if contains_label(line.text, CONTRACT_LABELS, 88):
            continue
        if contains_label(line.text, _DATE_LABELS, 90) or kind is DocumentKind.RECEIPT:
            found = find_dates(line.text)
            if found:
                return Field(found[0].value, round(0.4 + 0.4 * line.conf / 100, 3), "text", line.text)
    for line in lines:
        found = find_dates(line.text)
        if found and not contains_label(line.text, CONTRACT_LABELS, 88):
            return Field(found[0].value, 0.35, "text", line.text)
    return Field()


@dataclass
class PartyLabel:
    role: str  # "seller" or "buyer"
    page: int
    left: int
    top: int
    name: str
    conf: float
    line: int


def _clean_name(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip(" :;,.|-—–")
    text = text.replace("<<", "«").replace(">>", "»")
    return re.sub(r"^[0OО]{3}(?=\s)", "ООО", text)  # "000 «...»": the Russian LLC form read as zeros


def find_party_labels(lines: list[Line]) -> list[PartyLabel]:
    found: list[PartyLabel] = []
    for i, line in enumerate(lines):
        for seg in segments(line, gap=2.5):
            text = seg.text
            scored = [(*label_score(text, labels), role) for role, labels in (("seller", SELLER_LABELS),
                                                                               ("buyer", BUYER_LABELS))]
            score, label, role = max(scored)
            if score >= 86:
                name = after_colon(text, len(label))
                if not name and i + 1 < len(lines):
                    below = [s for s in segments(lines[i + 1], gap=2.5) if abs(s.left - seg.left) < 3 * seg.height]
                    name = below[0].text if below else ""
                found.append(PartyLabel(role, line.page, seg.left, seg.top, _clean_name(name), seg.conf / 100, i))
    return found


@dataclass
class TinMark:
    tin: str
    page: int
    left: int
    top: int
    conf: float
    labelled: bool


def find_tins(lines: list[Line]) -> list[TinMark]:
    marks: list[TinMark] = []
    for line in lines:
        words = line.words
        for j, word in enumerate(words):
            t = norm(word.text).strip(":.;")
            glued = next((lab for lab in TIN_LABELS if len(lab) <= 4 and t.startswith(lab) and t != lab
                          and t[len(lab):].strip(":. ").isdigit()), None)
            if t not in TIN_LABELS and glued is None and not re.fullmatch(r"(инн|стир|stir|inn|tin)[:.]?.*", t):
                continue
            tail: list[Word] = [word] if glued else []
            for following in words[j + 1: j + 20]:
                letters = sum(ch.isalpha() for ch in following.text)
                if letters >= 3 and not any(ch.isdigit() for ch in following.text):
                    break
                tail.append(following)
            text = " ".join(w.text for w in tail)
            if glued:
                text = text[len(glued):]
            tin = boxed_tin(text) or parse_tin(text)
            if tin:
                marks.append(TinMark(tin, line.page, word.left, word.top, _conf(tail) if tail else 0.5, True))
        if not any(m.top == line.words[0].top for m in marks):
            for k, word in enumerate(words):
                digits = word.text.strip(" .,:;|()[]")
                if re.fullmatch(r"[1-9]\d{8}", digits):
                    marks.append(TinMark(digits, line.page, word.left, word.top, word.conf / 100, False))
                    continue
                # OCR cuts a row of boxes into up to four words ("13171814 1 7171612 18")
                boxed = boxed_tin(" ".join(w.text for w in words[k:k + 4])) if len(digits) >= 4 else None
                if boxed and (k == 0 or boxed_tin(" ".join(w.text for w in words[k - 1:k + 3])) != boxed):
                    # digit boxes whose label OCR put on another line: the boxes alone are a TIN
                    marks.append(TinMark(boxed, line.page, word.left, word.top, word.conf / 100, True))
    return marks


def assign_parties(lines: list[Line], kind: DocumentKind, page_width: dict[int, int],
                   table_start: int | None = None) -> dict[str, Field]:
    """Seller and buyer with their TINs. Labels above the goods table (which starts at line `table_start`) come
    first: the same words under the table are usually signatures ("Xaridor: qabul qildi")."""
    labels = find_party_labels(lines)
    if table_start is not None and any(label.line < table_start for label in labels):
        labels = [label for label in labels if label.line < table_start]
    tins = find_tins(lines)
    fields = {name: Field() for name in ("seller", "seller_tin", "buyer", "buyer_tin")}
    first: dict[str, PartyLabel] = {}
    for label in labels:
        if label.role not in first and label.name:
            first[label.role] = label
    for role, label in first.items():
        fields[role] = Field(label.name, round(0.5 + 0.45 * label.conf, 3), "text", label.name)
    if kind is DocumentKind.RECEIPT and "seller" not in first:
        top = next((line for line in lines if sum(ch.isalpha() for ch in line.text) >= 4), None)
        if top is not None:
            fields["seller"] = Field(_clean_name(top.text), round(0.4 + 0.4 * top.conf / 100, 3), "layout", top.text)
    anchors = [label for label in labels if label.line <= max(first[r].line for r in first) + 12] if first else []
    taken: set[str] = set()
    for mark in sorted(tins, key=lambda m: (not m.labelled, m.page, m.top)):
        width = page_width.get(mark.page, 2000)
        best: tuple[float, str] | None = None
        for label in anchors:
            if label.page != mark.page or label.top > mark.top + 5:
                continue
            dx = abs(mark.left - label.left)
            if dx > 0.3 * width:
                continue
            score = (mark.top - label.top) + 3 * dx
            if best is None or score < best[0]:
                best = (score, label.role)
        owner: str | None = best[1] if best else None
        if owner is None:
            if kind is DocumentKind.RECEIPT or not anchors:
                owner = "seller" if "seller" not in taken else "buyer"
            else:
                continue
        key = f"{owner}_tin"
        if key in taken or (not mark.labelled and best is None):
            continue
        taken.add(key)
        taken.add(owner)
        conf = (0.55 + 0.4 * mark.conf) * (1.0 if mark.labelled else 0.8)
        fields[key] = Field(mark.tin, round(conf, 3), "text", mark.tin)
    return fields


def find_currency(text: str) -> Field:
    t = text.lower()
    for code, pattern in (("USD", r"\busd\b|\$\s?\d|\d\s?\$|доллар|dollar"), ("EUR", r"\beur\b|€|евро"),
                          ("RUB", r"\brub\b|рубл")):
        if re.search(pattern, t):
            return Field(code, 0.8, "text")
    sure = re.search(r"so'?m|сўм|\bсум\b|\buzs\b|soum", t)
    return Field("UZS", 0.95 if sure else 0.6, "text" if sure else "default")


def says_without_vat(lines: list[Line]) -> bool:
    no_vat = sum(contains_label(line.text, NO_VAT_WORDS, 90) for line in lines)
    rates = sum(bool(re.search(r"\b(12|15|20)\s?%", line.text)) for line in lines)
    return no_vat > 0 and no_vat >= rates

"""Words into lines and lines into segments (the cells of a row, the two columns of a party block), and the
labels invoices use in Uzbek (Latin and Cyrillic), Russian and English, matched loosely."""

from __future__ import annotations

import re
from dataclasses import dataclass
from statistics import median

from rapidfuzz import fuzz

from services.ocr.model import Word, WordSpan

_APOSTROPHES = re.compile(r"[ʻʼ’‘`´′]")


_FOLD = str.maketrans("қғўҳёй", "кгухеи")


def norm(text: str) -> str:
    """Lower case, one kind of apostrophe, Uzbek Cyrillic letters folded to the Russian ones OCR reads them as
    (қ→к, ў→у, ғ→г, ҳ→х), no stray marks."""
    text = _APOSTROPHES.sub("'", text.lower()).translate(_FOLD)
    return re.sub(r"[|_\[\]{}]", " ", text).strip()


@dataclass
class Line(WordSpan):
    words: list[Word]
    page: int

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def height(self) -> float:
        return median(w.height for w in self.words)

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def conf(self) -> float:
        return sum(w.conf for w in self.words) / len(self.words)


def group_lines(words: list[Word]) -> list[Line]:
    """Lines in reading order, rebuilt from word positions (Tesseract's own lines, split where a row's words are
    not level with each other, are merged back when they share a baseline)."""
    lines: list[Line] = []
    for page in sorted({w.page for w in words}):
        page_words = sorted((w for w in words if w.page == page), key=lambda w: (w.cy, w.left))
        rows: list[list[Word]] = []
        for word in page_words:
            placed = False
            for row in reversed(rows[-4:]):
                ref = median(w.cy for w in row)
                h = median(w.height for w in row)
                if abs(word.cy - ref) < 0.55 * max(h, word.height) and not any(
                        w.left < word.cx < w.right for w in row):
                    row.append(word)
                    placed = True
                    break
            if not placed:
                rows.append([word])
        for row in rows:
            lines.append(Line(sorted(row, key=lambda w: w.left), page))
    lines.sort(key=lambda line: (line.page, line.top))
    return lines


def segments(line: Line, gap: float = 1.6) -> list[Line]:
    """The line cut where the space between two words is wider than `gap` letter heights."""
    out: list[list[Word]] = [[line.words[0]]]
    h = max(1.0, line.height)
    for prev, word in zip(line.words, line.words[1:], strict=False):
        if word.left - prev.right > gap * h or word.text in ("|", "||"):
            out.append([word])
        else:
            out[-1].append(word)
    return [Line([w for w in seg if w.text not in ("|", "||")], line.page) for seg in out
            if any(w.text not in ("|", "||") for w in seg)]


# --- labels -----------------------------------------------------------------------------------------------------

SELLER_LABELS = [
    "yetkazib beruvchi", "yetkazuvchi", "sotuvchi", "jo'natuvchi", "yuk jo'natuvchi", "etkazib beruvchi",
    "етказиб берувчи", "сотувчи", "жўнатувчи", "поставщик", "продавец", "грузоотправитель", "отправитель",
    "исполнитель", "supplier", "seller", "vendor", "shipper",
]
BUYER_LABELS = [
    "xaridor", "oluvchi", "qabul qiluvchi", "buyurtmachi", "харидор", "олувчи", "қабул қилувчи", "буюртмачи",
    "покупатель", "получатель", "грузополучатель", "заказчик", "плательщик", "buyer", "customer", "consignee",
    "bill to", "recipient",
]
TIN_LABELS = ["stir", "стир", "инн", "inn", "tin", "soliq to'lovchining identifikatsiya raqami"]
PAYMENT_LABELS = ["plastik karta", "naqd", "karta", "пластик карта", "нақд", "наличные", "карта", "безналичные",
                  "card", "cash", "uzcard", "humo", "click", "payme"]
TOTAL_LABELS = ["jami", "жами", "итого", "всего", "total", "grand total", "jami summa", "итог"]
WITH_VAT_WORDS = ["qqs bilan", "ққс билан", "с ндс", "с учетом ндс", "incl. vat", "including vat", "with vat",
                  "to'lov", "тўлов", "к оплате", "due", "jami to'lov"]
VAT_WORDS = ["qqs", "ққс", "ндс", "vat", "ккс", "qqc", "hдс", "нлс"]
NO_VAT_WORDS = ["qqssiz", "qqs siz", "ққссиз", "ққс сиз", "без ндс", "безндс", "without vat", "no vat", "vat exempt",
                "ндс не облагается", "qqs solinmaydi"]
WORDS_LABELS = ["so'z bilan", "сўз билан", "прописью", "in words", "jami to'lovga", "жами тўловга", "к оплате",
                "amount due", "всего к оплате"]
CONTRACT_LABELS = ["shartnoma", "шартнома", "договор", "contract", "контракт", "dogovor"]
INVOICE_WORDS = ["hisobvaraq-faktura", "hisob-faktura", "ҳисобварақ-фактура", "счет-фактура", "счёт-фактура",
                 "invoice", "faktura", "фактура", "счет", "счёт", "hisobvaraq"]
WAYBILL_WORDS = ["yuk xati", "юк хати", "накладная", "delivery note", "waybill", "yo'l varaqasi", "товарная накладная"]
RECEIPT_WORDS = ["chek", "чек", "receipt", "fiskal", "фискал", "fiscal", "kassir", "кассир", "cashier"]
NUMBER_LABELS = ["№", "no", "no.", "n", "nº", "n°", "#", "raqami", "номер", "number", "ne", "мо", "м", "m", "ме", "nо",
                 "n2", "&"]  # "№" as OCR reads it too
UNITS = {norm(unit) for unit in {
    "dona", "дона", "шт", "шт.", "pcs", "pc", "kg", "кг", "qop", "қоп", "мешок", "bag", "quti", "қути", "кор",
    "кор.", "box", "pachka", "пачка", "pack", "l", "л", "litr", "литр", "m", "м", "blok", "блок", "ming", "тн",
    "t", "упак", "уп", "комплект", "компл", "to'plam", "g", "г", "пар", "juft",
}}


def label_score(text: str, labels: list[str]) -> tuple[float, str]:
    """How well the start of `text` reads as one of `labels` (0..100), and which."""
    t = norm(text)
    best = (0.0, "")
    for label in map(norm, labels):
        if len(label) < 4:
            score = 100.0 if re.match(re.escape(label) + r"(?![\w])", t) else 0.0
        elif len(t) < len(label) - 1:
            score = 0.0
        else:
            score = fuzz.ratio(label, t[: len(label)])
            if t[len(label) - 1: len(label) + 2].find(":") >= 0 and len(label) >= 6:
                score += 15  # "Xarklor:" — a misread label still ends in its colon
        if score > best[0]:
            best = (score, label)
    return best


def contains_label(text: str, labels: list[str], threshold: float = 86) -> bool:
    t = norm(text)
    for label in map(norm, labels):
        if len(label) <= 4:
            if re.search(r"(?<![\w])" + re.escape(label) + r"(?![\w])", t):
                return True
        elif label in t or (len(t) >= len(label) and fuzz.partial_ratio(label, t) >= threshold):
            return True
    return False


def after_colon(text: str, label_len: int) -> str:
    """What follows a label: after its colon if it has one, else after the label's length."""
    if ":" in text[: label_len + 6]:
        return text.split(":", 1)[1].strip()
    return text[label_len:].strip(" :.-")

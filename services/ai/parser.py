"""The offline question parser: Uzbek (Latin and Cyrillic), Russian, English and the mixes people type on phones
(no punctuation, typos, Russian words in Uzbek sentences). A question becomes an intent, a period, a ranking order
and limit, and the branches, products or sellers it names (fuzzy, rapidfuzz), and the language and script to answer
in. Pure: the caller passes today's business day and the names it may match against.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from functools import lru_cache

from rapidfuzz import fuzz, process

from services.errors import ValidationFailed
from services.reports.dates import parse_period
from services.reports.periods import Period, PeriodKind, period_for

MAX_QUESTION = 1000


class Intent(StrEnum):
    SALES = "sales"
    COMPARE = "compare"
    TOP_PRODUCTS = "top_products"
    TOP_BRANCHES = "top_branches"
    TOP_SELLERS = "top_sellers"
    SELLER = "seller"
    PRODUCT = "product"
    STOCK = "stock"
    LOW_STOCK = "low_stock"
    PAYROLL = "payroll"
    EXPENSES = "expenses"
    CASH = "cash"
    TAX = "tax"
    PURCHASES = "purchases"
    FORECAST = "forecast"
    ADVICE = "advice"
    SECRET = "secret"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Named:
    id: int
    name: str


@dataclass(slots=True)
class Names:
    """What a question may name: the visible branches, the company's sellers and products."""

    branches: Sequence[Named] = ()
    sellers: Sequence[Named] = ()
    products: Sequence[Named] = ()
    payments: Sequence[Named] = ()  # payment types (Uzcard, Humo, Click...)


@dataclass(slots=True)
class Question:
    text: str
    language: str  # uz | ru | en
    script: str  # latin | cyrillic
    intent: Intent
    period: Period | None = None
    future: bool = False  # asked about days after today
    order: str = "top"  # top | bottom
    limit: int | None = None
    focus: str | None = None  # payments | returns | receipts | average
    branches: list[Named] = field(default_factory=list)
    seller: Named | None = None
    product: Named | None = None
    payment_kind: str | None = None  # cash | cashless
    payments: list[Named] = field(default_factory=list)
    horizon: int = 7  # days ahead, for a forecast
    follow_up: bool = False  # only a period ("kecha-chi?", "а вчера?"): the last question again, for it


# --- normalising ----------------------------------------------------------------------------------------------------

_APOSTROPHES = re.compile(r"[ʻʼ’‘`´']")
_CYRILLIC = re.compile(r"[а-яёўқғҳ]")
_UZ_CYRILLIC_LETTERS = re.compile(r"[ўқғҳ]")
_WORD = re.compile(r"[a-zа-яёўқғҳ0-9']+")

_CYR_TO_LAT = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "j", "з": "z", "и": "i", "й": "y",
    "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f",
    "х": "x", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "sh", "ъ": "'", "ы": "i", "ь": "", "э": "e", "ю": "yu",
    "я": "ya", "ў": "o'", "қ": "q", "ғ": "g'", "ҳ": "h",
}  # fmt: skip
_LAT_TO_CYR = [("o'", "ў"), ("g'", "ғ"), ("sh", "ш"), ("ch", "ч"), ("yo", "ё"), ("yu", "ю"), ("ya", "я"),
               ("ye", "е"), ("a", "а"), ("b", "б"), ("d", "д"), ("e", "е"), ("f", "ф"), ("g", "г"), ("h", "ҳ"),
               ("i", "и"), ("j", "ж"), ("k", "к"), ("l", "л"), ("m", "м"), ("n", "н"), ("o", "о"), ("p", "п"),
               ("q", "қ"), ("r", "р"), ("s", "с"), ("t", "т"), ("u", "у"), ("v", "в"), ("x", "х"), ("y", "й"),
               ("z", "з"), ("'", "ъ")]  # fmt: skip


def normalise(text: str) -> str:
    """Lower case, one apostrophe, single spaces."""
    return " ".join(_APOSTROPHES.sub("'", text.lower()).replace("ʻ", "'").split())


def to_latin(text: str) -> str:
    return "".join(_CYR_TO_LAT.get(ch, ch) for ch in text)


def to_cyrillic(text: str) -> str:
    """Uzbek Latin to Uzbek Cyrillic, letter by letter (digits and punctuation untouched)."""
    text = _APOSTROPHES.sub("'", text).replace("ʻ", "'")
    out: list[str] = []
    i = 0
    while i < len(text):
        low = text[i:i + 2].lower()
        for latin, cyr in _LAT_TO_CYR:
            if low.startswith(latin):
                chunk = text[i:i + len(latin)]
                out.append(cyr.upper() if chunk[:1].isupper() else cyr)
                i += len(latin)
                break
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


# --- language ------------------------------------------------------------------------------------------------------

_RU_HINTS = ("продаж", "сколько", "вчера", "сегодня", "неделю", "недел", "месяц", "какой", "какие", "самый",
             "меньше", "больше", "товар", "выручк", "продал", "прошл", "последн", "дней", "остат", "зарплат",
             "покажи", "сравни", "филиал", "всех", "лучш", "за ")
_UZ_CYR_HINTS = ("қанча", "кеча", "бугун", "савдо", "сотув", "ҳафта", "ўтган", "шу ой", "бўлди", "энг", "кам",
                 "кўп", "маҳсулот", "филиалда", "дўкон", "қолдиқ")
_UZ_HINTS = ("qancha", "kecha", "bugun", "savdo", "sotuv", "hafta", "o'tgan", "otgan", "shu ", "bo'ldi", "boldi",
             "eng ", "kam", "ko'p", "kop", "mahsulot", "filial", "do'kon", "qoldiq", "oy", "kun", "qaysi", "sotdi",
             "sotildi", "tushum", "nechta", "oxirgi", "so'nggi", "oylik", "xarajat", "kassa")
_EN_HINTS = ("how", "much", "what", "which", "sales", "sold", "today", "yesterday", "week", "month", "last", "top",
             "best", "worst", "product", "branch", "seller", "stock", "the", "show", "revenue", "days", "this")


def _score(text: str, hints: Sequence[str]) -> int:
    padded = f" {text} "
    return sum(1 for hint in hints if hint in padded)


def detect_language(text: str, fallback: str = "uz") -> tuple[str, str]:
    """The question's language and script; text with no clue of either (a typo, a name) takes `fallback`."""
    low = normalise(text)
    if _CYRILLIC.search(low):
        if _UZ_CYRILLIC_LETTERS.search(low) or _score(low, _UZ_CYR_HINTS) > _score(low, _RU_HINTS):
            return "uz", "cyrillic"
        return "ru", "cyrillic"
    uz, en = _score(low, _UZ_HINTS), _score(low, _EN_HINTS)
    if uz == en == 0 and fallback in ("ru", "en"):
        return fallback, "cyrillic" if fallback == "ru" else "latin"
    return ("en", "latin") if en > uz else ("uz", "latin")


# --- keywords --------------------------------------------------------------------------------------------------------
# Matched on the Latin form of the question (Cyrillic transliterated), so one list serves both Uzbek scripts;
# Russian stems are listed in their transliterated form too. A keyword is a word prefix.

def _kw(*words: str) -> tuple[str, ...]:
    return tuple(normalise(word).replace("'", "") for word in words)


_KW: dict[str, tuple[str, ...]] = {
    "secret": _kw("kalit", "klyuch", "key", "token", "parol", "password", "secret", "sekret", "api"),
    "payroll": _kw("oylik", "ish haqi", "ish haq", "maosh", "zarplat", "zp", "payroll", "salary", "salaries", "wage",
                   "komissiya", "komiss", "commission", "bonus"),
    "expenses": _kw("xarajat", "harajat", "rasxod", "rashod", "expense", "chiqim"),
    "tax": _kw("soliq", "nalog", "tax", "nds", "qqs", "vat"),
    "purchases": _kw("xarid", "zakup", "purchase", "supplier", "postavsh", "taminotchi", "yetkazib"),
    "cash": _kw("kassada", "kassa qoldi", "kassa balans", "cash balance", "cash register", "ostatok kass",
                "v kasse", "balans kass"),
    "forecast": _kw("prognoz", "bashorat", "forecast", "predict", "kutilayotgan", "kutilyapti", "taxmin",
                    "ozhida", "expected sales", "budet prodan", "will we sell", "will sell", "sotamiz"),
    "advice": _kw("maslahat", "tavsiya", "sovet", "rekomend", "advice", "advise", "recommend", "suggest",
                  "nima buyurtma", "buyurtma ber", "nimani zakaz", "chto zakaz", "what to order", "reorder",
                  "dead stock", "olik tovar", "sotilmayapti", "ne prodayut", "zalezh"),
    "low_stock": _kw("kam qoldi", "kam qolgan", "tugayapti", "tugab", "tugadi", "zakanchiva", "malo ostal",
                     "low stock", "running out", "run out", "below minimum"),
    "stock": _kw("qoldiq", "ostat", "stock", "sklad", "ombor", "zaxira", "zapas", "on hand", "inventory",
                 "qancha qoldi", "nechta qoldi"),
    "products": _kw("mahsulot", "maxsulot", "tovar", "product", "item", "goods", "produkt", "mol"),
    "branches": _kw("filial", "dokon", "magazin", "branch", "store", "shop", "tochk", "punkt"),
    "sellers": _kw("sotuvchi", "prodavets", "prodavts", "prodavsh", "kassir", "seller", "cashier", "xodim",
                   "sotrudnik", "employee", "staff", "salesm", "xodimlar"),
    "bottom": _kw("eng kam", "kam", "menshe", "menshiy", "xuzh", "xudsh", "least", "worst", "bottom", "fewest",
                  "lowest", "kamroq", "yomon", "slab", "weakest", "naimen"),
    "top": _kw("top", "eng kop", "kop", "luchsh", "bolshe", "most", "best", "samy", "samiy", "yaxshi", "highest",
               "leader", "lider", "naibol"),
    "compare": _kw("solishtir", "taqqosla", "sravn", "compare", "versus", "vs", "nisbatan", "farq"),
    "returns": _kw("qaytar", "vozvrat", "return", "refund"),
    "average": _kw("ortacha", "sredn", "average", "avg"),
    "receipts": _kw("chek", "cheki", "receipt", "nechta chek", "skolko chek"),
    "cash_pay": _kw("naqd", "nalich", "cash", "nal"),
    "cashless": _kw("karta", "kart", "card", "plastik", "beznal", "cashless", "non cash", "terminal"),
    "payments": _kw("naqd", "nalich", "karta", "kart", "card", "uzcard", "humo", "click", "payme", "tolov",
                    "oplat", "payment", "plastik"),
    "sales": _kw("savdo", "sotuv", "sotdi", "sotild", "sotilgan", "prodazh", "prodal", "vyruch", "viruch",
                 "sales", "sale", "sold", "revenue", "tushum", "oborot", "turnover", "qancha", "skolko", "how much",
                 "income", "daromad", "kassa"),
}

_NEXT_WORDS = _kw("keyingi", "kelasi", "sleduyush", "next", "blizhaysh", "coming", "kelgusi")
_DAY_WORDS = _kw("kun", "kunlik", "kunda", "den", "dnya", "dney", "day", "days", "sutka")
_LAST_N_WORDS = _kw("oxirgi", "songgi", "ohirgi", "poslednie", "poslednix", "poslednih", "last", "past", "za poslednie")


def _words(latin: str) -> list[str]:
    return [w.replace("'", "") for w in _WORD.findall(latin)]


def _has(words: list[str], joined: str, key: str) -> bool:
    for keyword in _KW[key]:
        if " " in keyword:
            if f" {keyword}" in f" {joined}":
                return True
            continue
        for word in words:
            if word.startswith(keyword) if len(keyword) > 3 or key in {"top", "bottom"} else word == keyword:
                if key == "bottom" and keyword == "kam" and word.startswith("kamp"):
                    continue
                return True
            if len(keyword) >= 6 and len(word) >= 6 and fuzz.ratio(word[:len(keyword) + 1], keyword) >= 85:
                return True
    return False


# --- periods ---------------------------------------------------------------------------------------------------------

_PERIOD_PHRASES: list[tuple[tuple[str, ...], PeriodKind | str]] = [
    (_kw("otgan hafta", "utgan hafta", "proshl nedel", "proshluyu nedel", "proshlaya nedel", "proshloy nedel",
         "last week", "previous week", "o'tkan hafta", "otkan hafta"), PeriodKind.LAST_WEEK),
    (_kw("shu hafta", "bu hafta", "joriy hafta", "etu nedel", "etoy nedel", "eta nedel", "this week", "tekushch nedel",
         "haftada", "na nedele"), PeriodKind.THIS_WEEK),
    (_kw("otgan oy", "utgan oy", "proshl mesyats", "proshlom mesyats", "proshliy mesyats", "proshlyy mesyats",
         "last month", "previous month", "otkan oy"), PeriodKind.LAST_MONTH),
    (_kw("shu oy", "bu oy", "joriy oy", "etot mesyats", "etom mesyats", "this month", "tekushch mesyats",
         "oy boshidan", "mesyats", "month", "oyda"), PeriodKind.THIS_MONTH),
    (_kw("otgan yil", "proshl god", "proshlom god", "last year"), "last_year"),
    (_kw("shu yil", "bu yil", "etot god", "etom god", "this year", "yil boshidan", "s nachala goda"), "this_year"),
    (_kw("za nedelyu", "hafta davomida", "haftalik", "over the week", "past week"), "last7"),
    (_kw("kechagi", "kecha", "vchera", "yesterday", "yesterdays", "kechegi", "kcha", "yestrday", "vchira"),
     PeriodKind.YESTERDAY),
    (_kw("bugun", "bugungi", "segodnya", "sevodnya", "today", "todays", "bu kun", "bugn", "tday"), PeriodKind.TODAY),
    (_kw("ertaga", "zavtra", "tomorrow"), "tomorrow"),
]
_DAY_BEFORE = _kw("kecha oldin", "kechadan oldin", "pozavchera", "day before yesterday", "ikki kun oldin")

_DATEISH = re.compile(r"\d{1,4}([./-]\d{1,4}){1,2}\b|\d{1,2}[ -]?(?:yan|fev|mar|apr|may|iyun|iyul|jun|jul|avg|aug|"
                      r"sen|sep|okt|oct|noy|nov|dek|dec|янв|фев|мар|апр|мая|май|июн|июл|авг|сен|окт|ноя|дек)[^\s\d]*"
                      r"|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? \d{1,2}\b")
_RANGE_JOIN = re.compile(r"^\s*(?:-|–|—|\.\.|gacha|dan|по|до|to|until|and|va|и)?\s*$")


def _explicit_period(low: str, today: date) -> Period | None:
    """Dates and ranges typed out: "12-noyabr", "1-15 noyabr", "с 1 по 15 ноября", "01.11.2026-15.11.2026"."""
    pattern = re.compile(r"(?:\b\d{1,2}\s*(?:-|–|по|gacha|dan|to)\s*)?(?:" + _DATEISH.pattern + ")")
    spans = [m.span() for m in pattern.finditer(low)]
    if not spans:
        return None
    # Join two dates separated only by a range word.
    start, end = spans[0]
    if len(spans) > 1 and _RANGE_JOIN.match(re.sub(r"[^\w\s.–—-]", " ", low[spans[0][1]:spans[1][0]])):
        end = spans[1][1]
    chunk = low[start:end]
    chunk = re.sub(r"(\d)\s*dan\b", r"\1 -", chunk)
    chunk = re.sub(r"\s+(?:va|и|and)\s+", " - ", chunk)
    for candidate in (chunk, low[spans[0][0]:spans[0][1]]):
        try:
            return parse_period(candidate.strip(" -"), today)
        except (ValidationFailed, ValueError):
            continue
    return None


def _last_n_days(words: list[str], today: date) -> Period | None:
    for index, word in enumerate(words):
        if not word.isdigit() or index + 1 >= len(words):
            continue
        following = words[index + 1]
        if any(following.startswith(d) for d in _DAY_WORDS) or following in {"kunlik", "kun"}:
            days = int(word)
            if 1 <= days <= 366:
                return Period(today - timedelta(days=days - 1), today)
    return None


def parse_period_words(low_latin: str, low: str, words: list[str], today: date) -> tuple[Period | None, bool]:
    """The period a question names, and whether it asked about the future."""
    joined = " ".join(words)
    explicit = _explicit_period(low, today)
    if explicit is not None:
        return explicit, explicit.last > today
    last_n = _last_n_days(words, today)
    if last_n is not None:
        return last_n, False
    if any(f" {p}" in f" {joined}" for p in _DAY_BEFORE):
        day = today - timedelta(days=2)
        return Period(day, day), False
    for phrases, kind in _PERIOD_PHRASES:
        for phrase in phrases:
            hit = (f" {phrase}" in f" {joined}") if " " in phrase else any(
                w == phrase or (len(phrase) >= 5 and w.startswith(phrase)) for w in words)
            if not hit and " " not in phrase and len(phrase) >= 5:
                hit = any(len(w) >= 5 and fuzz.ratio(w, phrase) >= 85 for w in words)
            if hit:
                if kind == "tomorrow":
                    tomorrow = today + timedelta(days=1)
                    return Period(tomorrow, tomorrow), True
                if kind == "last7":
                    return Period(today - timedelta(days=6), today), False
                if kind == "this_year":
                    return Period(today.replace(month=1, day=1), today), False
                if kind == "last_year":
                    return Period(date(today.year - 1, 1, 1), date(today.year - 1, 12, 31)), False
                assert isinstance(kind, PeriodKind)
                return period_for(kind, today), False
    return None, False


# --- names -----------------------------------------------------------------------------------------------------------


@lru_cache(maxsize=8192)
def _name_key(name: str) -> str:
    return to_latin(normalise(name)).replace("'", "")


def _akan(word: str) -> str:
    """Russian spellings of Uzbek names write an unstressed o as a: "Чиланзар" for Chilonzor."""
    return word.replace("o", "a")


@dataclass(frozen=True, slots=True)
class _Candidate:
    key: str
    named: Named
    distinctive: tuple[str, ...]  # its words no other candidate has
    akan: tuple[str, ...]  # the same, o written a
    capped: bool  # some of its words are shared: the whole-name score may not decide alone


@lru_cache(maxsize=64)
def _prepared(candidates: tuple[Named, ...]) -> tuple[_Candidate, ...]:
    """The candidates' match keys, worked out once per list (a company's products do not change between two
    questions) instead of once per question."""
    keys = [(_name_key(candidate.name), candidate) for candidate in candidates]
    shared: dict[str, int] = {}
    for key, _ in keys:
        for word in set(key.split()):
            shared[word] = shared.get(word, 0) + 1
    prepared = []
    for key, candidate in keys:
        if not key:
            continue
        words = [w for w in key.split() if len(w) >= 4 and not w[0].isdigit()]
        distinctive = tuple(w for w in words if shared.get(w, 0) == 1)
        prepared.append(_Candidate(key, candidate, distinctive, tuple(_akan(w) for w in distinctive),
                                   bool(distinctive) and len(distinctive) < len(words)))
    return tuple(prepared)


def match_names(text_latin: str, candidates: Sequence[Named], *, cutoff: float = 85,
                suffixes: bool = True) -> list[Named]:
    """Names the question mentions (fuzzy: typos, other script, a word of a longer name, a word with a case
    suffix when `suffixes`). A word several names share ("filiali") tells them apart from nothing, so it is not
    matched on its own."""
    if not candidates:
        return []
    text_words = [w for w in text_latin.split() if len(w) >= 4]
    akan_words = [_akan(w) for w in text_words]
    split = set(text_latin.split())
    found: list[tuple[float, Named]] = []
    for candidate in _prepared(tuple(candidates)):
        key = candidate.key
        whole = len(key) >= 4 and (suffixes or " " in key)  # "payme" is not in "payments"
        score = fuzz.partial_ratio(key, text_latin) if whole else (100.0 if key in split else 0)
        if candidate.capped:
            score = min(score, 84.0)  # the whole-name score leans on a shared word: let the distinctive ones decide
        for word, akan_word in zip(candidate.distinctive, candidate.akan, strict=True):
            best = process.extractOne(word, text_words, scorer=fuzz.ratio) if text_words else None
            akan = process.extractOne(akan_word, akan_words, scorer=fuzz.ratio) if akan_words else None
            prefixed = suffixes and any(t.startswith(word[:-1]) for t in text_words)  # "chilonzorda"
            score = max(score, best[1] if best else 0, (akan[1] - 1) if akan else 0, 95.0 if prefixed else 0)
        if score >= cutoff:
            found.append((score, candidate.named))
    if not found:
        return []
    top = max(score for score, _ in found)
    return [named for score, named in found if score >= top - 0.01]


# --- the parser ------------------------------------------------------------------------------------------------------

_NUMBER = re.compile(r"\b(\d{1,2})\b")


def _limit(words: list[str]) -> int | None:
    for index, word in enumerate(words):
        if word.isdigit() and 1 <= int(word) <= 50:
            following = words[index + 1] if index + 1 < len(words) else ""
            if any(following.startswith(d) for d in _DAY_WORDS):
                continue
            previous = words[index - 1] if index else ""
            if previous in {"top", "топ", "eng", "first", "perv"} or following or previous:
                return int(word)
    return None


def parse(text: str, today: date, names: Names | None = None, fallback_language: str = "uz") -> Question:
    names = names or Names()
    raw = text[:MAX_QUESTION]
    language, script = detect_language(raw, fallback_language)
    low = normalise(raw)
    latin = to_latin(low)
    words = _words(latin)
    joined = " ".join(words)
    period, future = parse_period_words(latin, low, words, today)

    def has(key: str) -> bool:
        return _has(words, joined, key)

    branches = match_names(joined, names.branches)
    sellers = match_names(joined, names.sellers)
    products = match_names(joined, names.products, cutoff=88)
    ranked = has("top") or has("bottom")
    order = "bottom" if has("bottom") else "top"
    question = Question(raw, language, script, Intent.UNKNOWN, period=period, future=future, order=order)
    if has("secret"):
        question.intent = Intent.SECRET
    elif has("payroll"):
        question.intent = Intent.PAYROLL
    elif has("expenses"):
        question.intent = Intent.EXPENSES
    elif has("tax"):
        question.intent = Intent.TAX
    elif has("purchases"):
        question.intent = Intent.PURCHASES
    elif has("cash"):
        question.intent = Intent.CASH
    elif has("forecast"):
        question.intent = Intent.FORECAST
        question.product = products[0] if products else None
        question.horizon = _horizon(words, joined, future)
    elif has("advice"):
        question.intent = Intent.ADVICE
    elif has("low_stock"):
        question.intent = Intent.LOW_STOCK
    elif has("stock"):
        question.intent = Intent.STOCK
        question.product = products[0] if products else None
    elif has("sellers") and (ranked or not sellers):
        question.intent = Intent.TOP_SELLERS
    elif sellers and not has("products"):
        question.intent, question.seller = Intent.SELLER, sellers[0]
    elif has("products") and (ranked or not products):
        question.intent = Intent.TOP_PRODUCTS
    elif products:
        question.intent, question.product = Intent.PRODUCT, products[0]
    elif has("branches") and (ranked or not branches):
        question.intent = Intent.TOP_BRANCHES
    elif has("compare"):
        question.intent = Intent.COMPARE
    elif period is not None or has("sales") or has("returns") or has("average") or has("receipts") or has("payments") \
            or has("cash_pay") or has("cashless"):
        question.intent = Intent.SALES
        others = ("sales", "returns", "average", "receipts", "payments", "cash_pay", "cashless")
        question.follow_up = period is not None and not any(has(k) for k in others) and not branches \
            and len(words) <= 5
    if question.intent in {Intent.TOP_PRODUCTS, Intent.TOP_BRANCHES, Intent.TOP_SELLERS, Intent.STOCK,
                           Intent.LOW_STOCK}:
        question.limit = _limit(words)
    if question.intent not in {Intent.TOP_BRANCHES}:
        question.branches = branches
    for focus in ("returns", "average", "receipts", "payments"):
        if question.intent is Intent.SALES and has(focus):
            question.focus = focus
            break
    if question.intent is Intent.SALES:
        question.payments = match_names(joined, names.payments, cutoff=90, suffixes=False)
        if has("cash_pay") and not has("cashless"):
            question.payment_kind = "cash"
        elif has("cashless") and not question.payments:
            question.payment_kind = "cashless"
        if question.payment_kind or question.payments:
            question.focus = "payments"
    return question


def _horizon(words: list[str], joined: str, future: bool) -> int:
    """Days ahead a forecast question asks for: "keyingi 14 kun", "next week", "ertaga"; 7 unless it says."""
    for index, word in enumerate(words[:-1]):
        if word.isdigit() and any(words[index + 1].startswith(d) for d in _DAY_WORDS):
            return max(1, min(28, int(word)))
    nexts = any(w.startswith(n) for w in words for n in _NEXT_WORDS)
    if nexts and any(w.startswith(m) for w in words for m in _kw("oy", "mesyats", "month")):
        return 28
    if future and not nexts:
        return 1  # "ertaga", "tomorrow"
    return 7

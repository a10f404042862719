"""What an invoice says, before it is drawn: parties, lines, totals, in one of four languages, with its ground truth.

Everything comes from a seeded `random.Random`, so `make_invoice(seed)` is the same invoice every time.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

LANGUAGES = ("uz", "uz_cyrl", "ru", "en")
LAYOUTS = ("official", "einvoice", "waybill", "receipt", "dotmatrix")
CENT = Decimal("0.01")

# (Latin, Cyrillic) roots of company names
_ROOTS = [
    ("Samarqand Savdo", "Самарқанд Савдо"), ("Baraka Food", "Барака Фуд"), ("Toshkent Non", "Тошкент Нон"),
    ("Oltin Don", "Олтин Дон"), ("Navro'z Invest", "Наврўз Инвест"), ("Sharq Ulgurji", "Шарқ Улгуржи"),
    ("Yangi Hayot", "Янги Ҳаёт"), ("Zarafshon Sut", "Зарафшон Сут"), ("Imkon Trade", "Имкон Трейд"),
    ("Farg'ona Meva", "Фарғона Мева"), ("Asl Mahsulot", "Асл Маҳсулот"), ("Buxoro Tekstil", "Бухоро Текстил"),
    ("Ipak Yo'li Distribyutsiya", "Ипак Йўли Дистрибьюция"), ("Musaffo Suv", "Мусаффо Сув"),
    ("Chorsu Bozor", "Чорсу Бозор"), ("Orzu Market", "Орзу Маркет"), ("Mehnat Agro", "Меҳнат Агро"),
    ("Nur Plast", "Нур Пласт"), ("Qo'qon Yog'", "Қўқон Ёғ"), ("Sifat Qandolat", "Сифат Қандолат"),
]
_FORMS = {
    "uz": ["MChJ", "XK", "AJ", "QK"], "uz_cyrl": ["МЧЖ", "ХК", "АЖ"], "ru": ["ООО", "ЧП", "АО"],
    "en": ["LLC", "JSC", "Ltd"],
}
_CITIES = {
    "uz": ["Toshkent sh., Chilonzor tumani, Bunyodkor ko'chasi 12", "Samarqand sh., Registon ko'chasi 5",
           "Farg'ona sh., Mustaqillik ko'chasi 41", "Buxoro sh., Navoiy shoh ko'chasi 7"],
    "uz_cyrl": ["Тошкент ш., Чилонзор тумани, Бунёдкор кўчаси 12", "Самарқанд ш., Регистон кўчаси 5",
                "Фарғона ш., Мустақиллик кўчаси 41", "Бухоро ш., Навоий шоҳ кўчаси 7"],
    "ru": ["г. Ташкент, Чиланзарский р-н, ул. Бунёдкор, 12", "г. Самарканд, ул. Регистан, 5",
           "г. Фергана, ул. Мустакиллик, 41", "г. Бухара, ул. Навои, 7"],
    "en": ["12 Bunyodkor St, Chilonzor, Tashkent", "5 Registon St, Samarkand", "41 Mustaqillik St, Fergana",
           "7 Navoi St, Bukhara"],
}
_BANKS = {
    "uz": ["\"Kapitalbank\" ATB", "\"Hamkorbank\" ATB", "\"Ipoteka-bank\" ATIB", "\"Asaka\" bank AJ"],
    "uz_cyrl": ["«Капиталбанк» АТБ", "«Ҳамкорбанк» АТБ", "«Ипотека-банк» АТИБ"],
    "ru": ["АКБ «Капиталбанк»", "АКБ «Хамкорбанк»", "АИКБ «Ипотека-банк»"],
    "en": ["Kapitalbank JSCB", "Hamkorbank JSCB", "Ipoteka-bank JSCMB"],
}

# (uz, uz_cyrl, ru, en) names, unit key, price range in so'm, whether quantities may be fractional
_GOODS: list[tuple[tuple[str, str, str, str], str, tuple[int, int], bool]] = [
    (("Un oliy nav 50 kg", "Ун олий нав 50 кг", "Мука высший сорт 50 кг", "Flour premium 50 kg"), "bag",
     (280_000, 420_000), False),
    (("Shakar", "Шакар", "Сахар-песок", "Sugar"), "kg", (11_000, 16_000), True),
    (("Kungaboqar yog'i 5 l", "Кунгабоқар ёғи 5 л", "Масло подсолнечное 5 л", "Sunflower oil 5 l"), "pcs",
     (75_000, 98_000), False),
    (("Guruch Lazer", "Гуруч Лазер", "Рис Лазер", "Rice Laser"), "kg", (17_000, 26_000), True),
    (("Choy ko'k 100 g", "Чой кўк 100 г", "Чай зелёный 100 г", "Green tea 100 g"), "pcs", (9_000, 18_000), False),
    (("Makaron 400 g", "Макарон 400 г", "Макароны 400 г", "Pasta 400 g"), "pcs", (6_000, 11_000), False),
    (("Sut 1 l 3,2%", "Сут 1 л 3,2%", "Молоко 1 л 3,2%", "Milk 1 l 3.2%"), "pcs", (9_500, 14_000), False),
    (("Tuxum C1", "Тухум C1", "Яйца C1", "Eggs C1"), "box", (38_000, 52_000), False),
    (("Mineral suv 1,5 l", "Минерал сув 1,5 л", "Вода минеральная 1,5 л", "Mineral water 1.5 l"), "pcs",
     (3_500, 6_500), False),
    (("Pishloq Gollandiya", "Пишлоқ Голландия", "Сыр Голландский", "Dutch cheese"), "kg", (85_000, 130_000), True),
    (("Kir yuvish kukuni 3 kg", "Кир ювиш кукуни 3 кг", "Стиральный порошок 3 кг", "Washing powder 3 kg"), "pcs",
     (48_000, 76_000), False),
    (("Sovun 90 g", "Совун 90 г", "Мыло туалетное 90 г", "Soap 90 g"), "pcs", (4_000, 8_000), False),
    (("Pechenye \"Yubiley\"", "Печенье «Юбилей»", "Печенье «Юбилейное»", "Biscuits Yubiley"), "box",
     (45_000, 70_000), False),
    (("Kartoshka", "Картошка", "Картофель", "Potatoes"), "kg", (4_000, 7_500), True),
    (("Piyoz", "Пиёз", "Лук репчатый", "Onions"), "kg", (3_000, 6_000), True),
    (("Go'sht mol", "Гўшт мол", "Говядина", "Beef"), "kg", (95_000, 125_000), True),
    (("Qog'oz salfetka", "Қоғоз салфетка", "Салфетки бумажные", "Paper napkins"), "pack", (7_000, 12_000), False),
    (("Sharbat olma 1 l", "Шарбат олма 1 л", "Сок яблочный 1 л", "Apple juice 1 l"), "pcs", (12_000, 19_000), False),
    (("Konfet \"Alpi\"", "Конфет «Алпи»", "Конфеты «Альпи»", "Alpi sweets"), "kg", (60_000, 95_000), True),
    (("Tish pastasi 100 ml", "Тиш пастаси 100 мл", "Зубная паста 100 мл", "Toothpaste 100 ml"), "pcs",
     (14_000, 26_000), False),
    (("Sement M400", "Цемент М400", "Цемент М400", "Cement M400"), "bag", (52_000, 64_000), False),
    (("Lampochka LED 12 W", "Лампочка LED 12 W", "Лампа светодиодная 12 Вт", "LED bulb 12 W"), "pcs",
     (11_000, 19_000), False),
]
UNITS = {
    "pcs": ("dona", "дона", "шт", "pcs"), "kg": ("kg", "кг", "кг", "kg"), "bag": ("qop", "қоп", "мешок", "bag"),
    "box": ("quti", "қути", "кор", "box"), "pack": ("pachka", "пачка", "пачка", "pack"),
}
_LANG_INDEX = {"uz": 0, "uz_cyrl": 1, "ru": 2, "en": 3}
_FIRST = ["Aziz", "Dilnoza", "Jasur", "Malika", "Sardor", "Nodira", "Bekzod", "Gulnora", "Otabek", "Rustam"]
_FIRST_CYRL = ["Азиз", "Дилноза", "Жасур", "Малика", "Сардор", "Нодира", "Бекзод", "Гулнора", "Отабек", "Рустам"]
_LAST = ["Karimov", "Toshmatov", "Abdullayev", "Qodirov", "Ergashev", "Xolmatov", "Usmonov"]
_LAST_CYRL = ["Каримов", "Тошматов", "Абдуллаев", "Қодиров", "Эргашев", "Холматов", "Усмонов"]


@dataclass
class Party:
    name: str
    tin: str | None
    address: str
    bank: str
    account: str  # 20 digits
    mfo: str  # 5 digits
    vat_code: str  # 12 digits
    director: str


@dataclass
class Line:
    name: str
    unit: str
    quantity: Decimal
    unit_price: Decimal
    amount: Decimal
    vat_rate: Decimal | None
    vat_amount: Decimal
    amount_with_vat: Decimal
    code: str  # IKPU (17 digits)
    barcode: str


@dataclass
class Invoice:
    seed: int
    layout: str
    language: str
    number: str
    date: dt.date
    seller: Party
    buyer: Party | None
    lines: list[Line]
    vat_rate: Decimal | None  # None: "QQSsiz" / без НДС
    prices_include_vat: bool
    total_without_vat: Decimal
    vat_amount: Decimal
    total: Decimal
    printed_total: Decimal  # differs from `total` when the document does not add up (on purpose)
    contract_number: str
    contract_date: dt.date
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def kind(self) -> str:
        return {"receipt": "receipt", "waybill": "waybill"}.get(self.layout, "invoice")

    def ground_truth(self) -> dict[str, Any]:
        buyer = self.buyer
        return {
            "seed": self.seed, "layout": self.layout, "language": self.language, "kind": self.kind,
            "fields": {
                "invoice_number": self.number, "date": self.date.isoformat(), "seller": self.seller.name,
                "seller_tin": self.seller.tin, "buyer": buyer.name if buyer else None,
                "buyer_tin": buyer.tin if buyer else None, "currency": "UZS",
                "total_without_vat": _s(self.total_without_vat), "vat_rate": _s(self.vat_rate),
                "vat_amount": _s(self.vat_amount), "total": _s(self.printed_total),
            },
            "without_vat": self.vat_rate is None, "prices_include_vat": self.prices_include_vat,
            "adds_up": self.printed_total == self.total,
            "items": [
                {"name": line.name, "unit": line.unit, "quantity": _s(line.quantity),
                 "unit_price": _s(line.unit_price), "amount": _s(line.amount), "vat_rate": _s(line.vat_rate),
                 "vat_amount": _s(line.vat_amount), "amount_with_vat": _s(line.amount_with_vat)}
                for line in self.lines
            ],
        }


def _s(value: Decimal | None) -> str | None:
    return None if value is None else format(value, "f")


def _company(rng: random.Random, language: str) -> str:
    latin, cyrillic = rng.choice(_ROOTS)
    form = rng.choice(_FORMS[language])
    if language == "uz":
        return f"\"{latin}\" {form}"
    if language == "uz_cyrl":
        return f"«{cyrillic}» {form}"
    if language == "ru":
        return f"{form} «{cyrillic}»"
    return f"{latin.replace(chr(39), '')} {form}"


def _person(rng: random.Random, language: str) -> str:
    i, j = rng.randrange(len(_FIRST)), rng.randrange(len(_LAST))
    if language in ("uz", "en"):
        return f"{_LAST[j]} {_FIRST[i][0]}."
    return f"{_LAST_CYRL[j]} {_FIRST_CYRL[i][0]}."


def _digits(rng: random.Random, n: int, first: str = "123456789") -> str:
    return rng.choice(first) + "".join(rng.choice("0123456789") for _ in range(n - 1))


def _party(rng: random.Random, language: str, with_tin: bool = True) -> Party:
    return Party(
        name=_company(rng, language), tin=_digits(rng, 9, "23") if with_tin else None,
        address=rng.choice(_CITIES[language]), bank=rng.choice(_BANKS[language]), account="2020" + _digits(rng, 16),
        mfo="0" + _digits(rng, 4), vat_code="3" + _digits(rng, 11), director=_person(rng, language),
    )


def _quantity(rng: random.Random, fractional: bool, layout: str) -> Decimal:
    if fractional and rng.random() < 0.5:
        return Decimal(rng.choice([0.5, 1.5, 2.5, 3.2, 4.75, 12.5, 0.85, 7.3])).quantize(Decimal("0.001"))
    top = 6 if layout == "receipt" else 120
    return Decimal(rng.choice([1, 2, 3, 4, 5, 6, 10, 12, 15, 20, 24, 25, 30, 40, 48, 50, 60, 100, 120]
                              if top > 6 else [1, 1, 1, 2, 2, 3, 4, 5]))


def make_invoice(seed: int, layout: str | None = None, language: str | None = None) -> Invoice:
    rng = random.Random(seed)
    layout = layout or rng.choice(LAYOUTS)
    language = language or rng.choice(LANGUAGES)
    li = _LANG_INDEX[language]
    receipt = layout == "receipt"
    vat_rate: Decimal | None = None if rng.random() < 0.2 else Decimal(12)
    n_lines = rng.randint(2, 6) if receipt else rng.randint(2, 9)
    goods = rng.sample(_GOODS, n_lines)
    lines: list[Line] = []
    for names, unit, (low, high), fractional in goods:
        quantity = _quantity(rng, fractional, layout)
        price = Decimal(rng.randrange(low // 100, high // 100) * 100)
        if rng.random() < 0.2 and not receipt:
            price += Decimal(rng.choice([50, 25, 75]))
        amount = (quantity * price).quantize(CENT, rounding=ROUND_HALF_UP)
        if vat_rate is None:
            vat = Decimal("0.00")
            with_vat = amount
        elif receipt:
            vat = (amount * vat_rate / (100 + vat_rate)).quantize(CENT, rounding=ROUND_HALF_UP)
            with_vat = amount
        else:
            vat = (amount * vat_rate / 100).quantize(CENT, rounding=ROUND_HALF_UP)
            with_vat = amount + vat
        lines.append(Line(
            name=names[li], unit=UNITS[unit][li], quantity=quantity, unit_price=price, amount=amount,
            vat_rate=vat_rate, vat_amount=vat, amount_with_vat=with_vat, code="0" + _digits(rng, 16),
            barcode="478" + _digits(rng, 10),
        ))
    amount_sum = sum((line.amount for line in lines), Decimal("0.00"))
    vat_sum = sum((line.vat_amount for line in lines), Decimal("0.00"))
    if receipt:
        total = amount_sum
        total_without_vat = amount_sum - vat_sum
    else:
        total_without_vat = amount_sum
        total = amount_sum + vat_sum
    printed_total = total
    if rng.random() < 0.06:  # a document whose total does not add up: the reader must flag it, not fix it
        printed_total = total + Decimal(rng.choice([1000, 10000, -5000, 100000]))
    when = dt.date(2024, 1, 1) + timedelta(days=rng.randrange(0, 700))
    number = _number(rng, layout)
    seller = _party(rng, language)
    buyer = None if receipt else _party(rng, language, with_tin=rng.random() > 0.08)
    return Invoice(
        seed=seed, layout=layout, language=language, number=number, date=when, seller=seller, buyer=buyer,
        lines=lines, vat_rate=vat_rate, prices_include_vat=receipt, total_without_vat=total_without_vat,
        vat_amount=vat_sum, total=total, printed_total=printed_total,
        contract_number=f"{rng.randint(1, 99)}/{when.year % 100}",
        contract_date=when - timedelta(days=rng.randrange(20, 300)),
        extra={"time": f"{rng.randint(8, 21):02d}:{rng.randint(0, 59):02d}", "cashier": _person(rng, language),
               "fiscal": _digits(rng, 12), "terminal": "UZ" + _digits(rng, 12), "id": f"{rng.getrandbits(128):032x}",
               "paid_cash": rng.random() < 0.5},
    )


def _number(rng: random.Random, layout: str) -> str:
    style = rng.random()
    if layout == "dotmatrix":
        return f"{rng.randint(1, 9999):08d}"
    if layout == "receipt":
        return str(rng.randint(1, 9999))
    if layout == "einvoice" and style < 0.5:
        return f"EF-{rng.randint(1, 9999)}"
    if style < 0.25:
        return f"{rng.randint(1, 999)}/{rng.randint(1, 12):02d}"
    if style < 0.4:
        return f"A-{rng.randint(100, 9999)}"
    return str(rng.randint(1, 9999))

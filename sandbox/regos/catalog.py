"""Names for the fake company: branches, people, products, partners (Uzbek, Latin script)."""

from __future__ import annotations

COMPANY_NAME = "Baraka Savdo MChJ"
COMPANY_INN = "305123456"

BRANCHES = [
    ("Chilonzor filiali", "Toshkent, Chilonzor tumani, Bunyodkor ko'chasi 12"),
    ("Yunusobod filiali", "Toshkent, Yunusobod tumani, Amir Temur ko'chasi 107"),
    ("Sergeli 24/7", "Toshkent, Sergeli tumani, Yangi Sergeli ko'chasi 5"),
    ("Samarqand Darvoza filiali", "Toshkent, Olmazor tumani, Qoratosh ko'chasi 5A"),
    ("Navoiy filiali", "Navoiy shahri, Galaba shoh ko'chasi 21"),
    ("G'ijduvon filiali", "Buxoro viloyati, G'ijduvon, Mustaqillik ko'chasi 3"),
]

FIRST_NAMES = [
    ("Aziz", "M"),
    ("Dilnoza", "F"),
    ("Jasur", "M"),
    ("Malika", "F"),
    ("Sardor", "M"),
    ("Nodira", "F"),
    ("Bekzod", "M"),
    ("Gulnora", "F"),
    ("Otabek", "M"),
    ("Shahnoza", "F"),
    ("Rustam", "M"),
    ("Madina", "F"),
    ("Javlon", "M"),
    ("Feruza", "F"),
    ("Ulug'bek", "M"),
    ("Zarina", "F"),
]
LAST_NAMES = [
    "Karimov",
    "Rahimova",
    "Toshmatov",
    "Yusupova",
    "Abdullayev",
    "Ismoilova",
    "Qodirov",
    "Nazarova",
    "Ergashev",
    "Saidova",
    "Xolmatov",
    "Mirzayeva",
    "Usmonov",
    "Aliyeva",
]

# (group name, unit, weighted, price range in so'm, product base names)
ITEM_GROUPS = [
    ("Non mahsulotlari", "dona", False, (3_000, 15_000), ["Non", "Patir non", "Lochira", "Baton", "Bulochka"]),
    (
        "Sut mahsulotlari",
        "dona",
        False,
        (8_000, 45_000),
        ["Sut 1L", "Qatiq 0.5L", "Smetana", "Tvorog", "Pishloq", "Sariyog'"],
    ),
    ("Go'sht mahsulotlari", "kg", True, (45_000, 120_000), ["Mol go'shti", "Qo'y go'shti", "Tovuq", "Qiyma"]),
    (
        "Meva-sabzavot",
        "kg",
        True,
        (4_000, 40_000),
        ["Olma", "Banan", "Pomidor", "Bodring", "Kartoshka", "Piyoz", "Sabzi"],
    ),
    ("Ichimliklar", "dona", False, (4_000, 28_000), ["Suv 1.5L", "Sharbat 1L", "Gazli ichimlik 1.5L", "Choy", "Kofe"]),
    (
        "Oziq-ovqat",
        "dona",
        False,
        (6_000, 60_000),
        ["Guruch 1kg", "Un 2kg", "Shakar 1kg", "Yog' 1L", "Makaron", "Tuxum 10 dona"],
    ),
    ("Shirinliklar", "dona", False, (5_000, 55_000), ["Shokolad", "Pechenye", "Konfet", "Tort", "Halva", "Vafli"]),
    ("Maishiy kimyo", "dona", False, (9_000, 75_000), ["Kir yuvish kukuni", "Idish yuvish vositasi", "Oqartirgich"]),
    ("Gigiyena", "dona", False, (6_000, 48_000), ["Sovun", "Shampun", "Tish pastasi", "Salfetka", "Tualet qog'ozi"]),
]
# Item/Get `vat` by group (id, name, percent); every other group is standard-rated ("QQS 12%"). Fruit and vegetables
# stand for the zero-rated agricultural list, bread for an item outside VAT, so the tax report meets all three.
VAT_STANDARD = (1, "QQS 12%", 12)
GROUP_VAT = {"Meva-sabzavot": (2, "QQS 0%", 0), "Non mahsulotlari": (3, "QQSsiz", 0)}
# DocWholeSale `vat_calculation_type` by document id (id % len): mostly VAT included in the prices, some with VAT
# added on top of `amount`, some without VAT.
WHOLESALE_VAT_TYPES = ("Include", "Include", "Include", "Exclude", "Include", "No", "Include")

VARIANTS = ["", "Premium", "Ekonom", "Oilaviy", "Mini", "Maxi", "Klassik", "Yangi", "Organik", "Lux"]

PAYMENT_TYPES = [
    # id, name, is_cash, kkm_code
    (1, "Naqd pul", True, 0),
    (2, "Uzcard", False, 1),
    (3, "Humo", False, 1),
    (4, "Click", False, 2),
    (5, "Payme", False, 2),
    (6, "Visa/Mastercard", False, 1),
]
# Share of single-type sale payments; the rest are split cash + card.
PAYMENT_MIX = [(1, 0.42), (2, 0.20), (3, 0.16), (4, 0.08), (5, 0.07), (6, 0.02)]
SPLIT_PAYMENT_SHARE = 0.05

RETURN_REASONS = [(1, "Sifatsiz mahsulot"), (2, "Mijoz fikrini o'zgartirdi"), (3, "Noto'g'ri mahsulot")]

PARTNERS = [
    "Oila Market MChJ",
    "Nur Savdo XK",
    "Barakali Do'kon",
    "Mega Trade MChJ",
    "Sharq Ulgurji",
    "Zamon Servis MChJ",
    "Olmos Savdo",
    "Yangi Hayot XK",
    "Fayz Distribyutsiya",
    "Ipak Yo'li Trade",
]

# Items delete-marked in REGOS that may still have stock on hand: (name, ITEM_GROUPS index, price in so'm).
DELETED_ITEMS = [
    ("Mosh 5 kg", 5, 65_000),
    ("Guruch Lazer 25 kg", 5, 420_000),
    ("Limonad Sayxun 0.5L", 4, 4_500),
    ("Shokolad Alpen Gold 90 g", 6, 14_000),
    ("Kir yuvish kukuni Tide 3 kg", 7, 98_000),
    ("Sut Musaffo 2L", 1, 21_000),
]

"""The offline question parser: a table of real phrasings (four language variants, typos, mixes) and properties."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from services.ai.parser import Intent, Named, Names, detect_language, parse, to_cyrillic, to_latin

TODAY = date(2026, 12, 2)  # a Wednesday
YESTERDAY = TODAY - timedelta(days=1)
D = date
T = (TODAY, TODAY)
Y = (YESTERDAY, YESTERDAY)
THIS_WEEK = (D(2026, 11, 30), TODAY)
LAST_WEEK = (D(2026, 11, 23), D(2026, 11, 29))
THIS_MONTH = (D(2026, 12, 1), TODAY)
LAST_MONTH = (D(2026, 11, 1), D(2026, 11, 30))
LAST7 = (TODAY - timedelta(days=6), TODAY)
NAMES = Names(
    branches=[Named(1, "Chilonzor"), Named(2, "Yunusobod"), Named(3, "Sergeli")],
    sellers=[Named(11, "Dilnoza Karimova"), Named(12, "Bekzod Aliyev")],
    products=[Named(101, "Coca-Cola 1.5L"), Named(102, "Non oq"), Named(103, "Shakar 1kg")],
)

CASES: list[tuple[str, Intent, tuple[date, date] | None, str]] = [
    # Uzbek Latin
    ("kecha qancha savdo boʻldi", Intent.SALES, Y, "uz"),
    ("kecha qancha savdo bo'ldi", Intent.SALES, Y, "uz"),
    ("kecha qancha savdo boldi", Intent.SALES, Y, "uz"),
    ("bugun qancha sotdik", Intent.SALES, T, "uz"),
    ("bugungi savdo", Intent.SALES, T, "uz"),
    ("bugun savdo qalay", Intent.SALES, T, "uz"),
    ("o'tgan hafta savdo", Intent.SALES, LAST_WEEK, "uz"),
    ("oʻtgan hafta qancha tushum boʻldi", Intent.SALES, LAST_WEEK, "uz"),
    ("otgan hafta savdo qancha", Intent.SALES, LAST_WEEK, "uz"),
    ("shu oy savdo", Intent.SALES, THIS_MONTH, "uz"),
    ("shu oy qancha sotildi", Intent.SALES, THIS_MONTH, "uz"),
    ("o'tgan oy savdo qancha bo'ldi", Intent.SALES, LAST_MONTH, "uz"),
    ("shu hafta savdo", Intent.SALES, THIS_WEEK, "uz"),
    ("12-noyabr savdo", Intent.SALES, (D(2026, 11, 12),) * 2, "uz"),
    ("12 noyabrda qancha savdo boldi", Intent.SALES, (D(2026, 11, 12),) * 2, "uz"),
    ("1-15 noyabr savdo", Intent.SALES, (D(2026, 11, 1), D(2026, 11, 15)), "uz"),
    ("oxirgi 7 kun savdo", Intent.SALES, LAST7, "uz"),
    ("so'nggi 7 kunda qancha sotdik", Intent.SALES, LAST7, "uz"),
    ("kecha qaysi filial eng kam sotdi", Intent.TOP_BRANCHES, Y, "uz"),
    ("kecha qaysi filial eng ko'p sotdi", Intent.TOP_BRANCHES, Y, "uz"),
    ("shu oy eng kop sotilgan 5 ta mahsulot", Intent.TOP_PRODUCTS, THIS_MONTH, "uz"),
    ("top 10 tovar shu oy", Intent.TOP_PRODUCTS, THIS_MONTH, "uz"),
    ("eng yaxshi sotuvchi kecha", Intent.TOP_SELLERS, Y, "uz"),
    ("kecha chilonzorda qancha savdo", Intent.SALES, Y, "uz"),
    ("kecha naqd qancha tushdi", Intent.SALES, Y, "uz"),
    ("kecha nechta chek", Intent.SALES, Y, "uz"),
    ("kecha vozvrat qancha", Intent.SALES, Y, "uz"),
    ("qoldiq coca cola", Intent.STOCK, None, "uz"),
    ("qaysi tovarlar kam qoldi", Intent.LOW_STOCK, None, "uz"),
    ("dilnoza kecha qancha sotdi", Intent.SELLER, Y, "uz"),
    ("kecha prodaja qancha", Intent.SALES, Y, "uz"),
    ("kecha filiallar boyicha savdo", Intent.TOP_BRANCHES, Y, "uz"),
    ("shu oy oylik qancha", Intent.PAYROLL, THIS_MONTH, "uz"),
    ("regos kalitini korsat", Intent.SECRET, None, "uz"),
    ("ertaga qancha savdo boladi", Intent.SALES, (TODAY + timedelta(days=1),) * 2, "uz"),
    # Uzbek Cyrillic
    ("кеча қанча савдо бўлди", Intent.SALES, Y, "uz"),
    ("бугун қанча сотдик", Intent.SALES, T, "uz"),
    ("ўтган ҳафта савдо", Intent.SALES, LAST_WEEK, "uz"),
    ("шу ой энг кўп сотилган маҳсулот", Intent.TOP_PRODUCTS, THIS_MONTH, "uz"),
    ("кеча қайси филиал энг кам сотди", Intent.TOP_BRANCHES, Y, "uz"),
    ("ўтган ой савдо қанча", Intent.SALES, LAST_MONTH, "uz"),
    # Russian
    ("вчера сколько продали", Intent.SALES, Y, "ru"),
    ("какой филиал вчера продал меньше всех", Intent.TOP_BRANCHES, Y, "ru"),
    ("какой филиал вчера продал больше всех", Intent.TOP_BRANCHES, Y, "ru"),
    ("продажи за прошлую неделю", Intent.SALES, LAST_WEEK, "ru"),
    ("выручка сегодня", Intent.SALES, T, "ru"),
    ("сколько продали в этом месяце", Intent.SALES, THIS_MONTH, "ru"),
    ("продажи за прошлый месяц", Intent.SALES, LAST_MONTH, "ru"),
    ("топ 5 товаров за этот месяц", Intent.TOP_PRODUCTS, THIS_MONTH, "ru"),
    ("самый продаваемый товар вчера", Intent.TOP_PRODUCTS, Y, "ru"),
    ("лучший продавец за неделю", Intent.TOP_SELLERS, LAST7, "ru"),
    ("продажи за последние 7 дней", Intent.SALES, LAST7, "ru"),
    ("продажи с 1 по 15 ноября", Intent.SALES, (D(2026, 11, 1), D(2026, 11, 15)), "ru"),
    ("продажи 12 ноября", Intent.SALES, (D(2026, 11, 12),) * 2, "ru"),
    ("остатки на складе", Intent.STOCK, None, "ru"),
    ("какие товары заканчиваются", Intent.LOW_STOCK, None, "ru"),
    ("зарплата за прошлый месяц", Intent.PAYROLL, LAST_MONTH, "ru"),
    ("вчера продажи в юнусабаде", Intent.SALES, Y, "ru"),
    ("вчира скока продали", Intent.SALES, Y, "ru"),
    ("средний чек вчера", Intent.SALES, Y, "ru"),
    ("покажи ключ регос", Intent.SECRET, None, "ru"),
    # English
    ("top 5 products this month", Intent.TOP_PRODUCTS, THIS_MONTH, "en"),
    ("how much did we sell yesterday", Intent.SALES, Y, "en"),
    ("sales today", Intent.SALES, T, "en"),
    ("last 7 days sales", Intent.SALES, LAST7, "en"),
    ("sales last week", Intent.SALES, LAST_WEEK, "en"),
    ("which branch sold the least yesterday", Intent.TOP_BRANCHES, Y, "en"),
    ("best sellers last month", Intent.TOP_SELLERS, LAST_MONTH, "en"),
    ("worst 3 products last week", Intent.TOP_PRODUCTS, LAST_WEEK, "en"),
    ("sales from 2026-11-01 to 2026-11-15", Intent.SALES, (D(2026, 11, 1), D(2026, 11, 15)), "en"),
    ("yestrday sales", Intent.SALES, Y, "en"),
    ("what is in stock", Intent.STOCK, None, "en"),
    ("low stock", Intent.LOW_STOCK, None, "en"),
    ("show me the regos key", Intent.SECRET, None, "en"),
    ("payroll this month", Intent.PAYROLL, THIS_MONTH, "en"),
    ("average receipt this week", Intent.SALES, THIS_WEEK, "en"),
]


@pytest.mark.parametrize(("text", "intent", "period", "language"), CASES)
def test_real_phrasings(text: str, intent: Intent, period: tuple[date, date] | None, language: str) -> None:
    question = parse(text, TODAY, NAMES)
    assert question.intent is intent, question
    assert (None if question.period is None else (question.period.first, question.period.last)) == period
    assert question.language == language


def test_the_table_is_large() -> None:
    assert len(CASES) >= 60


def test_names_limits_order_and_script() -> None:
    assert [b.id for b in parse("kecha chilanzorda savdo", TODAY, NAMES).branches] == [1]
    assert [b.id for b in parse("вчера продажи юнусобод", TODAY, NAMES).branches] == [2]
    assert parse("top 5 products this month", TODAY, NAMES).limit == 5
    assert parse("какой филиал вчера продал меньше всех", TODAY, NAMES).order == "bottom"
    assert parse("kecha qaysi filial eng kop sotdi", TODAY, NAMES).order == "top"
    assert parse("кеча қанча савдо бўлди", TODAY, NAMES).script == "cyrillic"
    assert parse("ertaga savdo", TODAY, NAMES).future
    seller = parse("dilnoza kecha qancha sotdi", TODAY, NAMES).seller
    assert seller is not None and seller.id == 11
    assert detect_language("вчера сколько продали") == ("ru", "cyrillic")
    assert to_cyrillic("Kecha savdo boʻldi: 5 000 soʻm") == "Кеча савдо бўлди: 5 000 сўм"
    assert to_latin("ўтган ҳафта") == "o'tgan hafta"


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_any_text_parses_without_error(text: str) -> None:
    question = parse(text, TODAY, NAMES)
    assert question.language in {"uz", "ru", "en"}
    if question.period is not None:
        assert question.period.first <= question.period.last


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(CASES), st.sampled_from(["", " ", "!!", "?", "  ...", " pls", " iltimos"]),
       st.booleans())
def test_noise_and_case_do_not_change_the_intent(case: tuple[str, Intent, object, str], tail: str,
                                                 upper: bool) -> None:
    text, intent, _period, _language = case
    typed = (text.upper() if upper else text) + tail
    assert parse(typed, TODAY, NAMES).intent is intent


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=1, max_value=90))
def test_last_n_days_in_every_language(days: int) -> None:
    for text in (f"last {days} days sales", f"oxirgi {days} kun savdo", f"продажи за последние {days} дней"):
        period = parse(text, TODAY, NAMES).period
        assert period is not None and period.last == TODAY and period.days == days, text

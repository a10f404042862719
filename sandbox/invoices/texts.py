"""The printed words of each layout in each language, and how numbers and dates are written on paper."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

from services.ocr.words import number_to_words

T: dict[str, dict[str, str]] = {
    "uz": {
        "invoice": "HISOBVARAQ-FAKTURA", "einvoice": "ELEKTRON HISOBVARAQ-FAKTURA", "waybill": "YUK XATI",
        "dotmatrix": "Hisobvaraq-faktura", "seller": "Yetkazib beruvchi", "buyer": "Xaridor", "seller2": "Sotuvchi",
        "buyer2": "Oluvchi", "tin": "STIR", "address": "Manzil", "account": "H/r", "bank": "Bank", "mfo": "MFO",
        "vat_code": "QQS to'lovchining ro'yxatdan o'tish kodi", "contract": "Shartnoma", "no": "№",
        "col_n": "№", "col_name": "Tovar (ish, xizmat) nomi", "col_unit": "O'lchov birligi", "col_qty": "Miqdori",
        "col_price": "Narxi", "col_amount": "Yetkazib berish qiymati", "col_vat_rate": "QQS stavkasi",
        "col_vat": "QQS summasi", "col_total": "QQS bilan qiymati", "col_code": "IKPU", "total": "Jami",
        "words": "Jami to'lovga", "currency": "so'm", "cents": "tiyin", "no_vat": "QQSsiz", "director": "Rahbar",
        "accountant": "Bosh hisobchi", "released": "Topshirdi", "received": "Qabul qildi",
        "vat_incl": "shu jumladan QQS",
        "receipt": "SAVDO CHEKI", "cheque": "Chek", "cashier": "Kassir", "cash": "Naqd", "card": "Plastik karta",
        "fiscal": "Fiskal belgi", "terminal": "FM raqami", "thanks": "Xaridingiz uchun rahmat!", "vat": "QQS",
        "vat_total": "QQS summasi", "grand": "Jami to'lov", "id": "Hujjat ID", "date": "Sana", "date_word": "sanasi",
        "qty_short": "Soni", "unit_short": "O'lch.", "sum_short": "Summasi", "waybill_total": "Jami QQS bilan",
    },
    "uz_cyrl": {
        "invoice": "ҲИСОБВАРАҚ-ФАКТУРА", "einvoice": "ЭЛЕКТРОН ҲИСОБВАРАҚ-ФАКТУРА", "waybill": "ЮК ХАТИ",
        "dotmatrix": "Ҳисобварақ-фактура", "seller": "Етказиб берувчи", "buyer": "Харидор", "seller2": "Сотувчи",
        "buyer2": "Олувчи", "tin": "СТИР", "address": "Манзил", "account": "Ҳ/р", "bank": "Банк", "mfo": "МФО",
        "vat_code": "ҚҚС тўловчининг рўйхатдан ўтиш коди", "contract": "Шартнома", "no": "№",
        "col_n": "№", "col_name": "Товар (иш, хизмат) номи", "col_unit": "Ўлчов бирлиги", "col_qty": "Миқдори",
        "col_price": "Нархи", "col_amount": "Етказиб бериш қиймати", "col_vat_rate": "ҚҚС ставкаси",
        "col_vat": "ҚҚС суммаси", "col_total": "ҚҚС билан қиймати", "col_code": "ИКПУ", "total": "Жами",
        "words": "Жами тўловга", "currency": "сўм", "cents": "тийин", "no_vat": "ҚҚСсиз", "director": "Раҳбар",
        "accountant": "Бош ҳисобчи", "released": "Топширди", "received": "Қабул қилди", "vat_incl": "шу жумладан ҚҚС",
        "receipt": "САВДО ЧЕКИ", "cheque": "Чек", "cashier": "Кассир", "cash": "Нақд", "card": "Пластик карта",
        "fiscal": "Фискал белги", "terminal": "ФМ рақами", "thanks": "Харидингиз учун раҳмат!", "vat": "ҚҚС",
        "vat_total": "ҚҚС суммаси", "grand": "Жами тўлов", "id": "Ҳужжат ID", "date": "Сана", "date_word": "санаси",
        "qty_short": "Сони", "unit_short": "Ўлч.", "sum_short": "Суммаси", "waybill_total": "Жами ҚҚС билан",
    },
    "ru": {
        "invoice": "СЧЁТ-ФАКТУРА", "einvoice": "ЭЛЕКТРОННЫЙ СЧЁТ-ФАКТУРА", "waybill": "ТОВАРНАЯ НАКЛАДНАЯ",
        "dotmatrix": "Счет-фактура", "seller": "Поставщик", "buyer": "Покупатель", "seller2": "Продавец",
        "buyer2": "Получатель", "tin": "ИНН", "address": "Адрес", "account": "Р/с", "bank": "Банк", "mfo": "МФО",
        "vat_code": "Регистрационный код плательщика НДС", "contract": "Договор", "no": "№",
        "col_n": "№", "col_name": "Наименование товаров (работ, услуг)", "col_unit": "Ед. изм.", "col_qty": "Кол-во",
        "col_price": "Цена", "col_amount": "Стоимость поставки", "col_vat_rate": "Ставка НДС",
        "col_vat": "Сумма НДС", "col_total": "Стоимость с НДС", "col_code": "ИКПУ", "total": "Итого",
        "words": "Всего к оплате", "currency": "сум", "cents": "тийин", "no_vat": "Без НДС", "director": "Руководитель",
        "accountant": "Главный бухгалтер", "released": "Отпустил", "received": "Получил", "vat_incl": "в т.ч. НДС",
        "receipt": "ТОВАРНЫЙ ЧЕК", "cheque": "Чек", "cashier": "Кассир", "cash": "Наличные",
        "card": "Пластиковая карта",
        "fiscal": "Фискальный признак", "terminal": "ФМ №", "thanks": "Спасибо за покупку!", "vat": "НДС",
        "vat_total": "Сумма НДС", "grand": "ИТОГО К ОПЛАТЕ", "id": "ID документа", "date": "Дата", "date_word": "от",
        "qty_short": "Кол-во", "unit_short": "Ед.", "sum_short": "Сумма", "waybill_total": "Всего с НДС",
    },
    "en": {
        "invoice": "TAX INVOICE", "einvoice": "ELECTRONIC INVOICE", "waybill": "DELIVERY NOTE", "dotmatrix": "Invoice",
        "seller": "Supplier", "buyer": "Buyer", "seller2": "Seller", "buyer2": "Consignee", "tin": "TIN",
        "address": "Address", "account": "Account", "bank": "Bank", "mfo": "MFO", "vat_code": "VAT registration code",
        "contract": "Contract", "no": "No.", "col_n": "No.", "col_name": "Description of goods", "col_unit": "Unit",
        "col_qty": "Qty", "col_price": "Price", "col_amount": "Amount", "col_vat_rate": "VAT rate",
        "col_vat": "VAT amount", "col_total": "Amount incl. VAT", "col_code": "Code", "total": "Total",
        "words": "Amount due", "currency": "soum", "cents": "tiyin", "no_vat": "Without VAT", "director": "Director",
        "accountant": "Chief accountant", "released": "Released by", "received": "Received by",
        "vat_incl": "incl. VAT", "receipt": "SALES RECEIPT", "cheque": "Receipt", "cashier": "Cashier",
        "cash": "Cash", "card": "Card", "fiscal": "Fiscal sign", "terminal": "FM No.", "thanks": "Thank you!",
        "vat": "VAT", "vat_total": "VAT total", "grand": "TOTAL DUE", "id": "Document ID", "date": "Date",
        "date_word": "dated", "qty_short": "Qty", "unit_short": "Unit", "sum_short": "Amount",
        "waybill_total": "Total incl. VAT",
    },
}

_MONTHS = {
    "uz": ["yanvar", "fevral", "mart", "aprel", "may", "iyun", "iyul", "avgust", "sentabr", "oktabr", "noyabr",
           "dekabr"],
    "uz_cyrl": ["январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь",
                "ноябрь", "декабрь"],
    "ru": ["января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября", "ноября",
           "декабря"],
    "en": ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"],
}


def money(value: Decimal, style: str) -> str:
    """"space": 1 250 000,00 · "space_dot": 1 250 000.00 · "comma": 1,250,000.00"""
    whole, _, cents = f"{value:.2f}".partition(".")
    sign = "-" if whole.startswith("-") else ""
    whole = whole.lstrip("-")
    groups: list[str] = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    if style == "comma":
        return f"{sign}{','.join(groups)}.{cents}"
    return f"{sign}{' '.join(groups)}{',' if style == 'space' else '.'}{cents}"


def quantity(value: Decimal, style: str) -> str:
    if value == value.to_integral_value():
        return str(int(value))
    text = f"{value.normalize():f}"
    return text if style == "comma" else text.replace(".", ",")


def written_date(when: date, language: str, rng: random.Random) -> str:
    """A date written out, in one of the ways each language writes it on a document's heading."""
    month = _MONTHS[language][when.month - 1]
    choice = rng.random()
    if language == "uz":
        return f"{when.year} yil {when.day}-{month}" if choice < 0.6 else f"{when.day:02d}.{when.month:02d}.{when.year}"
    if language == "uz_cyrl":
        return f"{when.year} йил {when.day} {month}" if choice < 0.6 else f"{when.day:02d}.{when.month:02d}.{when.year}"
    if language == "ru":
        if choice < 0.4:
            return f"«{when.day:02d}» {month} {when.year} г."
        return f"{when.day} {month} {when.year} г." if choice < 0.7 else f"{when.day:02d}.{when.month:02d}.{when.year}"
    return f"{when.day} {month} {when.year}" if choice < 0.5 else f"{month} {when.day}, {when.year}"


def words_line(total: Decimal, language: str) -> str:
    whole = int(total)
    cents = int((total - whole) * 100)
    text = number_to_words(whole, language)
    return f"{text[0].upper()}{text[1:]} {T[language]['currency']} {cents:02d} {T[language]['cents']}"


def percent(rate: Decimal | None, language: str) -> str:
    return T[language]["no_vat"] if rate is None else f"{int(rate)}%"

"""The five layouts an invoice is drawn in: the official hisobvaraq-faktura form, an e-invoice printout (Didox /
Faktura.uz style), a waybill (yuk xati / накладная), a till's thermal receipt and a 1C dot-matrix print."""

from __future__ import annotations

import random
from decimal import Decimal

import numpy as np
from PIL import Image, ImageFilter

from sandbox.invoices.content import Invoice, Party
from sandbox.invoices.sheet import Column, Sheet, new_sheet
from sandbox.invoices.texts import T, money, percent, quantity, words_line, written_date


def _heading(inv: Invoice, rng: random.Random, numeric: bool = False) -> str:
    t = T[inv.language]
    when = f"{inv.date:%d.%m.%Y}" if numeric else written_date(inv.date, inv.language, rng)
    if inv.language == "ru":
        return f"№ {inv.number} от {when}"
    if inv.language == "en":
        return f"No. {inv.number} dated {when}"
    if numeric:
        return f"№ {inv.number} {t['date_word']} {when}"
    return f"№ {inv.number}   {when}"


def _contract(inv: Invoice) -> str:
    t = T[inv.language]
    joiner = {"ru": "от", "en": "dated"}.get(inv.language, t["date_word"] if inv.language != "uz" else "sanasi")
    return f"{t['contract']} {t['no']} {inv.contract_number} {joiner} {inv.contract_date:%d.%m.%Y}"


def _party_block(sheet: Sheet, x: float, y: float, label: str, party: Party | None, t: dict[str, str],
                 width: float, boxes: bool, size: float = 9.5) -> float:
    step = size * 0.3528 * 1.45
    if party is None:
        return y
    lines = sheet.wrap(f"{label}: {party.name}", width, size + 0.5, True)
    for line in lines:
        sheet.text(x, y, line, size + 0.5, True)
        y += step
    y = sheet.paragraph(x, y, f"{t['address']}: {party.address}", width, size)
    if party.tin is not None:
        if boxes:
            sheet.text(x, y + 0.6, f"{t['tin']}:", size)
            sheet.digit_boxes(x + sheet.width(f"{t['tin']}: ", size) + 1, y, party.tin, size)
            y += step * 1.5
        else:
            sheet.text(x, y, f"{t['tin']}: {party.tin}", size)
            y += step
    y = sheet.paragraph(x, y, f"{t['vat_code']}: {party.vat_code}", width, size)
    y = sheet.paragraph(x, y, f"{t['account']}: {party.account}  {t['mfo']}: {party.mfo}", width, size)
    y = sheet.paragraph(x, y, f"{t['bank']}: {party.bank}", width, size)
    return y


def _item_rows(inv: Invoice, style: str, code: bool = False) -> list[list[str]]:
    rows = []
    for i, line in enumerate(inv.lines, 1):
        vat = money(line.vat_amount, style) if inv.vat_rate is not None else "-"
        row = [str(i), line.name] + ([line.code] if code else []) + [
            line.unit, quantity(line.quantity, style), money(line.unit_price, style), money(line.amount, style),
            percent(line.vat_rate, inv.language), vat, money(line.amount_with_vat, style)]
        rows.append(row)
    return rows


def _totals_row(inv: Invoice, style: str, blanks: int) -> list[str]:
    t = T[inv.language]
    amount = sum((line.amount for line in inv.lines), Decimal(0))
    vat = money(inv.vat_amount, style) if inv.vat_rate is not None else "-"
    return ["", t["total"], *[""] * blanks, money(amount, style), "", vat, money(inv.printed_total, style)]


def official(inv: Invoice, rng: random.Random) -> Image.Image:
    t = T[inv.language]
    style = "comma" if inv.language == "en" else rng.choice(["space", "space", "space_dot"])
    sheet = new_sheet("landscape", rng.choice(["sans", "serif"]))
    y = 10.0
    sheet.text(148, y, t["invoice"], 15, True, "c")
    y += 8
    sheet.text(148, y, _heading(inv, rng), 11.5, False, "c")
    y += 6
    sheet.text(148, y, _contract(inv), 9.5, False, "c")
    y += 8
    boxes = rng.random() < 0.5
    left = _party_block(sheet, 12, y, t["seller"], inv.seller, t, 125, boxes)
    right = _party_block(sheet, 155, y, t["buyer"], inv.buyer, t, 125, boxes)
    y = max(left, right) + 4
    columns = [Column(t["col_n"], 8, "c"), Column(t["col_name"], 70), Column(t["col_unit"], 18, "c"),
               Column(t["col_qty"], 19, "r"), Column(t["col_price"], 28, "r"), Column(t["col_amount"], 32, "r"),
               Column(t["col_vat_rate"], 17, "c"), Column(t["col_vat"], 28, "r"), Column(t["col_total"], 33, "r")]
    rows = [*_item_rows(inv, style), _totals_row(inv, style, 3)]
    y = sheet.table(12, y, columns, rows, 9.5, 8.5, bold_rows=frozenset({len(rows) - 1}))
    y += 4
    y = sheet.paragraph(12, y, f"{t['words']}: {words_line(inv.printed_total, inv.language)}", 270, 10)
    y += 6
    sheet.signature(12, y, f"{t['director']}: {inv.seller.director}")
    sheet.signature(155, y, f"{t['received']}:")
    sheet.signature(12, y + 8, f"{t['accountant']}:")
    sheet.signature(155, y + 8, f"{t['director']}:")
    return sheet.image


def einvoice(inv: Invoice, rng: random.Random) -> Image.Image:
    t = T[inv.language]
    style = "comma" if inv.language == "en" else rng.choice(["space", "space_dot"])
    sheet = new_sheet("portrait", "cond")
    sheet.text(10, 8, f"{t['id']}: {inv.extra['id'][:24]}", 7.5)
    sheet.qr(172, 7, 26, inv.seed)
    y = 16.0
    sheet.text(98, y, t["einvoice"], 13, True, "c")
    y += 7
    sheet.text(98, y, _heading(inv, rng, numeric=True), 11, False, "c")
    y += 6
    sheet.text(98, y, _contract(inv), 9, False, "c")
    y = 38.0
    left = _party_block(sheet, 10, y, t["seller2"], inv.seller, t, 90, False, 8.5)
    right = _party_block(sheet, 107, y, t["buyer"], inv.buyer, t, 93, False, 8.5)
    y = max(left, right) + 4
    columns = [Column(t["col_n"], 6, "c"), Column(t["col_name"], 38), Column(t["col_code"], 30, "c"),
               Column(t["col_unit"], 11, "c"), Column(t["col_qty"], 12, "r"), Column(t["col_price"], 19, "r"),
               Column(t["col_amount"], 22, "r"), Column(t["col_vat_rate"], 10, "c"), Column(t["col_vat"], 19, "r"),
               Column(t["col_total"], 23, "r")]
    rows = [*_item_rows(inv, style, code=True), _totals_row(inv, style, 4)]
    y = sheet.table(10, y, columns, rows, 9, 7.5, bold_rows=frozenset({len(rows) - 1}))
    y += 4
    y = sheet.paragraph(10, y, f"{t['words']}: {words_line(inv.printed_total, inv.language)}", 190, 9)
    y += 8
    sheet.text(10, y, f"{t['seller2']}: {inv.seller.director}  (ERI / ЭЦП)", 8.5)
    sheet.text(107, y, f"{t['buyer']}: {t['received'].lower()} {inv.date:%d.%m.%Y} {inv.extra['time']}", 8.5)
    return sheet.image


def waybill(inv: Invoice, rng: random.Random) -> Image.Image:
    t = T[inv.language]
    style = "comma" if inv.language == "en" else rng.choice(["space", "space_dot"])
    sheet = new_sheet("portrait", "serif")
    y = 14.0
    sheet.text(105, y, f"{t['waybill']} {t['no']} {inv.number}", 14, True, "c")
    y += 8
    sheet.text(105, y, written_date(inv.date, inv.language, rng), 11, False, "c")
    y += 12
    for label, party in ((t["seller"], inv.seller), (t["buyer2"], inv.buyer)):
        if party is None:
            continue
        y = sheet.paragraph(15, y, f"{label}: {party.name}", 180, 10.5, True)
        tin = f"{t['tin']}: {party.tin}    " if party.tin else ""
        y = sheet.paragraph(15, y, f"{tin}{t['address']}: {party.address}", 180, 10)
        y += 3
    y += 2
    columns = [Column(t["col_n"], 9, "c"), Column(t["col_name"], 72), Column(t["unit_short"], 16, "c"),
               Column(t["qty_short"], 20, "r"), Column(t["col_price"], 30, "r"), Column(t["sum_short"], 33, "r")]
    rows = [[str(i), line.name, line.unit, quantity(line.quantity, style), money(line.unit_price, style),
             money(line.amount, style)] for i, line in enumerate(inv.lines, 1)]
    y = sheet.table(15, y, columns, rows, 10, 9.5)
    y += 3
    amount = sum((line.amount for line in inv.lines), Decimal(0))
    sheet.text(150, y, f"{t['total']}:", 10.5, True, "r")
    sheet.text(195, y, money(amount, style), 10.5, True, "r")
    y += 6
    if inv.vat_rate is None:
        sheet.text(150, y, f"{t['no_vat']}", 10.5, False, "r")
    else:
        sheet.text(150, y, f"{t['vat']} {int(inv.vat_rate)}%:", 10.5, False, "r")
        sheet.text(195, y, money(inv.vat_amount, style), 10.5, False, "r")
    y += 6
    sheet.text(150, y, f"{t['waybill_total']}:", 10.5, True, "r")
    sheet.text(195, y, money(inv.printed_total, style), 10.5, True, "r")
    y += 10
    y = sheet.paragraph(15, y, f"{t['words']}: {words_line(inv.printed_total, inv.language)}", 180, 10)
    y += 10
    sheet.signature(15, y, f"{t['released']}:", 10)
    sheet.signature(110, y, f"{t['received']}:", 10)
    return sheet.image


def receipt(inv: Invoice, rng: random.Random) -> Image.Image:
    t = T[inv.language]
    style = "space_dot" if rng.random() < 0.6 else "comma"
    width = 80.0
    sheet = Sheet(width, 400, family="mono")
    size = 8.5
    step = size * 0.3528 * 1.4
    chars = 40
    mid = width / 2

    y = 6.0

    def pair(left: str, right: str, bold: bool = False, big: float = size) -> None:
        nonlocal y
        gap = max(1, int(chars * size / big) - len(left) - len(right))
        sheet.text(4, y, left + " " * gap + right, big, bold)
        y += step * big / size

    for text in sheet.wrap(inv.seller.name, 70, 10, True):
        sheet.text(mid, y, text, 10, True, "c")
        y += step * 1.2
    for text in sheet.wrap(inv.seller.address, 70, size):
        sheet.text(mid, y, text, size, False, "c")
        y += step
    sheet.text(mid, y, f"{t['tin']}: {inv.seller.tin}", size, False, "c")
    y += step * 1.5
    sheet.text(mid, y, t["receipt"], 9.5, True, "c")
    y += step * 1.3
    pair(f"{t['cheque']} {t['no']} {inv.number}", f"{inv.date:%d.%m.%Y} {inv.extra['time']}")
    pair(f"{t['cashier']}:", inv.extra["cashier"])
    sheet.text(4, y, "-" * chars, size)
    y += step
    for line in inv.lines:
        for part in sheet.wrap(line.name, 72, size):
            sheet.text(4, y, part, size)
            y += step
        pair(f"  {quantity(line.quantity, style)} {line.unit} x {money(line.unit_price, style)}",
             money(line.amount, style))
        if line.vat_rate is not None:
            pair(f"  {t['vat']} {int(line.vat_rate)}%", money(line.vat_amount, style))
        else:
            pair(f"  {t['no_vat']}", "")
    sheet.text(4, y, "=" * chars, size)
    y += step
    pair(f"{t['total'].upper()}:", money(inv.printed_total, style), True, 10)
    if inv.vat_rate is not None:
        pair(f"{t['vat_incl']} {int(inv.vat_rate)}%:", money(inv.vat_amount, style))
    else:
        pair(t["no_vat"], "")
    pair(f"{t['cash'] if inv.extra['paid_cash'] else t['card']}:", money(inv.printed_total, style))
    sheet.text(4, y, "-" * chars, size)
    y += step
    pair(f"{t['terminal']}:", inv.extra["terminal"])
    pair(f"{t['fiscal']}:", inv.extra["fiscal"])
    y += 2
    sheet.qr(mid - 14, y, 28, inv.seed)
    y += 31
    sheet.text(mid, y, t["thanks"], size, False, "c")
    return sheet.crop_height(y + 10)


def dotmatrix(inv: Invoice, rng: random.Random) -> Image.Image:
    t = T[inv.language]
    style = "comma" if inv.language == "en" else "space"
    sheet = new_sheet("landscape", "mono")
    size = 9.0
    step = size * 0.3528 * 1.55
    y = 12.0
    title = f"{t['dotmatrix']} {t['no']} {inv.number} " + (
        f"от {written_date(inv.date, inv.language, rng)}" if inv.language == "ru" else
        f"{t['date_word']} {inv.date:%d.%m.%Y}")
    sheet.text(148, y, title, 11, True, "c")
    y += 8
    sheet.text(148, y, _contract(inv), size, False, "c")
    y += 9
    for label, party in ((t["seller"], inv.seller), (t["buyer"], inv.buyer)):
        if party is None:
            continue
        sheet.text(18, y, f"{label}: {party.name}", size + 1, True)
        y += step
        sheet.text(18, y, f"{t['address']}: {party.address}", size)
        y += step
        if party.tin:
            sheet.text(18, y, f"{t['tin']}: {party.tin}   {t['account']}: {party.account}   {t['mfo']}: {party.mfo}",
                       size)
            y += step
        y += step * 0.5
    widths = [2, 24, 5, 7, 11, 13, 5, 12, 13]
    heads = [t["col_n"], t["col_name"], t["unit_short"], t["qty_short"], t["col_price"], t["sum_short"],
             t["vat"] + "%", t["vat"], t["col_total"]]
    rule = "+" + "+".join("-" * (w + 2) for w in widths) + "+"

    def row(cells: list[str], right: set[int]) -> str:
        out = []
        for i, (cell, w) in enumerate(zip(cells, widths, strict=True)):
            text = cell[:w]
            out.append(" " + (text.rjust(w) if i in right else text.ljust(w)) + " ")
        return "|" + "|".join(out) + "|"

    lines = [rule, row([h[:w] for h, w in zip(heads, widths, strict=True)], set()), rule]
    numeric = {0, 3, 4, 5, 7, 8}
    for i, line in enumerate(inv.lines, 1):
        name_parts = sheet.wrap(line.name, 24 * 1.9, size) if len(line.name) > 24 else [line.name]
        vat = money(line.vat_amount, style) if inv.vat_rate is not None else "-"
        lines.append(row([str(i), name_parts[0], line.unit, quantity(line.quantity, style),
                          money(line.unit_price, style), money(line.amount, style),
                          percent(line.vat_rate, inv.language)[:6], vat, money(line.amount_with_vat, style)], numeric))
        for part in name_parts[1:]:
            lines.append(row(["", part, "", "", "", "", "", "", ""], numeric))
    lines.append(rule)
    amount = sum((line.amount for line in inv.lines), Decimal(0))
    vat_total = money(inv.vat_amount, style) if inv.vat_rate is not None else "-"
    lines.append(row(["", t["total"], "", "", "", money(amount, style), "", vat_total,
                      money(inv.printed_total, style)], numeric))
    lines.append(rule)
    for text in lines:
        sheet.text(15, y, text, size)
        y += step
    y += step
    for part in sheet.wrap(f"{t['words']}: {words_line(inv.printed_total, inv.language)}", 250, size):
        sheet.text(18, y, part, size)
        y += step
    y += step * 2
    sheet.text(18, y, f"{t['director']} ____________ {inv.seller.director}     {t['accountant']} ____________", size)
    return _dot_matrix_ink(sheet.image, rng)


def _dot_matrix_ink(image: Image.Image, rng: random.Random) -> Image.Image:
    """Dots instead of strokes and a ribbon that fades across the page."""
    ink = 255 - np.asarray(image, dtype=np.float32)
    h, w = ink.shape
    yy, xx = np.mgrid[0:h, 0:w]
    dots = ((xx % 3 < 2) & (yy % 3 < 2)).astype(np.float32)
    fade = 0.75 + 0.25 * np.abs(np.sin(yy / (h / rng.uniform(2, 5)) + rng.uniform(0, 3)))
    out = 255 - ink * dots * fade
    blurred = Image.fromarray(out.clip(0, 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(0.6))
    return blurred


RENDERERS = {"official": official, "einvoice": einvoice, "waybill": waybill, "receipt": receipt,
             "dotmatrix": dotmatrix}


def render(inv: Invoice) -> Image.Image:
    """The clean page at 200 dpi, grey."""
    return RENDERERS[inv.layout](inv, random.Random(inv.seed * 7 + 1))

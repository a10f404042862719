"""The PDF's layout (issue 11, item 11), read back with pypdfium2: no text beyond the page margins, every table
heading on the same page as the start of its table, and no word of a header cell broken across lines."""

from __future__ import annotations

import re
from datetime import date, timedelta
from functools import partial

import pytest
from sqlalchemy import delete, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.i18n import translate
from db.books import ImportedDay
from db.regos_data import Item
from sandbox.regos import RegosDataGenerator
from services.reports import ExportFormat, Period, PeriodKind, export_report, sales_report
from services.reports.exports import report_tables
from tests.helpers import create_company
from tests.reports_support import copy_generated

pypdfium2 = pytest.importorskip("pypdfium2")

START = date(2025, 3, 3)
PERIOD = Period(START + timedelta(days=14), START + timedelta(days=27), PeriodKind.CUSTOM)
MARGIN_POINTS = 12 * 72 / 25.4  # the document's 12 mm margins
TOLERANCE = 1.0


def _pages(pdf: bytes) -> list[tuple[float, float, str, list[tuple[float, float, float, float]]]]:
    """Per page: width, height, text, and the box of every non-blank character."""
    document = pypdfium2.PdfDocument(pdf)
    pages = []
    for index in range(len(document)):
        page = document[index]
        width, height = page.get_size()
        text_page = page.get_textpage()
        text = text_page.get_text_range()
        boxes = [text_page.get_charbox(i) for i in range(text_page.count_chars())
                 if not text_page.get_text_range(i, 1).isspace()]
        pages.append((width, height, text, boxes))
    return pages


@pytest.mark.parametrize("locale", ["uz", "ru", "en"])
async def test_pdf_keeps_text_inside_margins_and_headings_with_tables(
        session_factory: async_sessionmaker[AsyncSession], locale: str) -> None:
    generator = RegosDataGenerator(seed=12, start_date=START, days=28, receipts_per_day=40)
    async with session_factory() as session:
        company = await create_company(session, name="Oʻzbekiston Gʻalla Savdo Markazi — Toshkent filiali")
        seeded = await copy_generated(session, company.id, generator)
        # a product name of one very long word, and a day never imported
        await session.execute(update(Item).where(Item.company_id == company.id).values(
            name=Item.name + " " + "Superuzunnomlimahsulotnomisiqisqartirilmagan"))
        await session.execute(delete(ImportedDay).where(
            ImportedDay.business_day == PERIOD.first + timedelta(days=3),
            ImportedDay.branch_id == next(iter(seeded.branch_by_stock.values()))))
        await session.commit()
        report = await sales_report(session, company.id, PERIOD)
    words = partial(translate, locale)
    pdf = export_report(report, ExportFormat.PDF, words, locale)
    pages = _pages(pdf)
    assert len(pages) >= 2  # long enough for page breaks to matter

    for number, (width, height, _text, boxes) in enumerate(pages, start=1):
        for left, bottom, right, top in boxes:
            assert left >= MARGIN_POINTS - TOLERANCE and right <= width - MARGIN_POINTS + TOLERANCE, (number, left,
                                                                                                     right)
            assert bottom >= MARGIN_POINTS - TOLERANCE and top <= height - MARGIN_POINTS + TOLERANCE, (number, top)

    tokens_by_page = [set(re.findall(r"\S+", text)) for _w, _h, text, _b in pages]
    for table in report_tables(report, words):
        if not table.rows:
            continue
        title = words(table.title_key)
        holding = [index for index, (_w, _h, text, _b) in enumerate(pages)
                   if any(line.strip() == title for line in text.splitlines())]
        assert holding, title
        page_text = pages[holding[0]][2]
        after = page_text.split(title, 1)[1]
        first_header = words(table.columns[0].header_key).split()[0]
        assert first_header in after, (title, "heading left alone at the bottom of its page")
        # header cells wrap between words only: every word of every header is whole on the heading's page
        # or the next (a long table repeats its header)
        near = set().union(*tokens_by_page[holding[0]:holding[0] + 2])
        for column in table.columns:
            for word in words(column.header_key).split():
                assert word in near, (title, word)
    assert "Superuzunnomlimahsulotnomisiqisqartirilmagan"[:20] in "".join(text for _w, _h, text, _b in pages)

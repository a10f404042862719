"""`read_document(bytes, filename) -> OcrResult`: a file to the fields of the invoice in it.

Decoding, preprocessing and Tesseract are CPU work: they run in a bounded process pool (`OcrPool`, one Tesseract
thread per process), pages of one document in parallel, so the event loop that serves the bot stays free.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import multiprocessing
import os
import time
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor
from decimal import Decimal
from typing import Any, TypeVar

from services.ocr.engine import (
    BAND_MARGIN,
    PageRead,
    Staged,
    finish_page,
    limit_threads,
    read_page,
    recognise_band,
    split_bands,
    stage_page,
    tesseract_problem,
)
from services.ocr.extract import assign_parties, classify, find_currency, find_date, find_number, says_without_vat
from services.ocr.layout import group_lines
from services.ocr.loading import MAX_BYTES, MAX_PAGES, Loaded, load_document
from services.ocr.model import DocumentKind, Field, OcrResult, PageInfo, Problem, ProblemCode, Word
from services.ocr.numbers import money
from services.ocr.table import extract_items
from services.ocr.totals import read_printed, reconcile

T = TypeVar("T")
LOW_CONFIDENCE = 45.0


def extract_fields(words: list[Word], page_sizes: dict[int, tuple[int, int]]) -> OcrResult:
    """The invoice in a set of words with boxes (from OCR or a PDF text layer): pure, no I/O."""
    result = OcrResult()
    lines = group_lines(words)
    result.raw_text = "\n".join(line.text for line in lines)
    if not lines:
        return result
    kind = classify(lines)
    result.kind = kind
    receipt = kind is DocumentKind.RECEIPT
    result.prices_include_vat = receipt
    result.without_vat = says_without_vat(lines)
    number, number_line = find_number(lines, kind)
    result.fields["invoice_number"] = number
    result.fields["date"] = find_date(lines, kind, number_line)
    widths = {page: size[0] for page, size in page_sizes.items()}
    items, used = extract_items(lines, result.without_vat, receipt)
    result.fields.update(assign_parties(lines, kind, widths, min(used) if used else None))
    result.fields["currency"] = find_currency(result.raw_text)
    result.items = items
    printed = read_printed(lines, used, receipt)
    result.amount_in_words = printed.words
    totals, problems = reconcile(printed, items, receipt, result.without_vat)
    for name, value in totals.items():
        result.fields[name] = value
    result.problems.extend(problems)
    _fill_item_vat(result)
    if kind is DocumentKind.UNKNOWN and not items and not result.fields["total"].present:
        result.problems.append(Problem(ProblemCode.NOT_AN_INVOICE, "no invoice heading, lines or total were found"))
        return result
    if not items:
        result.problems.append(Problem(ProblemCode.NO_ITEMS, "no line of goods could be read"))
    if not result.fields["seller_tin"].present and not result.fields["buyer_tin"].present:
        result.problems.append(Problem(ProblemCode.NO_TIN, "no TIN (STIR / ИНН) was found"))
    return result


def _fill_item_vat(result: OcrResult) -> None:
    """Lines of a table with no VAT columns (a waybill) get the document's rate, marked as computed."""
    rate = result.value("vat_rate")
    for item in result.items:
        if item.vat_amount.present or item.amount.value is None:
            continue
        amount = item.amount.value
        if result.without_vat:
            item.vat_amount = Field(Decimal("0.00"), 0.7, "arithmetic")
            item.amount_with_vat = Field(amount, 0.7, "arithmetic")
        elif rate is not None:
            vat = money(amount * rate / (100 + rate) if result.prices_include_vat else amount * rate / 100)
            item.vat_rate = Field(rate, 0.6, "arithmetic")
            item.vat_amount = Field(vat, 0.6, "arithmetic")
            item.amount_with_vat = Field(amount if result.prices_include_vat else amount + vat, 0.6, "arithmetic")


def _load(data: bytes, max_pages: int, max_bytes: int) -> Loaded:
    limit_threads()
    return load_document(data, max_pages=max_pages, max_bytes=max_bytes)


def _extract(words: list[Word], sizes: dict[int, tuple[int, int]]) -> OcrResult:
    return extract_fields(words, sizes)


def _worker_setup() -> None:
    """An OCR worker: one thread, and a lower priority than the bot's process, so a page being read takes the cores
    only when the bot's updates leave them idle (other users' answers stay fast while invoices are read)."""
    limit_threads()
    with contextlib.suppress(OSError):
        os.nice(10)


class OcrPool:
    """A bounded pool of worker processes for OCR (spawned, so no state of the bot's process leaks in).
    `workers=0` runs the work in threads of this process instead (tests, one-off scripts)."""

    def __init__(self, workers: int | None = None) -> None:
        self.workers = max(1, min(4, (os.cpu_count() or 2))) if workers is None else workers
        self.pages_in_flight = 0  # pages of the documents being read now (bands only when workers are left over)
        self._executor: Executor | None = None

    def _get(self) -> Executor | None:
        if self.workers == 0:
            return None
        if self._executor is None:
            self._executor = ProcessPoolExecutor(
                max_workers=self.workers, mp_context=multiprocessing.get_context("spawn"), initializer=_worker_setup)
        return self._executor

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        executor = self._get()
        if executor is None:
            return await asyncio.to_thread(fn, *args)
        return await asyncio.get_running_loop().run_in_executor(executor, fn, *args)

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None


_default_pool: OcrPool | None = None


def default_pool() -> OcrPool:
    global _default_pool
    if _default_pool is None:
        _default_pool = OcrPool()
    return _default_pool


def close_default_pool() -> None:
    """Stops the shared pool's worker processes (the bot calls it on shutdown); a later read starts a new pool."""
    global _default_pool
    pool, _default_pool = _default_pool, None
    if pool is not None:
        pool.close()


async def read_document(data: bytes, filename: str | None = None, mime: str | None = None, *,
                        max_pages: int = MAX_PAGES, max_bytes: int = MAX_BYTES, pool: OcrPool | None = None,
                        ) -> OcrResult:
    """Reads an invoice, waybill or receipt from a photo, scan or PDF. The type comes from the content (the
    `filename` and `mime` a client sent are only hints, never trusted). Never raises for a bad file: what went
    wrong is in `result.problems`."""
    del filename, mime  # the bytes say what the file is
    pool = pool or default_pool()
    pool.pages_in_flight += 1  # a document still being decoded counts as one page until its pages are known
    try:
        return await _read_document(data, max_pages, max_bytes, pool)
    finally:
        pool.pages_in_flight -= 1


async def _read_document(data: bytes, max_pages: int, max_bytes: int, pool: OcrPool) -> OcrResult:
    started = time.perf_counter()
    result = OcrResult()
    result.sha256 = hashlib.sha256(data).hexdigest()
    loaded = await pool.run(_load, data, max_pages, max_bytes)
    result.mime = loaded.mime or ""
    result.pages_total = loaded.pages_total
    problems = list(loaded.problems)
    if loaded.pages and any(page.image is not None for page in loaded.pages):
        missing = tesseract_problem()
        if missing is not None:
            result.problems = [*problems, Problem(ProblemCode.OCR_UNAVAILABLE, missing)]
            result.seconds = time.perf_counter() - started
            return result
    words: list[Word] = []
    sizes: dict[int, tuple[int, int]] = {}
    infos: list[PageInfo] = []
    blank_pages: list[int] = []
    ocr_pages = [page for page in loaded.pages if page.image is not None]
    reads = await _read_pages(pool, [(page.image, page.index) for page in ocr_pages if page.image is not None])
    by_index = {read.info.index: read for read in reads}
    for page in loaded.pages:
        if page.words is not None:
            words.extend(page.words)
            sizes[page.index] = page.size
            infos.append(PageInfo(page.index, page.size[0], page.size[1], "text_layer", mean_confidence=99.0,
                                  words=len(page.words)))
            continue
        read = by_index[page.index]
        infos.append(read.info)
        sizes[page.index] = (read.info.width, read.info.height)
        if read.blank or not read.words:
            blank_pages.append(page.index)
        words.extend(read.words)
    for index in blank_pages:
        problems.append(Problem(ProblemCode.BLANK_PAGE, "nothing is written on the page", index))
    if words:
        extracted = await pool.run(_extract, words, sizes)
        extracted.problems = problems + extracted.problems
        result = _merge(result, extracted)
    else:
        result.problems = problems
    result.pages = infos
    ocr_infos = [info for info in infos if info.source == "ocr" and info.words]
    if ocr_infos and sum(i.mean_confidence for i in ocr_infos) / len(ocr_infos) < LOW_CONFIDENCE:
        result.problems.append(Problem(ProblemCode.LOW_QUALITY, "the photo is hard to read: blurred, dark or small"))
    result.seconds = time.perf_counter() - started
    return result


async def _read_pages(pool: OcrPool, pages: list[tuple[Any, int]]) -> list[PageRead]:
    """OCR of the pages, in parallel on the pool's workers. When the pool has fewer pages in hand than workers (a
    photo while nothing else is read), each page is cut across into bands read side by side, so that one photo takes
    the time of a part of it. The pool's own pages in flight decide it, not the machine's load average: that lags by
    a minute and counts the bot itself."""
    more = len(pages) - 1  # the document already counts as one page
    pool.pages_in_flight += more
    try:
        return await _read_in_parts(pool, pages, pool.workers // max(1, pool.pages_in_flight))
    finally:
        pool.pages_in_flight -= more


async def _read_in_parts(pool: OcrPool, pages: list[tuple[Any, int]], parts: int) -> list[PageRead]:
    if parts < 2:
        return list(await asyncio.gather(*(pool.run(read_page, image, index) for image, index in pages)))
    staged = await asyncio.gather(*(pool.run(stage_page, image, index, None, True) for image, index in pages))

    async def recognise(page: Staged) -> PageRead:
        if page.blank:
            return finish_page(page, [], 0.0)
        bands = split_bands(page.image, parts, page.rows)
        margin = BAND_MARGIN if len(bands) > 1 else 0
        reads = await asyncio.gather(*(pool.run(recognise_band, band, page.languages, page.info.index, top, margin)
                                       for top, band in bands))
        words = [word for band_words, _, _ in reads for word in band_words]
        return finish_page(page, words, max(seconds for _, seconds, _ in reads), sum(cpu for _, _, cpu in reads))

    return list(await asyncio.gather(*(recognise(page) for page in staged)))


def _merge(base: OcrResult, extracted: OcrResult) -> OcrResult:
    extracted.sha256 = base.sha256
    extracted.mime = base.mime
    extracted.pages_total = base.pages_total
    return extracted

"""Offset paging that cannot spin.

REGOS pages with ``limit``/``offset`` in the request and ``next_offset``/``total`` in the answer, and
``next_offset == 0`` means "no more". A loop that trusts the server blindly can run forever on a buggy or
hostile answer, so ``PagingGuard`` stops on: an empty page, ``next_offset`` 0/None, a ``next_offset`` that does
not move forward or was seen before, an offset at or past ``total``, or a page cap.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from pydantic import BaseModel

from .masking import logger
from .models import RecordBatch, RecordProblem

RecordT = TypeVar("RecordT", bound=BaseModel)

DEFAULT_MAX_PAGES = 100_000


@dataclass
class Page(Generic[RecordT]):
    items: list[RecordT]
    offset: int
    next_offset: int | None
    total: int | None
    raw_count: int
    skipped: int = 0
    problems: list[RecordProblem] = field(default_factory=list)


class StopReason:
    EMPTY_PAGE = "empty page"
    LAST_PAGE = "next_offset is 0 or missing"
    NOT_ADVANCING = "next_offset did not move forward"
    REPEATED = "next_offset was already visited"
    PAST_TOTAL = "next_offset is at or past total"
    PAGE_CAP = "page cap reached"


class PagingGuard:
    """Decides the next offset from one page's answer, or ``None`` to stop (and records why)."""

    def __init__(self, start_offset: int = 0, max_pages: int = DEFAULT_MAX_PAGES) -> None:
        self._visited: set[int] = {start_offset}
        self._pages = 0
        self.max_pages = max_pages
        self.stop_reason: str | None = None

    def next_offset(self, offset: int, row_count: int, next_offset: int | None, total: int | None) -> int | None:
        self._pages += 1
        candidate = next_offset
        if candidate is None and total is not None:
            candidate = offset + row_count  # offsetted answer without next_offset: assume contiguous rows
        if row_count == 0:
            return self._stop(StopReason.EMPTY_PAGE)
        if not candidate or candidate <= 0:
            return self._stop(StopReason.LAST_PAGE)
        if candidate <= offset:
            return self._stop(StopReason.NOT_ADVANCING, anomaly=True)
        if candidate in self._visited:
            return self._stop(StopReason.REPEATED, anomaly=True)
        if total is not None and candidate >= total:
            return self._stop(StopReason.PAST_TOTAL)
        if self._pages >= self.max_pages:
            return self._stop(StopReason.PAGE_CAP, anomaly=True)
        self._visited.add(candidate)
        return candidate

    def _stop(self, reason: str, *, anomaly: bool = False) -> int | None:
        self.stop_reason = reason
        if anomaly:
            logger.warning("REGOS paging stopped early: %s", reason)
        return None


PageFetcher = Callable[[int], Awaitable[Page[RecordT]]]


class RecordStream(Generic[RecordT]):
    """Lazily fetched pages of one REGOS list.

    ``async for record in stream`` yields records; ``stream.pages()`` yields whole pages (useful to checkpoint);
    ``await stream.collect()`` loads everything. ``skipped``/``problems`` count records that failed validation.
    A stream can be iterated once.
    """

    def __init__(self, fetch_page: PageFetcher[RecordT], *, start_offset: int = 0, max_pages: int = DEFAULT_MAX_PAGES):
        self._fetch_page = fetch_page
        self._start_offset = start_offset
        self._guard = PagingGuard(start_offset, max_pages)
        self._started = False
        self.skipped = 0
        self.problems: list[RecordProblem] = []
        self.pages_fetched = 0
        self.total: int | None = None

    @property
    def stop_reason(self) -> str | None:
        return self._guard.stop_reason

    async def pages(self) -> AsyncIterator[Page[RecordT]]:
        if self._started:
            raise RuntimeError("a RecordStream can be iterated only once")
        self._started = True
        offset: int | None = self._start_offset
        while offset is not None:
            page = await self._fetch_page(offset)
            self.pages_fetched += 1
            self.total = page.total if page.total is not None else self.total
            self.skipped += page.skipped
            room = 20 - len(self.problems)
            if room > 0:
                self.problems.extend(page.problems[:room])
            offset = self._guard.next_offset(offset, page.raw_count, page.next_offset, page.total)
            yield page

    async def __aiter__(self) -> AsyncIterator[RecordT]:
        async for page in self.pages():
            for item in page.items:
                yield item

    async def collect(self) -> RecordBatch[RecordT]:
        batch: RecordBatch[RecordT] = RecordBatch()
        async for page in self.pages():
            batch.items.extend(page.items)
        batch.skipped = self.skipped
        batch.problems = list(self.problems)
        return batch

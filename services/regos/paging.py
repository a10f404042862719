"""Offset paging that cannot spin.

REGOS pages with ``limit``/``offset`` in the request and ``next_offset``/``total`` in the answer, and
``next_offset == 0`` means "no more". A loop that trusts the server blindly can run forever on a buggy or
hostile answer, so ``PagingGuard`` stops on: an empty page, ``next_offset`` 0/None, a ``next_offset`` that does
not move forward or was seen before, an offset at or past ``total``, or a page cap.

``RecordStream`` is the one paging abstraction: every ``iter_*`` wrapper of the client returns one, and the sync
tunes it (``with_options``) to archive each raw page, ask for the next page while the caller writes this one, and
refuse an empty page that ``total`` says is not the end.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Generic, Self, TypeVar

from pydantic import BaseModel

from .envelope import RegosResponse
from .errors import IncompleteListingError
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
    response: RegosResponse | None = None  # the raw answer (method, request, rows), for the archive


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
PageHook = Callable[[Page[RecordT]], None]


class RecordStream(Generic[RecordT]):
    """Lazily fetched pages of one REGOS list.

    ``async for record in stream`` yields records; ``stream.pages()`` yields whole pages (useful to checkpoint);
    ``await stream.collect()`` loads everything; ``await stream.first_page()`` makes exactly one call.
    ``skipped``/``problems`` count records that failed validation. A stream can be iterated once.
    """

    def __init__(
        self,
        fetch_page: PageFetcher[RecordT],
        *,
        method: str = "",
        start_offset: int = 0,
        max_pages: int = DEFAULT_MAX_PAGES,
    ):
        self.method = method  # the REGOS method it lists, for logs and errors
        self._fetch_page = fetch_page
        self._start_offset = start_offset
        self._guard = PagingGuard(start_offset, max_pages)
        self._started = False
        self._on_page: PageHook[RecordT] | None = None
        self._prefetch = False
        self._empty_page_retries: int | None = None
        self.skipped = 0
        self.problems: list[RecordProblem] = []
        self.pages_fetched = 0  # pages handed over (an empty page asked again is not counted)
        self.raw_rows = 0
        self.total: int | None = None

    def with_options(
        self,
        *,
        on_page: PageHook[RecordT] | None = None,
        prefetch: bool = False,
        empty_page_retries: int | None = None,
    ) -> Self:
        """``on_page`` sees every page before it is handed over (say, to archive ``page.response``);
        ``prefetch`` asks for the next page before handing over this one, so REGOS prepares it while the caller
        works; ``empty_page_retries``: an empty page while ``total`` says rows remain is asked again that many
        times, then ``IncompleteListingError`` (by default such a page simply ends the stream)."""
        self._on_page = on_page
        self._prefetch = prefetch
        self._empty_page_retries = empty_page_retries
        return self

    @property
    def stop_reason(self) -> str | None:
        return self._guard.stop_reason

    @property
    def complete(self) -> bool:
        """Every row ``total`` announced was handed over (true when REGOS gave no total)."""
        return self.total is None or self.raw_rows >= self.total

    def _start(self) -> None:
        if self._started:
            raise RuntimeError("a RecordStream can be iterated only once")
        self._started = True

    def _take(self, page: Page[RecordT]) -> None:
        self.pages_fetched += 1
        self.raw_rows += page.raw_count
        self.skipped += page.skipped
        room = 20 - len(self.problems)
        if room > 0:
            self.problems.extend(page.problems[:room])
        if self._on_page is not None:
            self._on_page(page)

    def _ends_too_early(self, page: Page[RecordT], offset: int) -> bool:
        return page.raw_count == 0 and self.total is not None and offset < self.total

    async def first_page(self) -> Page[RecordT]:
        """One call at the start offset, whatever ``next_offset`` says (a lookup by ids or uuids)."""
        self._start()
        page = await self._fetch_page(self._start_offset)
        self.total = page.total if page.total is not None else self.total
        self._take(page)
        return page

    async def pages(self) -> AsyncIterator[Page[RecordT]]:
        self._start()
        offset = self._start_offset
        retries = self._empty_page_retries
        pending: asyncio.Task[Page[RecordT]] | None = None
        try:
            while True:
                page = await (pending if pending is not None else self._fetch_page(offset))
                pending = None
                self.total = page.total if page.total is not None else self.total
                if retries is not None and self._ends_too_early(page, offset):
                    if retries <= 0:
                        raise IncompleteListingError(
                            None, f"empty page at offset {offset} of {self.total}", self.method
                        )
                    retries -= 1
                    logger.warning(
                        "REGOS %s: empty page at offset %d of %d; asking again", self.method, offset, self.total
                    )
                    continue
                retries = self._empty_page_retries
                next_offset = self._guard.next_offset(offset, page.raw_count, page.next_offset, page.total)
                if next_offset is not None and self._prefetch:
                    pending = asyncio.ensure_future(self._fetch_page(next_offset))
                self._take(page)
                yield page
                if next_offset is None:
                    return
                offset = next_offset
        finally:
            if pending is not None:
                pending.cancel()
                with contextlib.suppress(BaseException):  # its outcome no longer matters; just collect it
                    await pending

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

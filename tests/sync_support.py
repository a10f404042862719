"""Shared pieces of the REGOS sync tests (no tests here): a fast client for the fake, connecting a company to it,
ground truth checks that read the fake's generator and never our own tables. The company itself comes from
`tests.helpers.create_company`, the running fake from the `start_fake_regos` fixture."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.regos_data import Receipt
from sandbox.regos import FakeRegos, RegosDataGenerator
from sandbox.regos.serialize import encode
from services.crypto import SecretBox
from services.regos import RateLimit, RegosClient, RetryPolicy
from services.sync import ConnectOutcome, DayBook, connect_company, day_books

BOX = SecretBox("sync-tests-secret-key-0123456789")
START = date(2025, 1, 6)  # a Monday
FAST_RETRY = RetryPolicy(max_attempts=8, base_delay=0.005, max_delay=0.02, max_retry_after=0.02)


def days_from(first: date, count: int) -> list[date]:
    return [first + timedelta(days=i) for i in range(count)]


def fast_client(
    fake: FakeRegos,
    *,
    timeout: float = 5.0,
    transport: httpx.AsyncBaseTransport | None = None,
    retry: RetryPolicy = FAST_RETRY,
    page_size: int = 1000,
    paced: bool = False,
) -> RegosClient:
    """A client with quick retries; `paced` keeps REGOS's 2 requests/s as production does (for a fake with its
    rate limit on that the test calls more than a burst's worth)."""
    return RegosClient(
        fake.default_key,
        base_url=fake.gateway_url,
        rate_limit=RateLimit() if paced else RateLimit.disabled(),
        retry=retry,
        timeout=timeout,
        transport=transport,
        page_size=page_size,
    )


def client_factory(**options: Any) -> Callable[[str, str], RegosClient]:
    def build(key: str, gateway: str) -> RegosClient:
        return RegosClient(key, base_url=gateway, rate_limit=RateLimit.disabled(), retry=FAST_RETRY, **options)

    return build


async def connect(
    session_factory: async_sessionmaker[AsyncSession], fake: FakeRegos, company_id: int, **options: Any
) -> ConnectOutcome:
    async with session_factory() as session:
        outcome = await connect_company(
            session, company_id=company_id, integration_key=fake.default_key, gateway_url=fake.gateway_url,
            secret_box=BOX, client_factory=client_factory(), **options,
        )
        await session.commit()
    assert outcome.ok, outcome
    return outcome


async def read_books(
    session_factory: async_sessionmaker[AsyncSession], company_id: int, first: date, last: date
) -> list[DayBook]:
    async with session_factory() as session:
        return await day_books(session, company_id, first, last)


def assert_books_match(books: list[DayBook], generator: RegosDataGenerator) -> None:
    """Every day and every branch equals the generator's ground truth, to the so'm."""
    for book in books:
        truth = generator.day_totals(book.date)
        assert (book.receipts, book.retail_gross, book.retail_returns, book.retail_net, book.wholesale_net) == (
            truth.sale_count, truth.retail_gross, truth.retail_returns, truth.retail_net, truth.wholesale_net
        ), f"{book.date}: ours {book.to_dict()} vs truth {truth}"
        assert {b.regos_stock_id for b in book.branches} == {s.id for s in generator.stocks}
        for branch in book.branches:
            assert branch.regos_stock_id is not None
            expected = generator.day_totals(book.date, branch.regos_stock_id)
            assert (branch.receipts, branch.retail_net, branch.wholesale_net) == (
                expected.sale_count, expected.retail_net, expected.wholesale_net
            ), f"{book.date} stock {branch.regos_stock_id}"


async def receipt_rows(session_factory: async_sessionmaker[AsyncSession], company_id: int) -> int:
    async with session_factory() as session:
        return int(
            (await session.execute(select(func.count()).select_from(Receipt).where(Receipt.company_id == company_id)))
            .scalar_one()
        )


def generated_receipts(generator: RegosDataGenerator, days: list[date]) -> int:
    return sum(len(generator.day(d).receipts) for d in days)


class TamperingTransport(httpx.AsyncBaseTransport):
    """Passes requests to the fake, and lets a test rewrite answers or crash at a chosen request."""

    def __init__(
        self,
        *,
        rewrite: Callable[[str, dict[str, Any]], dict[str, Any]] | None = None,
        before: Callable[[str], None] | None = None,
    ) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.rewrite = rewrite
        self.before = before

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        method = request.url.path.split("/v1/", 1)[-1]
        if self.before is not None:
            self.before(method)
        response = await self.inner.handle_async_request(request)
        if self.rewrite is None or response.status_code != 200:
            return response
        raw = await response.aread()
        try:
            data = json.loads(raw, parse_float=Decimal)
        except ValueError:
            return httpx.Response(response.status_code, content=raw, headers=response.headers)
        changed = self.rewrite(method, data)
        return httpx.Response(200, content=encode(changed), headers={"Content-Type": "application/json"})

    async def aclose(self) -> None:
        await self.inner.aclose()

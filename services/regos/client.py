"""Async REGOS API client.

Every call is ``POST {base_url}/{integration_key}/v1/{Controller/Action}`` with a JSON body; success and failure
both arrive as HTTP 200 envelopes, so ``ok`` decides, not the status. Calls pass a client-side token bucket and
are retried with exponential backoff and full jitter on transient failures only.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import AsyncIterator, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel

from . import errors as codes
from .auth import OAuthCredentials, OAuthTokenProvider
from .enums import DocChequeStatus, RegosEnum, parse_enum
from .errors import (
    RegosAuthError,
    RegosBadRequestError,
    RegosError,
    RegosMalformedResponseError,
    RegosNotFoundError,
    RegosRateLimitError,
    RegosUnknownError,
    RegosUnreachableError,
    error_from_code,
)
from .masking import logger, mask_secret, protect_secret, redact
from .models import (
    ChequeItemOperation,
    ChequePaymentOperation,
    DocCashSession,
    DocCheque,
    DocChequeShort,
    DocWholeSale,
    DocWholeSaleReturn,
    EventItem,
    Firm,
    Item,
    ItemExt,
    ItemQuantity,
    OperatingCash,
    PaymentType,
    RecordBatch,
    RetailReportCounts,
    RetailReportOperation,
    RetailReportPayment,
    Stock,
    User,
    WholeSaleOperation,
    parse_records,
)
from .paging import DEFAULT_MAX_PAGES, Page, RecordStream
from .parsing import DEFAULT_TIMEZONE, day_bounds, decode_body, dumps, loads, to_unix
from .ratelimit import Clock, Sleep, TokenBucket

DEFAULT_GATEWAY_URL = "https://integration.regos.uz/gateway/out"
DEFAULT_TIMEOUT = 30.0
DEFAULT_PAGE_SIZE = 1000
CURRENT_QUANTITY_MAX_IDS = 250  # documented maximum of Item/GetCurrentQuantity item_ids
EVENT_PAGE_MAX = 1000

RecordT = TypeVar("RecordT", bound=BaseModel)
Timestamp = datetime | int


@dataclass(frozen=True)
class RetryPolicy:
    """``max_attempts`` counts the first try. Delays: full jitter over ``base_delay * 2**n`` capped at ``max_delay``;
    a gateway's ``Retry-After`` is honoured up to ``max_retry_after``."""

    max_attempts: int = 5
    base_delay: float = 0.5
    max_delay: float = 30.0
    max_retry_after: float = 120.0


@dataclass(frozen=True)
class RateLimit:
    """Client-side pacing. REGOS allows 2 req/s with a burst of 50; we keep a margin below that burst."""

    rate_per_second: float = 2.0
    burst: int = 40
    enabled: bool = True

    @classmethod
    def disabled(cls) -> RateLimit:
        return cls(enabled=False)


@dataclass(frozen=True)
class RegosResponse:
    method: str
    result: Any
    next_offset: int | None
    total: int | None


@dataclass(frozen=True)
class EventPage:
    events: list[EventItem]
    next_event_id: str | None
    has_more: bool
    skipped: int = 0


class _Transient(Exception):
    """A failure worth retrying; ``final`` is what to raise when retries run out."""

    def __init__(
        self,
        final: RegosError,
        *,
        safe_to_repeat: bool,
        retry_after: float | None = None,
        server_rate_limited: bool = False,
    ) -> None:
        super().__init__(final.description)
        self.final = final
        self.safe_to_repeat = safe_to_repeat
        self.retry_after = retry_after
        self.server_rate_limited = server_rate_limited


class _BearerRejected(Exception):
    """HTTP 401 in OAuth mode: the token expired or was revoked; fetch a new one once."""


def _optional_int(value: Any) -> int | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _retry_after_seconds(header: str | None) -> float | None:
    """``Retry-After`` as seconds or an HTTP date (RFC 9110)."""
    if not header:
        return None
    text = header.strip()
    try:
        return max(0.0, float(text))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _compact(**fields: Any) -> dict[str, Any]:
    """Request body without the filters the caller left out; timestamps become Unix seconds."""
    body: dict[str, Any] = {}
    for key, value in fields.items():
        if value is None:
            continue
        if isinstance(value, datetime):
            value = to_unix(value)
        elif isinstance(value, RegosEnum):
            value = value.value
        elif isinstance(value, (set, frozenset, tuple)) or (
            isinstance(value, Iterable) and not isinstance(value, (str, bytes, dict, list))
        ):
            value = list(value)
        body[key] = value
    return body


def _chunks(values: Sequence[int], size: int) -> Iterable[list[int]]:
    for start in range(0, len(values), size):
        yield list(values[start : start + size])


class RegosClient:
    """One REGOS integration (one company). Share one client per key so its token bucket paces all calls.

    ``integration_key`` is the key from the merchant's local integration, or the ``connected_integration_id``
    when ``oauth`` credentials are given (marketplace mode: a Bearer token is added to every call).
    """

    def __init__(
        self,
        integration_key: str,
        *,
        base_url: str = DEFAULT_GATEWAY_URL,
        oauth: OAuthCredentials | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        retry: RetryPolicy | None = None,
        rate_limit: RateLimit | None = None,
        bucket: TokenBucket | None = None,
        http_client: httpx.AsyncClient | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        sleep: Sleep = asyncio.sleep,
        clock: Clock = time.monotonic,
        rng: random.Random | None = None,
        page_size: int = DEFAULT_PAGE_SIZE,
        timezone: str = DEFAULT_TIMEZONE,
        max_pages: int = DEFAULT_MAX_PAGES,
    ) -> None:
        key = (integration_key or "").strip()
        if not key or "/" in key:
            raise ValueError("integration key must be a non-empty string without '/'")
        self._key = key
        protect_secret(key)
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.retry = retry or RetryPolicy()
        self.page_size = page_size
        self.timezone = timezone
        self.max_pages = max_pages
        self._sleep = sleep
        self._clock = clock
        self._rng = rng or random.Random()
        limits = rate_limit or RateLimit()
        if bucket is not None:
            self._bucket: TokenBucket | None = bucket
        elif limits.enabled:
            self._bucket = TokenBucket(limits.rate_per_second, limits.burst, clock=clock, sleep=sleep)
        else:
            self._bucket = None
        self._owns_http = http_client is None
        self._http = http_client or httpx.AsyncClient(transport=transport, timeout=timeout)
        self._oauth = OAuthTokenProvider(oauth, self._http, clock=clock, timeout=timeout) if oauth else None
        self.calls_made = 0  # HTTP attempts, including retries (benchmarks and tests read it)

    # -- plumbing ---------------------------------------------------------------------------------------------

    @property
    def masked_key(self) -> str:
        return mask_secret(self._key)

    @property
    def bucket(self) -> TokenBucket | None:
        return self._bucket

    @property
    def oauth(self) -> OAuthTokenProvider | None:
        return self._oauth

    def __repr__(self) -> str:
        mode = "oauth" if self._oauth else "key"
        return f"RegosClient(base_url={self.base_url!r}, key={self.masked_key!r}, auth={mode!r})"

    async def __aenter__(self) -> RegosClient:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        if self._owns_http:
            await self._http.aclose()

    def day_bounds(self, day: date) -> tuple[int, int]:
        """First and last Unix second of a business day in the client's time zone."""
        return day_bounds(day, self.timezone)

    def _url(self, method: str) -> str:
        return f"{self.base_url}/{self._key}/v1/{method}"

    def _backoff(self, attempt: int, retry_after: float | None) -> float:
        if retry_after is not None:
            return min(retry_after, self.retry.max_retry_after)
        ceiling = min(self.retry.max_delay, self.retry.base_delay * (2 ** (attempt - 1)))
        return self._rng.uniform(0.0, ceiling)

    async def call(
        self, method: str, body: Mapping[str, Any] | None = None, *, idempotent: bool = True
    ) -> RegosResponse:
        """Call one REGOS method and return its envelope, or raise a ``RegosError`` subclass.

        ``idempotent=False`` (for Add/Edit methods) retries only failures where REGOS surely did not act on the
        request (connection refused, 8213, HTTP 429).
        """
        method = method.strip().strip("/")
        payload = dumps(dict(body or {}))
        attempt = 0
        token_refreshed = False
        while True:
            attempt += 1
            try:
                return await self._attempt(method, payload)
            except _BearerRejected:
                if token_refreshed or self._oauth is None:
                    raise RegosAuthError(None, "bearer token rejected", method, http_status=401) from None
                token_refreshed = True
                self._oauth.invalidate()
                attempt -= 1  # a token refresh is not a failed attempt
            except _Transient as failure:
                if failure.server_rate_limited and self._bucket is not None:
                    self._bucket.drain()
                if attempt >= self.retry.max_attempts or (not idempotent and not failure.safe_to_repeat):
                    final = failure.final
                    final.attempts = attempt
                    final.args = (final._summary(),)
                    logger.warning("REGOS %s gave up: %s [key %s]", method, final.description, self.masked_key)
                    raise final from failure
                delay = self._backoff(attempt, failure.retry_after)
                logger.warning(
                    "REGOS %s failed (%s), retry %d/%d in %.2fs [key %s]",
                    method,
                    failure.final.description,
                    attempt,
                    self.retry.max_attempts - 1,
                    delay,
                    self.masked_key,
                )
                await self._sleep(delay)

    async def _attempt(self, method: str, payload: bytes) -> RegosResponse:
        if self._bucket is not None:
            await self._bucket.acquire()
        headers = {
            "Content-Type": "application/json;charset=utf-8",
            "Accept": "application/json",
            "X-Request-Id": f"{self._rng.getrandbits(48):012x}",
        }
        if self._oauth is not None:
            headers["Authorization"] = f"Bearer {await self._oauth.get_token()}"
        started = self._clock()
        self.calls_made += 1
        try:
            response = await self._http.post(self._url(method), content=payload, headers=headers, timeout=self.timeout)
        except httpx.TimeoutException as exc:
            # Only a connect/pool timeout proves the request never reached REGOS.
            never_sent = isinstance(exc, (httpx.ConnectTimeout, httpx.PoolTimeout))
            raise _Transient(
                RegosUnreachableError(None, f"timed out ({type(exc).__name__})", method), safe_to_repeat=never_sent
            ) from exc
        except httpx.ConnectError as exc:
            raise _Transient(RegosUnreachableError(None, "connection failed", method), safe_to_repeat=True) from exc
        except httpx.TransportError as exc:
            raise _Transient(
                RegosUnreachableError(None, f"network error ({type(exc).__name__})", method), safe_to_repeat=False
            ) from exc
        elapsed_ms = (self._clock() - started) * 1000
        envelope = self._decode(response.content)
        if response.status_code != 200:
            self._raise_for_http_status(method, response, envelope)
        if envelope is None:
            raise _Transient(
                RegosMalformedResponseError(None, "answer is not a REGOS JSON envelope", method, http_status=200),
                safe_to_repeat=False,
            )
        if envelope.get("ok") is not True:
            self._raise_for_error_envelope(method, envelope, http_status=None)
        logger.debug("REGOS %s ok in %.0f ms [key %s]", method, elapsed_ms, self.masked_key)
        return RegosResponse(
            method=method,
            result=envelope.get("result"),
            next_offset=_optional_int(envelope.get("next_offset")),
            total=_optional_int(envelope.get("total")),
        )

    @staticmethod
    def _decode(raw: bytes) -> dict[str, Any] | None:
        try:
            data = loads(decode_body(raw))
        except (ValueError, UnicodeDecodeError, EOFError, OSError):
            return None
        if not isinstance(data, dict) or "ok" not in data:
            return None
        return data

    def _raise_for_http_status(self, method: str, response: httpx.Response, envelope: dict[str, Any] | None) -> None:
        status = response.status_code
        if status == 401 and self._oauth is not None:
            raise _BearerRejected()
        if status == 429:
            raise _Transient(
                RegosRateLimitError(None, "gateway answered 429 Too Many Requests", method, http_status=status),
                safe_to_repeat=True,
                retry_after=_retry_after_seconds(response.headers.get("Retry-After")),
                server_rate_limited=True,
            )
        if status >= 500:
            raise _Transient(
                RegosUnreachableError(None, f"gateway answered HTTP {status}", method, http_status=status),
                safe_to_repeat=False,
                retry_after=_retry_after_seconds(response.headers.get("Retry-After")) if status == 503 else None,
            )
        if envelope is not None and envelope.get("ok") is not True:
            self._raise_for_error_envelope(method, envelope, http_status=status)
        if status in (401, 403):
            raise RegosAuthError(None, f"gateway answered HTTP {status}: key rejected", method, http_status=status)
        if status == 404:
            raise RegosNotFoundError(None, "gateway answered HTTP 404 (unknown key or method)", method, http_status=404)
        raise RegosUnknownError(None, f"gateway answered HTTP {status}", method, http_status=status)

    def _raise_for_error_envelope(self, method: str, envelope: dict[str, Any], *, http_status: int | None) -> None:
        result = envelope.get("result")
        source = result if isinstance(result, dict) else envelope
        code = _optional_int(source.get("error"))
        description = redact(str(source.get("description") or "no description"))
        error = error_from_code(code, description, method, http_status=http_status)
        if code in codes.RETRYABLE_CODES:
            raise _Transient(
                error,
                safe_to_repeat=True,  # REGOS refused before doing anything
                server_rate_limited=code in codes.RATE_LIMIT_CODES,
            )
        raise error

    # -- generic list helpers ---------------------------------------------------------------------------------

    def stream(
        self,
        method: str,
        body: Mapping[str, Any],
        model: type[RecordT],
        *,
        page_size: int | None = None,
        strict: bool = False,
    ) -> RecordStream[RecordT]:
        """Pages of any offsetted ``…/Get`` method parsed into ``model``."""
        limit = page_size or self.page_size

        async def fetch(offset: int) -> Page[RecordT]:
            response = await self.call(method, {**body, "limit": limit, "offset": offset})
            rows = response.result if response.result is not None else []
            batch = parse_records(model, rows, strict=strict)
            raw_count = len(rows) if isinstance(rows, list) else 1
            return Page(
                batch.items, offset, response.next_offset, response.total, raw_count, batch.skipped, batch.problems
            )

        return RecordStream(fetch, max_pages=self.max_pages)

    async def fetch_all(
        self, method: str, body: Mapping[str, Any], model: type[RecordT], *, strict: bool = False
    ) -> RecordBatch[RecordT]:
        """One call of an unpaged method (``RegosArrayResult``) parsed into ``model``."""
        response = await self.call(method, body)
        return parse_records(model, response.result, strict=strict)

    # -- typed wrappers: references -----------------------------------------------------------------------------

    async def get_current_timestamp(self) -> datetime:
        """``CurrentTimeStamp/Get``: the server's time; the cheapest call, so also the key check."""
        response = await self.call("CurrentTimeStamp/Get", {})
        seconds = _optional_int(response.result)
        if seconds is None:
            raise RegosMalformedResponseError(None, "CurrentTimeStamp result is not a number", "CurrentTimeStamp/Get")
        return datetime.fromtimestamp(seconds, tz=UTC)

    def iter_firms(self, *, ids: Iterable[int] | None = None, page_size: int | None = None) -> RecordStream[Firm]:
        return self.stream("Firm/Get", _compact(ids=ids), Firm, page_size=page_size)

    def iter_stocks(
        self,
        *,
        ids: Iterable[int] | None = None,
        firm_ids: Iterable[int] | None = None,
        deleted_mark: bool | None = None,
        search: str | None = None,
        page_size: int | None = None,
    ) -> RecordStream[Stock]:
        """``Stock/Get``: branches / storage places."""
        body = _compact(ids=ids, firm_ids=firm_ids, deleted_mark=deleted_mark, search=search)
        return self.stream("Stock/Get", body, Stock, page_size=page_size)

    def iter_operating_cashes(
        self,
        *,
        ids: Iterable[int] | None = None,
        stock_ids: Iterable[int] | None = None,
        firm_ids: Iterable[int] | None = None,
        page_size: int | None = None,
    ) -> RecordStream[OperatingCash]:
        """``OperatingCash/Get``: tills, each with its stock."""
        body = _compact(ids=ids, stock_ids=stock_ids, firm_ids=firm_ids)
        return self.stream("OperatingCash/Get", body, OperatingCash, page_size=page_size)

    def iter_users(
        self,
        *,
        ids: Iterable[int] | None = None,
        active: bool | None = None,
        search: str | None = None,
        page_size: int | None = None,
    ) -> RecordStream[User]:
        """``User/Get``: employees (cashiers, sellers)."""
        return self.stream("User/Get", _compact(ids=ids, active=active, search=search), User, page_size=page_size)

    def iter_payment_types(self, *, page_size: int | None = None) -> RecordStream[PaymentType]:
        return self.stream("PaymentType/Get", {}, PaymentType, page_size=page_size)

    def iter_items(
        self,
        *,
        updated_since: Timestamp | None = None,
        ids: Iterable[int] | None = None,
        deleted_mark: bool | None = None,
        page_size: int | None = None,
    ) -> RecordStream[Item]:
        """``Item/Get``, optionally only items with ``last_update >= updated_since``.

        REGOS filters by a generic ``filters`` array whose field names are not published; we send
        ``last_update GreaterOrEqual`` sorted by ``LastUpdate``, fall back to an unfiltered read if REGOS rejects
        that, and always filter on our side too.
        """
        base = _compact(ids=ids, deleted_mark=deleted_mark)
        since = to_unix(updated_since) if updated_since is not None else None
        limit = page_size or self.page_size
        use_filter = since is not None

        async def fetch(offset: int) -> Page[Item]:
            nonlocal use_filter
            body = dict(base)
            if use_filter:
                body["filters"] = [{"Field": "last_update", "Operator": "GreaterOrEqual", "Value": str(since)}]
                body["sort_orders"] = [{"column": "LastUpdate", "direction": "ASC"}]
            try:
                response = await self.call("Item/Get", {**body, "limit": limit, "offset": offset})
            except RegosBadRequestError:
                if not use_filter or offset != 0:
                    raise
                logger.warning("REGOS Item/Get rejected the last_update filter; filtering on our side")
                use_filter = False
                response = await self.call("Item/Get", {**base, "limit": limit, "offset": offset})
            rows = response.result if response.result is not None else []
            batch = parse_records(Item, rows)
            items = batch.items
            if since is not None:
                items = [i for i in items if i.last_update is None or to_unix(i.last_update) >= since]
            raw_count = len(rows) if isinstance(rows, list) else 1
            return Page(items, offset, response.next_offset, response.total, raw_count, batch.skipped, batch.problems)

        return RecordStream(fetch, max_pages=self.max_pages)

    def iter_items_ext(
        self,
        *,
        stock_id: int,
        price_type_id: int | None = None,
        ids: Iterable[int] | None = None,
        zero_quantity: bool | None = None,
        page_size: int | None = None,
    ) -> RecordStream[ItemExt]:
        """``Item/GetExt``: items with price and quantity for one stock."""
        body = _compact(stock_id=stock_id, price_type_id=price_type_id, ids=ids, zero_quantity=zero_quantity)
        return self.stream("Item/GetExt", body, ItemExt, page_size=page_size)

    async def get_current_quantities(
        self, item_ids: Iterable[int], *, stock_ids: Iterable[int] | None = None
    ) -> RecordBatch[ItemQuantity]:
        """``Item/GetCurrentQuantity`` for any number of items, in calls of at most 250 ids."""
        unique_ids = list(dict.fromkeys(int(i) for i in item_ids))
        stocks = list(stock_ids) if stock_ids is not None else None
        batch: RecordBatch[ItemQuantity] = RecordBatch()
        for chunk in _chunks(unique_ids, CURRENT_QUANTITY_MAX_IDS):
            part = await self.fetch_all(
                "Item/GetCurrentQuantity", _compact(item_ids=chunk, stock_ids=stocks), ItemQuantity
            )
            batch.extend(part)
        return batch

    # -- typed wrappers: retail -----------------------------------------------------------------------------------

    def iter_doc_cheques(
        self,
        start: Timestamp,
        end: Timestamp,
        *,
        status: DocChequeStatus | str | int | None = None,
        is_return: bool | None = None,
        session_uuid: str | None = None,
        uuids: Iterable[str] | None = None,
        cashier_ids: Iterable[int] | None = None,
        seller_ids: Iterable[int] | None = None,
        page_size: int | None = None,
    ) -> RecordStream[DocCheque]:
        """``DocCheque/Get``: receipts dated in [start, end] (Unix seconds or aware datetimes), oldest first."""
        body = _compact(
            start_date=to_unix(start),
            end_date=to_unix(end),
            status=parse_enum(DocChequeStatus, status).value if status is not None else None,
            is_return=is_return,
            session_uuid=session_uuid,
            uuids=uuids,
            cashier_ids=cashier_ids,
            seller_ids=seller_ids,
            sort_orders=[{"column": "Date", "direction": "ASC"}],
        )
        return self.stream("DocCheque/Get", body, DocCheque, page_size=page_size)

    def iter_doc_cheques_short(
        self,
        start: Timestamp,
        end: Timestamp,
        *,
        stock_ids: Iterable[int] | None = None,
        operating_cash_ids: Iterable[int] | None = None,
        session_uuids: Iterable[str] | None = None,
        is_return: bool | None = None,
        sale_status: DocChequeStatus | str | int | None = None,
        uuids: Iterable[str] | None = None,
        page_size: int | None = None,
    ) -> RecordStream[DocChequeShort]:
        """``DocCheque/GetShort``: receipts with till and stock resolved (the simplest per-branch sales feed)."""
        body = _compact(
            start_date=to_unix(start),
            end_date=to_unix(end),
            stock_ids=stock_ids,
            operating_cash_ids=operating_cash_ids,
            session_uuids=session_uuids,
            is_return=is_return,
            sale_status=parse_enum(DocChequeStatus, sale_status).value if sale_status is not None else None,
            uuids=uuids,
            sort_orders=[{"column": "Date", "direction": "ASC"}],
        )
        return self.stream("DocCheque/GetShort", body, DocChequeShort, page_size=page_size)

    async def get_cheque_items(
        self, doc_sale_uuid: str | None = None, *, uuids: Iterable[str] | None = None
    ) -> RecordBatch[ChequeItemOperation]:
        """``ChequeItemOperation/Get``: lines of one receipt (or lines by their own uuids). Not paged."""
        if doc_sale_uuid is None and uuids is None:
            raise ValueError("give doc_sale_uuid or uuids")
        body = _compact(doc_sale_uuid=doc_sale_uuid, uuids=uuids)
        return await self.fetch_all("ChequeItemOperation/Get", body, ChequeItemOperation)

    async def get_cheque_payments(
        self, doc_sale_uuid: str | None = None, *, uuids: Iterable[str] | None = None
    ) -> RecordBatch[ChequePaymentOperation]:
        """``ChequePaymentOperation/Get``: payments of one receipt. Not paged."""
        if doc_sale_uuid is None and uuids is None:
            raise ValueError("give doc_sale_uuid or uuids")
        body = _compact(doc_sale_uuid=doc_sale_uuid, uuids=uuids)
        return await self.fetch_all("ChequePaymentOperation/Get", body, ChequePaymentOperation)

    def iter_cash_sessions(
        self,
        start: Timestamp,
        end: Timestamp,
        *,
        operating_cash_ids: Iterable[int] | None = None,
        uuids: Iterable[str] | None = None,
        is_close: bool | None = None,
        page_size: int | None = None,
    ) -> RecordStream[DocCashSession]:
        """``DocCashSession/Get``: shifts in [start, end]."""
        body = _compact(
            start_date=to_unix(start),
            end_date=to_unix(end),
            operating_cash_ids=operating_cash_ids,
            uuids=uuids,
            is_close=is_close,
        )
        return self.stream("DocCashSession/Get", body, DocCashSession, page_size=page_size)

    async def get_retail_report_counts(
        self, start: Timestamp, end: Timestamp, *, operating_cash_ids: Iterable[int] | None = None
    ) -> RecordBatch[RetailReportCounts]:
        body = _compact(start_date=to_unix(start), end_date=to_unix(end), operating_cash_ids=operating_cash_ids)
        return await self.fetch_all("RetailReport/Counts", body, RetailReportCounts)

    async def get_retail_report_payments(
        self, start: Timestamp, end: Timestamp, *, operating_cash_ids: Iterable[int] | None = None
    ) -> RecordBatch[RetailReportPayment]:
        body = _compact(start_date=to_unix(start), end_date=to_unix(end), operating_cash_ids=operating_cash_ids)
        return await self.fetch_all("RetailReport/Payments", body, RetailReportPayment)

    def iter_retail_report_operations(
        self,
        start: Timestamp,
        end: Timestamp,
        *,
        operating_cash_ids: Iterable[int] | None = None,
        search: str | None = None,
        page_size: int | None = None,
    ) -> RecordStream[RetailReportOperation]:
        body = _compact(
            start_date=to_unix(start), end_date=to_unix(end), operating_cash_ids=operating_cash_ids, search=search
        )
        return self.stream("RetailReport/Operations", body, RetailReportOperation, page_size=page_size)

    # -- typed wrappers: wholesale --------------------------------------------------------------------------------

    def iter_wholesales(
        self,
        start: Timestamp,
        end: Timestamp,
        *,
        ids: Iterable[int] | None = None,
        stock_ids: Iterable[int] | None = None,
        performed: bool | None = None,
        deleted_mark: bool | None = None,
        page_size: int | None = None,
    ) -> RecordStream[DocWholeSale]:
        """``DocWholeSale/Get``. Count only ``counts_as_revenue`` documents (performed, not deleted)."""
        body = _compact(
            start_date=to_unix(start),
            end_date=to_unix(end),
            ids=ids,
            stock_ids=stock_ids,
            performed=performed,
            deleted_mark=deleted_mark,
        )
        return self.stream("DocWholeSale/Get", body, DocWholeSale, page_size=page_size)

    def iter_wholesale_returns(
        self,
        start: Timestamp,
        end: Timestamp,
        *,
        ids: Iterable[int] | None = None,
        stock_ids: Iterable[int] | None = None,
        performed: bool | None = None,
        deleted_mark: bool | None = None,
        page_size: int | None = None,
    ) -> RecordStream[DocWholeSaleReturn]:
        body = _compact(
            start_date=to_unix(start),
            end_date=to_unix(end),
            ids=ids,
            stock_ids=stock_ids,
            performed=performed,
            deleted_mark=deleted_mark,
        )
        return self.stream("DocWholeSaleReturn/Get", body, DocWholeSaleReturn, page_size=page_size)

    def iter_wholesale_operations(
        self, document_id: int, *, page_size: int | None = None
    ) -> RecordStream[WholeSaleOperation]:
        """``WholeSaleOperation/Get`` for one document (REGOS accepts at most one id in ``document_ids``)."""
        return self.stream(
            "WholeSaleOperation/Get", {"document_ids": [document_id]}, WholeSaleOperation, page_size=page_size
        )

    def iter_wholesale_return_operations(
        self, document_id: int, *, page_size: int | None = None
    ) -> RecordStream[WholeSaleOperation]:
        return self.stream(
            "WholeSaleReturnOperation/Get", {"document_ids": [document_id]}, WholeSaleOperation, page_size=page_size
        )

    # -- events ---------------------------------------------------------------------------------------------------

    async def get_events(
        self,
        *,
        last_event_id: str | None = None,
        from_date: Timestamp | None = None,
        limit: int | None = None,
        actions: Iterable[str] | None = None,
    ) -> EventPage:
        """``Event/Get``: stored webhook events (kept 7 days) after ``last_event_id`` or since ``from_date``."""
        body = _compact(
            connected_integration_id=self._key,
            last_event_id=last_event_id,
            from_date=to_unix(from_date) if from_date is not None else None,
            limit=limit,
            actions=actions,
        )
        response = await self.call("Event/Get", body)
        result = response.result if isinstance(response.result, dict) else {}
        batch = parse_records(EventItem, result.get("events") or [])
        next_id = result.get("next_event_id")
        return EventPage(
            events=batch.items,
            next_event_id=str(next_id) if next_id else None,
            has_more=bool(result.get("has_more")),
            skipped=batch.skipped,
        )

    async def iter_events(
        self,
        *,
        last_event_id: str | None = None,
        from_date: Timestamp | None = None,
        actions: Iterable[str] | None = None,
        page_limit: int = EVENT_PAGE_MAX,
    ) -> AsyncIterator[EventItem]:
        """All stored events after a cursor; stops when ``has_more`` is false or the cursor stops moving."""
        seen_cursors: set[str] = set()
        action_list = list(actions) if actions is not None else None
        cursor = last_event_id
        for _ in range(self.max_pages):
            page = await self.get_events(
                last_event_id=cursor,
                from_date=from_date if cursor is None else None,
                limit=page_limit,
                actions=action_list,
            )
            for event in page.events:
                yield event
            if not page.has_more or not page.events or not page.next_event_id:
                return
            if page.next_event_id == cursor or page.next_event_id in seen_cursors:
                logger.warning("REGOS Event/Get cursor did not advance; stopping")
                return
            seen_cursors.add(page.next_event_id)
            cursor = page.next_event_id

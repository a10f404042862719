"""The HTTP core of the REGOS client: transport, retries, rate limit, errors, and the generic list helpers.

Every call is ``POST {base_url}/{integration_key}/v1/{Controller/Action}`` with a JSON body; success and failure
both arrive as HTTP 200 envelopes, so ``ok`` decides, not the status. Calls pass a client-side token bucket and
are retried with exponential backoff and full jitter on transient failures only. The typed per-controller calls
(``api_*`` modules) build on ``call``/``stream``/``fetch_all``; ``client.RegosClient`` puts them together.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime
from typing import Any, Self, TypeVar

import httpx
from pydantic import BaseModel

from . import errors as codes
from .auth import OAuthCredentials, OAuthTokenProvider
from .budget import BudgetExhausted, KeyBudget, Priority
from .enums import RegosEnum
from .envelope import RegosResponse
from .errors import (
    RegosAuthError,
    RegosError,
    RegosMalformedResponseError,
    RegosNotFoundError,
    RegosRateLimitError,
    RegosUnknownError,
    RegosUnreachableError,
    error_from_code,
)
from .limits import MAX_RESPONSE_BYTES, guarded_loads
from .masking import logger, mask_secret, protect_secret, redact
from .models import RecordBatch, parse_records
from .paging import DEFAULT_MAX_PAGES, Page, RecordStream
from .parsing import DEFAULT_TIMEZONE, day_bounds, dumps, optional_int, to_unix
from .ratelimit import Clock, Sleep, TokenBucket

DEFAULT_GATEWAY_URL = "https://integration.regos.uz/gateway/out"
DEFAULT_TIMEOUT = 30.0
DEFAULT_PAGE_SIZE = 1000

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


def compact_body(**fields: Any) -> dict[str, Any]:
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


def optional_unix(value: Timestamp | None) -> int | None:
    return to_unix(value) if value is not None else None


def parse_page(model: type[RecordT], response: RegosResponse, offset: int, *, strict: bool = False) -> Page[RecordT]:
    """One answer of an offsetted list as a ``Page`` (the raw answer kept on it)."""
    rows = response.result if response.result is not None else []
    batch = parse_records(model, rows, strict=strict)
    raw_count = len(rows) if isinstance(rows, list) else 1
    return Page(
        batch.items, offset, response.next_offset, response.total, raw_count, batch.skipped, batch.problems, response
    )


def chunks(values: Sequence[int], size: int) -> Iterable[list[int]]:
    for start in range(0, len(values), size):
        yield list(values[start : start + size])


class RegosCore:
    """Transport of one REGOS integration: ``call`` one method, ``stream`` an offsetted list, ``fetch_all`` an
    unpaged one. ``RegosClient`` adds the typed per-controller calls."""

    def __init__(
        self,
        integration_key: str,
        *,
        base_url: str = DEFAULT_GATEWAY_URL,
        oauth: OAuthCredentials | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        retry: RetryPolicy | None = None,
        rate_limit: RateLimit | None = None,
        bucket: TokenBucket | KeyBudget | None = None,
        priority: Priority = Priority.SCHEDULED,
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
        self.priority = priority  # where this client's calls queue in a shared KeyBudget
        if bucket is not None:
            self._bucket: TokenBucket | KeyBudget | None = bucket
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
    def bucket(self) -> TokenBucket | KeyBudget | None:
        return self._bucket

    @property
    def oauth(self) -> OAuthTokenProvider | None:
        return self._oauth

    def __repr__(self) -> str:
        mode = "oauth" if self._oauth else "key"
        return f"{type(self).__name__}(base_url={self.base_url!r}, key={self.masked_key!r}, auth={mode!r})"

    async def __aenter__(self) -> Self:
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
        request = dict(body or {})
        payload = dumps(request)
        attempt = 0
        token_refreshed = False
        while True:
            attempt += 1
            try:
                return await self._attempt(method, payload, request)
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

    async def _attempt(self, method: str, payload: bytes, request: dict[str, Any]) -> RegosResponse:
        if self._bucket is not None:
            try:
                await self._bucket.acquire(self.priority)
            except BudgetExhausted as exhausted:  # 8213 after 8213: the key's limit is spent elsewhere
                raise RegosRateLimitError(
                    codes.RATE_LIMIT_EXCEEDED, f"key over its rate limit, holding off {exhausted.seconds:.0f}s",
                    method,
                ) from None
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
            next_offset=optional_int(envelope.get("next_offset")),
            total=optional_int(envelope.get("total")),
            request=request,
        )

    @staticmethod
    def _decode(raw: bytes) -> dict[str, Any] | None:
        try:
            data = guarded_loads(raw, max_bytes=MAX_RESPONSE_BYTES)
        except (ValueError, UnicodeDecodeError, EOFError, OSError, RecursionError):
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
        code = optional_int(source.get("error"))
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
            return parse_page(model, response, offset, strict=strict)

        return RecordStream(fetch, method=method, max_pages=self.max_pages)

    async def fetch_all(
        self, method: str, body: Mapping[str, Any], model: type[RecordT], *, strict: bool = False
    ) -> RecordBatch[RecordT]:
        """One call of an unpaged method (``RegosArrayResult``) parsed into ``model``."""
        response = await self.call(method, body)
        batch = parse_records(model, response.result, strict=strict)
        batch.response = response
        return batch

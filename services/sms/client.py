"""An async client of the Eskiz SMS gateway (notify.eskiz.uz), over httpx.

Login with e-mail and password gives a 30-day token, kept in a ``TokenStore`` between processes. Every call
carries it as a Bearer; a 401 (``token-invalid``) renews it once (``PATCH /auth/refresh``, or a fresh login when
the refresh is refused) and repeats the call once. Calls time out after 30 s; transient failures (network,
429, 502/503, and for reads any 5xx or timeout) are retried with exponential backoff and full jitter; a send is
repeated only when Eskiz surely did not take it. The token and the password are never logged (only ``eyJh…``).
"""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any, Self

import httpx

from services.masking import mask_secret, protect_secret, redact, redactor

from .errors import (
    EskizBadResponse,
    EskizCredentialsError,
    EskizError,
    EskizNotConfigured,
    EskizQuotaError,
    EskizRefused,
    EskizTestModeError,
    EskizTokenError,
    EskizUnavailable,
)
from .phones import mask_phone, normalize_phone
from .texts import MAX_PARTS, is_test_text, sms_parts
from .tokens import MemoryTokenStore, StoredToken, TokenStore
from .urls import resolve_callback_url

if TYPE_CHECKING:
    from core.config import Settings

LOGGER_NAME = "services.sms"
logger = logging.getLogger(LOGGER_NAME)
logger.addFilter(redactor)  # whatever a record holds, a registered token or password leaves masked

DEFAULT_BASE_URL = "https://notify.eskiz.uz/api"
DEFAULT_SENDER = "4546"  # Eskiz's shared/test nick
DEFAULT_TIMEOUT = 30.0
DEFAULT_PART_PRICE = 50  # UZS per SMS part, for the quota estimate; get-limit's balance is money [G]
BATCH_SIZE = 100
_QUOTA_WORDS = ("средств", "баланс", "balance", "limit", "лимит", "mablag")
_TEST_WORDS = ("тестов", "test mode", "test status", "test rejim", "test holat")


@dataclass(frozen=True)
class RetryPolicy:
    """``max_attempts`` counts the first try; full jitter over ``base_delay * 2**n`` capped at ``max_delay``."""

    max_attempts: int = 4
    base_delay: float = 0.5
    max_delay: float = 10.0
    max_retry_after: float = 60.0


@dataclass(frozen=True)
class SendResult:
    request_id: str  # Eskiz's "id": the request_id its callbacks carry
    status: str
    message: str
    phone: str
    parts: int


@dataclass(frozen=True)
class BatchMessage:
    phone: str
    text: str
    user_sms_id: str


@dataclass(frozen=True)
class BatchResult:
    request_id: str
    dispatch_id: int
    statuses: list[str]
    messages: list[BatchMessage]


@dataclass(frozen=True)
class MessageStatus:
    id: str
    request_id: str | None
    user_sms_id: str | None
    phone: str | None
    status: str  # message level: waiting, NEW, ACCEPTED, DELIVERED, REJECTED...
    parts: int | None
    price: Decimal | None
    sent_at: str | None = None
    delivered_at: str | None = None
    raw: dict[str, Any] = field(default_factory=dict, repr=False)


@dataclass(frozen=True)
class AccountInfo:
    id: int | None
    name: str | None
    email: str | None
    role: str | None
    status: str | None
    balance: int | None


class _Transient(Exception):
    def __init__(self, error: EskizError, *, safe_to_repeat: bool, retry_after: float | None = None) -> None:
        super().__init__(error.description)
        self.error = error
        self.safe_to_repeat = safe_to_repeat
        self.retry_after = retry_after


def _body(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return None


def _message(body: Any, response: httpx.Response) -> str:
    if isinstance(body, dict):
        text = body.get("message") or body.get("error") or body.get("status")
        if isinstance(text, dict):  # Laravel-style {"field": ["problem"]}
            text = "; ".join(f"{k}: {', '.join(map(str, v)) if isinstance(v, list) else v}" for k, v in text.items())
        if text:
            return redact(str(text))[:300]
    return f"HTTP {response.status_code}"


def _as_int(value: Any) -> int | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return int(Decimal(str(value)))
    except (InvalidOperation, ValueError):
        return None


def _retry_after(response: httpx.Response) -> float | None:
    try:
        return max(0.0, float(response.headers.get("Retry-After", "")))
    except ValueError:
        return None


class EskizClient:
    def __init__(
        self,
        email: str,
        password: str,
        *,
        base_url: str = DEFAULT_BASE_URL,
        sender: str = DEFAULT_SENDER,
        callback_url: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        retry: RetryPolicy | None = None,
        token_store: TokenStore | None = None,
        part_price: int = DEFAULT_PART_PRICE,
        batch_size: int = BATCH_SIZE,
        http_client: httpx.AsyncClient | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        sleep: Callable[[float], Any] = asyncio.sleep,
        rng: random.Random | None = None,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        if not email or not password:
            raise EskizNotConfigured("ESKIZ_EMAIL and ESKIZ_PASSWORD must be set to send SMS")
        self.account = email.strip().lower()
        self._password = password
        protect_secret(password)
        self.base_url = base_url.rstrip("/")
        self.sender = sender or DEFAULT_SENDER
        self.callback_url = callback_url or None
        self.timeout = timeout
        self.retry = retry or RetryPolicy()
        self.part_price = part_price
        self.batch_size = batch_size
        self.store: TokenStore = token_store or MemoryTokenStore()
        self._owns_http = http_client is None
        self._http = http_client or httpx.AsyncClient(transport=transport, timeout=timeout)
        self._sleep = sleep
        self._rng = rng or random.Random()
        self._now = now
        self._token: StoredToken | None = None
        self._loaded = False
        self._lock = asyncio.Lock()
        self.calls_made = 0  # HTTP attempts, retries included (tests read it)

    @classmethod
    def from_settings(cls, settings: Settings, **options: Any) -> EskizClient:
        if not settings.eskiz_email or settings.eskiz_password is None:
            raise EskizNotConfigured("ESKIZ_EMAIL and ESKIZ_PASSWORD are not set")
        options.setdefault("base_url", settings.eskiz_base_url)
        options.setdefault("sender", settings.eskiz_from)
        options.setdefault("callback_url", resolve_callback_url(settings))
        return cls(settings.eskiz_email, settings.eskiz_password.get_secret_value(), **options)

    def __repr__(self) -> str:
        token = mask_secret(self._token.token) if self._token else None
        return f"EskizClient(base_url={self.base_url!r}, account={self.account!r}, token={token!r})"

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        if self._owns_http:
            await self._http.aclose()

    @property
    def token_info(self) -> StoredToken | None:
        return self._token

    # -- transport --------------------------------------------------------------------------------------------

    def _backoff(self, attempt: int, retry_after: float | None) -> float:
        if retry_after is not None:
            return min(retry_after, self.retry.max_retry_after)
        return self._rng.uniform(0.0, min(self.retry.max_delay, self.retry.base_delay * (2 ** (attempt - 1))))

    async def _request(self, method: str, path: str, *, token: str | None = None, data: Mapping[str, Any] | None
                       = None, json_body: Any = None, idempotent: bool = True) -> httpx.Response:
        """One Eskiz call with retries on transient failures; any non-transient answer is returned as is."""
        attempt = 0
        while True:
            attempt += 1
            try:
                return await self._attempt(method, path, token, data, json_body)
            except _Transient as failure:
                if attempt >= self.retry.max_attempts or (not idempotent and not failure.safe_to_repeat):
                    logger.warning("Eskiz %s %s gave up after %d attempts: %s", method, path, attempt,
                                   failure.error.description)
                    failure.error.maybe_taken = not failure.safe_to_repeat
                    raise failure.error from failure
                delay = self._backoff(attempt, failure.retry_after)
                logger.warning("Eskiz %s %s failed (%s), retry %d/%d in %.2fs", method, path,
                               failure.error.description, attempt, self.retry.max_attempts - 1, delay)
                await self._sleep(delay)

    async def _attempt(self, method: str, path: str, token: str | None, data: Mapping[str, Any] | None,
                       json_body: Any) -> httpx.Response:
        headers = {"Accept": "application/json"}
        if token is not None:
            headers["Authorization"] = f"Bearer {token}"
        self.calls_made += 1
        try:
            response = await self._http.request(method, f"{self.base_url}{path}", data=data, json=json_body,
                                                headers=headers, timeout=self.timeout)
        except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
            raise _Transient(EskizUnavailable(f"Eskiz unreachable ({type(exc).__name__})", path=path),
                             safe_to_repeat=True) from exc
        except httpx.TimeoutException as exc:
            raise _Transient(EskizUnavailable(f"Eskiz timed out ({type(exc).__name__})", path=path),
                             safe_to_repeat=False) from exc
        except httpx.TransportError as exc:
            raise _Transient(EskizUnavailable(f"network error ({type(exc).__name__})", path=path),
                             safe_to_repeat=False) from exc
        status = response.status_code
        if status == 429 or status >= 500:
            error = EskizUnavailable(f"Eskiz answered HTTP {status}", http_status=status, path=path)
            # 429, 502 and 503 mean Eskiz's application did not take the request; 500/504 may have.
            raise _Transient(error, safe_to_repeat=status in (429, 502, 503), retry_after=_retry_after(response))
        return response

    def _token_from(self, response: httpx.Response, path: str) -> StoredToken:
        body = _body(response)
        token = body.get("data", {}).get("token") if isinstance(body, dict) and isinstance(body.get("data"),
                                                                                          dict) else None
        if not isinstance(token, str) or not token:
            raise EskizBadResponse("Eskiz answered without a token", http_status=response.status_code, path=path)
        protect_secret(token)
        return StoredToken.from_token(token, self._now())

    # -- the token --------------------------------------------------------------------------------------------

    async def login(self) -> StoredToken:
        """A fresh token from e-mail and password (kept and stored)."""
        path = "/auth/login"
        response = await self._request("POST", path, data={"email": self.account, "password": self._password})
        if response.status_code != 200:
            raise EskizCredentialsError(
                f"Eskiz refused the login of {self.account}: {_message(_body(response), response)}",
                http_status=response.status_code, path=path,
            )
        token = self._token_from(response, path)
        await self._keep(token)
        logger.info("Eskiz login of %s: token %s, expires %s, role %s", self.account, mask_secret(token.token),
                    token.expires_at, token.role)
        return token

    async def refresh(self) -> StoredToken:
        """``PATCH /auth/refresh`` with the current token; raises ``EskizTokenError`` when Eskiz refuses it."""
        current = self._token or await self._load()
        if current is None:
            raise EskizTokenError("no token to refresh: log in first")
        path = "/auth/refresh"
        response = await self._request("PATCH", path, token=current.token, idempotent=False)
        if response.status_code != 200:
            raise EskizTokenError(f"Eskiz refused to refresh token {mask_secret(current.token)}: "
                                  f"{_message(_body(response), response)}", http_status=response.status_code,
                                  path=path)
        token = self._token_from(response, path)
        await self._keep(token)
        logger.info("Eskiz token %s refreshed: now %s, expires %s", mask_secret(current.token),
                    mask_secret(token.token), token.expires_at)
        return token

    async def _keep(self, token: StoredToken) -> None:
        self._token = token
        self._loaded = True
        await self.store.save(self.account, token)

    async def _load(self) -> StoredToken | None:
        if not self._loaded:
            self._loaded = True
            stored = await self.store.load(self.account)
            if stored is not None:
                protect_secret(stored.token)
                self._token = stored
        return self._token

    async def current_token(self) -> StoredToken:
        """The token to use now: the kept one, renewed first when its ``exp`` has passed, or a login."""
        async with self._lock:
            token = await self._load()
            if token is None:
                return await self.login()
            if token.expired(self._now()):
                logger.info("Eskiz token %s expired at %s, renewing", mask_secret(token.token), token.expires_at)
                return await self._renew_locked(token)
            return token

    async def renew(self, stale: StoredToken) -> StoredToken:
        """After a 401: refresh the token, or log in again when the refresh fails. Concurrent callers that saw the
        same stale token share one renewal."""
        async with self._lock:
            if self._token is not None and self._token.token != stale.token:
                return self._token
            return await self._renew_locked(stale)

    async def _renew_locked(self, stale: StoredToken) -> StoredToken:
        self._token = stale
        try:
            return await self.refresh()
        except (EskizTokenError, EskizBadResponse, EskizUnavailable) as error:
            logger.warning("Eskiz refresh of token %s failed (%s): logging in again", mask_secret(stale.token),
                           error.description)
            await self.store.clear(self.account)
            self._token = None
            return await self.login()

    async def _authorized(self, method: str, path: str, *, data: Mapping[str, Any] | None = None,
                          json_body: Any = None, idempotent: bool = True) -> tuple[httpx.Response, StoredToken]:
        token = await self.current_token()
        response = await self._request(method, path, token=token.token, data=data, json_body=json_body,
                                       idempotent=idempotent)
        if response.status_code != 401:
            return response, token
        logger.info("Eskiz refused token %s on %s (%s): renewing and retrying once", mask_secret(token.token), path,
                    _message(_body(response), response))
        token = await self.renew(token)
        response = await self._request(method, path, token=token.token, data=data, json_body=json_body,
                                       idempotent=idempotent)
        if response.status_code == 401:
            raise EskizTokenError(f"Eskiz refused a fresh token too: {_message(_body(response), response)}",
                                  http_status=401, path=path)
        return response, token

    # -- reads ------------------------------------------------------------------------------------------------

    async def _get_json(self, path: str) -> Any:
        response, _ = await self._authorized("GET", path)
        body = _body(response)
        if response.status_code != 200:
            raise EskizRefused(f"Eskiz refused: {_message(body, response)}", http_status=response.status_code,
                               path=path)
        if body is None:
            raise EskizBadResponse("Eskiz answered something that is not JSON", http_status=200, path=path)
        return body

    async def user(self) -> AccountInfo:
        body = await self._get_json("/auth/user")
        data = body.get("data") if isinstance(body, dict) and isinstance(body.get("data"), dict) else body
        if not isinstance(data, dict):
            raise EskizBadResponse("unexpected /auth/user answer", path="/auth/user")
        return AccountInfo(_as_int(data.get("id")), data.get("name"), data.get("email"), data.get("role"),
                           data.get("status"), _as_int(data.get("balance")))

    async def balance(self) -> int:
        """``/api/user/get-limit``: what is left to spend."""
        body = await self._get_json("/user/get-limit")
        data = body.get("data") if isinstance(body, dict) else None
        balance = _as_int(data.get("balance")) if isinstance(data, dict) else None
        if balance is None:
            raise EskizBadResponse("unexpected /user/get-limit answer", path="/user/get-limit")
        return balance

    async def status(self, ref: str | int) -> MessageStatus:
        """``status_by_id``: by Eskiz's message id or the request id a send answered."""
        path = f"/message/sms/status_by_id/{ref}"
        body = await self._get_json(path)
        data = body.get("data") if isinstance(body, dict) else None
        if not isinstance(data, dict):
            raise EskizBadResponse("unexpected status_by_id answer", path=path)
        price = data.get("price")
        return MessageStatus(
            id=str(data.get("id")), request_id=data.get("request_id"), user_sms_id=data.get("user_sms_id"),
            phone=str(data["to"]) if data.get("to") is not None else None, status=str(data.get("status") or ""),
            parts=_as_int(data.get("parts_count")), price=Decimal(str(price)) if price is not None else None,
            sent_at=data.get("sent_at"), delivered_at=data.get("delivery_sm_at"), raw=data,
        )

    # -- sending ----------------------------------------------------------------------------------------------

    def estimate_cost(self, texts: Iterable[str]) -> int:
        return sum(sms_parts(text) for text in texts) * self.part_price

    async def check_quota(self, texts: Sequence[str]) -> int:
        """Raise ``EskizQuotaError`` unless the balance covers these texts; returns the balance."""
        balance = await self.balance()
        needed = self.estimate_cost(texts)
        if needed > balance:
            logger.warning("Eskiz balance %d below the %d these %d SMS need", balance, needed, len(texts))
            raise EskizQuotaError(balance, needed)
        return balance

    @staticmethod
    def _check_text(text: str) -> int:
        if not text or not text.strip():
            raise EskizRefused("the SMS text is empty")
        parts = sms_parts(text)
        if parts > MAX_PARTS:
            raise EskizRefused(f"the SMS text takes {parts} parts; at most {MAX_PARTS} are sent")
        return parts

    def _refusal(self, response: httpx.Response, path: str, texts: Sequence[str], role: str | None) -> EskizError:
        body = _body(response)
        message = _message(body, response)
        lower = message.lower()
        if (role == "test" and not all(is_test_text(t) for t in texts)) or any(w in lower for w in _TEST_WORDS):
            return EskizTestModeError(message, http_status=response.status_code, path=path)
        if any(word in lower for word in _QUOTA_WORDS):
            return EskizQuotaError(None, None, description=f"Eskiz balance is too low: {message}",
                                   http_status=response.status_code, path=path)
        return EskizRefused(f"Eskiz refused the SMS: {message}", http_status=response.status_code, path=path)

    async def send(self, phone: str, text: str, *, callback_url: str | None = None) -> SendResult:
        """One SMS. The phone is normalised first (``InvalidPhoneError`` before any call)."""
        number = normalize_phone(phone)
        parts = self._check_text(text)
        path = "/message/sms/send"
        fields = {"mobile_phone": number, "message": text, "from": self.sender}
        callback = callback_url or self.callback_url
        if callback:
            fields["callback_url"] = callback
        response, token = await self._authorized("POST", path, data=fields, idempotent=False)
        body = _body(response)
        if response.status_code != 200:
            raise self._refusal(response, path, [text], token.role)
        if not isinstance(body, dict) or not body.get("id"):
            raise EskizBadResponse(f"Eskiz answered without an id: {_message(body, response)}", http_status=200,
                                   path=path)
        result = SendResult(str(body["id"]), str(body.get("status") or "waiting"), str(body.get("message") or ""),
                            number, parts)
        logger.info("Eskiz accepted SMS to %s (%d parts): request %s", mask_phone(number), parts, result.request_id)
        return result

    async def send_batch(self, messages: Sequence[BatchMessage], *, dispatch_id: int | None = None,
                         callback_url: str | None = None, check_quota: bool = True) -> list[BatchResult]:
        """Many SMS through ``send-batch`` in chunks of ``batch_size``, after the quota check. A failure after the
        first chunk carries the chunks already accepted as ``error.accepted``."""
        if not messages:
            return []
        normalised = [BatchMessage(normalize_phone(m.phone), m.text, m.user_sms_id) for m in messages]
        for message in normalised:
            self._check_text(message.text)
        token = await self.current_token()
        if token.role == "test" and not all(is_test_text(m.text) for m in normalised):
            raise EskizTestModeError()
        if check_quota:
            await self.check_quota([m.text for m in normalised])
        dispatch = dispatch_id if dispatch_id is not None else self._rng.randint(1, 2**31 - 1)
        callback = callback_url or self.callback_url
        results: list[BatchResult] = []
        path = "/message/sms/send-batch"
        for start in range(0, len(normalised), self.batch_size):
            chunk = normalised[start:start + self.batch_size]
            payload: dict[str, Any] = {
                "messages": [{"user_sms_id": m.user_sms_id, "to": int(m.phone), "text": m.text} for m in chunk],
                "from": self.sender, "dispatch_id": dispatch,
            }
            if callback:
                payload["callback_url"] = callback
            try:
                response, token = await self._authorized("POST", path, json_body=payload, idempotent=False)
                body = _body(response)
                if response.status_code != 200:
                    raise self._refusal(response, path, [m.text for m in chunk], token.role)
                if not isinstance(body, dict) or not body.get("id"):
                    raise EskizBadResponse(f"Eskiz answered without an id: {_message(body, response)}",
                                           http_status=200, path=path)
            except EskizError as error:
                error.accepted = list(results)
                raise
            statuses = body.get("status")
            status_list = [str(s) for s in statuses] if isinstance(statuses, list) else ["waiting"] * len(chunk)
            results.append(BatchResult(str(body["id"]), dispatch, status_list, chunk))
            logger.info("Eskiz accepted a batch of %d SMS: request %s, dispatch %d", len(chunk), body["id"], dispatch)
        return results

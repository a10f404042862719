"""A fake REGOS gateway (aiohttp) that speaks the real protocol.

``POST /gateway/out/{key}/v1/{Controller/Action}`` with JSON bodies, HTTP 200 envelopes for application
errors, ``limit``/``offset``/``next_offset``/``total`` paging, a 2 req/s / burst 50 bucket per key (8213), the
OAuth variant (``POST /oauth/token`` + Bearer), Event/Get and outgoing webhooks. ``/_fake/...`` controls faults,
mutations and ground truth at run time.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import logging
import operator
import secrets
import time
import uuid as uuid_module
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import aiohttp
from aiohttp import web

from .faults import FaultPlan, KeyBuckets
from .generator import (
    STATUS_CLOSED,
    DayTotals,
    GeneratorConfig,
    ReceiptRec,
    RegosDataGenerator,
    WholesaleRec,
    effective_lines,
    effective_payments,
)
from .serialize import RegosSerializer, encode

log = logging.getLogger("sandbox.regos")

GATEWAY_PREFIX = "/gateway/out"
MAX_LIMIT = 10_000  # REGOS: "Значение по умолчанию 10000. Максимальное значение 10000"
CURRENT_QUANTITY_MAX_IDS = 250
EVENT_RETENTION_SECONDS = 7 * 86_400
EVENT_PAGE_DEFAULT = 100
EVENT_PAGE_MAX = 1000

# Error texts as REGOS words them (docs.regos.uz errors page); the exact text for a bad key is a guess.
ERR_BAD_PARAMETERS = (1008, "Неверные параметры запроса")
ERR_BAD_PARAMETERS_2 = (1012, "Некорректные параметры")
ERR_NO_RIGHTS = (1007, "Недостаточно прав для выполнения операции")
ERR_NOT_FOUND = (1009, "Записи не найдены")
ERR_BAD_TOKEN = (9001, "Ошибка авторизации. Отсутствует или неверный заголовок Authorization")
ERR_BAD_KEY = (9002, "Ошибка авторизации. Токен отсутствует или неактивен")
ERR_RATE_LIMIT = (8213, "Ошибка лимита: превышено количество запросов")


class RegosApiError(Exception):
    def __init__(self, code: int, description: str) -> None:
        super().__init__(description)
        self.code = code
        self.description = description


@dataclass
class KeyConfig:
    """An integration key the fake accepts. ``denied_methods`` answer 1007; ``requires_bearer`` is the
    marketplace mode (the key is then a ``connected_integration_id``)."""

    denied_methods: frozenset[str] = frozenset()
    requires_bearer: bool = False


@dataclass(frozen=True)
class OAuthClient:
    client_secret: str
    connected_integration_id: str


@dataclass
class RequestRecord:
    method: str
    key_prefix: str
    fault: str | None
    outcome: str  # "ok", "error:<code>", "http:<status>"


@dataclass
class WebhookDelivery:
    event_id: str
    attempt: int
    status: int | None
    error: str | None = None


@dataclass
class _Token:
    integration_id: str
    expires_at: float


def default_key_for(seed: int) -> str:
    """A stable 32-hex key like REGOS's, different per seed."""
    return hashlib.md5(f"smartsavdo-fake-regos-{seed}".encode(), usedforsecurity=False).hexdigest()


def _opt_int(value: Any, name: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool):
        raise RegosApiError(*ERR_BAD_PARAMETERS)
    try:
        return int(value)
    except (TypeError, ValueError):
        raise RegosApiError(ERR_BAD_PARAMETERS[0], f"{ERR_BAD_PARAMETERS[1]}: {name}") from None


def _opt_bool(value: Any, name: str) -> bool | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise RegosApiError(ERR_BAD_PARAMETERS[0], f"{ERR_BAD_PARAMETERS[1]}: {name}")


def _int_list(value: Any, name: str) -> list[int] | None:
    if value is None:
        return None
    if not isinstance(value, list):
        raise RegosApiError(ERR_BAD_PARAMETERS[0], f"{ERR_BAD_PARAMETERS[1]}: {name}")
    return [n for v in value if (n := _opt_int(v, name)) is not None]


def _str_list(value: Any, name: str) -> list[str] | None:
    if value is None:
        return None
    if not isinstance(value, list):
        raise RegosApiError(ERR_BAD_PARAMETERS[0], f"{ERR_BAD_PARAMETERS[1]}: {name}")
    return [str(v) for v in value]


def _status_name(value: Any) -> str | None:
    """Statuses arrive as names or documented numbers."""
    if value is None:
        return None
    names = ["Default", "Opened", "Paying", "Closed", "Delayed", "DelayedPayment", "Canceled"]
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < len(names):
        return names[value]
    text = str(value).strip()
    if text.isdigit() and int(text) < len(names):
        return names[int(text)]
    for name in names:
        if name.lower() == text.lower():
            return None if name == "Default" else name
    raise RegosApiError(ERR_BAD_PARAMETERS[0], f"{ERR_BAD_PARAMETERS[1]}: status")


def _page(rows: list[Any], limit: int, offset: int) -> tuple[list[Any], int, int]:
    chunk = rows[offset : offset + limit]
    total = len(rows)
    next_offset = offset + len(chunk) if offset + len(chunk) < total else 0
    return chunk, next_offset, total


def _iso(unix_seconds: float) -> str:
    return datetime.fromtimestamp(unix_seconds, tz=UTC).isoformat().replace("+00:00", "Z")


_COMPARATORS: dict[str, Callable[[int, int], bool]] = {
    "Equal": operator.eq,
    "NotEqual": operator.ne,
    "Greater": operator.gt,
    "GreaterOrEqual": operator.ge,
    "Less": operator.lt,
    "LessOrEqual": operator.le,
}

Handler = Callable[[dict[str, Any], str], Awaitable[dict[str, Any]]]


class FakeRegos:
    """The fake gateway. ``await start()`` returns the gateway base URL to give ``RegosClient(base_url=...)``."""

    def __init__(
        self,
        *,
        seed: int = 1,
        start_date: date | None = None,
        days: int = 28,
        receipts_per_day: int = 300,
        keys: Mapping[str, KeyConfig | Iterable[str] | None] | Iterable[str] | None = None,
        generator: RegosDataGenerator | None = None,
        oauth_clients: Mapping[str, OAuthClient] | None = None,
        rate_limit: bool = True,
        rate: float = 2.0,
        burst: int = 50,
        clock: Callable[[], float] = time.monotonic,
        now: Callable[[], float] = time.time,
        token_ttl: int = 600,
        webhook_url: str | None = None,
        webhook_wrapped: bool = False,
        webhook_retry_delay: float = 3.0,
        webhook_attempts: int = 4,
        **generator_options: Any,
    ) -> None:
        if generator is None:
            config = GeneratorConfig(
                seed=seed,
                start_date=start_date or GeneratorConfig.start_date,
                days=days,
                receipts_per_day=receipts_per_day,
                **generator_options,
            )
            generator = RegosDataGenerator(config, clock=now)
        self.generator = generator
        self.serializer = RegosSerializer(generator)
        self.default_key = default_key_for(generator.config.seed)
        self.keys: dict[str, KeyConfig] = {}
        if keys is None:
            self.add_key(self.default_key)
        elif isinstance(keys, Mapping):
            for key, value in keys.items():
                if isinstance(value, KeyConfig):
                    self.keys[key] = value
                else:
                    self.add_key(key, denied_methods=value or ())
        else:
            for key in keys:
                self.add_key(key)
        self.oauth_clients: dict[str, OAuthClient] = dict(oauth_clients or {})
        for client in self.oauth_clients.values():
            existing = self.keys.get(client.connected_integration_id, KeyConfig())
            self.keys[client.connected_integration_id] = KeyConfig(existing.denied_methods, requires_bearer=True)
        self.buckets = KeyBuckets(rate, burst, clock=clock)
        self.buckets.enabled = rate_limit
        self.faults = FaultPlan()
        self.now = now
        self.token_ttl = token_ttl
        self._tokens: dict[str, _Token] = {}
        self.webhook_url = webhook_url
        self.webhook_wrapped = webhook_wrapped
        self.webhook_retry_delay = webhook_retry_delay
        self.webhook_attempts = webhook_attempts
        self.webhook_deliveries: list[WebhookDelivery] = []
        self.events: list[dict[str, Any]] = []
        self._event_positions: dict[str, int] = {}
        self.request_log: list[RequestRecord] = []
        self.token_requests = 0
        self._count_cache: dict[tuple[Any, ...], int] = {}
        self._webhook_tasks: set[asyncio.Task[None]] = set()
        self._http: aiohttp.ClientSession | None = None
        self._stopping = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self.base_url: str | None = None
        self.app = self._build_app()
        self._methods: dict[str, Handler] = {
            "CurrentTimeStamp/Get": self._current_timestamp,
            "Firm/Get": self._firms,
            "Stock/Get": self._stocks,
            "OperatingCash/Get": self._operating_cashes,
            "User/Get": self._users,
            "PaymentType/Get": self._payment_types,
            "Partner/Get": self._partners,
            "Item/Get": self._items,
            "Item/GetExt": self._items_ext,
            "Item/GetCurrentQuantity": self._current_quantity,
            "DocCheque/Get": self._doc_cheques,
            "DocCheque/GetShort": self._doc_cheques_short,
            "ChequeItemOperation/Get": self._cheque_lines,
            "ChequePaymentOperation/Get": self._cheque_payments,
            "DocCashSession/Get": self._cash_sessions,
            "DocWholeSale/Get": self._wholesales,
            "DocWholeSaleReturn/Get": self._wholesale_returns,
            "WholeSaleOperation/Get": self._wholesale_lines,
            "WholeSaleReturnOperation/Get": self._wholesale_return_lines,
            "RetailReport/Counts": self._report_counts,
            "RetailReport/Payments": self._report_payments,
            "RetailReport/Operations": self._report_operations,
            "Event/Get": self._event_get,
        }
        self._methods_lower = {name.lower(): handler for name, handler in self._methods.items()}

    # -- lifecycle ------------------------------------------------------------------------------------------------

    @property
    def gateway_url(self) -> str:
        if self.base_url is None:
            raise RuntimeError("FakeRegos is not started")
        return f"{self.base_url}{GATEWAY_PREFIX}"

    @property
    def token_url(self) -> str:
        if self.base_url is None:
            raise RuntimeError("FakeRegos is not started")
        return f"{self.base_url}/oauth/token"

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        """Serve on ``host:port`` (0 = any free port); returns the gateway base URL."""
        self._stopping = asyncio.Event()
        self._runner = web.AppRunner(self.app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        server = getattr(site, "_server", None)
        sockets = getattr(server, "sockets", None) or []
        bound_port = sockets[0].getsockname()[1] if sockets else port
        self.base_url = f"http://{host}:{bound_port}"
        self._http = aiohttp.ClientSession()
        return self.gateway_url

    async def stop(self) -> None:
        self._stopping.set()  # releases requests hanging in a "timeout" fault
        for task in list(self._webhook_tasks):
            task.cancel()
        if self._webhook_tasks:
            await asyncio.gather(*self._webhook_tasks, return_exceptions=True)
        if self._http is not None:
            await self._http.close()
            self._http = None
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> FakeRegos:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    # -- configuration --------------------------------------------------------------------------------------------

    def add_key(self, key: str, *, denied_methods: Iterable[str] = (), requires_bearer: bool = False) -> None:
        self.keys[key] = KeyConfig(frozenset(denied_methods), requires_bearer)

    def set_faults(self, **options: Any) -> FaultPlan:
        """Replace the fault plan, e.g. ``set_faults(schedule=["429", "500"], retry_after=2)`` or
        ``set_faults(rate_5xx=0.2, seed=7)``. See ``FaultPlan``."""
        self.faults = FaultPlan.from_options(options)
        return self.faults

    def clear_faults(self) -> None:
        self.faults = FaultPlan()

    def set_down(self, down: bool = True) -> None:
        """Outage: every gateway call answers 503 until switched back."""
        self.faults.down = down

    def set_rate_limit(self, enabled: bool) -> None:
        self.buckets.enabled = enabled
        self.buckets.reset()

    def methods_called(self, method: str | None = None) -> list[RequestRecord]:
        return [r for r in self.request_log if method is None or r.method == method]

    # -- events and mutations -------------------------------------------------------------------------------------

    def emit_event(self, action: str, data: Mapping[str, Any]) -> dict[str, Any]:
        """Store an event (for Event/Get) and deliver it to the webhook URL, if one is set."""
        event_id = str(uuid_module.uuid4())
        event: dict[str, Any] = {
            "event_id": event_id,
            "occurred_at": _iso(self.now()),
            "action": action,
            "data": dict(data),
            "_ts": self.now(),
        }
        self._event_positions[event_id] = len(self.events)
        self.events.append(event)
        if self.webhook_url:
            self._schedule_webhook(event)
        return self._public_event(event)

    @staticmethod
    def _public_event(event: Mapping[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in event.items() if not k.startswith("_")}

    def cancel_receipt(self, uuid: str) -> ReceiptRec:
        receipt = self.generator.cancel_receipt(uuid)
        self._after_change()
        self.emit_event("DocChequeCanceled", {"uuid": uuid})
        return receipt

    def close_receipt(self, uuid: str, payment_type_id: int = 1) -> ReceiptRec:
        receipt = self.generator.close_receipt(uuid, payment_type_id)
        self._after_change()
        self.emit_event("DocChequeClosed", {"uuid": uuid})
        return receipt

    def add_return(self, original_uuid: str, at: int | datetime, **options: Any) -> ReceiptRec:
        receipt = self.generator.add_return(original_uuid, at, **options)
        self._after_change()
        self.emit_event("DocChequeClosed", {"uuid": receipt.uuid})
        return receipt

    def add_receipt(self, day: date, **options: Any) -> ReceiptRec:
        receipt = self.generator.add_receipt(day, **options)
        self._after_change()
        self.emit_event("DocChequeClosed", {"uuid": receipt.uuid})
        return receipt

    def set_wholesale_state(self, doc_id: int, *, is_return: bool = False, **state: bool | None) -> WholesaleRec:
        doc = self.generator.set_wholesale_state(doc_id, is_return=is_return, **state)
        self._after_change()
        prefix = "DocWholeSaleReturn" if is_return else "DocWholeSale"
        if state.get("deleted_mark"):
            action = "DeleteMarked"
        elif state.get("performed") is True:
            action = "Performed"
        elif state.get("performed") is False:
            action = "PerformCanceled"
        else:
            action = "Edited"
        self.emit_event(f"{prefix}{action}", {"id": doc_id})
        return doc

    def _after_change(self) -> None:
        self._count_cache.clear()

    def _webhook_body(self, event: Mapping[str, Any]) -> dict[str, Any]:
        public = self._public_event(event)
        if not self.webhook_wrapped:
            return public
        return {
            "action": "HandleWebhook",
            "connected_integration_id": self.default_key,
            "event_id": public["event_id"],
            "occurred_at": public["occurred_at"],
            "data": {"action": public["action"], "data": public["data"]},
        }

    def _schedule_webhook(self, event: Mapping[str, Any]) -> None:
        # The body is fixed now, so a later change of webhook_wrapped does not alter a queued delivery.
        body = encode(self._webhook_body(event))
        task = asyncio.get_running_loop().create_task(self._deliver(str(event["event_id"]), body, self.webhook_wrapped))
        self._webhook_tasks.add(task)
        task.add_done_callback(self._webhook_tasks.discard)

    async def _deliver(self, event_id: str, body: bytes, wrapped: bool) -> None:
        """POST the event; REGOS retries failed deliveries (about 3 s apart) with the same event_id."""
        url = self.webhook_url
        if url is None:
            return
        session = self._http or aiohttp.ClientSession()
        owns_session = self._http is None
        headers = {"Content-Type": "application/json"}
        if wrapped:
            headers["connected-integration-id"] = self.default_key
        try:
            for attempt in range(1, self.webhook_attempts + 1):
                try:
                    async with session.post(
                        url, data=body, headers=headers, timeout=aiohttp.ClientTimeout(total=10)
                    ) as r:
                        self.webhook_deliveries.append(WebhookDelivery(event_id, attempt, r.status))
                        if r.status == 200:
                            return
                except (aiohttp.ClientError, TimeoutError) as exc:
                    self.webhook_deliveries.append(WebhookDelivery(event_id, attempt, None, type(exc).__name__))
                if attempt < self.webhook_attempts:
                    await asyncio.sleep(self.webhook_retry_delay)
        finally:
            if owns_session:
                await session.close()

    async def flush_webhooks(self) -> None:
        """Wait until every pending webhook delivery has finished (succeeded or given up)."""
        while self._webhook_tasks:
            await asyncio.gather(*list(self._webhook_tasks), return_exceptions=True)

    # -- HTTP plumbing --------------------------------------------------------------------------------------------

    def _build_app(self) -> web.Application:
        app = web.Application(client_max_size=8 * 1024 * 1024)
        app.router.add_post(GATEWAY_PREFIX + "/{key}/v1/{method:.+}", self._gateway)
        app.router.add_post("/oauth/token", self._oauth_token)
        app.router.add_get("/_fake/state", self._control_state)
        app.router.add_post("/_fake/faults", self._control_faults)
        app.router.add_delete("/_fake/faults", self._control_clear_faults)
        app.router.add_post("/_fake/down", self._control_down)
        app.router.add_post("/_fake/rate_limit", self._control_rate_limit)
        app.router.add_post("/_fake/webhook", self._control_webhook)
        app.router.add_post("/_fake/events", self._control_emit_event)
        app.router.add_get("/_fake/truth", self._control_truth)
        app.router.add_post("/_fake/receipts", self._control_add_receipt)
        app.router.add_post("/_fake/receipts/{uuid}/{action}", self._control_receipt_action)
        app.router.add_post("/_fake/wholesale/{doc_id}", self._control_wholesale)
        return app

    @staticmethod
    def _json(payload: Any, status: int = 200) -> web.Response:
        return web.Response(body=encode(payload), status=status, content_type="application/json", charset="utf-8")

    @staticmethod
    def _error(code: int, description: str, status: int = 200) -> web.Response:
        return FakeRegos._json({"ok": False, "result": {"error": code, "description": description}}, status)

    def _record(self, method: str, key: str, fault: str | None, outcome: str) -> None:
        self.request_log.append(RequestRecord(method, key[:4], fault, outcome))

    async def _gateway(self, request: web.Request) -> web.StreamResponse:
        key = request.match_info["key"]
        requested = request.match_info["method"].strip("/")
        handler = self._methods.get(requested) or self._methods_lower.get(requested.lower())
        method = requested
        fault = self.faults.next_fault(method)

        if fault == "down":
            self._record(method, key, fault, "http:503")
            return web.Response(
                status=503,
                text="<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>",
                content_type="text/html",
            )
        if fault == "429":
            self._record(method, key, fault, "http:429")
            return web.Response(
                status=429, text="Too Many Requests", headers={"Retry-After": f"{self.faults.retry_after:g}"}
            )
        if fault in ("500", "502", "503", "504"):
            self._record(method, key, fault, f"http:{fault}")
            return web.Response(status=int(fault), text=f"{fault} gateway error")
        if fault == "timeout":
            self._record(method, key, fault, "hang")
            try:
                await asyncio.wait_for(self._stopping.wait(), timeout=self.faults.hang_seconds)
                return web.Response(status=503, text="shutting down")
            except TimeoutError:
                return web.Response(status=504, text="answered after the client gave up")
        if fault == "slow":
            await asyncio.sleep(self.faults.slow_seconds)
        if fault == "8213":
            self._record(method, key, fault, "error:8213")
            return self._error(*ERR_RATE_LIMIT)

        config = self.keys.get(key)
        if config is None or fault == "bad_key":
            self._record(method, key, fault, "error:9002")
            return self._error(*ERR_BAD_KEY)
        if config.requires_bearer and not self._bearer_ok(request, key):
            self._record(method, key, fault, "http:401")
            return self._error(*ERR_BAD_TOKEN, status=401)
        if not self.buckets.allow(key):
            self._record(method, key, fault, "error:8213")
            return self._error(*ERR_RATE_LIMIT)
        if handler is None:
            self._record(method, key, fault, "http:404")
            return web.Response(status=404, text="Not Found")
        if method in config.denied_methods or requested in config.denied_methods:
            self._record(method, key, fault, "error:1007")
            return self._error(ERR_NO_RIGHTS[0], f"{ERR_NO_RIGHTS[1]}: {method}")
        try:
            raw = await request.read()
            body = json.loads(raw, parse_float=Decimal) if raw.strip() else {}
        except (ValueError, UnicodeDecodeError):
            body = None
        if not isinstance(body, dict):
            self._record(method, key, fault, "error:1012")
            return self._error(*ERR_BAD_PARAMETERS_2)
        try:
            payload = await handler(body, key)
        except RegosApiError as exc:
            self._record(method, key, fault, f"error:{exc.code}")
            return self._error(exc.code, exc.description)
        if fault == "empty_page" and isinstance(payload.get("result"), list):
            payload = {**payload, "result": []}
        self._record(method, key, fault, "ok")
        encoded = encode(payload)
        if fault == "broken_json":
            encoded = encoded[: max(1, len(encoded) // 2)]
        return web.Response(body=encoded, content_type="application/json", charset="utf-8")

    def _bearer_ok(self, request: web.Request, key: str) -> bool:
        header = request.headers.get("Authorization", "")
        if not header.startswith("Bearer "):
            return False
        token = self._tokens.get(header[len("Bearer ") :].strip())
        return token is not None and token.integration_id == key and token.expires_at > self.now()

    async def _oauth_token(self, request: web.Request) -> web.Response:
        self.token_requests += 1
        form = await request.post()
        if form.get("grant_type") != "client_credentials":
            return self._json({"error": "unsupported_grant_type"}, status=400)
        client = self.oauth_clients.get(str(form.get("client_id", "")))
        if client is None or not secrets.compare_digest(client.client_secret, str(form.get("client_secret", ""))):
            return self._json({"error": "invalid_client"}, status=401)
        token = secrets.token_urlsafe(32)
        self._tokens[token] = _Token(client.connected_integration_id, self.now() + self.token_ttl)
        return self._json({"access_token": token, "token_type": "Bearer", "expires_in": self.token_ttl, "scope": "api"})

    def expire_tokens(self) -> None:
        """Revoke every issued bearer token (the next call gets HTTP 401)."""
        self._tokens.clear()

    # -- paging helpers -------------------------------------------------------------------------------------------

    @staticmethod
    def _limit_offset(body: Mapping[str, Any]) -> tuple[int, int]:
        limit = _opt_int(body.get("limit"), "limit") or MAX_LIMIT
        offset = _opt_int(body.get("offset"), "offset") or 0
        if limit < 0 or offset < 0:
            raise RegosApiError(*ERR_BAD_PARAMETERS)
        return min(limit, MAX_LIMIT), offset

    @staticmethod
    def _paged(rows: list[Any], body: Mapping[str, Any]) -> dict[str, Any]:
        limit, offset = FakeRegos._limit_offset(body)
        chunk, next_offset, total = _page(rows, limit, offset)
        return {"ok": True, "result": chunk, "next_offset": next_offset, "total": total}

    @staticmethod
    def _descending(body: Mapping[str, Any], columns: Iterable[str] = ("Date", "Default")) -> bool:
        orders = body.get("sort_orders") or []
        if isinstance(orders, list) and orders and isinstance(orders[0], Mapping):
            first = orders[0]
            if str(first.get("column", "Default")) in columns:
                return str(first.get("direction", "ASC")).upper() == "DESC"
        return False

    def _paged_receipts(
        self,
        body: Mapping[str, Any],
        predicate: Callable[[ReceiptRec], bool],
        filter_key: str,
        serialize: Callable[[ReceiptRec], dict[str, Any]],
    ) -> dict[str, Any]:
        """Receipts in the window, paged without materialising every day: per-day counts are cached."""
        gen = self.generator
        limit, offset = self._limit_offset(body)
        start = _opt_int(body.get("start_date"), "start_date")
        end = _opt_int(body.get("end_date"), "end_date")
        descending = self._descending(body)
        uuids = _str_list(body.get("uuids"), "uuids")
        if uuids is not None:
            found = [r for u in dict.fromkeys(uuids) if (r := gen.receipt(u)) is not None]
            rows = [
                r
                for r in found
                if predicate(r) and (start is None or r.date >= start) and (end is None or r.date <= end)
            ]
            rows.sort(key=lambda r: (r.date, r.uuid), reverse=descending)
            chunk, next_offset, total = _page(rows, limit, offset)
            return {"ok": True, "result": [serialize(r) for r in chunk], "next_offset": next_offset, "total": total}

        days = gen.days_overlapping(start, end)
        if descending:
            days.reverse()

        def matches(receipt: ReceiptRec) -> bool:
            return (
                (start is None or receipt.date >= start) and (end is None or receipt.date <= end) and predicate(receipt)
            )

        counts = []
        for day in days:
            first, last = gen.day_bounds(day)
            clip = (
                start if start is not None and start > first else None,
                end if end is not None and end < last else None,
            )
            cache_key = (gen.version, filter_key, day, clip)
            count = self._count_cache.get(cache_key)
            if count is None:
                count = sum(1 for r in gen.day(day).receipts if matches(r))
                if len(self._count_cache) > 200_000:
                    self._count_cache.clear()
                self._count_cache[cache_key] = count
            counts.append(count)
        total = sum(counts)
        result: list[dict[str, Any]] = []
        skip = offset
        for day, count in zip(days, counts, strict=True):
            if len(result) >= limit:
                break
            if skip >= count:
                skip -= count
                continue
            day_rows = [r for r in gen.day(day).receipts if matches(r)]
            if descending:
                day_rows.reverse()
            for receipt in day_rows[skip : skip + (limit - len(result))]:
                result.append(serialize(receipt))
            skip = 0
        next_offset = offset + len(result) if offset + len(result) < total else 0
        return {"ok": True, "result": result, "next_offset": next_offset, "total": total}

    # -- reference methods ----------------------------------------------------------------------------------------

    async def _current_timestamp(self, body: dict[str, Any], key: str) -> dict[str, Any]:
        return {"ok": True, "result": int(self.now())}

    async def _firms(self, body: dict[str, Any], key: str) -> dict[str, Any]:
        ids = _int_list(body.get("ids"), "ids")
        rows = [self.serializer.firm()] if ids is None or self.generator.firm_id in ids else []
        return self._paged(rows, body)

    async def _stocks(self, body: dict[str, Any], key: str) -> dict[str, Any]:
        ids = _int_list(body.get("ids"), "ids")
        firm_ids = _int_list(body.get("firm_ids"), "firm_ids")
        deleted = _opt_bool(body.get("deleted_mark"), "deleted_mark")
        search = str(body.get("search") or "").lower()
        rows = [
            self.serializer.stock(s)
            for s in self.generator.stocks
            if (ids is None or s.id in ids)
            and (firm_ids is None or self.generator.firm_id in firm_ids)
            and deleted is not True
            and search in s.name.lower()
        ]
        return self._paged(rows, body)

    async def _operating_cashes(self, body: dict[str, Any], key: str) -> dict[str, Any]:
        ids = _int_list(body.get("ids"), "ids")
        stock_ids = _int_list(body.get("stock_ids"), "stock_ids")
        rows = [
            self.serializer.operating_cash(t.id)
            for t in self.generator.tills
            if (ids is None or t.id in ids) and (stock_ids is None or t.stock_id in stock_ids)
        ]
        return self._paged(rows, body)

    async def _users(self, body: dict[str, Any], key: str) -> dict[str, Any]:
        ids = _int_list(body.get("ids"), "ids")
        active = _opt_bool(body.get("active"), "active")
        search = str(body.get("search") or "").lower()
        rows = [
            self.serializer.user(u)
            for u in self.generator.users
            if (ids is None or u.id in ids) and active is not False and search in u.full_name.lower()
        ]
        return self._paged(rows, body)

    async def _payment_types(self, body: dict[str, Any], key: str) -> dict[str, Any]:
        return self._paged([self.serializer.payment_type(p.id) for p in self.generator.payment_types], body)

    async def _partners(self, body: dict[str, Any], key: str) -> dict[str, Any]:
        ids = _int_list(body.get("ids"), "ids")
        rows = [self.serializer.partner(p.id) for p in self.generator.partners if ids is None or p.id in ids]
        return self._paged(rows, body)

    def _filtered_items(self, body: Mapping[str, Any]) -> list[Any]:
        ids = _int_list(body.get("ids"), "ids")
        group_ids = _int_list(body.get("group_ids"), "group_ids")
        items = [
            i
            for i in self.generator.items
            if (ids is None or i.id in ids) and (group_ids is None or i.group_id in group_ids)
        ]
        for condition in body.get("filters") or []:
            if not isinstance(condition, Mapping):
                raise RegosApiError(*ERR_BAD_PARAMETERS)
            field_name = str(condition.get("Field", condition.get("field", ""))).replace("_", "").lower()
            op_name = str(condition.get("Operator", condition.get("operator", "")))
            value = _opt_int(condition.get("Value", condition.get("value")), "Value")
            if field_name != "lastupdate" or value is None:
                raise RegosApiError(ERR_BAD_PARAMETERS[0], f"{ERR_BAD_PARAMETERS[1]}: filter field {field_name}")
            if op_name not in _COMPARATORS:
                raise RegosApiError(ERR_BAD_PARAMETERS[0], f"{ERR_BAD_PARAMETERS[1]}: operator {op_name}")
            compare = _COMPARATORS[op_name]
            items = [i for i in items if compare(i.last_update, value)]
        orders = body.get("sort_orders") or []
        if (
            isinstance(orders, list)
            and orders
            and isinstance(orders[0], Mapping)
            and orders[0].get("column") == "LastUpdate"
        ):
            items.sort(key=lambda i: (i.last_update, i.id), reverse=str(orders[0].get("direction")).upper() == "DESC")
        return items

    async def _items(self, body: dict[str, Any], key: str) -> dict[str, Any]:
        return self._paged([self.serializer.item(i) for i in self._filtered_items(body)], body)

    async def _items_ext(self, body: dict[str, Any], key: str) -> dict[str, Any]:
        stock_id = _opt_int(body.get("stock_id"), "stock_id")
        if stock_id is None:
            raise RegosApiError(1002, "Не заполнено обязательное поле: stock_id")
        zero_quantity = _opt_bool(body.get("zero_quantity"), "zero_quantity")
        rows = []
        for item in self._filtered_items(body):
            quantity = self.generator.stock_level(item.id, stock_id)
            if zero_quantity is False and quantity == 0:
                continue
            rows.append(
                {
                    "item": self.serializer.item(item),
                    "quantity": {"common": quantity, "allowed": quantity, "booked": Decimal(0)},
                    "pricetype": {"id": 1, "name": "Chakana narx"},
                    "price": item.price,
                    "last_purchase_cost": item.cost,
                    "image_url": None,
                }
            )
        return self._paged(rows, body)

    async def _current_quantity(self, body: dict[str, Any], key: str) -> dict[str, Any]:
        item_ids = _int_list(body.get("item_ids"), "item_ids")
        if not item_ids:
            raise RegosApiError(1002, "Не заполнено обязательное поле: item_ids")
        if len(item_ids) > CURRENT_QUANTITY_MAX_IDS:
            raise RegosApiError(
                ERR_BAD_PARAMETERS[0], f"{ERR_BAD_PARAMETERS[1]}: item_ids > {CURRENT_QUANTITY_MAX_IDS}"
            )
        stock_ids = _int_list(body.get("stock_ids"), "stock_ids") or [s.id for s in self.generator.stocks]
        rows = [
            {"item_id": item_id, "stock_id": stock_id, "quantity": self.generator.stock_level(item_id, stock_id)}
            for item_id in item_ids
            if item_id in self.generator.items_by_id
            for stock_id in stock_ids
        ]
        return {"ok": True, "result": rows}

    # -- retail ---------------------------------------------------------------------------------------------------

    async def _doc_cheques(self, body: dict[str, Any], key: str) -> dict[str, Any]:
        status = _status_name(body.get("status"))
        is_return = _opt_bool(body.get("is_return"), "is_return")
        session_uuid = body.get("session_uuid")
        cashier_ids = _int_list(body.get("cashier_ids"), "cashier_ids")
        seller_ids = _int_list(body.get("seller_ids"), "seller_ids")
        code = body.get("code")

        def predicate(r: ReceiptRec) -> bool:
            return (
                (status is None or r.status == status)
                and (is_return is None or r.is_return == is_return)
                and (session_uuid is None or r.session_uuid == session_uuid)
                and (cashier_ids is None or r.cashier_id in cashier_ids)
                and (seller_ids is None or r.seller_id in seller_ids)
                and (code is None or r.code == str(code))
            )

        filter_key = json.dumps(
            ["DocCheque", status, is_return, session_uuid, cashier_ids, seller_ids, code], default=str
        )
        return self._paged_receipts(body, predicate, filter_key, self.serializer.doc_cheque)

    async def _doc_cheques_short(self, body: dict[str, Any], key: str) -> dict[str, Any]:
        status = _status_name(body.get("sale_status"))
        is_return = _opt_bool(body.get("is_return"), "is_return")
        stock_ids = _int_list(body.get("stock_ids"), "stock_ids")
        till_ids = _int_list(body.get("operating_cash_ids"), "operating_cash_ids")
        session_uuids = _str_list(body.get("session_uuids"), "session_uuids")
        firm_ids = _int_list(body.get("firm_ids"), "firm_ids")

        def predicate(r: ReceiptRec) -> bool:
            return (
                (status is None or r.status == status)
                and (is_return is None or r.is_return == is_return)
                and (stock_ids is None or r.stock_id in stock_ids)
                and (till_ids is None or r.till_id in till_ids)
                and (session_uuids is None or r.session_uuid in session_uuids)
                and (firm_ids is None or self.generator.firm_id in firm_ids)
            )

        filter_key = json.dumps(["Short", status, is_return, stock_ids, till_ids, session_uuids, firm_ids], default=str)
        return self._paged_receipts(body, predicate, filter_key, self.serializer.doc_cheque_short)

    async def _cheque_lines(self, body: dict[str, Any], key: str) -> dict[str, Any]:
        doc_uuid = body.get("doc_sale_uuid")
        uuids = _str_list(body.get("uuids"), "uuids")
        if doc_uuid is None and uuids is None:
            raise RegosApiError(1002, "Не заполнено обязательное поле: doc_sale_uuid")
        lines = []
        if doc_uuid is not None:
            receipt = self.generator.receipt(str(doc_uuid))
            lines = list(receipt.lines) if receipt else []
        if uuids is not None:
            by_uuid = [line for u in uuids if (line := self.generator.line(u)) is not None]
            lines = [line for line in lines if line.uuid in uuids] if doc_uuid is not None else by_uuid
        return {"ok": True, "result": [self.serializer.cheque_line(line) for line in lines]}

    async def _cheque_payments(self, body: dict[str, Any], key: str) -> dict[str, Any]:
        doc_uuid = body.get("doc_sale_uuid")
        uuids = _str_list(body.get("uuids"), "uuids")
        if doc_uuid is None and uuids is None:
            raise RegosApiError(1002, "Не заполнено обязательное поле: doc_sale_uuid")
        payments = []
        if doc_uuid is not None:
            receipt = self.generator.receipt(str(doc_uuid))
            payments = list(receipt.payments) if receipt else []
        if uuids is not None:
            by_uuid = [p for u in uuids if (p := self.generator.payment(u)) is not None]
            payments = [p for p in payments if p.uuid in uuids] if doc_uuid is not None else by_uuid
        return {"ok": True, "result": [self.serializer.cheque_payment(p) for p in payments]}

    async def _cash_sessions(self, body: dict[str, Any], key: str) -> dict[str, Any]:
        start = _opt_int(body.get("start_date"), "start_date")
        end = _opt_int(body.get("end_date"), "end_date")
        till_ids = _int_list(body.get("operating_cash_ids"), "operating_cash_ids")
        uuids = _str_list(body.get("uuids"), "uuids")
        is_close = _opt_bool(body.get("is_close"), "is_close")
        rows = []
        days = self.generator.days_overlapping(start, end)
        for day in days:
            for session in self.generator.day(day).sessions:
                if (
                    (start is None or session.start_date >= start)
                    and (end is None or session.start_date <= end)
                    and (till_ids is None or session.till_id in till_ids)
                    and (uuids is None or session.uuid in uuids)
                    and (is_close is None or session.closed == is_close)
                ):
                    rows.append(self.serializer.cash_session(session))
        return self._paged(rows, body)

    # -- wholesale ------------------------------------------------------------------------------------------------

    def _wholesale_rows(self, body: Mapping[str, Any], *, returns: bool) -> list[dict[str, Any]]:
        start = _opt_int(body.get("start_date"), "start_date")
        end = _opt_int(body.get("end_date"), "end_date")
        ids = _int_list(body.get("ids"), "ids")
        stock_ids = _int_list(body.get("stock_ids"), "stock_ids")
        partner_ids = _int_list(body.get("partner_ids"), "partner_ids")
        performed = _opt_bool(body.get("performed"), "performed")
        deleted = _opt_bool(body.get("deleted_mark"), "deleted_mark")
        if ids is not None:
            docs = [d for i in ids if (d := self.generator.wholesale(i, is_return=returns)) is not None]
        else:
            docs = []
            for day in self.generator.days_overlapping(start, end):
                data = self.generator.day(day)
                docs.extend(data.wholesale_returns if returns else data.wholesales)
        return [
            self.serializer.wholesale(d)
            for d in docs
            if (start is None or d.date >= start)
            and (end is None or d.date <= end)
            and (stock_ids is None or d.stock_id in stock_ids)
            and (partner_ids is None or d.partner_id in partner_ids)
            and (performed is None or d.performed == performed)
            and (deleted is None or d.deleted_mark == deleted)
        ]

    async def _wholesales(self, body: dict[str, Any], key: str) -> dict[str, Any]:
        return self._paged(self._wholesale_rows(body, returns=False), body)

    async def _wholesale_returns(self, body: dict[str, Any], key: str) -> dict[str, Any]:
        return self._paged(self._wholesale_rows(body, returns=True), body)

    def _wholesale_line_rows(self, body: Mapping[str, Any], *, returns: bool) -> dict[str, Any]:
        document_ids = _int_list(body.get("document_ids"), "document_ids")
        if document_ids is not None and len(document_ids) > 1:
            raise RegosApiError(ERR_BAD_PARAMETERS[0], f"{ERR_BAD_PARAMETERS[1]}: document_ids (max 1)")
        if not document_ids:
            raise RegosApiError(1002, "Не заполнено обязательное поле: document_ids")
        doc = self.generator.wholesale(document_ids[0], is_return=returns)
        rows = [self.serializer.wholesale_line(line) for line in doc.lines] if doc else []
        return self._paged(rows, body)

    async def _wholesale_lines(self, body: dict[str, Any], key: str) -> dict[str, Any]:
        return self._wholesale_line_rows(body, returns=False)

    async def _wholesale_return_lines(self, body: dict[str, Any], key: str) -> dict[str, Any]:
        return self._wholesale_line_rows(body, returns=True)

    # -- retail reports -------------------------------------------------------------------------------------------

    def _report_receipts(self, body: Mapping[str, Any]) -> list[ReceiptRec]:
        start = _opt_int(body.get("start_date"), "start_date")
        end = _opt_int(body.get("end_date"), "end_date")
        till_ids = _int_list(body.get("operating_cash_ids"), "operating_cash_ids")
        return [
            r
            for r in self.generator.iter_receipts(start, end)
            if r.status == STATUS_CLOSED and (till_ids is None or r.till_id in till_ids)
        ]

    async def _report_counts(self, body: dict[str, Any], key: str) -> dict[str, Any]:
        receipts = self._report_receipts(body)
        profit = Decimal("0.00")
        for r in receipts:
            cost = sum(
                (self.generator.items_by_id[line.item_id].cost * line.quantity for line in effective_lines(r.lines)),
                Decimal(0),
            )
            profit += -(r.amount - cost) if r.is_return else r.amount - cost
        row = {
            "sale_count": sum(1 for r in receipts if not r.is_return),
            "return_count": sum(1 for r in receipts if r.is_return),
            "debt_amount": Decimal("0.00"),
            "debt_paid_amount": Decimal("0.00"),
            "gross_profit": profit.quantize(Decimal("0.01")),
        }
        return {"ok": True, "result": [row]}

    async def _report_payments(self, body: dict[str, Any], key: str) -> dict[str, Any]:
        sums: dict[int, list[Decimal]] = {}
        for receipt in self._report_receipts(body):
            for payment in effective_payments(receipt.payments):
                entry = sums.setdefault(payment.payment_type_id, [Decimal("0.00"), Decimal("0.00")])
                entry[1 if receipt.is_return else 0] += payment.value
        rows = [
            {
                "payment_type_name": self.generator.payment_types_by_id[type_id].name,
                "sale_amount": sale,
                "return_amount": returned,
            }
            for type_id, (sale, returned) in sorted(sums.items())
        ]
        return {"ok": True, "result": rows}

    async def _report_operations(self, body: dict[str, Any], key: str) -> dict[str, Any]:
        search = str(body.get("search") or "").lower()
        sums: dict[int, list[Decimal]] = {}
        for receipt in self._report_receipts(body):
            for line in effective_lines(receipt.lines):
                entry = sums.setdefault(line.item_id, [Decimal(0), Decimal("0.00"), Decimal(0), Decimal("0.00")])
                base = 2 if receipt.is_return else 0
                entry[base] += line.quantity
                entry[base + 1] += line.amount
        rows = []
        for item_id, (sq, sa, rq, ra) in sorted(sums.items()):
            item = self.generator.items_by_id[item_id]
            if search and search not in item.name.lower() and search not in str(item.code):
                continue
            rows.append(
                {
                    "item": self.serializer.item(item),
                    "sale_quantity": sq,
                    "sale_amount": sa,
                    "return_quantity": rq,
                    "return_amount": ra,
                }
            )
        return self._paged(rows, body)

    # -- events ---------------------------------------------------------------------------------------------------

    async def _event_get(self, body: dict[str, Any], key: str) -> dict[str, Any]:
        last_event_id = body.get("last_event_id")
        from_date = _opt_int(body.get("from_date"), "from_date")
        limit = min(_opt_int(body.get("limit"), "limit") or EVENT_PAGE_DEFAULT, EVENT_PAGE_MAX)
        actions = _str_list(body.get("actions"), "actions")
        oldest = self.now() - EVENT_RETENTION_SECONDS
        start = 0
        if last_event_id:
            position = self._event_positions.get(str(last_event_id))
            if position is None:
                raise RegosApiError(*ERR_NOT_FOUND)
            start = position + 1
        selected: list[dict[str, Any]] = []
        more = False
        for event in self.events[start:]:
            if event["_ts"] < oldest or (from_date is not None and event["_ts"] < from_date):
                continue
            if actions is not None and event["action"] not in actions:
                continue
            if len(selected) >= limit:
                more = True
                break
            selected.append(event)
        next_id = selected[-1]["event_id"] if selected else last_event_id
        return {
            "ok": True,
            "result": {"events": [self._public_event(e) for e in selected], "next_event_id": next_id, "has_more": more},
        }

    # -- control API ----------------------------------------------------------------------------------------------

    async def _control_state(self, request: web.Request) -> web.Response:
        return self._json(
            {
                "requests": len(self.request_log),
                "faults": self.faults.describe(),
                "rate_limit": self.buckets.enabled,
                "version": self.generator.version,
                "events": len(self.events),
                "webhook_url": self.webhook_url,
                "period": [self.generator.config.start_date.isoformat(), self.generator.config.end_date.isoformat()],
            }
        )

    @staticmethod
    async def _control_body(request: web.Request) -> dict[str, Any]:
        raw = await request.read()
        if not raw.strip():
            return {}
        data = json.loads(raw, parse_float=Decimal)
        if not isinstance(data, dict):
            raise web.HTTPBadRequest(text="expected a JSON object")
        return data

    async def _control_faults(self, request: web.Request) -> web.Response:
        try:
            plan = self.set_faults(**await self._control_body(request))
        except (ValueError, TypeError) as exc:
            return self._json({"ok": False, "error": str(exc)}, status=400)
        return self._json({"ok": True, "faults": plan.describe()})

    async def _control_clear_faults(self, request: web.Request) -> web.Response:
        self.clear_faults()
        return self._json({"ok": True})

    async def _control_down(self, request: web.Request) -> web.Response:
        body = await self._control_body(request)
        self.set_down(bool(body.get("down", True)))
        return self._json({"ok": True, "down": self.faults.down})

    async def _control_rate_limit(self, request: web.Request) -> web.Response:
        body = await self._control_body(request)
        self.set_rate_limit(bool(body.get("enabled", True)))
        return self._json({"ok": True, "enabled": self.buckets.enabled})

    async def _control_webhook(self, request: web.Request) -> web.Response:
        body = await self._control_body(request)
        self.webhook_url = body.get("url") or None
        self.webhook_wrapped = bool(body.get("wrapped", self.webhook_wrapped))
        return self._json({"ok": True, "url": self.webhook_url, "wrapped": self.webhook_wrapped})

    async def _control_emit_event(self, request: web.Request) -> web.Response:
        body = await self._control_body(request)
        if not isinstance(body.get("action"), str):
            return self._json({"ok": False, "error": "action is required"}, status=400)
        return self._json({"ok": True, "event": self.emit_event(body["action"], body.get("data") or {})})

    async def _control_truth(self, request: web.Request) -> web.Response:
        try:
            day = date.fromisoformat(request.query["day"])
            stock = request.query.get("stock_id")
            totals = self.generator.day_totals(day, int(stock) if stock else None)
        except (KeyError, ValueError) as exc:
            return self._json({"ok": False, "error": f"day=YYYY-MM-DD [&stock_id=N]: {exc}"}, status=400)
        return self._json({"ok": True, "totals": totals_to_dict(totals)})

    async def _control_add_receipt(self, request: web.Request) -> web.Response:
        body = await self._control_body(request)
        try:
            receipt = self.add_receipt(
                date.fromisoformat(str(body["day"])),
                stock_id=body.get("stock_id"),
                at=body.get("at"),
                items=[(int(i), Decimal(q)) for i, q in body["items"]] if body.get("items") else None,
                payment_type_id=body.get("payment_type_id"),
            )
        except (KeyError, ValueError, TypeError) as exc:
            return self._json({"ok": False, "error": str(exc)}, status=400)
        return self._json({"ok": True, "receipt": self.serializer.doc_cheque(receipt)})

    async def _control_receipt_action(self, request: web.Request) -> web.Response:
        receipt_uuid = request.match_info["uuid"]
        action = request.match_info["action"]
        body = await self._control_body(request)
        try:
            if action == "cancel":
                receipt = self.cancel_receipt(receipt_uuid)
            elif action == "close":
                receipt = self.close_receipt(receipt_uuid, int(body.get("payment_type_id", 1)))
            elif action == "return":
                lines = [(int(i), Decimal(q)) for i, q in body["lines"]] if body.get("lines") else None
                receipt = self.add_return(receipt_uuid, int(body.get("at") or self.now()), lines=lines)
            else:
                return self._json({"ok": False, "error": "action is cancel, close or return"}, status=404)
        except (KeyError, ValueError, TypeError) as exc:
            return self._json({"ok": False, "error": str(exc)}, status=400)
        return self._json({"ok": True, "receipt": self.serializer.doc_cheque(receipt)})

    async def _control_wholesale(self, request: web.Request) -> web.Response:
        body = await self._control_body(request)
        try:
            doc = self.set_wholesale_state(
                int(request.match_info["doc_id"]),
                is_return=bool(body.get("is_return", False)),
                performed=body.get("performed"),
                deleted_mark=body.get("deleted_mark"),
            )
        except (KeyError, ValueError) as exc:
            return self._json({"ok": False, "error": str(exc)}, status=400)
        return self._json({"ok": True, "document": self.serializer.wholesale(doc)})


def totals_to_dict(totals: DayTotals) -> dict[str, Any]:
    """Ground truth as JSON-ready data (Decimals stay Decimals; ``encode`` writes them exactly)."""
    return {
        "day": totals.day.isoformat(),
        "stock_id": totals.stock_id,
        "sale_count": totals.sale_count,
        "return_count": totals.return_count,
        "cancelled_count": totals.cancelled_count,
        "unclosed_count": totals.unclosed_count,
        "retail_gross": totals.retail_gross,
        "retail_returns": totals.retail_returns,
        "retail_net": totals.retail_net,
        "wholesale_count": totals.wholesale_count,
        "wholesale_gross": totals.wholesale_gross,
        "wholesale_return_count": totals.wholesale_return_count,
        "wholesale_returns": totals.wholesale_returns,
        "wholesale_net": totals.wholesale_net,
        "gross_profit": totals.gross_profit,
        "payments": [
            {
                "payment_type_id": p.payment_type_id,
                "name": p.name,
                "sale_amount": p.sale_amount,
                "return_amount": p.return_amount,
            }
            for p in sorted(totals.payments.values(), key=lambda p: p.payment_type_id)
        ],
    }


__all__ = [
    "FakeRegos",
    "KeyConfig",
    "OAuthClient",
    "RegosApiError",
    "RequestRecord",
    "WebhookDelivery",
    "default_key_for",
    "totals_to_dict",
]

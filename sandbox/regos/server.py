"""A fake REGOS gateway (aiohttp) that speaks the real protocol.

``POST /gateway/out/{key}/v1/{Controller/Action}`` with JSON bodies, HTTP 200 envelopes for application
errors, ``limit``/``offset``/``next_offset``/``total`` paging, a 2 req/s / burst 50 bucket per key (8213), the
OAuth variant (``POST /oauth/token`` + Bearer), Event/Get and outgoing webhooks. ``/_fake/...`` controls faults,
the clock, mutations and ground truth at run time. The methods live in ``api_reference``, ``api_retail`` and
``api_reports``; events and webhooks in ``events``; the control API in ``control``.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import secrets
import time
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import aiohttp
from aiohttp import web

from .api_reference import ReferenceApi
from .api_reports import ReportsApi
from .api_retail import RetailApi
from .control import ControlApi, json_response
from .events import EventsMixin
from .faults import FaultPlan, KeyBuckets
from .generator import GeneratorConfig, ReceiptRec, RegosDataGenerator, WholesaleRec
from .protocol import (
    ERR_BAD_KEY,
    ERR_BAD_PARAMETERS_2,
    ERR_BAD_TOKEN,
    ERR_NO_RIGHTS,
    ERR_RATE_LIMIT,
    GATEWAY_PREFIX,
    Handler,
    KeyConfig,
    OAuthClient,
    RegosApiError,
    ReportSkew,
    RequestRecord,
    Token,
    WebhookDelivery,
    default_key_for,
)
from .serialize import RegosSerializer, encode
from .truth import totals_to_dict

log = logging.getLogger("sandbox.regos")

_PROXY_PAGE = (
    "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>"
)


_EARLY_OUTCOMES = {
    "down": "http:503", "429": "http:429", "500": "http:500", "502": "http:502", "503": "http:503",
    "504": "http:504", "html": "http:200", "timeout": "hang", "deep_json": "http:200", "huge_body": "stream",
}  # fmt: skip


class FakeRegos(EventsMixin):
    """The fake gateway. ``await start()`` returns the gateway base URL to give ``RegosClient(base_url=...)``.

    ``now`` is the fake's clock (Unix seconds): with the generator's ``live`` (the default) receipts, shifts,
    wholesale and stock movements exist only up to it. ``clock`` (monotonic) paces the rate limit."""

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
        shared_rate: float = 0.0,
        bucket_start: float | None = None,
        clock: Callable[[], float] = time.monotonic,
        now: Callable[[], float] = time.time,
        token_ttl: int = 600,
        webhook_url: str | None = None,
        webhook_wrapped: bool = False,
        webhook_retry_delay: float = 3.0,
        webhook_attempts: int = 4,
        live_events: bool = False,
        live_events_interval: float = 5.0,
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
        self.now = now
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
        if shared_rate or bucket_start is not None:
            self.buckets.share(None, background_rate=shared_rate, start_tokens=bucket_start)
        self.faults = FaultPlan()
        self.token_ttl = token_ttl
        self._tokens: dict[str, Token] = {}
        self.webhook_url = webhook_url
        self.webhook_wrapped = webhook_wrapped
        self.webhook_retry_delay = webhook_retry_delay
        self.webhook_attempts = webhook_attempts
        self.webhook_deliveries: list[WebhookDelivery] = []
        self.events: list[dict[str, Any]] = []
        self.live_events = live_events
        self.live_events_interval = live_events_interval
        self._event_positions: dict[str, int] = {}
        self._announced: set[tuple[str, str]] = set()
        self._live_mark: float | None = None
        self._live_task: asyncio.Task[None] | None = None
        self.request_log: list[RequestRecord] = []
        self.token_requests = 0
        self._webhook_tasks: set[asyncio.Task[None]] = set()
        self._http: aiohttp.ClientSession | None = None
        self._stopping = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self.base_url: str | None = None
        self.reference = ReferenceApi(self)
        self.retail = RetailApi(self)
        self.reports = ReportsApi(self)
        self.control = ControlApi(self)
        self._methods: dict[str, Handler] = {
            **self.reference.methods(),
            **self.retail.methods(),
            **self.reports.methods(),
            "Event/Get": self._event_get,
        }
        self._methods_lower = {name.lower(): handler for name, handler in self._methods.items()}
        self.app = self._build_app()

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
        self._live_mark = self.generator.horizon()
        if self.live_events:
            self._live_task = asyncio.get_running_loop().create_task(self._live_events_loop())
        return self.gateway_url

    async def stop(self) -> None:
        self._stopping.set()  # releases requests hanging in a "timeout" fault
        if self._live_task is not None:
            self._live_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._live_task
            self._live_task = None
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
        """Replace the fault plan, e.g. ``set_faults(level="hostile", hang_seconds=3)``,
        ``set_faults(schedule=["429", "500"], retry_after=2)`` or ``set_faults(rate_5xx=0.2, seed=7)``.
        See ``FaultPlan`` and ``FAULT_LEVELS``."""
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

    def share_key(self, background_rate: float, *, start_tokens: float | None = 0.0, key: str | None = None) -> None:
        """Another integration already uses this key (None = every key): it spends ``background_rate`` req/s of
        the 2/s, and the bucket starts with ``start_tokens`` (0 = drained: the first call gets 8213)."""
        self.buckets.share(key, background_rate=background_rate, start_tokens=start_tokens)

    def spend_budget(self, count: float, key: str | None = None) -> None:
        """The other integration makes ``count`` calls at once on ``key`` (None = on every key)."""
        for name in [key] if key is not None else list(self.keys):
            self.buckets.spend(name, count)

    def set_now(self, now: float | Callable[[], float] | None) -> None:
        """Set the fake's clock: a Unix second (frozen there), a callable, or None for the wall clock."""
        if now is None:
            clock: Callable[[], float] = time.time
        elif callable(now):
            clock = now
        else:
            frozen = float(now)

            def clock() -> float:
                return frozen

        self.now = clock
        self.generator.clock = clock

    @property
    def report_skews(self) -> list[ReportSkew]:
        return self.reports.skews

    def skew_report(self, day: date, till_id: int | None = None, **deltas: Any) -> ReportSkew:
        """Make RetailReport/Counts (``sale_count``, ``return_count``, ``gross_profit``) and/or /Payments
        (``payment_type_id`` with ``sale_amount``, ``return_amount``) disagree with the headers for ``day``
        (and ``till_id``, or every till); ``times`` answers only (default: until cleared)."""
        for name in ("gross_profit", "sale_amount", "return_amount"):
            if name in deltas:
                deltas[name] = Decimal(str(deltas[name]))
        skew = ReportSkew(day, till_id, **deltas)
        if skew.payment_type_id is not None and skew.payment_type_id not in self.generator.payment_types_by_id:
            raise ValueError(f"no payment type {skew.payment_type_id}")
        self.reports.skews.append(skew)
        return skew

    def methods_called(self, method: str | None = None) -> list[RequestRecord]:
        return [r for r in self.request_log if method is None or r.method == method]

    # -- mutations ------------------------------------------------------------------------------------------------

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
        self.retail.count_cache.clear()

    # -- HTTP plumbing --------------------------------------------------------------------------------------------

    def _build_app(self) -> web.Application:
        app = web.Application(client_max_size=8 * 1024 * 1024)
        app.router.add_post(GATEWAY_PREFIX + "/{key}/v1/{method:.+}", self._gateway)
        app.router.add_post("/oauth/token", self._oauth_token)
        self.control.register(app)
        return app

    @staticmethod
    def _json(payload: Any, status: int = 200) -> web.Response:
        return json_response(payload, status)

    @staticmethod
    def _error(code: int, description: str, status: int = 200) -> web.Response:
        return json_response({"ok": False, "result": {"error": code, "description": description}}, status)

    def _record(self, method: str, key: str, fault: str | None, outcome: str) -> None:
        self.request_log.append(RequestRecord(method, key[:4], fault, outcome))

    async def _hostile_answer(self, request: web.Request, fault: str) -> web.StreamResponse | None:
        """The faults that answer before REGOS looks at the request (the proxy or the gateway failing)."""
        plan = self.faults
        if fault == "down":
            return web.Response(
                status=503,
                text="<html><body><h1>503 Service Temporarily Unavailable</h1></body></html>",
                content_type="text/html",
            )
        if fault == "429":
            return web.Response(status=429, text="Too Many Requests", headers={"Retry-After": f"{plan.retry_after:g}"})
        if fault in ("500", "502", "503", "504"):
            return web.Response(status=int(fault), text=f"{fault} gateway error")
        if fault == "html":
            return web.Response(status=200, text=_PROXY_PAGE, content_type="text/html")
        if fault == "timeout":
            try:
                await asyncio.wait_for(self._stopping.wait(), timeout=plan.hang_seconds)
                return web.Response(status=503, text="shutting down")
            except TimeoutError:
                return web.Response(status=504, text="answered after the client gave up")
        if fault == "deep_json":
            depth = plan.nest_depth
            body = b'{"ok":true,"result":' + b"[" * depth + b"]" * depth + b',"next_offset":0,"total":1}'
            return web.Response(body=body, content_type="application/json")
        if fault == "huge_body":
            return await self._huge_body(request, plan.huge_bytes)
        return None

    async def _huge_body(self, request: web.Request, size: int) -> web.StreamResponse:
        """A valid JSON list of ``size`` bytes, streamed in chunks (no Content-Length)."""
        response = web.StreamResponse(status=200, headers={"Content-Type": "application/json; charset=utf-8"})
        await response.prepare(request)
        row = b'{"uuid":"' + b"0" * 36 + b'","pad":"' + b"x" * 960 + b'"},'
        chunk = row * 64
        try:
            await response.write(b'{"ok":true,"result":[')
            sent = 0
            while sent < size and not self._stopping.is_set():
                await response.write(chunk)
                sent += len(chunk)
            await response.write(b'{}],"next_offset":0,"total":1}')
            await response.write_eof()
        except (ConnectionError, aiohttp.ClientConnectionResetError):
            pass
        return response

    async def _gateway(self, request: web.Request) -> web.StreamResponse:
        key = request.match_info["key"]
        requested = request.match_info["method"].strip("/")
        handler = self._methods.get(requested) or self._methods_lower.get(requested.lower())
        method = requested
        fault = self.faults.next_fault(method)

        if fault in _EARLY_OUTCOMES:  # recorded first: a hanging answer must not log after the client's retry
            self._record(method, key, fault, _EARLY_OUTCOMES[fault])
            answer = await self._hostile_answer(request, fault)
            assert answer is not None
            return answer
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
        except (ValueError, UnicodeDecodeError, RecursionError):
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
        self._tokens[token] = Token(client.connected_integration_id, self.now() + self.token_ttl)
        return self._json({"access_token": token, "token_type": "Bearer", "expires_in": self.token_ttl, "scope": "api"})

    def expire_tokens(self) -> None:
        """Revoke every issued bearer token (the next call gets HTTP 401)."""
        self._tokens.clear()


__all__ = [
    "FakeRegos",
    "KeyConfig",
    "OAuthClient",
    "RegosApiError",
    "ReportSkew",
    "RequestRecord",
    "WebhookDelivery",
    "default_key_for",
    "totals_to_dict",
]

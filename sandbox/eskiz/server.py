"""A fake Eskiz SMS gateway (aiohttp) that speaks the real protocol (see README.md).

``/api/auth/login`` (form, multipart or JSON) → a 30-day HS256 token; ``PATCH /api/auth/refresh``; 401
``{"status": "token-invalid", ...}`` for a missing, unknown, revoked or expired token; ``/api/message/sms/send``,
``send-batch``, ``status_by_id``; delivery callbacks POSTed to ``callback_url``; test accounts limited to Eskiz's
test texts; the balance of ``/api/user/get-limit`` spent per SMS part. ``/_fake/...`` controls it (control.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import re
import secrets
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import aiohttp
from aiohttp import web

from . import tokens
from .control import add_control_routes
from .state import (
    DEFAULT_EMAIL,
    DEFAULT_PART_PRICE,
    DEFAULT_PASSWORD,
    DEFAULT_REFRESH_WINDOW,
    DELIVERED_PART,
    PART_STATUSES,
    TEST_TEXTS,
    TOKEN_LIFETIME,
    Account,
    CallbackDelivery,
    FakeSms,
    Faults,
    IssuedToken,
    iso_utc,
    sms_parts,
    tashkent_time,
)

log = logging.getLogger("sandbox.eskiz")

PHONE = re.compile(r"^998\d{9}$")
WAITING = "Waiting for SMS provider"
# Answers as Eskiz words them where a source shows it ([D] token-invalid, bad credentials); the rest are guesses [G].
BAD_CREDENTIALS = "Неверный Email или пароль"
TOKEN_MISSING = "Authorization Token not found"
TOKEN_INVALID = "Token is invalid"
TOKEN_EXPIRED = "Expired token"
TEST_MODE_REFUSAL = (
    "Ваш аккаунт находится в тестовом режиме: можно отправлять только тестовые тексты "
    + ", ".join(f"«{text}»" for text in TEST_TEXTS)
)
NO_BALANCE = "Недостаточно средств на балансе"

Clock = Callable[[], float]


@dataclass
class RequestRecord:
    method: str
    path: str
    content_type: str
    status: int
    fault: str | None = None


class FakeEskiz:
    def __init__(
        self,
        *,
        email: str = DEFAULT_EMAIL,
        password: str = DEFAULT_PASSWORD,
        role: str = "user",
        balance: int | None = None,
        part_price: int = DEFAULT_PART_PRICE,
        clock: Clock = time.time,
        auto_deliver: bool = True,
        delivery_delay: float = 0.05,
        callback_format: str = "json",
        refresh_window: int = DEFAULT_REFRESH_WINDOW,
    ) -> None:
        if callback_format not in ("json", "form"):
            raise ValueError("callback_format is json or form")
        self._clock = clock
        self._offset = 0.0
        self._key = secrets.token_bytes(32)
        self.part_price = part_price
        self.auto_deliver = auto_deliver
        self.delivery_delay = delivery_delay
        self.callback_format = callback_format
        self.refresh_window = refresh_window
        self.accounts: dict[str, Account] = {}
        self.tokens: dict[str, IssuedToken] = {}
        self.messages: list[FakeSms] = []
        self.callbacks: list[CallbackDelivery] = []
        self.requests: list[RequestRecord] = []
        self.outcomes: dict[str, str] = {}  # phone -> the part status its SMS end in (default DELIVRD)
        self.faults = Faults()
        self._tasks: set[asyncio.Task[None]] = set()
        self._http: aiohttp.ClientSession | None = None
        self._runner: web.AppRunner | None = None
        self.base_url = ""
        self.add_account(email, password, role=role, **({"balance": balance} if balance is not None else {}))
        self.app = self._build_app()

    # -- life cycle -------------------------------------------------------------------------------------------

    @property
    def api_url(self) -> str:
        """What ESKIZ_BASE_URL should be: ``http://host:port/api``."""
        return f"{self.base_url}/api"

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        self._http = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10))
        self._runner = web.AppRunner(self.app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        server = getattr(site, "_server", None)
        sockets = getattr(server, "sockets", None) or []
        bound = sockets[0].getsockname()[1] if sockets else port
        self.base_url = f"http://{host}:{bound}"
        return self.api_url

    async def stop(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        for task in list(self._tasks):
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
        if self._http is not None:
            await self._http.close()
            self._http = None

    async def __aenter__(self) -> FakeEskiz:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    # -- the Python control API (the HTTP one in control.py calls these) --------------------------------------

    def now(self) -> float:
        return self._clock() + self._offset

    def advance(self, seconds: float) -> None:
        """Move the fake's clock forward (tokens expire after 30 days)."""
        self._offset += seconds

    def add_account(self, email: str, password: str, **options: Any) -> Account:
        key = email.strip().lower()
        existing = self.accounts.get(key)
        account = existing or Account(id=377 + len(self.accounts) + 1, email=key, password=password,
                                      created_at=self.now())
        account.password = password
        for name, value in options.items():
            if not hasattr(account, name) or name in ("id", "email"):
                raise ValueError(f"unknown account option {name!r}")
            setattr(account, name, list(value) if name == "nicks" else value)
        self.accounts[key] = account
        return account

    def account(self, email: str | None = None) -> Account:
        if email is None:
            return next(iter(self.accounts.values()))
        return self.accounts[email.strip().lower()]

    def set_balance(self, balance: int, email: str | None = None) -> None:
        self.account(email).balance = balance

    def expire_tokens(self, email: str | None = None) -> int:
        """Every live token of the account (all accounts without ``email``) expires now; refresh still works."""
        count = 0
        for issued in self.tokens.values():
            if email is None or issued.email == email.strip().lower():
                issued.expires_at = min(issued.expires_at, int(self.now()) - 1)
                count += 1
        return count

    def revoke_tokens(self, email: str | None = None) -> int:
        """Every token becomes unknown to the server: requests and refreshes answer 401, only a login helps."""
        count = 0
        for issued in self.tokens.values():
            if email is None or issued.email == email.strip().lower():
                issued.revoked = True
                count += 1
        return count

    def set_faults(self, **options: Any) -> Faults:
        self.faults = Faults.from_options(options)
        return self.faults

    def clear_faults(self) -> None:
        self.faults = Faults()

    def set_outcome(self, phone: str, part_status: str) -> None:
        if part_status not in PART_STATUSES:
            raise ValueError(f"unknown status {part_status!r}; known: {sorted(PART_STATUSES)}")
        self.outcomes[phone] = part_status

    def find(self, ref: str) -> list[FakeSms]:
        """Messages by Eskiz id, request id (a batch has several) or user_sms_id."""
        return [sms for sms in self.messages if ref in (str(sms.id), sms.request_id, sms.user_sms_id)]

    def sent_to(self, phone: str) -> list[FakeSms]:
        return [sms for sms in self.messages if sms.to == phone]

    async def deliver(self, ref: str | None = None, part_status: str = DELIVERED_PART) -> list[CallbackDelivery]:
        """Finish waiting messages (``ref`` = id, request id or user_sms_id; all without) and POST their callbacks."""
        if part_status not in PART_STATUSES:
            raise ValueError(f"unknown status {part_status!r}")
        targets = self.find(ref) if ref else [sms for sms in self.messages if sms.part_status == "waiting"]
        deliveries = []
        for sms in targets:
            delivery = await self._finish(sms, part_status)
            if delivery is not None:
                deliveries.append(delivery)
        return deliveries

    async def flush(self) -> None:
        """Wait until every scheduled delivery and callback is done."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    def reset(self) -> None:
        self.tokens.clear()
        self.messages.clear()
        self.callbacks.clear()
        self.requests.clear()
        self.outcomes.clear()
        self.clear_faults()

    def describe(self) -> dict[str, Any]:
        return {
            "accounts": [account.public() for account in self.accounts.values()],
            "tokens": {"live": sum(1 for t in self.tokens.values() if not t.revoked and t.expires_at > self.now()),
                       "issued": len(self.tokens)},
            "messages": len(self.messages),
            "callbacks": len(self.callbacks),
            "now": self.now(),
            "part_price": self.part_price,
            "auto_deliver": self.auto_deliver,
            "faults": self.faults.describe(),
        }

    # -- plumbing ---------------------------------------------------------------------------------------------

    def _build_app(self) -> web.Application:
        app = web.Application(middlewares=[self._middleware])
        app.router.add_post("/api/auth/login", self._login)
        app.router.add_patch("/api/auth/refresh", self._refresh)
        app.router.add_get("/api/auth/user", self._user)
        app.router.add_delete("/api/auth/invalidate", self._invalidate)
        app.router.add_post("/api/message/sms/send", self._send)
        app.router.add_post("/api/message/sms/send-batch", self._send_batch)
        app.router.add_get("/api/message/sms/status_by_id/{id}", self._status_by_id)
        app.router.add_get("/api/user/get-limit", self._get_limit)
        app.router.add_get("/api/nick/me", self._nicks)
        app.router.add_get("/api/user/templates", self._templates)
        add_control_routes(app, self)
        return app

    @web.middleware
    async def _middleware(
        self, request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        path = request.path
        fault = None if path.startswith("/_fake/") else self.faults.next_fault(path)
        if fault is not None:
            response = await self._fault_response(fault)
        else:
            response = await handler(request)
        if not path.startswith("/_fake/"):
            self.requests.append(RequestRecord(request.method, path, request.content_type, response.status, fault))
        return response

    async def _fault_response(self, fault: str) -> web.StreamResponse:
        if fault == "timeout":
            await asyncio.sleep(self.faults.hang_seconds)
            return web.Response(status=504, text="Gateway Timeout")
        if fault == "broken_json":
            return web.Response(status=200, text='{"id": "', content_type="application/json")
        if fault == "401":
            return _json({"status": "token-invalid", "message": TOKEN_INVALID}, 401)
        if fault == "429":
            return web.Response(status=429, text="Too Many Attempts.",
                                headers={"Retry-After": str(self.faults.retry_after)})
        return web.Response(status=int(fault), text=f"fault {fault}")

    @staticmethod
    async def _fields(request: web.Request) -> dict[str, Any]:
        """Form, multipart and JSON bodies alike (Laravel reads them all), query parameters as a fallback."""
        fields: dict[str, Any] = dict(request.query)
        if request.content_type == "application/json":
            try:
                body = await request.json()
            except (ValueError, UnicodeDecodeError):
                raise web.HTTPBadRequest(text=json.dumps({"status": "error", "message": "Malformed JSON"}),
                                         content_type="application/json") from None
            if isinstance(body, dict):
                fields.update(body)
        elif request.content_type in ("multipart/form-data", "application/x-www-form-urlencoded"):
            form = await request.post()
            fields.update({name: value for name, value in form.items() if isinstance(value, str)})
        return fields

    def _authorize(self, request: web.Request, *, allow_expired: bool = False) -> IssuedToken | web.Response:
        header = request.headers.get("Authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return _json({"status": "token-invalid", "message": TOKEN_MISSING}, 401)
        token = token.strip()
        issued = self.tokens.get(token)
        if issued is None or issued.revoked or tokens.verify(self._key, token) is None:
            return _json({"status": "token-invalid", "message": TOKEN_INVALID}, 401)
        now = self.now()
        if now >= issued.expires_at and not (allow_expired and now < issued.expires_at + self.refresh_window):
            return _json({"status": "token-invalid", "message": TOKEN_EXPIRED}, 401)
        if issued.email not in self.accounts:
            return _json({"status": "token-invalid", "message": TOKEN_INVALID}, 401)
        return issued

    def _issue(self, account: Account) -> web.Response:
        issued_at = int(self.now())
        token = tokens.issue(self._key, subject=account.id, role=account.role, issued_at=issued_at,
                             lifetime=TOKEN_LIFETIME)
        self.tokens[token] = IssuedToken(token, account.email, issued_at, issued_at + TOKEN_LIFETIME)
        return _json({"message": "token_generated", "data": {"token": token}, "token_type": "bearer"})

    # -- auth -------------------------------------------------------------------------------------------------

    async def _login(self, request: web.Request) -> web.Response:
        fields = await self._fields(request)
        email = str(fields.get("email") or "").strip().lower()
        password = str(fields.get("password") or "")
        if not email or not password:
            return _json({"message": "The email and password fields are required."}, 422)
        account = self.accounts.get(email)
        if account is None or not secrets.compare_digest(account.password, password):
            return _json({"message": BAD_CREDENTIALS}, 401)
        if account.status != "active":
            return _json({"message": "Account is not active"}, 403)
        return self._issue(account)

    async def _refresh(self, request: web.Request) -> web.Response:
        issued = self._authorize(request, allow_expired=True)
        if isinstance(issued, web.Response):
            return issued
        issued.revoked = True  # the old token is blacklisted, as jwt-auth does
        return self._issue(self.accounts[issued.email])

    async def _invalidate(self, request: web.Request) -> web.Response:
        issued = self._authorize(request)
        if isinstance(issued, web.Response):
            return issued
        issued.revoked = True
        return _json({"message": "token_invalidated"})

    async def _user(self, request: web.Request) -> web.Response:
        issued = self._authorize(request)
        if isinstance(issued, web.Response):
            return issued
        account = self.accounts[issued.email]
        created = iso_utc(account.created_at)
        data = {"id": account.id, "created_at": created, "updated_at": created, "name": account.name,
                "email": account.email, "password": "", "role": account.role, "status": account.status,
                "is_vip": False, "balance": account.balance}
        return _json({"status": "success", "data": data, "id": None})

    # -- sending ----------------------------------------------------------------------------------------------

    def _refusal(self, account: Account, nick: str, items: list[tuple[str, str]]) -> web.Response | None:
        """The first reason Eskiz would refuse these (phone, text) pairs, or None."""
        for phone, text in items:
            if not PHONE.match(phone):
                return _json({"status": "error", "message": f"Неверный номер телефона: {phone}"}, 400)
            if not text.strip():
                return _json({"status": "error", "message": "The message field is required."}, 400)
        if nick not in account.nicks:
            return _json({"status": "error", "message": f"Никнейм «{nick}» вам не принадлежит"}, 400)
        if account.role == "test" and any(text.strip() not in TEST_TEXTS for _, text in items):
            return _json({"status": "error", "message": TEST_MODE_REFUSAL}, 400)
        cost = sum(sms_parts(text) * self.part_price for _, text in items)
        if cost > account.balance:
            return _json({"status": "error", "message": NO_BALANCE}, 400)
        return None

    def _record(self, account: Account, *, request_id: str, phone: str, text: str, nick: str,
                user_sms_id: str | None, dispatch_id: int | None, callback_url: str | None, batch: bool) -> FakeSms:
        parts = sms_parts(text)
        sms = FakeSms(id=4_385_062 + len(self.messages), request_id=request_id, to=phone, text=text, nick=nick,
                      parts=parts, price=parts * self.part_price, email=account.email, user_sms_id=user_sms_id,
                      dispatch_id=dispatch_id, callback_url=callback_url or None, batch=batch,
                      created_at=self.now())
        account.balance -= sms.price
        self.messages.append(sms)
        if self.auto_deliver:
            self._spawn(self._deliver_later(sms))
        return sms

    async def _send(self, request: web.Request) -> web.Response:
        issued = self._authorize(request)
        if isinstance(issued, web.Response):
            return issued
        account = self.accounts[issued.email]
        fields = await self._fields(request)
        phone = str(fields.get("mobile_phone") or "").strip()
        text = str(fields.get("message") or "")
        nick = str(fields.get("from") or "4546")
        refusal = self._refusal(account, nick, [(phone, text)])
        if refusal is not None:
            return refusal
        request_id = str(uuid.uuid4())
        self._record(account, request_id=request_id, phone=phone, text=text, nick=nick, user_sms_id=None,
                     dispatch_id=None, callback_url=_opt_str(fields.get("callback_url")), batch=False)
        return _json({"id": request_id, "message": WAITING, "status": "waiting"})

    async def _send_batch(self, request: web.Request) -> web.Response:
        issued = self._authorize(request)
        if isinstance(issued, web.Response):
            return issued
        account = self.accounts[issued.email]
        if request.content_type != "application/json":
            return _json({"status": "error", "message": "send-batch takes a JSON body"}, 400)
        fields = await self._fields(request)
        messages = fields.get("messages")
        if not isinstance(messages, list) or not messages or not all(isinstance(m, dict) for m in messages):
            return _json({"status": "error", "message": "The messages field is required."}, 400)
        items = [(str(m.get("to") or "").strip(), str(m.get("text") or "")) for m in messages]
        nick = str(fields.get("from") or "4546")
        refusal = self._refusal(account, nick, items)
        if refusal is not None:
            return refusal
        try:
            dispatch_id = int(fields["dispatch_id"]) if fields.get("dispatch_id") is not None else None
        except (TypeError, ValueError):
            return _json({"status": "error", "message": "The dispatch id must be an integer."}, 400)
        request_id = str(uuid.uuid4())
        callback_url = _opt_str(fields.get("callback_url"))
        for message, (phone, text) in zip(messages, items, strict=True):
            self._record(account, request_id=request_id, phone=phone, text=text, nick=nick,
                         user_sms_id=_opt_str(message.get("user_sms_id")), dispatch_id=dispatch_id,
                         callback_url=callback_url, batch=True)
        return _json({"id": request_id, "message": WAITING, "status": ["waiting"] * len(messages)})

    async def _status_by_id(self, request: web.Request) -> web.Response:
        issued = self._authorize(request)
        if isinstance(issued, web.Response):
            return issued
        ref = request.match_info["id"]
        found = [sms for sms in self.messages
                 if sms.email == issued.email and ref in (str(sms.id), sms.request_id)]
        if not found:
            return _json({"status": "error", "message": "Message not found"}, 404)
        sms = found[0]
        account = self.accounts[issued.email]
        created = iso_utc(sms.created_at)
        done = iso_utc(sms.status_at) if sms.status_at else None
        data = {
            "id": sms.id, "user_id": account.id, "country_id": 1, "connection_id": 1, "smsc_id": 1,
            "dispatch_id": sms.dispatch_id, "user_sms_id": sms.user_sms_id, "request_id": sms.request_id,
            "price": sms.price, "total_price": sms.price, "is_ad": False, "nick": sms.nick, "to": sms.to,
            "message": sms.text, "encoding": 0 if sms.text.isascii() else 8, "parts_count": sms.parts,
            "parts": {str(n): {"part_id": n, "dlr_state": sms.part_status, "dlr_time": done}
                      for n in range(sms.parts)},
            "status": sms.status, "sent_at": created, "submit_sm_resp_at": created, "delivery_sm_at": done,
            "created_at": created, "updated_at": done or created,
        }
        return _json({"status": "success", "data": data, "id": None})

    async def _get_limit(self, request: web.Request) -> web.Response:
        issued = self._authorize(request)
        if isinstance(issued, web.Response):
            return issued
        return _json({"status": "success", "data": {"balance": self.accounts[issued.email].balance}})

    async def _nicks(self, request: web.Request) -> web.Response:
        issued = self._authorize(request)
        if isinstance(issued, web.Response):
            return issued
        return _json(list(self.accounts[issued.email].nicks))

    async def _templates(self, request: web.Request) -> web.Response:
        issued = self._authorize(request)
        if isinstance(issued, web.Response):
            return issued
        return _json({"success": True, "result": []})

    # -- delivery ---------------------------------------------------------------------------------------------

    def _spawn(self, work: Awaitable[None]) -> None:
        async def run() -> None:
            await work

        task = asyncio.get_running_loop().create_task(run())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _deliver_later(self, sms: FakeSms) -> None:
        await asyncio.sleep(self.delivery_delay)
        if sms.part_status == "waiting":
            await self._finish(sms, self.outcomes.get(sms.to, DELIVERED_PART))

    async def _finish(self, sms: FakeSms, part_status: str) -> CallbackDelivery | None:
        sms.part_status = part_status
        sms.status_at = self.now()
        if not sms.callback_url:
            return None
        body = {
            "request_id": sms.request_id, "message_id": str(sms.id), "user_sms_id": sms.user_sms_id or "",
            "country": "UZ", "phone_number": sms.to, "sms_count": str(sms.parts), "status": part_status,
            "status_date": tashkent_time(sms.status_at),
        }
        delivery = CallbackDelivery(sms.callback_url, body, None)
        try:
            assert self._http is not None, "the fake is not started"
            post = (self._http.post(sms.callback_url, json=body) if self.callback_format == "json"
                    else self._http.post(sms.callback_url, data=body))
            async with post as response:
                delivery.status = response.status
        except (aiohttp.ClientError, TimeoutError, AssertionError) as error:
            delivery.error = f"{type(error).__name__}: {error}"
            log.warning("callback to %s failed: %s", sms.callback_url, delivery.error)
        self.callbacks.append(delivery)
        return delivery


def _opt_str(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def _json(payload: Any, status: int = 200) -> web.Response:
    return web.json_response(payload, status=status, dumps=lambda data: json.dumps(data, ensure_ascii=False))

"""The fake Eskiz's control API under ``/_fake/`` (for tests and the demo; never part of Eskiz)."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from aiohttp import web

if TYPE_CHECKING:
    from .server import FakeEskiz

FAKE_KEY: web.AppKey[FakeEskiz] = web.AppKey("fake_eskiz")


def _fake(request: web.Request) -> FakeEskiz:
    return request.app[FAKE_KEY]


async def _body(request: web.Request) -> dict[str, Any]:
    if not request.can_read_body:
        return {}
    try:
        body = await request.json()
    except (ValueError, UnicodeDecodeError):
        raise web.HTTPBadRequest(text="control bodies are JSON objects") from None
    if not isinstance(body, dict):
        raise web.HTTPBadRequest(text="control bodies are JSON objects")
    return body


def _bad(error: Exception) -> web.Response:
    return web.json_response({"ok": False, "error": str(error)}, status=400)


async def _state(request: web.Request) -> web.Response:
    return web.json_response(_fake(request).describe())


async def _messages(request: web.Request) -> web.Response:
    fake = _fake(request)
    phone = request.query.get("phone")
    rows = [sms.public() for sms in fake.messages if phone is None or sms.to == phone]
    return web.json_response({"messages": rows}, dumps=lambda d: json.dumps(d, ensure_ascii=False))


async def _callbacks(request: web.Request) -> web.Response:
    return web.json_response({"callbacks": [asdict(c) for c in _fake(request).callbacks]})


async def _accounts(request: web.Request) -> web.Response:
    body = await _body(request)
    try:
        email = str(body.pop("email"))
        password = str(body.pop("password"))
        account = _fake(request).add_account(email, password, **body)
    except (KeyError, ValueError, TypeError) as error:
        return _bad(error)
    return web.json_response({"ok": True, "account": account.public()})


async def _quota(request: web.Request) -> web.Response:
    body = await _body(request)
    try:
        _fake(request).set_balance(int(body["balance"]), body.get("email"))
    except (KeyError, ValueError, TypeError) as error:
        return _bad(error)
    return web.json_response({"ok": True})


async def _expire(request: web.Request) -> web.Response:
    body = await _body(request)
    return web.json_response({"ok": True, "expired": _fake(request).expire_tokens(body.get("email"))})


async def _revoke(request: web.Request) -> web.Response:
    body = await _body(request)
    return web.json_response({"ok": True, "revoked": _fake(request).revoke_tokens(body.get("email"))})


async def _clock(request: web.Request) -> web.Response:
    body = await _body(request)
    try:
        _fake(request).advance(float(body.get("advance", 0)))
    except (ValueError, TypeError) as error:
        return _bad(error)
    return web.json_response({"ok": True, "now": _fake(request).now()})


async def _set_faults(request: web.Request) -> web.Response:
    try:
        faults = _fake(request).set_faults(**await _body(request))
    except (ValueError, TypeError) as error:
        return _bad(error)
    return web.json_response({"ok": True, "faults": faults.describe()})


async def _clear_faults(request: web.Request) -> web.Response:
    _fake(request).clear_faults()
    return web.json_response({"ok": True})


async def _outcomes(request: web.Request) -> web.Response:
    body = await _body(request)
    try:
        for phone, status in body.items():
            _fake(request).set_outcome(str(phone), str(status))
    except ValueError as error:
        return _bad(error)
    return web.json_response({"ok": True})


async def _deliver(request: web.Request) -> web.Response:
    body = await _body(request)
    try:
        deliveries = await _fake(request).deliver(body.get("ref"), str(body.get("status", "DELIVRD")))
    except ValueError as error:
        return _bad(error)
    return web.json_response({"ok": True, "callbacks": [asdict(d) for d in deliveries]})


async def _reset(request: web.Request) -> web.Response:
    _fake(request).reset()
    return web.json_response({"ok": True})


def add_control_routes(app: web.Application, fake: FakeEskiz) -> None:
    app[FAKE_KEY] = fake
    app.router.add_get("/_fake/state", _state)
    app.router.add_get("/_fake/messages", _messages)
    app.router.add_get("/_fake/callbacks", _callbacks)
    app.router.add_post("/_fake/accounts", _accounts)
    app.router.add_post("/_fake/quota", _quota)
    app.router.add_post("/_fake/tokens/expire", _expire)
    app.router.add_post("/_fake/tokens/revoke", _revoke)
    app.router.add_post("/_fake/clock", _clock)
    app.router.add_post("/_fake/faults", _set_faults)
    app.router.add_delete("/_fake/faults", _clear_faults)
    app.router.add_post("/_fake/outcomes", _outcomes)
    app.router.add_post("/_fake/deliver", _deliver)
    app.router.add_post("/_fake/reset", _reset)

"""The fake's control API under ``/_fake/``: faults, outage, rate limit and shared budget, clock, webhooks and
events, late changes, report skews, and the ground truth (as of now by default)."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from aiohttp import web

from .base import WHOLE_DAY
from .serialize import encode
from .truth import totals_to_dict

if TYPE_CHECKING:
    from .server import FakeRegos


def json_response(payload: Any, status: int = 200) -> web.Response:
    return web.Response(body=encode(payload), status=status, content_type="application/json", charset="utf-8")


def _bad(error: object) -> web.Response:
    return json_response({"ok": False, "error": str(error)}, status=400)


def parse_as_of(value: str | None) -> float | None:
    """``now`` (or nothing) = the fake's clock, ``whole`` = every planned record, else a Unix second."""
    if value in (None, "", "now"):
        return None
    if value in ("whole", "full", "all"):
        return WHOLE_DAY
    return float(value)


class ControlApi:
    def __init__(self, fake: FakeRegos) -> None:
        self.fake = fake

    def register(self, app: web.Application) -> None:
        routes = app.router
        routes.add_get("/_fake/state", self.state)
        routes.add_post("/_fake/faults", self.faults)
        routes.add_delete("/_fake/faults", self.clear_faults)
        routes.add_post("/_fake/down", self.down)
        routes.add_post("/_fake/rate_limit", self.rate_limit)
        routes.add_post("/_fake/clock", self.clock)
        routes.add_post("/_fake/webhook", self.webhook)
        routes.add_post("/_fake/events", self.emit_event)
        routes.add_post("/_fake/live_events", self.live_events)
        routes.add_get("/_fake/truth", self.truth)
        routes.add_get("/_fake/stock", self.stock)
        routes.add_post("/_fake/report_skew", self.add_skew)
        routes.add_delete("/_fake/report_skew", self.clear_skews)
        routes.add_post("/_fake/receipts", self.add_receipt)
        routes.add_post("/_fake/receipts/{uuid}/{action}", self.receipt_action)
        routes.add_post("/_fake/wholesale/{doc_id}", self.wholesale)

    @staticmethod
    async def body(request: web.Request) -> dict[str, Any]:
        raw = await request.read()
        if not raw.strip():
            return {}
        try:
            data = json.loads(raw, parse_float=Decimal)
        except (ValueError, RecursionError) as exc:
            raise web.HTTPBadRequest(text=f"bad JSON: {type(exc).__name__}") from None
        if not isinstance(data, dict):
            raise web.HTTPBadRequest(text="expected a JSON object")
        return data

    async def state(self, request: web.Request) -> web.Response:
        fake = self.fake
        gen = fake.generator
        return json_response(
            {
                "requests": len(fake.request_log),
                "faults": fake.faults.describe(),
                "rate_limit": fake.buckets.enabled,
                "rate_limit_refused": sum(fake.buckets.refused.values()),
                "now": int(fake.now()),
                "live": gen.config.live,
                "version": gen.version,
                "events": len(fake.events),
                "webhook_url": fake.webhook_url,
                "report_skews": [s.describe() for s in fake.report_skews],
                "period": [gen.config.start_date.isoformat(), gen.config.end_date.isoformat()],
            }
        )

    async def faults(self, request: web.Request) -> web.Response:
        try:
            plan = self.fake.set_faults(**await self.body(request))
        except (ValueError, TypeError) as exc:
            return _bad(exc)
        return json_response({"ok": True, "faults": plan.describe()})

    async def clear_faults(self, request: web.Request) -> web.Response:
        self.fake.clear_faults()
        return json_response({"ok": True})

    async def down(self, request: web.Request) -> web.Response:
        body = await self.body(request)
        self.fake.set_down(bool(body.get("down", True)))
        return json_response({"ok": True, "down": self.fake.faults.down})

    async def rate_limit(self, request: web.Request) -> web.Response:
        """``{"enabled": bool}`` and/or a shared key: ``{"background_rate": 1.5, "start_tokens": 0, "key": …}``."""
        body = await self.body(request)
        try:
            if "enabled" in body:
                self.fake.set_rate_limit(bool(body["enabled"]))
            if "background_rate" in body or "start_tokens" in body:
                start = body.get("start_tokens")
                self.fake.share_key(
                    float(body.get("background_rate", 0)),
                    start_tokens=None if start is None else float(start),
                    key=body.get("key"),
                )
        except (TypeError, ValueError) as exc:
            return _bad(exc)
        return json_response({"ok": True, "enabled": self.fake.buckets.enabled})

    async def clock(self, request: web.Request) -> web.Response:
        """``{"now": unix}`` freezes the clock there, ``{"advance": seconds}`` moves a frozen clock on,
        ``{"real": true}`` goes back to the wall clock."""
        body = await self.body(request)
        try:
            if body.get("real"):
                self.fake.set_now(None)
            elif "now" in body:
                self.fake.set_now(float(body["now"]))
            elif "advance" in body:
                self.fake.set_now(self.fake.now() + float(body["advance"]))
            else:
                return _bad("now, advance or real")
        except (TypeError, ValueError) as exc:
            return _bad(exc)
        return json_response({"ok": True, "now": int(self.fake.now())})

    async def webhook(self, request: web.Request) -> web.Response:
        body = await self.body(request)
        self.fake.webhook_url = body.get("url") or None
        self.fake.webhook_wrapped = bool(body.get("wrapped", self.fake.webhook_wrapped))
        return json_response({"ok": True, "url": self.fake.webhook_url, "wrapped": self.fake.webhook_wrapped})

    async def emit_event(self, request: web.Request) -> web.Response:
        body = await self.body(request)
        if not isinstance(body.get("action"), str):
            return _bad("action is required")
        return json_response({"ok": True, "event": self.fake.emit_event(body["action"], body.get("data") or {})})

    async def live_events(self, request: web.Request) -> web.Response:
        return json_response({"ok": True, "emitted": self.fake.emit_live_events()})

    async def truth(self, request: web.Request) -> web.Response:
        """``?day=YYYY-MM-DD[&stock_id=N][&till_id=N][&as_of=now|whole|UNIX]``: as of now unless told."""
        query = request.query
        try:
            day = date.fromisoformat(query["day"])
            stock = query.get("stock_id")
            till = query.get("till_id")
            totals = self.fake.generator.day_totals(
                day, int(stock) if stock else None, till_id=int(till) if till else None,
                as_of=parse_as_of(query.get("as_of")),
            )  # fmt: skip
        except (KeyError, ValueError) as exc:
            return _bad(f"day=YYYY-MM-DD [&stock_id=N] [&till_id=N] [&as_of=now|whole|UNIX]: {exc}")
        skews = [s.describe() for s in self.fake.report_skews if s.day == day]
        return json_response({"ok": True, "totals": totals_to_dict(totals), "report_skews": skews})

    async def stock(self, request: web.Request) -> web.Response:
        """``?item_id=N&stock_id=N[&as_of=…]``: stock on hand, and whether the item is delete-marked."""
        query = request.query
        gen = self.fake.generator
        try:
            item_id, stock_id = int(query["item_id"]), int(query["stock_id"])
            quantity = gen.stock_level(item_id, stock_id, parse_as_of(query.get("as_of")))
        except (KeyError, ValueError) as exc:
            return _bad(f"item_id=N&stock_id=N [&as_of=…]: {exc}")
        item = gen.items_by_id.get(item_id)
        return json_response({"ok": True, "quantity": quantity, "deleted_mark": bool(item and item.deleted_mark)})

    async def add_skew(self, request: web.Request) -> web.Response:
        body = await self.body(request)
        try:
            day = date.fromisoformat(str(body.pop("day")))
            skew = self.fake.skew_report(day, **body)
        except (KeyError, ValueError, TypeError) as exc:
            return _bad(exc)
        return json_response({"ok": True, "skew": skew.describe()})

    async def clear_skews(self, request: web.Request) -> web.Response:
        self.fake.report_skews.clear()
        return json_response({"ok": True})

    async def add_receipt(self, request: web.Request) -> web.Response:
        body = await self.body(request)
        try:
            receipt = self.fake.add_receipt(
                date.fromisoformat(str(body["day"])),
                stock_id=body.get("stock_id"),
                at=body.get("at"),
                items=[(int(i), Decimal(q)) for i, q in body["items"]] if body.get("items") else None,
                payment_type_id=body.get("payment_type_id"),
            )
        except (KeyError, ValueError, TypeError) as exc:
            return _bad(exc)
        return json_response({"ok": True, "receipt": self.fake.serializer.doc_cheque(receipt)})

    async def receipt_action(self, request: web.Request) -> web.Response:
        receipt_uuid = request.match_info["uuid"]
        action = request.match_info["action"]
        body = await self.body(request)
        try:
            if action == "cancel":
                receipt = self.fake.cancel_receipt(receipt_uuid)
            elif action == "close":
                receipt = self.fake.close_receipt(receipt_uuid, int(body.get("payment_type_id", 1)))
            elif action == "return":
                lines = [(int(i), Decimal(q)) for i, q in body["lines"]] if body.get("lines") else None
                receipt = self.fake.add_return(receipt_uuid, int(body.get("at") or self.fake.now()), lines=lines)
            else:
                return json_response({"ok": False, "error": "action is cancel, close or return"}, status=404)
        except (KeyError, ValueError, TypeError) as exc:
            return _bad(exc)
        return json_response({"ok": True, "receipt": self.fake.serializer.doc_cheque(receipt)})

    async def wholesale(self, request: web.Request) -> web.Response:
        body = await self.body(request)
        try:
            doc = self.fake.set_wholesale_state(
                int(request.match_info["doc_id"]),
                is_return=bool(body.get("is_return", False)),
                performed=body.get("performed"),
                deleted_mark=body.get("deleted_mark"),
            )
        except (KeyError, ValueError) as exc:
            return _bad(exc)
        return json_response({"ok": True, "document": self.fake.serializer.wholesale(doc)})

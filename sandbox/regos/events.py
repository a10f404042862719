"""Events of the fake gateway: the store behind Event/Get, outgoing webhooks with REGOS's retries, and (with
``live_events``) the events REGOS would send as the clock reveals new receipts, shifts and wholesale documents."""

from __future__ import annotations

import asyncio
import contextlib
import uuid as uuid_module
from collections.abc import Callable, Mapping
from typing import Any

import aiohttp

from .generator import STATUS_CANCELED, RegosDataGenerator
from .protocol import (
    ERR_NOT_FOUND,
    EVENT_PAGE_DEFAULT,
    EVENT_PAGE_MAX,
    EVENT_RETENTION_SECONDS,
    RegosApiError,
    WebhookDelivery,
    iso,
    opt_int,
    str_list,
)
from .serialize import encode


class EventsMixin:
    """Part of ``FakeRegos``: everything about events. The attributes are set by ``FakeRegos.__init__``."""

    generator: RegosDataGenerator
    now: Callable[[], float]
    default_key: str
    webhook_url: str | None
    webhook_wrapped: bool
    webhook_retry_delay: float
    webhook_attempts: int
    webhook_deliveries: list[WebhookDelivery]
    events: list[dict[str, Any]]
    live_events: bool
    live_events_interval: float
    _event_positions: dict[str, int]
    _announced: set[tuple[str, str]]
    _live_mark: float | None
    _live_task: asyncio.Task[None] | None
    _webhook_tasks: set[asyncio.Task[None]]
    _http: aiohttp.ClientSession | None
    _stopping: asyncio.Event

    def emit_event(self, action: str, data: Mapping[str, Any], *, occurred_at: float | None = None) -> dict[str, Any]:
        """Store an event (for Event/Get) and deliver it to the webhook URL, if one is set."""
        stamp = self.now() if occurred_at is None else occurred_at
        event_id = str(uuid_module.uuid4())
        event: dict[str, Any] = {
            "event_id": event_id,
            "occurred_at": iso(stamp),
            "action": action,
            "data": dict(data),
            "_ts": stamp,
        }
        self._event_positions[event_id] = len(self.events)
        self.events.append(event)
        self._announced.add((action, str(data.get("uuid", data.get("id", "")))))
        if self.webhook_url:
            self._schedule_webhook(event)
        return self._public_event(event)

    @staticmethod
    def _public_event(event: Mapping[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in event.items() if not k.startswith("_")}

    # -- events REGOS sends as the day goes on --------------------------------------------------------------------

    def emit_live_events(self, until: float | None = None) -> int:
        """Events for the records that became visible since the last call (or since ``start``):
        ``DocChequeClosed`` / ``DocChequeCanceled``, ``DocSessionOpened`` / ``DocSessionClosed``,
        ``DocWholeSaleAdded`` / ``DocWholeSaleReturnAdded``, each at the moment it happened. Returns how many."""
        gen = self.generator
        horizon = gen.horizon(until)
        mark = self._live_mark if self._live_mark is not None else horizon
        self._live_mark = horizon
        if horizon <= mark:
            return 0
        found: list[tuple[float, str, dict[str, Any]]] = []
        for day in gen.days_overlapping(mark - 86_400, horizon):  # a receipt dated yesterday may close today
            data = gen.day(day)
            for receipt in data.receipts:
                if mark < receipt.last_update <= horizon and (receipt.is_closed or receipt.status == STATUS_CANCELED):
                    action = "DocChequeClosed" if receipt.is_closed else "DocChequeCanceled"
                    found.append((receipt.last_update, action, {"uuid": receipt.uuid}))
            for session in data.sessions:
                if mark < session.start_date <= horizon:
                    found.append((session.start_date, "DocSessionOpened", {"uuid": session.uuid}))
                if mark < session.close_date <= horizon:
                    found.append((session.close_date, "DocSessionClosed", {"uuid": session.uuid}))
            for doc in data.wholesales + data.wholesale_returns:
                if mark < doc.last_update <= horizon:
                    prefix = "DocWholeSaleReturn" if doc.is_return else "DocWholeSale"
                    found.append((doc.last_update, f"{prefix}Added", {"id": doc.id}))
        emitted = 0
        for stamp, action, payload in sorted(found, key=lambda f: (f[0], f[1], str(f[2]))):
            if (action, str(payload.get("uuid", payload.get("id")))) in self._announced:
                continue  # a mutation already announced it
            self.emit_event(action, payload, occurred_at=stamp)
            emitted += 1
        return emitted

    async def _live_events_loop(self) -> None:
        while not self._stopping.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stopping.wait(), timeout=self.live_events_interval)
            if not self._stopping.is_set():
                self.emit_live_events()

    # -- webhooks -------------------------------------------------------------------------------------------------

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

    # -- Event/Get ------------------------------------------------------------------------------------------------

    async def _event_get(self, body: dict[str, Any], key: str) -> dict[str, Any]:
        last_event_id = body.get("last_event_id")
        from_date = opt_int(body.get("from_date"), "from_date")
        limit = min(opt_int(body.get("limit"), "limit") or EVENT_PAGE_DEFAULT, EVENT_PAGE_MAX)
        actions = str_list(body.get("actions"), "actions")
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

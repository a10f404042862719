"""Parsing REGOS webhook deliveries.

Two shapes arrive: the flat event of a local integration
``{"event_id", "occurred_at", "action": "DocChequeClosed", "data": {"uuid": ...}}`` and the reusable-integration
envelope ``{"action": "HandleWebhook", "connected_integration_id", "event_id", "occurred_at",
"data": {"action": "DocChequeClosed", "data": {"uuid": ...}}}``. Both give one ``WebhookEvent``.
There is no signature: protect the URL with a secret query parameter. Deduplicate by ``event_id`` (REGOS
retries with the same id) and never sort by it.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .limits import MAX_WEBHOOK_BYTES, BodyRefused, guarded_loads
from .parsing import optional_int, to_optional_utc_datetime

WRAPPER_ACTION = "HandleWebhook"

RECEIPT_ACTIONS = frozenset({"DocChequeClosed", "DocChequeCanceled", "POSChequePayDebt"})
SESSION_ACTIONS = frozenset({"DocSessionOpened", "DocSessionClosed"})
WHOLESALE_ACTIONS = frozenset(
    f"DocWholeSale{suffix}" for suffix in ("Added", "Edited", "Deleted", "DeleteMarked", "Performed", "PerformCanceled")
)
WHOLESALE_RETURN_ACTIONS = frozenset(
    f"DocWholeSaleReturn{suffix}"
    for suffix in ("Added", "Edited", "Deleted", "DeleteMarked", "Performed", "PerformCanceled")
)


class WebhookPayloadError(ValueError):
    """The body is not a REGOS event."""


@dataclass(frozen=True)
class WebhookEvent:
    event_id: str
    action: str
    occurred_at: datetime | None
    entity_id: int | None
    entity_uuid: str | None
    data: dict[str, Any] = field(default_factory=dict)
    connected_integration_id: str | None = None
    wrapped: bool = False

    @property
    def entity_key(self) -> str | None:
        """The uuid for uuid entities (receipts, shifts), else the numeric id as text."""
        if self.entity_uuid:
            return self.entity_uuid
        return str(self.entity_id) if self.entity_id is not None else None

    @property
    def is_receipt_event(self) -> bool:
        return self.action in RECEIPT_ACTIONS

    @property
    def is_wholesale_event(self) -> bool:
        return self.action in WHOLESALE_ACTIONS or self.action in WHOLESALE_RETURN_ACTIONS


def _as_mapping(payload: bytes | str | Mapping[str, Any]) -> Mapping[str, Any]:
    if isinstance(payload, Mapping):
        return payload
    try:
        data = guarded_loads(payload, max_bytes=MAX_WEBHOOK_BYTES)
    except BodyRefused as exc:
        raise WebhookPayloadError(str(exc)) from exc
    except (ValueError, UnicodeDecodeError, EOFError, OSError) as exc:
        raise WebhookPayloadError("body is not JSON") from exc
    if not isinstance(data, Mapping):
        raise WebhookPayloadError("body is not a JSON object")
    return data


MAX_EVENT_ID_LENGTH = 200
_EVENT_TOKEN = re.compile(r"(?=[^\d]*\d)[A-Za-z0-9][A-Za-z0-9_.:-]*")  # e.g. "ev-17": must carry a digit


def _valid_event_id(value: Any) -> str:
    """REGOS event ids are UUIDs or positive integers; anything else (a list, "abc", a huge text) is refused."""
    if isinstance(value, bool) or value is None:
        raise WebhookPayloadError("event has no event_id")
    if isinstance(value, int):
        if value <= 0:
            raise WebhookPayloadError("event_id is not positive")
        text = str(value)
    elif isinstance(value, str):
        text = value.strip()
    else:
        raise WebhookPayloadError("event_id is not a string or a number")
    if not text or len(text) > MAX_EVENT_ID_LENGTH:
        raise WebhookPayloadError("event_id is empty or too long")
    if not (text.isdigit() or _is_uuid(text) or _EVENT_TOKEN.fullmatch(text)):
        raise WebhookPayloadError("event_id is neither a UUID, a number nor an id token")
    return text


def _is_uuid(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True


def _entity_id(data: Mapping[str, Any]) -> int | None:
    return optional_int(data.get("id"))


def parse_webhook_event(
    payload: bytes | str | Mapping[str, Any], *, header_integration_id: str | None = None
) -> WebhookEvent:
    """One event from a webhook body (flat or ``HandleWebhook``-wrapped). Raises ``WebhookPayloadError``."""
    outer = _as_mapping(payload)
    action = outer.get("action")
    data = outer.get("data")
    wrapped = action == WRAPPER_ACTION
    if wrapped:
        if not isinstance(data, Mapping):
            raise WebhookPayloadError("HandleWebhook without data")
        action = data.get("action")
        inner = data.get("data")
        data = inner if isinstance(inner, Mapping) else {}
    if not isinstance(action, str) or not action:
        raise WebhookPayloadError("event has no action")
    if data is None:
        data = {}
    if not isinstance(data, Mapping):
        raise WebhookPayloadError("event data is not an object")
    event_id = outer.get("event_id")
    if event_id is None and wrapped and isinstance(outer.get("data"), Mapping):
        event_id = outer["data"].get("event_id")
    event_id = _valid_event_id(event_id)
    try:
        occurred_at = to_optional_utc_datetime(outer.get("occurred_at"))
    except ValueError:
        occurred_at = None  # a bad timestamp must not lose the event; the entity is re-read anyway
    uuid_value = data.get("uuid")
    integration_id = outer.get("connected_integration_id") or header_integration_id
    return WebhookEvent(
        event_id=str(event_id),
        action=action,
        occurred_at=occurred_at,
        entity_id=_entity_id(data),
        entity_uuid=str(uuid_value) if uuid_value else None,
        data=dict(data),
        connected_integration_id=str(integration_id) if integration_id else None,
        wrapped=wrapped,
    )

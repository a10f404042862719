"""Parsing REGOS webhook deliveries.

Two shapes arrive: the flat event of a local integration
``{"event_id", "occurred_at", "action": "DocChequeClosed", "data": {"uuid": ...}}`` and the reusable-integration
envelope ``{"action": "HandleWebhook", "connected_integration_id", "event_id", "occurred_at",
"data": {"action": "DocChequeClosed", "data": {"uuid": ...}}}``. Both give one ``WebhookEvent``.
There is no signature: protect the URL with a secret query parameter. Deduplicate by ``event_id`` (REGOS
retries with the same id) and never sort by it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .parsing import loads, optional_int, to_optional_utc_datetime

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
        data = loads(payload)
    except (ValueError, UnicodeDecodeError) as exc:
        raise WebhookPayloadError("body is not JSON") from exc
    if not isinstance(data, Mapping):
        raise WebhookPayloadError("body is not a JSON object")
    return data


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
    if event_id is None or str(event_id).strip() == "":
        raise WebhookPayloadError("event has no event_id")
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

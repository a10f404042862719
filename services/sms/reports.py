"""Eskiz delivery reports: parsing a callback and deciding what it does to an SMS's status (pure functions).

Eskiz POSTs ``{"request_id", "message_id", "user_sms_id", "country", "phone_number", "sms_count", "status",
"status_date"}`` (all strings; ``status_date`` is Tashkent time without a zone) as JSON or a form.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from urllib.parse import parse_qsl

from db.sms import SmsStatus

TASHKENT = timezone(timedelta(hours=5))  # Uzbekistan has no daylight saving time
MAX_BODY = 16 * 1024

_DELIVERED = frozenset({"DELIVRD", "DELIVERED"})
_FAILED = frozenset({"UNDELIV", "UNDELIVERABLE", "EXPIRED", "REJECTD", "REJECTED", "DELETED", "UNKNOWN", "FAILED"})
_SENT = frozenset({"ACCEPTED", "ENROUTE", "STORED", "NEW", "PARTDELIVERED", "TRANSMTD", "SENT"})
_WAITING = frozenset({"WAITING"})

_RANK = {SmsStatus.QUEUED: 0, SmsStatus.SENDING: 1, SmsStatus.WAITING: 2, SmsStatus.SENT: 3,
         SmsStatus.DELIVERED: 4, SmsStatus.FAILED: 4, SmsStatus.REFUSED: 5}


class DeliveryReportError(ValueError):
    """The body is not an Eskiz delivery report."""


@dataclass(frozen=True)
class DeliveryReport:
    request_id: str | None
    message_id: str | None
    user_sms_id: str | None
    phone: str | None
    status: str
    status_at: datetime | None
    sms_count: int | None = None


def classify_provider_status(status: str) -> SmsStatus | None:
    """Eskiz's part or message status as ours; None for a status we do not know (recorded, not applied)."""
    key = status.strip().upper()
    if key in _DELIVERED:
        return SmsStatus.DELIVERED
    if key in _FAILED:
        return SmsStatus.FAILED
    if key in _SENT:
        return SmsStatus.SENT
    if key in _WAITING:
        return SmsStatus.WAITING
    return None


def next_status(current: SmsStatus, current_at: datetime | None, reported: SmsStatus,
                reported_at: datetime | None) -> SmsStatus | None:
    """The status after a report, or None when the report changes nothing.

    A status only moves forward (queued → sending → waiting → sent → delivered/failed); a refusal is final.
    Between the two final statuses the later report wins (a DELIVRD after an EXPIRED), the same one is a repeat.
    """
    if reported == current or current is SmsStatus.REFUSED:
        return None
    old, new = _RANK[current], _RANK[reported]
    if new > old:
        return reported
    final = new == old == _RANK[SmsStatus.DELIVERED]
    if final and reported_at is not None and (current_at is None or reported_at > current_at):
        return reported
    return None


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def parse_status_date(value: Any) -> datetime | None:
    """``'2021-04-02 00:39:36'`` (Tashkent) → aware UTC; an ISO time with a zone is honoured."""
    text = _text(value)
    if text is None:
        return None
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=TASHKENT)
    return parsed.astimezone(UTC)


def report_from_fields(fields: Mapping[str, Any]) -> DeliveryReport:
    status = _text(fields.get("status"))
    if status is None or len(status) > 32:
        raise DeliveryReportError("no status in the delivery report")
    request_id = _text(fields.get("request_id"))
    user_sms_id = _text(fields.get("user_sms_id"))
    if request_id is None and user_sms_id is None:
        raise DeliveryReportError("the report names no request_id or user_sms_id")
    try:
        count = int(str(fields["sms_count"])) if _text(fields.get("sms_count")) else None
    except ValueError:
        count = None
    message_id = _text(fields.get("message_id"))
    return DeliveryReport(
        request_id=request_id[:64] if request_id else None,
        message_id=message_id[:32] if message_id else None,
        user_sms_id=user_sms_id[:64] if user_sms_id else None,
        phone=_text(fields.get("phone_number")),
        status=status,
        status_at=parse_status_date(fields.get("status_date")),
        sms_count=count if count and 0 < count < 100 else None,
    )


def parse_delivery_report(body: bytes, content_type: str | None = None) -> DeliveryReport:
    """A callback body, JSON or URL-encoded form (the content type is not documented, so both are read)."""
    if len(body) > MAX_BODY:
        raise DeliveryReportError("the delivery report is too large")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise DeliveryReportError("the delivery report is not UTF-8") from None
    stripped = text.strip()
    if (content_type or "").startswith("application/json") or stripped.startswith("{"):
        try:
            fields = json.loads(stripped)
        except ValueError:
            raise DeliveryReportError("the delivery report is not valid JSON") from None
        if not isinstance(fields, dict):
            raise DeliveryReportError("the delivery report is not a JSON object")
        return report_from_fields(fields)
    return report_from_fields(dict(parse_qsl(stripped, keep_blank_values=True)))

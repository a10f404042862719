"""What the fake Eskiz remembers: accounts, issued tokens, sent SMS, callbacks, faults."""

from __future__ import annotations

import random
from collections import deque
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

# Eskiz's docs: an account in test status may send only these texts.
TEST_TEXTS = ("Это тест от Eskiz", "Bu Eskiz dan test", "This is test from Eskiz")
TOKEN_LIFETIME = 30 * 86_400  # exp - iat of every public sample token
DEFAULT_REFRESH_WINDOW = 30 * 86_400  # how long after expiry PATCH /auth/refresh still works [G]
DEFAULT_NICK = "4546"
DEFAULT_EMAIL = "demo@smartsavdo.uz"
DEFAULT_PASSWORD = "sandbox-eskiz-password"
DEFAULT_BALANCE = 100_000  # UZS [G: get-limit's balance is taken as money]
DEFAULT_PART_PRICE = 50  # UZS per SMS part [G]
TASHKENT = timezone(timedelta(hours=5))

# Part statuses (as in callbacks) and the message status status_by_id shows for them.
DELIVERED_PART = "DELIVRD"
PART_STATUSES = frozenset({"DELIVRD", "UNDELIV", "UNDELIVERABLE", "EXPIRED", "REJECTD", "DELETED", "UNKNOWN",
                           "ACCEPTED", "ENROUTE", "NEW"})
_MESSAGE_STATUS = {"DELIVRD": "DELIVERED", "UNDELIV": "REJECTED", "UNDELIVERABLE": "REJECTED", "EXPIRED": "REJECTED",
                   "REJECTD": "REJECTED", "DELETED": "REJECTED", "UNKNOWN": "REJECTED", "ACCEPTED": "ACCEPTED",
                   "ENROUTE": "ACCEPTED", "NEW": "NEW"}

FAULT_KINDS = frozenset({"ok", "401", "429", "500", "502", "503", "504", "timeout", "broken_json"})

_GSM7 = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§"
    "¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM7_EXTENDED = set("^{}\\[~]|€\f")


def sms_parts(text: str) -> int:
    """SMS parts a text takes: GSM-7 160 (153 per part when split), otherwise UCS-2 70 (67)."""
    if all(ch in _GSM7 or ch in _GSM7_EXTENDED for ch in text):
        units = sum(2 if ch in _GSM7_EXTENDED else 1 for ch in text)
        single, multi = 160, 153
    else:
        units = len(text.encode("utf-16-le")) // 2
        single, multi = 70, 67
    if units <= single:
        return 1
    return -(-units // multi)


def message_status(part_status: str) -> str:
    return _MESSAGE_STATUS.get(part_status, "waiting")


def tashkent_time(unix_seconds: float) -> str:
    return datetime.fromtimestamp(unix_seconds, TASHKENT).strftime("%Y-%m-%d %H:%M:%S")


def iso_utc(unix_seconds: float) -> str:
    return datetime.fromtimestamp(unix_seconds, UTC).strftime("%Y-%m-%dT%H:%M:%S.000000Z")


@dataclass
class Account:
    id: int
    email: str
    password: str
    name: str = "Smart Savdo"
    role: str = "user"  # "test" accounts may send only TEST_TEXTS
    status: str = "active"
    balance: int = DEFAULT_BALANCE
    nicks: list[str] = field(default_factory=lambda: [DEFAULT_NICK])
    created_at: float = 0.0

    def public(self) -> dict[str, Any]:
        data = asdict(self)
        data["password"] = ""
        return data


@dataclass
class IssuedToken:
    token: str
    email: str
    issued_at: int
    expires_at: int
    revoked: bool = False


@dataclass
class FakeSms:
    id: int
    request_id: str
    to: str
    text: str
    nick: str
    parts: int
    price: int
    email: str
    user_sms_id: str | None = None
    dispatch_id: int | None = None
    callback_url: str | None = None
    batch: bool = False
    part_status: str = "waiting"
    created_at: float = 0.0
    status_at: float | None = None

    @property
    def status(self) -> str:
        return message_status(self.part_status)

    def public(self) -> dict[str, Any]:
        data = asdict(self)
        data["status"] = self.status
        return data


@dataclass
class CallbackDelivery:
    url: str
    body: dict[str, str]
    status: int | None  # HTTP status the receiver answered, None when unreachable
    error: str | None = None


@dataclass
class Faults:
    """A schedule of fault kinds consumed one per matching request ("ok" lets one through), limited to ``paths``
    (prefixes) when given; ``hang_seconds`` is how long "timeout" waits before answering."""

    schedule: deque[str] = field(default_factory=deque)
    paths: tuple[str, ...] = ()
    retry_after: float = 1.0
    hang_seconds: float = 35.0
    rate_5xx: float = 0.0
    seed: int = 0
    _rng: random.Random = field(default_factory=random.Random, repr=False)

    def __post_init__(self) -> None:
        self._rng = random.Random(self.seed)
        unknown = sorted(set(self.schedule) - FAULT_KINDS)
        if unknown:
            raise ValueError(f"unknown fault kinds {unknown}; known: {sorted(FAULT_KINDS)}")

    @classmethod
    def from_options(cls, options: dict[str, Any]) -> Faults:
        allowed = {"schedule", "paths", "retry_after", "hang_seconds", "rate_5xx", "seed"}
        unknown = set(options) - allowed
        if unknown:
            raise ValueError(f"unknown fault options {sorted(unknown)}; known: {sorted(allowed)}")
        values = dict(options)
        values["schedule"] = deque(str(kind) for kind in values.get("schedule", ()))
        values["paths"] = tuple(str(path) for path in values.get("paths", ()))
        return cls(**values)

    def next_fault(self, path: str) -> str | None:
        if self.paths and not any(path.startswith(prefix) for prefix in self.paths):
            return None
        if self.schedule:
            kind = self.schedule.popleft()
            return None if kind == "ok" else kind
        if self.rate_5xx and self._rng.random() < self.rate_5xx:
            return "503"
        return None

    def describe(self) -> dict[str, Any]:
        return {"schedule": list(self.schedule), "paths": list(self.paths), "retry_after": self.retry_after,
                "hang_seconds": self.hang_seconds, "rate_5xx": self.rate_5xx}

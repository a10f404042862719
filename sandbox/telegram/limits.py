"""Flood limits (429) and injected faults, both configured through the control API."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from typing import Any

from .errors import BotApiError, too_many_requests


@dataclass
class _Bucket:
    tokens: float
    updated: float


@dataclass
class RateLimits:
    """Token buckets per (bot, chat) and per bot. Off until enabled.

    `per_chat_per_sec` / `global_per_sec` are refill rates; a bucket holds `burst` (per chat) or
    `global_burst` tokens, so a bot may send that many messages at once before it is slowed down.
    `retry_after` fixes the number Telegram answers; by default it is the seconds until a token is back.
    """

    enabled: bool = False
    per_chat_per_sec: float | None = 1.0
    global_per_sec: float | None = 30.0
    burst: float | None = None
    global_burst: float | None = None
    retry_after: int | None = None
    _chat_buckets: dict[tuple[int, int], _Bucket] = field(default_factory=dict)
    _bot_buckets: dict[int, _Bucket] = field(default_factory=dict)

    def configure(self, settings: dict[str, Any]) -> None:
        for key in ("enabled", "per_chat_per_sec", "global_per_sec", "burst", "global_burst", "retry_after"):
            if key in settings:
                setattr(self, key, settings[key])
        self._chat_buckets.clear()
        self._bot_buckets.clear()

    def view(self) -> dict[str, Any]:
        return {
            "enabled": self.enabled,
            "per_chat_per_sec": self.per_chat_per_sec,
            "global_per_sec": self.global_per_sec,
            "burst": self.burst,
            "global_burst": self.global_burst,
            "retry_after": self.retry_after,
        }

    def check(self, bot_id: int, chat_id: int) -> None:
        """Take one token from both buckets or raise 429 (taking none)."""
        if not self.enabled:
            return
        now = time.monotonic()
        checks: list[tuple[_Bucket, float]] = []
        if self.per_chat_per_sec:
            capacity = self.burst or max(1.0, self.per_chat_per_sec)
            bucket = self._chat_buckets.setdefault((bot_id, chat_id), _Bucket(capacity, now))
            checks.append((self._refill(bucket, self.per_chat_per_sec, capacity, now), self.per_chat_per_sec))
        if self.global_per_sec:
            capacity = self.global_burst or max(1.0, self.global_per_sec)
            bucket = self._bot_buckets.setdefault(bot_id, _Bucket(capacity, now))
            checks.append((self._refill(bucket, self.global_per_sec, capacity, now), self.global_per_sec))
        wait = max(((1 - bucket.tokens) / rate for bucket, rate in checks if bucket.tokens < 1), default=0.0)
        if wait > 0:
            raise too_many_requests(self.retry_after or max(1, math.ceil(wait)))
        for bucket, _rate in checks:
            bucket.tokens -= 1

    @staticmethod
    def _refill(bucket: _Bucket, rate: float, capacity: float, now: float) -> _Bucket:
        bucket.tokens = min(capacity, bucket.tokens + (now - bucket.updated) * rate)
        bucket.updated = now
        return bucket


@dataclass
class Fault:
    """Answer the next `count` calls of `method` (any method when "*") with an error."""

    method: str
    count: int = 1
    error_code: int = 500
    description: str = "Internal Server Error"
    retry_after: int | None = None
    chat_id: int | None = None

    def error(self) -> BotApiError:
        parameters = {"retry_after": self.retry_after} if self.retry_after else None
        return BotApiError(self.error_code, self.description, parameters)

    def view(self) -> dict[str, Any]:
        return {
            "method": self.method, "count": self.count, "error_code": self.error_code,
            "description": self.description, "retry_after": self.retry_after, "chat_id": self.chat_id,
        }


@dataclass
class Faults:
    items: list[Fault] = field(default_factory=list)

    def take(self, method: str, chat_id: int | None) -> BotApiError | None:
        for fault in self.items:
            if fault.method not in ("*", method.lower()):
                continue
            if fault.chat_id is not None and fault.chat_id != chat_id:
                continue
            fault.count -= 1
            if fault.count <= 0:
                self.items.remove(fault)
            return fault.error()
        return None

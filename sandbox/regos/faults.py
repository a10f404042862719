"""Rate limiting and fault injection of the fake REGOS gateway."""

from __future__ import annotations

import random
import time
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

# What a scheduled or random fault can be. "ok" in a schedule lets one request through untouched.
FAULT_KINDS = frozenset(
    {"ok", "429", "500", "502", "503", "504", "timeout", "broken_json", "slow", "8213", "bad_key", "empty_page"}
)


@dataclass
class FaultPlan:
    """Probabilities (0..1) per request, a schedule consumed first, and the ``down`` switch.

    ``timeout`` hangs ``hang_seconds`` (longer than the client's timeout) before answering; ``slow`` waits
    ``slow_seconds`` and then answers correctly; ``broken_json`` cuts the JSON body in half;
    ``empty_page`` answers a list method with no rows; ``methods`` limits faults to some REGOS methods.
    """

    rate_429: float = 0.0
    rate_5xx: float = 0.0
    rate_timeout: float = 0.0
    rate_broken_json: float = 0.0
    rate_slow: float = 0.0
    retry_after: float = 1.0
    hang_seconds: float = 35.0
    slow_seconds: float = 1.0
    down: bool = False
    methods: frozenset[str] | None = None
    schedule: deque[str] = field(default_factory=deque)
    seed: int = 0
    _rng: random.Random = field(default_factory=random.Random, repr=False)

    def __post_init__(self) -> None:
        self._rng = random.Random(self.seed)
        unknown = [kind for kind in self.schedule if kind not in FAULT_KINDS]
        if unknown:
            raise ValueError(f"unknown fault kinds {unknown}; known: {sorted(FAULT_KINDS)}")

    @classmethod
    def from_options(cls, options: dict[str, Any]) -> FaultPlan:
        allowed = {f for f in cls.__dataclass_fields__ if not f.startswith("_")}
        unknown = set(options) - allowed
        if unknown:
            raise ValueError(f"unknown fault options {sorted(unknown)}")
        values = dict(options)
        if "schedule" in values:
            values["schedule"] = deque(str(kind) for kind in values["schedule"])
        if values.get("methods") is not None:
            values["methods"] = frozenset(values["methods"])
        return cls(**values)

    def describe(self) -> dict[str, Any]:
        return {
            "rate_429": self.rate_429,
            "rate_5xx": self.rate_5xx,
            "rate_timeout": self.rate_timeout,
            "rate_broken_json": self.rate_broken_json,
            "rate_slow": self.rate_slow,
            "retry_after": self.retry_after,
            "hang_seconds": self.hang_seconds,
            "slow_seconds": self.slow_seconds,
            "down": self.down,
            "methods": sorted(self.methods) if self.methods is not None else None,
            "schedule": list(self.schedule),
        }

    def next_fault(self, method: str) -> str | None:
        """The fault for this request, or None. ``down`` wins over everything."""
        if self.down:
            return "down"
        if self.methods is not None and method not in self.methods:
            return None
        if self.schedule:
            kind = self.schedule.popleft()
            return None if kind == "ok" else kind
        roll = self._rng.random()
        for kind, rate in (
            ("429", self.rate_429),
            ("5xx", self.rate_5xx),
            ("timeout", self.rate_timeout),
            ("broken_json", self.rate_broken_json),
            ("slow", self.rate_slow),
        ):
            if roll < rate:
                return self._rng.choice(("500", "502", "503", "504")) if kind == "5xx" else kind
            roll -= rate
        return None


class KeyBuckets:
    """REGOS's limiter: a token bucket per integration key, ``rate`` per second, ``burst`` at most."""

    def __init__(self, rate: float = 2.0, burst: int = 50, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.rate = rate
        self.burst = burst
        self.clock = clock
        self.enabled = True
        self._state: dict[str, tuple[float, float]] = {}

    def allow(self, key: str) -> bool:
        if not self.enabled:
            return True
        now = self.clock()
        tokens, updated = self._state.get(key, (float(self.burst), now))
        tokens = min(float(self.burst), tokens + max(0.0, now - updated) * self.rate)
        if tokens >= 1.0:
            self._state[key] = (tokens - 1.0, now)
            return True
        self._state[key] = (tokens, now)
        return False

    def reset(self, keys: Iterable[str] | None = None) -> None:
        if keys is None:
            self._state.clear()
        else:
            for key in keys:
                self._state.pop(key, None)

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
    {
        "ok", "429", "500", "502", "503", "504", "timeout", "broken_json", "slow", "8213", "bad_key", "empty_page",
        "html", "deep_json", "huge_body",
    }
)  # fmt: skip

# Named fault levels for ``set_faults(level=...)``; any other option given beside ``level`` overrides the preset.
# "hostile" is the harshest: about 45 % of calls fail in one of the ways a proxy, a gateway or an overloaded REGOS
# fails (5 failures in a row happen to about 1 call in 50).
FAULT_LEVELS: dict[str, dict[str, Any]] = {
    "none": {},
    "mild": {"rate_5xx": 0.02, "rate_429": 0.01, "rate_slow": 0.02, "retry_after": 1.0},
    "harsh": {
        "rate_5xx": 0.08, "rate_429": 0.05, "rate_8213": 0.02, "rate_timeout": 0.01, "rate_broken_json": 0.02,
        "rate_empty_page": 0.02, "rate_slow": 0.05, "retry_after": 1.0,
    },
    "hostile": {
        "rate_5xx": 0.14, "rate_429": 0.08, "rate_8213": 0.04, "rate_timeout": 0.03, "rate_broken_json": 0.05,
        "rate_html": 0.02, "rate_empty_page": 0.05, "rate_slow": 0.04, "retry_after": 2.0,
        "weights_5xx": (1, 4, 4, 1),
    },
}  # fmt: skip

_RANDOM_KINDS = (
    ("429", "rate_429"),
    ("5xx", "rate_5xx"),
    ("8213", "rate_8213"),
    ("timeout", "rate_timeout"),
    ("broken_json", "rate_broken_json"),
    ("html", "rate_html"),
    ("empty_page", "rate_empty_page"),
    ("deep_json", "rate_deep_json"),
    ("huge_body", "rate_huge_body"),
    ("slow", "rate_slow"),
)


@dataclass
class FaultPlan:
    """Probabilities (0..1) per request, a schedule consumed first, and the ``down`` switch.

    ``timeout`` hangs ``hang_seconds`` (longer than the client's timeout) before answering; ``slow`` waits
    ``slow_seconds`` and then answers correctly; ``broken_json`` cuts the JSON body in half; ``html`` answers
    HTTP 200 with a proxy's HTML page; ``empty_page`` answers a list method with no rows (``total`` unchanged);
    ``deep_json`` answers a valid JSON body nested ``nest_depth`` levels deep; ``huge_body`` streams a valid JSON
    body of ``huge_bytes`` (chunked, no Content-Length); ``methods`` limits faults to some REGOS methods.
    ``weights_5xx`` weighs 500/502/503/504 among the 5xx faults.
    """

    level: str = "none"
    rate_429: float = 0.0
    rate_5xx: float = 0.0
    rate_8213: float = 0.0
    rate_timeout: float = 0.0
    rate_broken_json: float = 0.0
    rate_html: float = 0.0
    rate_empty_page: float = 0.0
    rate_deep_json: float = 0.0
    rate_huge_body: float = 0.0
    rate_slow: float = 0.0
    retry_after: float = 1.0
    hang_seconds: float = 35.0
    slow_seconds: float = 1.0
    nest_depth: int = 100_000
    huge_bytes: int = 64 * 1024 * 1024
    weights_5xx: tuple[float, float, float, float] = (1, 1, 1, 1)
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
        if sum(getattr(self, name) for _, name in _RANDOM_KINDS) > 1.0:
            raise ValueError("the fault rates add up to more than 1")

    @classmethod
    def from_options(cls, options: dict[str, Any]) -> FaultPlan:
        allowed = {f for f in cls.__dataclass_fields__ if not f.startswith("_")}
        unknown = set(options) - allowed
        if unknown:
            raise ValueError(f"unknown fault options {sorted(unknown)}")
        level = str(options.get("level", "none"))
        if level not in FAULT_LEVELS:
            raise ValueError(f"unknown fault level {level!r}; known: {sorted(FAULT_LEVELS)}")
        values = {**FAULT_LEVELS[level], **options, "level": level}
        if "schedule" in values:
            values["schedule"] = deque(str(kind) for kind in values["schedule"])
        if values.get("methods") is not None:
            values["methods"] = frozenset(values["methods"])
        if "weights_5xx" in values:
            weights = tuple(float(w) for w in values["weights_5xx"])
            if len(weights) != 4:
                raise ValueError("weights_5xx has four weights: 500, 502, 503, 504")
            values["weights_5xx"] = weights
        return cls(**values)

    def describe(self) -> dict[str, Any]:
        described: dict[str, Any] = {"level": self.level}
        described.update({name: getattr(self, name) for _, name in _RANDOM_KINDS})
        described.update(
            retry_after=self.retry_after,
            hang_seconds=self.hang_seconds,
            slow_seconds=self.slow_seconds,
            nest_depth=self.nest_depth,
            huge_bytes=self.huge_bytes,
            weights_5xx=list(self.weights_5xx),
            down=self.down,
            methods=sorted(self.methods) if self.methods is not None else None,
            schedule=list(self.schedule),
        )
        return described

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
        for kind, name in _RANDOM_KINDS:
            rate = getattr(self, name)
            if roll < rate:
                if kind == "5xx":
                    return self._rng.choices(("500", "502", "503", "504"), weights=self.weights_5xx)[0]
                return kind
            roll -= rate
        return None


class KeyBuckets:
    """REGOS's limiter: a token bucket per integration key, ``rate`` per second, ``burst`` at most.

    A key can be shared with another integration (``share``): that one takes ``background_rate`` tokens per
    second whenever there are any, so this side refills at ``rate - background_rate``; ``start_tokens`` is what
    the bucket holds when first used (0 = drained, so 8213 comes from the very first call)."""

    def __init__(self, rate: float = 2.0, burst: int = 50, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.rate = rate
        self.burst = burst
        self.clock = clock
        self.enabled = True
        self._state: dict[str, tuple[float, float]] = {}
        self._background: dict[str | None, float] = {}
        self._start: dict[str | None, float] = {}
        self.refused: dict[str, int] = {}

    def share(self, key: str | None = None, *, background_rate: float = 0.0, start_tokens: float | None = None) -> None:
        """Another integration spends part of ``key``'s budget (None = every key)."""
        if not 0 <= background_rate < self.rate:
            raise ValueError(f"background_rate must be in [0, {self.rate})")
        self._background[key] = background_rate
        if start_tokens is None:
            self._start.pop(key, None)
        else:
            self._start[key] = max(0.0, min(float(self.burst), float(start_tokens)))
        self.reset([key] if key is not None else None)

    def _setting(self, table: dict[str | None, float], key: str, default: float) -> float:
        return table.get(key, table.get(None, default))

    def tokens(self, key: str) -> float:
        """Tokens this side could spend now (without spending one)."""
        now = self.clock()
        tokens, updated = self._state.get(key, (self._setting(self._start, key, float(self.burst)), now))
        refill = self.rate - self._setting(self._background, key, 0.0)
        return max(0.0, min(float(self.burst), tokens + max(0.0, now - updated) * refill))

    def allow(self, key: str) -> bool:
        if not self.enabled:
            return True
        now = self.clock()
        tokens = self.tokens(key)
        if tokens >= 1.0:
            self._state[key] = (tokens - 1.0, now)
            return True
        self._state[key] = (tokens, now)
        self.refused[key] = self.refused.get(key, 0) + 1
        return False

    def spend(self, key: str, count: float) -> None:
        """Another integration makes ``count`` calls at once (a burst): the bucket loses that many tokens."""
        self._state[key] = (max(0.0, self.tokens(key) - count), self.clock())

    def reset(self, keys: Iterable[str] | None = None) -> None:
        if keys is None:
            self._state.clear()
        else:
            for key in keys:
                self._state.pop(key, None)

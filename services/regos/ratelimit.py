"""Client-side token bucket, so we stay under REGOS's own bucket (2 req/s, burst 50 → error 8213 past it)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

Clock = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]


class TokenBucket:
    """Refills ``rate`` tokens per second up to ``burst``; ``acquire`` waits for one token.

    The clock and the sleep are injectable so tests run in virtual time. If the clock does not move while we
    sleep (a test's no-op sleep), the waited time is credited anyway, so ``acquire`` never spins.
    """

    def __init__(
        self,
        rate: float = 2.0,
        burst: int = 40,
        *,
        clock: Clock = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        if rate <= 0 or burst < 1:
            raise ValueError("rate must be > 0 and burst >= 1")
        self.rate = rate
        self.burst = burst
        self._clock = clock
        self._sleep = sleep
        self._tokens = float(burst)
        self._updated = clock()
        self._lock = asyncio.Lock()

    def _refill(self) -> None:
        now = self._clock()
        elapsed = max(0.0, now - self._updated)
        self._tokens = min(float(self.burst), self._tokens + elapsed * self.rate)
        self._updated = now

    @property
    def available(self) -> float:
        self._refill()
        return self._tokens

    async def acquire(self, priority: object = None) -> float:
        """Take one token; returns how long we waited (seconds). ``priority`` is for ``KeyBudget``'s sake."""
        async with self._lock:
            self._refill()
            if self._tokens >= 1.0:
                self._tokens -= 1.0
                return 0.0
            delay = (1.0 - self._tokens) / self.rate
            await self._sleep(delay)
            self._refill()
            self._tokens = max(self._tokens, 1.0) - 1.0
            return delay

    def drain(self) -> None:
        """Empty the bucket: the server just said we are over its limit, so pace from zero."""
        self._refill()
        self._tokens = 0.0

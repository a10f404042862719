"""One call budget per REGOS key (issue 9, item 4), shared by the scheduler, ``/sync``, webhook fetches and the
details backfill, in this process and — through the database or Redis — across processes.

REGOS refills 2 tokens a second into a bucket of 50 per key and answers 8213 past it. ``KeyBudget`` is a token
bucket of the same shape (with a margin: burst 40) whose state lives in a *backend*: this process's memory, a row of
``regos_budgets`` (an atomic conditional UPDATE, SQLite or PostgreSQL) or a Redis key (a Lua script). Priorities:

- in one process, waiters are served in priority order (a user's ``/sync`` and webhook fetches, then the scheduled
  sync, then the backfill);
- across processes, each priority may only take a token while the bucket keeps its *floor* above it (0 for
  interactive calls, a few for the scheduler, more for the backfill), so a higher priority always finds one first.

When REGOS still says 8213 (another integration drains the same key), ``drain`` empties the shared bucket and holds
every caller off for a growing pause (1 s, 2 s, 4 s … 60 s), recorded so the sync status can say so.
"""

from __future__ import annotations

import asyncio
import hashlib
import heapq
import itertools
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import IntEnum
from typing import Any, Protocol

logger = logging.getLogger(__name__)

Clock = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]

MAX_HOLD_SECONDS = 60.0
GIVE_UP_SECONDS = 5.0  # a call that would wait longer than this for a hold is refused at once (BudgetExhausted)
_CLOSE_CALLS = 5  # an 8213 fewer calls than this after the previous one: the key is shared
_MIN_FACTOR = 1 / 8
_POLL_CAP_SECONDS = 1.0  # a waiter looks again at least this often (another process may have refilled/blocked)


class BudgetExhausted(Exception):
    """The key's limit is spent elsewhere (8213 after 8213): a call would wait ``seconds``; it is not made."""

    def __init__(self, seconds: float) -> None:
        super().__init__(f"REGOS key over its rate limit; holding off {seconds:.0f}s")
        self.seconds = seconds


class Priority(IntEnum):
    INTERACTIVE = 0  # a user's /sync, webhook fetches, /regos checks
    SCHEDULED = 1  # the scheduler's syncs, history imports
    BACKFILL = 2  # receipt details, only from what is left


# How many tokens a priority must leave in the bucket (cross-process ordering; see the module docstring).
FLOORS: dict[Priority, float] = {Priority.INTERACTIVE: 0.0, Priority.SCHEDULED: 2.0, Priority.BACKFILL: 10.0}


def key_digest(integration_key: str) -> str:
    return hashlib.sha256(integration_key.encode()).hexdigest()


@dataclass(frozen=True)
class BudgetState:
    tokens: float
    updated: float
    blocked_until: float
    throttled: int


class BudgetBackend(Protocol):
    """Where a key's bucket lives. ``take`` returns 0.0 when it took a token, else the seconds to wait."""

    name: str

    async def take(self, digest: str, now: float, rate: float, burst: int, floor: float) -> float: ...

    async def block(self, digest: str, now: float, until: float) -> None: ...

    async def state(self, digest: str) -> BudgetState | None: ...


def _wait_for(tokens: float, updated: float, blocked_until: float, now: float, rate: float, burst: int,
              floor: float) -> float:
    level = min(float(burst), tokens + max(0.0, now - updated) * rate)
    need = floor + 1.0 - level
    wait = need / rate if need > 0 else 0.0
    return max(wait, blocked_until - now, 0.001)


class MemoryBackend:
    """This process only (the default when nothing else is configured, and for tests)."""

    name = "memory"

    def __init__(self) -> None:
        self._rows: dict[str, list[float]] = {}  # digest -> [tokens, updated, blocked_until, throttled]

    def _row(self, digest: str, now: float, burst: int) -> list[float]:
        return self._rows.setdefault(digest, [float(burst), now, 0.0, 0.0])

    async def take(self, digest: str, now: float, rate: float, burst: int, floor: float) -> float:
        row = self._row(digest, now, burst)
        level = min(float(burst), row[0] + max(0.0, now - row[1]) * rate)
        if now >= row[2] and level >= floor + 1.0:
            row[0], row[1] = level - 1.0, max(now, row[1])
            return 0.0
        return _wait_for(row[0], row[1], row[2], now, rate, burst, floor)

    async def block(self, digest: str, now: float, until: float) -> None:
        row = self._row(digest, now, 1)
        row[0], row[1], row[2], row[3] = 0.0, now, max(row[2], until), row[3] + 1

    async def state(self, digest: str) -> BudgetState | None:
        row = self._rows.get(digest)
        return BudgetState(row[0], row[1], row[2], int(row[3])) if row else None


class KeyBudget:
    """The budget of one key as this process sees it: ``acquire(priority)`` waits for a token."""

    def __init__(
        self,
        digest: str,
        *,
        rate: float = 2.0,
        burst: int = 40,
        backend: BudgetBackend | None = None,
        clock: Clock = time.time,
        sleep: Sleep = asyncio.sleep,
        max_hold: float = MAX_HOLD_SECONDS,
        give_up_after: float = GIVE_UP_SECONDS,
    ) -> None:
        if rate <= 0 or burst < 1:
            raise ValueError("rate must be > 0 and burst >= 1")
        self.digest = digest
        self.max_hold = max_hold
        self.give_up_after = give_up_after
        self._blocked_until = 0.0
        self.rate = rate
        self.burst = burst
        self.backend: BudgetBackend = backend or MemoryBackend()
        self._clock = clock
        self._sleep = sleep
        self._queue: list[tuple[int, int, asyncio.Future[None]]] = []
        self._seq = itertools.count()
        self._busy = False
        self._streak = 0
        self._since_throttle = _CLOSE_CALLS
        self._factor = 1.0
        self.granted: dict[Priority, int] = dict.fromkeys(Priority, 0)
        self.waited_seconds = 0.0
        self.throttled = 0  # 8213 answers this process saw

    @property
    def rate_per_second(self) -> float:
        return self.rate

    async def acquire(self, priority: Priority | int | None = None) -> float:
        """Take one token at ``priority`` (default: scheduled); returns how long we waited."""
        level = Priority(priority if priority is not None else Priority.SCHEDULED)
        started = time.monotonic()
        held = self._blocked_until - self._clock()
        if held > self.give_up_after:  # the key is drained by someone else: fail now, a later run finishes
            raise BudgetExhausted(held)
        while True:
            # The turn orders concurrent takes by priority; nobody holds it while sleeping, so a backfill waiting
            # for the bucket to fill above its floor never stands in front of a user's /sync.
            await self._enter(level)
            try:
                wait = await self.backend.take(
                    self.digest, self._clock(), self.effective_rate, self.burst, self._floor(level)
                )
            finally:
                self._leave()
            if wait <= 0:
                break
            await self._sleep(min(wait, _POLL_CAP_SECONDS))
        self.granted[level] += 1
        self._since_throttle += 1
        if self._since_throttle >= 50:
            self._streak = 0
        if self._factor < 1.0:
            self._factor = min(1.0, self._factor + 0.01)
        waited = time.monotonic() - started
        self.waited_seconds += waited
        return waited

    async def _enter(self, level: Priority) -> None:
        if not self._busy and not self._queue:
            self._busy = True
            return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        heapq.heappush(self._queue, (int(level), next(self._seq), future))
        try:
            await future
        except asyncio.CancelledError:
            if future.done() and not future.cancelled():
                self._leave()  # we were handed the turn just as we were cancelled: pass it on
            else:
                self._queue = [entry for entry in self._queue if entry[2] is not future]
                heapq.heapify(self._queue)
            raise

    def _leave(self) -> None:
        while self._queue:
            _, _, future = heapq.heappop(self._queue)
            if not future.done():
                future.set_result(None)
                return
        self._busy = False

    def drain(self) -> None:
        """REGOS said 8213: empty the shared bucket. A lone 8213 (a blip) only does that; 8213s a few calls apart
        mean someone else spends this key's limit: halve our rate (recovering 1 % a call) and hold every caller
        of the key off for a growing pause (1 s, 2 s, 4 s … 60 s)."""
        now = self._clock()
        self.throttled += 1
        close = self._since_throttle < _CLOSE_CALLS
        self._since_throttle = 0
        hold = 0.0
        if close:
            self._streak += 1
            self._factor = max(_MIN_FACTOR, self._factor / 2)
            hold = min(self.max_hold, 2.0 ** (self._streak - 1))
            self._blocked_until = max(self._blocked_until, now + hold)
            logger.warning("REGOS key %s… keeps hitting its rate limit (8213): pacing at %.2f/s, holding %.0fs",
                           self.digest[:8], self.rate * self._factor, hold)
        else:
            self._streak = 0
        task = asyncio.get_running_loop().create_task(self.backend.block(self.digest, now, now + hold))
        _pending.add(task)
        task.add_done_callback(_pending.discard)

    def _floor(self, level: Priority) -> float:
        """The priority's floor, scaled down for a small bucket so every priority can still be served."""
        return min(FLOORS[level], (self.burst - 1) * int(level) / 2)

    @property
    def held_seconds(self) -> float:
        """How long this process still holds calls of the key off after repeated 8213s."""
        return max(0.0, self._blocked_until - self._clock())

    @property
    def effective_rate(self) -> float:
        return self.rate * self._factor

    async def state(self) -> BudgetState | None:
        return await self.backend.state(self.digest)


_pending: set[asyncio.Task[Any]] = set()


class ShareLimiter:
    """A cap on one consumer's share of a key's rate (the backfill: 25 % by default), on top of its priority."""

    def __init__(self, rate: float, burst: int = 2, *, clock: Clock = time.monotonic, sleep: Sleep = asyncio.sleep):
        self._backend = MemoryBackend()
        self._rate, self._burst = rate, burst
        self._clock, self._sleep = clock, sleep

    async def acquire(self) -> None:
        while True:
            wait = await self._backend.take("share", self._clock(), self._rate, self._burst, 0.0)
            if wait <= 0:
                return
            await self._sleep(wait)


def utc_from_unix(value: float) -> datetime:
    return datetime.fromtimestamp(value, UTC)

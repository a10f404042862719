"""The shared call budget of a REGOS key (issue 9, item 4): priorities, floors, 8213 back-off, and the bucket kept
in the database or Redis so several processes (here: several engines / Redis clients) share one limit."""

from __future__ import annotations

import asyncio
import os
import time
import uuid

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from services.regos import KeyBudget, MemoryBackend, Priority
from services.regos.budget_backends import DatabaseBackend, RedisBackend

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


async def _redis_or_skip() -> RedisBackend:
    try:
        backend = RedisBackend(REDIS_URL)
        await backend._redis.ping()
    except Exception as error:  # no Redis here: the database path is tested anyway
        pytest.skip(f"Redis not reachable at {REDIS_URL}: {error}")
    return backend


async def _grants_within(budgets: list[KeyBudget], seconds: float, priority: Priority = Priority.INTERACTIVE) -> int:
    """Every budget grabs tokens as fast as it can for ``seconds``; how many did they get together?"""
    granted = 0
    deadline = time.monotonic() + seconds

    async def grab(budget: KeyBudget) -> None:
        nonlocal granted
        while True:
            await budget.acquire(priority)
            if time.monotonic() > deadline:
                return
            granted += 1

    await asyncio.gather(*(grab(b) for b in budgets for _ in range(3)))
    return granted


async def test_memory_budget_keeps_burst_then_rate() -> None:
    budget = KeyBudget("k" * 64, rate=10.0, burst=5, backend=MemoryBackend())
    granted = await _grants_within([budget], 1.0)
    # 5 at once, then 10 a second: about 15 in a second, never more than burst + rate × t (+ one in flight).
    assert 12 <= granted <= 16, granted


async def test_two_processes_share_one_bucket_through_the_database(engine: AsyncEngine) -> None:
    digest = uuid.uuid4().hex
    # Two "processes": two backends on the same database, each with its own KeyBudget (own memory state).
    first = KeyBudget(digest, rate=10.0, burst=5, backend=DatabaseBackend(engine))
    second = KeyBudget(digest, rate=10.0, burst=5, backend=DatabaseBackend(engine))
    granted = await _grants_within([first, second], 1.5)
    # one bucket: at most 5 + 10 × 1.5, not twice that; at least the burst (a loaded CI box grants fewer in time)
    assert 5 <= granted <= 21, granted
    state = await first.state()
    assert state is not None and state.tokens < 5


async def test_two_processes_share_one_bucket_through_redis() -> None:
    one, two = await _redis_or_skip(), RedisBackend(REDIS_URL)
    digest = uuid.uuid4().hex
    try:
        budgets = [KeyBudget(digest, rate=10.0, burst=5, backend=one), KeyBudget(digest, rate=10.0, burst=5,
                                                                                backend=two)]
        granted = await _grants_within(budgets, 1.5)
        assert 5 <= granted <= 21, granted
        await budgets[0].acquire()
        budgets[0].drain()
        budgets[0].drain()  # two 8213s in a row: a shared key; every process holds off
        await asyncio.sleep(0.05)
        state = await two.state(digest)
        assert state is not None and state.throttled == 2 and state.blocked_until > time.time()
    finally:
        await one.aclose()
        await two.aclose()


async def test_interactive_goes_before_scheduled_and_backfill() -> None:
    budget = KeyBudget("p" * 64, rate=20.0, burst=3, backend=MemoryBackend())
    order: list[str] = []

    async def caller(name: str, priority: Priority, count: int) -> None:
        for _ in range(count):
            await budget.acquire(priority)
            order.append(name)

    await asyncio.gather(caller("backfill", Priority.BACKFILL, 5), caller("scheduled", Priority.SCHEDULED, 10),
                         caller("interactive", Priority.INTERACTIVE, 10))
    # The backfill may only take from a full bucket: once the others queue, it gets nothing until they are done.
    last_other = max(i for i, n in enumerate(order) if n != "backfill")
    assert order[: last_other + 1].count("backfill") <= 1, order
    # The interactive caller finishes well before the scheduled one.
    assert max(i for i, n in enumerate(order) if n == "interactive") < max(
        i for i, n in enumerate(order) if n == "scheduled"
    )
    assert budget.granted[Priority.INTERACTIVE] == 10 and budget.granted[Priority.BACKFILL] == 5


async def test_repeated_8213_halves_the_pace_and_holds_off_a_lone_one_does_not() -> None:
    backend = MemoryBackend()
    budget = KeyBudget("t" * 64, rate=2.0, burst=40, backend=backend)
    for _ in range(10):
        await budget.acquire()
    budget.drain()  # a lone 8213 (a fault): drained, no pause, full pace
    await asyncio.sleep(0)
    assert budget.effective_rate == 2.0
    state = await backend.state(budget.digest)
    assert state is not None and state.blocked_until <= time.time() + 0.01
    await budget.acquire()
    budget.drain()  # right after: someone else spends this key
    await asyncio.sleep(0)
    assert budget.effective_rate == 1.0
    state = await backend.state(budget.digest)
    assert state is not None and state.blocked_until > time.time() and state.throttled == 2

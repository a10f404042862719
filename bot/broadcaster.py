"""Sends many messages within Telegram's limits: ~25 messages/s overall, 1/s per chat.

429 answers are honoured (`retry_after`, then the message is retried), network errors retried with backoff,
and a chat that blocked the bot (403) is reported through `on_blocked` so it is skipped from then on.
`send_all(..., on_outcome=...)` hears of each message as soon as it is settled (the outbox records it at once).
"""

from __future__ import annotations

import asyncio
import logging
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from aiogram import Bot
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)

log = logging.getLogger(__name__)

Send = Callable[[Bot], Awaitable[Any]]
OnOutcome = Callable[["Outgoing", "Outcome"], Awaitable[None]]


@dataclass(slots=True)
class Outgoing:
    chat_id: int
    send: Send
    key: str = ""  # caller's label, returned in the outcome


@dataclass(slots=True)
class Outcome:
    chat_id: int
    key: str
    status: str  # sent | blocked | failed
    error: str | None = None
    result: Any = None  # what `send` returned (a Message...), when sent
    retryable: bool = False  # failed on 429 or network trouble: worth another try later


@dataclass
class BroadcastReport:
    outcomes: list[Outcome] = field(default_factory=list)
    elapsed: float = 0.0
    retries_429: int = 0

    def count(self, status: str) -> int:
        return sum(1 for outcome in self.outcomes if outcome.status == status)


class Broadcaster:
    def __init__(
        self, bot: Bot, *, global_rate: float = 25.0, per_chat_interval: float = 1.0, workers: int = 16,
        max_attempts: int = 5, on_blocked: Callable[[int], Awaitable[None]] | None = None,
    ) -> None:
        self.bot = bot
        self.global_interval = 1.0 / global_rate
        # A little over the limit's interval: our clock and Telegram's are not the same, requests take time.
        self.per_chat_interval = per_chat_interval * 1.05
        self.workers = workers
        self.max_attempts = max_attempts
        self.on_blocked = on_blocked
        self._next_global = 0.0
        self._global_lock = asyncio.Lock()
        self._chat_next: dict[int, float] = {}
        self._chat_locks: dict[int, asyncio.Lock] = {}

    async def _pace(self, chat_id: int) -> None:
        async with self._global_lock:
            now = time.monotonic()
            wait = max(0.0, self._next_global - now, self._chat_next.get(chat_id, 0.0) - now)
            self._next_global = max(now, self._next_global) + self.global_interval
        if wait:
            await asyncio.sleep(wait)

    async def _deliver(self, item: Outgoing, report: BroadcastReport) -> Outcome:
        lock = self._chat_locks.setdefault(item.chat_id, asyncio.Lock())
        async with lock:  # one chat's messages go out in order, at most one per interval
            attempt = 1
            while True:
                await self._pace(item.chat_id)
                self._chat_next[item.chat_id] = time.monotonic() + self.per_chat_interval
                try:
                    return Outcome(item.chat_id, item.key, "sent", result=await item.send(self.bot))
                except TelegramRetryAfter as error:
                    report.retries_429 += 1
                    self._chat_next[item.chat_id] = time.monotonic() + error.retry_after
                    if attempt >= self.max_attempts:
                        return Outcome(item.chat_id, item.key, "failed", str(error), retryable=True)
                except TelegramForbiddenError as error:
                    if self.on_blocked is not None:
                        await self.on_blocked(item.chat_id)
                    return Outcome(item.chat_id, item.key, "blocked", str(error))
                except TelegramBadRequest as error:  # permanent: chat not found, bad markup…
                    return Outcome(item.chat_id, item.key, "failed", str(error))
                except (TelegramNetworkError, TelegramServerError) as error:
                    if attempt >= self.max_attempts:
                        return Outcome(item.chat_id, item.key, "failed", str(error), retryable=True)
                    await asyncio.sleep(random.uniform(0, min(30.0, 0.5 * 2 ** attempt)))
                attempt += 1

    async def send_all(self, items: list[Outgoing], *, on_outcome: OnOutcome | None = None) -> BroadcastReport:
        report = BroadcastReport()
        started = time.monotonic()
        queue: asyncio.Queue[Outgoing] = asyncio.Queue()
        for item in items:
            queue.put_nowait(item)

        async def worker() -> None:
            while True:
                try:
                    item = queue.get_nowait()
                except asyncio.QueueEmpty:
                    return
                try:
                    outcome = await self._deliver(item, report)
                except Exception as error:  # one bad message must not stop the rest
                    log.exception("broadcast to %s failed", item.chat_id)
                    outcome = Outcome(item.chat_id, item.key, "failed", repr(error), retryable=True)
                report.outcomes.append(outcome)
                if on_outcome is not None:
                    try:
                        await on_outcome(item, outcome)
                    except Exception:
                        log.exception("recording the outcome for %s failed", item.chat_id)

        await asyncio.gather(*(worker() for _ in range(min(self.workers, max(1, len(items))))))
        report.elapsed = time.monotonic() - started
        return report

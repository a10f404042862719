"""Transient database errors (a lock held by another writer, a serialization conflict) and the pool's capacity.

A transaction that fails with one of these may simply be run again a little later; the update middleware and the
sync's transactions do so with backoff (`retry_transient`), and tell the user the bot is busy if it keeps failing."""

from __future__ import annotations

import asyncio
import logging
import random
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

T = TypeVar("T")
log = logging.getLogger(__name__)

_SQLITE_MARKERS = ("database is locked", "database table is locked", "database is busy", "sqlite_busy")
_PG_SQLSTATES = {"40001", "40P01", "55P03"}  # serialization failure, deadlock detected, lock not available
_PG_NAMES = ("SerializationError", "DeadlockDetectedError", "LockNotAvailableError")


def is_transient_db_error(error: BaseException) -> bool:
    """True for a lock or serialization error that another attempt may not meet (and a pool that was full)."""
    if isinstance(error, PoolTimeoutError):
        return True
    if not isinstance(error, DBAPIError):
        return False
    original: Any = error.orig
    text = str(original).lower()
    if any(marker in text for marker in _SQLITE_MARKERS):
        return True
    for candidate in (original, getattr(original, "__cause__", None)):
        if candidate is None:
            continue
        if getattr(candidate, "sqlstate", None) in _PG_SQLSTATES or getattr(candidate, "pgcode", None) in _PG_SQLSTATES:
            return True
        if type(candidate).__name__ in _PG_NAMES:
            return True
    return False


def pool_capacity(session_factory: async_sessionmaker[AsyncSession], default: int = 10) -> int:
    """How many sessions may hold a connection at once: the pool's size plus its overflow."""
    bind: Any = session_factory.kw.get("bind")
    pool = getattr(getattr(bind, "sync_engine", None), "pool", None)
    size = getattr(pool, "size", None)
    if pool is None or not callable(size):
        return default
    overflow = getattr(pool, "_max_overflow", 0) or 0
    total = int(size()) + max(0, int(overflow))
    return max(1, total)


async def retry_transient(action: Callable[[], Awaitable[T]], *, attempts: int = 4, backoff: float = 0.5,
                          what: str = "transaction") -> T:
    """Runs `action` (one whole transaction) again with jittered backoff while it fails transiently."""
    for attempt in range(1, attempts + 1):
        try:
            return await action()
        except Exception as error:
            if attempt >= attempts or not is_transient_db_error(error):
                raise
            delay = backoff * 2 ** (attempt - 1) * (1 + random.random() / 2)
            log.warning("%s hit a transient database error (%s), retry %d in %.1fs",
                        what, type(error).__name__, attempt, delay)
            await asyncio.sleep(delay)
    raise AssertionError("unreachable")  # pragma: no cover

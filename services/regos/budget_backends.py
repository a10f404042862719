"""Where a REGOS key's shared budget lives across processes: a ``regos_budgets`` row, or a Redis hash.

Both take a token atomically (a conditional ``UPDATE`` — one statement, so SQLite and PostgreSQL serialise it —
or a Lua script), using wall-clock seconds so processes on one host (or hosts with synced clocks) agree.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import case, literal, select, update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.pool import NullPool

from db.regos_data import RegosBudget

from .budget import BudgetState, MemoryBackend, _wait_for, utc_from_unix

logger = logging.getLogger(__name__)

_SQLITE_LOCK_WAIT = 0.25  # seconds a budget take waits for SQLite's write lock before using memory


class DatabaseBackend:
    """The bucket as a row of ``regos_budgets`` (revision 0014)."""

    name = "database"

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self._fallback = MemoryBackend()
        self.fallbacks = 0  # takes served by this process's memory because the database was write-locked
        self._sqlite = engine.dialect.name == "sqlite"
        if self._sqlite:
            # SQLite locks the whole file for a write: a caller that calls REGOS inside its own open write
            # transaction would wait for itself. The budget has its own connections with a short busy timeout and
            # falls back to this process's memory for a call when the file stays locked.
            own = create_async_engine(engine.url, connect_args={"timeout": _SQLITE_LOCK_WAIT}, poolclass=NullPool)
            self.engine = own
        self._sessions = async_sessionmaker(self.engine, expire_on_commit=False, autoflush=False,
                                            class_=AsyncSession)

    async def take(self, digest: str, now: float, rate: float, burst: int, floor: float) -> float:
        if not self._sqlite:
            return await self._take(digest, now, rate, burst, floor)
        try:
            return await self._take(digest, now, rate, burst, floor)
        except OperationalError as error:
            if "locked" not in str(error).lower() and "busy" not in str(error).lower():
                raise
            self.fallbacks += 1
            return await self._fallback.take(digest, now, rate, burst, floor)

    async def _take(self, digest: str, now: float, rate: float, burst: int, floor: float) -> float:
        refilled = RegosBudget.tokens + (literal(now) - RegosBudget.updated) * literal(rate)
        level = case((refilled > literal(float(burst)), literal(float(burst))), else_=refilled)
        for _ in range(3):
            async with self._sessions.begin() as db:
                taken = await db.execute(
                    update(RegosBudget)
                    .where(RegosBudget.key_digest == digest, RegosBudget.blocked_until <= now,
                           level >= literal(floor + 1.0))
                    .values(tokens=level - 1.0, updated=now)
                    .execution_options(synchronize_session=False)
                )
                if getattr(taken, "rowcount", 0) == 1:
                    return 0.0
                row = (await db.execute(
                    select(RegosBudget.tokens, RegosBudget.updated, RegosBudget.blocked_until)
                    .where(RegosBudget.key_digest == digest)
                )).one_or_none()
                if row is not None:
                    return _wait_for(float(row[0]), float(row[1]), float(row[2]), now, rate, burst, floor)
            try:
                async with self._sessions.begin() as db:
                    db.add(RegosBudget(key_digest=digest, tokens=float(burst) - 1.0, updated=now,
                                       blocked_until=0.0, throttled=0))
                return 0.0
            except IntegrityError:
                continue  # another process made the row first: take from it
        return 0.5

    async def block(self, digest: str, now: float, until: float) -> None:
        await self._fallback.block(digest, now, until)
        try:
            async with self._sessions.begin() as db:
                done = await db.execute(
                    update(RegosBudget).where(RegosBudget.key_digest == digest).values(
                        tokens=0.0, updated=now,
                        blocked_until=case((RegosBudget.blocked_until > until, RegosBudget.blocked_until),
                                           else_=literal(until)),
                        throttled=RegosBudget.throttled + 1, last_throttled_at=utc_from_unix(now),
                    ).execution_options(synchronize_session=False)
                )
                if getattr(done, "rowcount", 0) == 0:
                    db.add(RegosBudget(key_digest=digest, tokens=0.0, updated=now, blocked_until=until,
                                       throttled=1, last_throttled_at=utc_from_unix(now)))
        except Exception:  # the pause is advice; a locked database must not fail the call that saw 8213
            logger.warning("REGOS budget: could not record the 8213 pause", exc_info=True)

    async def state(self, digest: str) -> BudgetState | None:
        async with self._sessions() as db:
            row = await db.get(RegosBudget, digest)
            if row is None:
                return None
            return BudgetState(row.tokens, row.updated, row.blocked_until, row.throttled)


_TAKE = """
local tokens = tonumber(redis.call('HGET', KEYS[1], 'tokens') or ARGV[3])
local updated = tonumber(redis.call('HGET', KEYS[1], 'updated') or ARGV[1])
local blocked = tonumber(redis.call('HGET', KEYS[1], 'blocked_until') or '0')
local now, rate, burst, floor = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local elapsed = now - updated
if elapsed < 0 then elapsed = 0 end
local level = math.min(burst, tokens + elapsed * rate)
if now >= blocked and level >= floor + 1 then
  redis.call('HSET', KEYS[1], 'tokens', tostring(level - 1), 'updated', tostring(math.max(now, updated)))
  redis.call('EXPIRE', KEYS[1], 86400)
  return 'ok'
end
return tostring(tokens) .. ' ' .. tostring(updated) .. ' ' .. tostring(blocked)
"""

_BLOCK = """
local blocked = tonumber(redis.call('HGET', KEYS[1], 'blocked_until') or '0')
local until_ = tonumber(ARGV[2])
if blocked > until_ then until_ = blocked end
redis.call('HSET', KEYS[1], 'tokens', '0', 'updated', ARGV[1], 'blocked_until', tostring(until_))
redis.call('HINCRBY', KEYS[1], 'throttled', 1)
redis.call('EXPIRE', KEYS[1], 86400)
return 'ok'
"""


class RedisBackend:
    """The bucket as a Redis hash ``smartsavdo:regos-budget:<digest>`` (when ``REDIS_URL`` is set)."""

    name = "redis"

    def __init__(self, url: str, *, client: Any = None) -> None:
        from redis.asyncio import Redis

        self.url = url
        self._redis: Any = client or Redis.from_url(url)
        self._take = self._redis.register_script(_TAKE)
        self._block = self._redis.register_script(_BLOCK)

    @staticmethod
    def _key(digest: str) -> str:
        return f"smartsavdo:regos-budget:{digest}"

    async def take(self, digest: str, now: float, rate: float, burst: int, floor: float) -> float:
        answer = await self._take(keys=[self._key(digest)], args=[repr(now), repr(rate), str(burst), repr(floor)])
        text = answer.decode() if isinstance(answer, bytes) else str(answer)
        if text == "ok":
            return 0.0
        tokens, updated, blocked = (float(part) for part in text.split())
        return _wait_for(tokens, updated, blocked, now, rate, burst, floor)

    async def block(self, digest: str, now: float, until: float) -> None:
        try:
            await self._block(keys=[self._key(digest)], args=[repr(now), repr(until)])
        except Exception:
            logger.warning("REGOS budget: could not record the 8213 pause in Redis", exc_info=True)

    async def state(self, digest: str) -> BudgetState | None:
        raw = await self._redis.hgetall(self._key(digest))
        if not raw:
            return None
        values = {(k.decode() if isinstance(k, bytes) else k): float(v) for k, v in raw.items()}
        return BudgetState(values.get("tokens", 0.0), values.get("updated", 0.0), values.get("blocked_until", 0.0),
                           int(values.get("throttled", 0)))

    async def aclose(self) -> None:
        await self._redis.aclose()

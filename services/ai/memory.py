"""Where the assistant keeps what must survive a restart and be shared by replicas: the last turns of each
conversation (so "and yesterday?" works) and the model's answers used per company per day (the quota).

`DbStore` keeps them in the database, in the caller's transaction (`ai_turns`, `ai_usage`); `RedisStore` keeps them
in Redis when `REDIS_URL` is set (a list per conversation with a time to live, a counter per company and day);
`MemoryStore` keeps them in the process (tests, benchmarks). A turn older than `TURN_TTL` is no longer context.
"""

from __future__ import annotations

import json
from collections import defaultdict, deque
from datetime import date, datetime, timedelta
from importlib import import_module
from typing import Any, Protocol

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from db.assistant import AiTurn, AiUsage
from db.base import utcnow

MAX_TURNS = 6  # question/answer pairs kept per conversation
TURN_TTL = timedelta(hours=2)


class Store(Protocol):
    async def history(self, company_id: int, telegram_id: int) -> list[dict[str, Any]]:
        """The kept turns, oldest first: {"role": "user" | "assistant", "content": ..., "meta": {...}}."""

    async def remember(self, company_id: int, telegram_id: int, question: str, answer: str,
                       meta: dict[str, Any] | None = None) -> None: ...

    async def take(self, company_id: int, day: date, quota: int) -> bool:
        """Count one model answer for the company's day; False (and nothing counted) once the quota is spent."""


class MemoryStore:
    def __init__(self) -> None:
        self.turns: dict[tuple[int, int], deque[tuple[datetime, dict[str, Any]]]] = defaultdict(
            lambda: deque(maxlen=MAX_TURNS * 2))
        self.used: dict[tuple[int, date], int] = {}

    async def history(self, company_id: int, telegram_id: int) -> list[dict[str, Any]]:
        fresh = utcnow() - TURN_TTL
        return [turn for at, turn in self.turns.get((company_id, telegram_id), ()) if at >= fresh]

    async def remember(self, company_id: int, telegram_id: int, question: str, answer: str,
                       meta: dict[str, Any] | None = None) -> None:
        now = utcnow()
        kept = self.turns[(company_id, telegram_id)]
        kept.append((now, {"role": "user", "content": question, "meta": {}}))
        kept.append((now, {"role": "assistant", "content": answer, "meta": meta or {}}))

    async def take(self, company_id: int, day: date, quota: int) -> bool:
        used = self.used.get((company_id, day), 0)
        if used >= quota:
            return False
        self.used[(company_id, day)] = used + 1
        return True


class DbStore:
    """In the caller's session: a rolled-back update neither counts nor remembers."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def history(self, company_id: int, telegram_id: int) -> list[dict[str, Any]]:
        rows = (await self.session.scalars(
            select(AiTurn).where(AiTurn.company_id == company_id, AiTurn.telegram_id == telegram_id,
                                 AiTurn.created_at >= utcnow() - TURN_TTL)
            .order_by(AiTurn.id.desc()).limit(MAX_TURNS * 2))).all()
        return [{"role": row.role, "content": row.content, "meta": dict(row.meta or {})} for row in reversed(rows)]

    async def remember(self, company_id: int, telegram_id: int, question: str, answer: str,
                       meta: dict[str, Any] | None = None) -> None:
        self.session.add_all([
            AiTurn(company_id=company_id, telegram_id=telegram_id, role="user", content=question, meta={}),
            AiTurn(company_id=company_id, telegram_id=telegram_id, role="assistant", content=answer,
                   meta=meta or {})])
        await self.session.flush()
        keep = select(AiTurn.id).where(AiTurn.company_id == company_id, AiTurn.telegram_id == telegram_id) \
            .order_by(AiTurn.id.desc()).limit(MAX_TURNS * 2)
        await self.session.execute(delete(AiTurn).where(
            AiTurn.company_id == company_id, AiTurn.telegram_id == telegram_id,
            AiTurn.id.not_in(keep.scalar_subquery())).execution_options(synchronize_session=False))

    async def take(self, company_id: int, day: date, quota: int) -> bool:
        if quota <= 0:
            return False
        dialect = "postgresql" if self.session.get_bind().dialect.name == "postgresql" else "sqlite"
        insert: Any = import_module(f"sqlalchemy.dialects.{dialect}").insert  # loads only the dialect in use
        await self.session.execute(insert(AiUsage).values(company_id=company_id, day=day, used=0)
                                   .on_conflict_do_nothing(index_elements=["company_id", "day"]))
        counted = await self.session.execute(  # one conditional update: two replicas never both take the last one
            update(AiUsage).where(AiUsage.company_id == company_id, AiUsage.day == day, AiUsage.used < quota)
            .values(used=AiUsage.used + 1).execution_options(synchronize_session=False))
        return bool(getattr(counted, "rowcount", 0))


class RedisStore:
    def __init__(self, redis: Any, prefix: str = "smartsavdo:ai") -> None:
        self.redis = redis
        self.prefix = prefix

    def _turns_key(self, company_id: int, telegram_id: int) -> str:
        return f"{self.prefix}:turns:{company_id}:{telegram_id}"

    async def history(self, company_id: int, telegram_id: int) -> list[dict[str, Any]]:
        raw = await self.redis.lrange(self._turns_key(company_id, telegram_id), 0, -1)
        return [json.loads(item) for item in raw]

    async def remember(self, company_id: int, telegram_id: int, question: str, answer: str,
                       meta: dict[str, Any] | None = None) -> None:
        key = self._turns_key(company_id, telegram_id)
        turns = [json.dumps({"role": "user", "content": question, "meta": {}}, ensure_ascii=False),
                 json.dumps({"role": "assistant", "content": answer, "meta": meta or {}}, ensure_ascii=False,
                            default=str)]
        async with self.redis.pipeline(transaction=True) as pipe:
            pipe.rpush(key, *turns)
            pipe.ltrim(key, -MAX_TURNS * 2, -1)
            pipe.expire(key, int(TURN_TTL.total_seconds()))
            await pipe.execute()

    async def take(self, company_id: int, day: date, quota: int) -> bool:
        if quota <= 0:
            return False
        key = f"{self.prefix}:used:{company_id}:{day.isoformat()}"
        used = int(await self.redis.incr(key))
        if used == 1:
            await self.redis.expire(key, 3 * 86400)
        if used > quota:
            await self.redis.decr(key)
            return False
        return True

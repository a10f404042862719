"""The assistant's persisted state: conversation turns and the daily model quota in the database (they survive a
new session, as after a restart or on another replica; two sessions never both take the last answer of the quota),
trimmed to the last turns; the in-process store behaves the same."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.assistant import AiTurn
from services.ai.memory import MAX_TURNS, DbStore, MemoryStore
from tests.helpers import create_company

DAY = date(2026, 12, 2)


async def test_turns_and_quota_survive_sessions(session_factory: async_sessionmaker[AsyncSession]) -> None:
    async with session_factory() as session:
        company = await create_company(session, name="Baraka")
        other = await create_company(session, name="Other", tin="305000009")
        await session.commit()
    async with session_factory() as session:
        store = DbStore(session)
        for n in range(MAX_TURNS + 3):
            await store.remember(company.id, 5, f"q{n}", f"a{n}", {"tool": "sales_summary", "n": n})
        await session.commit()
    async with session_factory() as session:  # a new session: as after a restart
        history = await DbStore(session).history(company.id, 5)
        assert len(history) == MAX_TURNS * 2 and history[-1] == {"role": "assistant", "content": f"a{MAX_TURNS + 2}",
                                                                 "meta": {"tool": "sales_summary", "n": MAX_TURNS + 2}}
        assert await DbStore(session).history(other.id, 5) == []  # per company
        assert await session.scalar(select(func.count()).select_from(AiTurn)) == MAX_TURNS * 2

    async with session_factory() as first, session_factory() as second:
        assert await DbStore(first).take(company.id, DAY, 2)
        await first.commit()
        assert await DbStore(second).take(company.id, DAY, 2)
        await second.commit()
        assert not await DbStore(first).take(company.id, DAY, 2)  # spent, whichever session asks
        assert await DbStore(first).take(other.id, DAY, 2)
        assert await DbStore(first).take(company.id, date(2026, 12, 3), 2)  # a new day
        assert not await DbStore(first).take(company.id, DAY, 0)


async def test_memory_store() -> None:
    store = MemoryStore()
    assert await store.take(1, DAY, 1) and not await store.take(1, DAY, 1)
    await store.remember(1, 2, "q", "a", {"tool": "x"})
    assert [t["role"] for t in await store.history(1, 2)] == ["user", "assistant"]
    assert await store.history(2, 2) == []

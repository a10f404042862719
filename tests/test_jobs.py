"""Job claims: one winner per (job, scope, period), takeover of failed and stale claims."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.base import utcnow
from db.models import JobClaim
from services.jobs import finish_claim, try_claim


async def test_one_winner_among_concurrent_claims(session_factory: async_sessionmaker[AsyncSession]) -> None:
    results = await asyncio.gather(*(
        try_claim(session_factory, job="summary", scope="company:1", period="2026-11-22", owner=f"r{i}")
        for i in range(8)
    ))
    assert sum(result is not None for result in results) == 1
    async with session_factory() as session:
        assert await session.scalar(select(func.count()).select_from(JobClaim)) == 1


async def test_failed_and_stale_claims_are_taken_over(session_factory: async_sessionmaker[AsyncSession]) -> None:
    first = await try_claim(session_factory, job="j", scope="s", period="p", owner="a")
    assert first is not None
    assert await try_claim(session_factory, job="j", scope="s", period="p", owner="b") is None
    await finish_claim(session_factory, first, ok=False, error="boom")
    retried = await try_claim(session_factory, job="j", scope="s", period="p", owner="b")
    assert retried == first
    await finish_claim(session_factory, first, ok=True)
    assert await try_claim(session_factory, job="j", scope="s", period="p", owner="c") is None

    other = await try_claim(session_factory, job="j", scope="s", period="q", owner="a")
    assert other is not None
    async with session_factory() as session:
        await session.execute(update(JobClaim).where(JobClaim.id == other)
                              .values(claimed_at=utcnow() - timedelta(hours=2)))
        await session.commit()
    assert await try_claim(session_factory, job="j", scope="s", period="q", owner="d") == other

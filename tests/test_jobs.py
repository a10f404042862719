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


def test_every_feature_registers_its_jobs_and_the_scheduler_knows_none() -> None:
    import ast
    from pathlib import Path

    from bot.jobs import all_jobs

    jobs = all_jobs()
    assert [task.name for task in jobs.tasks] == [
        "regos_event_replay", "regos_sync_hourly", "regos_sync_nightly", "summary_daily", "summary_weekly",
        "summary_monthly", "summary_corrections", "approval_reminders", "approval_escalations", "cash_limit_alerts",
        "cash_regos_posting", "regos_details_backfill", "tax_reminders",
    ]  # per company in this order: replay, sync, then summaries, approvals and cash
    assert [job.name for job in jobs.intervals] == [
        "outbox_sweep", "outbox_prune", "sms_send", "sms_poll", "purchase_uploads_forget",
    ]
    source = ast.parse((Path(__file__).parents[1] / "bot" / "scheduler.py").read_text(encoding="utf-8"))
    imported = {node.module for node in ast.walk(source) if isinstance(node, ast.ImportFrom)}
    assert not {name for name in imported if name and (name.startswith("bot.jobs") or "summar" in name)}


async def test_spawned_work_is_awaited_and_failures_do_not_escape() -> None:
    from bot.background import BackgroundTasks

    background = BackgroundTasks()
    done: list[str] = []

    async def step(name: str, delay: float) -> None:
        await asyncio.sleep(delay)
        done.append(name)
        if name == "parent":
            background.spawn(step("child", 0.01), name="child")  # spawned while draining: awaited too

    async def boom() -> None:
        raise RuntimeError("logged, not raised")

    background.spawn(step("parent", 0.01), name="parent")
    background.spawn(boom(), name="boom")
    await background.drain()
    assert done == ["parent", "child"] and len(background) == 0

    stuck = background.spawn(asyncio.sleep(30), name="stuck")
    await background.drain(grace=0.05)  # shutdown does not wait forever
    assert stuck.cancelled()

"""Issue 10 against the fake REGOS with its real limit on (2/s, burst 50): the hostile fault level over several
days, and a sync killed with SIGKILL in the middle, then run again at once. Every figure is checked against the
fake generator's own ground truth; a day is never reported done while it is short."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from db.models import JobClaim
from sandbox.regos import FakeRegos
from services.regos import RateLimit, RegosClient, RetryPolicy
from services.sync import SyncOptions, sync_company
from services.sync.locks import DAY_JOB
from services.sync.results import DayStatus, SyncResult
from tests.helpers import FakeRegosFactory, create_company, database_url_for
from tests.sync_support import START, TamperingTransport, assert_books_match, connect, days_from, read_books

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.timeout(600)  # several paced runs against a hostile gateway
DAYS = days_from(START, 5)
# Short waits so the test runs in seconds; the 2/s pacing and the fake's limit stay as in production.
BOX_KEY = "sync-tests-secret-key-0123456789"  # what tests.sync_support.BOX was made with: the CLI decrypts the key
OPTIONS = SyncOptions(archive=False, refresh_stock_levels=False, fetch_details=False)
HOSTILE_RETRY = RetryPolicy(max_attempts=5, base_delay=0.05, max_delay=0.4, max_retry_after=2.5)


@pytest.fixture
async def fake(start_fake_regos: FakeRegosFactory) -> FakeRegos:
    return await start_fake_regos(seed=23, start_date=START, days=7, receipts_per_day=50)  # limit on


def short_days(result: SyncResult) -> set[object]:
    return {
        day.day for day in result.days
        if day.status in (DayStatus.FAILED, DayStatus.BUSY)
        or (day.reconciliation is not None and not day.reconciliation.matches)
    }


async def hostile_run(session_factory: async_sessionmaker[AsyncSession], fake: FakeRegos, company: int,
                      transport: httpx.AsyncBaseTransport | None = None) -> SyncResult:
    client = RegosClient(fake.default_key, base_url=fake.gateway_url, rate_limit=RateLimit(), retry=HOSTILE_RETRY,
                         timeout=1.0, transport=transport)
    try:
        return await sync_company(session_factory, company, date_from=DAYS[0], date_to=DAYS[-1], trigger="schedule",
                                  client=client, options=OPTIONS)
    finally:
        await client.aclose()


async def test_hostile_regos_days_end_exact_or_are_named_short_and_the_next_runs_finish_them(
    session_factory: async_sessionmaker[AsyncSession], fake: FakeRegos
) -> None:
    company = (await create_company(session_factory)).id
    await connect(session_factory, fake, company)
    fake.set_faults(level="hostile", hang_seconds=1.5, seed=3)
    history = []
    for _ in range(5):  # the scheduler's next runs, the faults still on
        result = await hostile_run(session_factory, fake, company)
        history.append(result)
        assert [day.day for day in result.days] == DAYS  # one failing call never stops the other days
        short = short_days(result)
        books = await read_books(session_factory, company, DAYS[0], DAYS[-1])
        # every day not named short is exact already
        assert_books_match([book for book in books if book.date not in short], fake.generator)
        if not short:
            assert result.ok
            break
        assert not result.ok and result.failure is not None  # a short run never says ok
    else:
        shorts = [sorted(map(str, short_days(run))) for run in history]
        pytest.fail(f"still short after {len(history)} hostile runs: {shorts}")
    faults = {entry.fault for entry in fake.request_log if entry.fault}
    assert len(faults) >= 3, faults  # the level really was hostile
    assert_books_match(await read_books(session_factory, company, DAYS[0], DAYS[-1]), fake.generator)


async def test_killed_sync_then_a_new_one_at_once_takes_over_and_ends_exact(
    engine: AsyncEngine, session_factory: async_sessionmaker[AsyncSession], fake: FakeRegos, tmp_path: Path
) -> None:
    company = (await create_company(session_factory)).id
    await connect(session_factory, fake, company)
    process = await sync_in_the_middle(engine, session_factory, fake, company, tmp_path)
    os.kill(process.pid, signal.SIGKILL)
    await process.wait()
    assert await running_claims(session_factory)  # the dead process left its claim behind
    fake.clear_faults()

    loop = asyncio.get_running_loop()
    started = loop.time()
    result = await hostile_run(session_factory, fake, company)
    assert loop.time() - started < 60
    assert result.ok and DayStatus.BUSY not in {day.status for day in result.days}, result
    assert_books_match(await read_books(session_factory, company, DAYS[0], DAYS[-1]), fake.generator)
    assert not await running_claims(session_factory)


async def running_claims(session_factory: async_sessionmaker[AsyncSession]) -> list[str]:
    async with session_factory() as session:
        rows = await session.scalars(select(JobClaim.owner).where(JobClaim.job == DAY_JOB,
                                                                     JobClaim.status == "running"))
        return list(rows)


async def test_late_receipts_on_days_an_interrupted_run_had_finished_are_picked_up_by_the_next_run(
    session_factory: async_sessionmaker[AsyncSession], fake: FakeRegos
) -> None:
    company = (await create_company(session_factory)).id
    await connect(session_factory, fake, company)
    headers = 0

    def outage_on_the_fourth_day(method: str) -> None:
        nonlocal headers
        if method == "DocCheque/Get":
            headers += 1
            if headers == 4:
                fake.set_down(True)

    first = await hostile_run(session_factory, fake, company, TamperingTransport(before=outage_on_the_fourth_day))
    assert not first.ok and DayStatus.FAILED in {day.status for day in first.days}
    finished = [day.day for day in first.days if day.status is DayStatus.OK]
    assert finished, first.days
    fake.set_down(False)
    late = [fake.add_receipt(finished[0], stock_id=stock) for stock in (1, 2, 3)]  # after that day was done
    assert all(receipt.amount > 0 for receipt in late)

    second = await hostile_run(session_factory, fake, company)  # the next scheduled run, same window
    assert second.ok, second
    assert_books_match(await read_books(session_factory, company, DAYS[0], DAYS[-1]), fake.generator)


async def test_sigterm_mid_sync_releases_the_claims(
    engine: AsyncEngine, session_factory: async_sessionmaker[AsyncSession], fake: FakeRegos, tmp_path: Path
) -> None:
    company = (await create_company(session_factory)).id
    await connect(session_factory, fake, company)
    process = await sync_in_the_middle(engine, session_factory, fake, company, tmp_path)
    process.send_signal(signal.SIGTERM)
    assert await asyncio.wait_for(process.wait(), timeout=30) == 143
    assert not await running_claims(session_factory)  # released on the way out, not left for the stale limit
    fake.clear_faults()
    result = await hostile_run(session_factory, fake, company)
    assert result.ok and DayStatus.BUSY not in {day.status for day in result.days}
    assert_books_match(await read_books(session_factory, company, DAYS[0], DAYS[-1]), fake.generator)


async def sync_in_the_middle(engine: AsyncEngine, session_factory: async_sessionmaker[AsyncSession],
                             fake: FakeRegos, company: int, tmp_path: Path) -> asyncio.subprocess.Process:
    """`python -m bot sync regos` in its own process, returned once it holds a day claim."""
    fake.set_faults(rate_slow=0.5, slow_seconds=0.6, seed=9)  # a long sync, to stop in the middle
    env = {
        "PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), "DATABASE_URL": database_url_for(engine),
        "SECRET_KEY": BOX_KEY, "LOG_LEVEL": "WARNING",
    }
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "sync", "regos", "--company", str(company), "--from", DAYS[0].isoformat(),
        "--to", DAYS[-1].isoformat(), "--archive-dir", str(tmp_path / "archive"), cwd=tmp_path, env=env,
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
    )
    try:
        async with asyncio.timeout(60):
            while not await running_claims(session_factory):
                await asyncio.sleep(0.1)
    except BaseException:
        process.kill()
        await process.wait()
        raise
    return process

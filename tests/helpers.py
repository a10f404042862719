"""What the tests share (no tests here, and no fixtures: those are in conftest.py and use these).

- a migrated database for a backend, and its URL for a subprocess or the bot's settings;
- the clock: `at_local` (a wall-clock time in the company's zone as the UTC instant the code is given),
  `local_today`, and `FrozenClock` (a monotonic clock that moves only when told);
- `create_company`: a company with its tax regime, and if asked an owner and branches; `add_member`;
- `FakeRegosFactory`: starts fake REGOS gateways (sandbox/regos) and stops them all; the rate limit is on by
  default, 2 requests/s with a burst of 50, as on the real gateway;
- `free_port` for servers a test starts itself.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from db.base import utcnow
from db.engine import create_engine
from db.migrate import upgrade
from db.models import Branch, Company, Membership, Role, TaxRegime, User
from sandbox.regos import FakeRegos
from services import companies
from services.users import TelegramIdentity, get_or_create_user

# -- the database ---------------------------------------------------------------------------------------------------

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")
BACKENDS = ["sqlite", *(["postgresql"] if TEST_DATABASE_URL else [])]


def _postgres_url() -> str:
    """The test database; under pytest-xdist each worker gets its own (`test_gw0`, ...), created on first use."""
    assert TEST_DATABASE_URL
    url = _postgres_url_of(TEST_DATABASE_URL)
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker:
        parsed = make_url(url)
        url = parsed.set(database=f"{parsed.database}_{worker}").render_as_string(hide_password=False)
    return url


_databases_made: set[str] = set()


async def _ensure_postgres_database(url: str) -> None:
    """Creates the worker's database next to TEST_DATABASE_URL's when it does not exist yet."""
    target = make_url(url)
    if not os.environ.get("PYTEST_XDIST_WORKER") or target.database in _databases_made:
        return
    assert TEST_DATABASE_URL and target.database
    base = create_engine(_postgres_url_of(TEST_DATABASE_URL))
    try:
        async with base.connect() as connection:
            connection = await connection.execution_options(isolation_level="AUTOCOMMIT")
            found = await connection.scalar(text("SELECT 1 FROM pg_database WHERE datname = :name"),
                                            {"name": target.database})
            if not found:
                await connection.execute(text(f'CREATE DATABASE "{target.database}"'))
    finally:
        await base.dispose()
    _databases_made.add(target.database)


def _postgres_url_of(url: str) -> str:
    return "postgresql+asyncpg://" + url.removeprefix("postgresql://") if url.startswith("postgresql://") else url


async def _reset_postgres(engine: AsyncEngine) -> None:
    async with engine.begin() as connection:
        await connection.execute(text("DROP SCHEMA public CASCADE"))
        await connection.execute(text("CREATE SCHEMA public"))


async def make_migrated_engine(backend: str, tmp_path: Path) -> AsyncEngine:
    if backend == "postgresql":
        url = _postgres_url()
        await _ensure_postgres_database(url)
        engine = create_engine(url)
        await _reset_postgres(engine)
    else:
        engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'test.db'}")
    await upgrade(engine)
    return engine


def database_url_for(engine: AsyncEngine) -> str:
    return engine.url.render_as_string(hide_password=False)


# -- the clock ------------------------------------------------------------------------------------------------------

TASHKENT = "Asia/Tashkent"  # the default company zone, UTC+5 all year


def at_local(day: date, hour: int = 0, minute: int = 0, *, zone: str = TASHKENT) -> datetime:
    """The UTC instant that is `hour:minute` on `day` in the company's time zone: what a scheduler is given."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=ZoneInfo(zone)).astimezone(UTC)


def local_today(zone: str = TASHKENT) -> date:
    """Today's calendar day in the company's time zone (the business day the bot counts)."""
    return utcnow().astimezone(ZoneInfo(zone)).date()


class FrozenClock:
    """A monotonic clock (seconds) that stands still until a test moves it: give it as `clock=`."""

    def __init__(self, start: float = 100.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


# -- companies and people -------------------------------------------------------------------------------------------


async def add_member(session: AsyncSession, company_id: int, telegram_id: int, role: Role, *,
                     language: str = "en", first_name: str = "User", branch_ids: Sequence[int] = ()) -> User:
    """A person in the company with a role (and branches), the company active for them. Flushed, not committed."""
    user = await get_or_create_user(session, TelegramIdentity(telegram_id, first_name, None, language))
    user.language = language
    user.active_company_id = company_id
    membership = Membership(user_id=user.id, company_id=company_id, role=role.value)
    if branch_ids:
        membership.branches = [await session.get_one(Branch, branch_id) for branch_id in branch_ids]
    session.add(membership)
    await session.flush()
    return user


async def create_company(
    target: AsyncSession | async_sessionmaker[AsyncSession],
    *,
    name: str = "Oila Market",
    tin: str = "305123456",
    regime: TaxRegime = TaxRegime.TURNOVER,
    timezone: str = TASHKENT,
    owner: int | None = None,
    owner_name: str = "Owner",
    owner_language: str = "en",
    branches: Sequence[str] = (),
) -> Company:
    """A company as `services.companies` makes it (tax regime, audit row), with an owner (a Telegram id) and
    branches when asked. Given a session it only flushes; given a session factory it commits."""
    if not isinstance(target, AsyncSession):
        async with target() as session:
            company = await create_company(session, name=name, tin=tin, regime=regime, timezone=timezone, owner=owner,
                                           owner_name=owner_name, owner_language=owner_language, branches=branches)
            await session.commit()
            return company
    session = target
    owner_user = None
    if owner is not None:
        owner_user = await get_or_create_user(session, TelegramIdentity(owner, owner_name, None, owner_language))
        owner_user.language = owner_language
    company = await companies.create_company(session, name=name, tin=tin, timezone=timezone, regime=regime,
                                             owner=owner_user)
    session.add_all(Branch(company_id=company.id, name=branch_name) for branch_name in branches)
    await session.flush()
    return company


# -- the fake REGOS gateway -----------------------------------------------------------------------------------------


class FakeRegosFactory:
    """Starts fake REGOS gateways on free ports; `stop_all()` stops every one (the `start_fake_regos` fixture
    does). The rate limit is on unless a test turns it off, at the real gateway's 2 requests/s and burst 50."""

    def __init__(self) -> None:
        self.started: list[FakeRegos] = []

    async def __call__(
        self,
        seed: int,
        *,
        rate_limit: bool = True,
        rate: float = 2.0,
        burst: int = 50,
        faults: Mapping[str, Any] | None = None,
        down: bool = False,
        **options: Any,
    ) -> FakeRegos:
        """`options` go to `FakeRegos` (start_date, days, receipts_per_day, keys, clock, webhook_*...); `faults`
        to `set_faults()`, e.g. `{"schedule": ["429", "500"], "retry_after": 2}`; `down` starts it in an outage."""
        fake = FakeRegos(seed=seed, rate_limit=rate_limit, rate=rate, burst=burst, **options)
        if faults:
            fake.set_faults(**faults)
        if down:
            fake.set_down(True)
        await fake.start()
        self.started.append(fake)
        return fake

    async def stop_all(self) -> None:
        while self.started:
            await self.started.pop().stop()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])

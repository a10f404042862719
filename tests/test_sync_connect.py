"""Connecting a company to REGOS: good key, rejected key, missing rights, unreachable gateway; branches made
from stocks (an owner's existing branch adopted, an owner's name kept); REGOS users mapped to employees."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.models import AuditLog, Branch, Employee
from db.regos_data import RegosConnection, Till
from sandbox.regos import FakeRegos
from services.errors import NotFound
from services.regos import KeyBudget, RateLimit
from services.sync import (
    RegosNotConnected,
    RegosProblem,
    SyncOptions,
    connect_company,
    disconnect,
    get_client,
    map_employee,
    rename_branch,
    shared_bucket,
    sync_company,
)
from tests.helpers import FakeRegosFactory, create_company, free_port
from tests.sync_support import BOX, START, client_factory, connect, fast_client, read_books

BAD_KEY = "0" * 32
DENIED_KEY = "d" * 32
NO_SALES_KEY = "e" * 32


@pytest.fixture
async def fake(start_fake_regos: FakeRegosFactory) -> FakeRegos:
    server = await start_fake_regos(seed=31, start_date=START, days=3, receipts_per_day=30)
    server.add_key(DENIED_KEY, denied_methods=["Stock/Get"])
    server.add_key(NO_SALES_KEY, denied_methods=["DocCheque/Get"])
    return server


async def try_connect(
    session_factory: async_sessionmaker[AsyncSession], company_id: int, key: str, gateway: str
) -> object:
    async with session_factory() as session:
        outcome = await connect_company(
            session, company_id=company_id, integration_key=key, gateway_url=gateway, secret_box=BOX,
            client_factory=client_factory(timeout=1.0),
        )
        await session.commit()
        return outcome


async def connection_rows(session_factory: async_sessionmaker[AsyncSession]) -> list[RegosConnection]:
    async with session_factory() as session:
        return list((await session.execute(select(RegosConnection))).scalars())


async def test_good_key_stores_the_connection_and_makes_branches(
    session_factory: async_sessionmaker[AsyncSession], fake: FakeRegos
) -> None:
    company_id = (await create_company(session_factory)).id
    # The owner made one branch before connecting; REGOS calls that stock "Chilonzor filiali".
    async with session_factory.begin() as session:
        session.add(Branch(company_id=company_id, name="Chilonzor"))
    outcome = await connect(session_factory, fake, company_id)
    assert (outcome.branches_found, outcome.branches_created, outcome.branches_adopted) == (3, 2, 1)
    assert outcome.tills_found == 6 and outcome.employees_created == len(fake.generator.users)
    assert outcome.key_prefix == fake.default_key[:4]
    [connection] = await connection_rows(session_factory)
    assert fake.default_key not in connection.key_encrypted
    assert BOX.decrypt(connection.key_encrypted) == fake.default_key
    assert connection.status == "ok" and len(connection.webhook_secret) >= 24
    async with session_factory() as session:
        branches = {b.regos_stock_id: b.name for b in (await session.execute(select(Branch))).scalars()}
        tills = list((await session.execute(select(Till))).scalars())
        employees = {e.regos_user_id: e for e in (await session.execute(select(Employee))).scalars()}
        audit = [a.action for a in (await session.execute(select(AuditLog))).scalars()]
    assert branches == {1: "Chilonzor", 2: "Yunusobod filiali", 3: "Sergeli 24/7"}
    assert len(tills) == 6 and all(t.branch_id is not None for t in tills)
    assert set(employees) == {u.id for u in fake.generator.users}
    assert employees[1].full_name == fake.generator.users[0].full_name
    assert "regos.connected" in audit

    # Connecting again (a new key for the same company) keeps the webhook secret and makes nothing twice.
    secret = connection.webhook_secret
    again = await connect(session_factory, fake, company_id)
    assert (again.branches_created, again.employees_created) == (0, 0)
    [connection] = await connection_rows(session_factory)
    assert connection.webhook_secret == secret


@pytest.mark.parametrize(
    ("key", "problem", "method", "code"),
    [
        (BAD_KEY, RegosProblem.KEY_REJECTED, "CurrentTimeStamp/Get", 9002),
        (DENIED_KEY, RegosProblem.NO_RIGHTS, "Stock/Get", 1007),
        (NO_SALES_KEY, RegosProblem.NO_RIGHTS, "DocCheque/Get", 1007),
        ("two words", RegosProblem.KEY_MALFORMED, None, None),
        ("   ", RegosProblem.KEY_MALFORMED, None, None),
    ],
)
async def test_a_key_that_cannot_be_used_changes_nothing(
    session_factory: async_sessionmaker[AsyncSession],
    fake: FakeRegos,
    key: str,
    problem: RegosProblem,
    method: str | None,
    code: int | None,
) -> None:
    company_id = (await create_company(session_factory)).id
    outcome = await try_connect(session_factory, company_id, key, fake.gateway_url)
    assert (outcome.ok, outcome.problem, outcome.failed_method, outcome.error_code) == (  # type: ignore[attr-defined]
        False, problem, method, code
    )
    assert await connection_rows(session_factory) == []
    async with session_factory() as session:
        assert list((await session.execute(select(Branch))).scalars()) == []


async def test_unreachable_gateway(session_factory: async_sessionmaker[AsyncSession]) -> None:
    company_id = (await create_company(session_factory)).id
    port = free_port()  # closed again: nothing listens there
    outcome = await try_connect(session_factory, company_id, "a" * 32, f"http://127.0.0.1:{port}/gateway/out")
    assert outcome.problem is RegosProblem.UNREACHABLE  # type: ignore[attr-defined]
    assert await connection_rows(session_factory) == []


async def test_owner_names_and_employee_mappings_survive_syncs(
    session_factory: async_sessionmaker[AsyncSession], fake: FakeRegos, tmp_path: Path
) -> None:
    company_id = (await create_company(session_factory)).id
    await connect(session_factory, fake, company_id)
    async with session_factory() as session:
        branch = (await session.execute(select(Branch).where(Branch.regos_stock_id == 2))).scalar_one()
        await rename_branch(session, company_id, branch.id, "  Yunusobod   markaz ")
        hired = Employee(company_id=company_id, full_name="Aziza Karimova", base_salary=3_000_000)
        session.add(hired)
        await session.flush()
        mapping = await map_employee(session, company_id, hired.id, 3)
        await session.commit()
        assert mapping.released_from is not None and mapping.released_from.active is False
        with pytest.raises(NotFound):
            await rename_branch(session, company_id + 1000, branch.id, "Elsewhere")
    client = fast_client(fake)
    result = await sync_company(
        session_factory, company_id, date_from=START, date_to=START, client=client, archive_dir=tmp_path,
        options=SyncOptions(refresh_stock_levels=False, fetch_details=False),
    )
    await client.aclose()
    assert result.ok
    [book] = await read_books(session_factory, company_id, START, START)
    assert [b.name for b in book.branches] == ["Chilonzor filiali", "Yunusobod markaz", "Sergeli 24/7"]
    async with session_factory() as session:
        holders = list((await session.execute(select(Employee).where(Employee.regos_user_id == 3))).scalars())
    assert [e.full_name for e in holders] == ["Aziza Karimova"]


async def test_clients_of_one_key_share_one_rate_limit(
    session_factory: async_sessionmaker[AsyncSession], fake: FakeRegos
) -> None:
    company_id = (await create_company(session_factory)).id
    async with session_factory() as session:
        with pytest.raises(RegosNotConnected):
            await get_client(session, company_id, BOX)
    await connect(session_factory, fake, company_id)
    async with session_factory() as session:
        first = await get_client(session, company_id, BOX)
        second = await get_client(session, company_id, BOX)
        unpaced = await get_client(session, company_id, BOX, rate_limit=RateLimit.disabled())
    # One budget for the key, kept in the database so other processes share it (Redis when REDIS_URL is set).
    assert first.bucket is not None and first.bucket is second.bucket
    assert isinstance(first.bucket, KeyBudget) and first.bucket.backend.name in ("database", "redis")
    assert shared_bucket(fake.default_key) is not first.bucket  # a client with no database shares memory only
    assert unpaced.bucket is None
    assert (await first.get_current_timestamp()).year >= 2025
    for client in (first, second, unpaced):
        await client.aclose()
    async with session_factory() as session:
        assert await disconnect(session, company_id)
        await session.commit()
        assert not await disconnect(session, company_id)
    assert await connection_rows(session_factory) == []

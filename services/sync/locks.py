"""Who may write a company's business day right now.

Two layers:

- A *day claim* (a ``JobClaim`` row ``regos-sync-day`` / ``company:N`` / ``YYYY-MM-DD``): the first sync of a day
  inserts it and wins; a second sync of the same day (another replica, a manual ``/sync`` during the scheduled
  one) finds it held and reports "busy". The holder refreshes ``claimed_at`` at every write, so the claim of a
  process that died goes stale and the next run takes it over.
- A *write lock* taken as the first statement of every transaction that writes a day's receipts or aggregates,
  so a webhook that upserts one receipt never interleaves with the sync writing the same rows: PostgreSQL gets a
  transaction-scoped advisory lock per company and day; SQLite has one writer anyway, and the first write
  statement takes its lock before we read what to insert.
"""

from __future__ import annotations

import hashlib
import os
import secrets
import socket
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from sqlalchemy import select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.base import utcnow
from db.models import JobClaim
from db.regos_data import RegosConnection

DAY_JOB = "regos-sync-day"
DEFAULT_STALE_AFTER = timedelta(seconds=30)  # heartbeats every ~7 s (a quarter of it) keep a live claim fresh



class ClaimStatus(StrEnum):
    """``JobClaim.status`` of a day claim."""

    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class ClaimLostError(RuntimeError):
    """Our day claim was taken over (we were silent longer than the stale limit); stop writing that day."""


@dataclass(frozen=True)
class DayClaim:
    claim_id: int
    owner: str
    company_id: int
    day: date


def new_owner_tag() -> str:
    """Identifies one sync attempt: host, process and a random part (two attempts never share it)."""
    return f"{socket.gethostname()[:60]}:{os.getpid()}:{secrets.token_hex(4)}"


def holder_is_gone(owner: str | None) -> bool:
    """True when the claim's owner tag names a process on this host that no longer exists (killed with -9)."""
    if not owner:
        return False
    parts = owner.rsplit(":", 2)
    if len(parts) != 3 or parts[0] != socket.gethostname()[:60] or not parts[1].isdigit():
        return False
    pid = int(parts[1])
    if pid == os.getpid():
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except (PermissionError, OSError):
        return False
    return False


def _scope(company_id: int) -> str:
    return f"company:{company_id}"


async def claim_day(
    session_factory: async_sessionmaker[AsyncSession],
    company_id: int,
    day: date,
    owner: str,
    *,
    stale_after: timedelta = DEFAULT_STALE_AFTER,
    now: datetime | None = None,
) -> DayClaim | None:
    """Take the day, or return ``None`` when another live sync holds it."""
    moment = now or utcnow()
    async with session_factory() as session:
        row = JobClaim(
            job=DAY_JOB, scope=_scope(company_id), period=day.isoformat(), owner=owner, status=ClaimStatus.RUNNING,
            claimed_at=moment,
        )
        session.add(row)
        try:
            await session.commit()
            return DayClaim(row.id, owner, company_id, day)
        except IntegrityError:
            await session.rollback()
        existing = (
            await session.execute(
                select(JobClaim).where(
                    JobClaim.job == DAY_JOB, JobClaim.scope == _scope(company_id), JobClaim.period == day.isoformat()
                )
            )
        ).scalar_one_or_none()
        if existing is None:  # released and deleted between our insert and our read: try once more
            return await claim_day(session_factory, company_id, day, owner, stale_after=stale_after, now=now)
        if (existing.status == ClaimStatus.RUNNING and existing.claimed_at > moment - stale_after
                and not holder_is_gone(existing.owner)):
            return None
        # Finished, or its holder went silent: take it over, unless someone else did so first (owner changed).
        taken = await session.execute(
            update(JobClaim)
            .where(JobClaim.id == existing.id, JobClaim.owner == existing.owner, JobClaim.status == existing.status)
            .values(owner=owner, status=ClaimStatus.RUNNING, claimed_at=moment, finished_at=None, error=None)
        )
        await session.commit()
        if taken.rowcount != 1:  # type: ignore[attr-defined]
            return None
        return DayClaim(existing.id, owner, company_id, day)


async def release_day(
    session_factory: async_sessionmaker[AsyncSession], claim: DayClaim, *, error: str | None = None
) -> None:
    async with session_factory() as session:
        await session.execute(
            update(JobClaim)
            .where(JobClaim.id == claim.claim_id, JobClaim.owner == claim.owner)
            .values(status=ClaimStatus.FAILED if error else ClaimStatus.DONE, finished_at=utcnow(), error=error)
        )
        await session.commit()


async def refresh_claim(session: AsyncSession, claim: DayClaim) -> bool:
    """Move the claim's heartbeat; ``False`` if it is no longer ours."""
    result = await session.execute(
        update(JobClaim).where(JobClaim.id == claim.claim_id, JobClaim.owner == claim.owner).values(claimed_at=utcnow())
    )
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


def _advisory_key(company_id: int, scope: str) -> int:
    digest = hashlib.blake2b(f"smartsavdo:regos:{company_id}:{scope}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


def dialect_name(session: AsyncSession) -> str:
    return session.get_bind().dialect.name


def day_scope(day: date) -> str:
    return f"day:{day.isoformat()}"


REFERENCE_SCOPE = "reference"  # branches, tills, employees, items, payment types, stock levels
SESSIONS_SCOPE = "sessions"  # cash sessions (shifts)


async def lock_for_write(
    session: AsyncSession, company_id: int, scopes: Sequence[str], claim: DayClaim | None = None
) -> None:
    """The first statement of a transaction that writes a company's synced data (see the module docstring).

    ``scopes`` name what the transaction writes (``day_scope(d)``, ``REFERENCE_SCOPE``...). With a claim it also
    heartbeats the claim and raises ``ClaimLostError`` if the claim is no longer ours.
    """
    if claim is not None:
        result = await session.execute(
            update(JobClaim)
            .where(JobClaim.id == claim.claim_id, JobClaim.owner == claim.owner)
            .values(claimed_at=utcnow())
        )
        if result.rowcount != 1:  # type: ignore[attr-defined]
            raise ClaimLostError(f"claim on {claim.day} for company {company_id} was taken over")
    if dialect_name(session) == "postgresql":
        # Sorted, so two transactions locking overlapping scopes cannot deadlock.
        for scope in sorted(set(scopes)):
            await session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _advisory_key(company_id, scope)})
    elif claim is None:
        # SQLite: a write that matches nothing still takes the database's write lock for this transaction.
        await session.execute(
            update(RegosConnection)
            .where(RegosConnection.company_id == company_id, RegosConnection.id < 0)
            .values(status=RegosConnection.status)
        )


async def lock_day_for_write(
    session: AsyncSession, company_id: int, days: date | Sequence[date], claim: DayClaim | None = None
) -> None:
    day_list = [days] if isinstance(days, date) else list(days)
    await lock_for_write(session, company_id, [day_scope(d) for d in day_list], claim)

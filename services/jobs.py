"""Claims for scheduled work: the first writer of (job, scope, period) runs it; everyone else does nothing.

A claim left `running` by a crashed process is taken over after its lease; a `failed` one may be retried.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import and_, or_, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.base import utcnow
from db.models import JobClaim

DEFAULT_LEASE = timedelta(minutes=30)


async def try_claim(
    session_factory: async_sessionmaker[AsyncSession], *, job: str, scope: str, period: str, owner: str,
    lease: timedelta = DEFAULT_LEASE,
) -> int | None:
    """The claim's id when this caller won it, else None."""
    async with session_factory() as session:
        claim = JobClaim(job=job, scope=scope, period=period, owner=owner, status="running")
        session.add(claim)
        try:
            await session.commit()
            return claim.id
        except IntegrityError:
            await session.rollback()
        now = utcnow()
        taken = await session.execute(
            update(JobClaim)
            .where(
                JobClaim.job == job, JobClaim.scope == scope, JobClaim.period == period,
                or_(JobClaim.status == "failed",
                    and_(JobClaim.status == "running", JobClaim.claimed_at < now - lease)),
            )
            .values(owner=owner, status="running", claimed_at=now, error=None)
            .returning(JobClaim.id)
        )
        claim_id = taken.scalar_one_or_none()
        await session.commit()
        return claim_id


async def finish_claim(
    session_factory: async_sessionmaker[AsyncSession], claim_id: int, *, ok: bool, error: str | None = None
) -> None:
    async with session_factory() as session:
        await session.execute(
            update(JobClaim).where(JobClaim.id == claim_id)
            .values(status="done" if ok else "failed", finished_at=utcnow(), error=(error or None) and error[:2000])
        )
        await session.commit()

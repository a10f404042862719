"""The invoice-upload clean-up job: registered with the scheduler, and when run it drops uploads that were never
read (waiting or reading for over an hour, album parts past the tenth) while it keeps fresh ones and read ones."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.jobs import all_jobs
from bot.scheduler import JobContext, Scheduler
from db.base import utcnow
from db.purchases import Purchase, PurchaseStatus, PurchaseUpload, UploadStatus
from db.repositories import user_by_telegram_id
from sandbox.stack import sandbox_settings
from tests.helpers import create_company, database_url_for


def _context(engine: AsyncEngine, session_factory: async_sessionmaker[AsyncSession]) -> JobContext:
    def spawn(work: object, /, *, name: str | None = None) -> object:
        raise AssertionError("the clean-up spawns nothing")

    settings = sandbox_settings("http://127.0.0.1:9", database_url_for(engine))
    return JobContext(session_factory, settings, None, spawn)


def test_the_clean_up_is_registered_as_an_interval_job() -> None:
    jobs = {job.name: job for job in all_jobs().intervals}
    job = jobs["purchase_uploads_forget"]
    assert timedelta(minutes=1) <= job.every <= timedelta(minutes=30)
    assert job.run.__module__ == "bot.jobs.purchases"


async def test_running_it_drops_stale_uploads_and_keeps_fresh_and_read_ones(
        engine: AsyncEngine, session_factory: async_sessionmaker[AsyncSession]) -> None:
    company = await create_company(session_factory, owner=5001)
    now = utcnow()
    rows = {  # name: (status, age, read into a purchase)
        "old waiting album part": (UploadStatus.WAITING, timedelta(hours=2), False),
        "old reading (crash mid-read)": (UploadStatus.READING, timedelta(hours=1, minutes=5), False),
        "old 11th album part": (UploadStatus.FAILED, timedelta(days=3), False),
        "old read upload": (UploadStatus.DONE, timedelta(days=3), True),
        "fresh waiting album part": (UploadStatus.WAITING, timedelta(seconds=5), False),
        "fresh reading": (UploadStatus.READING, timedelta(minutes=50), False),
        "fresh 11th album part": (UploadStatus.FAILED, timedelta(minutes=1), False),
    }
    ids: dict[str, int] = {}
    async with session_factory() as session:
        user = await user_by_telegram_id(session, 5001)
        assert user is not None
        for number, (name, (status, age, read)) in enumerate(rows.items(), start=1):
            purchase_id = None
            if read:
                purchase = Purchase(company_id=company.id, status=PurchaseStatus.CONFIRMED, document_number="A-1")
                session.add(purchase)
                await session.flush()
                purchase_id = purchase.id
            upload = PurchaseUpload(company_id=company.id, user_id=user.id, chat_id=5001, message_id=number,
                                    media_group_id="album-1" if "album" in name else None, file_id=f"file-{number}",
                                    status=status, purchase_id=purchase_id, created_at=now - age)
            session.add(upload)
            await session.flush()
            ids[name] = upload.id
        await session.commit()

    jobs = {job.name: job for job in all_jobs().intervals}
    scheduler = Scheduler(_context(engine, session_factory), [], intervals=[jobs["purchase_uploads_forget"]])
    assert await scheduler.run_intervals() == {"purchase_uploads_forget": True}

    async with session_factory() as session:
        left = {row.id: row for row in (await session.scalars(select(PurchaseUpload))).all()}
    kept = {name for name, upload_id in ids.items() if upload_id in left}
    assert kept == {"old read upload", "fresh waiting album part", "fresh reading", "fresh 11th album part"}
    assert left[ids["old read upload"]].purchase_id is not None

    # a second run (another scheduler, the next tick) finds nothing more to drop
    assert await scheduler.run_intervals() == {"purchase_uploads_forget": True}
    async with session_factory() as session:
        assert len((await session.scalars(select(PurchaseUpload.id))).all()) == 4

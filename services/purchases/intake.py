"""Files sent to the bot for reading: the checks made before downloading anything, the upload rows (an album's
parts are collected by `media_group_id` in the database), and the claim that lets one background job read them.

    check_file(kind="document", file_name="scan.pdf", mime_type="application/pdf", file_size=123)  # or refuses
    upload = await record_upload(session, company_id=..., user_id=..., chat_id=..., message_id=..., file=...)
    parts = await claim_group(session, company_id, media_group_id)   # in the background job, after a pause
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from db.base import utcnow
from db.purchases import PurchaseUpload, UploadStatus
from services.errors import ValidationFailed

MAX_FILE_BYTES = 20 * 1024 * 1024  # what a bot may download from Telegram
MAX_FILE_MB = 20
MAX_ALBUM_PARTS = 10
IMAGE_EXTENSIONS = frozenset({".jpg", ".jpeg", ".png", ".webp", ".tif", ".tiff", ".bmp", ".heic", ".heif"})
ACCEPTED_EXTENSIONS = IMAGE_EXTENSIONS | {".pdf"}
ACCEPTED_MIME = frozenset({"application/pdf", "application/x-pdf"})
STALE_UPLOAD = timedelta(hours=1)


@dataclass(frozen=True, slots=True)
class IncomingFile:
    kind: str  # "photo" | "document"
    file_id: str
    file_unique_id: str | None = None
    file_name: str | None = None
    mime_type: str | None = None
    file_size: int | None = None


def _extension(file_name: str | None) -> str:
    name = (file_name or "").lower().strip()
    return name[name.rfind("."):] if "." in name else ""


def check_file(file: IncomingFile) -> None:
    """Refuses, before any download, a file too large for a bot to fetch or of a type that cannot be an invoice
    (the content itself is checked again when read: an extension may lie)."""
    if file.file_size is not None and file.file_size > MAX_FILE_BYTES:
        raise ValidationFailed("invoice-file-too-large", limit=MAX_FILE_MB)
    if file.kind == "photo":
        return
    mime = (file.mime_type or "").lower()
    extension = _extension(file.file_name)
    if extension in ACCEPTED_EXTENSIONS or mime in ACCEPTED_MIME or mime.startswith("image/"):
        if extension and extension not in ACCEPTED_EXTENSIONS:
            raise ValidationFailed("invoice-file-unsupported")
        return
    raise ValidationFailed("invoice-file-unsupported")


async def record_upload(session: AsyncSession, *, company_id: int, user_id: int, chat_id: int, message_id: int,
                        file: IncomingFile, media_group_id: str | None = None) -> PurchaseUpload:
    check_file(file)
    upload = PurchaseUpload(
        company_id=company_id, user_id=user_id, chat_id=chat_id, message_id=message_id,
        media_group_id=media_group_id, file_id=file.file_id, file_unique_id=file.file_unique_id,
        file_name=(file.file_name or None) and (file.file_name or "")[:256], mime_type=file.mime_type,
        file_size=file.file_size, status=UploadStatus.WAITING,
    )
    session.add(upload)
    await session.flush()
    return upload


async def group_progress_message(session: AsyncSession, company_id: int, media_group_id: str) -> int | None:
    """The progress message an earlier part of the same album already shows (one message per album)."""
    return await session.scalar(
        select(PurchaseUpload.progress_message_id)
        .where(PurchaseUpload.company_id == company_id, PurchaseUpload.media_group_id == media_group_id,
               PurchaseUpload.progress_message_id.is_not(None))
        .order_by(PurchaseUpload.id).limit(1))


async def latest_part_at(session: AsyncSession, company_id: int, media_group_id: str) -> object:
    return await session.scalar(
        select(PurchaseUpload.created_at)
        .where(PurchaseUpload.company_id == company_id, PurchaseUpload.media_group_id == media_group_id)
        .order_by(PurchaseUpload.created_at.desc()).limit(1))


async def claim(session: AsyncSession, upload_id: int) -> list[PurchaseUpload]:
    """Claims a single upload, or every waiting part of its album, for reading (a conditional UPDATE: two jobs
    started for parts of one album never both read it). Empty when another job has it, or it is not there yet."""
    upload = await session.get(PurchaseUpload, upload_id)
    if upload is None or upload.status != UploadStatus.WAITING:
        return []
    if upload.media_group_id is None:
        candidates = [upload]
    else:
        candidates = list((await session.scalars(
            select(PurchaseUpload)
            .where(PurchaseUpload.company_id == upload.company_id,
                   PurchaseUpload.media_group_id == upload.media_group_id,
                   PurchaseUpload.status == UploadStatus.WAITING)
            .order_by(PurchaseUpload.message_id, PurchaseUpload.id))).all())
    claimed: list[PurchaseUpload] = []
    for candidate in candidates[:MAX_ALBUM_PARTS]:
        result = await session.execute(
            update(PurchaseUpload)
            .where(PurchaseUpload.id == candidate.id, PurchaseUpload.status == UploadStatus.WAITING)
            .values(status=UploadStatus.READING)
            .execution_options(synchronize_session=False))
        if getattr(result, "rowcount", 0) == 1:
            candidate.status = UploadStatus.READING
            claimed.append(candidate)
    for extra in candidates[MAX_ALBUM_PARTS:]:  # Telegram sends at most 10; anything more is dropped
        extra.status = UploadStatus.FAILED
    return claimed


async def finish(session: AsyncSession, uploads: list[PurchaseUpload], *, ok: bool) -> None:
    """Read: the rows are done (kept with their purchase) or, when nothing came of them, deleted."""
    for upload in uploads:
        if ok:
            upload.status = UploadStatus.DONE
        else:
            await session.execute(delete(PurchaseUpload).where(PurchaseUpload.id == upload.id))


async def forget_stale(session: AsyncSession) -> int:
    """Uploads never read (a crash mid-read, an album whose reader never ran) and album parts past the tenth
    (marked failed by `claim`, never read): removed once an hour old. Read uploads stay with their purchase.
    Run by the scheduler (bot/jobs/purchases.py); returns how many rows went."""
    result = await session.execute(
        delete(PurchaseUpload)
        .where(PurchaseUpload.status.in_([UploadStatus.WAITING, UploadStatus.READING, UploadStatus.FAILED]),
               PurchaseUpload.created_at < utcnow() - STALE_UPLOAD)
        .execution_options(synchronize_session=False))
    return int(getattr(result, "rowcount", 0) or 0)


__all__ = [
    "ACCEPTED_EXTENSIONS",
    "MAX_ALBUM_PARTS",
    "MAX_FILE_BYTES",
    "MAX_FILE_MB",
    "IncomingFile",
    "check_file",
    "claim",
    "finish",
    "forget_stale",
    "group_progress_message",
    "latest_part_at",
    "record_upload",
]

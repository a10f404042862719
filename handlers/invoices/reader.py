"""The background reader: started through the app's `spawn()` by the handler that recorded an upload, so the update
(and the user's event lock) is done at once. It waits for the upload to be committed (and, for an album, for its
last part), claims the parts, downloads and reads them (OCR runs in the engine's process pool: the event loop is
never blocked), edits the progress message as it goes, and queues the card(s) through the outbox in the transaction
that stores the drafts. A file that cannot be read gets a clear message and leaves nothing behind."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError, TelegramBadRequest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.i18n import translate
from db import repositories as repo
from db.base import utcnow
from db.models import User
from db.purchases import PurchaseUpload
from db.transient import retry_transient
from handlers.invoices.card import card_keyboard, card_text
from handlers.kit import refusal_text
from services import outbox, purchases
from services.approvals.cards import locale_of
from services.errors import DomainError
from services.ocr import OcrResult, ProblemCode, read_document
from services.permissions import visible_branches

log = logging.getLogger(__name__)

ALBUM_QUIET = 1.5  # seconds with no new part before an album is read
ALBUM_MAX_WAIT = 20.0
COMMIT_WAIT = 15.0
POLL = 0.2

PROBLEM_KEYS = {
    ProblemCode.TOO_LARGE: "invoice-file-too-large",
    ProblemCode.UNSUPPORTED_TYPE: "invoice-file-unsupported",
    ProblemCode.CORRUPT: "invoice-file-corrupt",
    ProblemCode.EMPTY_FILE: "invoice-file-corrupt",
    ProblemCode.ENCRYPTED: "invoice-file-encrypted",
    ProblemCode.BLANK_PAGE: "invoice-file-blank",
    ProblemCode.NOT_AN_INVOICE: "invoice-not-an-invoice",
    ProblemCode.OCR_UNAVAILABLE: "invoice-ocr-unavailable",
}


@dataclass
class Part:
    upload: PurchaseUpload
    result: OcrResult | None = None
    error: str | None = None  # an i18n key when the part could not be read


def failure_key(result: OcrResult) -> str:
    for problem in result.problems:
        if problem.code in PROBLEM_KEYS and problem.code is not ProblemCode.BLANK_PAGE:
            return PROBLEM_KEYS[problem.code]
    if result.has(ProblemCode.BLANK_PAGE):
        return PROBLEM_KEYS[ProblemCode.BLANK_PAGE]
    return "invoice-not-an-invoice"


async def _wait_for(session_factory: async_sessionmaker[AsyncSession], upload_id: int) -> PurchaseUpload | None:
    """The upload once the handler's transaction has committed it; for an album, once no part has come for
    ALBUM_QUIET seconds (or after ALBUM_MAX_WAIT: what has come by then is read)."""
    loop = asyncio.get_running_loop()
    started = loop.time()
    while True:
        async with session_factory() as session:
            upload = await session.get(PurchaseUpload, upload_id)
            if upload is not None:
                if upload.media_group_id is None:
                    return upload
                latest = await purchases.latest_part_at(session, upload.company_id, upload.media_group_id)
                quiet = (utcnow() - latest).total_seconds() if isinstance(latest, datetime) else ALBUM_QUIET
                if quiet >= ALBUM_QUIET or loop.time() - started > ALBUM_MAX_WAIT:
                    return upload
            elif loop.time() - started > COMMIT_WAIT:
                return None  # the handler rolled back: nothing to read
        await asyncio.sleep(POLL)


async def _progress(bot: Bot, chat_id: int, message_id: int | None, text: str) -> None:
    if message_id is None:
        return
    try:
        await bot.edit_message_text(text, chat_id=chat_id, message_id=message_id)
    except TelegramAPIError as error:  # not modified, or gone: progress is only a courtesy
        log.debug("progress edit failed: %s", error)


async def _download(bot: Bot, upload: PurchaseUpload) -> bytes | str:
    if upload.file_size is not None and upload.file_size > purchases.MAX_FILE_BYTES:
        return "invoice-file-too-large"
    try:
        buffer = await bot.download(upload.file_id)
    except TelegramBadRequest as error:
        return "invoice-file-too-large" if "too big" in str(error).lower() else "invoice-download-failed"
    except (TimeoutError, TelegramAPIError, OSError):
        return "invoice-download-failed"
    return buffer.read() if buffer is not None else "invoice-download-failed"


async def read_uploads(upload_id: int, *, bot: Bot, session_factory: async_sessionmaker[AsyncSession]) -> None:
    """The whole background job for one upload (or its album); never raises."""
    chat_id: int | None = None
    progress: int | None = None
    locale = "uz"
    try:
        first = await _wait_for(session_factory, upload_id)
        if first is None:
            return
        claimed, locale, progress = await retry_transient(lambda: _claim(session_factory, upload_id),
                                                          what="claiming invoice uploads")
        if not claimed:
            return
        chat_id = claimed[0].chat_id
        parts = [Part(upload) for upload in claimed]
        for index, part in enumerate(parts, start=1):
            if len(parts) > 1:
                await _progress(bot, chat_id, progress,
                                translate(locale, "invoice-reading-part", index=index, count=len(parts)))
            data = await _download(bot, part.upload)
            if isinstance(data, str):
                part.error = data
                continue
            part.result = await read_document(data, filename=part.upload.file_name, mime=part.upload.mime_type)
            if not part.result.ok:
                part.error = failure_key(part.result)
        # a read-then-write transaction that lost SQLite's write lock to another one fails at once (no busy wait):
        # the whole store runs again, its cards go through the outbox in the same transaction, so nothing doubles
        await retry_transient(lambda: _store(session_factory, parts, chat_id=chat_id, progress=progress,
                                             locale=locale), what="storing invoice drafts")
    except Exception:
        log.exception("reading invoice upload %s failed", upload_id)
        if chat_id is not None:
            await _progress(bot, chat_id, progress, translate(locale, "invoice-read-failed"))


async def _claim(session_factory: async_sessionmaker[AsyncSession],
                 upload_id: int) -> tuple[list[PurchaseUpload], str, int | None]:
    """The upload (with its album's parts) taken for reading, the sender's language and the progress message."""
    locale, progress = "uz", None
    async with session_factory() as session:
        claimed = await purchases.claim(session, upload_id)
        if claimed:
            user = await session.get(User, claimed[0].user_id) if claimed[0].user_id else None
            locale = locale_of(user)
            progress = next((u.progress_message_id for u in claimed if u.progress_message_id), None)
            if progress is None and claimed[0].media_group_id:
                progress = await purchases.group_progress_message(session, claimed[0].company_id,
                                                                  claimed[0].media_group_id)
        await session.commit()
    return list(claimed), locale, progress


async def _store(session_factory: async_sessionmaker[AsyncSession], parts: list[Part], *, chat_id: int,
                 progress: int | None, locale: str) -> None:
    """The drafts and their cards, in one transaction; a failure message instead when nothing could be read."""
    readable = [part for part in parts if part.result is not None and part.error is None]
    async with session_factory() as session:
        uploads = [await session.get_one(PurchaseUpload, part.upload.id) for part in parts]
        company_id, user_id = uploads[0].company_id, uploads[0].user_id
        messages: list[tuple[str, dict[str, object] | None, str]] = []
        if not readable:
            key = next(part.error for part in parts if part.error)
            messages.append((translate(locale, key or "invoice-not-an-invoice", limit=purchases.MAX_FILE_MB),
                             None, f"purchase-upload:{chat_id}:{uploads[0].message_id}:failed"))
        else:
            branch_id = await _branch_for(session, company_id, user_id)
            unread = len(parts) - len(readable)
            groups = purchases.split_documents([part.result for part in readable if part.result is not None])
            for number, group in enumerate(groups):
                data = purchases.merge(group)
                try:
                    async with session.begin_nested():
                        purchase = await purchases.create_draft(session, company_id=company_id, user_id=user_id,
                                                                data=data, branch_id=branch_id, chat_id=chat_id)
                except DomainError as refusal:
                    messages.append((refusal_text(locale, refusal), None,
                                     f"purchase-upload:{chat_id}:{uploads[0].message_id}:dup:{number}"))
                    continue
                if number == 0:
                    purchase.message_id = progress
                    for upload in uploads:
                        upload.purchase_id = purchase.id
                duplicate = await purchases.duplicate_of_document(session, purchase)
                text = card_text(locale, purchase, duplicate=duplicate, unread_parts=unread if number == 0 else 0)
                messages.append((text, card_keyboard(locale, purchase), f"purchase:{purchase.id}:card"))
        await purchases.finish(session, uploads, ok=bool(readable))
        for index, (text, keyboard, key) in enumerate(messages):
            edit = outbox.MessageRef(chat_id, progress) if index == 0 and progress is not None else None
            await outbox.enqueue(session, chat_id=chat_id, text=text, kind="purchase.card", company_id=company_id,
                                 reply_markup=keyboard, dedupe_key=key, edit=edit)
        await session.commit()


async def _branch_for(session: AsyncSession, company_id: int, user_id: int | None) -> int | None:
    """The sender's branch when they work in exactly one."""
    if user_id is None:
        return None
    membership = await repo.membership(session, user_id, company_id)
    if membership is None or not membership.branches:
        return None
    branches = await visible_branches(session, membership)
    return branches[0].id if len(branches) == 1 else None


__all__ = ["read_uploads"]

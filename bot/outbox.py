"""The outbox sender: sends what services.outbox queued, after the queueing transaction committed.

Woken at once by a commit that queued something (`kick()`, from the app's after-commit hook), at start-up (rows a
previous process left), and by the outbox job (bot/jobs/outbox.py) for retries and anything missed. Messages go
through the broadcaster (Telegram's limits, 429, blocked chats); each row is recorded as soon as it is settled.
A row with a document is sent with sendDocument, its text the caption.
Delivery guarantee: see services/outbox.py (at least once up to the Bot API call, at most once across it).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
from collections import Counter
from typing import Any

from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import (
    BufferedInputFile,
    ForceReply,
    InlineKeyboardMarkup,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.broadcaster import Broadcaster, Outcome, Outgoing
from db.outbox import OutboxMessage
from services.outbox import Delivery, claim_due, mark_sending, record_outcome

log = logging.getLogger(__name__)

Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove | ForceReply
_SKIPPED = object()  # the row was taken over by another sender before we sent it
_CARD_GONE = ("message to edit not found", "message can't be edited")


def markup_from_json(data: dict[str, Any] | None) -> Markup | None:
    if not data:
        return None
    if "inline_keyboard" in data:
        return InlineKeyboardMarkup.model_validate(data)
    if "keyboard" in data:
        return ReplyKeyboardMarkup.model_validate(data)
    if "remove_keyboard" in data:
        return ReplyKeyboardRemove.model_validate(data)
    return ForceReply.model_validate(data)


class OutboxSender:
    def __init__(self, session_factory: async_sessionmaker[AsyncSession], bot: Bot, *,
                 broadcaster: Broadcaster | None = None, owner: str | None = None, batch_size: int = 100) -> None:
        self.session_factory = session_factory
        self.broadcaster = broadcaster or Broadcaster(bot, max_attempts=3)
        self.owner = owner or f"{socket.gethostname()}:{os.getpid()}:{id(self):x}"
        self.batch_size = batch_size
        self._wake = asyncio.Event()
        self._lock = asyncio.Lock()
        self._worker: asyncio.Task[None] | None = None
        self._stopping = False

    def kick(self) -> None:
        """Something was queued and committed: send it now (cheap; the worker does the work)."""
        self._wake.set()

    async def send_due(self) -> Counter[str]:
        """Claims and sends every due row until none is left; returns how many ended in each status."""
        totals: Counter[str] = Counter()
        async with self._lock:
            while not self._stopping:
                rows = await claim_due(self.session_factory, owner=self.owner, limit=self.batch_size)
                if not rows:
                    break
                statuses: list[str] = []

                async def record(item: Outgoing, outcome: Outcome, statuses: list[str] = statuses) -> None:
                    status = await self._record(item, outcome)
                    if status is not None:
                        statuses.append(status)

                await self.broadcaster.send_all([self._outgoing(row) for row in rows], on_outcome=record)
                totals.update(statuses)
        return totals

    def _outgoing(self, row: OutboxMessage) -> Outgoing:
        async def send(bot: Bot) -> Any:
            if not await mark_sending(self.session_factory, row.id, owner=self.owner):
                return _SKIPPED
            return await self._deliver(bot, row)

        return Outgoing(chat_id=row.chat_id, send=send, key=str(row.id))

    @staticmethod
    async def _deliver(bot: Bot, row: OutboxMessage) -> int:
        markup = markup_from_json(row.reply_markup)
        if row.document_name is not None:  # a document, its text the caption (the bytes are kept until final)
            document = BufferedInputFile(row.document or b"", filename=row.document_name)
            sent = await bot.send_document(row.chat_id, document, caption=row.text or None, reply_markup=markup)
            return sent.message_id
        if row.edit_message_id is not None:
            try:
                await bot.edit_message_text(text=row.text, chat_id=row.chat_id, message_id=row.edit_message_id,
                                            reply_markup=markup if isinstance(markup, InlineKeyboardMarkup) else None)
                return row.edit_message_id
            except TelegramBadRequest as error:
                if "message is not modified" in error.message:
                    return row.edit_message_id
                if not any(reason in error.message for reason in _CARD_GONE):
                    raise
                # the card was deleted or is too old to edit: show it anew
        message = await bot.send_message(row.chat_id, row.text, reply_markup=markup)
        return message.message_id

    async def _record(self, item: Outgoing, outcome: Outcome) -> str | None:
        if outcome.result is _SKIPPED:
            return None
        delivery = Delivery(status=outcome.status, error=outcome.error, retryable=outcome.retryable,
                            message_id=outcome.result if isinstance(outcome.result, int) else None)
        return await record_outcome(self.session_factory, int(item.key), delivery, owner=self.owner)

    # --- the worker -------------------------------------------------------------------------------------------------

    def start(self) -> None:
        """Sends what is already due (a previous run's rows), then whatever each kick brings."""
        if self._worker is None:
            self._stopping = False
            self._worker = asyncio.create_task(self._run(), name="outbox-sender")

    async def _run(self) -> None:
        while not self._stopping:
            self._wake.clear()
            try:
                await self.send_due()
            except Exception:
                log.exception("outbox: sending failed; the outbox job retries")
            await self._wake.wait()

    async def stop(self, grace: float = 15.0) -> None:
        """Lets the batch in hand finish (its rows are recorded), then stops."""
        worker, self._worker = self._worker, None
        if worker is None:
            return
        self._stopping = True
        self._wake.set()
        try:
            await asyncio.wait_for(asyncio.shield(worker), grace)
        except TimeoutError:
            worker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await worker

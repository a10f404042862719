"""The transactional outbox: every message that follows a state change is written here, in the caller's
transaction, and sent after commit by the sender in bot/outbox.py. A rollback never sends; a restart never loses.

Queueing (features)::

    await outbox.enqueue(session, chat_id=user.telegram_id, text=text, kind="approval.card", company_id=company.id,
                         reply_markup={"inline_keyboard": [[{"text": "OK", "callback_data": "ap:1:ok"}]]},
                         dedupe_key=f"approval:{approval.id}:card")
    await outbox.notify_roles(session, company.id, [Role.OWNER], "sync-alert-down", kind="sync.alert",
                              dedupe_key=f"sync-down:{company.id}:{period}", company=name, since=since)

A document (a payslip PDF...) goes with ``document=OutboxDocument(name, data)``: the row's text is its caption and
the sender uses sendDocument; a text longer than a caption (1024) goes first as its own message(s) and the document
follows with no caption. Retries, leases and dedupe are the same as for text; the bytes are dropped once the row
is final.

`reply_markup` is plain JSON (the Bot API's own shape), so services need no aiogram; `edit=MessageRef(...)` edits
a card already shown instead of sending a new one (`message_id_of(dedupe_key)` finds a message sent earlier). A
`dedupe_key` makes a second enqueue of the same thing a no-op. A long text is split at line boundaries, one row a
part. `on_outcome(kind)` lets a feature record, in the same transaction, that its message was sent or refused.

Sending (bot/outbox.py): `claim_due` takes pending rows (a conditional UPDATE, with FOR UPDATE SKIP LOCKED on
PostgreSQL, so two senders never take the same row); `mark_sending` just before the Bot API call;
`record_outcome` after it (sent with the message id, blocked, or failed: retried with backoff while transient).

Guarantee: at least once up to the Bot API call, at most once across it. A row claimed by a sender that died
before sending is taken over after the lease and sent; a row that died *in flight* (`sending`) is marked
`unknown` and not sent again, because a duplicate card or payslip is worse than a missing one that the logs show.
"""

from __future__ import annotations

import logging
import random
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.i18n import translate
from db.base import utcnow
from db.models import Membership, Role, User
from db.outbox import FINAL_STATUSES, OutboxMessage, OutboxStatus
from services.locale import DEFAULT_LOCALE
from services.reports.render import split_message

log = logging.getLogger(__name__)

ENQUEUED_FLAG = "outbox.enqueued"  # in session.info: this transaction queued messages (the app kicks its sender)
MAX_ATTEMPTS = 8
DEFAULT_LEASE = timedelta(minutes=10)
RETENTION = timedelta(days=30)
_ERROR_LIMIT = 2000


@dataclass(frozen=True, slots=True)
class MessageRef:
    chat_id: int
    message_id: int


CAPTION_LIMIT = 1024  # Telegram's caption limit (counted on the text as queued, which is never shorter)
DOCUMENT_LIMIT = 20 * 1024 * 1024  # what this outbox accepts to keep in a row (Telegram takes up to 50 MB)


@dataclass(frozen=True, slots=True)
class OutboxDocument:
    """A file to send with a message: its name as the person sees it and its bytes."""

    name: str
    data: bytes

    def __post_init__(self) -> None:
        if not self.name.strip() or len(self.name) > 255 or "/" in self.name or "\\" in self.name:
            raise ValueError("a document needs a plain file name of at most 255 characters")
        if not self.data or len(self.data) > DOCUMENT_LIMIT:
            raise ValueError("a document needs 1 byte to 20 MB of data")


# --- queueing -------------------------------------------------------------------------------------------------------


def _insert_for(session: AsyncSession) -> Any:
    return postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert


async def enqueue(
    session: AsyncSession, *, chat_id: int, text: str, kind: str, company_id: int | None = None,
    reply_markup: Mapping[str, Any] | None = None, dedupe_key: str | None = None, edit: MessageRef | None = None,
    ref_id: int | None = None, document: OutboxDocument | None = None,
) -> list[int]:
    """Queues a message in the caller's transaction; nothing leaves before it commits. Returns the new rows' ids
    (several for a long text; none when `dedupe_key` was queued before). With `document`, `text` is its caption
    (it may be empty); a text too long for a caption is sent before the document."""
    if not text.strip() and document is None:
        raise ValueError("an outbox message needs text")
    parts = split_message(text) if text.strip() else []
    if document is not None and edit is not None:
        raise ValueError("a document is sent, never edited in")
    if edit is not None and (edit.chat_id != chat_id or len(parts) > 1):
        raise ValueError("an edit replaces one message in the same chat")
    caption_index = -1  # which part carries the document
    if document is not None:
        if parts and len(parts[-1]) <= CAPTION_LIMIT:
            caption_index = len(parts) - 1
        else:
            parts.append("")
            caption_index = len(parts) - 1
    if dedupe_key is not None and await session.scalar(
            select(OutboxMessage.id).where(OutboxMessage.dedupe_key == dedupe_key).limit(1)) is not None:
        return []
    ids: list[int] = []
    for index, part in enumerate(parts):
        statement = _insert_for(session)(OutboxMessage).values(
            company_id=company_id, chat_id=chat_id, kind=kind, ref_id=ref_id, text=part, part=index,
            reply_markup=dict(reply_markup) if reply_markup is not None and index == len(parts) - 1 else None,
            edit_message_id=edit.message_id if edit is not None else None, dedupe_key=dedupe_key,
            document=document.data if document is not None and index == caption_index else None,
            document_name=document.name if document is not None and index == caption_index else None,
        )
        if dedupe_key is not None:  # a concurrent enqueue of the same key: the first one stands
            statement = statement.on_conflict_do_nothing(index_elements=["dedupe_key", "part"])
        row_id = (await session.execute(statement.returning(OutboxMessage.id))).scalar_one_or_none()
        if row_id is not None:
            ids.append(row_id)
    session.info[ENQUEUED_FLAG] = True
    return ids


async def people_with_roles(session: AsyncSession, company_id: int, roles: Iterable[Role]) -> list[User]:
    """The company's members with one of `roles` who have not blocked the bot."""
    result = await session.scalars(
        select(User).join(Membership, Membership.user_id == User.id)
        .where(Membership.company_id == company_id, Membership.role.in_([role.value for role in roles]),
               User.bot_blocked.is_(False))
        .order_by(User.id)
    )
    return list(result.all())


async def notify_roles(session: AsyncSession, company_id: int, roles: Iterable[Role], key: str, *, kind: str,
                       dedupe_key: str | None = None, **params: Any) -> int:
    """Queues the text `key` for each member with one of `roles`, in their language. Returns how many."""
    queued = 0
    for user in await people_with_roles(session, company_id, roles):
        text = translate(user.language or DEFAULT_LOCALE, key, **params)
        queued += bool(await enqueue(session, chat_id=user.telegram_id, text=text, kind=kind, company_id=company_id,
                                     dedupe_key=f"{dedupe_key}:{user.id}" if dedupe_key else None))
    return queued


async def message_id_of(session: AsyncSession, dedupe_key: str) -> MessageRef | None:
    """Where the message queued under `dedupe_key` was shown (its first part), once it has been sent."""
    row = (await session.execute(
        select(OutboxMessage.chat_id, OutboxMessage.message_id)
        .where(OutboxMessage.dedupe_key == dedupe_key, OutboxMessage.status == OutboxStatus.SENT)
        .order_by(OutboxMessage.part).limit(1)
    )).first()
    return MessageRef(row.chat_id, row.message_id) if row is not None and row.message_id is not None else None


# --- what a feature does with the outcome ----------------------------------------------------------------------------

OutcomeHook = Callable[[AsyncSession, OutboxMessage], Awaitable[None]]
_HOOKS: dict[str, OutcomeHook] = {}


def on_outcome(kind: str) -> Callable[[OutcomeHook], OutcomeHook]:
    """Registers `hook(session, message)`, run when a message of `kind` (or `kind.<anything>`) reaches a final
    status (sent, blocked, failed, unknown), in the transaction that records it."""

    def register(hook: OutcomeHook) -> OutcomeHook:
        _HOOKS[kind] = hook
        return hook

    return register


async def _run_hook(session: AsyncSession, message: OutboxMessage) -> None:
    hook = _HOOKS.get(message.kind) or _HOOKS.get(message.kind.split(".", 1)[0])
    if hook is None:
        return
    try:
        async with session.begin_nested():  # a failing hook must not lose the outcome
            await hook(session, message)
    except Exception:
        log.exception("outbox hook for %s (row %s) failed", message.kind, message.id)


# --- sending (used by the sender in bot/) -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Delivery:
    """What the sender learnt from Telegram about one row."""

    status: str  # sent | blocked | failed
    message_id: int | None = None
    error: str | None = None
    retryable: bool = False  # 429 or network trouble that outlasted the broadcaster's own retries


def backoff(attempts: int) -> timedelta:
    """15 s, 30 s, 1 min… up to an hour, with jitter, after the n-th failed attempt."""
    return timedelta(seconds=min(3600.0, 15.0 * 2 ** max(0, attempts - 1)) * random.uniform(0.75, 1.25))


async def claim_due(session_factory: async_sessionmaker[AsyncSession], *, owner: str, limit: int = 100,
                    now: datetime | None = None) -> list[OutboxMessage]:
    """Takes up to `limit` rows that are due, oldest first; a row is taken by one sender only."""
    now = now or utcnow()
    async with session_factory() as session:
        due = (select(OutboxMessage.id)
               .where(OutboxMessage.status == OutboxStatus.PENDING, OutboxMessage.next_attempt_at <= now)
               .order_by(OutboxMessage.id).limit(limit))
        if session.get_bind().dialect.name == "postgresql":
            # The ids first (locked, skipping rows another sender holds), then the update: PostgreSQL may run an
            # `IN (SELECT … LIMIT n FOR UPDATE SKIP LOCKED)` subquery more than once and take more than n rows.
            ids = list(await session.scalars(due.with_for_update(skip_locked=True)))
            if not ids:
                await session.commit()
                return []
            chosen: Any = OutboxMessage.id.in_(ids)
        else:  # SQLite: one writer at a time, so the single statement is atomic
            chosen = OutboxMessage.id.in_(due)
        claimed = await session.scalars(
            update(OutboxMessage)
            .where(chosen, OutboxMessage.status == OutboxStatus.PENDING)
            .values(status=OutboxStatus.CLAIMED, claimed_by=owner, claimed_at=now,
                    attempts=OutboxMessage.attempts + 1)
            .returning(OutboxMessage)
            .execution_options(synchronize_session=False)
        )
        rows = sorted(claimed.all(), key=lambda row: row.id)
        await session.commit()
    return rows


async def mark_sending(session_factory: async_sessionmaker[AsyncSession], row_id: int, *, owner: str) -> bool:
    """Just before the Bot API call; False when the row is no longer this sender's (taken over after a lease)."""
    async with session_factory() as session:
        marked = await session.scalar(
            update(OutboxMessage)
            .where(OutboxMessage.id == row_id, OutboxMessage.claimed_by == owner,
                   OutboxMessage.status.in_([OutboxStatus.CLAIMED, OutboxStatus.SENDING]))
            .values(status=OutboxStatus.SENDING, claimed_at=utcnow())
            .returning(OutboxMessage.id)
        )
        await session.commit()
    return marked is not None


async def record_outcome(session_factory: async_sessionmaker[AsyncSession], row_id: int, delivery: Delivery, *,
                         owner: str, now: datetime | None = None) -> str | None:
    """Stores what happened to a row this sender sent; returns the row's new status (None: not ours any more)."""
    now = now or utcnow()
    async with session_factory() as session:
        row = await session.get(OutboxMessage, row_id)
        if row is None or row.claimed_by != owner or row.status in (OutboxStatus.SENT, OutboxStatus.BLOCKED,
                                                                   OutboxStatus.FAILED):
            return None
        row.error = delivery.error[:_ERROR_LIMIT] if delivery.error else None
        if delivery.status == "sent":
            row.status, row.message_id, row.sent_at = OutboxStatus.SENT, delivery.message_id, now
        elif delivery.status == "blocked":
            row.status = OutboxStatus.BLOCKED
            await session.execute(update(User).where(User.telegram_id == row.chat_id).values(bot_blocked=True))
        elif delivery.retryable and row.attempts < MAX_ATTEMPTS:
            row.status, row.claimed_by, row.next_attempt_at = OutboxStatus.PENDING, None, now + backoff(row.attempts)
        else:
            row.status = OutboxStatus.FAILED
        if row.status in FINAL_STATUSES:
            row.document = None  # the file was handed over (or never will be): keep no copy
            await _run_hook(session, row)
        status = row.status
        await session.commit()
    if status == OutboxStatus.FAILED:
        log.warning("outbox row %s (%s) to %s failed: %s", row_id, row.kind, row.chat_id, row.error)
    return status


async def release_stale(session_factory: async_sessionmaker[AsyncSession], *, lease: timedelta = DEFAULT_LEASE,
                        now: datetime | None = None) -> tuple[int, int]:
    """After a sender died: rows it claimed but never sent go back to pending; rows it had in flight become
    `unknown` (not sent again). Returns (released, lost)."""
    cutoff = (now or utcnow()) - lease
    async with session_factory() as session:
        released = (await session.scalars(
            update(OutboxMessage)
            .where(OutboxMessage.status == OutboxStatus.CLAIMED, OutboxMessage.claimed_at < cutoff)
            .values(status=OutboxStatus.PENDING, claimed_by=None)
            .returning(OutboxMessage.id)
        )).all()
        lost = (await session.scalars(
            update(OutboxMessage)
            .where(OutboxMessage.status == OutboxStatus.SENDING, OutboxMessage.claimed_at < cutoff)
            .values(status=OutboxStatus.UNKNOWN, error="the sender stopped while sending; not repeated")
            .returning(OutboxMessage)
            .execution_options(synchronize_session=False)
        )).all()
        for row in lost:
            log.warning("outbox row %s (%s) to %s: sender died in flight, maybe not delivered", row.id, row.kind,
                        row.chat_id)
            await _run_hook(session, row)
        await session.commit()
    return len(released), len(lost)


async def prune(session_factory: async_sessionmaker[AsyncSession], *, older_than: timedelta = RETENTION,
                now: datetime | None = None) -> int:
    """Deletes finished rows older than the retention; returns how many."""
    cutoff = (now or utcnow()) - older_than
    async with session_factory() as session:
        deleted = (await session.scalars(
            delete(OutboxMessage)
            .where(OutboxMessage.status.in_(list(FINAL_STATUSES)), OutboxMessage.created_at < cutoff)
            .returning(OutboxMessage.id)
        )).all()
        await session.commit()
    return len(deleted)


__all__ = [
    "CAPTION_LIMIT",
    "DEFAULT_LEASE",
    "ENQUEUED_FLAG",
    "MAX_ATTEMPTS",
    "Delivery",
    "MessageRef",
    "OutboxDocument",
    "OutcomeHook",
    "backoff",
    "claim_due",
    "enqueue",
    "mark_sending",
    "message_id_of",
    "notify_roles",
    "on_outcome",
    "people_with_roles",
    "prune",
    "record_outcome",
    "release_stale",
]

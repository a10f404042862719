"""The outbox's bookkeeping without Telegram: written in the caller's transaction, deduplicated, split, claimed by
one sender only, retried with backoff, and what a dead sender left is taken over (claimed) or not repeated (in
flight). Sending through the emulator is tests/e2e/test_outbox.py."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.base import utcnow
from db.models import User
from db.outbox import OutboxMessage, OutboxStatus
from services import outbox
from services.outbox import Delivery, MessageRef

CHAT = 5001


async def rows(session_factory: async_sessionmaker[AsyncSession]) -> list[OutboxMessage]:
    async with session_factory() as session:
        return list((await session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))).all())


async def queue(session_factory: async_sessionmaker[AsyncSession], count: int = 1) -> list[int]:
    ids: list[int] = []
    async with session_factory() as session:
        for index in range(count):
            ids += await outbox.enqueue(session, chat_id=CHAT, text=f"m{index}", kind="test")
        await session.commit()
    return ids


async def test_written_in_the_callers_transaction(session_factory: async_sessionmaker[AsyncSession]) -> None:
    async with session_factory() as session:
        await outbox.enqueue(session, chat_id=CHAT, text="rolled back", kind="test")
        assert session.info[outbox.ENQUEUED_FLAG] is True  # the app's after-commit hook reads this to kick
        await session.rollback()
    assert await rows(session_factory) == []

    async with session_factory() as session:
        await outbox.enqueue(session, chat_id=CHAT, text="kept", kind="test", dedupe_key="k")
        assert await outbox.enqueue(session, chat_id=CHAT, text="kept again", kind="test", dedupe_key="k") == []
        await session.commit()
    async with session_factory() as session:  # a later transaction: still one
        assert await outbox.enqueue(session, chat_id=CHAT, text="kept", kind="test", dedupe_key="k") == []
        await session.commit()
    [row] = await rows(session_factory)
    assert (row.text, row.status, row.attempts, row.part) == ("kept", "pending", 0, 0)


async def test_long_text_is_split_with_the_buttons_on_the_last_part(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    markup = {"inline_keyboard": [[{"text": "OK", "callback_data": "x:1"}]]}
    text = "\n".join(f"line {n} " + "x" * 90 for n in range(100))  # ~10 000 characters
    async with session_factory() as session:
        ids = await outbox.enqueue(session, chat_id=CHAT, text=text, kind="test", reply_markup=markup,
                                   dedupe_key="long")
        with pytest.raises(ValueError):
            await outbox.enqueue(session, chat_id=CHAT, text=text, kind="test", edit=MessageRef(CHAT, 1))
        with pytest.raises(ValueError):
            await outbox.enqueue(session, chat_id=CHAT, text="  ", kind="test")
        await session.commit()
    parts = await rows(session_factory)
    assert len(ids) == len(parts) == 3
    assert [row.part for row in parts] == [0, 1, 2] and all(len(row.text) <= 4096 for row in parts)
    assert "\n".join(row.text for row in parts) == text
    assert [row.reply_markup for row in parts] == [None, None, markup]


async def test_two_senders_never_claim_the_same_row(session_factory: async_sessionmaker[AsyncSession]) -> None:
    await queue(session_factory, 30)
    claims = await asyncio.gather(*(outbox.claim_due(session_factory, owner=f"s{n}", limit=7) for n in range(6)))
    claimed = [row.id for batch in claims for row in batch]
    assert len(claimed) == len(set(claimed)) == 30
    assert all(row.status == "claimed" and row.attempts == 1 for row in await rows(session_factory))
    assert await outbox.claim_due(session_factory, owner="late") == []


async def test_outcomes_backoff_and_blocked(session_factory: async_sessionmaker[AsyncSession]) -> None:
    async with session_factory() as session:
        session.add(User(telegram_id=CHAT, first_name="Malika"))
        await session.commit()
    sent_id, retried_id, refused_id, blocked_id = await queue(session_factory, 4)
    await outbox.claim_due(session_factory, owner="a")
    for row_id in (sent_id, retried_id, refused_id, blocked_id):
        assert await outbox.mark_sending(session_factory, row_id, owner="a")
    assert not await outbox.mark_sending(session_factory, sent_id, owner="intruder")

    assert await outbox.record_outcome(session_factory, sent_id, Delivery("sent", message_id=77), owner="a") == "sent"
    assert await outbox.record_outcome(session_factory, sent_id, Delivery("sent", message_id=78), owner="a") is None
    transient = Delivery("failed", error="429", retryable=True)
    assert await outbox.record_outcome(session_factory, retried_id, transient, owner="a") == "pending"
    assert await outbox.record_outcome(session_factory, refused_id, Delivery("failed", error="bad"), owner="a") == (
        "failed")
    assert await outbox.record_outcome(session_factory, blocked_id, Delivery("blocked"), owner="a") == "blocked"

    by_id = {row.id: row for row in await rows(session_factory)}
    assert by_id[sent_id].message_id == 77 and by_id[sent_id].sent_at is not None
    retried = by_id[retried_id]
    assert retried.next_attempt_at > utcnow() + timedelta(seconds=5) and retried.claimed_by is None
    assert await outbox.claim_due(session_factory, owner="b") == []  # not before its backoff
    later = await outbox.claim_due(session_factory, owner="b", now=retried.next_attempt_at + timedelta(seconds=1))
    assert [row.id for row in later] == [retried_id] and later[0].attempts == 2
    async with session_factory() as session:
        assert await session.scalar(select(User.bot_blocked).where(User.telegram_id == CHAT)) is True
        ref = await outbox.message_id_of(session, "nothing")
    assert ref is None

    async with session_factory() as session:  # out of attempts: failed for good
        await session.execute(update(OutboxMessage).where(OutboxMessage.id == retried_id)
                              .values(attempts=outbox.MAX_ATTEMPTS))
        await session.commit()
    assert await outbox.mark_sending(session_factory, retried_id, owner="b")
    assert await outbox.record_outcome(session_factory, retried_id, transient, owner="b") == "failed"


async def test_a_dead_senders_rows(session_factory: async_sessionmaker[AsyncSession]) -> None:
    seen: list[tuple[int, str]] = []

    @outbox.on_outcome("crashy")
    async def hook(session: AsyncSession, message: OutboxMessage) -> None:
        seen.append((message.id, message.status))

    async with session_factory() as session:
        never_sent, in_flight = [
            (await outbox.enqueue(session, chat_id=CHAT, text=text, kind="crashy.test"))[0] for text in ("a", "b")]
        await session.commit()
    await outbox.claim_due(session_factory, owner="dead")
    await outbox.mark_sending(session_factory, in_flight, owner="dead")
    assert await outbox.release_stale(session_factory) == (0, 0)  # within the lease: still the dead one's
    later = utcnow() + outbox.DEFAULT_LEASE + timedelta(minutes=1)
    assert await outbox.release_stale(session_factory, now=later) == (1, 1)
    by_id = {row.id: row for row in await rows(session_factory)}
    assert by_id[never_sent].status == OutboxStatus.PENDING  # safe to send: it never reached Telegram
    assert by_id[in_flight].status == OutboxStatus.UNKNOWN  # it may have: not repeated
    assert seen == [(in_flight, "unknown")]
    assert [row.id for row in await outbox.claim_due(session_factory, owner="alive")] == [never_sent]

    async with session_factory() as session:  # finished rows are pruned after the retention
        assert await session.scalar(select(func.count()).select_from(OutboxMessage)) == 2
    assert await outbox.prune(session_factory, now=utcnow() + outbox.RETENTION + timedelta(days=1)) == 1


async def test_a_document_rides_on_the_last_part_or_follows_a_long_text(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    pdf = outbox.OutboxDocument("payslip_2026-11_Karimova.pdf", b"%PDF-1.4 payslip")
    async with session_factory() as session:
        assert len(await outbox.enqueue(session, chat_id=CHAT, text="Payslip — caption", kind="test",
                                        document=pdf, dedupe_key="doc:1")) == 1
        assert await outbox.enqueue(session, chat_id=CHAT, text="again", kind="test", document=pdf,
                                    dedupe_key="doc:1") == []
        long_text = "\n".join("line " + "x" * 100 for _ in range(12))  # over a caption, under a message
        assert len(await outbox.enqueue(session, chat_id=CHAT, text=long_text, kind="test", document=pdf)) == 2
        assert len(await outbox.enqueue(session, chat_id=CHAT, text="", kind="test", document=pdf)) == 1
        with pytest.raises(ValueError):
            await outbox.enqueue(session, chat_id=CHAT, text="x", kind="test", document=pdf,
                                 edit=MessageRef(CHAT, 1))
        await session.commit()
    first, text_part, document_part, bare = await rows(session_factory)
    assert (first.text, first.document_name, first.document) == ("Payslip — caption", pdf.name, pdf.data)
    assert (text_part.document_name, text_part.part, text_part.text) == (None, 0, long_text)
    assert (document_part.part, document_part.text, document_part.document) == (1, "", pdf.data)
    assert (bare.text, bare.document_name) == ("", pdf.name)
    for name, data in (("", b"x"), ("a/b.pdf", b"x"), ("ok.pdf", b"")):
        with pytest.raises(ValueError):
            outbox.OutboxDocument(name, data)

    # once final, the bytes are not kept; a retryable failure keeps them for the next attempt
    [claimed] = await outbox.claim_due(session_factory, owner="s1", limit=1)
    assert claimed.document == pdf.data
    assert await outbox.record_outcome(session_factory, claimed.id, Delivery("failed", retryable=True),
                                       owner="s1") == "pending"
    async with session_factory() as session:
        await session.execute(update(OutboxMessage).where(OutboxMessage.id == claimed.id)
                              .values(next_attempt_at=utcnow()))
        await session.commit()
    [again] = await outbox.claim_due(session_factory, owner="s1", limit=1)
    assert again.id == claimed.id and again.document == pdf.data and again.attempts == 2
    assert await outbox.record_outcome(session_factory, again.id, Delivery("sent", message_id=9), owner="s1") == "sent"
    async with session_factory() as session:
        row = await session.get(OutboxMessage, claimed.id)
        assert row is not None and row.document is None and row.document_name == pdf.name

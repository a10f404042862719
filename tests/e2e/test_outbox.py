"""The outbox through the emulator: a message queued in a transaction that rolls back is never sent; one that
commits is sent once, right after the commit, and once only across a restart (a new app and sender on the same
database); a card is edited in place; a person who blocked the bot is marked."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.scheduler import Scheduler
from db.engine import create_session_factory
from db.models import User
from db.outbox import OutboxMessage
from sandbox.stack import RunningBot, start_polling_bot
from sandbox.telegram.client import SandboxClient, SandboxUser
from services import outbox
from services.outbox import MessageRef


async def texts_from_bot(user: SandboxUser, marker: str) -> list[str]:
    return [m.text for m in await user.messages() if m.from_bot and marker in m.text]


async def test_rollback_never_sends_commit_sends_once_across_a_restart(
    running_bot: RunningBot, sandbox: SandboxClient, engine: AsyncEngine,
) -> None:
    user = await sandbox.create_user("Malika")
    await user.send("/start")  # a bot may only write to people who wrote first
    await user.expect("Choose your language")
    app = running_bot.app

    async with app.session_factory() as session:
        await outbox.enqueue(session, chat_id=user.id, text="[ob] rolled back", kind="test")
        await session.rollback()
    async with app.session_factory() as session:
        await outbox.enqueue(session, chat_id=user.id, text="[ob] committed", kind="test", dedupe_key="ob:1")
        await session.commit()  # the commit kicks the app's sender: no job, no tick needed
    sent = await user.expect("[ob] committed", timeout=10)
    await app.outbox.send_due()
    async with app.session_factory() as session:
        row = await session.scalar(select(OutboxMessage).where(OutboxMessage.dedupe_key == "ob:1"))
        where = await outbox.message_id_of(session, "ob:1")
    assert row is not None and row.status == "sent" and row.attempts == 1
    assert where == MessageRef(user.id, sent.message_id)

    # Down: a message committed while no sender runs (another process, say) waits in the table.
    settings = app.settings
    await running_bot.stop()
    async with create_session_factory(engine)() as session:
        await outbox.enqueue(session, chat_id=user.id, text="[ob] while down", kind="test")
        await session.commit()
    await user.expect_no_message(timeout=0.5)

    restarted = await start_polling_bot(settings, engine=engine)  # a new app and sender on the same database
    try:
        await user.expect("[ob] while down", timeout=10)
        await restarted.app.outbox.send_due()
        swept = await Scheduler(restarted.app.job_context(), [], intervals=restarted.app.jobs.intervals).run_intervals()
        # The outbox's periodic jobs ran cleanly and found nothing left to send.
        assert {name: ok for name, ok in swept.items() if name.startswith("outbox_")} == {
            "outbox_sweep": True, "outbox_prune": True}
        assert await texts_from_bot(user, "[ob]") == ["[ob] committed", "[ob] while down"]

        # a card edited in place, found by the key it was first queued under
        async with restarted.app.session_factory() as session:
            card = await outbox.message_id_of(session, "ob:1")
            assert card is not None
            await outbox.enqueue(session, chat_id=user.id, text="[ob] committed, then approved", kind="test",
                                 edit=card, reply_markup={"inline_keyboard": [[{"text": "Open",
                                                                                "callback_data": "ob:open"}]]})
            await session.commit()
        edited = await user.expect("then approved", timeout=10)
        assert edited.message_id == sent.message_id and edited.button_texts == ["Open"]

        # someone who blocked the bot is marked, and not retried
        await user.block()
        async with restarted.app.session_factory() as session:
            await outbox.enqueue(session, chat_id=user.id, text="[ob] to a blocked chat", kind="test",
                                 dedupe_key="ob:blocked")
            await session.commit()
        await restarted.app.outbox.send_due()
        async with restarted.app.session_factory() as session:
            blocked = await session.scalar(select(OutboxMessage).where(OutboxMessage.dedupe_key == "ob:blocked"))
            marked = await session.scalar(select(User.bot_blocked).where(User.telegram_id == user.id))
        assert blocked is not None and blocked.status == "blocked" and marked is True
    finally:
        await restarted.stop()
    await user.unblock()
    assert await texts_from_bot(user, "[ob]") == ["[ob] committed, then approved", "[ob] while down"]


async def test_a_document_is_sent_once_with_its_caption_after_a_429(
    running_bot: RunningBot, sandbox: SandboxClient,
) -> None:
    user = await sandbox.create_user("Aziza")
    await user.send("/start")
    await user.expect("Choose your language")
    app = running_bot.app
    await sandbox.add_fault("sendDocument", error_code=429, retry_after=1, count=1)
    pdf = b"%PDF-1.4\n% a payslip\n"
    async with app.session_factory() as session:
        await outbox.enqueue(session, chat_id=user.id, text="[ob] <b>Payslip</b> of November", kind="test",
                             document=outbox.OutboxDocument("payslip_2026-11_Karimova.pdf", pdf),
                             dedupe_key="ob:doc")
        await session.commit()
    message = await user.expect(predicate=lambda m: bool(m.get("document")), timeout=15)
    await app.outbox.send_due()
    await app.outbox.send_due()  # nothing left: sent once
    assert message.text == "[ob] Payslip of November"  # the caption, HTML parsed
    assert message["document"]["file_name"] == "payslip_2026-11_Karimova.pdf"
    assert await user.download(message) == pdf
    documents = [m for m in await user.messages() if m.from_bot and m.get("document")]
    assert len(documents) == 1
    async with app.session_factory() as session:
        row = await session.scalar(select(OutboxMessage).where(OutboxMessage.dedupe_key == "ob:doc"))
    assert row is not None and row.status == "sent" and row.message_id == message.message_id
    assert row.document is None  # not kept once sent

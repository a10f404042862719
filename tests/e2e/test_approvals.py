"""The approval engine through the emulator: submit → approve; reject with a reason; two approvers at the same
moment → one decision, both cards edited; a requester who is also an approver cannot approve their own request
(nor one above the policy); forged callback data from another company's user is refused and changes nothing;
reminder and escalation with a controllable clock, exactly once across two scheduler instances; /approvals."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.jobs.approvals import escalation_task, reminder_task
from bot.scheduler import PeriodicTask, Scheduler, TickResult
from db.approvals import ApprovalRequest
from db.finance import Expense
from db.models import AuditLog, Role
from sandbox.stack import RunningBot
from sandbox.telegram.client import SandboxClient, SandboxMessage, SandboxUser
from tests.e2e.flows import company_with_people, rows, scalar, settle


async def submit_expense(user: SandboxUser, amount: str, *, category: str = "Rent", comment: str | None = None,
                         branch: str | None = None) -> SandboxMessage:
    """/expense through to Submit (no receipt); returns the bot's answer."""
    await user.send("/expense")
    await user.expect("How much was spent")
    await user.send(amount)
    await user.expect("Which category")
    await user.press(category)
    if branch is not None:
        await user.expect("Which branch")
        await user.press(branch)
    await user.expect("Add a comment")
    if comment is None:
        await user.press("Skip ⏭")
    else:
        await user.send(comment)
    await user.expect("Send a photo of the receipt")
    await user.press("Skip ⏭")
    await user.expect("Check the expense")
    await user.press("✅ Submit")
    return await user.expect(regex=r"Expense #\d+")


async def last_request(engine: AsyncEngine) -> ApprovalRequest:
    found = await scalar(engine, select(ApprovalRequest).order_by(ApprovalRequest.id.desc()).limit(1))
    assert found is not None
    return found


async def people(sandbox: SandboxClient, engine: AsyncEngine) -> tuple[int, SandboxUser, SandboxUser, SandboxUser]:
    owner = await sandbox.create_user("Dilnoza", language_code="en")
    manager = await sandbox.create_user("Rustam", language_code="en")
    cashier = await sandbox.create_user("Malika", language_code="en")
    company_id, _ = await company_with_people(engine, [
        (owner, Role.OWNER, ()), (manager, Role.MANAGER, ("Chilonzor",)), (cashier, Role.CASHIER, ("Chilonzor",))])
    return company_id, owner, manager, cashier


async def test_submit_then_approve(running_bot: RunningBot, sandbox: SandboxClient, engine: AsyncEngine) -> None:
    _, owner, manager, cashier = await people(sandbox, engine)
    sent = await submit_expense(cashier, "1,5 mln", comment="March rent")
    assert "sent for approval to: Dilnoza, Rustam" in sent.text and "1 500 000 UZS" in sent.text
    assert sent.button_texts == ["↩️ Withdraw the request"]
    owner_card = await owner.expect("Waiting for a decision")
    card = await manager.expect("Waiting for a decision")
    for shown in (owner_card, card):
        assert "Expense #" in shown.text and "1 500 000 UZS" in shown.text and "Rent" in shown.text
        assert "March rent" in shown.text and "Asked by Malika" in shown.text and "Chilonzor" in shown.text
        assert shown.button_texts == ["✅ Approve", "❌ Reject"]

    answer = await manager.press("✅ Approve", message_id=card.message_id)
    assert answer is not None and answer["text"] == "Approved."
    edited = await manager.expect("Approved by Rustam")
    assert edited.message_id == card.message_id and edited.button_texts == []
    owner_edited = await owner.expect("Approved by Rustam")
    assert owner_edited.message_id == owner_card.message_id and owner_edited.button_texts == []
    told = await cashier.expect("approved by Rustam")
    assert "Expense #" in told.text
    assert await rows(engine, select(Expense.status)) == [("approved",)]
    request = await last_request(engine)
    assert request.status == "approved"

    # a second press, on the owner's card now showing the outcome, is told who decided and when
    again = await owner.press(data=f"ap:{request.company_id}:ok:{request.id}", message_id=owner_card.message_id,
                              forge=True)
    assert again is not None and again["show_alert"] and "Already decided: approved by Rustam" in again["text"]


async def test_reject_with_a_reason(running_bot: RunningBot, sandbox: SandboxClient, engine: AsyncEngine) -> None:
    _, owner, manager, cashier = await people(sandbox, engine)
    await submit_expense(cashier, "2 000 000")
    card = await owner.expect("Waiting for a decision")
    manager_card = await manager.expect("Waiting for a decision")
    await owner.press("❌ Reject", message_id=card.message_id)
    await owner.expect("Why do you reject")
    await owner.send("No receipt attached")
    await owner.expect("Rejected. The person who asked has been told why.")
    for user, shown in ((owner, card), (manager, manager_card)):
        edited = await user.expect("Rejected by Dilnoza")
        assert edited.message_id == shown.message_id and "Reason: No receipt attached" in edited.text
    told = await cashier.expect("rejected by Dilnoza")
    assert "Reason: No receipt attached" in told.text
    assert await rows(engine, select(Expense.status)) == [("rejected",)]
    # the manager's late press changes nothing
    request = await last_request(engine)
    late = await manager.press(data=f"ap:{request.company_id}:ok:{request.id}", message_id=manager_card.message_id,
                               forge=True)
    assert late is not None and "Already decided: rejected by Dilnoza" in late["text"]
    assert (await last_request(engine)).status == "rejected"


async def test_two_approvers_at_the_same_moment(running_bot: RunningBot, sandbox: SandboxClient,
                                                engine: AsyncEngine) -> None:
    _, owner, manager, cashier = await people(sandbox, engine)
    await submit_expense(cashier, "900 000")
    owner_card = await owner.expect("Waiting for a decision")
    manager_card = await manager.expect("Waiting for a decision")
    answers = await asyncio.gather(owner.press("✅ Approve", message_id=owner_card.message_id),
                                   manager.press("✅ Approve", message_id=manager_card.message_id))
    assert all(answers)
    won = [answer for answer in answers if answer and answer["text"] == "Approved."]
    told = [answer for answer in answers if answer and answer["text"].startswith("Already decided: approved by")]
    assert len(won) == 1 and len(told) == 1 and told[0]["show_alert"]
    winner = "Dilnoza" if answers[0] is won[0] else "Rustam"
    assert f"approved by {winner}" in told[0]["text"]
    for user, shown in ((owner, owner_card), (manager, manager_card)):
        # the card itself is edited (matched by its id: under load a second message may come first)
        def same_card(message: Any, card_id: int = shown.message_id) -> bool:
            return bool(message.message_id == card_id)

        edited = await user.expect(f"Approved by {winner}", predicate=same_card)
        assert edited.button_texts == []
    await settle()
    decisions = await scalar(engine, select(func.count()).select_from(AuditLog).where(
        AuditLog.action.in_(["approval.approved", "approval.rejected"])))
    assert decisions == 1
    await cashier.expect(f"approved by {winner}")


async def test_own_request_and_above_the_policy_are_refused(running_bot: RunningBot, sandbox: SandboxClient,
                                                            engine: AsyncEngine) -> None:
    _, owner, manager, cashier = await people(sandbox, engine)
    await submit_expense(manager, "300 000")  # the manager's own expense: the owner decides
    await owner.expect("Asked by Rustam")
    own = await last_request(engine)
    refused = await manager.press(data=f"ap:{own.company_id}:ok:{own.id}", forge=True,
                                  message_id=manager.last_bot_message.message_id if manager.last_bot_message else None)
    assert refused is not None and "cannot decide your own request" in refused["text"]

    await submit_expense(cashier, "7 000 000")  # above the managers' 5 000 000
    await owner.expect("7 000 000 UZS")
    big = await last_request(engine)
    over = await manager.press(data=f"ap:{big.company_id}:ok:{big.id}", forge=True,
                               message_id=manager.last_bot_message.message_id if manager.last_bot_message else None)
    assert over is not None and "above what your role may approve" in over["text"]
    assert await rows(engine, select(ApprovalRequest.status).order_by(ApprovalRequest.id)) == [
        ("pending",), ("pending",)]

    await owner.send("/approvals")
    listed = await owner.expect("wait for your decision")
    assert "Expense #" in listed.text and listed.text.index("300 000") < listed.text.index("7 000 000")
    await owner.press(f"1. #{own.id}", message_id=listed.message_id)
    opened = await owner.expect("Asked by Rustam")
    await owner.press("✅ Approve", message_id=opened.message_id)
    await manager.expect("approved by Dilnoza")
    await manager.send("/approvals")
    await manager.expect("Nothing is waiting for your decision")


async def test_forged_callback_from_another_company_changes_nothing(running_bot: RunningBot, sandbox: SandboxClient,
                                                                     engine: AsyncEngine) -> None:
    _, owner, _, cashier = await people(sandbox, engine)
    stranger = await sandbox.create_user("Stranger", language_code="en")
    other_id, _ = await company_with_people(engine, [(stranger, Role.OWNER, ())], name="Other Shop",
                                        tin="305999999")
    await submit_expense(cashier, "1 200 000")
    await owner.expect("Waiting for a decision")
    request = await last_request(engine)
    here = stranger.last_bot_message.message_id if stranger.last_bot_message else None
    for data, expected in ((f"ap:{request.company_id}:ok:{request.id}", "made for another company"),
                           (f"ap:{other_id}:ok:{request.id}", "does not exist"),
                           (f"ap:{other_id}:no:{request.id}", "does not exist"),
                           (f"ap:{other_id}:back:{request.id}", "does not exist"),
                           ("ap:bogus", "out of date")):
        answer = await stranger.press(data=data, message_id=here, forge=True)
        assert answer is not None and expected in answer["text"], (data, answer)
    await settle()
    assert (await last_request(engine)).status == "pending"
    assert await rows(engine, select(Expense.status)) == [("pending",)]
    assert await scalar(engine, select(func.count()).select_from(AuditLog).where(
        AuditLog.action.like("approval.%"), AuditLog.action != "approval.requested")) == 0


async def test_reminder_and_escalation_once_across_two_schedulers(running_bot: RunningBot, sandbox: SandboxClient,
                                                                  engine: AsyncEngine) -> None:
    _, owner, manager, cashier = await people(sandbox, engine)
    await submit_expense(cashier, "1 000 000")
    await owner.expect("Waiting for a decision")
    await manager.expect("Waiting for a decision")
    created = (await last_request(engine)).created_at
    context = running_bot.app.job_context()
    tasks: list[PeriodicTask] = [reminder_task(), escalation_task()]
    first, second = Scheduler(context, tasks, owner="first"), Scheduler(context, tasks, owner="second")

    def statuses(results: list[TickResult]) -> list[tuple[str, str]]:
        return [(r.task, r.status) for r in results]

    assert await first.tick(created + timedelta(hours=3, minutes=59)) == []
    at = created + timedelta(hours=4, minutes=1)
    ran, skipped = await asyncio.gather(first.tick(at), second.tick(at))
    assert sorted(statuses(ran) + statuses(skipped)) == [("approval_reminders", "ran"),
                                                         ("approval_reminders", "skipped")]
    assert await second.tick(at + timedelta(minutes=1)) == []  # reminded already: nothing due
    await running_bot.app.outbox.send_due()
    for user in (owner, manager):
        reminder = await user.expect("Reminder: this has waited 4 hours")
        assert reminder.button_texts == ["✅ Approve", "❌ Reject"]

    later = created + timedelta(hours=24, minutes=2)
    assert statuses(await second.tick(later)) == [("approval_escalations", "ran")]
    assert statuses(await first.tick(later + timedelta(minutes=1))) == []
    await running_bot.app.outbox.send_due()
    escalated = await owner.expect("Passed on to you")
    await manager.expect_no_message(timeout=0.5)
    await cashier.expect_no_message(timeout=0.2)

    # a decision on the escalated card edits the first card, the reminder and the escalation alike
    await owner.press("✅ Approve", message_id=escalated.message_id)
    await settle()  # the decision commits its edits to the outbox after the button is answered
    await running_bot.app.outbox.send_due()  # waits for a sender already woken by that commit
    await settle()
    texts = [m.text for m in await owner.messages() if m.from_bot and "Expense #" in m.text]
    assert len(texts) == 3 and all("Approved by Dilnoza" in text for text in texts)
    manager_texts = [m.text for m in await manager.messages() if m.from_bot and "Expense #" in m.text]
    assert len(manager_texts) == 2 and all("Approved by Dilnoza" in text for text in manager_texts)

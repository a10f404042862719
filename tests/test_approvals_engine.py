"""The approval engine: cards to the right approvers, one decision (also under a race), the policy's refusals,
withdrawal, every card edited after a decision, reminders and escalation exactly once, the buttons' packing."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db import repositories as repo
from db.approvals import ApprovalCard, ApprovalRequest, ApprovalStatus
from db.base import utcnow
from db.finance import Expense, ExpenseStatus
from db.models import AuditLog, Company, Membership, Role, User
from db.outbox import OutboxMessage, OutboxStatus
from handlers.callbacks import ApprovalCb, CashAlertCb
from services import approvals, expenses
from services.approvals import AlreadyDecided, ApprovalAction
from services.cash import alert_button_data
from services.errors import NotFound, PermissionDenied, ValidationFailed
from tests.helpers import add_member, create_company

TODAY = utcnow().date()


@dataclass
class World:
    company_id: int
    other_company_id: int
    north: int
    south: int
    owner: User
    manager: User  # the north branch's manager
    south_manager: User
    cashier: User  # north
    stranger: User  # the owner of another company


@pytest.fixture
async def world(session_factory: async_sessionmaker[AsyncSession]) -> World:
    async with session_factory() as session:
        company = await create_company(session, owner=1001, owner_name="Dilnoza", branches=["North", "South"])
        north, south = (await repo.branches_of_company(session, company.id))
        manager = await add_member(session, company.id, 1002, Role.MANAGER, first_name="Rustam", branch_ids=[north.id])
        south_manager = await add_member(session, company.id, 1003, Role.MANAGER, first_name="Aziz",
                                         branch_ids=[south.id])
        cashier = await add_member(session, company.id, 1004, Role.CASHIER, first_name="Malika",
                                   branch_ids=[north.id])
        other = await create_company(session, name="Other", tin="305000001", owner=2001, owner_name="Stranger")
        owner = await session.scalar(select(User).where(User.telegram_id == 1001))
        stranger = await session.scalar(select(User).where(User.telegram_id == 2001))
        assert owner is not None and stranger is not None
        owner.language, stranger.language = "en", "en"
        await session.commit()
        return World(company.id, other.id, north.id, south.id, owner, manager, south_manager, cashier, stranger)


async def membership(session: AsyncSession, user: User, company_id: int) -> Membership:
    found = await repo.membership(session, user.id, company_id)
    assert found is not None
    return found


async def submit(session: AsyncSession, w: World, by: User, amount: str, branch: int | None = None) -> Expense:
    member = await membership(session, by, w.company_id)
    category = (await expenses.categories(session, w.company_id))[0]
    outcome = await expenses.submit_expense(session, membership=member, user=by, today=TODAY,
                                            draft=expenses.ExpenseDraft(Decimal(amount), category.id,
                                                                        branch or w.north, "for the shop"))
    assert not outcome.auto_approved
    return outcome.expense


async def mark_all_sent(session: AsyncSession) -> None:
    """As the sender would: every pending row sent, with a message id."""
    rows = (await session.scalars(select(OutboxMessage).where(OutboxMessage.status == OutboxStatus.PENDING))).all()
    for row in rows:
        row.status, row.message_id = OutboxStatus.SENT, 5000 + row.id


def test_buttons_are_packed_as_the_callback_classes_pack_them() -> None:
    for action in ApprovalAction:
        assert approvals.button_data(12, action, 345) == ApprovalCb(company=12, action=action, request=345).pack()
    assert alert_button_data(7, 9) == CashAlertCb(company=7, box=9).pack()


async def test_submit_sends_cards_to_those_who_may_decide(session_factory: async_sessionmaker[AsyncSession],
                                                          world: World) -> None:
    async with session_factory() as session:
        expense = await submit(session, world, world.cashier, "1500000")
        await session.commit()
        request = await session.get_one(ApprovalRequest, expense.approval_request_id)
        cards = (await session.scalars(select(ApprovalCard).where(ApprovalCard.request_id == request.id))).all()
        # the owner and the north manager; not the south manager, not the cashier who asked
        assert sorted(card.chat_id for card in cards) == [1001, 1002]
        rows = (await session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "approval.card"))).all()
        assert len(rows) == 2
        text = rows[0].text
        assert "Expense #" in text and "1 500 000 UZS" in text and "Malika" in text and "for the shop" in text
        assert rows[0].reply_markup is not None
        data = [b["callback_data"] for row in rows[0].reply_markup["inline_keyboard"] for b in row]
        assert data == [f"ap:{world.company_id}:ok:{request.id}", f"ap:{world.company_id}:no:{request.id}"]
        assert await session.scalar(select(func.count()).select_from(AuditLog)
                                    .where(AuditLog.action == "approval.requested")) == 1
        # submitting the same object again returns the pending request, with no new cards
        again = await approvals.submit(session, kind="expense", company_id=world.company_id, object_id=expense.id,
                                       requested_by=world.cashier, amount=expense.amount)
        assert again.request.id == request.id and not again.created and again.approvers == []


async def test_approve_edits_every_card_and_tells_the_requester(
        session_factory: async_sessionmaker[AsyncSession], world: World) -> None:
    async with session_factory() as session:
        expense = await submit(session, world, world.cashier, "1500000")
        await mark_all_sent(session)
        await session.commit()
        request_id = expense.approval_request_id
        assert request_id is not None
        decided = await approvals.decide(session, company_id=world.company_id, request_id=request_id,
                                         actor=await membership(session, world.manager, world.company_id),
                                         approve=True)
        await session.commit()
        assert decided.status == ApprovalStatus.APPROVED and decided.decided_by_user_id == world.manager.id
        assert (await session.get_one(Expense, expense.id)).status == ExpenseStatus.APPROVED
        edits = (await session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "approval.outcome"))).all()
        assert sorted(e.chat_id for e in edits) == [1001, 1002]
        assert all(e.edit_message_id is not None and e.reply_markup is None for e in edits)
        assert all("Approved by Rustam" in e.text for e in edits)
        told = await session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "approval.told"))
        assert told is not None and told.chat_id == 1004 and "approved by Rustam" in told.text

        with pytest.raises(AlreadyDecided) as second:  # the owner presses a moment later
            await approvals.decide(session, company_id=world.company_id, request_id=request_id,
                                   actor=await membership(session, world.owner, world.company_id), approve=False,
                                   reason="no")
        assert second.value.key == "approval-already-approved" and second.value.params["name"] == "Rustam"
        assert second.value.params["when"] is not None


async def test_two_approvers_at_the_same_moment_make_one_decision(
        session_factory: async_sessionmaker[AsyncSession], world: World) -> None:
    async with session_factory() as session:
        expense = await submit(session, world, world.cashier, "1500000")
        await session.commit()
        request_id = expense.approval_request_id
        assert request_id is not None

    async def press(user: User, approve: bool) -> str:
        async with session_factory() as session:
            try:
                await approvals.decide(session, company_id=world.company_id, request_id=request_id,
                                       actor=await membership(session, user, world.company_id), approve=approve,
                                       reason=None if approve else "too much")
                await session.commit()
                return "won"
            except AlreadyDecided:
                await session.rollback()
                return "told"

    results = await asyncio.gather(press(world.owner, False), press(world.manager, True))
    assert sorted(results) == ["told", "won"]
    async with session_factory() as session:
        request = await session.get_one(ApprovalRequest, request_id)
        assert request.status in (ApprovalStatus.APPROVED, ApprovalStatus.REJECTED)
        decisions = await session.scalar(select(func.count()).select_from(AuditLog).where(
            AuditLog.action.in_(["approval.approved", "approval.rejected"])))
        assert decisions == 1


async def test_policy_refusals(session_factory: async_sessionmaker[AsyncSession], world: World) -> None:
    async with session_factory() as session:
        big = await submit(session, world, world.cashier, "7000000")  # above the managers' 5 000 000
        own = await submit(session, world, world.manager, "100000000")
        south = await submit(session, world, world.owner, "200000", branch=world.south)
        await session.commit()

        async def decide(user: User, expense: Expense, company_id: int | None = None) -> None:
            actor = await repo.membership(session, user.id, company_id or world.company_id)
            await approvals.decide(session, company_id=company_id or world.company_id,
                                   request_id=expense.approval_request_id or 0, actor=actor, approve=True)

        with pytest.raises(PermissionDenied, match="approval-refused-limit"):
            await decide(world.manager, big)
        with pytest.raises(PermissionDenied, match="approval-refused-own"):
            await decide(world.manager, own)
        with pytest.raises(PermissionDenied, match="approval-refused-branch"):
            await decide(world.manager, south)
        with pytest.raises(PermissionDenied, match="approval-refused-role"):
            await decide(world.cashier, big)
        with pytest.raises(NotFound):  # another company's owner, with their own company or with ours
            await decide(world.stranger, big, world.other_company_id)
        with pytest.raises(NotFound):
            await decide(world.stranger, big)
        for expense in (big, own, south):
            assert (await session.get_one(ApprovalRequest, expense.approval_request_id)).status == "pending"
        # the south manager only got the south card; the owner gets all three
        cards = {(c.request_id, c.chat_id) for c in (await session.scalars(select(ApprovalCard))).all()}
        assert (south.approval_request_id, 1003) in cards and (big.approval_request_id, 1003) not in cards
        assert {(e.approval_request_id, 1001) for e in (big, own, south)} <= cards
        assert (own.approval_request_id, 1002) not in cards

        await decide(world.owner, big)  # the owner decides any amount
        assert (await session.get_one(Expense, big.id)).status == ExpenseStatus.APPROVED

        # a manager who loses the role is refused at the press, whatever the card said
        member = await membership(session, world.south_manager, world.company_id)
        member.role = Role.STAFF
        await session.flush()
        with pytest.raises(PermissionDenied):
            await decide(world.south_manager, south)


async def test_reject_needs_a_reason_and_withdrawal(session_factory: async_sessionmaker[AsyncSession],
                                                    world: World) -> None:
    async with session_factory() as session:
        first = await submit(session, world, world.cashier, "300000")
        second = await submit(session, world, world.cashier, "400000")
        await session.commit()
        owner = await membership(session, world.owner, world.company_id)
        with pytest.raises(ValidationFailed, match="approval-reason-needed"):
            await approvals.decide(session, company_id=world.company_id, request_id=first.approval_request_id or 0,
                                   actor=owner, approve=False, reason="   ")
        rejected = await approvals.decide(session, company_id=world.company_id,
                                          request_id=first.approval_request_id or 0, actor=owner, approve=False,
                                          reason="  no receipt  ")
        assert rejected.reason == "no receipt"
        assert (await session.get_one(Expense, first.id)).status == ExpenseStatus.REJECTED

        with pytest.raises(PermissionDenied, match="approval-withdraw-not-yours"):
            await approvals.withdraw(session, company_id=world.company_id,
                                     request_id=second.approval_request_id or 0, user=world.manager)
        await approvals.withdraw(session, company_id=world.company_id, request_id=second.approval_request_id or 0,
                                 user=world.cashier)
        assert (await session.get_one(Expense, second.id)).status == ExpenseStatus.WITHDRAWN
        with pytest.raises(AlreadyDecided, match="approval-already-withdrawn"):
            await approvals.decide(session, company_id=world.company_id,
                                   request_id=second.approval_request_id or 0, actor=owner, approve=True)


async def test_pending_for_lists_oldest_first(session_factory: async_sessionmaker[AsyncSession],
                                              world: World) -> None:
    async with session_factory() as session:
        made = [await submit(session, world, world.cashier, amount) for amount in ("200000", "9000000", "300000")]
        await session.execute(update(ApprovalRequest).where(ApprovalRequest.id == made[2].approval_request_id)
                              .values(created_at=utcnow() - timedelta(hours=3)))
        await session.commit()
        owner_list = await approvals.pending_for(session, await membership(session, world.owner, world.company_id))
        assert [r.object_id for r in owner_list] == [made[2].id, made[0].id, made[1].id]
        manager_list = await approvals.pending_for(session,
                                                   await membership(session, world.manager, world.company_id))
        assert [r.object_id for r in manager_list] == [made[2].id, made[0].id]  # not the one above the limit


async def test_reminder_and_escalation_once_across_two_schedulers(
        session_factory: async_sessionmaker[AsyncSession], world: World) -> None:
    async with session_factory() as session:
        expense = await submit(session, world, world.cashier, "1500000")
        await session.commit()
        created = (await session.get_one(ApprovalRequest, expense.approval_request_id)).created_at

    async def run(step: str, at: timedelta) -> int:
        async with session_factory() as session:
            sender = approvals.send_reminders if step == "remind" else approvals.send_escalations
            count = await sender(session, world.company_id, created + at)
            await session.commit()
            return count

    async with session_factory() as session:
        assert not await approvals.reminders_due(session, world.company_id, created + timedelta(hours=3))
        assert await approvals.reminders_due(session, world.company_id, created + timedelta(hours=4))
    assert sorted(await asyncio.gather(run("remind", timedelta(hours=4)), run("remind", timedelta(hours=4)))) == [0, 1]
    assert await run("remind", timedelta(hours=5)) == 0
    assert sorted(await asyncio.gather(run("escalate", timedelta(hours=24)),
                                       run("escalate", timedelta(hours=25)))) == [0, 1]
    async with session_factory() as session:
        reminders = (await session.scalars(
            select(OutboxMessage).where(OutboxMessage.kind == "approval.reminder"))).all()
        escalations = (await session.scalars(
            select(OutboxMessage).where(OutboxMessage.kind == "approval.escalation"))).all()
        assert sorted(r.chat_id for r in reminders) == [1001, 1002]
        assert [e.chat_id for e in escalations] == [1001]  # to the owner
        assert "Reminder" in reminders[0].text and "4 hours" in reminders[0].text
        assert "Passed on to you" in escalations[0].text
        assert not await approvals.reminders_due(session, world.company_id, created + timedelta(days=3))
        assert not await approvals.escalations_due(session, world.company_id, created + timedelta(days=3))


async def test_company_policy_settings_apply_to_new_requests(
        session_factory: async_sessionmaker[AsyncSession], world: World) -> None:
    async with session_factory() as session:
        company = await session.get_one(Company, world.company_id)
        approvals.set_company_policy(company, "expense", limits={Role.MANAGER: Decimal("10000000")},
                                     remind_after=timedelta(minutes=30))
        await session.flush()
        expense = await submit(session, world, world.cashier, "7000000")
        request = await session.get_one(ApprovalRequest, expense.approval_request_id)
        assert request.policy["limits"] == {"manager": "10000000"} and request.policy["remind_after"] == 1800
        await approvals.decide(session, company_id=world.company_id, request_id=request.id,
                               actor=await membership(session, world.manager, world.company_id), approve=True)

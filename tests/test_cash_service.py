"""Cash: a register's balance is the sum of its posted movements after any sequence of operations, never below
zero; transfers move both halves; a withdrawal above the threshold waits for approval; REGOS cash sales are posted
once per day (a later difference as a new revision); limit alerts once a day; the period report adds up."""

from __future__ import annotations

import asyncio
import random
from datetime import UTC, date, datetime
from decimal import Decimal
from functools import partial

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.i18n import translate
from db import repositories as repo
from db.finance import CashMovement, CashRegister, MovementKind, MovementStatus
from db.models import Company, Membership, Role, User
from db.outbox import OutboxMessage
from db.regos_data import DailySales, PaymentType, Receipt, ReceiptPayment
from services import approvals, cash
from services.cash_report import cash_report, cash_report_xlsx
from services.errors import NotFound, PermissionDenied, ValidationFailed
from services.reports.periods import Period
from tests.helpers import add_member, create_company

DAY = date(2026, 11, 20)


async def setup(session: AsyncSession) -> tuple[Company, Membership, Membership, list[CashRegister]]:
    company = await create_company(session, owner=4001, owner_name="Dilnoza", branches=["North", "South"])
    north = (await repo.branches_of_company(session, company.id))[0]
    cashier_user = await add_member(session, company.id, 4002, Role.CASHIER, first_name="Malika",
                                    branch_ids=[north.id])
    owner_user = await session.scalar(select(User).where(User.telegram_id == 4001))
    assert owner_user is not None
    owner = await repo.membership(session, owner_user.id, company.id)
    cashier = await repo.membership(session, cashier_user.id, company.id)
    assert owner and cashier
    registers = await cash.ensure_registers(session, company.id)
    return company, owner, cashier, registers


async def posted_sum(session: AsyncSession, register_id: int) -> Decimal:
    total = await session.scalar(select(func.coalesce(func.sum(CashMovement.amount), 0)).where(
        CashMovement.register_id == register_id, CashMovement.status == MovementStatus.POSTED))
    return Decimal(str(total)).quantize(Decimal("0.01"))


async def test_one_register_per_branch_and_scope(session: AsyncSession) -> None:
    company, _, cashier, registers = await setup(session)
    assert [r.name for r in registers] == ["North", "South"]
    assert await cash.ensure_registers(session, company.id) == registers  # made once
    assert [r.name for r in await cash.registers_for(session, cashier)] == ["North"]
    with pytest.raises(NotFound):
        await cash.get_register(session, cashier, registers[1].id)
    lone = await create_company(session, name="Kiosk", tin="305000009")
    assert [r.branch_id for r in await cash.ensure_registers(session, lone.id)] == [None]


async def test_balance_is_the_sum_of_movements_after_any_sequence(session: AsyncSession) -> None:
    company, owner, _, registers = await setup(session)
    cash.set_approval_threshold(session, owner, company, Decimal("10000000000"))  # nothing waits here
    user = await session.get_one(User, owner.user_id)
    model = {r.id: Decimal("0.00") for r in registers}
    refused = 0
    for seed in range(3):
        rng = random.Random(seed)
        for _ in range(40):
            kind = rng.choice([MovementKind.DEPOSIT, MovementKind.DEPOSIT, MovementKind.WITHDRAWAL,
                               MovementKind.COLLECTION, MovementKind.TRANSFER_OUT])
            source, target = rng.sample(registers, 2)
            amount = Decimal(rng.randint(1, 5_000_000)) / 100
            outflow = kind is not MovementKind.DEPOSIT
            try:
                async with session.begin_nested():
                    await cash.record_operation(session, membership=owner, user=user, kind=kind,
                                                register_id=source.id, amount=amount, today=DAY,
                                                target_register_id=target.id)
            except ValidationFailed as error:
                assert error.key == "cash-not-enough" and outflow and model[source.id] < amount
                refused += 1
                continue
            model[source.id] += -amount if outflow else amount
            if kind is MovementKind.TRANSFER_OUT:
                model[target.id] += amount
            for register in registers:
                held = await cash.balance(session, register.id)
                assert held == model[register.id] == await posted_sum(session, register.id)
                assert held >= 0
    assert refused > 0  # the sequence did try to overdraw


async def test_two_withdrawals_at_once_never_overdraw(session_factory: async_sessionmaker[AsyncSession]) -> None:
    async with session_factory() as session:
        company, owner, _, registers = await setup(session)
        user = await session.get_one(User, owner.user_id)
        await cash.record_operation(session, membership=owner, user=user, kind=MovementKind.DEPOSIT,
                                    register_id=registers[0].id, amount=Decimal("1000"), today=DAY)
        await session.commit()
        owner_id, company_id, register_id = owner.user_id, company.id, registers[0].id

    async def take() -> bool:
        async with session_factory() as session:
            member = await repo.membership(session, owner_id, company_id)
            assert member is not None
            try:
                await cash.record_operation(session, membership=member, user=await session.get_one(User, owner_id),
                                            kind=MovementKind.COLLECTION, register_id=register_id,
                                            amount=Decimal("700"), today=DAY)
                await session.commit()
                return True
            except ValidationFailed:
                await session.rollback()
                return False

    assert sorted(await asyncio.gather(take(), take())) == [False, True]
    async with session_factory() as session:
        assert await cash.balance(session, register_id) == Decimal("300.00")


async def test_withdrawal_above_threshold_waits_for_approval(session: AsyncSession) -> None:
    company, owner, cashier, registers = await setup(session)
    north = registers[0]
    cashier_user = await session.get_one(User, cashier.user_id)
    await cash.record_operation(session, membership=cashier, user=cashier_user, kind=MovementKind.DEPOSIT,
                                register_id=north.id, amount=Decimal("3000000"), today=DAY)
    outcome = await cash.record_operation(session, membership=cashier, user=cashier_user,
                                          kind=MovementKind.WITHDRAWAL, register_id=north.id,
                                          amount=Decimal("2000000"), today=DAY, note="supplier")
    assert outcome.pending and outcome.request is not None
    assert [u.telegram_id for u in outcome.approvers] == [4001]
    assert await cash.balance(session, north.id) == Decimal("3000000.00")  # not counted yet
    card = await session.scalar(select(OutboxMessage).where(OutboxMessage.kind == "approval.card"))
    assert card is not None and "Cash withdrawal" in card.text and "2 000 000 UZS" in card.text
    # meanwhile the register is emptied: approving now would overdraw, so the decision is refused
    await cash.record_operation(session, membership=owner, user=await session.get_one(User, owner.user_id),
                                kind=MovementKind.COLLECTION, register_id=north.id, amount=Decimal("2500000"),
                                today=DAY)
    with pytest.raises(ValidationFailed, match="cash-not-enough"):
        async with session.begin_nested():
            await approvals.decide(session, company_id=company.id, request_id=outcome.request.id, actor=owner,
                                   approve=True)
    await cash.record_operation(session, membership=owner, user=await session.get_one(User, owner.user_id),
                                kind=MovementKind.DEPOSIT, register_id=north.id, amount=Decimal("2500000"), today=DAY)
    await approvals.decide(session, company_id=company.id, request_id=outcome.request.id, actor=owner, approve=True)
    assert await cash.balance(session, north.id) == Decimal("1000000.00")
    with pytest.raises(PermissionDenied):
        await cash.set_register_limit(session, cashier, north.id, Decimal("1"))


async def test_refusals(session: AsyncSession) -> None:
    _, owner, cashier, registers = await setup(session)
    user = await session.get_one(User, cashier.user_id)
    with pytest.raises(ValidationFailed, match="cash-not-enough"):
        await cash.record_operation(session, membership=cashier, user=user, kind=MovementKind.WITHDRAWAL,
                                    register_id=registers[0].id, amount=Decimal("1"), today=DAY)
    with pytest.raises(ValidationFailed, match="amount-not-positive"):
        await cash.record_operation(session, membership=cashier, user=user, kind=MovementKind.DEPOSIT,
                                    register_id=registers[0].id, amount=Decimal("0"), today=DAY)
    with pytest.raises(NotFound):  # the south register is not hers
        await cash.record_operation(session, membership=cashier, user=user, kind=MovementKind.DEPOSIT,
                                    register_id=registers[1].id, amount=Decimal("5"), today=DAY)
    with pytest.raises(ValidationFailed, match="cash-transfer-same"):
        await cash.record_operation(session, membership=cashier, user=user, kind=MovementKind.TRANSFER_OUT,
                                    register_id=registers[0].id, amount=Decimal("5"), today=DAY,
                                    target_register_id=registers[0].id)
    other = await create_company(session, name="Other", tin="305000002", branches=["X"])
    foreign = (await cash.ensure_registers(session, other.id))[0]
    with pytest.raises(NotFound):
        await cash.record_operation(session, membership=owner, user=user, kind=MovementKind.TRANSFER_OUT,
                                    register_id=registers[0].id, amount=Decimal("5"), today=DAY,
                                    target_register_id=foreign.id)
    assert await session.scalar(select(func.count()).select_from(CashMovement)) == 0


async def _receipt(session: AsyncSession, company_id: int, branch_id: int, uuid: str, amount: str, *,
                   is_return: bool = False, cash_type: int = 1) -> None:
    receipt = Receipt(company_id=company_id, uuid=uuid, occurred_at=datetime(2026, 11, 20, 8, tzinfo=UTC),
                      business_day=DAY, branch_id=branch_id, status="Closed", is_return=is_return,
                      amount=Decimal(amount))
    session.add(receipt)
    await session.flush()
    session.add(ReceiptPayment(receipt_id=receipt.id, uuid=uuid + "p", payment_type_regos_id=cash_type,
                               value=Decimal(amount)))
    await session.flush()


async def test_regos_cash_sales_posted_once_and_differences_as_revisions(session: AsyncSession) -> None:
    company, _, _, registers = await setup(session)
    north, south = registers
    session.add_all([PaymentType(company_id=company.id, regos_id=1, name="Naqd", is_cash=True),
                     PaymentType(company_id=company.id, regos_id=2, name="Uzcard", is_cash=False)])
    await _receipt(session, company.id, north.branch_id or 0, "a", "100000")
    await _receipt(session, company.id, north.branch_id or 0, "b", "50000", cash_type=2)  # card: not cash
    await _receipt(session, company.id, north.branch_id or 0, "c", "20000", is_return=True)
    await _receipt(session, company.id, south.branch_id or 0, "d", "70000")
    assert await cash.post_regos_cash(session, company.id, DAY) == []  # nothing imported yet: nothing posted
    session.add(DailySales(company_id=company.id, business_day=DAY, branch_id=north.branch_id))
    await session.flush()
    posted = await cash.post_regos_cash(session, company.id, DAY)
    assert [(m.register_id, m.amount, m.revision) for m in posted] == [(north.id, Decimal("80000.00"), 1)]
    assert await cash.post_regos_cash(session, company.id, DAY) == []  # a re-run posts nothing
    await _receipt(session, company.id, north.branch_id or 0, "e", "5000", is_return=True)  # a late return
    again = await cash.post_regos_cash(session, company.id, DAY)
    assert [(m.amount, m.revision) for m in again] == [(Decimal("-5000.00"), 2)]
    assert await cash.balance(session, north.id) == Decimal("75000.00")
    assert await cash.balance(session, south.id) == Decimal("0.00")  # its day was not imported


async def test_limit_alert_once_a_day(session: AsyncSession) -> None:
    company, owner, _, registers = await setup(session)
    north = registers[0]
    await cash.set_register_limit(session, owner, north.id, Decimal("1000000"))
    await cash.record_operation(session, membership=owner, user=await session.get_one(User, owner.user_id),
                                kind=MovementKind.DEPOSIT, register_id=north.id, amount=Decimal("1500000"), today=DAY)
    assert await cash.queue_limit_alerts(session, company.id, DAY) == 1
    assert await cash.queue_limit_alerts(session, company.id, DAY) == 0
    alerts = (await session.scalars(select(OutboxMessage).where(OutboxMessage.kind == "cash.limit"))).all()
    assert [a.chat_id for a in alerts] == [4001]  # the owner; a cashier is not alerted
    assert alerts[0].reply_markup == {"inline_keyboard": [[{
        "text": "🏦 Confirm the collection", "callback_data": f"cl:{company.id}:{north.id}"}]]}
    assert "1 500 000 UZS" in alerts[0].text and "1 000 000 UZS" in alerts[0].text
    assert await cash.queue_limit_alerts(session, company.id, date(2026, 11, 21)) == 1  # still over, next day


async def test_period_report_adds_up(session: AsyncSession) -> None:
    company, owner, _, registers = await setup(session)
    user = await session.get_one(User, owner.user_id)
    north, south = registers
    for day, kind, amount, register, target in [
        (date(2026, 11, 1), MovementKind.DEPOSIT, "500000", north, None),
        (date(2026, 11, 10), MovementKind.DEPOSIT, "200000", north, None),
        (date(2026, 11, 11), MovementKind.TRANSFER_OUT, "150000", north, south),
        (date(2026, 11, 12), MovementKind.COLLECTION, "100000", south, None),
        (date(2026, 11, 25), MovementKind.DEPOSIT, "999", north, None),
    ]:
        await cash.record_operation(session, membership=owner, user=user, kind=kind, register_id=register.id,
                                    amount=Decimal(amount), today=day, target_register_id=target.id if target else None)
    report = await cash_report(session, company.id, Period(date(2026, 11, 5), date(2026, 11, 20)))
    by_name = {r.name: r for r in report.registers}
    assert by_name["North"].opening == Decimal("500000") and by_name["North"].closing == Decimal("550000")
    assert by_name["South"].closing == Decimal("50000") and by_name["South"].outflow == Decimal("-100000")
    data = report.to_dict()
    assert data["opening"] == "500000.00" and data["closing"] == "600000.00"
    assert data["registers"][0]["by_kind"] == {"deposit": "200000.00", "transfer_out": "-150000.00"}
    assert report.closing + Decimal("999") == sum([await cash.balance(session, r.id) for r in registers],
                                                  Decimal(0))
    assert cash_report_xlsx(report, partial(translate, "en"))[:2] == b"PK"

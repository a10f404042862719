"""/cash through the emulator: after a sequence of deposits, withdrawals, a transfer, a withdrawal that waits for
approval and a collection, every register's balance equals the sum of its movements (and what /cash shows); a
withdrawal that would make a register negative is refused; the owner's limit, the limit alert once across two
schedulers, and its "confirm collection" button."""

from __future__ import annotations

import asyncio
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.jobs.approvals import CashLimitAlertTask
from bot.scheduler import Scheduler
from db.base import utcnow
from db.finance import CashMovement, CashRegister
from db.models import Role
from sandbox.stack import RunningBot
from sandbox.telegram.client import SandboxClient, SandboxUser
from tests.e2e.flows import company_with_people, rows, settle


async def operate(user: SandboxUser, button: str, amount: str | None, *, target: str | None = None,
                  register: str | None = None, note: str | None = None, all_of_it: bool = False) -> str:
    """/cash, an operation, (a register), (the other register), the amount, the note; returns the bot's answer."""
    await user.send("/cash")
    await user.expect("Cash registers")
    await user.press(button)
    if register is not None:
        await user.expect("which register?")
        await user.press(register)
    if target is not None:
        await user.expect("to which register?")
        await user.press(target)
    asked = await user.expect("Send the amount")
    if all_of_it:
        await user.press(next(text for text in asked.button_texts if text.startswith("🏦 All of it")),
                         message_id=asked.message_id)
    else:
        assert amount is not None
        await user.send(amount)
    await user.expect("Add a note")
    if note is None:
        await user.press("Skip ⏭")
    else:
        await user.send(note)
    return (await user.expect(regex="recorded|moved from|waits for approval|Not enough")).text


async def balances_and_sums(engine: AsyncEngine) -> dict[str, Decimal]:
    """Per register: the sum of its posted movements (what the balance is, by definition)."""
    await settle()
    found = await rows(engine, select(CashRegister.name, func.coalesce(func.sum(CashMovement.amount), 0))
                       .outerjoin(CashMovement, (CashMovement.register_id == CashRegister.id)
                                  & (CashMovement.status == "posted"))
                       .group_by(CashRegister.name))
    return {name: Decimal(str(total)).quantize(Decimal("0.01")) for name, total in found}


async def test_balance_after_a_sequence_is_the_sum_of_its_movements(running_bot: RunningBot,
                                                                    sandbox: SandboxClient,
                                                                    engine: AsyncEngine) -> None:
    owner = await sandbox.create_user("Dilnoza", language_code="en")
    cashier = await sandbox.create_user("Malika", language_code="en")
    await company_with_people(engine, [(owner, Role.OWNER, ()), (cashier, Role.CASHIER, ("Chilonzor",))])

    await cashier.send("/cash")
    shown = await cashier.expect("Cash registers")
    assert "Chilonzor: 0 UZS" in shown.text and "Yunusobod" not in shown.text
    assert shown.button_texts == ["➕ Deposit", "➖ Withdrawal", "🔁 Transfer", "🏦 Collection"]

    assert "Chilonzor now holds 1 000 000 UZS" in await operate(cashier, "➕ Deposit", "1 000 000",
                                                                note="morning float")
    assert "Chilonzor now holds 800 000 UZS" in await operate(cashier, "➖ Withdrawal", "200k")
    # more than the register holds: refused at the amount, and another can be typed
    await cashier.send("/cash")
    await cashier.expect("Cash registers")
    await cashier.press("➖ Withdrawal")
    await cashier.expect("Send the amount")
    await cashier.send("900 000")
    await cashier.expect("Not enough cash")
    await cashier.send("/cancel")
    await cashier.expect("Cancelled")

    moved = await operate(cashier, "🔁 Transfer", "300 000", target="Yunusobod")
    assert "moved from Chilonzor to Yunusobod" in moved and "Chilonzor holds 500 000 UZS" in moved
    assert "Chilonzor now holds 2 500 000 UZS" in await operate(cashier, "➕ Deposit", "2 mln")
    waiting = await operate(cashier, "➖ Withdrawal", "1,5 mln", note="supplier Baraka")
    assert "waits for approval (sent to: Dilnoza)" in waiting and "1 000 000 UZS" in waiting
    assert (await balances_and_sums(engine))["Chilonzor"] == Decimal("2500000.00")  # not counted yet

    card = await owner.expect("Cash withdrawal #")
    assert "1 500 000 UZS" in card.text and "supplier Baraka" in card.text
    await owner.press("✅ Approve", message_id=card.message_id)
    await cashier.expect("approved by Dilnoza")
    collected = await operate(cashier, "🏦 Collection", None, all_of_it=True)
    assert "Collection (inkassatsiya): 1 000 000 UZS is recorded" in collected
    assert "Chilonzor now holds 0 UZS" in collected

    sums = await balances_and_sums(engine)
    assert sums == {"Chilonzor": Decimal("0.00"), "Yunusobod": Decimal("300000.00")}
    movements = await rows(engine, select(CashMovement.kind, CashMovement.amount).where(
        CashMovement.status == "posted").order_by(CashMovement.id))
    assert sum(amount for _, amount in movements) == sum(sums.values(), Decimal(0))
    assert [kind for kind, _ in movements] == ["deposit", "withdrawal", "transfer_out", "transfer_in", "deposit",
                                               "withdrawal", "collection"]
    await owner.send("/cash")
    overview = await owner.expect("Cash registers")
    assert "Chilonzor: 0 UZS" in overview.text and "Yunusobod: 300 000 UZS" in overview.text
    assert "Total: 300 000 UZS" in overview.text


async def test_limit_alert_once_and_confirm_collection(running_bot: RunningBot, sandbox: SandboxClient,
                                                       engine: AsyncEngine) -> None:
    owner = await sandbox.create_user("Dilnoza", language_code="en")
    manager = await sandbox.create_user("Rustam", language_code="ru")
    cashier = await sandbox.create_user("Malika", language_code="en")
    await company_with_people(engine, [(owner, Role.OWNER, ()), (manager, Role.MANAGER, ("Chilonzor",)),
                                       (cashier, Role.CASHIER, ("Chilonzor",))])
    await owner.send("/cash")
    overview = await owner.expect("Cash registers")
    await owner.press("⚙️ Limits", message_id=overview.message_id)
    await owner.expect("Cash settings")
    await owner.press("Chilonzor: limit…")
    await owner.expect("The limit of Chilonzor")
    await owner.send("500 000")
    saved = await owner.expect("Saved.")
    assert "Chilonzor: 500 000 UZS" in saved.text and "Yunusobod: no limit" in saved.text
    await operate(cashier, "➕ Deposit", "800 000")

    context = running_bot.app.job_context()
    first = Scheduler(context, [CashLimitAlertTask()], owner="first")
    second = Scheduler(context, [CashLimitAlertTask()], owner="second")
    now = utcnow()
    results = await asyncio.gather(first.tick(now), second.tick(now))
    assert sorted(r.status for batch in results for r in batch) == ["ran", "skipped"]
    assert await second.tick(now) == [] and await first.tick(now) == []  # alerted today: not due
    await running_bot.app.outbox.send_due()
    alert = await owner.expect("holds 800 000 UZS, more than its limit of 500 000 UZS")
    await manager.expect("больше лимита")
    await cashier.expect_no_message(timeout=0.3)

    await owner.press("🏦 Confirm the collection", message_id=alert.message_id)
    asked = await owner.expect("Send the amount")
    assert "Collection · Chilonzor" in asked.text or "🏦 Collection · Chilonzor" in asked.text
    await owner.press("🏦 All of it: 800 000 UZS", message_id=asked.message_id)
    await owner.expect("Add a note")
    await owner.send("Handed to the bank's collectors")
    done = await owner.expect("recorded")
    assert "Chilonzor now holds 0 UZS" in done.text
    assert (await balances_and_sums(engine))["Chilonzor"] == Decimal("0.00")

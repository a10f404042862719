"""/expense and /expenses through the emulator: bad amounts answered and nothing saved, the ceiling's confirmation,
a receipt that is not a picture refused, a photo attached and shown to the approver, auto-approval under the limit,
/cancel and the flow's timeout leaving nothing, a category deleted meanwhile, amounts in three languages, the list
with its filters, the Excel export, and the owner's categories and limits."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from PIL import Image
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

import handlers.expenses
from db.finance import Expense, ExpenseCategory
from db.models import Role
from sandbox.stack import RunningBot
from sandbox.telegram.client import SandboxClient, SandboxUser
from tests.e2e.flows import company_with_people, rows, scalar


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (320, 200), (240, 240, 240)).save(buffer, format="PNG")
    return buffer.getvalue()


async def shop(sandbox: SandboxClient, engine: AsyncEngine, cashier_language: str = "en"
               ) -> tuple[int, SandboxUser, SandboxUser]:
    owner = await sandbox.create_user("Dilnoza", language_code="en")
    cashier = await sandbox.create_user("Malika", language_code=cashier_language)
    company_id, _ = await company_with_people(engine, [(owner, Role.OWNER, ()),
                                                       (cashier, Role.CASHIER, ("Chilonzor",))])
    return company_id, owner, cashier


async def count_expenses(engine: AsyncEngine) -> int:
    return int(await scalar(engine, select(func.count()).select_from(Expense)) or 0)


async def test_bad_input_ceiling_receipt_and_approval(running_bot: RunningBot, sandbox: SandboxClient,
                                                      engine: AsyncEngine) -> None:
    _, owner, cashier = await shop(sandbox, engine)
    await cashier.send("/expense")
    await cashier.expect("How much was spent")
    for typed, answer in (("abc", "That is not an amount"), ("0", "more than zero"), ("-5 000", "more than zero"),
                          ("1,23456", "at most two decimals"), ("9 999 999 999 999", "too large to be real")):
        await cashier.send(typed)
        await cashier.expect(answer)
    await cashier.send("60 000 000")
    confirm = await cashier.expect("is more than the usual ceiling of 50 000 000 UZS")
    await cashier.press("✏️ Type it again", message_id=confirm.message_id)
    await cashier.expect("How much was spent")
    await cashier.send("60 mln")
    await cashier.expect("Is the amount right?")
    await cashier.press("✅ Yes, 60 000 000 UZS")
    await cashier.expect("Amount: 60 000 000 UZS. Which category?")
    await cashier.send("Rent")  # typed where a button is expected
    await cashier.expect("Please choose with the buttons above")
    await cashier.press("Supplies")
    await cashier.expect("Add a comment")
    await cashier.send("Shelves for the <new> hall")
    await cashier.expect("Send a photo of the receipt")
    await cashier.send_document(b"MZ\x90\x00 not a receipt", "receipt.exe", mime_type="application/x-msdownload")
    await cashier.expect("neither a picture nor a PDF")
    await cashier.send("here it is")
    await cashier.expect("Send a photo of the receipt (or a PDF), or press Skip.")
    await cashier.send_photo(png())
    review = await cashier.expect("Check the expense")
    assert "Receipt: attached" in review.text and "Shelves for the <new> hall" in review.text
    assert "Branch: Chilonzor" in review.text  # her only branch, not asked
    assert await count_expenses(engine) == 0  # nothing before Submit
    await cashier.press("✅ Submit")
    await cashier.expect("sent for approval to: Dilnoza")

    card = await owner.expect("Waiting for a decision")
    assert card.button_texts == ["✅ Approve", "❌ Reject", "📎 Receipt"]
    assert "&lt;new&gt;" in (card.html or "")
    await owner.press("📎 Receipt", message_id=card.message_id)
    photo = await owner.expect(predicate=lambda m: bool(m.get("photo")))
    assert "Expense #" in photo.text
    await owner.press("✅ Approve", message_id=card.message_id)
    await cashier.expect("approved by Dilnoza")
    assert await rows(engine, select(Expense.amount, Expense.status, Expense.attachment_kind)) == [
        (Decimal("60000000.00"), "approved", "photo")]


async def test_small_expenses_are_approved_at_once(running_bot: RunningBot, sandbox: SandboxClient,
                                                   engine: AsyncEngine) -> None:
    _, owner, cashier = await shop(sandbox, engine)
    await cashier.send("/expense")
    await cashier.expect("How much")
    await cashier.send("50k")
    await cashier.expect("Which category")
    await cashier.press("Transport")
    await cashier.expect("Add a comment")
    await cashier.press("Skip ⏭")
    await cashier.expect("Send a photo")
    await cashier.press("Skip ⏭")
    review = await cashier.expect("Check the expense")
    assert "Comment: —" in review.text and "Receipt: none" in review.text
    await cashier.press("✅ Submit")
    done = await cashier.expect("is recorded and approved")
    assert "50 000 UZS" in done.text and "100 000 UZS" in done.text
    await owner.expect_no_message(timeout=0.5)
    assert await rows(engine, select(Expense.status, Expense.auto_approved)) == [("approved", True)]


async def test_cancel_and_timeout_leave_nothing(running_bot: RunningBot, sandbox: SandboxClient,
                                                engine: AsyncEngine, monkeypatch: pytest.MonkeyPatch) -> None:
    _, _, cashier = await shop(sandbox, engine)
    await cashier.send("/expense")
    await cashier.expect("How much")
    await cashier.send("250 000")
    categories = await cashier.expect("Which category")
    await cashier.send("/cancel")
    await cashier.expect("Cancelled")
    stale = await cashier.press("Rent", message_id=categories.message_id)
    assert stale is not None and "This step is over" in stale["text"]

    await cashier.send("/expense")
    await cashier.expect("How much")
    await cashier.send("250 000")
    await cashier.expect("Which category")
    monkeypatch.setattr(handlers.expenses, "EXPENSE", replace(handlers.expenses.EXPENSE, ttl=timedelta(0)))
    expired = await cashier.press("Rent")
    assert expired is not None and "left unfinished for too long" in expired["text"]
    monkeypatch.undo()
    await cashier.send("300 000")  # the flow is over: this is no amount step any more
    await cashier.expect()
    assert await count_expenses(engine) == 0

    await cashier.send("/expense")
    await cashier.expect("How much")
    await cashier.press("Cancel")
    await cashier.expect("Cancelled")
    assert await count_expenses(engine) == 0


async def test_category_deleted_meanwhile(running_bot: RunningBot, sandbox: SandboxClient,
                                          engine: AsyncEngine) -> None:
    _, owner, cashier = await shop(sandbox, engine)
    await cashier.send("/expense")
    await cashier.expect("How much")
    await cashier.send("400 000")
    await cashier.expect("Which category")
    await cashier.press("Rent")
    await cashier.expect("Add a comment")
    await cashier.send("December")
    await cashier.expect("Send a photo")
    await cashier.press("Skip ⏭")
    await cashier.expect("Check the expense")

    await owner.send("/expenses")
    listing = await owner.expect("Expenses")
    await owner.press("⚙️ Categories and limits", message_id=listing.message_id)
    setup = await owner.expect("Expense settings")
    answer = await owner.press("✖️ Rent", message_id=setup.message_id)
    assert answer is not None and "Category removed" in answer["text"]

    await cashier.press("✅ Submit")
    again = await cashier.expect("That category has just been removed")
    assert "Rent" not in again.button_texts and "Other" in again.button_texts
    await cashier.press("Other")
    review = await cashier.expect("Check the expense")
    assert "Category: Other" in review.text and "Comment: December" in review.text
    await cashier.press("✅ Submit")
    await cashier.expect("sent for approval")
    assert await count_expenses(engine) == 1


@pytest.mark.parametrize(("language", "typed", "shown", "category"), [
    ("ru", "1,5 млн", "1 500 000 сум", "Аренда"), ("uz", "150 ming soʻm", "150 000 soʻm", "Ijara"),
    ("en", "1.5 mln", "1 500 000 UZS", "Rent")])
async def test_amounts_in_three_languages(running_bot: RunningBot, sandbox: SandboxClient, engine: AsyncEngine,
                                          language: str, typed: str, shown: str, category: str) -> None:
    _, _, cashier = await shop(sandbox, engine, cashier_language=language)
    await cashier.send("/expense")
    await cashier.expect("💸")
    await cashier.send(typed)
    asked = await cashier.expect(shown)
    assert category in asked.button_texts


async def test_list_filters_excel_and_the_owners_settings(running_bot: RunningBot, sandbox: SandboxClient,
                                                          engine: AsyncEngine) -> None:
    _, owner, cashier = await shop(sandbox, engine)
    for amount, category in (("40 000", "Transport"), ("700 000", "Rent")):
        await cashier.send("/expense")
        await cashier.expect("How much")
        await cashier.send(amount)
        await cashier.expect("Which category")
        await cashier.press(category)
        await cashier.expect("Add a comment")
        await cashier.press("Skip ⏭")
        await cashier.expect("Send a photo")
        await cashier.press("Skip ⏭")
        await cashier.expect("Check the expense")
        await cashier.press("✅ Submit")
        await cashier.expect(regex="approved|sent for approval")

    await owner.send("/expenses")
    listing = await owner.expect("Expenses")
    assert "2 expenses, 740 000 UZS in total" in listing.text
    assert "⏳ waiting" in listing.text and "✅ approved" in listing.text
    await owner.press("🔖 any status", message_id=listing.message_id)
    pending = await owner.expect("⏳ waiting")
    assert "1 expense, 700 000 UZS in total" in pending.text
    await owner.press("📥 Excel", message_id=pending.message_id)
    sent = await owner.expect(predicate=lambda m: bool(m.get("document")))
    sheet = load_workbook(io.BytesIO(await owner.download(sent))).active
    assert sheet is not None
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][0] == "Day" and len(values) == 3 and values[1][3] == "Rent"

    await cashier.send("/expenses")  # a cashier sees her own
    own = await cashier.expect("Expenses")
    assert "2 expenses" in own.text and "⚙️ Categories and limits" not in own.button_texts

    await owner.press("⚙️ Categories and limits", message_id=listing.message_id)
    await owner.expect("Expense settings")
    await owner.press("➕ Add a category")
    await owner.expect("Send the new category's name")
    await owner.send("Bank fees")
    added = await owner.expect("Category “Bank fees” is added")
    assert "✖️ Bank fees" in added.button_texts
    await owner.press("Approved at once below…", message_id=added.message_id)
    await owner.expect("approved at once")
    await owner.send("0")
    saved = await owner.expect("Saved.")
    assert "Approved at once when below: off" in saved.text
    assert await scalar(engine, select(func.count()).select_from(ExpenseCategory)
                        .where(ExpenseCategory.name == "Bank fees")) == 1

    await cashier.send("/expense")
    await cashier.expect("How much")
    await cashier.send("1000")
    await cashier.expect("Which category")
    await cashier.press("Bank fees")
    await cashier.expect("Add a comment")
    await cashier.press("Skip ⏭")
    await cashier.expect("Send a photo")
    await cashier.press("Skip ⏭")
    await cashier.expect("Check the expense")
    await cashier.press("✅ Submit")
    await cashier.expect("sent for approval")  # no auto-approval any more

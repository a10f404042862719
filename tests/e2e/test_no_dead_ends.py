"""Issue 11 items 7–10: no dead ends for a new owner and their staff, driven through the emulator."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from db.engine import create_session_factory
from db.models import Branch, Company, Membership, User
from sandbox.stack import RunningBot
from sandbox.telegram.client import SandboxClient
from tests.e2e.flows import create_company, invite_and_join, make_invite, message_by_id, onboard, rows, settle

PNG = (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
       b"\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00\x00\x00IEND\xaeB`\x82")


async def test_invite_is_shareable_and_the_owner_hears_who_joined(running_bot: RunningBot,
                                                                  sandbox: SandboxClient) -> None:
    owner = await sandbox.create_user("Dilnoza")
    await create_company(owner)
    await owner.send("/invite")
    await owner.expect("Which role")
    await owner.press("cashier")
    ready = await owner.expect("Send this link")
    share = [button for row in ready.inline_keyboard for button in row if "Share" in button["text"]]
    assert share and share[0]["url"].startswith("https://t.me/share/url?"), ready.inline_keyboard
    assert "Invite for a" not in ready.text and "Role: <b>cashier</b>" in (ready.html or "")

    payload = await make_invite(owner, "manager")
    newcomer = await sandbox.create_user("Malika", language_code="ru")
    await newcomer.send(f"/start {payload}")
    await newcomer.expect("Choose your language")
    await newcomer.press("🇷🇺 Русский")
    await newcomer.expect("Вы присоединились к компании")
    told = await owner.expect("joined")  # through the outbox, after the join committed
    assert "Malika" in told.text and "Oila Market" in told.text and "manager" in told.text


async def test_refusals_name_roles_and_whom_to_ask(running_bot: RunningBot, sandbox: SandboxClient) -> None:
    owner = await sandbox.create_user("Dilnoza")
    await create_company(owner)
    cashier = await invite_and_join(sandbox, owner, "cashier", "Malika")
    await cashier.send("/members")
    refused = await cashier.expect("Your role does not allow this")
    assert "owner, manager" in refused.text and "ask the company owner" in refused.text

    # a cashier's menu offers what a cashier can do, and /mysales says why there is nothing yet
    await cashier.send("/help")
    helped = await cashier.expect("Commands for you")
    assert "/mysales" in helped.text and "/members" not in helped.text
    keyboard = await cashier.reply_keyboard()
    assert keyboard and ["🧾 My sales"] in keyboard and all("Members" not in b for row in keyboard for b in row)
    await cashier.press_reply("🧾 My sales")
    await cashier.expect("not linked to a seller in REGOS")


async def test_owner_menu_reaches_sync_settings_and_regos(running_bot: RunningBot, sandbox: SandboxClient) -> None:
    owner = await sandbox.create_user("Dilnoza")
    await create_company(owner)
    keyboard = await owner.reply_keyboard()
    assert keyboard and ["🔄 Sync", "⚙️ Settings", "🔌 REGOS"] in keyboard, keyboard
    await owner.press_reply("⚙️ Settings")
    await owner.expect("Daily at")
    await owner.press_reply("🔌 REGOS")
    await owner.expect("REGOS")


async def test_accountant_may_follow_summaries(running_bot: RunningBot, sandbox: SandboxClient,
                                               engine: AsyncEngine) -> None:
    owner = await sandbox.create_user("Dilnoza")
    await create_company(owner)
    accountant = await invite_and_join(sandbox, owner, "accountant", "Nodira")
    await accountant.send("/settings")
    await accountant.expect("Daily at")
    await settle()
    assert ("accountant",) in await rows(engine, select(Membership.role))


async def test_welcome_promises_only_what_the_bot_does_and_files_get_an_answer(
        running_bot: RunningBot, sandbox: SandboxClient) -> None:
    newcomer = await sandbox.create_user("Aziz")
    welcome = await onboard(newcomer)
    # what is built now, and nothing the bot does not do (it grows as features land)
    for feature in ("REGOS", "daily summary", "questions", "expenses", "cash registers", "supplier invoices",
                    "payroll", "tax report"):
        assert feature in welcome.text, (feature, welcome.text)
    # someone who may not hand in invoices (here: no company yet) hears who may, and what to do instead
    await newcomer.send_photo(PNG)
    answer = await newcomer.expect("supplier invoices")
    assert "storekeeper" in answer.text and "/help" in answer.text and "can't read" not in answer.text
    await newcomer.send_document(b"%PDF-1.4\n", "invoice.pdf", mime_type="application/pdf")
    await newcomer.expect("supplier invoices")


async def test_a_double_tap_on_a_step_is_not_an_error(running_bot: RunningBot, sandbox: SandboxClient) -> None:
    owner = await sandbox.create_user("Dilnoza")
    await onboard(owner)
    await owner.press("Create a company")
    await owner.expect("What is the company called")
    await owner.send("Oila Market")
    await owner.expect("TIN")
    await owner.send("305123456")
    zones = await owner.expect("time zone")
    tashkent = zones.button("Asia/Tashkent")["callback_data"]
    await owner.press("Asia/Tashkent", message_id=zones.message_id)
    await owner.expect("tax regime")
    # the same button again, after its buttons are gone: the edit changes nothing and that is fine
    answer = await owner.press(data=tashkent, message_id=zones.message_id, forge=True)
    assert answer is not None and "went wrong" not in (answer.get("text") or "")
    sent = [m.text for m in await owner.bot_messages()]
    assert not any("went wrong" in text for text in sent), sent


async def test_text_that_cannot_be_a_key_keeps_the_key_step(running_bot: RunningBot, sandbox: SandboxClient) -> None:
    owner = await sandbox.create_user("Dilnoza")
    await create_company(owner)
    await owner.send("/regos")
    await owner.expect("Paste your REGOS integration key")
    sent = await owner.send("where do I find it?")
    await owner.expect("This is not an integration key")
    kept = await message_by_id(owner, sent["message_id"])
    assert not kept.deleted  # a question is not a secret: it stays, and nothing was sent to REGOS
    await owner.send("hmm")
    await owner.expect("This is not an integration key")  # still the key step


async def test_members_list_and_branch_picker_lead_somewhere(running_bot: RunningBot, sandbox: SandboxClient,
                                                             engine: AsyncEngine) -> None:
    owner = await sandbox.create_user("Dilnoza")
    await create_company(owner)
    manager = await invite_and_join(sandbox, owner, "manager", "Malika")
    await invite_and_join(sandbox, owner, "cashier", "Aziz")
    await settle()
    async with create_session_factory(engine)() as session:
        company_id = (await session.scalars(select(Company.id))).one()
        session.add_all([Branch(company_id=company_id, name=name) for name in ("Chilonzor", "Sergeli")])
        await session.commit()

    # a manager is offered only the members a manager may change: not the owner, not themselves
    await manager.send("/members")
    listing = await manager.expect("Members of")
    assert "Dilnoza" in listing.text and listing.button_texts == ["Aziz · cashier"], listing.button_texts

    # the branch picker of /settings has Back and Done, which lead back to the settings card
    await owner.send("/settings")
    card = await owner.expect("Daily at")
    await owner.press("Branches I follow", message_id=card.message_id)
    picker = await owner.expect("Choose the branches")
    assert "Back" in picker.button_texts, picker.button_texts
    assert "✅ Done" in picker.button_texts
    # a double tap on a branch has one effect: it is unfollowed, not followed again
    chilonzor = picker.button("✅ Chilonzor")["callback_data"]
    for _ in range(2):
        answer = await owner.press(data=chilonzor, message_id=picker.message_id, forge=True)
        assert answer is not None and not answer.get("show_alert"), answer
    after = await message_by_id(owner, picker.message_id)
    assert "Chilonzor" in after.button_texts and "✅ Sergeli" in after.button_texts, after.button_texts
    await owner.press("✅ Done", message_id=picker.message_id)
    await owner.expect("Daily at")

    # a manager of one branch has nothing to choose: the card does not offer the picker
    async with create_session_factory(engine)() as session:
        membership = await session.scalar(select(Membership).join(User).where(User.first_name == "Malika"))
        branch = await session.scalar(select(Branch).where(Branch.name == "Sergeli"))
        assert membership is not None and branch is not None
        await session.run_sync(lambda _: membership.branches.append(branch))
        await session.commit()
    await manager.send("/settings")
    card = await manager.expect("Daily at")
    assert "Branches I follow" not in card.button_texts, card.button_texts

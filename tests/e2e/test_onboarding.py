"""Onboarding, invites, roles, languages and refusals, driven over HTTP through the emulator as users would."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from db.engine import create_session_factory
from db.models import AuditLog, Branch, Company, CompanyTaxRegime, Invite, Membership, User
from sandbox.stack import RunningBot
from sandbox.telegram.client import SandboxClient
from tests.e2e.flows import count, create_company, make_invite, rows, settle


async def test_create_company_in_english(running_bot: RunningBot, sandbox: SandboxClient,
                                         engine: AsyncEngine) -> None:
    owner = await sandbox.create_user("Dilnoza", language_code="ru")
    await owner.send("/start")
    await owner.expect("Choose your language")
    await owner.press("🇬🇧 English")
    await owner.expect("Language set: English")
    await owner.press("Create a company")
    await owner.expect("What is the company called")
    await owner.send("Oila <Market>")
    await owner.expect("TIN")
    await owner.send("12345")  # not 9 digits
    refusal = await owner.expect("exactly 9 digits")
    assert refusal.from_bot
    await owner.send("305 123 456")
    await owner.expect("time zone")
    await owner.send("Mars/Olympus")
    await owner.expect("is not a time zone I know")
    await owner.send("hello")  # text where a button or zone is expected
    await owner.expect("is not a time zone I know")
    await owner.press("Asia/Tashkent")
    await owner.expect("tax regime")
    await owner.send("VAT please")  # text where a button is expected
    await owner.expect("Please choose with the buttons above")
    await owner.press("VAT (general regime)")
    done = await owner.expect("is created")
    assert "Oila <Market>" in done.text and "305123456" in done.text
    assert "Oila &lt;Market&gt;" in (done.html or "")
    keyboard = await owner.reply_keyboard()
    assert keyboard and ["➕ Invite", "👥 Members"] in keyboard

    companies = await rows(engine, select(Company.name, Company.tin, Company.timezone))
    assert companies == [("Oila <Market>", "305123456", "Asia/Tashkent")]
    regimes = await rows(engine, select(CompanyTaxRegime.regime))
    assert regimes == [("vat",)]
    members = await rows(engine, select(Membership.role, User.telegram_id, User.language).join(User))
    assert members == [("owner", owner.id, "en")]


async def test_invite_join_role_change_and_refusals(running_bot: RunningBot, sandbox: SandboxClient,
                                                    engine: AsyncEngine) -> None:
    owner = await sandbox.create_user("Dilnoza")
    await create_company(owner)
    payload = await make_invite(owner, "cashier")

    cashier = await sandbox.create_user("Malika", language_code="ru")
    await cashier.send(f"/start {payload}")
    await cashier.expect("Choose your language")
    await cashier.press("🇷🇺 Русский")
    joined = await cashier.expect("Вы присоединились")
    assert "Oila Market" in joined.text and "кассир" in joined.text

    # the invite works once
    intruder = await sandbox.create_user("Bobur")
    await intruder.send("/start")
    await intruder.expect("Choose your language")
    await intruder.press("🇺🇿 Oʻzbekcha")
    await intruder.expect("hali hech qaysi kompaniyada emassiz")
    await intruder.send(f"/start {payload}")
    await intruder.expect("allaqachon ishlatilgan")
    await intruder.send("/start inv_forged-code-1234")
    await intruder.expect("yaroqsiz")
    await intruder.send("/members")
    await intruder.expect("hali kompaniyada emassiz")

    # a cashier may not manage members
    await cashier.send("/members")
    await cashier.expect("Ваша роль не позволяет")
    await cashier.send("/invite")
    await cashier.expect("Ваша роль не позволяет")

    # the owner promotes the cashier to manager through the member card
    await owner.send("/members")
    listing = await owner.expect("Members of")
    assert "Malika" in listing.text and "cashier" in listing.text
    await owner.press(next(t for t in listing.button_texts if t.startswith("Malika")))
    await owner.expect("Role: cashier")
    await owner.press("Change role")
    await owner.expect("Choose the new role")
    await owner.press("manager")
    await owner.expect("Malika has a new role: manager")

    # the owner cannot demote or remove themselves as the last owner
    await owner.send("/members")
    listing = await owner.expect("Members of")
    await owner.press(next(t for t in listing.button_texts if t.startswith("Dilnoza")))
    await owner.expect("Role: owner")
    await owner.press("Remove")
    await owner.expect("Remove Dilnoza")
    answer = await owner.press("Yes, remove")
    assert answer and "at least one owner" in answer["text"]

    roles = dict(await rows(engine, select(User.first_name, Membership.role).join(User)))
    assert roles == {"Dilnoza": "owner", "Malika": "manager"}
    actions = [row[0] for row in await rows(engine, select(AuditLog.action).order_by(AuditLog.id))]
    assert actions == ["company.created", "invite.created", "invite.redeemed", "member.role_changed"]

    # the new manager can invite, but only roles below manager
    await cashier.send("/invite")
    roles_offered = await cashier.expect("Какая роль")
    assert "владелец" not in roles_offered.button_texts and "кассир" in roles_offered.button_texts


async def test_forged_and_foreign_callback_data_change_nothing(running_bot: RunningBot, sandbox: SandboxClient,
                                                               engine: AsyncEngine) -> None:
    first = await sandbox.create_user("Aziz")
    await create_company(first, name="First")
    second = await sandbox.create_user("Bekzod")
    await create_company(second, name="Second", tin="222222222")
    await second.send("/members")
    listing = await second.expect("Members of")
    foreign_button = listing.inline_keyboard[0][0]["callback_data"]  # mb:<company>:open:<member>::0
    foreign_company, member_id = foreign_button.split(":")[1], foreign_button.split(":")[3]

    # the first owner presses buttons carrying the second company's ids
    await first.send("/members")
    own = await first.expect("Members of")
    own_company = own.inline_keyboard[0][0]["callback_data"].split(":")[1]
    for forged, expected in (
        (f"mb:{foreign_company}:rmok:{member_id}::0", "made for another company"),
        (f"mb:{foreign_company}:open:{member_id}::0", "made for another company"),
        (f"mb:{own_company}:rmok:{member_id}::0", "not in your company"),
        (f"mb:{own_company}:set:{member_id}:staff:0", "not in your company"),
        (f"mb:{own_company}:set:{member_id}:emperor:0", "out of date"),
        (f"mb:{own_company}:zzz:1::0", "out of date"),
        ("garbage", "out of date"),
        (f"iv:{own_company}:12345:role:owner:0", "step is over"),  # no invite flow is running
        (f"iv:{foreign_company}:12345:all:owner:0", "made for another company"),
        (f"st:{foreign_company}:mute:0", "made for another company"),
        (f"rg:{foreign_company}:key:0", "made for another company"),
        (f"sw:{foreign_company}", "not among yours"),
    ):
        answer = await first.press(data=forged, message_id=own.message_id, forge=True)
        assert answer and answer.get("show_alert") and expected in answer["text"], (forged, answer)
    await first.expect_no_message(timeout=0.5)
    assert await count(engine, Membership) == 2 and await count(engine, Invite) == 0
    roles = await rows(engine, select(Membership.role))
    assert sorted(r[0] for r in roles) == ["owner", "owner"]


async def test_invite_buttons_die_with_their_flow(running_bot: RunningBot, sandbox: SandboxClient,
                                                  engine: AsyncEngine) -> None:
    """Issue 11 item 6: /invite → owner → /cancel → the old "All branches" must not make an owner invite."""
    owner = await sandbox.create_user("Dilnoza")
    await create_company(owner)
    await settle()
    async with create_session_factory(engine)() as session:
        company_id = (await session.scalars(select(Company.id))).one()
        session.add_all([Branch(company_id=company_id, name=name) for name in ("Chilonzor", "Sergeli")])
        await session.commit()

    await owner.send("/invite")
    roles_card = await owner.expect("Which role")
    owner_role = roles_card.inline_keyboard[0][0]["callback_data"]
    await owner.press("owner")
    branches_card = await owner.expect("Which branch")  # the same message, edited
    assert branches_card.button_texts == ["All branches", "Chilonzor", "Sergeli"]
    await owner.send("/cancel")
    await owner.expect("Cancelled")
    for label in ("All branches", "Chilonzor"):
        answer = await owner.press(label, message_id=branches_card.message_id)
        assert answer and answer["show_alert"] and "This step is over" in answer["text"], (label, answer)
    answer = await owner.press(data=owner_role, message_id=roles_card.message_id, forge=True)
    assert answer and answer["show_alert"] and "This step is over" in answer["text"], answer
    await owner.expect_no_message(timeout=0.5)
    assert await count(engine, Invite) == 0

    # a flow that ran to its end: its last button, pressed again, makes no second invite
    await owner.send("/invite")
    await owner.expect("Which role")
    await owner.press("cashier")
    card = await owner.expect("Which branch")
    sergeli = card.inline_keyboard[2][0]["callback_data"]
    await owner.press("Sergeli", message_id=card.message_id)
    await owner.expect("Send this link")
    answer = await owner.press(data=sergeli, message_id=card.message_id, forge=True)  # a second tap, late
    assert answer and "This step is over" in answer["text"]
    invites = await rows(engine, select(Invite.role, Invite.branch_id))
    assert len(invites) == 1 and invites[0][0] == "cashier"

    # a second /invite makes the first one's buttons stale too
    await owner.send("/invite")
    old = await owner.expect("Which role")
    await owner.send("/invite")
    await owner.expect("Which role")
    answer = await owner.press("staff", message_id=old.message_id)
    assert answer and "This step is over" in answer["text"]


async def test_double_tap_is_not_an_error(running_bot: RunningBot, sandbox: SandboxClient) -> None:
    """Pressing a button twice shows the same view twice: "message is not modified" is no error anywhere."""
    owner = await sandbox.create_user("Dilnoza")
    await create_company(owner)
    await owner.send("/members")
    listing = await owner.expect("Members of")
    open_card = listing.inline_keyboard[0][0]["callback_data"]
    for _ in range(2):  # the second tap arrives after the card replaced the list, as on a slow network
        answer = await owner.press(data=open_card, message_id=listing.message_id, forge=True)
        assert answer is not None and not answer.get("show_alert") and not answer.get("text"), answer
    await owner.expect("Role: owner")
    await owner.send("/lang")
    picker = await owner.expect("Choose your language")
    for _ in range(2):
        answer = await owner.press(data="lang:en", message_id=picker.message_id, forge=True)
        assert answer is not None and not answer.get("show_alert"), answer
    errors = [m for m in await owner.messages() if m.from_bot and "went wrong" in m.text]
    assert errors == []


async def test_language_change_and_help_and_unknown(running_bot: RunningBot, sandbox: SandboxClient) -> None:
    owner = await sandbox.create_user("Dilnoza")
    await create_company(owner)
    await owner.send("/help")
    help_text = await owner.expect("Commands for you (owner)")
    assert "/invite" in help_text.text and "/members" in help_text.text
    await owner.send("/lang")
    await owner.expect("Choose your language")
    await owner.press("🇷🇺 Русский")
    await owner.expect("Язык: русский")
    await owner.send("/nosuchcommand")
    await owner.expect("Я не знаю команду /nosuchcommand")
    await owner.send("just some words")
    await owner.expect("Я не понял")
    await owner.press_reply("❓ Помощь")
    await owner.expect("Ваши команды (владелец)")


async def test_company_switch_for_user_in_two(running_bot: RunningBot, sandbox: SandboxClient,
                                              engine: AsyncEngine) -> None:
    first = await sandbox.create_user("Aziz")
    await create_company(first, name="First")
    second = await sandbox.create_user("Bekzod")
    await create_company(second, name="Second", tin="222222222")
    payload = await make_invite(second, "accountant")
    await first.send(f"/start {payload}")
    await first.expect("You have joined")
    await first.send("/company")
    picker = await first.expect("Choose the active company")
    assert any(t.startswith("✅ Second") for t in picker.button_texts)
    await first.press(next(t for t in picker.button_texts if t.startswith("First")))
    await first.expect("Active company: First (owner)")
    active = await rows(engine, select(User.active_company_id).where(User.telegram_id == first.id))
    names = dict(await rows(engine, select(Company.id, Company.name)))
    assert names[active[0][0]] == "First"


async def test_expired_invite_is_refused(running_bot: RunningBot, sandbox: SandboxClient,
                                         engine: AsyncEngine) -> None:
    from datetime import timedelta

    from db.base import utcnow

    owner = await sandbox.create_user("Dilnoza")
    await create_company(owner)
    payload = await make_invite(owner, "staff")
    await settle()
    async with create_session_factory(engine)() as session:
        invite = await session.scalar(select(Invite))
        assert invite is not None
        invite.expires_at = utcnow() - timedelta(minutes=1)
        await session.commit()
    newcomer = await sandbox.create_user("Late", language_code="en")
    await newcomer.send(f"/start {payload}")
    await newcomer.expect("Choose your language")
    await newcomer.press("🇬🇧 English")
    await newcomer.expect("This invite has expired")
    assert await count(engine, Membership) == 1


async def test_members_list_pages_for_a_large_company(running_bot: RunningBot, sandbox: SandboxClient,
                                                      engine: AsyncEngine) -> None:
    owner = await sandbox.create_user("Dilnoza")
    await create_company(owner)
    await settle()
    async with create_session_factory(engine)() as session:
        company_id = (await session.scalars(select(Company.id))).one()
        for index in range(44):
            user = User(telegram_id=900_000 + index, first_name=f"Xodim {index:02d}", language="uz")
            session.add(user)
            await session.flush()
            session.add(Membership(user_id=user.id, company_id=company_id, role="staff"))
        await session.commit()
    await owner.send("/members")
    first = await owner.expect("Members of")
    assert "Members of Oila Market: 45" in first.text and "1/3" in first.text
    assert len(first.button_texts) == 22 and len(first.text) < 4096  # 20 people, ◀ and ▶
    await owner.press("▶")
    second = await owner.expect("2/3")
    assert "Xodim 19" in second.text and "Xodim 18" not in second.text
    await owner.press("◀", message_id=second.message_id)
    await owner.expect("1/3")

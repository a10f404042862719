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

    # the only owner's card says why it offers no change: a new role or a removal could only be refused
    # (the service still refuses them: see the forged presses in the next test)
    await owner.send("/members")
    listing = await owner.expect("Members of")
    await owner.press(next(t for t in listing.button_texts if t.startswith("Dilnoza")))
    card = await owner.expect("Role: owner")
    assert "only owner" in card.text and card.button_texts == ["Back"], card.button_texts

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
    foreign_button = listing.inline_keyboard[0][0]["callback_data"]  # mb:<company>:open:<member>:0
    foreign_company, member_id = foreign_button.split(":")[1], foreign_button.split(":")[3]

    # the first owner opens their own removal question (a member-change flow) and a /company picker, so the
    # forged presses below carry a running flow's id: only the company, the member or the target is forged
    await first.send("/members")
    own = await first.expect("Members of")
    own_company, own_member = own.inline_keyboard[0][0]["callback_data"].split(":")[1:4:2]
    await first.press(next(t for t in own.button_texts if t.startswith("Aziz")))
    await first.expect("Role: owner")  # the only owner: the card offers no change (see the test above)
    await first.press(data=f"mb:{own_company}:rm:{own_member}:0", message_id=own.message_id, forge=True)
    question = await first.expect("Remove Aziz")
    confirm = question.inline_keyboard[0][0]["callback_data"]  # mc:<company>:<flow>:rm:<member>:
    assert confirm.startswith(f"mc:{own_company}:") and confirm.endswith(f":rm:{own_member}:")
    flow = confirm.split(":")[2]
    await first.send("/company")
    picker = await first.expect("Choose the active company")
    switch_flow = picker.inline_keyboard[0][0]["callback_data"].split(":")[1]  # sw:<flow>:<company>
    stale = str(int(flow) % 999_999_999 + 1)  # a flow id that is not the running one
    for forged, expected in (
        (f"mc:{foreign_company}:{flow}:rm:{member_id}:", "made for another company"),
        (f"mb:{foreign_company}:open:{member_id}:0", "made for another company"),
        (f"mc:{own_company}:{flow}:rm:{member_id}:", "not in your company"),
        (f"mc:{own_company}:{flow}:set:{member_id}:staff", "not in your company"),
        (f"mc:{own_company}:{flow}:set:{member_id}:emperor", "out of date"),
        (f"mc:{own_company}:{stale}:set:{own_member}:staff", "step is over"),  # not the running change
        (f"mc:{own_company}:{flow}:rm:{own_member}:", "at least one owner"),
        (f"mb:{own_company}:zzz:1:0", "out of date"),
        ("garbage", "out of date"),
        (f"iv:{own_company}:12345:role:owner:0", "step is over"),  # no invite flow is running
        (f"iv:{foreign_company}:12345:all:owner:0", "made for another company"),
        (f"st:{foreign_company}:mute:0", "made for another company"),
        (f"rg:{foreign_company}:key:0", "made for another company"),
        (f"sw:{switch_flow}:{foreign_company}", "not among yours"),
        (f"sw:{stale}:{own_company}", "step is over"),  # not the running picker
    ):
        answer = await first.press(data=forged, message_id=own.message_id, forge=True)
        assert answer and answer.get("show_alert") and expected in answer["text"], (forged, answer)
    await first.expect_no_message(timeout=0.5)
    assert await count(engine, Membership) == 2 and await count(engine, Invite) == 0
    roles = await rows(engine, select(Membership.role))
    assert sorted(r[0] for r in roles) == ["owner", "owner"]
    names = dict(await rows(engine, select(Company.id, Company.name)))
    active = await rows(engine, select(User.active_company_id).where(User.telegram_id == first.id))
    assert names[active[0][0]] == "First"


async def test_member_change_and_company_switch_buttons_die_with_their_flow(
        running_bot: RunningBot, sandbox: SandboxClient, engine: AsyncEngine) -> None:
    """Issue 11 item 6 for /members and /company: after /cancel, a done change or a newer picker, an old button
    says the step is over and changes nothing."""
    owner = await sandbox.create_user("Dilnoza")
    await create_company(owner)
    payload = await make_invite(owner, "cashier")
    cashier = await sandbox.create_user("Malika", language_code="en")
    await cashier.send(f"/start {payload}")
    await cashier.expect("Choose your language")
    await cashier.press("🇬🇧 English")
    await cashier.expect("You have joined")

    async def malika_card() -> None:
        await owner.send("/members")
        listing = await owner.expect("Members of")
        await owner.press(next(t for t in listing.button_texts if t.startswith("Malika")))
        await owner.expect("Role: cashier")

    async def role_of_malika() -> str:
        return (await rows(engine, select(Membership.role).join(User).where(User.first_name == "Malika")))[0][0]

    # the role picker, then /cancel: its buttons are dead
    await malika_card()
    await owner.press("Change role")
    picker = await owner.expect("Choose the new role")
    await owner.send("/cancel")
    await owner.expect("Cancelled")
    answer = await owner.press("manager", message_id=picker.message_id)
    assert answer and answer["show_alert"] and "This step is over" in answer["text"], answer
    assert await role_of_malika() == "cashier"

    # a change that went through: a second tap on the same picker changes nothing more
    await malika_card()
    await owner.press("Change role")
    picker = await owner.expect("Choose the new role")
    accountant = next(b["callback_data"] for row in picker.inline_keyboard for b in row if b["text"] == "accountant")
    await owner.press("manager", message_id=picker.message_id)
    await owner.expect("Malika has a new role: manager")
    answer = await owner.press(data=accountant, message_id=picker.message_id, forge=True)
    assert answer and answer["show_alert"] and "This step is over" in answer["text"], answer
    assert await role_of_malika() == "manager"

    # the removal question, then /cancel: "Yes, remove" is dead
    await owner.send("/members")
    listing = await owner.expect("Members of")
    await owner.press(next(t for t in listing.button_texts if t.startswith("Malika")))
    await owner.press("Remove")
    question = await owner.expect("Remove Malika")
    await owner.send("/cancel")
    await owner.expect("Cancelled")
    answer = await owner.press("Yes, remove", message_id=question.message_id)
    assert answer and answer["show_alert"] and "This step is over" in answer["text"], answer
    assert await count(engine, Membership) == 2

    # /company: a picker after /cancel, an older picker, and a picker already used all refuse
    second = await sandbox.create_user("Bekzod")
    await create_company(second, name="Second", tin="222222222")
    await owner.send(f"/start {await make_invite(second, 'accountant')}")
    await owner.expect("You have joined")
    await owner.send("/company")
    cancelled = await owner.expect("Choose the active company")
    await owner.send("/cancel")
    await owner.expect("Cancelled")
    answer = await owner.press(next(t for t in cancelled.button_texts if t.startswith("Oila Market")),
                               message_id=cancelled.message_id)
    assert answer and answer["show_alert"] and "This step is over" in answer["text"], answer
    await owner.send("/company")
    older = await owner.expect("Choose the active company")
    await owner.send("/company")
    newer = await owner.expect("Choose the active company")
    answer = await owner.press(next(t for t in older.button_texts if t.startswith("Oila Market")),
                               message_id=older.message_id)
    assert answer and answer["show_alert"] and "This step is over" in answer["text"], answer
    names = dict(await rows(engine, select(Company.id, Company.name)))
    active = await rows(engine, select(User.active_company_id).where(User.telegram_id == owner.id))
    assert names[active[0][0]] == "Second"
    used = next(b["callback_data"] for row in newer.inline_keyboard for b in row if b["text"].startswith("Oila"))
    await owner.press(data=used, message_id=newer.message_id, forge=True)
    await owner.expect("Active company: Oila Market (owner)")
    back = next(b["callback_data"] for row in newer.inline_keyboard for b in row if "Second" in b["text"])
    answer = await owner.press(data=back, message_id=newer.message_id, forge=True)
    assert answer and answer["show_alert"] and "This step is over" in answer["text"], answer
    active = await rows(engine, select(User.active_company_id).where(User.telegram_id == owner.id))
    assert names[active[0][0]] == "Oila Market"


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

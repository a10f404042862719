"""Onboarding, invites, roles, languages and refusals, driven over HTTP through the emulator as users would."""

from __future__ import annotations

import re

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from db.engine import create_session_factory
from db.models import AuditLog, Company, CompanyTaxRegime, Invite, Membership, User
from sandbox.stack import RunningBot
from sandbox.telegram.client import SandboxClient, SandboxUser
from tests.e2e.conftest import settle


async def _rows(engine: AsyncEngine, statement):  # type: ignore[no-untyped-def]
    await settle()
    async with create_session_factory(engine)() as session:
        return (await session.execute(statement)).all()


async def _count(engine: AsyncEngine, model: type) -> int:
    await settle()
    async with create_session_factory(engine)() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def create_company(user: SandboxUser, *, language_button: str = "🇬🇧 English", name: str = "Oila Market",
                         tin: str = "305123456") -> None:
    await user.send("/start")
    await user.expect("Choose your language")
    await user.press(language_button)
    await user.expect("not in a company yet")
    await user.press("Create a company")
    await user.expect("What is the company called")
    await user.send(name)
    await user.expect("TIN")
    await user.send(tin)
    await user.expect("time zone")
    await user.press("Asia/Tashkent")
    await user.expect("tax regime")
    await user.press("Turnover tax")
    await user.expect("is created and you are its owner")


async def make_invite(owner: SandboxUser, role_label: str) -> str:
    await owner.send("/invite")
    await owner.expect("Which role")
    await owner.press(role_label)
    ready = await owner.expect("Send this link")
    match = re.search(r"start=(inv_[\w-]+)", ready.text)
    assert match, ready.text
    return match.group(1)


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

    companies = await _rows(engine, select(Company.name, Company.tin, Company.timezone))
    assert companies == [("Oila <Market>", "305123456", "Asia/Tashkent")]
    regimes = await _rows(engine, select(CompanyTaxRegime.regime))
    assert regimes == [("vat",)]
    members = await _rows(engine, select(Membership.role, User.telegram_id, User.language).join(User))
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
    await owner.expect("Malika is now manager")

    # the owner cannot demote or remove themselves as the last owner
    await owner.send("/members")
    listing = await owner.expect("Members of")
    await owner.press(next(t for t in listing.button_texts if t.startswith("Dilnoza")))
    await owner.expect("Role: owner")
    await owner.press("Remove")
    await owner.expect("Remove Dilnoza")
    answer = await owner.press("Yes, remove")
    assert answer and "at least one owner" in answer["text"]

    roles = dict(await _rows(engine, select(User.first_name, Membership.role).join(User)))
    assert roles == {"Dilnoza": "owner", "Malika": "manager"}
    actions = [row[0] for row in await _rows(engine, select(AuditLog.action).order_by(AuditLog.id))]
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
    foreign_button = listing.inline_keyboard[0][0]["callback_data"]  # e.g. mb:2:open:2:-1

    # the first owner presses buttons carrying the second company's ids
    await first.send("/members")
    own = await first.expect("Members of")
    company_id, member_id = foreign_button.split(":")[1], foreign_button.split(":")[3]
    for forged in (f"mb:{company_id}:rmok:{member_id}:-1", f"mb:1:rmok:{member_id}:-1",
                   f"mb:1:set:{member_id}:6", "mb:1:zzz:1:-1", "garbage", "iv:1:99:0", f"co:{company_id}"):
        answer = await first.press(data=forged, message_id=own.message_id, forge=True)
        assert answer and answer.get("show_alert"), forged
    assert await _count(engine, Membership) == 2
    roles = await _rows(engine, select(Membership.role))
    assert sorted(r[0] for r in roles) == ["owner", "owner"]


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
    active = await _rows(engine, select(User.active_company_id).where(User.telegram_id == first.id))
    names = dict(await _rows(engine, select(Company.id, Company.name)))
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
    assert await _count(engine, Membership) == 1


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

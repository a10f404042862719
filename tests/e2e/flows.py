"""Reusable user flows over the emulator (no tests here): onboard with a language, create a company, invite and
join with a role, connect REGOS (through the chat, or the fake gateway directly), press a button by the start of
its text, read the last message; and reading the database once the bot has finished what it is handling.

The texts a flow waits for are short fragments of the locale files, in the languages the flow supports."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.factory import App
from db.engine import create_session_factory
from db.models import Company, Role, TaxRegime
from db.regos_data import RegosConnection
from sandbox.regos.server import FakeRegos
from sandbox.stack import RunningBot
from sandbox.telegram.client import SandboxClient, SandboxMessage, SandboxUser
from services.crypto import SecretBox
from services.sync.connection import connect_company

FAKE_REGOS_KEY = "0f" * 16  # a key the e2e fakes are started with (`keys=[FAKE_REGOS_KEY]`)


# -- the bot's own pace ---------------------------------------------------------------------------------------------

RUNNING: list[RunningBot] = []  # the bots the `running_bot` fixture has started


async def settle() -> None:
    """Before a test reads the database: let the bot finish (and commit) the updates it is handling."""
    for running in RUNNING:
        await running.idle()


async def rows(engine: AsyncEngine, statement: Any) -> list[Any]:
    await settle()
    async with create_session_factory(engine)() as session:
        return list((await session.execute(statement)).all())


async def scalar(engine: AsyncEngine, statement: Any) -> Any:
    await settle()
    async with create_session_factory(engine)() as session:
        return await session.scalar(statement)


async def count(engine: AsyncEngine, model: type) -> int:
    return int(await scalar(engine, select(func.count()).select_from(model)) or 0)


# -- texts ----------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Texts:
    language_button: str
    no_company: str
    create_button: str
    ask_name: str
    ask_tin: str
    ask_timezone: str
    ask_regime: str
    regime_buttons: dict[TaxRegime, str]
    created: str
    ask_role: str
    invite_ready: str
    joined: str


TEXTS = {
    "en": Texts("🇬🇧 English", "not in a company yet", "Create a company", "What is the company called", "TIN",
                "time zone", "tax regime", {TaxRegime.TURNOVER: "Turnover tax", TaxRegime.VAT: "VAT (general regime)"},
                "is created and you are its owner", "Which role", "Send this link", "You have joined"),
    "ru": Texts("🇷🇺 Русский", "Вы пока не состоите в компании", "Создать компанию", "Как называется компания", "ИНН",
                "часовой пояс", "налоговый режим",
                {TaxRegime.TURNOVER: "Налог с оборота", TaxRegime.VAT: "НДС (общий режим)"},
                "создана", "Какая роль", "Отправьте эту ссылку", "Вы присоединились"),
    "uz": Texts("🇺🇿 Oʻzbekcha", "hali hech qaysi kompaniyada emassiz", "Kompaniya yaratish", "Kompaniya nomi nima",
                "STIR", "vaqt mintaqasi", "soliq rejimida",
                {TaxRegime.TURNOVER: "Aylanmadan olinadigan soliq", TaxRegime.VAT: "QQS (umumiy rejim)"},
                "yaratildi", "qaysi rolda", "havolani", "qoʻshildingiz"),
}


# -- onboarding, companies, invites ---------------------------------------------------------------------------------


async def choose_language(user: SandboxUser, language: str = "en", *, start: str = "/start") -> None:
    """`/start` (or a deep link) as a newcomer, and the language picked."""
    await user.send(start)
    await user.expect("Choose your language")
    await user.press(TEXTS[language].language_button)


async def onboard(user: SandboxUser, language: str = "en") -> SandboxMessage:
    """A newcomer picks a language and is offered to create a company."""
    await choose_language(user, language)
    return await user.expect(TEXTS[language].no_company)


async def start_company(user: SandboxUser, *, language: str = "en", name: str = "Oila Market",
                        tin: str = "305123456", timezone: str = "Asia/Tashkent") -> None:
    """Onboarding and company creation up to the tax regime question."""
    texts = TEXTS[language]
    await onboard(user, language)
    await user.press(texts.create_button)
    await user.expect(texts.ask_name)
    await user.send(name)
    await user.expect(texts.ask_tin)
    await user.send(tin)
    await user.expect(texts.ask_timezone)
    await user.press(timezone)
    await user.expect(texts.ask_regime)


async def create_company(user: SandboxUser, *, language: str = "en", name: str = "Oila Market",
                         tin: str = "305123456", timezone: str = "Asia/Tashkent",
                         regime: TaxRegime = TaxRegime.TURNOVER) -> SandboxMessage:
    """A newcomer creates a company through the chat and becomes its owner. Returns the bot's confirmation."""
    await start_company(user, language=language, name=name, tin=tin, timezone=timezone)
    await user.press(TEXTS[language].regime_buttons[regime])
    return await user.expect(TEXTS[language].created)


async def make_invite(owner: SandboxUser, role_label: str, language: str = "en") -> str:
    """/invite for a role (its button label in the inviter's language). Returns the deep-link payload."""
    await owner.send("/invite")
    await owner.expect(TEXTS[language].ask_role)
    await owner.press(role_label)
    ready = await owner.expect(TEXTS[language].invite_ready)
    match = re.search(r"start=(inv_[\w-]+)", ready.text)
    assert match, ready.text
    return match.group(1)


async def join(user: SandboxUser, payload: str, language: str = "en") -> SandboxMessage:
    """A newcomer opens an invite link, picks a language and joins."""
    await choose_language(user, language, start=f"/start {payload}")
    return await user.expect(TEXTS[language].joined)


async def invite_and_join(sandbox: SandboxClient, owner: SandboxUser, role_label: str, first_name: str, *,
                          language: str = "en") -> SandboxUser:
    """A new person invited by `owner` with a role, joined in their language."""
    payload = await make_invite(owner, role_label)  # the inviter speaks English
    user = await sandbox.create_user(first_name, language_code=language)
    await join(user, payload, language)
    return user


# -- REGOS ----------------------------------------------------------------------------------------------------------


async def connect_regos(owner: SandboxUser, key: str = FAKE_REGOS_KEY) -> SandboxMessage:
    """/regos and the key pasted, as an owner connects. Returns the bot's confirmation."""
    await owner.send("/regos")
    await owner.expect("Paste your REGOS integration key")
    await owner.send(key)
    return await owner.expect("REGOS connected")


async def connect_fake_regos(app: App, fake: FakeRegos, key: str = FAKE_REGOS_KEY) -> tuple[int, str]:
    """Connects the only company to the fake REGOS as /regos would, without the real 2 requests/s pacing.
    Returns (company id, webhook secret)."""
    await settle()
    async with app.session_factory() as session:
        company = await session.scalar(select(Company))
        assert company is not None
        outcome = await connect_company(session, company_id=company.id, integration_key=key,
                                        gateway_url=fake.gateway_url,
                                        secret_box=SecretBox(app.settings.require_secret_key()))
        assert outcome.ok, outcome
        connection = await session.scalar(select(RegosConnection))
        assert connection is not None
        connection.settings = {**connection.settings, "rate_per_second": 500, "burst": 500}
        await session.commit()
        return company.id, connection.webhook_secret


# -- buttons and messages -------------------------------------------------------------------------------------------


def button_starting(message: SandboxMessage, prefix: str) -> str:
    """The label of the first button of `message` that starts with `prefix` (a member's name, a branch...)."""
    found = next((text for text in message.button_texts if text.startswith(prefix)), None)
    assert found is not None, f"no button starting with {prefix!r} in {message.button_texts}"
    return found


async def press_starting(user: SandboxUser, message: SandboxMessage, prefix: str) -> dict[str, Any] | None:
    """Press the button of `message` whose label starts with `prefix`."""
    return await user.press(button_starting(message, prefix), message_id=message.message_id)


async def last_message(user: SandboxUser) -> SandboxMessage:
    """The newest message the bot sent (and did not delete) in the user's chat."""
    sent = [m for m in await user.messages() if m.from_bot and not m.deleted]
    assert sent, f"the bot has sent user {user.id} nothing"
    return sent[-1]


async def message_by_id(user: SandboxUser, message_id: int) -> SandboxMessage:
    """A message of the user's chat (theirs or the bot's) as the emulator has it now, e.g. to see it deleted."""
    return {m.message_id: m for m in await user.messages()}[message_id]


# -- a staffed company, made directly ---------------------------------------------------------------------------------


async def company_with_people(engine: AsyncEngine, people: list[tuple[SandboxUser, Role, tuple[str, ...]]], *,
                              name: str = "Oila Market", tin: str = "305123456",
                              branches: tuple[str, ...] = ("Chilonzor", "Yunusobod")) -> tuple[int, dict[str, int]]:
    """A company with branches and people in roles (each limited to the branches named, or all when none), made in
    the database; then each person writes to the bot (/help), as Telegram requires before a bot may write to
    them. Returns (company id, branch ids by name)."""
    from db.models import Branch
    from tests.helpers import add_member
    from tests.helpers import create_company as make_company

    await settle()
    async with create_session_factory(engine)() as session:
        company = await make_company(session, name=name, tin=tin, branches=branches)
        branch_ids = {b.name: b.id for b in (await session.scalars(
            select(Branch).where(Branch.company_id == company.id))).all()}
        for user, role, scope in people:
            await add_member(session, company.id, user.id, role, first_name=user.first_name,
                             language=user.language_code or "en", branch_ids=[branch_ids[b] for b in scope])
        await session.commit()
    for user, _, _ in people:
        await user.send("/help")
        await user.expect()
    return company.id, branch_ids


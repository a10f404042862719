"""A demo company with branches and ready personas, written straight into a migrated database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Branch, Company, CompanyTaxRegime, Membership, Role, TaxRegime
from services import companies
from services.users import TelegramIdentity, get_or_create_user

DEMO_COMPANY = {"name": "Oila Market", "tin": "305123456", "timezone": "Asia/Tashkent"}
DEMO_BRANCHES = ("Chilonzor", "Yunusobod", "Sergeli")


@dataclass(frozen=True, slots=True)
class Persona:
    first_name: str
    username: str
    role: Role
    language: str
    branch_index: int | None = None  # None: every branch


DEMO_PERSONAS = (
    Persona("Dilnoza", "dilnoza_owner", Role.OWNER, "uz"),
    Persona("Rustam", "rustam_manager", Role.MANAGER, "ru", branch_index=0),
    Persona("Malika", "malika_cashier", Role.CASHIER, "uz", branch_index=0),
)


@dataclass(frozen=True, slots=True)
class SeededCompany:
    company_id: int
    branch_ids: list[int]


async def seed_demo_company(
    session: AsyncSession, personas: list[tuple[Persona, int]], *, regime_from: date | None = None
) -> SeededCompany:
    """`personas` pairs each persona with the Telegram id it has in the emulator. `regime_from`: the day the
    company's tax regime starts (default today), early enough for /tax to cover the history it imports."""
    company: Company = await companies.create_company(
        session, name=DEMO_COMPANY["name"], tin=DEMO_COMPANY["tin"], timezone=DEMO_COMPANY["timezone"],
        regime=TaxRegime.TURNOVER,
    )
    if regime_from is not None:
        await session.execute(update(CompanyTaxRegime).where(CompanyTaxRegime.company_id == company.id)
                              .values(effective_from=regime_from))
    branches = [Branch(company_id=company.id, name=name) for name in DEMO_BRANCHES]
    session.add_all(branches)
    await session.flush()
    for persona, telegram_id in personas:
        user = await get_or_create_user(
            session, TelegramIdentity(telegram_id, persona.first_name, persona.username, persona.language)
        )
        user.language = persona.language
        user.active_company_id = company.id
        membership = Membership(user_id=user.id, company_id=company.id, role=persona.role.value)
        membership.branches = [branches[persona.branch_index]] if persona.branch_index is not None else []
        session.add(membership)
    await session.flush()
    return SeededCompany(company_id=company.id, branch_ids=[branch.id for branch in branches])

"""Companies (tenants): creation with an owner, tax regime history, listing."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from db import repositories as repo
from db.base import utcnow
from db.models import Company, CompanyTaxRegime, Membership, Role, TaxRegime, User
from services import audit
from services.errors import ValidationFailed

TIN_PATTERN = re.compile(r"^[0-9]{9}$")
NAME_MAX = 128
# Uzbekistan has one offset; the other zones are offered for businesses that also run elsewhere.
COMMON_TIMEZONES = ("Asia/Tashkent", "Asia/Samarkand", "Asia/Almaty", "Europe/Moscow")


def normalize_tin(raw: str) -> str:
    """A TIN (STIR/ИНН) is exactly 9 digits; spaces and dashes people type are dropped."""
    tin = re.sub(r"[\s-]", "", raw or "")
    if not TIN_PATTERN.match(tin):
        raise ValidationFailed("error-tin-format")
    return tin


def normalize_name(raw: str) -> str:
    name = " ".join((raw or "").split())
    if not name or len(name) > NAME_MAX or name.startswith("/"):
        raise ValidationFailed("error-company-name", max=NAME_MAX)
    return name


def normalize_timezone(raw: str) -> str:
    value = (raw or "").strip()
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationFailed("error-timezone", value=value[:64]) from None
    return value


def business_day(company: Company, moment: datetime | None = None) -> date:
    """The company's calendar day at a moment (now by default)."""
    return (moment or utcnow()).astimezone(ZoneInfo(company.timezone)).date()


async def ensure_tin_free(session: AsyncSession, tin: str) -> None:
    """One company per TIN: a second one would split the same business's books. Its owner can invite."""
    taken = await session.scalar(
        select(Company.id).where(Company.tin == tin, Company.deleted_at.is_(None)).limit(1)
    )
    if taken is not None:
        raise ValidationFailed("error-tin-taken", tin=tin)


async def create_company(
    session: AsyncSession,
    *,
    name: str,
    tin: str,
    timezone: str = "Asia/Tashkent",
    regime: TaxRegime = TaxRegime.TURNOVER,
    owner: User | None = None,
) -> Company:
    company = Company(
        name=normalize_name(name), tin=normalize_tin(tin), timezone=normalize_timezone(timezone), settings={}
    )
    await ensure_tin_free(session, company.tin)
    session.add(company)
    await session.flush()
    session.add(CompanyTaxRegime(company_id=company.id, regime=regime.value, effective_from=business_day(company)))
    if owner is not None:
        session.add(Membership(user_id=owner.id, company_id=company.id, role=Role.OWNER.value))
        owner.active_company_id = company.id
    audit.record(
        session, "company.created", company_id=company.id, user_id=owner.id if owner else None, tin=company.tin
    )
    await session.flush()
    return company


async def tax_regime_on(session: AsyncSession, company_id: int, day: date) -> TaxRegime | None:
    regime = await session.scalar(
        select(CompanyTaxRegime.regime)
        .where(CompanyTaxRegime.company_id == company_id, CompanyTaxRegime.effective_from <= day)
        .order_by(CompanyTaxRegime.effective_from.desc())
        .limit(1)
    )
    return TaxRegime(regime) if regime else None


async def list_companies(session: AsyncSession) -> Sequence[Company]:
    return await repo.companies(session)


async def delete_company(session: AsyncSession, company: Company, *, by_user_id: int | None = None) -> None:
    """Soft delete: data stays for the audit trail, but nobody can enter or join the company."""
    company.deleted_at = utcnow()
    audit.record(session, "company.deleted", company_id=company.id, user_id=by_user_id)

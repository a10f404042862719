"""Which language an SMS is written in: the recipient's (the member linked to the employee), else the company's
(``Company.settings["language"]``, else its first owner's language), else the default (uz)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Company, Membership, Role, User
from services.locale import DEFAULT_LOCALE, SUPPORTED_LOCALES


def _supported(code: str | None) -> str | None:
    code = (code or "").strip().lower()[:2]
    return code if code in SUPPORTED_LOCALES else None


async def company_locale(session: AsyncSession, company: Company) -> str:
    chosen = _supported(str((company.settings or {}).get("language") or ""))
    if chosen:
        return chosen
    owner_language = await session.scalar(
        select(User.language).join(Membership, Membership.user_id == User.id)
        .where(Membership.company_id == company.id, Membership.role == Role.OWNER.value, User.language.is_not(None))
        .order_by(Membership.id).limit(1)
    )
    return _supported(owner_language) or DEFAULT_LOCALE


async def recipient_locale(session: AsyncSession, company: Company, user: User | None) -> str:
    return _supported(user.language if user is not None else None) or await company_locale(session, company)


__all__ = ["company_locale", "recipient_locale"]

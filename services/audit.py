from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from db.models import AuditLog


def record(
    session: AsyncSession, action: str, *, company_id: int | None = None, user_id: int | None = None, **details: Any
) -> None:
    """Adds an audit row to the caller's transaction: it lands exactly when the change it describes does."""
    session.add(AuditLog(company_id=company_id, user_id=user_id, action=action, details=details))

"""Keeping the Eskiz token: where it lives between calls and what its claims say.

The token is a JWT (claims ``exp``, ``iat``, ``role``, ``sub``); we read the claims without checking the
signature, only to know when it expires and whether the account is a test one. A ``TokenStore`` keeps it between
processes: ``MemoryTokenStore`` for tests and one-off use, ``services.sms.store.DbTokenStore`` (encrypted with
SECRET_KEY) for the bot.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol


@dataclass(frozen=True)
class StoredToken:
    token: str
    obtained_at: datetime
    expires_at: datetime | None = None
    role: str | None = None

    @classmethod
    def from_token(cls, token: str, obtained_at: datetime) -> StoredToken:
        claims = token_claims(token)
        exp = claims.get("exp")
        expires = datetime.fromtimestamp(exp, UTC) if isinstance(exp, (int, float)) else None
        role = claims.get("role")
        return cls(token, obtained_at, expires, role if isinstance(role, str) else None)

    def expired(self, now: datetime, margin_seconds: float = 60.0) -> bool:
        return self.expires_at is not None and (self.expires_at - now).total_seconds() <= margin_seconds

    def __repr__(self) -> str:
        return f"StoredToken(token='{self.token[:4]}…', expires_at={self.expires_at!r}, role={self.role!r})"


def token_claims(token: str) -> dict[str, Any]:
    """The JWT payload, or {} when the token is not a JWT."""
    parts = token.split(".")
    if len(parts) != 3:
        return {}
    try:
        payload = json.loads(base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4)))
    except (ValueError, TypeError):
        return {}
    return payload if isinstance(payload, dict) else {}


class TokenStore(Protocol):
    async def load(self, account: str) -> StoredToken | None: ...

    async def save(self, account: str, token: StoredToken) -> None: ...

    async def clear(self, account: str) -> None: ...


class MemoryTokenStore:
    def __init__(self) -> None:
        self.tokens: dict[str, StoredToken] = {}

    async def load(self, account: str) -> StoredToken | None:
        return self.tokens.get(account)

    async def save(self, account: str, token: StoredToken) -> None:
        self.tokens[account] = token

    async def clear(self, account: str) -> None:
        self.tokens.pop(account, None)

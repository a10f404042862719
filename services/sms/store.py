"""The Eskiz token kept in the database (table ``eskiz_tokens``), encrypted with SECRET_KEY.

One row per Eskiz account (its login e-mail): the deployment's account from ESKIZ_EMAIL today, and room for a
company's own account later. Each load and save is its own short transaction: the token is shared state of the
process, not part of a business change.
"""

from __future__ import annotations

from sqlalchemy import delete
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.sms import EskizToken
from services.crypto import SecretBox

from .tokens import StoredToken


class DbTokenStore:
    def __init__(self, session_factory: async_sessionmaker[AsyncSession], secret_box: SecretBox) -> None:
        self._factory = session_factory
        self._box = secret_box

    async def load(self, account: str) -> StoredToken | None:
        async with self._factory() as session:
            row = await session.get(EskizToken, account)
            if row is None:
                return None
            try:
                token = self._box.decrypt(row.token_encrypted)
            except ValueError:  # SECRET_KEY changed: the token is lost, a login makes a new one
                return None
            return StoredToken(token, row.obtained_at, row.expires_at, row.role)

    async def save(self, account: str, token: StoredToken) -> None:
        for attempt in (1, 2):  # a second process may insert the row first: then update it
            async with self._factory() as session:
                row = await session.get(EskizToken, account)
                if row is None:
                    row = EskizToken(account=account, token_encrypted="")
                    session.add(row)
                row.token_encrypted = self._box.encrypt(token.token)
                row.role = token.role
                row.obtained_at = token.obtained_at
                row.expires_at = token.expires_at
                try:
                    await session.commit()
                    return
                except IntegrityError:
                    await session.rollback()
                    if attempt == 2:
                        raise

    async def clear(self, account: str) -> None:
        async with self._factory() as session:
            await session.execute(delete(EskizToken).where(EskizToken.account == account))
            await session.commit()

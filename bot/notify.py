"""Messages the bot sends on its own (alerts, summaries) to a company's people, in each one's language."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable

from aiogram import Bot
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.broadcaster import Broadcaster, BroadcastReport, Outgoing
from core.i18n import translate
from db.models import Membership, Role, User
from services.locale import DEFAULT_LOCALE


async def recipients(session: AsyncSession, company_id: int, roles: Iterable[Role]) -> list[User]:
    result = await session.scalars(
        select(User).join(Membership, Membership.user_id == User.id)
        .where(Membership.company_id == company_id, Membership.role.in_([r.value for r in roles]),
               User.bot_blocked.is_(False))
        .order_by(User.id)
    )
    return list(result.all())


def blocked_marker(session_factory: async_sessionmaker[AsyncSession]) -> Callable[[int], Awaitable[None]]:
    async def mark(chat_id: int) -> None:
        async with session_factory() as session:
            await session.execute(update(User).where(User.telegram_id == chat_id).values(bot_blocked=True))
            await session.commit()

    return mark


async def tell(broadcaster: Broadcaster, users: Iterable[User], render: Callable[[str], str]) -> BroadcastReport:
    """Sends `render(locale)` to each user in their language, through the broadcaster."""
    items = []
    for user in users:
        text = render(user.language or DEFAULT_LOCALE)
        chat_id = user.telegram_id

        async def send(bot: Bot, chat_id: int = chat_id, text: str = text) -> None:
            await bot.send_message(chat_id, text)

        items.append(Outgoing(chat_id=chat_id, send=send))
    return await broadcaster.send_all(items)


def text_for(key: str, **params: object) -> Callable[[str], str]:
    return lambda locale: translate(locale, key, **params)

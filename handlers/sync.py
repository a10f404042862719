"""/sync: import today's sales from REGOS now, with one message edited as the work advances."""

from __future__ import annotations

import time
from decimal import Decimal

from aiogram import Bot, F, Router
from aiogram.exceptions import TelegramRetryAfter
from aiogram.filters import Command
from aiogram.types import Message
from aiogram_i18n import I18nContext
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.config import Settings
from core.i18n import all_translations
from handlers.kit import edit_or_send
from services.crypto import SecretBox
from services.errors import DomainError
from services.locale import format_date, format_money
from services.permissions import Capability, visible_branches
from services.sync.books import day_books
from services.sync.connection import RegosNotConnected, get_connection
from services.sync.engine import SyncProgress, SyncResult, SyncRunStatus, sync_company
from services.users import ActiveContext

SYNC = {"capability": Capability.SYNC_RUN}
EDIT_INTERVAL = 1.5  # seconds between progress edits: Telegram allows about one message a second per chat


class ProgressMessage:
    """One message edited as pages arrive, never faster than EDIT_INTERVAL and never with the same text."""

    def __init__(self, message: Message) -> None:
        self.message = message
        self.last_text = message.text or ""
        self.last_edit = 0.0

    async def show(self, text: str, *, force: bool = False) -> None:
        now = time.monotonic()
        if text == self.last_text or (not force and now - self.last_edit < EDIT_INTERVAL):
            return
        try:
            await edit_or_send(self.message, text)
        except TelegramRetryAfter:
            if force:
                raise
            return  # progress is cosmetic; the final text is sent with force
        self.last_text, self.last_edit = text, now


def _result_text(i18n: I18nContext, result: SyncResult, net: Decimal, receipts: int) -> str:
    if result.status == SyncRunStatus.BUSY:
        return i18n.get("sync-busy")
    if result.failure is not None and not result.days:
        return i18n.get("sync-failed")
    lines = [i18n.get("sync-done", elapsed=f"{result.duration_seconds:.1f}", days=len(result.days),
                      receipts=receipts, inserted=result.inserted, updated=result.updated,
                      net=format_money(net, i18n.locale))]
    if result.mismatched_days:
        lines.append(i18n.get("sync-reconcile-mismatch",
                              dates=", ".join(format_date(day, i18n.locale) for day in result.mismatched_days)))
    elif result.reconciled:
        lines.append(i18n.get("sync-reconcile-ok"))
    if result.invalid:
        lines.append(i18n.get("sync-skipped", count=result.invalid))
    if result.failure is not None:
        lines.append(i18n.get("sync-failed"))
    return "\n".join(lines)


async def run_sync_with_progress(
    message: Message, i18n: I18nContext, session: AsyncSession, ctx: ActiveContext, *,
    session_factory: async_sessionmaker[AsyncSession], secret_box: SecretBox | None, settings: Settings,
) -> SyncResult | None:
    if await get_connection(session, ctx.company.id) is None or secret_box is None:
        raise DomainError("error-regos-not-connected")
    await session.commit()  # hold no transaction open while the sync writes through its own sessions
    progress = ProgressMessage(await message.answer(i18n.get("sync-started")))

    async def on_progress(update: SyncProgress) -> None:
        await progress.show(i18n.get("sync-progress", day=update.day_index, days=update.days_total,
                                     receipts=update.receipts_done, elapsed=f"{update.elapsed:.0f}"))

    try:
        result = await sync_company(session_factory, ctx.company.id, trigger="manual", secret_box=secret_box,
                                    on_progress=on_progress, archive_dir=settings.regos_archive_dir)
    except RegosNotConnected:
        await progress.show(i18n.get("error-regos-not-connected"), force=True)
        return None
    async with session_factory() as fresh:
        books = await day_books(fresh, ctx.company.id, result.date_from, result.date_to)
        # A branch manager sees the figures of their branches only.
        visible_stocks = {b.regos_stock_id for b in await visible_branches(fresh, ctx.membership)}
    allowed = ctx.branch_ids
    net, receipts = Decimal(0), 0
    for book in books:
        if allowed is None:
            net += book.retail_net + book.wholesale_net
            receipts += book.receipts
            continue
        for branch in book.branches:
            if branch.regos_stock_id in visible_stocks:
                net += branch.retail_net + branch.wholesale_net
                receipts += branch.receipts
    await progress.show(_result_text(i18n, result, net, receipts), force=True)
    return result


async def sync_command(
    message: Message, i18n: I18nContext, session: AsyncSession, ctx: ActiveContext,
    session_factory: async_sessionmaker[AsyncSession], secret_box: SecretBox | None, settings: Settings, bot: Bot,
) -> None:
    await run_sync_with_progress(message, i18n, session, ctx, session_factory=session_factory,
                                 secret_box=secret_box, settings=settings)


def get_router() -> Router:
    router = Router(name="sync")
    router.message.register(sync_command, Command("sync"), flags=SYNC)
    router.message.register(sync_command, F.text.in_(all_translations("menu-sync")), flags=SYNC)
    return router

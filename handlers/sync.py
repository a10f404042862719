"""/sync: import today's sales from REGOS now; `/sync <period>` (and the "import missing days" buttons, the history
choice after connecting, Retry) imports past days: today first, then the newest to the oldest. Both run in the
background through the app's spawn(), with one message edited as the work advances; the bot stays usable."""

from __future__ import annotations

import contextlib
import logging
import math
import time
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from aiogram import Bot, F, Router
from aiogram.exceptions import TelegramAPIError, TelegramRetryAfter
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram_i18n import I18nContext
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.config import Settings
from core.i18n import all_translations, translate
from handlers.callbacks import ImportDaysCallback
from handlers.kit import edit_or_send
from services.background import Spawn
from services.crypto import SecretBox
from services.errors import DomainError
from services.locale import format_date, format_money, format_number
from services.permissions import Capability, visible_branches
from services.regos import RegosProblem
from services.reports.coverage import day_ranges
from services.reports.dates import parse_period
from services.sync.books import DayBook, day_books
from services.sync.connection import RegosNotConnected, get_connection
from services.sync.engine import SyncProgress, SyncResult, SyncRunStatus, sync_company
from services.sync.imports import (
    HISTORY_CHOICES,
    ImportProgress,
    ImportResult,
    claim_import,
    days_to_import,
    history_range,
    import_days,
    release_import,
)
from services.sync.results import DayStatus, SyncFailure
from services.users import ActiveContext

log = logging.getLogger(__name__)

SYNC = {"capability": Capability.SYNC_RUN}
EDIT_INTERVAL = 1.5  # seconds between progress edits: Telegram allows about one message a second per chat
IMPORT_EDIT_INTERVAL = 3.0  # a long import edits its message more calmly
MAX_RANGES_SHOWN = 4


class ProgressMessage:
    """One message edited as pages arrive, never faster than `interval` and never with the same text."""

    def __init__(self, message: Message, interval: float = EDIT_INTERVAL) -> None:
        self.message = message
        self.interval = interval
        self.last_text = message.text or ""
        self.last_edit = time.monotonic()
        self.edits = 0

    async def show(self, text: str, *, force: bool = False, reply_markup: InlineKeyboardMarkup | None = None) -> None:
        now = time.monotonic()
        if (text == self.last_text and reply_markup is None) or (not force and now - self.last_edit < self.interval):
            return
        try:
            await edit_or_send(self.message, text, reply_markup)
        except TelegramRetryAfter:
            if force:
                raise
            return  # progress is cosmetic; the final text is sent with force
        self.last_text, self.last_edit = text, now
        self.edits += 1


def seconds_text(seconds: float, locale: str) -> str:
    """`2.4` as the locale writes it: "2,4" in uz and ru."""
    return format_number(Decimal(f"{seconds:.1f}"), locale, places=1)


def company_today(ctx: ActiveContext) -> date:
    return datetime.now(ZoneInfo(ctx.company.timezone)).date()


# --- what the books hold, in the asker's scope ----------------------------------------------------------------


async def visible_stocks(session: AsyncSession, ctx: ActiveContext) -> set[int] | None:
    """The REGOS stocks whose figures this member sees (None: the whole company). Taken before work is spawned:
    the background task outlives the update's session."""
    if ctx.branch_ids is None:
        return None
    return {b.regos_stock_id for b in await visible_branches(session, ctx.membership) if b.regos_stock_id is not None}


def books_totals(books: list[DayBook], stocks: set[int] | None,
                 days: set[date] | None = None) -> tuple[int, Decimal]:
    """Receipts and net sales the books hold (the very figures /today and /sales show), for `days` if given."""
    receipts, net = 0, Decimal(0)
    for book in books:
        if days is not None and book.date not in days:
            continue
        if stocks is None:
            receipts += book.receipts
            net += book.retail_net + book.wholesale_net
            continue
        for branch in book.branches:
            if branch.regos_stock_id in stocks:
                receipts += branch.receipts
                net += branch.retail_net + branch.wholesale_net
    return receipts, net


_REASONS = {RegosProblem.RATE_LIMITED: "sync-import-reason-busy", RegosProblem.KEY_REJECTED: "sync-import-reason-key",
            RegosProblem.NO_RIGHTS: "sync-import-reason-key"}


def _reason(failure: SyncFailure | None) -> str:
    """Why REGOS stopped a sync or an import, as a text key."""
    default = "sync-import-reason-down"
    return _REASONS.get(failure.problem, default) if failure is not None else default


# --- today, now (in the background) -------------------------------------------------------------------------------


def sync_result_text(locale: str, result: SyncResult, books: list[DayBook], stocks: set[int] | None,
                     today: date) -> str:
    """The end of a sync of today. The receipts and net sales are the books' (as /today shows them, in the
    asker's branches); what this run wrote from REGOS is said apart, for the whole company only, because its
    documents (receipts of every branch, returns, wholesale) are not the receipts counted above."""
    if result.status == SyncRunStatus.BUSY:
        return translate(locale, "sync-busy")
    if result.failure is not None or any(day.status == DayStatus.FAILED for day in result.days):
        return translate(locale, "sync-failed", reason=translate(locale, _reason(result.failure)))
    receipts, net = books_totals(books, stocks)
    day = format_date(result.date_to, locale)
    lines = [
        translate(locale, "sync-done", elapsed=seconds_text(result.duration_seconds, locale)),
        translate(locale, "sync-books", receipts=receipts, net=format_money(net, locale),
                  day=translate(locale, "sync-today", day=day) if result.date_to == today else day,
                  scope="company" if stocks is None else "branches"),
    ]
    if stocks is None:
        lines.append(translate(locale, "sync-written", inserted=result.inserted, updated=result.updated)
                     if result.inserted or result.updated else translate(locale, "sync-written-none"))
    if result.mismatched_days:
        lines.append(translate(locale, "sync-reconcile-mismatch",
                               dates=", ".join(format_date(day, locale) for day in result.mismatched_days)))
    elif result.reconciled:
        lines.append(translate(locale, "sync-reconcile-ok"))
    if result.invalid:
        lines.append(translate(locale, "sync-skipped", count=result.invalid))
    lines.append(translate(locale, "sync-hint-period"))  # past days: /sync with a period
    return "\n".join(lines)


async def start_sync(
    message: Message, locale: str, session: AsyncSession, ctx: ActiveContext, *,
    session_factory: async_sessionmaker[AsyncSession], secret_box: SecretBox | None, settings: Settings,
    spawn: Spawn,
) -> None:
    """Syncs today in the background (the update ends at once, the bot stays usable); one message (sent to
    `message`'s chat) shows the progress and then the result."""
    company_id = ctx.company.id
    if await get_connection(session, company_id) is None or secret_box is None:
        raise DomainError("error-regos-not-connected")
    stocks = await visible_stocks(session, ctx)
    today = company_today(ctx)
    archive_dir = settings.regos_archive_dir
    sent = await message.answer(translate(locale, "sync-started-background"))

    async def work() -> None:
        progress = ProgressMessage(sent)

        async def on_progress(update: SyncProgress) -> None:
            await progress.show(translate(locale, "sync-progress", receipts=update.receipts_done,
                                          elapsed=round(update.elapsed)))

        try:
            result = await sync_company(session_factory, company_id, trigger="manual", secret_box=secret_box,
                                        on_progress=on_progress, archive_dir=archive_dir)
            async with session_factory() as fresh:
                books = await day_books(fresh, company_id, result.date_from, result.date_to)
        except RegosNotConnected:
            await progress.show(translate(locale, "error-regos-not-connected"), force=True)
            return
        except Exception:
            with contextlib.suppress(TelegramAPIError):
                await progress.show(translate(locale, "sync-crashed"), force=True)
            raise
        await progress.show(sync_result_text(locale, result, books, stocks, today), force=True)

    spawn(work(), name=f"sync-{company_id}")


# --- past days, in the background ---------------------------------------------------------------------------------


def eta_text(locale: str, seconds_left: int | None) -> str:
    if seconds_left is None:
        return translate(locale, "sync-eta-unknown")
    if seconds_left < 60:
        return translate(locale, "sync-eta-seconds", seconds=max(1, seconds_left))
    return translate(locale, "sync-eta-minutes", minutes=math.ceil(seconds_left / 60))


def duration_text(locale: str, seconds: float) -> str:
    if seconds < 60:
        return translate(locale, "sync-took-seconds", seconds=max(1, round(seconds)))
    return translate(locale, "sync-took-minutes", minutes=math.ceil(seconds / 60))


def import_progress_text(locale: str, progress: ImportProgress) -> str:
    return translate(locale, "sync-import-progress", done=progress.days_done, total=progress.days_total,
                     receipts=progress.receipts, eta=eta_text(locale, progress.seconds_left))


def _ranges_text(locale: str, days: list[date]) -> str:
    ranges = day_ranges(days)
    parts = [format_date(first, locale) if first == last
             else translate(locale, "sync-import-range", first=format_date(first, locale),
                            last=format_date(last, locale))
             for first, last in ranges[:MAX_RANGES_SHOWN]]
    if len(ranges) > MAX_RANGES_SHOWN:
        parts.append("…")
    return ", ".join(parts)


def import_result_text(locale: str, result: ImportResult, receipts: int) -> str:
    """`receipts`: what the books now hold for the days imported (as /sales counts them, in the asker's
    branches), not the documents read from REGOS that the progress counted."""
    elapsed = duration_text(locale, result.duration_seconds)
    if result.complete:
        return translate(locale, "sync-import-done", days=len(result.done), receipts=receipts, elapsed=elapsed)
    return translate(locale, "sync-import-stopped", reason=translate(locale, _reason(result.failure)),
                     done=len(result.done), total=result.days_total, receipts=receipts,
                     missing=_ranges_text(locale, result.not_done))


def import_button(locale: str, company_id: int, first: date, last: date, key: str = "btn-import-missing",
                  **params: object) -> InlineKeyboardButton:
    """A button that imports the days of first..last the books lack (the reports attach it to their warnings)."""
    return InlineKeyboardButton(text=translate(locale, key, **params), callback_data=ImportDaysCallback(
        company=company_id, first=first.toordinal(), last=last.toordinal()).pack())


def history_keyboard(locale: str, company_id: int, today: date) -> InlineKeyboardMarkup:
    """After connecting: how much history to import."""
    buttons = [import_button(locale, company_id, *history_range(days, today), key="btn-import-history", days=days)
               for days in HISTORY_CHOICES]
    return InlineKeyboardMarkup(inline_keyboard=[buttons[:2], buttons[2:]])


async def start_import(
    message: Message, locale: str, session: AsyncSession, ctx: ActiveContext, first: date, last: date, *,
    session_factory: async_sessionmaker[AsyncSession], secret_box: SecretBox | None, settings: Settings,
    spawn: Spawn,
) -> None:
    """Imports the days of first..last the books lack, in the background; one message (sent to `message`'s chat)
    shows the progress and then the result, with Retry when REGOS stopped it."""
    company_id = ctx.company.id
    if await get_connection(session, company_id) is None or secret_box is None:
        raise DomainError("error-regos-not-connected")
    days = await days_to_import(session, company_id, first, last, company_today(ctx))
    if not days:
        await message.answer(translate(locale, "sync-import-nothing", first=format_date(first, locale),
                                       last=format_date(last, locale)))
        return
    stocks = await visible_stocks(session, ctx)
    claim = claim_import(company_id)  # a second import of the company is refused here
    try:
        sent = await message.answer(translate(locale, "sync-import-started", total=len(days)))
        archive_dir = settings.regos_archive_dir
        retry = InlineKeyboardMarkup(inline_keyboard=[[import_button(locale, company_id, first, last,
                                                                     key="btn-import-retry")]])

        async def work() -> None:
            progress = ProgressMessage(sent, IMPORT_EDIT_INTERVAL)

            async def on_progress(update: ImportProgress) -> None:
                await progress.show(import_progress_text(locale, update))

            try:
                result = await import_days(session_factory, claim, days, secret_box=secret_box,
                                           archive_dir=archive_dir, on_progress=on_progress)
            except RegosNotConnected:
                await progress.show(translate(locale, "error-regos-not-connected"), force=True)
                return
            except Exception:
                with contextlib.suppress(TelegramAPIError):
                    await progress.show(translate(locale, "sync-import-crashed"), force=True, reply_markup=retry)
                raise
            receipts = 0
            if result.done:
                async with session_factory() as fresh:
                    books = await day_books(fresh, company_id, min(result.done), max(result.done))
                receipts, _ = books_totals(books, stocks, set(result.done))
            await progress.show(import_result_text(locale, result, receipts), force=True,
                                reply_markup=None if result.complete else retry)

        spawn(work(), name=f"history-import-{company_id}")
    except BaseException:
        release_import(claim)
        raise


async def sync_command(
    message: Message, command: CommandObject, i18n: I18nContext, session: AsyncSession, ctx: ActiveContext,
    session_factory: async_sessionmaker[AsyncSession], secret_box: SecretBox | None, settings: Settings,
    spawn: Spawn, bot: Bot,
) -> None:
    if command.args and command.args.strip():
        period = parse_period(command.args, company_today(ctx))  # a date or range typed as people type them
        await start_import(message, i18n.locale, session, ctx, period.first, period.last,
                           session_factory=session_factory, secret_box=secret_box, settings=settings, spawn=spawn)
        return
    await start_sync(message, i18n.locale, session, ctx, session_factory=session_factory, secret_box=secret_box,
                     settings=settings, spawn=spawn)


async def sync_menu(
    message: Message, i18n: I18nContext, session: AsyncSession, ctx: ActiveContext,
    session_factory: async_sessionmaker[AsyncSession], secret_box: SecretBox | None, settings: Settings,
    spawn: Spawn,
) -> None:
    await start_sync(message, i18n.locale, session, ctx, session_factory=session_factory, secret_box=secret_box,
                     settings=settings, spawn=spawn)


async def import_pressed(
    query: CallbackQuery, callback_data: ImportDaysCallback, i18n: I18nContext, session: AsyncSession,
    ctx: ActiveContext, session_factory: async_sessionmaker[AsyncSession], secret_box: SecretBox | None,
    settings: Settings, spawn: Spawn,
) -> None:
    try:
        first, last = date.fromordinal(callback_data.first), date.fromordinal(callback_data.last)
    except (ValueError, OverflowError):  # a forged button
        raise DomainError("error-step-over") from None
    if not isinstance(query.message, Message):
        raise DomainError("error-step-over")
    await start_import(query.message, i18n.locale, session, ctx, first, last, session_factory=session_factory,
                       secret_box=secret_box, settings=settings, spawn=spawn)


def get_router() -> Router:
    router = Router(name="sync")
    router.message.register(sync_command, Command("sync"), flags=SYNC)
    router.message.register(sync_menu, F.text.in_(all_translations("menu-sync")), flags=SYNC)
    router.callback_query.register(import_pressed, ImportDaysCallback.filter(), flags=SYNC)
    return router

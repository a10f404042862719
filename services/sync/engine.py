"""The REGOS sync: per company and business day (in the company's time zone).

For each run: reference data (Stock, OperatingCash, User, PaymentType; Item by ``last_update``), then for each
day of the window, under a day claim (a second sync of the same day gets "busy"):

1. shifts of the day (``DocCashSession/Get``: they lead receipts to their till and branch);
2. wholesale documents and returns of the day (all states kept, only performed and not deleted count);
3. receipts of the day (``DocCheque/Get``, every status), a page at a time: each page is one transaction that
   inserts what is new, updates what changed (``last_update``, status, amount...) with its lines and payments,
   and moves the run's cursor. A crash loses at most the page in flight; the rerun lists the day again, skips
   every receipt it already holds unchanged (no detail calls) and writes the rest, so nothing is lost or doubled.
   A listing that returns fewer distinct receipts than its ``total`` is repeated;
4. the day's aggregates are rebuilt (``daily_sales`` per branch, ``daily_employee_sales``) and reconciled with
   ``RetailReport/Counts`` and ``/Payments`` (a ``reconciliations`` row; a mismatch is kept for the owner);
5. the raw answers are archived (gzip JSON) and old archives pruned.

Stock on hand (``Item/GetCurrentQuantity``) is refreshed once at the end of a run. Every run is a ``sync_runs``
row (window, pages, inserted/updated/skipped, errors, duration, cursor). When REGOS stays unreachable after the
client's retries the run stops, says why, and the connection's ``status``/``last_error`` tell the owner; the next
run simply syncs the window again.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.base import utcnow
from db.models import Company
from db.regos_data import SyncRun, SyncRunStatus, SyncTrigger
from db.transient import retry_transient
from services.crypto import SecretBox
from services.regos import Priority, RegosAuthError, RegosClient, RegosError, RegosProblem, RegosRateLimitError

from .archive import DEFAULT_ARCHIVE_DIR, DEFAULT_RETENTION_DAYS, prune_archive
from .connection import (
    DEFAULT_RECEIPT_DETAILS,
    SETTING_ARCHIVE_RETENTION_DAYS,
    SETTING_RECEIPT_DETAILS,
    RegosNotConnected,
    get_client,
    get_connection,
    mark_connection_failing,
    mark_connection_ok,
)
from .locks import ClaimLostError, claim_day, release_day
from .results import (
    DayStatus,
    DaySyncResult,
    ProgressCallback,
    SyncFailure,
    SyncOptions,
    SyncProgress,
    SyncResult,
)
from .run import CompanySync

logger = logging.getLogger(__name__)

TRIGGERS = frozenset(SyncTrigger)
_RESUME_WITHIN = timedelta(hours=6)


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


async def _interrupt_stale_runs(
    session_factory: async_sessionmaker[AsyncSession], company_id: int, stale_after: timedelta
) -> None:
    """Runs left ``running`` by a process that died are marked ``interrupted`` (their heartbeat went quiet)."""
    limit = utcnow() - stale_after
    async with session_factory.begin() as db:
        runs = (
            await db.execute(
                select(SyncRun).where(SyncRun.company_id == company_id, SyncRun.status == SyncRunStatus.RUNNING)
            )
        ).scalars()
        for run in runs:
            heartbeat = (run.cursor or {}).get("heartbeat_at")
            last_sign = datetime.fromisoformat(heartbeat) if heartbeat else run.started_at
            if last_sign < limit:
                run.status = SyncRunStatus.INTERRUPTED
                run.finished_at = utcnow()


async def _resumable_days(
    session_factory: async_sessionmaker[AsyncSession], company_id: int, first: date, last: date, today: date
) -> set[date]:
    """Days an interrupted or failed recent run of the same window already finished (today is always redone)."""
    async with session_factory() as db:
        run = (
            await db.execute(
                select(SyncRun)
                .where(
                    SyncRun.company_id == company_id,
                    SyncRun.window_from == first,
                    SyncRun.window_to == last,
                    SyncRun.status.in_([SyncRunStatus.FAILED, SyncRunStatus.INTERRUPTED]),
                    SyncRun.started_at > utcnow() - _RESUME_WITHIN,
                )
                .order_by(SyncRun.started_at.desc(), SyncRun.id.desc())
                .limit(1)
            )
        ).scalar_one_or_none()
    if run is None:
        return set()
    done = {date.fromisoformat(d) for d in (run.cursor or {}).get("days_done", [])}
    return {d for d in done if d < today}


async def sync_company(
    session_factory: async_sessionmaker[AsyncSession],
    company_id: int,
    *,
    date_from: date | None = None,
    date_to: date | None = None,
    trigger: SyncTrigger | str = SyncTrigger.MANUAL,
    secret_box: SecretBox | None = None,
    client: RegosClient | None = None,
    on_progress: ProgressCallback | None = None,
    archive_dir: Path | str | None = None,
    options: SyncOptions | None = None,
) -> SyncResult:
    """Sync business days ``date_from``..``date_to`` (default: today in the company's time zone).

    Give ``client`` or ``secret_box`` (to build one from the stored connection; raises ``RegosNotConnected``).
    ``archive_dir`` defaults to ``data/regos_archive``. REGOS failures end in ``result.failure``, never in an
    exception; anything else (a bug, the database) marks the run failed and propagates.
    """
    opts = options or SyncOptions()
    if trigger not in TRIGGERS:
        raise ValueError(f"trigger must be one of {sorted(t.value for t in TRIGGERS)}")
    async with session_factory() as db:
        company = await db.get(Company, company_id)
        if company is None:
            raise RegosNotConnected()
        connection = await get_connection(db, company_id)
        settings = dict(connection.settings or {}) if connection is not None else {}
        timezone = company.timezone
        today = datetime.now(ZoneInfo(timezone)).date()
        own_client = client is None
        if client is None:
            if secret_box is None:
                raise ValueError("give a client or a secret_box")
            # A user's /sync and webhook fetches go before the scheduler in the key's shared budget.
            interactive = trigger in (SyncTrigger.MANUAL, SyncTrigger.WEBHOOK)
            client = await get_client(
                db, company_id, secret_box, priority=Priority.INTERACTIVE if interactive else Priority.SCHEDULED
            )
    first = date_from or today
    last = date_to or (date_from if date_from else today)
    if last < first:
        raise ValueError("date_to is before date_from")
    days = _days(first, last)
    if len(days) > opts.max_days:
        raise ValueError(f"at most {opts.max_days} days per run")
    fetch_details = opts.fetch_details if opts.fetch_details is not None else bool(
        settings.get(SETTING_RECEIPT_DETAILS, DEFAULT_RECEIPT_DETAILS)
    )
    # The company's own retention wins; the option is the deployment's default (SETTINGS: REGOS_ARCHIVE_...).
    own_retention = settings.get(SETTING_ARCHIVE_RETENTION_DAYS)
    if own_retention is not None:
        retention = int(own_retention)
    elif opts.archive_retention_days is not None:
        retention = opts.archive_retention_days
    else:
        retention = DEFAULT_RETENTION_DAYS
    archive_root = Path(archive_dir) if archive_dir is not None else DEFAULT_ARCHIVE_DIR
    if not opts.archive:
        archive_root = None  # type: ignore[assignment]

    await _interrupt_stale_runs(session_factory, company_id, opts.lock_stale_after)
    resumed = await _resumable_days(session_factory, company_id, first, last, today) if opts.resume else set()
    async with session_factory.begin() as db:
        run = SyncRun(
            company_id=company_id, trigger=trigger, window_from=first, window_to=last,
            status=SyncRunStatus.RUNNING, cursor={"heartbeat_at": utcnow().isoformat()}, errors=[], started_at=utcnow(),
        )
        db.add(run)
        await db.flush()
        run_id = run.id

    work = CompanySync(
        session_factory=session_factory, company_id=company_id, timezone=timezone, client=client, options=opts,
        fetch_details=fetch_details, archive_root=archive_root, on_progress=on_progress, days=days, run_id=run_id,
        resumed_days=resumed,
    )
    result = SyncResult(company_id=company_id, run_id=run_id, date_from=first, date_to=last)
    logger.info("REGOS sync of company %s, %s..%s (%s) started: run %s", company_id, first, last, trigger, run_id)
    try:
        await _run(work, result)
    except BaseException as error:
        result.status = SyncRunStatus.FAILED
        work.stats.note_error("crash", error=f"{type(error).__name__}: {error}"[:500])
        await _finish(work, result)
        raise
    finally:
        if own_client:
            await client.aclose()
    if result.failure is None and archive_root is not None:
        result.archive_pruned = prune_archive(archive_root, retention, company_id=company_id)
    await _finish(work, result)
    logger.info(
        "REGOS sync run %s %s: %d day(s), %d page(s), +%d ~%d, %d invalid, %.1fs",
        run_id, result.status, len(result.days), result.pages, result.inserted, result.updated, result.invalid,
        result.duration_seconds,
    )
    return result


async def _run(work: CompanySync, result: SyncResult) -> None:
    try:
        if work.options.refresh_reference:
            work.cursor = {"stage": "reference"}
            await work.refresh_reference()
        await work.prepare()
    except RegosError as error:
        _fail(work, result, error)
        return
    failed: list[tuple[int, date]] = []
    last_error: RegosError | None = None
    for index, day in enumerate(work.days, start=1):
        if day in work.resumed_days:
            result.days.append(DaySyncResult(day, status=DayStatus.RESUMED))
            work.stats.days_done.append(day.isoformat())
            continue
        outcome, day_error = await _sync_one_day(work, result, index, day)
        if outcome == _STOP:
            return
        if outcome == _RETRY:
            failed.append((index, day))
            last_error = day_error or last_error
    # A day that failed on REGOS (an outage, a call that used up its attempts) does not stop the others; it is
    # tried again after a pause, and what is still short after the last round is named in the result.
    for round_number in range(1, DAY_RETRY_ROUNDS + 1):
        if not failed:
            break
        await asyncio.sleep(DAY_RETRY_DELAY_SECONDS * 2 ** (round_number - 1))
        again, failed = failed, []
        for index, day in again:
            logger.info("REGOS sync of company %s: retrying %s (round %d)", work.company_id, day, round_number)
            outcome, day_error = await _sync_one_day(work, result, index, day, retry=True)
            if outcome == _STOP:
                return
            if outcome == _RETRY:
                failed.append((index, day))
                last_error = day_error or last_error
    if failed and last_error is not None and not any(d.status == DayStatus.OK for d in result.days):
        _fail(work, result, last_error)  # nothing could be read: the connection is failing, the owner is told
        return
    await work.report(len(work.days), work.days[-1] if work.days else None)
    if work.options.refresh_stock_levels and any(d.status == DayStatus.OK for d in result.days):
        try:
            work.cursor = {"stage": "stock_levels"}
            result.stock_levels_written = await work.refresh_stock_levels()
        except RegosError as error:
            _fail(work, result, error)



_DONE, _RETRY, _STOP = "done", "retry", "stop"
DAY_RETRY_ROUNDS = 2
DAY_RETRY_DELAY_SECONDS = 5.0


def _put_day(result: SyncResult, day_result: DaySyncResult, *, retry: bool) -> None:
    if retry:
        for position, earlier in enumerate(result.days):
            if earlier.day == day_result.day:
                result.days[position] = day_result
                return
    result.days.append(day_result)


async def _sync_one_day(
    work: CompanySync, result: SyncResult, index: int, day: date, *, retry: bool = False
) -> tuple[str, RegosError | None]:
    """One day under its claim: ``_DONE``, ``_RETRY`` (REGOS failed it; try later) or ``_STOP`` (no point going on:
    the key was refused)."""
    await work.report(index, day)
    claim = await claim_day(
        work.session_factory, work.company_id, day, work.owner, stale_after=work.options.lock_stale_after
    )
    if claim is None:
        logger.info("REGOS sync of company %s, %s: another sync holds the day", work.company_id, day)
        _put_day(result, DaySyncResult(day, status=DayStatus.BUSY, error="another sync is running for this day"),
                 retry=retry)
        return _DONE, None
    error_text: str | None = None
    outcome = _DONE
    failure: RegosError | None = None
    heartbeat = asyncio.create_task(work.keep_alive(claim))
    try:
        _put_day(result, await work.sync_day(day, index, claim), retry=retry)
    except RegosAuthError as error:
        error_text = str(error)
        _put_day(result, DaySyncResult(day, status=DayStatus.FAILED, error=error_text), retry=retry)
        _fail(work, result, error)
        outcome = _STOP
    except RegosError as error:
        error_text = str(error)
        _put_day(result, DaySyncResult(day, status=DayStatus.FAILED, error=error_text), retry=retry)
        if isinstance(error, RegosRateLimitError) and day not in result.rate_limited_days:
            result.rate_limited_days.append(day)
        elif not isinstance(error, RegosRateLimitError) and day in result.rate_limited_days:
            result.rate_limited_days.remove(day)
        work.stats.note_error("regos_day", day=day.isoformat(), method=error.method, code=error.code,
                              http_status=error.http_status, error=error.description)
        logger.warning("REGOS sync of company %s, %s failed (will retry): %s", work.company_id, day, error)
        outcome, failure = _RETRY, error
    except ClaimLostError as error:
        error_text = str(error)
        _put_day(result, DaySyncResult(day, status=DayStatus.FAILED, error=error_text), retry=retry)
        work.stats.note_error("claim_lost", day=day.isoformat(), error=error_text)
    except BaseException as error:
        error_text = f"{type(error).__name__}: {error}"[:500] or "interrupted"
        raise
    finally:
        heartbeat.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await heartbeat
        try:  # a locked database must not turn the cleanup into a second failure; a stale claim is taken over
            await retry_transient(lambda: release_day(work.session_factory, claim, error=error_text),
                                  what="releasing a day claim")
        except Exception:
            logger.warning("REGOS sync: could not release the claim on %s", day, exc_info=True)
    return outcome, failure

def _day_failed(result: SyncResult, day: date) -> bool:
    return any(d.day == day and d.status == DayStatus.FAILED for d in result.days)


def _fail(work: CompanySync, result: SyncResult, error: RegosError) -> None:
    result.failure = SyncFailure.from_error(error)
    work.stats.note_error(
        "regos", method=error.method, code=error.code, http_status=error.http_status, error=error.description
    )
    logger.warning("REGOS sync of company %s stopped: %s", work.company_id, error)


async def _finish(work: CompanySync, result: SyncResult) -> None:
    result.duration_seconds = time.monotonic() - work.started
    if result.status != SyncRunStatus.FAILED:
        if result.failure is not None:
            result.status = SyncRunStatus.FAILED
        elif result.days and all(d.status == DayStatus.BUSY for d in result.days):
            result.status = SyncRunStatus.BUSY
        elif any(d.status in (DayStatus.BUSY, DayStatus.FAILED) for d in result.days):
            result.status = SyncRunStatus.PARTIAL
        else:
            result.status = SyncRunStatus.OK
    async with work.session_factory.begin() as db:
        await work.save_run(
            db, status=result.status, finished_at=utcnow(), duration_ms=int(result.duration_seconds * 1000)
        )
        if result.failure is not None:
            failure = result.failure
            where = f" ({failure.method})" if failure.method else ""
            code = f" error {failure.error_code}" if failure.error_code is not None else ""
            await mark_connection_failing(
                db, work.company_id, failure.problem, f"{failure.description}{where}{code}"
            )
        elif still_limited := [d for d in result.rate_limited_days if _day_failed(result, d)]:
            await mark_connection_failing(
                db, work.company_id, RegosProblem.RATE_LIMITED,
                f"REGOS refused with 8213 (the key's limit is used elsewhere too); {len(still_limited)} day(s) "
                f"left for a later run: {', '.join(d.isoformat() for d in still_limited)}",
            )
        elif any(d.status == DayStatus.OK for d in result.days):
            await mark_connection_ok(db, work.company_id)


__all__ = ["TRIGGERS", "SyncProgress", "SyncResult", "SyncRunStatus", "SyncTrigger", "sync_company"]

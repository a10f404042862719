"""The command line: `python -m bot` and the `smartsavdo` script are the same program."""

from __future__ import annotations

import argparse
import asyncio
import json
import signal
import sys
from collections.abc import Callable, Coroutine, Sequence
from datetime import date
from typing import Any

from core.config import ConfigError, Settings, load_settings
from db.migrate import DatabaseBehindError

Command = Callable[[argparse.Namespace, Settings], Coroutine[Any, Any, int]]


async def _migrate(args: argparse.Namespace, settings: Settings) -> int:
    from db.engine import create_engine
    from db.migrate import current_revision, upgrade

    engine = create_engine(settings.database_url)
    try:
        await upgrade(engine, args.revision)
        print(f"database at revision {await current_revision(engine)}")
    finally:
        await engine.dispose()
    return 0


async def _run(args: argparse.Namespace, settings: Settings) -> int:
    from bot.factory import build_app
    from bot.runner import run_polling

    await run_polling(build_app(settings))
    return 0


async def _webhook(args: argparse.Namespace, settings: Settings) -> int:
    from bot.factory import build_app
    from bot.runner import run_webhook

    await run_webhook(build_app(settings))
    return 0


async def _scheduler(args: argparse.Namespace, settings: Settings) -> int:
    from bot.factory import build_app
    from bot.runner import run_scheduler

    await run_scheduler(build_app(settings))
    return 0


async def _with_session(settings: Settings, work: Callable[[Any], Coroutine[Any, Any, int]]) -> int:
    from db.engine import create_engine, create_session_factory
    from db.migrate import ensure_up_to_date

    engine = create_engine(settings.database_url)
    try:
        await ensure_up_to_date(engine)
        async with create_session_factory(engine)() as session:
            result = await work(session)
            await session.commit()
            return result
    finally:
        await engine.dispose()


async def _company_create(args: argparse.Namespace, settings: Settings) -> int:
    from db.models import TaxRegime
    from services import companies
    from services.users import TelegramIdentity, get_or_create_user

    async def work(session: Any) -> int:
        owner = None
        if args.owner_telegram_id:
            owner = await get_or_create_user(session, TelegramIdentity(args.owner_telegram_id, "", None, None))
        company = await companies.create_company(
            session, name=args.name, tin=args.tin, timezone=args.tz, regime=TaxRegime(args.regime), owner=owner
        )
        print(company.id)
        return 0

    return await _with_session(settings, work)


async def _company_list(args: argparse.Namespace, settings: Settings) -> int:
    from services import companies

    async def work(session: Any) -> int:
        rows = [{"id": c.id, "name": c.name, "tin": c.tin, "timezone": c.timezone}
                for c in await companies.list_companies(session)]
        if args.json:
            print(json.dumps(rows, ensure_ascii=False))
        else:
            for row in rows:
                print(f"{row['id']}\t{row['tin']}\t{row['timezone']}\t{row['name']}")
        return 0

    return await _with_session(settings, work)


async def _bot_username(settings: Settings) -> str | None:
    if settings.bot_token is None:
        return None
    from bot.factory import build_bot

    bot = build_bot(settings)
    try:
        return (await asyncio.wait_for(bot.get_me(), timeout=10)).username
    except Exception:
        return None
    finally:
        await bot.session.close()


async def _invite(args: argparse.Namespace, settings: Settings) -> int:
    from datetime import timedelta

    from db.models import Role
    from services import invites

    username = await _bot_username(settings)

    async def work(session: Any) -> int:
        invite = await invites.create_invite(
            session, company_id=args.company, role=Role(args.role), by=None,
            branch_id=args.branch, ttl=timedelta(hours=args.hours or settings.invite_ttl_hours),
        )
        print(invites.deep_link(username, invite.code))
        return 0

    return await _with_session(settings, work)


async def _demo(args: argparse.Namespace, settings: Settings) -> int:
    from sandbox.demo import run_demo

    await run_demo(host=args.host, port=args.port, seed=args.seed, db_path=args.db)
    return 0


_CONNECT_PROBLEMS = {
    "key_malformed": "this does not look like a REGOS integration key (32 characters, no spaces)",
    "key_rejected": "REGOS rejected the key: check it in REGOS → Business settings → Integrations",
    "no_rights": "the key has no rights for {method}: allow it for the integration in REGOS",
    "unreachable": "REGOS did not answer (network, timeout or server error): try again later",
    "rate_limited": "REGOS kept refusing with its rate limit: try again in a minute",
    "bad_response": "REGOS answered something that is not its API (check --gateway)",
    "unknown": "REGOS refused",
}


def _regos_problem_line(problem: str, method: str | None, code: int | None, description: str | None) -> str:
    text = _CONNECT_PROBLEMS.get(problem, "REGOS refused").format(method=method or "a method")
    details = ", ".join(part for part in (f"error {code}" if code is not None else "", description or "") if part)
    return f"{text} ({details})" if details else text


async def _regos_connect(args: argparse.Namespace, settings: Settings) -> int:
    from services.crypto import SecretBox
    from services.sync import connect_company

    box = SecretBox(settings.require_secret_key())

    async def work(session: Any) -> int:
        outcome = await connect_company(
            session, company_id=args.company, integration_key=args.key,
            gateway_url=args.gateway or settings.regos_gateway_url, secret_box=box,
        )
        if not outcome.ok:
            problem = outcome.problem.value if outcome.problem else "unknown"
            line = _regos_problem_line(problem, outcome.failed_method, outcome.error_code, outcome.description)
            print(f"error: {line}", file=sys.stderr)
            return 1
        print(
            f"connected: {outcome.branches_found} branches found ({outcome.branches_created} created, "
            f"{outcome.branches_adopted} matched to existing), {outcome.tills_found} tills, "
            f"{outcome.employees_found} REGOS users ({outcome.employees_created} new employees); "
            f"key {outcome.key_prefix}…"
        )
        return 0

    return await _with_session(settings, work)


class _ProgressBar:
    """One line on a terminal, rewritten as pages arrive."""

    def __init__(self, stream: Any, width: int = 24) -> None:
        self.stream = stream
        self.width = width
        self.drawn = False

    def __call__(self, progress: Any) -> None:
        done = (progress.day_index - 1) / progress.days_total if progress.days_total else 1.0
        filled = int(self.width * min(1.0, max(0.0, done)))
        day = f" {progress.day}" if progress.day else ""
        self.stream.write(
            f"\r[{'#' * filled}{'.' * (self.width - filled)}] day {progress.day_index}/{progress.days_total}{day}"
            f" · {progress.receipts_done} receipts · {progress.pages} pages · {progress.elapsed:.1f}s "
        )
        self.stream.flush()
        self.drawn = True

    def close(self) -> None:
        if self.drawn:
            self.stream.write("\n")
            self.stream.flush()


async def _sync_regos(args: argparse.Namespace, settings: Settings) -> int:
    import logging

    from db.engine import create_engine, create_session_factory
    from db.migrate import ensure_up_to_date
    from services.crypto import SecretBox
    from services.sync import RegosNotConnected, SyncOptions, books_to_json, day_books, sync_company

    box = SecretBox(settings.require_secret_key())
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per REGOS request is noise here
    if args.date_to and not args.date_from:
        print("error: --to needs --from", file=sys.stderr)
        return 2
    engine = create_engine(settings.database_url)
    bar = _ProgressBar(sys.stderr) if sys.stderr.isatty() else None
    try:
        await ensure_up_to_date(engine)
        factory = create_session_factory(engine)
        try:
            result = await sync_company(
                factory, args.company, date_from=args.date_from, date_to=args.date_to or args.date_from,
                trigger="cli", secret_box=box, on_progress=bar,
                archive_dir=args.archive_dir or settings.regos_archive_dir,
                options=SyncOptions(archive_retention_days=settings.regos_archive_retention_days),
            )
        except RegosNotConnected:
            print(
                f"error: company {args.company} is not connected to REGOS: run `python -m bot regos connect`",
                file=sys.stderr,
            )
            return 1
        except ValueError as error:  # a window the sync refuses (reversed, too long)
            print(f"error: {error}", file=sys.stderr)
            return 2
        finally:
            if bar is not None:
                bar.close()
        async with factory() as session:
            books = await day_books(session, args.company, result.date_from, result.date_to)
    finally:
        await engine.dispose()
    states = {d.day.isoformat(): _day_state(d) for d in result.days}
    short = [day for day, state in states.items() if state["state"] != "final"]
    if args.json:
        payload = books_to_json(books)
        for entry in payload.get("days", []):
            entry.update(states.get(str(entry.get("date")), {}))
        payload.update(status=str(result.status), short_days=short)
        print(json.dumps(payload, ensure_ascii=False, default=str))
    else:
        for book in books:
            print(
                f"{book.date}  receipts {book.receipts}  gross {book.retail_gross:.2f}  returns "
                f"{book.retail_returns:.2f}  net {book.retail_net:.2f}  wholesale {book.wholesale_net:.2f}"
            )
            for branch in book.branches:
                print(
                    f"    {branch.name} (stock {branch.regos_stock_id})  receipts {branch.receipts}  "
                    f"net {branch.retail_net:.2f}  wholesale {branch.wholesale_net:.2f}"
                )
        for day in result.days:
            if day.reconciliation is not None and not day.reconciliation.matches:
                print(f"{day.day}  differs from REGOS: {'; '.join(day.reconciliation.differences)}")
    for day in result.days:
        if day.status == "busy":
            print(f"warning: {day.day} skipped, another sync is running for it", file=sys.stderr)
    if result.failure is not None:
        failure = result.failure
        line = _regos_problem_line(failure.problem.value, failure.method, failure.error_code, failure.description)
        print(f"error: sync stopped: {line}", file=sys.stderr)
        return 1
    if short:
        print(f"error: days still short, to be retried: {', '.join(short)}", file=sys.stderr)
        return 1
    return 0


def _day_state(day: Any) -> dict[str, Any]:
    """A day's state for the CLI: final only when it synced and our books equal REGOS's aggregates."""
    status = str(getattr(day.status, "value", day.status))
    reconciliation = day.reconciliation
    if status in ("failed", "busy"):
        state = status
    elif reconciliation is not None and not reconciliation.matches:
        state = "mismatch"
    else:
        state = "final"
    return {"state": state, "sync_status": status, "error": day.error,
            "differences": list(reconciliation.differences) if reconciliation is not None else []}


async def report_window(session: Any, args: argparse.Namespace) -> tuple[Any, Any] | None:
    """The company and period a `report` command asks for (`--company`, `--from`, `--to`, `--branch`), or None
    when they are wrong (told on stderr, in one line)."""
    from sqlalchemy import select

    from core.i18n import translate
    from db.models import Branch, Company
    from services.companies import business_day
    from services.locale import format_date
    from services.reports import DateInputError, Period, parse_date
    from services.reports.periods import MAX_RANGE_DAYS

    company = await session.get(Company, args.company)
    if company is None or company.deleted_at is not None:
        print(f"error: no company {args.company}", file=sys.stderr)
        return None
    today = business_day(company)
    try:
        first = parse_date(args.date_from, today)
        last = parse_date(args.date_to, today) if args.date_to else first
    except DateInputError as error:
        params = {k: format_date(v, "en") if isinstance(v, date) else v for k, v in error.params.items()}
        print(f"error: {translate('en', error.key, **params)}", file=sys.stderr)
        return None
    if last < first or (last - first).days + 1 > MAX_RANGE_DAYS:
        print(f"error: --to must be on or after --from, at most {MAX_RANGE_DAYS} days later", file=sys.stderr)
        return None
    if args.branch:
        known = set(await session.scalars(select(Branch.id).where(Branch.company_id == company.id)))
        unknown = sorted(set(args.branch) - known)
        if unknown:
            print(f"error: branches {unknown} are not in company {company.id}", file=sys.stderr)
            return None
    return company, Period(first, last)


async def _report_sales(args: argparse.Namespace, settings: Settings) -> int:
    """The sales report of a period as JSON (stdout by default), Excel, PDF or CSV: the figures /sales shows."""
    from functools import partial
    from pathlib import Path

    from core.i18n import translate
    from services.reports import ExportFormat, export_file_name, export_report
    from services.reports import sales_report as build_report

    locale = args.locale or settings.default_locale
    export_format = ExportFormat(args.format)

    async def work(session: Any) -> int:
        window = await report_window(session, args)
        if window is None:
            return 2
        company, period = window
        report = await build_report(session, company.id, period, branch_ids=args.branch or None)
        data = export_report(report, export_format, partial(translate, locale), locale)
        if args.out is None and export_format is ExportFormat.JSON:
            sys.stdout.write(data.decode("utf-8") + "\n")
            return 0
        path = Path(args.out or export_file_name(report, export_format))
        await asyncio.to_thread(path.write_bytes, data)
        print(path)
        return 0

    return await _with_session(settings, work)


def build_parser() -> argparse.ArgumentParser:
    from db.models import Role, TaxRegime

    parser = argparse.ArgumentParser(prog="smartsavdo", description="Smart Savdo: the retail business assistant bot")
    commands = parser.add_subparsers(dest="command", required=True, metavar="command")

    def add(name: str, handler: Command, help_text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.set_defaults(handler=handler)
        return sub

    add("run", _run, "run the bot with long polling")
    add("webhook", _webhook, "run the webhook HTTP server (WEBHOOK_URL, WEBHOOK_SECRET, WEBHOOK_PORT)")
    add("scheduler", _scheduler, "run the scheduler alone (syncs, summaries), beside webhook replicas")
    migrate = add("migrate", _migrate, "upgrade the database schema")
    migrate.add_argument("revision", nargs="?", default="head")

    company = commands.add_parser("company", help="create or list companies (operators)")
    company_commands = company.add_subparsers(dest="company_command", required=True, metavar="action")
    create = company_commands.add_parser("create", help="create a company; prints its id")
    create.set_defaults(handler=_company_create)
    create.add_argument("--name", required=True)
    create.add_argument("--tin", required=True, help="9 digits")
    create.add_argument("--tz", default="Asia/Tashkent")
    create.add_argument("--regime", default=TaxRegime.TURNOVER.value, choices=[r.value for r in TaxRegime])
    create.add_argument("--owner-telegram-id", type=int)
    listing = company_commands.add_parser("list", help="list companies")
    listing.set_defaults(handler=_company_list)
    listing.add_argument("--json", action="store_true")

    invite = add("invite", _invite, "make a one-time invite link for a company")
    invite.add_argument("--company", type=int, required=True)
    invite.add_argument("--role", required=True, choices=[r.value for r in Role])
    invite.add_argument("--branch", type=int)
    invite.add_argument("--hours", type=int)
    regos = commands.add_parser("regos", help="connect a company to REGOS (operators)")
    regos_commands = regos.add_subparsers(dest="regos_command", required=True, metavar="action")
    regos_connect = regos_commands.add_parser("connect", help="check a REGOS integration key and store it")
    regos_connect.set_defaults(handler=_regos_connect)
    regos_connect.add_argument("--company", type=int, required=True)
    regos_connect.add_argument("--key", required=True, help="the integration key from REGOS")
    regos_connect.add_argument("--gateway", help="gateway base URL (default: REGOS_GATEWAY_URL, the real gateway)")

    sync = commands.add_parser("sync", help="import data from outside systems (operators, backfills)")
    sync_commands = sync.add_subparsers(dest="sync_command", required=True, metavar="source")
    sync_regos = sync_commands.add_parser(
        "regos", help="sync REGOS sales for business days and print what the books now hold"
    )
    sync_regos.set_defaults(handler=_sync_regos)
    sync_regos.add_argument("--company", type=int, required=True)
    sync_regos.add_argument("--from", dest="date_from", type=date.fromisoformat, help="first day, YYYY-MM-DD")
    sync_regos.add_argument("--to", dest="date_to", type=date.fromisoformat, help="last day (default: --from)")
    sync_regos.add_argument("--json", action="store_true", help="one JSON object on stdout")
    sync_regos.add_argument("--archive-dir", help="where raw REGOS answers are archived (default: REGOS_ARCHIVE_DIR)")

    report = commands.add_parser("report", help="reports as files or JSON (operators)")
    report_commands = report.add_subparsers(dest="report_command", required=True, metavar="report")
    report_sales = report_commands.add_parser("sales", help="the sales report of a period, the figures /sales shows")
    report_sales.set_defaults(handler=_report_sales)
    report_sales.add_argument("--company", type=int, required=True)
    report_sales.add_argument("--from", dest="date_from", required=True, help="first day (2026-11-01, 1.11.2026...)")
    report_sales.add_argument("--to", dest="date_to", help="last day (default: --from)")
    report_sales.add_argument("--format", default="json", choices=["json", "xlsx", "pdf", "csv"])
    report_sales.add_argument("--out", help="file to write (default: JSON to stdout, other formats to ./sales_*)")
    report_sales.add_argument("--branch", type=int, action="append", help="only this branch id (repeatable)")
    report_sales.add_argument("--locale", choices=["uz", "ru", "en"], help="language of the file's labels")
    from bot.cli_cash import add_cash_report

    add_cash_report(report_commands)
    from bot.cli_payroll import add_payroll_commands

    add_payroll_commands(commands, report_commands)
    from bot.cli_tax import add_tax_commands

    add_tax_commands(commands, report_commands)

    from bot.cli_eskiz import add_eskiz_commands

    add_eskiz_commands(commands)
    from bot.cli_ocr import add_ocr_command

    add_ocr_command(commands)
    from bot.cli_ai import add_ask_command

    add_ask_command(commands)
    demo = add("demo", _demo, "the offline demo: Telegram emulator with a web chat, the bot, a seeded company")
    demo.add_argument("--host", default="127.0.0.1")
    demo.add_argument("--port", type=int, default=8080)
    demo.add_argument("--seed", type=int, default=1)
    demo.add_argument("--db", default="data/demo.db")
    return parser


async def _until_terminated(command: Coroutine[Any, Any, int]) -> int:
    """SIGTERM cancels the command, so a sync releases its day claims on the way out (exit 143). The long-running
    modes (run, webhook, demo) install their own handler for a graceful stop, which replaces this one."""
    task = asyncio.ensure_future(command)
    loop = asyncio.get_running_loop()
    try:
        loop.add_signal_handler(signal.SIGTERM, task.cancel)
    except (NotImplementedError, RuntimeError):  # not on this platform or thread
        pass
    try:
        return await task
    except asyncio.CancelledError:
        if task.cancelled():
            print("stopped by SIGTERM", file=sys.stderr)
            return 143
        raise


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = load_settings()
        from bot.logging_setup import configure_logging

        configure_logging(settings)
        return asyncio.run(_until_terminated(args.handler(args, settings)))
    except (ConfigError, DatabaseBehindError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as error:
        from services.errors import DomainError

        if isinstance(error, DomainError):
            from core.i18n import translate

            print(f"error: {translate('en', error.key, **error.params)}", file=sys.stderr)
            return 1
        raise

"""The command line: `python -m bot` and the `smartsavdo` script are the same program."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Callable, Coroutine, Sequence
from typing import Any

from bot.config import ConfigError, Settings, load_settings
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
            session, company_id=args.company, role=Role(args.role), actor=None, actor_role=None,
            branch_id=args.branch, ttl=timedelta(hours=args.hours or settings.invite_ttl_hours),
        )
        print(invites.deep_link(username, invite.code))
        return 0

    return await _with_session(settings, work)


async def _demo(args: argparse.Namespace, settings: Settings) -> int:
    from sandbox.demo import run_demo

    await run_demo(host=args.host, port=args.port, seed=args.seed, db_path=args.db)
    return 0


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
    demo = add("demo", _demo, "the offline demo: Telegram emulator with a web chat, the bot, a seeded company")
    demo.add_argument("--host", default="127.0.0.1")
    demo.add_argument("--port", type=int, default=8080)
    demo.add_argument("--seed", type=int, default=1)
    demo.add_argument("--db", default="data/demo.db")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = load_settings()
        from bot.logging_setup import configure_logging

        configure_logging(settings)
        return asyncio.run(args.handler(args, settings))
    except (ConfigError, DatabaseBehindError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as error:
        from services.errors import DomainError

        if isinstance(error, DomainError):
            from bot.i18n import translate

            print(f"error: {translate('en', error.key, **error.params)}", file=sys.stderr)
            return 1
        raise

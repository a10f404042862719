"""`python -m bot ask`: the assistant from the command line, one question per process.

    python -m bot ask --company ID [--user TELEGRAM_ID] [--lang uz|ru|en] [--json] [--offline] "question"
    python -m bot ask --log [--company ID] [--limit N] [--negative] [--json]

The first prints the answer text exactly as the bot would send it (the model when OPENAI_API_KEY is set, unless
--offline; --json adds the tool calls, figures, path and time); it asks as that member (default: the company's
first owner), and the exchange is logged like the bot's. The second is the operator's view of the log: questions,
tool calls, answers, feedback (👍/👎 and the reason). Imports only what an answer needs: no Telegram machinery.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from core.config import Settings


def add_ask_command(commands: Any) -> None:
    sub = commands.add_parser("ask", help="ask the assistant a question about a company, or --log to review",
                              description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub.set_defaults(handler=_ask)
    sub.add_argument("question", nargs="?", default=None)
    sub.add_argument("--company", type=int)
    sub.add_argument("--user", type=int, help="the asker's Telegram id (default: the company's first owner)")
    sub.add_argument("--lang", choices=["uz", "ru", "en"], help="the language when the question shows none")
    sub.add_argument("--json", action="store_true", help="one JSON object with the tool calls and figures")
    sub.add_argument("--offline", action="store_true", help="the offline parser even when a model is configured")
    sub.add_argument("--log", action="store_true", help="the assistant's log instead of a question")
    sub.add_argument("--limit", type=int, default=20)
    sub.add_argument("--negative", action="store_true", help="with --log: only answers rated 👎")


async def _member(session: Any, company_id: int, telegram_id: int | None) -> Any:
    from sqlalchemy import select
    from sqlalchemy.orm import selectinload

    from db.models import Membership, Role, User

    query = select(Membership).options(selectinload(Membership.branches)).where(Membership.company_id == company_id)
    if telegram_id is not None:
        query = query.join(User, User.id == Membership.user_id).where(User.telegram_id == telegram_id)
    else:
        query = query.where(Membership.role == Role.OWNER).order_by(Membership.id)
    return (await session.scalars(query.limit(1))).first()


async def _ask(args: argparse.Namespace, settings: Settings) -> int:
    from db.engine import create_engine, create_session_factory
    from db.migrate import ensure_up_to_date

    engine = create_engine(settings.database_url)
    try:
        await ensure_up_to_date(engine)
        async with create_session_factory(engine)() as session:
            code = await (_log(session, args) if args.log else _question(session, args, settings))
            await session.commit()
            return code
    finally:
        await engine.dispose()


async def _question(session: Any, args: argparse.Namespace, settings: Settings) -> int:
    from db.models import Company, User
    from services.ai import assistant
    from services.ai.memory import DbStore
    from services.ai.model import ModelConfig
    from services.ai.tools import ToolContext
    from services.companies import business_day
    from services.errors import DomainError

    if args.company is None or args.question is None:
        print("error: --company ID and a question are needed (or --log)", file=sys.stderr)
        return 2
    company = await session.get(Company, args.company)
    if company is None:
        print(f"error: no company {args.company}", file=sys.stderr)
        return 1
    membership = await _member(session, company.id, args.user)
    if membership is None:
        print("error: no such member of the company" if args.user else "error: the company has no owner",
              file=sys.stderr)
        return 1
    user = await session.get(User, membership.user_id)
    locale = args.lang or getattr(user, "language", None) or settings.default_locale
    config = None
    if settings.openai_api_key is not None and not args.offline:
        config = ModelConfig(settings.openai_api_key.get_secret_value(), settings.openai_base_url,
                             settings.openai_model, settings.openai_timeout, settings.ai_daily_quota)
    ctx = ToolContext(session, membership, business_day(company), locale)
    try:
        reply = await assistant.respond(ctx, args.question, store=DbStore(session),
                                        telegram_id=args.user or getattr(user, "telegram_id", 0) or 0,
                                        user_id=membership.user_id, config=config)
    except DomainError as error:  # the member's role may not ask
        print(f"error: {error.key}", file=sys.stderr)
        return 1
    result = reply.answer
    if args.json:
        print(json.dumps({"text": result.text, "language": result.language, "script": result.script,
                          "intent": result.intent, "path": result.path, "tool": result.tool,
                          "arguments": result.arguments, "result": result.result, "exchange_id": reply.exchange_id,
                          "latency_ms": reply.latency_ms}, ensure_ascii=False, default=str))
    else:
        print(result.text)
    return 0


async def _log(session: Any, args: argparse.Namespace) -> int:
    from services.ai import assistant

    rows = await assistant.recent(session, args.company, limit=max(1, min(args.limit, 1000)),
                                  only_negative=args.negative)
    for row in rows:
        data = assistant.exchange_json(row)
        if args.json:
            print(json.dumps(data, ensure_ascii=False, default=str))
            continue
        mark = {1: "+1", -1: "-1"}.get(row.feedback or 0, " .")
        tools = ",".join(t.get("name", "?") for t in row.tools or []) or "-"
        reason = f" ({row.reason})" if row.reason else ""
        print(f"#{row.id} {data['at'][:19]} company {row.company_id} [{mark}{reason}] {row.path} {row.latency_ms}ms "
              f"{tools}\n  Q: {row.question[:200]}\n  A: {row.answer.splitlines()[0][:200] if row.answer else ''}")
    return 0

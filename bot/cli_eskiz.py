"""`python -m bot eskiz ...`: the Eskiz SMS account from the command line (operators).

    eskiz refresh-token            renew the stored token (refresh, or a fresh login), print when it expires
    eskiz send PHONE TEXT          send one SMS (recorded in sms_messages) and print Eskiz's request id
    eskiz status [REF] [--json]    account, balance, token and SMS counts; with REF one message's status
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from core.config import Settings


@asynccontextmanager
async def _eskiz(settings: Settings) -> AsyncIterator[tuple[Any, Any]]:
    """A migrated database's session factory and an Eskiz client whose token lives (encrypted) in it."""
    from db.engine import create_engine, create_session_factory
    from db.migrate import ensure_up_to_date
    from services.crypto import SecretBox
    from services.sms import DbTokenStore, EskizClient

    box = SecretBox(settings.require_secret_key())
    engine = create_engine(settings.database_url)
    try:
        await ensure_up_to_date(engine)
        factory = create_session_factory(engine)
        async with EskizClient.from_settings(settings, token_store=DbTokenStore(factory, box)) as client:
            yield factory, client
    finally:
        await engine.dispose()


def _fail(error: Exception, code: int = 1) -> int:
    print(f"error: {error}", file=sys.stderr)
    return code


async def _refresh_token(args: argparse.Namespace, settings: Settings) -> int:
    from services.masking import mask_secret
    from services.sms import EskizError

    try:
        async with _eskiz(settings) as (_, client):
            stored = await client.store.load(client.account)
            token = await (client.renew(stored) if stored is not None else client.login())
    except EskizError as error:
        return _fail(error)
    expires = token.expires_at.isoformat() if token.expires_at else "unknown"
    print(f"token {mask_secret(token.token)} for {client.account}: expires {expires}, role {token.role or '?'}")
    return 0


async def _send(args: argparse.Namespace, settings: Settings) -> int:
    from services.sms import EskizError, InvalidPhoneError, normalize_phone, send_now

    try:
        normalize_phone(args.phone)
    except InvalidPhoneError as error:
        return _fail(error, 2)
    try:
        async with _eskiz(settings) as (factory, client):
            row, report = await send_now(factory, client, args.phone, args.text, company_id=args.company,
                                         purpose="manual")
    except (EskizError, ValueError) as error:
        return _fail(error)
    if report.error is not None:
        return _fail(report.error)
    print(f"sms {row.id} to {row.phone}: {row.status}, Eskiz request {row.request_id} ({row.parts} part(s))")
    return 0


async def _status(args: argparse.Namespace, settings: Settings) -> int:
    from services.masking import mask_secret
    from services.sms import EskizError, sms_counts

    try:
        async with _eskiz(settings) as (factory, client):
            if args.ref:
                message = await client.status(args.ref)
                data: dict[str, Any] = {"id": message.id, "request_id": message.request_id, "to": message.phone,
                                        "status": message.status, "parts": message.parts,
                                        "price": str(message.price) if message.price is not None else None,
                                        "delivered_at": message.delivered_at}
            else:
                user = await client.user()
                balance = await client.balance()
                token = client.token_info
                async with factory() as session:
                    counts = await sms_counts(session)
                data = {"account": user.email or client.account, "name": user.name, "role": user.role,
                        "status": user.status, "balance": balance, "sender": client.sender,
                        "callback_url": client.callback_url,
                        "token": mask_secret(token.token) if token else None,
                        "token_expires_at": token.expires_at.isoformat() if token and token.expires_at else None,
                        "sms": counts}
    except EskizError as error:
        return _fail(error)
    if args.json:
        print(json.dumps(data, ensure_ascii=False))
    else:
        for key, value in data.items():
            print(f"{key}: {value}")
    return 0


def add_eskiz_commands(commands: Any) -> None:
    """Register `eskiz refresh-token | send | status` on the CLI's sub-parsers."""
    eskiz = commands.add_parser("eskiz", help="the Eskiz SMS account: token, test send, status (operators)")
    actions = eskiz.add_subparsers(dest="eskiz_command", required=True, metavar="action")
    refresh = actions.add_parser("refresh-token", help="renew the stored Eskiz token (refresh, else log in)")
    refresh.set_defaults(handler=_refresh_token)
    send = actions.add_parser("send", help="send one SMS now and print Eskiz's request id")
    send.set_defaults(handler=_send)
    send.add_argument("phone", help="an Uzbek mobile number: +998 90 123 45 67, 901234567...")
    send.add_argument("text")
    send.add_argument("--company", type=int, help="record the SMS under this company")
    status = actions.add_parser("status", help="account, balance, token expiry and SMS counts")
    status.set_defaults(handler=_status)
    status.add_argument("ref", nargs="?", help="one message: Eskiz's id or the request id a send printed")
    status.add_argument("--json", action="store_true")

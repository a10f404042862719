"""``python -m sandbox.eskiz --port 8083``: run the fake Eskiz SMS gateway until interrupted."""

from __future__ import annotations

import argparse
import asyncio
import contextlib

from .server import FakeEskiz
from .state import DEFAULT_EMAIL, DEFAULT_PASSWORD


def _parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m sandbox.eskiz", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8083)
    parser.add_argument("--email", default=DEFAULT_EMAIL)
    parser.add_argument("--password", default=DEFAULT_PASSWORD)
    parser.add_argument("--test-account", action="store_true", help="the account may send only Eskiz's test texts")
    parser.add_argument("--balance", type=int, default=None, help="get-limit balance (UZS)")
    parser.add_argument("--callback-format", choices=["json", "form"], default="json")
    return parser.parse_args(argv)


async def _serve(args: argparse.Namespace) -> None:
    fake = FakeEskiz(email=args.email, password=args.password, role="test" if args.test_account else "user",
                     balance=args.balance, callback_format=args.callback_format)
    api = await fake.start(args.host, args.port)
    print(f"Fake Eskiz:   ESKIZ_BASE_URL={api}")
    print(f"Account:      ESKIZ_EMAIL={args.email} ESKIZ_PASSWORD={args.password}")
    print(f"Control API:  {fake.base_url}/_fake/state")
    try:
        await asyncio.Event().wait()
    finally:
        await fake.stop()


def main(argv: list[str] | None = None) -> None:
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_serve(_parse_args(argv)))


if __name__ == "__main__":
    main()

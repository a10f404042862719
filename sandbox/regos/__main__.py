"""``python -m sandbox.regos --port 8082 --seed 1``: run the fake REGOS gateway until interrupted."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
from datetime import date

from .server import FakeRegos


def _parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m sandbox.regos", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8082)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--start-date", type=date.fromisoformat, default=None, help="first business day, YYYY-MM-DD")
    parser.add_argument("--days", type=int, default=28)
    parser.add_argument("--receipts-per-day", type=int, default=300)
    parser.add_argument("--branches", type=int, default=3)
    parser.add_argument("--key", action="append", default=[], help="accepted integration key (repeatable)")
    parser.add_argument("--no-rate-limit", action="store_true", help="do not answer 8213 past 2 req/s")
    parser.add_argument("--webhook-url", default=None, help="POST events here")
    parser.add_argument("--wrapped", action="store_true", help="send webhooks in the HandleWebhook envelope")
    return parser.parse_args(argv)


async def _serve(args: argparse.Namespace) -> None:
    options = {"start_date": args.start_date} if args.start_date else {}
    fake = FakeRegos(
        seed=args.seed,
        days=args.days,
        receipts_per_day=args.receipts_per_day,
        branches=args.branches,
        keys=args.key or None,
        rate_limit=not args.no_rate_limit,
        webhook_url=args.webhook_url,
        webhook_wrapped=args.wrapped,
        **options,
    )
    gateway = await fake.start(args.host, args.port)
    config = fake.generator.config
    print(f"Fake REGOS gateway: {gateway}/{{key}}/v1/{{Controller/Action}}")
    print(f"OAuth token URL:    {fake.token_url}")
    print(f"Control API:        {fake.base_url}/_fake/state")
    print(f"Keys:               {', '.join(fake.keys)}")
    print(f"Period:             {config.start_date} .. {config.end_date}, ~{config.receipts_per_day} receipts/day")
    try:
        await asyncio.Event().wait()
    finally:
        await fake.stop()


def main(argv: list[str] | None = None) -> None:
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_serve(_parse_args(argv)))


if __name__ == "__main__":
    main()

"""``python -m sandbox.regos --port 8082 --seed 1``: run the fake REGOS gateway until interrupted."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
from datetime import date
from typing import Any

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
    parser.add_argument("--no-live", action="store_true", help="show every generated record at once, not up to now")
    parser.add_argument("--live-events", action="store_true", help="send events as new receipts appear")
    parser.add_argument("--faults", default=None, metavar="LEVEL", help="fault level: mild, harsh or hostile")
    parser.add_argument("--shared-rate", type=float, default=0.0, help="req/s another integration spends")
    parser.add_argument("--bucket-start", type=float, default=None, help="tokens in the bucket at start (0=drained)")
    parser.add_argument("--busy-day", action="append", default=[], metavar="DATE=N", help="N receipts on DATE")
    parser.add_argument("--midnight-receipts", action="store_true", help="sales at 00:00:00 and 23:59:59 (24/7)")
    parser.add_argument("--deleted-items", type=int, default=0, help="delete-marked items with stock on hand")
    return parser.parse_args(argv)


def _busy_days(values: list[str]) -> dict[date, int]:
    days = {}
    for value in values:
        day, _, count = value.partition("=")
        days[date.fromisoformat(day)] = int(count)
    return days


async def _serve(args: argparse.Namespace) -> None:
    options: dict[str, Any] = {"start_date": args.start_date} if args.start_date else {}
    fake = FakeRegos(
        seed=args.seed,
        days=args.days,
        receipts_per_day=args.receipts_per_day,
        branches=args.branches,
        keys=args.key or None,
        rate_limit=not args.no_rate_limit,
        webhook_url=args.webhook_url,
        webhook_wrapped=args.wrapped,
        live_events=args.live_events,
        shared_rate=args.shared_rate,
        bucket_start=args.bucket_start,
        live=not args.no_live,
        busy_days=_busy_days(args.busy_day),
        midnight_receipts=args.midnight_receipts,
        deleted_items=args.deleted_items,
        **options,
    )
    if args.faults:
        fake.set_faults(level=args.faults)
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

"""Run the emulator by hand: `python -m sandbox.telegram --port 8081`, then open http://127.0.0.1:8081/."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import signal

from .server import TelegramEmulator


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m sandbox.telegram", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1", help="interface to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8081, help="port (default 8081; 0 picks a free one)")
    parser.add_argument("--token", action="append", default=[], metavar="TOKEN",
                        help="register a bot up front, so the web chat works before the bot connects")
    parser.add_argument("--callback-query-ttl", type=float, default=15.0,
                        help="seconds a bot has to answer a callback query (default 15)")
    parser.add_argument("--log-level", default="INFO")
    return parser.parse_args(argv)


async def serve(args: argparse.Namespace) -> None:
    emulator = TelegramEmulator(
        args.host, args.port, bot_tokens=args.token, callback_query_ttl=args.callback_query_ttl
    )
    base_url = await emulator.start()
    print(f"Telegram emulator: {base_url}  (web chat at {base_url}/, control API at {base_url}/_sandbox/)",
          flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(signum, stop.set)
    try:
        await stop.wait()
    finally:
        await emulator.stop()


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    logging.basicConfig(level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    asyncio.run(serve(args))


if __name__ == "__main__":
    main()

"""Updates per second and p50/p99 latency through the Telegram emulator.

Measures the production bot answering `/help` (reads the user, their company and role from the database, renders
i18n, sends a reply keyboard) beside a bare aiogram echo handler measured in the same run, same emulator, same
client. Prints one JSON object per result.

    python benchmarks/updates.py [--latency-samples 200] [--users 50] [--per-user 20]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import tempfile
import time
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path

from aiogram import Dispatcher
from aiogram.types import Message

from db.engine import create_engine, create_session_factory
from db.migrate import upgrade
from sandbox.seed import DEMO_PERSONAS, seed_demo_company
from sandbox.stack import sandbox_settings, start_polling_bot
from sandbox.telegram.client import SandboxClient, SandboxUser
from sandbox.telegram.server import TelegramEmulator
from sandbox.telegram.testing import make_bot, polling


@asynccontextmanager
async def echo_bot(base: str) -> AsyncIterator[None]:
    dispatcher = Dispatcher()

    @dispatcher.message()
    async def echo(message: Message) -> None:
        await message.answer(message.text or "")

    bot = make_bot(base, token="700000002:ECHO")
    async with polling(dispatcher, bot):
        yield
    await bot.session.close()


@asynccontextmanager
async def smartsavdo_bot(
    base: str, sandbox: SandboxClient, workdir: Path, users: list[SandboxUser]
) -> AsyncIterator[None]:
    url = f"sqlite+aiosqlite:///{workdir / 'bench.db'}"
    engine = create_engine(url)
    await upgrade(engine)
    async with create_session_factory(engine)() as session:
        owner = DEMO_PERSONAS[0]
        await seed_demo_company(session, [(owner, user.id) for user in users])
        await session.commit()
    running = await start_polling_bot(sandbox_settings(base, url, log_level="WARNING"), engine=engine)
    try:
        yield
    finally:
        await running.stop()
        await engine.dispose()


async def latency(users: list[SandboxUser], text: str, samples: int) -> list[float]:
    timings = []
    for index in range(samples):
        user = users[index % len(users)]
        started = time.perf_counter()
        await user.send(text)
        await user.expect(timeout=30)
        timings.append(time.perf_counter() - started)
    return timings


async def throughput(users: list[SandboxUser], text: str, per_user: int) -> float:
    async def one_user(user: SandboxUser) -> None:
        for _ in range(per_user):
            await user.send(text)
            await user.expect(timeout=60)

    started = time.perf_counter()
    await asyncio.gather(*(one_user(user) for user in users))
    return len(users) * per_user / (time.perf_counter() - started)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


BotFactory = Callable[[str, SandboxClient, list[SandboxUser]], AbstractAsyncContextManager[None]]


async def measure(name: str, text: str, args: argparse.Namespace, bot: BotFactory) -> dict[str, object]:
    async with TelegramEmulator() as emulator, SandboxClient(emulator.base_url) as sandbox:
        users = [await sandbox.create_user(f"User {i}", language_code="en") for i in range(args.users)]
        async with bot(emulator.base_url, sandbox, users):
            await latency(users[:1], text, 5)  # warm-up
            samples = await latency(users, text, args.latency_samples)
            rate = await throughput(users, text, args.per_user)
    return {
        "benchmark": "updates", "handler": name, "updates_per_second": round(rate, 1),
        "latency_p50_ms": round(statistics.median(samples) * 1000, 2),
        "latency_p99_ms": round(percentile(samples, 0.99) * 1000, 2),
        "latency_samples": len(samples), "concurrent_users": args.users, "updates_per_user": args.per_user,
    }


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--latency-samples", type=int, default=200)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--per-user", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        baseline = await measure("bare aiogram echo (baseline)", "hello", args,
                                 lambda base, sandbox, users: echo_bot(base))
        print(json.dumps(baseline), flush=True)
        ours = await measure("smartsavdo /help (db read + i18n)", "/help", args,
                             lambda base, sandbox, users: smartsavdo_bot(base, sandbox, workdir, users))
        print(json.dumps(ours), flush=True)


if __name__ == "__main__":
    import logging

    logging.basicConfig(level=logging.WARNING)
    asyncio.run(main())

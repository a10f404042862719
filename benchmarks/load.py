"""Many people asking for `/today` at the same moment (issue 10): 0 errors, p99 and memory, beside `/help`.

One process holds the Telegram emulator and the production bot (polling it, as in the demo), over a freshly
migrated database (SQLite by default; PostgreSQL with --database-url or TEST_DATABASE_URL). Companies are
connected to a fake REGOS with its real rate limit on (2 requests/s, burst 50 per key) and today is synced
through `services.sync`, so `/today` reads real books.

Four waves, each sent at once (100 sends in flight; each reply is read off the in-process emulator's log):
  0. the floor: a bare aiogram echo bot (no database, no middlewares) answering those 1,000 users (before the
     production bot starts), so the figures below read against what the emulator, the client
     and aiogram cost on this machine in this run;
  1. bare `/help` by the 1,000 members of one company (the production bot's baseline, same run);
  2. `/today` by those 1,000 members of one company (one report, computed once per books' version);
  3. `/today` by 1,000 users across 100 companies (10 each: 100 different reports).
A reply counts as an error when it is the generic error, the busy answer, or does not come within the timeout.
Telegram's flood limits are off in the emulator here: replies to 1,000 different chats are not a broadcast, and
the figure measured is the bot's own latency.

    python benchmarks/load.py [--users 1000] [--companies 100] [--database-url URL]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from aiogram import Dispatcher
from aiogram.types import Message
from sqlalchemy import text

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.i18n import SUPPORTED_LOCALES, translate
from db.engine import create_engine, create_session_factory
from db.migrate import upgrade
from db.models import Membership, Role, TaxRegime
from sandbox.regos.server import FakeRegos
from sandbox.stack import DEMO_TOKEN, sandbox_settings, start_polling_bot
from sandbox.telegram.client import SandboxClient, SandboxUser
from sandbox.telegram.server import TelegramEmulator
from sandbox.telegram.testing import close_bot, make_bot, polling
from services import companies
from services.crypto import SecretBox
from services.sync import connect_company, sync_company
from services.users import TelegramIdentity, get_or_create_user

ZONE = "Asia/Tashkent"
SECRET = "load-benchmark-secret-key-0123456789"
ECHO_TOKEN = "700000002:ECHO-floor"
# the texts users must never get under load (the generic error's first sentence, and the busy answer)
FAILURE_TEXTS = tuple(
    [translate(locale, "error-generic", ref="-").split(".")[0] for locale in SUPPORTED_LOCALES]
    + [translate(locale, "error-busy").split(".")[0] for locale in SUPPORTED_LOCALES]
)


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def current_rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


async def prepare_database(url: str) -> None:
    engine = create_engine(url)
    if engine.dialect.name == "postgresql":
        async with engine.begin() as connection:
            await connection.execute(text("DROP SCHEMA public CASCADE"))
            await connection.execute(text("CREATE SCHEMA public"))
    await upgrade(engine)
    await engine.dispose()


async def seed_companies(url: str, fake: FakeRegos, keys: list[str], members: list[list[SandboxUser]]) -> float:
    """Company i gets keys[i] and members[i] (managers, English); today is synced for each. Returns seconds."""
    engine = create_engine(url)
    factory = create_session_factory(engine)
    box = SecretBox(SECRET)
    company_ids: list[int] = []
    async with factory() as session:
        for index, people in enumerate(members):
            company = await companies.create_company(session, name=f"Load Market {index + 1}",
                                                     tin=str(400_000_000 + index), timezone=ZONE,
                                                     regime=TaxRegime.TURNOVER)
            for user in people:
                account = await get_or_create_user(session, TelegramIdentity(user.id, user.first_name, None, "en"))
                account.language = "en"
                account.active_company_id = company.id
                session.add(Membership(user_id=account.id, company_id=company.id, role=Role.MANAGER.value))
            company_ids.append(company.id)
        await session.commit()
    started = time.perf_counter()
    today = datetime.now(ZoneInfo(ZONE)).date()
    gate = asyncio.Semaphore(4)

    async def connect_and_sync(company_id: int, key: str) -> None:
        async with gate:
            async with factory() as session:
                outcome = await connect_company(session, company_id=company_id, integration_key=key,
                                                gateway_url=fake.gateway_url, secret_box=box)
                await session.commit()
            assert outcome.ok, outcome
            result = await sync_company(factory, company_id, date_from=today, date_to=today, trigger="benchmark",
                                        secret_box=box)
            assert result.failure is None, result

    await asyncio.gather(*(connect_and_sync(cid, key) for cid, key in zip(company_ids, keys, strict=True)))
    await engine.dispose()
    return time.perf_counter() - started


async def wave(emulator: TelegramEmulator, name: str, users: list[SandboxUser], command: str,
               wait_s: float, expected: str, *, bot_id: int | None = None) -> dict[str, Any]:
    """Everyone sends `command` at once (100 sends in flight); a reply's latency runs from that user's send to
    the bot's sendMessage to their chat, read off the emulator's call log (it runs in this process; new entries
    are found by their sequence number, so a log that wraps loses none)."""
    rss_before = current_rss_mb()
    calls = emulator.state.calls
    last_seq = emulator.state.call_seq
    sent_at: dict[int, float] = {}
    gate = asyncio.Semaphore(100)

    async def send(user: SandboxUser) -> None:
        async with gate:
            sent_at[user.id] = time.time()
            body: dict[str, Any] = {"text": command}
            if bot_id is not None:
                body["bot_id"] = bot_id
            await user.client.request("POST", f"/users/{user.id}/send", json=body)

    started = time.perf_counter()
    cpu_started = time.process_time()
    sending = asyncio.gather(*(send(user) for user in users))
    replies: dict[int, dict[str, Any]] = {}
    deadline = time.perf_counter() + wait_s
    while len(replies) < len(users) and time.perf_counter() < deadline:
        fresh = []
        for entry in reversed(calls):  # newest first, back to the last one read
            if entry["seq"] <= last_seq:
                break
            fresh.append(entry)
        if fresh:
            last_seq = fresh[0]["seq"]
        for entry in reversed(fresh):
            params = entry.get("params") or {}
            chat = params.get("chat_id")
            if (entry.get("method") == "sendMessage" and chat is not None and int(chat) in sent_at
                    and (bot_id is None or entry.get("bot_id") == bot_id)):
                replies.setdefault(int(chat), entry)
        await asyncio.sleep(0.05)
    await sending
    wall = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    latencies, errors, unexpected = [], 0, 0
    for chat, entry in replies.items():
        reply = str(entry["params"].get("text", ""))
        if any(failure in reply for failure in FAILURE_TEXTS):
            errors += 1
        elif expected not in reply:  # e.g. "no sales yet" where figures were due
            unexpected += 1
        else:
            latencies.append(entry["ts"] - sent_at[chat])
    return {
        "benchmark": "load", "wave": name, "command": command, "users": len(users),
        "ok": len(latencies), "errors": errors, "unexpected_replies": unexpected, "timeouts": len(users) - len(replies),
        "wall_s": round(wall, 2), "cpu_s": round(cpu, 2),  # CPU of this one process (emulator, bot and clients)
        "updates_per_s": round(len(replies) / wall, 1) if wall else None,
        "p50_ms": round(statistics.median(latencies) * 1000, 1) if latencies else None,
        "p99_ms": round(percentile(latencies, 0.99) * 1000, 1) if latencies else None,
        "max_ms": round(max(latencies) * 1000, 1) if latencies else None,
        "rss_before_mb": round(rss_before, 1), "rss_after_mb": round(current_rss_mb(), 1),
        "peak_rss_mb": round(peak_rss_mb(), 1),
    }


async def echo_floor(emulator: TelegramEmulator, users: list[SandboxUser], wait_s: float) -> dict[str, Any]:
    """The floor: a bare aiogram echo bot (no database, no middlewares) polling the same emulator, answering the
    same users in the same way (one sendMessage each), measured in the same run."""
    dispatcher = Dispatcher()

    @dispatcher.message()
    async def echo(message: Message) -> None:
        await message.answer(message.text or "")

    bot = make_bot(emulator.base_url, token=ECHO_TOKEN)
    try:
        async with polling(dispatcher, bot):
            await bot.get_me()  # registers the bot with the emulator before anyone writes to it
            return await wave(emulator, "floor: bare aiogram echo", users, "hello", wait_s, "hello",
                              bot_id=int(ECHO_TOKEN.split(":")[0]))
    finally:
        await close_bot(bot)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=1000, help="users in each wave")
    parser.add_argument("--companies", type=int, default=100, help="companies in the third wave")
    parser.add_argument("--receipts-per-day", type=int, default=300)
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds a user waits for the reply")
    parser.add_argument("--database-url", default=os.environ.get("TEST_DATABASE_URL"))
    args = parser.parse_args()
    per_company = max(1, args.users // args.companies)

    with tempfile.TemporaryDirectory(prefix="load-bench-") as tmp:
        url = args.database_url or f"sqlite+aiosqlite:///{Path(tmp) / 'load.db'}"
        await prepare_database(url)
        keys = [f"{index:04d}" * 8 for index in range(args.companies + 1)]
        today = datetime.now(ZoneInfo(ZONE)).date()
        fake = FakeRegos(seed=7, start_date=today - timedelta(days=1), days=2,
                         receipts_per_day=args.receipts_per_day, keys=keys)  # the real limit: 2/s, burst 50
        await fake.start("127.0.0.1")
        # 21:00 in the shops' zone: today's sales are all in, as when a thousand owners look at the day's figures
        evening = datetime.combine(today, datetime.min.time(), ZoneInfo(ZONE)).replace(hour=21)
        fake.set_now(evening.timestamp())
        emulator = TelegramEmulator()
        base = await emulator.start()
        try:
            async with SandboxClient(base) as sandbox:
                crowd = [await sandbox.create_user(f"Crowd {i}", language_code="en") for i in range(args.users)]
                spread = [await sandbox.create_user(f"Shop {i}", language_code="en")
                          for i in range(per_company * args.companies)]
                groups = [crowd] + [spread[i * per_company:(i + 1) * per_company] for i in range(args.companies)]
                seconds = await seed_companies(url, fake, keys, groups)
                print(json.dumps({"benchmark": "load", "setup": "companies connected and today synced",
                                  "companies": len(groups), "seconds": round(seconds, 1),
                                  "database": url.split(":", 1)[0], "regos_rate_limit": "2/s burst 50 per key",
                                  "telegram_limits": "off"}), flush=True)
                print(json.dumps(await echo_floor(emulator, crowd, args.timeout)), flush=True)
                settings = sandbox_settings(base, url, log_level="WARNING", secret_key=SECRET)
                running = await start_polling_bot(settings)
                try:
                    rss_idle = current_rss_mb()
                    print(json.dumps({"benchmark": "load", "rss_idle_mb": round(rss_idle, 1)}), flush=True)
                    for name, users, command, expected in (
                        ("baseline: /help, one company", crowd, "/help", "/today"),
                        ("/today, one company", crowd, "/today", "Net sales"),
                        (f"/today, {args.companies} companies", spread, "/today", "Net sales"),
                    ):
                        figures = await wave(emulator, name, users, command, args.timeout, expected,
                                             bot_id=int(DEMO_TOKEN.split(":")[0]))
                        print(json.dumps(figures), flush=True)
                finally:
                    await running.stop()
        finally:
            await emulator.stop()
            await fake.stop()


if __name__ == "__main__":
    import logging

    logging.basicConfig(level=logging.WARNING)
    asyncio.run(main())

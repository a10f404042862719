"""Many people asking for `/today` at the same moment (issue 10): 0 errors, p99 and memory, beside `/help`.

The production bot runs as it does in production, in its own process (`python -m bot run`, long polling the
Telegram emulator), over a freshly migrated database (SQLite by default; PostgreSQL with --database-url or
TEST_DATABASE_URL); this process holds the emulator and the simulated users. Companies are
connected to a fake REGOS with its real rate limit on (2 requests/s, burst 50 per key) and today is synced
through `services.sync`, so `/today` reads real books.

Four waves, each sent at once (the messages put straight into the emulator; each reply read off its call log):
  0. the floor: a bare aiogram echo bot (no database, no middlewares), in its own process the same way,
     answering those 1,000 users before the production bot starts, so the figures below read against what the
     emulator, the client and aiogram cost on this machine in this run;
  1. bare `/help` by the 1,000 members of one company (the production bot's baseline, same run);
  2. `/today` by those 1,000 members of one company (one report, computed once per books' version);
  3. `/today` by 1,000 users across 100 companies (10 each: 100 different reports).
A reply counts as an error when it is the generic error, the busy answer, or does not come within the timeout.
Telegram's flood limits are off in the emulator here: replies to 1,000 different chats are not a broadcast, and
the figure measured is the bot's own latency.

    python benchmarks/load.py [--users 1000] [--companies 100] [--database-url URL]

(`--echo-bot BASE_URL` is the floor's own process: the benchmark starts it.)
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
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
from sandbox.stack import DEMO_TOKEN
from sandbox.telegram.client import SandboxClient, SandboxUser
from sandbox.telegram.server import TelegramEmulator
from sandbox.telegram.testing import close_bot, make_bot
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


ROOT = Path(__file__).resolve().parents[1]


def process_memory_mb(pid: int) -> tuple[float, float]:
    """(current, peak) resident memory of a process, from /proc."""
    fields = {}
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            name, _, value = line.partition(":")
            fields[name] = value.strip()
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def process_cpu_s(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as stat:
        parts = stat.read().rsplit(")", 1)[1].split()
    return (int(parts[11]) + int(parts[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


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


class BotProcess:
    """A bot in its own process, polling the emulator: started, waited for, stopped with SIGTERM."""

    def __init__(self, emulator: TelegramEmulator, token: str, argv: list[str], env: dict[str, str]) -> None:
        self.emulator, self.token, self.bot_id = emulator, token, int(token.split(":")[0])
        self.process = subprocess.Popen(argv, cwd=ROOT, env={**os.environ, **env, "PYTHONPATH": str(ROOT)})

    @property
    def pid(self) -> int:
        return self.process.pid

    async def wait_polling(self) -> None:
        """Until the bot has asked the emulator for updates (its start-up checks are done), two minutes at most."""
        deadline = time.perf_counter() + 120
        while time.perf_counter() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the bot process exited with {self.process.returncode}")
            account = self.emulator.state.bot_for_token(self.token)
            if account is not None and account.poll_generation > 0:
                return
            await asyncio.sleep(0.2)
        raise TimeoutError("the bot process did not start polling")

    async def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            for _ in range(150):
                if self.process.poll() is not None:
                    return
                await asyncio.sleep(0.2)
            self.process.kill()


async def wave(emulator: TelegramEmulator, name: str, users: list[SandboxUser], command: str,
               wait_s: float, expected: str, bot: BotProcess) -> dict[str, Any]:
    """Everyone sends `command` at once: the messages are put straight into the emulator (where Telegram's servers
    would receive them: the sending costs this process nothing, so its CPU goes to the emulator's side of the Bot
    API). A reply's latency runs from that user's message to the bot's sendMessage to their chat, read off the
    emulator's call log (new entries are found by their sequence number, so a log that wraps loses none)."""
    calls = emulator.state.calls
    last_seq = emulator.state.call_seq
    sent_at: dict[int, float] = {}
    account = emulator.state.resolve_bot(bot.bot_id)

    async def send_all() -> None:
        for index, user in enumerate(users):
            sent_at[user.id] = time.time()
            emulator.state.user_message(account, emulator.state.get_user(user.id), {"text": command})
            if index % 50 == 49:
                await asyncio.sleep(0)  # let waiting getUpdates calls see the queue

    started = time.perf_counter()
    bot_cpu_started, cpu_started = process_cpu_s(bot.pid), time.process_time()
    sending = asyncio.ensure_future(send_all())
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
                    and entry.get("bot_id") == bot.bot_id):
                replies.setdefault(int(chat), entry)
        await asyncio.sleep(0.02)
    await sending
    wall = time.perf_counter() - started
    bot_cpu, cpu = process_cpu_s(bot.pid) - bot_cpu_started, time.process_time() - cpu_started
    latencies, errors, unexpected = [], 0, 0
    for chat, entry in replies.items():
        reply = str(entry["params"].get("text", ""))
        if any(failure in reply for failure in FAILURE_TEXTS):
            errors += 1
        elif expected not in reply:  # e.g. "no sales yet" where figures were due
            unexpected += 1
        else:
            latencies.append(entry["ts"] - sent_at[chat])
    rss, peak = process_memory_mb(bot.pid)
    return {
        "benchmark": "load", "wave": name, "command": command, "users": len(users),
        "ok": len(latencies), "errors": errors, "unexpected_replies": unexpected, "timeouts": len(users) - len(replies),
        "wall_s": round(wall, 2),
        "bot_cpu_ms_per_update": round(bot_cpu * 1000 / max(1, len(replies)), 2),  # the bot's own process
        "emulator_and_users_cpu_s": round(cpu, 2),  # this process: the emulator and the simulated users
        "updates_per_s": round(len(replies) / wall, 1) if wall else None,
        "p50_ms": round(statistics.median(latencies) * 1000, 1) if latencies else None,
        "p99_ms": round(percentile(latencies, 0.99) * 1000, 1) if latencies else None,
        "max_ms": round(max(latencies) * 1000, 1) if latencies else None,
        "bot_rss_mb": round(rss, 1), "bot_peak_rss_mb": round(peak, 1),
    }


async def run_echo_bot(base_url: str) -> None:
    """The floor's process: a bare aiogram echo bot (no database, no middlewares) polling the emulator."""
    dispatcher = Dispatcher()

    @dispatcher.message()
    async def echo(message: Message) -> None:
        await message.answer(message.text or "")

    bot = make_bot(base_url, token=ECHO_TOKEN)
    try:
        await dispatcher.start_polling(bot, polling_timeout=1, handle_signals=True, close_bot_session=False)
    finally:
        await close_bot(bot)


async def echo_floor(emulator: TelegramEmulator, users: list[SandboxUser], wait_s: float) -> dict[str, Any]:
    """The floor, measured in the same run: the echo bot answers the same users in the same way (one sendMessage
    each), from its own process as the production bot does."""
    bot = BotProcess(emulator, ECHO_TOKEN, [sys.executable, __file__, "--echo-bot", emulator.base_url], {})
    try:
        await bot.wait_polling()
        return await wave(emulator, "floor: bare aiogram echo", users, "hello", wait_s, "hello", bot)
    finally:
        await bot.stop()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--users", type=int, default=1000, help="users in each wave")
    parser.add_argument("--companies", type=int, default=100, help="companies in the third wave")
    parser.add_argument("--receipts-per-day", type=int, default=300)
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds a user waits for the reply")
    parser.add_argument("--database-url", default=os.environ.get("TEST_DATABASE_URL"))
    parser.add_argument("--echo-bot", metavar="BASE_URL", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.echo_bot:
        await run_echo_bot(args.echo_bot)
        return
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
                bot = BotProcess(emulator, DEMO_TOKEN, [sys.executable, "-m", "bot", "run"], {
                    "BOT_TOKEN": DEMO_TOKEN, "TELEGRAM_API_BASE": base, "DATABASE_URL": url, "SECRET_KEY": SECRET,
                    "SCHEDULER_IN_PROCESS": "false", "LOG_LEVEL": "WARNING", "REDIS_URL": ""})
                try:
                    await bot.wait_polling()
                    rss, _ = process_memory_mb(bot.pid)
                    print(json.dumps({"benchmark": "load", "bot_rss_idle_mb": round(rss, 1)}), flush=True)
                    for name, users, command, expected in (
                        ("baseline: /help, one company", crowd, "/help", "/today"),
                        ("/today, one company", crowd, "/today", "Net sales"),
                        (f"/today, {args.companies} companies", spread, "/today", "Net sales"),
                    ):
                        figures = await wave(emulator, name, users, command, args.timeout, expected, bot)
                        print(json.dumps(figures), flush=True)
                finally:
                    await bot.stop()
        finally:
            await emulator.stop()
            await fake.stop()


if __name__ == "__main__":
    import logging

    logging.basicConfig(level=logging.WARNING)
    asyncio.run(main())

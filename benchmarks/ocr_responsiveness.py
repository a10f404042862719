"""Does the bot stay responsive while it reads invoices? (issue 14: "while four invoices are being read, other
users' updates through the emulator still answer with p99 under 300 ms").

The production bot runs as in production, in its own process (`python -m bot run`, long polling the Telegram
emulator; OCR in its bounded process pool), over a freshly migrated SQLite database (or --database-url); this
process holds the emulator and the simulated users, as in benchmarks/load.py (whose bot-process helper it uses).
One company: four warehouse keepers who send invoices, twenty managers who ask for `/help`.

  0. warm-up: one invoice is read (the OCR pool's worker processes start) and every manager asks `/help` once;
  1. baseline, same run: the managers send `/help` for --baseline-seconds, each one every --interval seconds
     (the next one after the reply, when a reply is slower), with no invoice being read;
  2. the four keepers send generated invoice photos (--level, phone-photo degradation) at once while the managers
     keep sending `/help` the same way, until all four cards (or failure messages) have come;
  3. the baseline again, so that a change in what else the machine runs shows (the baseline figures in the last
     line are over both baseline phases).
A `/help` latency runs from the user's send to the bot's sendMessage to that chat, read off the emulator's call
log (the emulator runs in this process, so both ends use one clock); a reply not there within --reply-timeout is
a timeout. Telegram's flood limits are off in the emulator: the figure is the bot's own latency. Prints one JSON
object per result; the last one holds the figures under load beside the baseline's.

    python benchmarks/ocr_responsiveness.py [--helpers 20] [--interval 0.5] [--invoices 4] [--level moderate]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.load import BotProcess, percentile, prepare_database, process_cpu_s, process_memory_mb
from db.engine import create_engine, create_session_factory
from db.models import Membership, Role, TaxRegime
from sandbox.invoices import Sample, make_sample
from sandbox.stack import DEMO_TOKEN
from sandbox.telegram.client import SandboxClient, SandboxMessage, SandboxUser
from sandbox.telegram.server import TelegramEmulator
from services import companies
from services.users import TelegramIdentity, get_or_create_user

SECRET = "ocr-responsiveness-secret-0123456789"
BOT_ID = int(DEMO_TOKEN.split(":")[0])
HELP_MARK = "/today"  # in a manager's /help
CARD_MARK = "Supplier invoice"
READING_MARK = "Reading the invoice"


def children_cpu_s(pid: int) -> float:
    """CPU seconds of a process's live children (the OCR pool's workers) and of their finished children
    (the Tesseract runs they waited for)."""
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            parts = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(parts[1]) == pid:  # ppid
            total += sum(int(value) for value in parts[11:15]) / os.sysconf("SC_CLK_TCK")
    return total


async def seed_company(url: str, keepers: list[SandboxUser], managers: list[SandboxUser]) -> None:
    engine = create_engine(url)
    async with create_session_factory(engine)() as session:
        company = await companies.create_company(session, name="Ombor Market", tin="305000014",
                                                 timezone="Asia/Tashkent", regime=TaxRegime.VAT)
        for people, role in ((keepers, Role.WAREHOUSE), (managers, Role.MANAGER)):
            for user in people:
                account = await get_or_create_user(session, TelegramIdentity(user.id, user.first_name, None, "en"))
                account.language = "en"
                account.active_company_id = company.id
                session.add(Membership(user_id=account.id, company_id=company.id, role=role.value))
        await session.commit()
    await engine.dispose()


class ReplyWatch:
    """Reads the emulator's call log as it grows and hands each waiting chat the time of the bot's next
    sendMessage to it (entries are found by sequence number, so a log that wraps loses none)."""

    def __init__(self, emulator: TelegramEmulator) -> None:
        self.emulator = emulator
        self.last_seq = emulator.state.call_seq
        self.waiting: dict[int, asyncio.Future[dict[str, Any]]] = {}
        self._task: asyncio.Task[None] | None = None

    def expect(self, chat_id: int) -> asyncio.Future[dict[str, Any]]:
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self.waiting[chat_id] = future
        return future

    def _scan(self) -> None:
        fresh = []
        for entry in reversed(self.emulator.state.calls):  # newest first, back to the last one read
            if entry["seq"] <= self.last_seq:
                break
            fresh.append(entry)
        if fresh:
            self.last_seq = fresh[0]["seq"]
        for entry in reversed(fresh):
            chat = (entry.get("params") or {}).get("chat_id")
            if entry.get("method") != "sendMessage" or entry.get("bot_id") != BOT_ID or chat is None:
                continue
            future = self.waiting.pop(int(chat), None)
            if future is not None and not future.done():
                future.set_result(entry)

    async def _run(self) -> None:
        while True:
            self._scan()
            await asyncio.sleep(0.005)

    def start(self) -> None:
        self._task = asyncio.create_task(self._run())

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)


class HelpLoad:
    """Each manager sends `/help` every `interval` seconds (starts spread over one interval) until stopped."""

    def __init__(self, watch: ReplyWatch, managers: list[SandboxUser], interval: float, reply_timeout: float) -> None:
        self.watch, self.managers, self.interval, self.reply_timeout = watch, managers, interval, reply_timeout
        self.latencies: list[float] = []
        self.timeouts = 0
        self.unexpected = 0
        self.stopping = asyncio.Event()

    async def _one(self, index: int, user: SandboxUser) -> None:
        await asyncio.sleep(self.interval * index / len(self.managers))
        while not self.stopping.is_set():
            reply = self.watch.expect(user.id)
            sent_at = time.time()
            await user.client.request("POST", f"/users/{user.id}/send", json={"text": "/help", "bot_id": BOT_ID})
            try:
                entry = await asyncio.wait_for(reply, self.reply_timeout)
            except TimeoutError:
                self.timeouts += 1
                self.watch.waiting.pop(user.id, None)
                continue
            if HELP_MARK not in str(entry["params"].get("text", "")):
                self.unexpected += 1
            else:
                self.latencies.append(entry["ts"] - sent_at)
            pause = sent_at + self.interval - time.time()
            if pause > 0:
                try:
                    await asyncio.wait_for(self.stopping.wait(), pause)
                except TimeoutError:
                    pass

    async def run_until(self, stop: asyncio.Future[Any] | float) -> float:
        """Runs until `stop` is done (or for that many seconds); returns the seconds it ran."""
        started = time.perf_counter()
        users = [asyncio.create_task(self._one(i, user)) for i, user in enumerate(self.managers)]
        if isinstance(stop, float | int):
            await asyncio.sleep(stop)
        else:
            await asyncio.wait({stop})
        self.stopping.set()
        await asyncio.gather(*users)
        return time.perf_counter() - started

    def figures(self, *others: HelpLoad) -> dict[str, Any]:
        """The figures of this phase (with `others`: over all of them together)."""
        values = [value for load in (self, *others) for value in load.latencies]

        def ms(value: float) -> float:
            return round(value * 1000, 1)

        return {
            "help_replies": len(values), "timeouts": sum(load.timeouts for load in (self, *others)),
            "unexpected_replies": sum(load.unexpected for load in (self, *others)),
            "p50_ms": ms(statistics.median(values)) if values else None,
            "p95_ms": ms(percentile(values, 0.95)) if values else None,
            "p99_ms": ms(percentile(values, 0.99)) if values else None,
            "max_ms": ms(max(values)) if values else None,
        }


async def read_invoice(user: SandboxUser, sample: Sample, wait_s: float) -> dict[str, Any]:
    """One keeper sends a photo; returns the seconds to the card (or to the failure message)."""
    started = time.perf_counter()
    await user.send_photo(sample.data)
    await user.expect(READING_MARK, timeout=wait_s)

    def finished(message: SandboxMessage) -> bool:
        return READING_MARK not in message.text

    message = await user.expect(predicate=finished, timeout=wait_s)
    seconds = time.perf_counter() - started
    truth = sample.truth["fields"]
    card = CARD_MARK in message.text
    return {"sample": sample.name, "seconds": round(seconds, 2), "card": card,
            "number_shown": bool(truth["invoice_number"]) and str(truth["invoice_number"]) in message.text,
            "answer": None if card else message.text[:100]}


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--helpers", type=int, default=20, help="users sending /help meanwhile")
    parser.add_argument("--interval", type=float, default=0.5, help="seconds between one user's /help")
    parser.add_argument("--invoices", type=int, default=4, help="invoices sent at once")
    parser.add_argument("--level", default="moderate", help="degradation of the invoice photos")
    parser.add_argument("--baseline-seconds", type=float, default=15.0, help="each baseline phase")
    parser.add_argument("--reply-timeout", type=float, default=10.0, help="seconds a /help reply may take")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds an invoice card may take")
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()

    samples = [make_sample(2000 + i, args.level) for i in range(args.invoices)]
    warm_sample = make_sample(1999, "none")
    with tempfile.TemporaryDirectory(prefix="ocr-resp-bench-") as tmp:
        url = args.database_url or f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}"
        await prepare_database(url)
        emulator = TelegramEmulator()
        base = await emulator.start()
        try:
            async with SandboxClient(base, timeout=60.0) as sandbox:
                keepers = [await sandbox.create_user(f"Keeper {i}", language_code="en")
                           for i in range(args.invoices + 1)]
                managers = [await sandbox.create_user(f"Manager {i}", language_code="en")
                            for i in range(args.helpers)]
                await seed_company(url, keepers, managers)
                bot = BotProcess(emulator, DEMO_TOKEN, [sys.executable, "-m", "bot", "run"], {
                    "BOT_TOKEN": DEMO_TOKEN, "TELEGRAM_API_BASE": base, "DATABASE_URL": url, "SECRET_KEY": SECRET,
                    "SCHEDULER_IN_PROCESS": "false", "LOG_LEVEL": "WARNING", "REDIS_URL": ""})
                watch = ReplyWatch(emulator)
                try:
                    await bot.wait_polling()
                    watch.start()
                    warm = await read_invoice(keepers[-1], warm_sample, args.timeout)
                    warm_help = HelpLoad(watch, managers, args.interval, args.reply_timeout)
                    await warm_help.run_until(args.interval)
                    print(json.dumps({
                        "benchmark": "ocr_responsiveness", "setup": "bot process polling, OCR pool warmed",
                        "warm_invoice_s": warm["seconds"], "cpus": os.cpu_count(),
                        "load_average_1m": round(os.getloadavg()[0], 2), "database": url.split(":", 1)[0],
                        "telegram_limits": "off"}), flush=True)

                    async def baseline(name: str) -> tuple[HelpLoad, dict[str, Any]]:
                        load = HelpLoad(watch, managers, args.interval, args.reply_timeout)
                        cpu_started = process_cpu_s(bot.pid)
                        seconds = await load.run_until(args.baseline_seconds)
                        figures = {"benchmark": "ocr_responsiveness", "phase": name, "users": args.helpers,
                                   "seconds": round(seconds, 1), **load.figures(),
                                   "bot_cpu_s": round(process_cpu_s(bot.pid) - cpu_started, 2),
                                   "load_average_1m": round(os.getloadavg()[0], 2)}
                        print(json.dumps(figures), flush=True)
                        return load, figures

                    before, _ = await baseline("baseline: /help, no invoice being read (before)")

                    loaded = HelpLoad(watch, managers, args.interval, args.reply_timeout)
                    cpu_started, ocr_started = process_cpu_s(bot.pid), children_cpu_s(bot.pid)
                    started = time.perf_counter()
                    reading = asyncio.gather(*(read_invoice(user, sample, args.timeout)
                                               for user, sample in zip(keepers, samples, strict=False)))
                    help_seconds = await loaded.run_until(reading)
                    invoices = await reading
                    invoice_seconds = time.perf_counter() - started
                    bot_cpu = process_cpu_s(bot.pid) - cpu_started
                    ocr_cpu = children_cpu_s(bot.pid) - ocr_started
                    load_average = os.getloadavg()[0]
                    rss, peak = process_memory_mb(bot.pid)

                    after, _ = await baseline("baseline: /help, no invoice being read (after)")
                    figures, base_figures = loaded.figures(), before.figures(after)
                    print(json.dumps({
                        "benchmark": "ocr_responsiveness",
                        "phase": f"/help while {len(invoices)} invoices are read", "users": args.helpers,
                        "seconds": round(help_seconds, 1), **figures,
                        "invoices": len(invoices), "invoices_level": args.level,
                        "invoices_s": round(invoice_seconds, 2),
                        "invoice_s_each": [invoice["seconds"] for invoice in invoices],
                        "cards": sum(invoice["card"] for invoice in invoices),
                        "numbers_shown": sum(invoice["number_shown"] for invoice in invoices),
                        "other_answers": [invoice["answer"] for invoice in invoices if invoice["answer"]],
                        "bot_cpu_s": round(bot_cpu, 2),  # the bot's main process (not its OCR workers)
                        "ocr_workers_cpu_s": round(ocr_cpu, 2),
                        "bot_rss_mb": round(rss, 1), "bot_peak_rss_mb": round(peak, 1),
                        "load_average_1m": round(load_average, 2),
                        "baseline_help_replies": base_figures["help_replies"],
                        "baseline_p50_ms": base_figures["p50_ms"], "baseline_p95_ms": base_figures["p95_ms"],
                        "baseline_p99_ms": base_figures["p99_ms"],
                        "target_p99_ms": 300,
                        "p99_under_target": figures["p99_ms"] is not None and figures["p99_ms"] < 300
                        and figures["timeouts"] == 0,
                    }), flush=True)
                finally:
                    await watch.stop()
                    await bot.stop()
        finally:
            await emulator.stop()


if __name__ == "__main__":
    import logging

    logging.basicConfig(level=logging.WARNING)
    asyncio.run(main())

"""Daily summaries at scale, through the Telegram emulator with its rate limits on.

1. Delivery: the daily summary for N companies x 3 recipients (default 1,000 x 3) sent by one scheduler tick,
   against the floor Telegram's limits allow (messages / 30 per second), and beside a bare aiogram loop that sends
   the same number of messages paced at 30/s (the baseline, measured in the same run, same emulator).
2. Computation: one company's daily summary over a year of receipts (365 days), beside one raw SQL aggregate over
   the same day (the baseline).

    python benchmarks/summaries.py [--companies 1000] [--receipts-per-day 300]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy import func, insert, select, text

from bot.background import BackgroundTasks
from bot.jobs.summaries import DailySummaryTask
from bot.outbox import OutboxSender
from bot.scheduler import JobContext, Scheduler
from db.engine import create_engine, create_session_factory
from db.migrate import upgrade
from db.models import Branch, Company, CompanyTaxRegime, Membership, Role, SummaryDelivery, User
from db.regos_data import Item, Receipt, ReceiptLine, ReceiptPayment
from sandbox.stack import sandbox_settings
from sandbox.telegram.client import SandboxClient
from sandbox.telegram.server import TelegramEmulator
from sandbox.telegram.testing import close_bot, make_bot
from services.summaries import build_daily_summary

TOKEN = "700000009:BENCH"
DAY = date(2026, 11, 20)
ROLES = (Role.OWNER, Role.MANAGER, Role.MANAGER)


async def _make_users(sandbox: SandboxClient, count: int) -> list[int]:
    ids: list[int] = []
    semaphore = asyncio.Semaphore(32)

    async def one(index: int) -> None:
        async with semaphore:
            user = await sandbox.create_user(f"U{index}", language_code="en")
            await user.send("/start")  # a bot may only write to people who wrote first
            ids.append(user.id)

    await asyncio.gather(*(one(i) for i in range(count)))
    return sorted(ids)


async def delivery(args: argparse.Namespace, workdir: Path) -> list[dict[str, object]]:
    results: list[dict[str, object]] = []
    async with TelegramEmulator() as emulator, SandboxClient(emulator.base_url) as sandbox:
        bot = make_bot(emulator.base_url, token=TOKEN)
        await bot.get_me()
        telegram_ids = await _make_users(sandbox, args.companies * 3)
        await sandbox.set_limits(per_chat_per_sec=1, global_per_sec=30, retry_after=1)
        messages = len(telegram_ids)
        floor = messages / 30

        # Baseline: a bare loop, no database, no rendering, paced at Telegram's 30/s.
        started = time.perf_counter()
        for index, chat_id in enumerate(telegram_ids):
            await bot.send_message(chat_id, "baseline")
            await asyncio.sleep(max(0.0, started + (index + 1) / 30 - time.perf_counter()))
        baseline = time.perf_counter() - started
        await asyncio.sleep(1.5)  # let the emulator's buckets refill

        url = f"sqlite+aiosqlite:///{workdir / 'summaries.db'}"
        engine = create_engine(url)
        await upgrade(engine)
        async with engine.begin() as connection:
            now = datetime.now(UTC)
            await connection.execute(insert(Company), [
                {"id": c + 1, "name": f"Shop {c + 1}", "tin": f"{300000000 + c}", "timezone": "Asia/Tashkent",
                 "settings": {}, "created_at": now} for c in range(args.companies)])
            await connection.execute(insert(CompanyTaxRegime), [
                {"company_id": c + 1, "regime": "turnover", "effective_from": DAY} for c in range(args.companies)])
            await connection.execute(insert(User), [
                {"id": i + 1, "telegram_id": tid, "first_name": f"U{i}", "language": "en", "bot_blocked": False,
                 "created_at": now} for i, tid in enumerate(telegram_ids)])
            await connection.execute(insert(Membership), [
                {"user_id": i + 1, "company_id": i // 3 + 1, "role": ROLES[i % 3].value, "settings": {},
                 "created_at": now} for i in range(len(telegram_ids))])
        settings = sandbox_settings(emulator.base_url, url)
        factory = create_session_factory(engine)
        sender = OutboxSender(factory, bot, owner="bench")
        context = JobContext(factory, settings, None, BackgroundTasks().spawn, sender)
        scheduler = Scheduler(context, [DailySummaryTask()], owner="bench")
        started = time.perf_counter()
        outcome = await scheduler.tick(datetime(2026, 11, 20, 16, 0, tzinfo=UTC))  # 21:00 in Tashkent
        queued = time.perf_counter() - started
        await sender.send_due()  # the summaries are queued in the outbox; its sender delivers them
        elapsed = time.perf_counter() - started
        async with context.session_factory() as session:
            sent = int(await session.scalar(select(func.count()).select_from(SummaryDelivery)
                                            .where(SummaryDelivery.status == "sent")) or 0)
        # The emulator keeps a bounded call log; 429s are rare enough to be all in it.
        refused = sum(1 for call in await sandbox.calls("sendMessage") if call.get("error_code") == 429)
        results.append({
            "benchmark": "summaries_delivery", "companies": args.companies, "recipients": messages,
            "messages_sent": sent, "responses_429": refused, "tasks_ran": sum(r.status == "ran" for r in outcome),
            "seconds": round(elapsed, 2), "queue_seconds": round(queued, 2), "floor_seconds": round(floor, 2),
            "ratio_to_floor": round(elapsed / floor, 3), "messages_per_second": round(sent / elapsed, 2),
            "baseline_bare_loop_seconds": round(baseline, 2),
        })
        await close_bot(bot)
        await engine.dispose()
    return results


async def computation(args: argparse.Namespace, workdir: Path) -> dict[str, object]:
    url = f"sqlite+aiosqlite:///{workdir / 'year.db'}"
    engine = create_engine(url)
    await upgrade(engine)
    factory = create_session_factory(engine)
    async with factory() as session:
        company = Company(name="Year Shop", tin="305000000", timezone="Asia/Tashkent", settings={})
        session.add(company)
        await session.flush()
        branches = [Branch(company_id=company.id, name=f"B{i}", regos_stock_id=i + 1) for i in range(3)]
        session.add_all(branches)
        session.add_all(Item(company_id=company.id, regos_id=i + 1, name=f"Item {i + 1}") for i in range(300))
        await session.commit()
        company_id, branch_ids = company.id, [b.id for b in branches]
    receipts = 0
    async with engine.begin() as connection:
        next_id = 1
        for offset in range(365):
            day = DAY - timedelta(days=offset)
            rows, lines, payments = [], [], []
            for n in range(args.receipts_per_day):
                amount = Decimal(10_000 + (n * 7919 + offset * 104_729) % 490_000)
                rows.append({"id": next_id, "company_id": company_id, "uuid": str(uuid.uuid4()),
                             "occurred_at": datetime(day.year, day.month, day.day, 6, tzinfo=UTC),
                             "business_day": day, "branch_id": branch_ids[n % 3], "regos_stock_id": n % 3 + 1,
                             "status": "Closed", "is_return": n % 40 == 0, "amount": amount,
                             "seller_regos_id": n % 10 + 1, "last_update": 0, "synced_at": datetime.now(UTC)})
                lines.append({"receipt_id": next_id, "uuid": str(uuid.uuid4()), "item_regos_id": n % 300 + 1,
                              "quantity": Decimal(1), "price": amount, "amount": amount, "is_storno": False})
                payments.append({"receipt_id": next_id, "uuid": str(uuid.uuid4()), "payment_type_regos_id": n % 3,
                                 "payment_type_name": ("Cash", "Uzcard", "Click")[n % 3], "value": amount,
                                 "is_storno": False})
                next_id += 1
            await connection.execute(insert(Receipt), rows)
            await connection.execute(insert(ReceiptLine), lines)
            await connection.execute(insert(ReceiptPayment), payments)
            receipts += len(rows)
    timings = []
    async with factory() as session:
        for _ in range(5):
            started = time.perf_counter()
            summary = await build_daily_summary(session, company_id, DAY)
            timings.append(time.perf_counter() - started)
        baseline = []
        for _ in range(5):
            started = time.perf_counter()
            await session.execute(text(
                "SELECT count(*), sum(amount) FROM receipts WHERE company_id = :c AND business_day = :d "
                "AND status = 'Closed' AND NOT is_return"), {"c": company_id, "d": DAY})
            baseline.append(time.perf_counter() - started)
    await engine.dispose()
    return {
        "benchmark": "summary_computation", "receipts_in_year": receipts,
        "daily_summary_ms_median": round(sorted(timings)[2] * 1000, 1),
        "baseline_single_aggregate_ms_median": round(sorted(baseline)[2] * 1000, 2),
        "net_sales_of_day": str(summary.report.totals.net_sales),
    }


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--companies", type=int, default=1000)
    parser.add_argument("--receipts-per-day", type=int, default=300)
    parser.add_argument("--skip-delivery", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        print(json.dumps(await computation(args, Path(tmp))), flush=True)
        if not args.skip_delivery:
            for result in await delivery(args, Path(tmp)):
                print(json.dumps(result), flush=True)


if __name__ == "__main__":
    import logging

    logging.basicConfig(level=logging.WARNING)
    asyncio.run(main())

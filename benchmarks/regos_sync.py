"""REGOS import speed: receipts from the fake gateway into SQLite through the real sync, and, measured in the same
run, raw ``sqlite3`` ``executemany`` of the same receipt rows into the same table shape as the baseline.

The fake runs in its own process (as REGOS would be elsewhere) with its rate limit off; the sync uses the real
code path: paging, parsing, shift → branch resolution, upserts per page, aggregates, reconciliation with
``RetailReport`` and the gzip archive. Prints one JSON object per result.

    python benchmarks/regos_sync.py [--receipts 1000000] [--per-day 20000] [--page-size 5000] [--details]
                                    [--no-archive] [--limited-days 90] [--limited-per-day 1500] [--faults mild]
                                    [--no-unlimited]

First, issue 9's figures at the real limit (``limited_run``); then the no-limit throughput line.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import resource
import socket
import sqlite3
import sys
import tempfile
import time
from collections.abc import AsyncIterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from db.engine import create_engine, create_session_factory  # noqa: E402
from db.migrate import upgrade  # noqa: E402
from sandbox.regos import GeneratorConfig, RegosDataGenerator  # noqa: E402
from sandbox.regos.server import default_key_for  # noqa: E402
from services import companies  # noqa: E402
from services.crypto import SecretBox  # noqa: E402
from services.regos import RateLimit, RegosClient  # noqa: E402
from services.sync import SyncOptions, connect_company, sync_company  # noqa: E402
from services.sync.connection import budget_backend, shared_bucket  # noqa: E402

START = date(2025, 1, 6)
SEED = 1


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.asynccontextmanager
async def fake_gateway(days: int, per_day: int) -> AsyncIterator[str]:
    """``python -m sandbox.regos`` in a child process; yields its gateway URL."""
    port = _free_port()
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "sandbox.regos", "--port", str(port), "--seed", str(SEED),
        "--start-date", START.isoformat(), "--days", str(days), "--receipts-per-day", str(per_day),
        "--no-rate-limit",
        cwd=ROOT, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.DEVNULL,
    )
    try:
        assert process.stdout is not None
        line = await asyncio.wait_for(process.stdout.readline(), timeout=60)
        if b"Fake REGOS gateway" not in line:
            raise RuntimeError(f"fake REGOS did not start: {line!r}")
        yield f"http://127.0.0.1:{port}/gateway/out"
    finally:
        process.terminate()
        with contextlib.suppress(ProcessLookupError, TimeoutError):
            await asyncio.wait_for(process.wait(), timeout=10)


def plan_days(receipts: int, per_day: int) -> tuple[int, int]:
    """Enough generated days (weekday rhythm included) to hold at least ``receipts``; cheap: nothing is
    generated, the fake's receipt count per day is computed from its seed."""
    per_day = max(1, min(per_day, receipts))
    generator = RegosDataGenerator(GeneratorConfig(seed=SEED, start_date=START, days=3650, receipts_per_day=per_day))
    total = days = 0
    while total < receipts and days < 3650:
        total += generator.receipt_count(START + timedelta(days=days))
        days += 1
    return max(1, days), per_day


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def executemany_baseline(source_db: Path, work_dir: Path, chunk: int = 50_000) -> dict[str, Any]:
    """The same receipt rows into a fresh table of the same shape (same indexes, same pragmas), plain sqlite3."""
    source = sqlite3.connect(source_db)
    ddl = [
        sql for (sql,) in source.execute(
            "SELECT sql FROM sqlite_master WHERE tbl_name = 'receipts' AND sql IS NOT NULL ORDER BY type DESC"
        )
    ]
    columns = [row[1] for row in source.execute("PRAGMA table_info(receipts)") if row[1] != "id"]
    target_path = work_dir / "baseline.db"
    target = sqlite3.connect(target_path)
    target.execute("PRAGMA journal_mode=WAL")
    target.execute("PRAGMA synchronous=NORMAL")
    for statement in ddl:
        target.execute(statement)
    insert = f"INSERT INTO receipts ({', '.join(columns)}) VALUES ({', '.join('?' for _ in columns)})"
    cursor = source.execute(f"SELECT {', '.join(columns)} FROM receipts ORDER BY id")
    rows = 0
    seconds = 0.0
    while batch := cursor.fetchmany(chunk):
        started = time.perf_counter()
        target.executemany(insert, batch)
        seconds += time.perf_counter() - started
        rows += len(batch)
    started = time.perf_counter()
    target.commit()
    seconds += time.perf_counter() - started
    source.close()
    target.close()
    return {
        "name": "sqlite3_executemany_baseline",
        "rows": rows,
        "seconds": round(seconds, 3),
        "rows_per_s": round(rows / seconds) if seconds else None,
    }


async def run(args: argparse.Namespace) -> list[dict[str, Any]]:
    days, per_day = plan_days(args.receipts, args.per_day)
    work_dir = Path(tempfile.mkdtemp(prefix="regos-bench-"))
    db_path = work_dir / "bench.db"
    engine = create_engine(f"sqlite+aiosqlite:///{db_path}")
    await upgrade(engine)
    factory = create_session_factory(engine)
    box = SecretBox("benchmark-secret-key-0123456789")
    key = default_key_for(SEED)
    results: list[dict[str, Any]] = []
    async with fake_gateway(days, per_day) as gateway:
        async with factory() as session:
            company = await companies.create_company(session, name="Benchmark Market", tin="305123456")
            outcome = await connect_company(
                session, company_id=company.id, integration_key=key, gateway_url=gateway, secret_box=box,
                client_factory=lambda k, url: RegosClient(k, base_url=url, rate_limit=RateLimit.disabled()),
            )
            await session.commit()
            company_id = company.id
        assert outcome.ok, outcome
        client = RegosClient(key, base_url=gateway, rate_limit=RateLimit.disabled(), page_size=args.page_size)
        rss_before = peak_rss_mb()
        started = time.perf_counter()
        result = await sync_company(
            factory, company_id, date_from=START, date_to=START + timedelta(days=days - 1), trigger="benchmark",
            client=client, archive_dir=work_dir / "archive",
            options=SyncOptions(
                page_size=args.page_size, fetch_details=args.details, archive=not args.no_archive,
                refresh_stock_levels=False, max_days=max(366, days),
            ),
        )
        seconds = time.perf_counter() - started
        calls = client.calls_made
        await client.aclose()
    await engine.dispose()
    stored = sqlite3.connect(db_path).execute("SELECT count(*) FROM receipts").fetchone()[0]
    results.append(
        {
            "name": "regos_sync_import",
            "receipts": result.receipts_listed,
            "stored": stored,
            "days": days,
            "receipts_per_day": per_day,
            "seconds": round(seconds, 3),
            "receipts_per_s": round(result.receipts_listed / seconds) if seconds else None,
            "peak_rss_mb": round(peak_rss_mb(), 1),
            "rss_before_mb": round(rss_before, 1),
            "pages": result.pages,
            "http_calls": calls,
            "details": args.details,
            "archive": not args.no_archive,
            "status": result.status,
            "reconciled_days": sum(
                1 for d in result.days if d.reconciliation is not None and d.reconciliation.matches
            ),
        }
    )
    results.append(executemany_baseline(db_path, work_dir))
    import_rate = results[0]["receipts_per_s"] or 0
    base_rate = results[1]["rows_per_s"] or 0
    results.append(
        {"name": "import_vs_baseline", "baseline_rows_per_s": base_rate, "import_receipts_per_s": import_rate,
         "baseline_is_x_faster": round(base_rate / import_rate, 1) if import_rate else None}
    )
    if not args.keep:
        for path in sorted(work_dir.rglob("*"), reverse=True):
            path.unlink() if path.is_file() else path.rmdir()
        work_dir.rmdir()
    return results


async def limited_run(args: argparse.Namespace) -> list[dict[str, Any]]:
    """Issue 9: at REGOS's real limit (fake: 2/s, burst 50, ``--faults`` level) with receipt details off, a shop of
    3 branches at ``--limited-per-day`` receipts: connect, today (the window's last day) first, then the rest
    newest first; calls per business day, wall time, seconds until today is visible, peak memory, beside the floor
    (the calls this plan made ÷ 2/s, less the burst). Real wall time (the fake's clock is live), so the window is
    ``--limited-days``; the 90-day figure is extrapolated from the measured per-day cost and says so."""
    from sandbox.regos import FakeRegos

    days = args.limited_days
    fake = FakeRegos(seed=SEED, start_date=START, days=days, receipts_per_day=args.limited_per_day, rate_limit=True)
    if args.faults != "none":
        fake.set_faults(level=args.faults)
    await fake.start()
    work_dir = Path(tempfile.mkdtemp(prefix="regos-bench-limited-"))
    engine = create_engine(f"sqlite+aiosqlite:///{work_dir / 'bench.db'}")
    await upgrade(engine)
    factory = create_session_factory(engine)
    box = SecretBox("benchmark-secret-key-0123456789")
    last = START + timedelta(days=days - 1)
    try:
        # One budget for the key (the connect check and the sync share it, as every client of a key does), kept
        # where production keeps it: the database (or Redis when REDIS_URL is set).
        backend = budget_backend(engine)
        budget = shared_bucket(fake.default_key, backend=backend)
        client = RegosClient(fake.default_key, base_url=fake.gateway_url, bucket=budget)
        started = time.perf_counter()
        async with factory() as session:
            company = await companies.create_company(session, name="Benchmark Market", tin="305123456")
            outcome = await connect_company(
                session, company_id=company.id, integration_key=fake.default_key, gateway_url=fake.gateway_url,
                secret_box=box,
                client_factory=lambda k, url: RegosClient(k, base_url=url, bucket=budget),
            )
            await session.commit()
            company_id = company.id
        assert outcome.ok, outcome
        options = SyncOptions(fetch_details=False, archive=False, max_days=max(366, days))
        today = await sync_company(factory, company_id, date_from=last, date_to=last, trigger="benchmark",
                                   client=client, options=options)
        today_visible = time.perf_counter() - started
        calls_today = client.calls_made
        receipts = today.receipts_listed
        ok = today.ok
        days_ok = sum(1 for d in today.days if d.status == "ok")
        if days > 1:
            rest = await sync_company(
                factory, company_id, date_from=START, date_to=last - timedelta(days=1), trigger="benchmark",
                client=client, options=SyncOptions(fetch_details=False, archive=False, max_days=366,
                                                   refresh_reference=False, refresh_stock_levels=False),
            )
            receipts += rest.receipts_listed
            ok = ok and rest.ok
            days_ok += sum(1 for d in rest.days if d.status == "ok")
        seconds = time.perf_counter() - started
        calls = client.calls_made
        await client.aclose()
    finally:
        await engine.dispose()
        await fake.stop()
    history_calls = calls - calls_today
    per_day = history_calls / (days - 1) if days > 1 else float(calls_today)
    seconds_per_day = (seconds - today_visible) / (days - 1) if days > 1 else today_visible
    floor = max(0.0, (calls - 50) / 2.0)
    return [
        {
            "name": "regos_sync_at_real_limit",
            "measured_days": days,
            "receipts_per_day": args.limited_per_day,
            "branches": 3,
            "faults": args.faults,
            "receipts": receipts,
            "ok": ok,
            "http_calls": calls,
            "calls_per_business_day": round(per_day, 1),
            "seconds": round(seconds, 1),
            "floor_seconds": round(floor, 1),
            "seconds_until_today_visible": round(today_visible, 1),
            "refused_8213": fake.buckets.refused.get(fake.default_key, 0),
            "budget_backend": backend.name,
            "days_ok": days_ok,
            "peak_rss_mb": round(peak_rss_mb(), 1),
        },
        {
            "name": "regos_sync_90_days_extrapolated",
            "from_measured_days": days,
            "minutes": round((today_visible + 89 * seconds_per_day) / 60, 1),
            "floor_minutes": round(max(0.0, calls_today + 89 * per_day - 50) / 2.0 / 60, 1),
        },
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--receipts", type=int, default=1_000_000, help="receipts to import (about)")
    parser.add_argument("--per-day", type=int, default=20_000, help="receipts per business day")
    parser.add_argument("--page-size", type=int, default=5000, help="DocCheque/Get page size (REGOS allows 10000)")
    parser.add_argument("--details", action="store_true", help="also fetch lines and payments (2 calls a receipt)")
    parser.add_argument("--no-archive", action="store_true", help="do not write the gzip JSON archive")
    parser.add_argument("--keep", action="store_true", help="keep the temporary database and archive")
    parser.add_argument("--limited-days", type=int, default=90, help="days at the real limit (0: skip)")
    parser.add_argument("--limited-per-day", type=int, default=1500, help="receipts per day at the real limit")
    parser.add_argument("--faults", default="mild", help="fault level at the real limit: none|mild|harsh|hostile")
    parser.add_argument("--no-unlimited", action="store_true", help="skip the no-limit throughput line")
    args = parser.parse_args()
    os.environ.setdefault("PYTHONHASHSEED", "0")
    lines = asyncio.run(limited_run(args)) if args.limited_days > 0 else []
    if not args.no_unlimited:
        lines += asyncio.run(run(args))
    for line in lines:
        print(json.dumps(line), flush=True)


if __name__ == "__main__":
    main()

"""REGOS import speed: receipts from the fake gateway into SQLite through the real sync, and, measured in the same
run, raw ``sqlite3`` ``executemany`` of the same receipt rows into the same table shape as the baseline.

The fake runs in its own process (as REGOS would be elsewhere) with its rate limit off; the sync uses the real
code path: paging, parsing, shift → branch resolution, upserts per page, aggregates, reconciliation with
``RetailReport`` and the gzip archive. Prints one JSON object per result.

    python benchmarks/regos_sync.py [--receipts 1000000] [--per-day 20000] [--page-size 5000] [--details]
                                    [--no-archive]
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--receipts", type=int, default=1_000_000, help="receipts to import (about)")
    parser.add_argument("--per-day", type=int, default=20_000, help="receipts per business day")
    parser.add_argument("--page-size", type=int, default=5000, help="DocCheque/Get page size (REGOS allows 10000)")
    parser.add_argument("--details", action="store_true", help="also fetch lines and payments (2 calls a receipt)")
    parser.add_argument("--no-archive", action="store_true", help="do not write the gzip JSON archive")
    parser.add_argument("--keep", action="store_true", help="keep the temporary database and archive")
    args = parser.parse_args()
    os.environ.setdefault("PYTHONHASHSEED", "0")
    for line in asyncio.run(run(args)):
        print(json.dumps(line), flush=True)


if __name__ == "__main__":
    main()

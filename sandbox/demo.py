"""`python -m bot demo`: the emulator with its web chat, the bot polling it, and a seeded demo company."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.runner import stop_on_signals
from db.engine import create_engine, create_session_factory
from db.migrate import upgrade
from sandbox.eskiz import DEFAULT_EMAIL as ESKIZ_EMAIL
from sandbox.eskiz import DEFAULT_PASSWORD as ESKIZ_PASSWORD
from sandbox.eskiz import FakeEskiz
from sandbox.regos.server import FakeRegos
from sandbox.seed import DEMO_COMPANY, DEMO_PERSONAS, seed_demo_company
from sandbox.stack import RunningBot, sandbox_settings, start_polling_bot
from sandbox.telegram.client import SandboxClient
from sandbox.telegram.server import TelegramEmulator
from services.crypto import SecretBox
from services.sync.connection import connect_company, get_connection
from services.sync.imports import ImportResult, claim_import, import_days, import_order

log = logging.getLogger("smartsavdo.demo")
DEMO_REGOS_KEY = "d3m0" * 8
DEMO_DAYS = 42
DEMO_RECEIPTS_PER_DAY = 120
BACKFILL_DAYS = 14


async def run_demo(*, host: str = "127.0.0.1", port: int = 8080, seed: int = 1, db_path: str = "data/demo.db",
                   stop: asyncio.Event | None = None) -> None:
    database = Path(db_path)
    database.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):  # a fresh file on every start
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    database_url = f"sqlite+aiosqlite:///{database}"

    emulator = TelegramEmulator(host=host, port=port)
    base = await emulator.start()
    today = datetime.now(ZoneInfo(DEMO_COMPANY["timezone"])).date()
    # The fake reveals sales only up to its clock, so today fills up as the day goes; the period runs into
    # tomorrow so that a demo left running past midnight keeps selling.
    fake_regos = FakeRegos(seed=seed, start_date=today - timedelta(days=DEMO_DAYS - 1), days=DEMO_DAYS + 1,
                           receipts_per_day=DEMO_RECEIPTS_PER_DAY, keys=[DEMO_REGOS_KEY], rate_limit=True)
    await fake_regos.start(host)
    fake_eskiz = FakeEskiz()  # SMS (payslips, invites) go to a local Eskiz; see its /_fake/ controls
    await fake_eskiz.start(host)
    engine = create_engine(database_url)
    await upgrade(engine)
    http_port = _free_port(host)
    settings = sandbox_settings(base, database_url, scheduler_in_process=True, regos_gateway_url=fake_regos.gateway_url,
                                http_port=http_port, webhook_host=host, public_url=f"http://{host}:{http_port}",
                                regos_archive_dir=str(database.parent / "demo_regos_archive"),
                                eskiz_base_url=fake_eskiz.api_url, eskiz_email=ESKIZ_EMAIL,
                                eskiz_password=ESKIZ_PASSWORD)

    async with SandboxClient(base) as sandbox:
        personas = []
        for persona in DEMO_PERSONAS:
            user = await sandbox.create_user(persona.first_name, username=persona.username,
                                             language_code=persona.language)
            personas.append((persona, user.id))
        async with create_session_factory(engine)() as session:
            seeded = await seed_demo_company(session, personas, regime_from=tax_regime_start(today))
            await session.commit()
    running = await start_polling_bot(settings, engine=engine)
    secret_box = running.app.secret_box  # the app's own, built once
    assert secret_box is not None
    async with running.app.session_factory() as session:
        outcome = await connect_company(session, company_id=seeded.company_id, integration_key=DEMO_REGOS_KEY,
                                        gateway_url=fake_regos.gateway_url, secret_box=secret_box)
        connection = await get_connection(session, seeded.company_id)
        assert outcome.ok and connection is not None
        fake_regos.webhook_url = f"http://{host}:{http_port}/regos/webhook/{connection.webhook_secret}"
        await session.commit()
    # Like the real REGOS, the fake allows 2 requests/s (burst 50): today is imported first, so figures are
    # there at once, and the older days follow in the background.
    first_day = await _import(running, seeded.company_id, [today], secret_box)
    print(f"  demo: today imported in {first_day.duration_seconds:.1f} s ({first_day.receipts} receipts).", flush=True)
    history = import_order([today - timedelta(days=offset) for offset in range(1, BACKFILL_DAYS)], today)
    backfill = running.app.spawn(_backfill(running, seeded.company_id, history, secret_box), name="demo-backfill")
    print(f"\nSmart Savdo demo is running (seed {seed}, database {database}).")
    print(f"  Open {base}/ in a browser and pick a persona:")
    for persona, telegram_id in personas:
        print(f"    {persona.first_name:<8} {persona.role.value:<8} "
              f"(user id {telegram_id}, language {persona.language})")
    print(f"  Company id {seeded.company_id}, connected to a fake REGOS at {fake_regos.gateway_url}")
    print(f"  (key {DEMO_REGOS_KEY}, limit 2 requests/s like the real REGOS); the {BACKFILL_DAYS - 1} days before today"
          " are being imported now, newest first.")
    print("  Press Ctrl-C to stop.\n", flush=True)

    stop = stop_on_signals(stop)
    try:
        stopped = asyncio.create_task(stop.wait())
        await asyncio.wait({stopped, running.task}, return_when=asyncio.FIRST_COMPLETED)
        stopped.cancel()
    finally:
        print("stopping…", flush=True)
        backfill.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await backfill
        await running.stop()
        await engine.dispose()
        await fake_regos.stop()
        await fake_eskiz.stop()
        await emulator.stop()


def tax_regime_start(today: date) -> date:
    """The demo company's tax regime starts on the first of the month its fake REGOS history begins in, so /tax
    covers every month the demo can import."""
    return (today - timedelta(days=DEMO_DAYS - 1)).replace(day=1)


async def _import(running: RunningBot, company_id: int, days: list[date], secret_box: SecretBox) -> ImportResult:
    app = running.app
    return await import_days(app.session_factory, claim_import(company_id), days, secret_box=secret_box,
                             archive_dir=app.settings.regos_archive_dir, trigger="cli")


async def _backfill(running: RunningBot, company_id: int, days: list[date], secret_box: SecretBox) -> None:
    """Imports the recent past so that reports and summaries have a history (newest day first)."""
    result = await _import(running, company_id, days, secret_box)
    state = "complete" if result.complete else "stopped, see /sync"
    print(f"  demo backfill: {len(result.done)} of {result.days_total} days, {result.receipts} receipts in "
          f"{result.duration_seconds:.0f} s ({state}).", flush=True)


def _free_port(host: str) -> int:
    with socket.socket() as probe:
        probe.bind((host, 0))
        return int(probe.getsockname()[1])

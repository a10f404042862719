"""`python -m bot demo`: the emulator with its web chat, the bot polling it, and a seeded demo company."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from pathlib import Path

from db.engine import create_engine, create_session_factory
from db.migrate import upgrade
from sandbox.seed import DEMO_PERSONAS, seed_demo_company
from sandbox.stack import sandbox_settings, start_polling_bot
from sandbox.telegram.client import SandboxClient
from sandbox.telegram.server import TelegramEmulator

log = logging.getLogger("smartsavdo.demo")


async def run_demo(*, host: str = "127.0.0.1", port: int = 8080, seed: int = 1, db_path: str = "data/demo.db",
                   stop: asyncio.Event | None = None) -> None:
    database = Path(db_path)
    database.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):  # a fresh file on every start
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    database_url = f"sqlite+aiosqlite:///{database}"

    emulator = TelegramEmulator(host=host, port=port)
    base = await emulator.start()
    engine = create_engine(database_url)
    await upgrade(engine)
    settings = sandbox_settings(base, database_url, scheduler_in_process=True)

    async with SandboxClient(base) as sandbox:
        personas = []
        for persona in DEMO_PERSONAS:
            user = await sandbox.create_user(persona.first_name, username=persona.username,
                                             language_code=persona.language)
            personas.append((persona, user.id))
        async with create_session_factory(engine)() as session:
            seeded = await seed_demo_company(session, personas)
            await session.commit()

    running = await start_polling_bot(settings, engine=engine)
    print(f"\nSmart Savdo demo is running (seed {seed}, database {database}).")
    print(f"  Open {base}/ in a browser and pick a persona:")
    for persona, telegram_id in personas:
        print(f"    {persona.first_name:<8} {persona.role.value:<8} "
              f"(user id {telegram_id}, language {persona.language})")
    print(f"  Company id {seeded.company_id}. Press Ctrl-C to stop.\n", flush=True)

    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
    try:
        stopped = asyncio.create_task(stop.wait())
        await asyncio.wait({stopped, running.task}, return_when=asyncio.FIRST_COMPLETED)
        stopped.cancel()
    finally:
        print("stopping…", flush=True)
        await running.stop()
        await engine.dispose()
        await emulator.stop()

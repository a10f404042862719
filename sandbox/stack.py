"""Run the real bot against the emulator: used by `python -m bot demo`, the end-to-end tests and benchmarks."""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.factory import App, build_app
from bot.runner import run_polling
from core.config import Settings, load_settings

DEMO_TOKEN = "700000001:SANDBOX-demo-token"


def sandbox_settings(telegram_base: str, database_url: str, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "bot_token": DEMO_TOKEN, "telegram_api_base": telegram_base, "database_url": database_url,
        "secret_key": "sandbox-secret-key-0123456789", "redis_url": None,
        "scheduler_in_process": False,  # tests drive Scheduler.tick() with their own clock
    }
    values.update(overrides)
    return load_settings(**values)


@dataclass
class RunningBot:
    app: App
    task: asyncio.Task[None]

    async def idle(self) -> None:
        """Waits until no update is being handled: a handler's transaction commits after its last reply is sent,
        so a test reading the database right after a reply waits for this first."""
        async with asyncio.timeout(10):
            while busy := {task for task in getattr(self.app.dispatcher, "_handle_update_tasks", set())
                           if not task.done()}:
                await asyncio.wait(busy)

    async def stop(self) -> None:
        if not self.task.done():
            with contextlib.suppress(RuntimeError):
                await self.app.dispatcher.stop_polling()
        with contextlib.suppress(asyncio.CancelledError):
            await asyncio.wait_for(self.task, timeout=30)


async def start_polling_bot(settings: Settings, *, engine: AsyncEngine | None = None) -> RunningBot:
    """Starts the production app in polling mode and returns once the dispatcher has started."""
    app = build_app(settings, engine=engine)
    started = asyncio.Event()

    async def mark_started() -> None:
        started.set()

    app.dispatcher.startup.register(mark_started)
    task = asyncio.create_task(run_polling(app, handle_signals=False))
    waiter = asyncio.create_task(started.wait())
    done, _ = await asyncio.wait({task, waiter}, return_when=asyncio.FIRST_COMPLETED, timeout=30)
    if task in done:
        waiter.cancel()
        task.result()  # re-raises the start-up failure
    if waiter not in done:
        waiter.cancel()
        task.cancel()
        raise TimeoutError("the bot did not start within 30 s")
    return RunningBot(app=app, task=task)

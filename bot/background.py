"""The app's one place for long work that outlives an update: `spawn()` starts it, `drain()` awaits it on
shutdown. Services receive `spawn` as a callable (services.background.Spawn) and never own tasks."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import Any

log = logging.getLogger(__name__)


class BackgroundTasks:
    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[Any]] = set()

    def __len__(self) -> int:
        return len(self._tasks)

    def spawn(self, work: Coroutine[Any, Any, Any], /, *, name: str | None = None) -> asyncio.Task[Any]:
        """Runs `work` in the background; a failure is logged (nobody else would hear of it)."""
        task = asyncio.get_running_loop().create_task(self._guarded(work, name or "background"), name=name)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    @staticmethod
    async def _guarded(work: Coroutine[Any, Any, Any], name: str) -> Any:
        try:
            return await work
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("background task %s failed", name)
            return None

    async def drain(self, grace: float | None = None) -> None:
        """Waits for every task, including those spawned meanwhile; after `grace` seconds the rest are cancelled."""
        loop = asyncio.get_running_loop()
        deadline = None if grace is None else loop.time() + grace
        current = asyncio.current_task()
        while pending := {task for task in self._tasks if task is not current}:
            remaining = None if deadline is None else max(0.0, deadline - loop.time())
            _, late = await asyncio.wait(pending, timeout=remaining)
            if late and deadline is not None and loop.time() >= deadline:
                log.warning("cancelling %d background tasks still running at shutdown", len(late))
                for task in late:
                    task.cancel()
                await asyncio.gather(*late, return_exceptions=True)
                return

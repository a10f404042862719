"""`python -m bot demo` (issue 9): the demo's fake REGOS enforces the real limit (2 requests/s, burst 50), yet the
owner sees today's figures at once, because today is imported first and the history follows in the background."""

from __future__ import annotations

import asyncio
import contextlib
import time
from pathlib import Path

from sandbox.demo import run_demo
from sandbox.telegram.client import SandboxClient
from tests.helpers import free_port


async def test_demo_shows_figures_at_once_with_the_limit_on(tmp_path: Path) -> None:
    port = free_port()
    stop = asyncio.Event()
    started = time.monotonic()
    demo = asyncio.create_task(run_demo(port=port, seed=2, db_path=str(tmp_path / "demo.db"), stop=stop))
    try:
        base = f"http://127.0.0.1:{port}"
        async with SandboxClient(base) as sandbox:
            owner = None
            while owner is None:  # the personas exist once the emulator is up and the company is seeded
                assert not demo.done(), demo
                assert time.monotonic() - started < 60
                with contextlib.suppress(Exception):
                    users = await sandbox.users()
                    found = next((u for u in users if u.get("first_name") == "Dilnoza"), None)
                    if found is not None:
                        owner = await sandbox.get_user(int(found["id"]))
                        break
                await asyncio.sleep(0.5)
            # The bot answers once the demo is ready; today's figures are there from the first /today.
            while True:
                assert time.monotonic() - started < 90
                with contextlib.suppress(Exception):
                    await owner.send("/today")
                    report = await owner.expect(timeout=15, edits=False)
                    if "soʻm" in report.text:
                        break
                await asyncio.sleep(1)
            assert "hali sinxronlanmagan" not in report.text
            ready_after = time.monotonic() - started
            print(f"demo: /today with figures {ready_after:.1f} s after start")
            assert ready_after < 60
    finally:
        stop.set()
        await asyncio.wait_for(demo, 60)

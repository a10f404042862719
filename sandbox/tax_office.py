"""A stand-in for a tax-report submission endpoint (services/tax/submission.py): `POST /reports` with a Bearer
key accepts a report and answers its id; `fail_next` makes the next calls answer 503 (a transient fault)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web


@dataclass
class FakeTaxOffice:
    key: str = "test-key"
    received: list[dict[str, Any]] = field(default_factory=list)
    fail_next: int = 0
    base_url: str = ""
    _runner: web.AppRunner | None = None
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    async def _reports(self, request: web.Request) -> web.Response:
        if request.headers.get("Authorization") != f"Bearer {self.key}":
            return web.json_response({"status": "rejected", "error": "unauthorized"}, status=401)
        if self.fail_next > 0:
            self.fail_next -= 1
            return web.json_response({"status": "unavailable"}, status=503)
        body = await request.json()
        if not body.get("tin") or not body.get("period") or not body.get("pdf"):
            return web.json_response({"status": "rejected", "error": "tin, period and pdf are required"}, status=422)
        self.received.append(body)
        return web.json_response({"status": "accepted", "id": f"SUB-{next(self._ids)}"})

    async def start(self, host: str = "127.0.0.1") -> str:
        app = web.Application()
        app.router.add_post("/reports", self._reports)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, 0)
        await site.start()
        sockets = getattr(getattr(site, "_server", None), "sockets", None) or []
        self.base_url = f"http://{host}:{sockets[0].getsockname()[1]}"
        return self.base_url

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None


__all__ = ["FakeTaxOffice"]

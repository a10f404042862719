"""A scripted OpenAI-compatible chat-completions endpoint for tests: each request pops the next scripted reply
(tool calls or text); a reply may also be "hang" (never answers in time) or "garbage" (malformed JSON)."""

from __future__ import annotations

import asyncio
import json
from collections import deque
from typing import Any

from aiohttp import web


class FakeModel:
    def __init__(self) -> None:
        self.script: deque[Any] = deque()
        self.requests: list[dict[str, Any]] = []
        self._runner: web.AppRunner | None = None
        self.base_url = ""
        self._stopping = asyncio.Event()

    def reply_tools(self, *calls: tuple[str, dict[str, Any] | str]) -> None:
        self.script.append({"tool_calls": [
            {"id": f"call_{len(self.script)}_{i}", "type": "function",
             "function": {"name": name, "arguments": args if isinstance(args, str) else json.dumps(args)}}
            for i, (name, args) in enumerate(calls)]})

    def reply_text(self, text: str) -> None:
        self.script.append({"content": text})

    def misbehave(self, how: str) -> None:
        self.script.append(how)  # "hang" | "garbage"

    async def _chat(self, request: web.Request) -> web.StreamResponse:
        body = await request.json()
        self.requests.append(body)
        step = self.script.popleft() if self.script else {"content": ""}
        if step == "hang":
            await self._stopping.wait()  # "hangs" until the client gives up or the fake stops
            return web.Response(status=503)
        if step == "garbage":
            return web.Response(text="{not json", content_type="application/json")
        message = {"role": "assistant", "content": step.get("content"), "tool_calls": step.get("tool_calls")}
        return web.json_response({
            "id": "chatcmpl-fake", "object": "chat.completion", "created": 0, "model": body.get("model", "fake"),
            "choices": [{"index": 0, "message": message,
                         "finish_reason": "tool_calls" if step.get("tool_calls") else "stop"}],
            "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0}})

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        app = web.Application()
        app.router.add_post("/v1/chat/completions", self._chat)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        server = site._server
        assert server is not None
        sockets = getattr(server, "sockets", None) or []
        self.base_url = f"http://{host}:{sockets[0].getsockname()[1]}/v1"
        return self.base_url

    async def stop(self) -> None:
        self._stopping.set()
        if self._runner is not None:
            await self._runner.cleanup()

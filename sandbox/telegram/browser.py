"""Drive headless Chromium through the DevTools protocol (CDP over a websocket), without Node or Selenium.

    async with Chromium() as browser:
        chat = await WebChat.open(browser, base_url, user_id=100001)
        await chat.send_text("/start")
        reply = await chat.wait_for_bot_text("Xush kelibsiz")

`find_chromium()` returns None when no browser is installed (Debian: `apt-get install chromium`); tests skip then.
"""

# Waits with a `timeout=` argument are this helper's public API (as in pytest/asyncio test helpers).
# ruff: noqa: ASYNC109

from __future__ import annotations

import asyncio
import base64
import contextlib
import itertools
import json
import os
import shutil
import signal
import tempfile
from pathlib import Path
from types import TracebackType
from typing import Any

import aiohttp

CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--disable-extensions",
    "--mute-audio",
)


class BrowserError(RuntimeError):
    """Chromium failed to start, a CDP command failed, or page JavaScript threw."""


def find_chromium() -> str | None:
    """The Chromium/Chrome executable: $CHROMIUM_PATH, else the first known name on PATH."""
    explicit = os.environ.get("CHROMIUM_PATH")
    if explicit and Path(explicit).exists():
        return explicit
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def _read_devtools_address(active_port: Path) -> tuple[str, str] | None:
    """(port, browser websocket path) from Chromium's DevToolsActivePort file, once it is complete."""
    try:
        lines = active_port.read_text().split("\n")
    except FileNotFoundError:
        return None
    if len(lines) >= 2 and lines[0].strip().isdigit() and lines[1].strip():
        return lines[0].strip(), lines[1].strip()
    return None


def _tail(log_path: Path) -> str:
    return log_path.read_text(errors="replace")[-2000:]


class Chromium:
    """A headless Chromium process with a fresh profile, controlled over one CDP websocket."""

    def __init__(
        self,
        executable: str | None = None,
        *,
        window_size: tuple[int, int] = (412, 915),  # a phone-sized viewport
        extra_args: tuple[str, ...] = (),
        startup_timeout: float = 30.0,
        command_timeout: float = 15.0,
    ) -> None:
        self.executable = executable or find_chromium()
        self.window_size = window_size
        self.extra_args = extra_args
        self.startup_timeout = startup_timeout
        self.command_timeout = command_timeout
        self._process: asyncio.subprocess.Process | None = None
        self._profile: str | None = None
        self._http: aiohttp.ClientSession | None = None
        self._ws: aiohttp.ClientWebSocketResponse | None = None
        self._reader: asyncio.Task[None] | None = None
        self._ids = itertools.count(1)
        self._pending: dict[int, asyncio.Future[dict[str, Any]]] = {}
        self._pages: dict[str, Page] = {}

    async def __aenter__(self) -> Chromium:
        await self.start()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()

    async def start(self) -> None:
        if self.executable is None:
            raise BrowserError("Chromium is not installed (apt-get install chromium), or set CHROMIUM_PATH")
        self._profile = tempfile.mkdtemp(prefix="sandbox-chromium-")
        log_path = Path(self._profile) / "chromium.log"
        width, height = self.window_size
        args = [
            *CHROMIUM_FLAGS,
            f"--user-data-dir={self._profile}",
            "--remote-debugging-port=0",  # Chromium picks a free port and writes it to DevToolsActivePort
            f"--window-size={width},{height}",
            *self.extra_args,
            "about:blank",
        ]
        with log_path.open("wb") as log_file:
            # A session of its own, so close() can end Chromium's helper processes too (by this group's id).
            self._process = await asyncio.create_subprocess_exec(
                self.executable, *args, stdout=log_file, stderr=log_file, stdin=asyncio.subprocess.DEVNULL,
                start_new_session=True,
            )
        try:
            port, path = await self._devtools_address(log_path)
            self._http = aiohttp.ClientSession()
            self._ws = await self._http.ws_connect(f"ws://127.0.0.1:{port}{path}", max_msg_size=0)
        except BaseException:
            await self.close()
            raise
        self._reader = asyncio.get_running_loop().create_task(self._read_messages())

    async def _devtools_address(self, log_path: Path) -> tuple[str, str]:
        assert self._profile is not None and self._process is not None
        active_port = Path(self._profile) / "DevToolsActivePort"
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.startup_timeout
        while loop.time() < deadline:
            if self._process.returncode is not None:
                tail = _tail(log_path)
                raise BrowserError(f"Chromium exited with {self._process.returncode}:\n{tail}")
            address = _read_devtools_address(active_port)
            if address is not None:
                return address
            await asyncio.sleep(0.05)
        raise BrowserError(f"Chromium did not open its DevTools port within {self.startup_timeout:g}s")

    async def close(self) -> None:
        for future in self._pending.values():
            if not future.done():
                future.set_exception(BrowserError("browser closed"))
        self._pending.clear()
        if self._ws is not None:
            with contextlib.suppress(Exception):
                await self.send("Browser.close", timeout=3)
            await self._ws.close()
            self._ws = None
        if self._reader is not None:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._reader
            self._reader = None
        if self._http is not None:
            await self._http.close()
            self._http = None
        if self._process is not None:
            await self._end_process(self._process)
            self._process = None
        if self._profile is not None:
            # Helper processes may still flush files into the profile for a moment after the browser exits.
            for _ in range(20):
                shutil.rmtree(self._profile, ignore_errors=True)
                if not Path(self._profile).exists():
                    break
                await asyncio.sleep(0.05)
            self._profile = None

    @staticmethod
    async def _end_process(process: asyncio.subprocess.Process) -> None:
        if process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                process.terminate()
            try:
                await asyncio.wait_for(process.wait(), 5)
            except TimeoutError:
                with contextlib.suppress(ProcessLookupError):
                    process.kill()
                await process.wait()
        # The renderer, GPU and network helpers share the browser's process group (its id is the browser's pid).
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)

    async def _read_messages(self) -> None:
        assert self._ws is not None
        async for frame in self._ws:
            if frame.type != aiohttp.WSMsgType.TEXT:
                continue
            message = json.loads(frame.data)
            if "id" in message:
                future = self._pending.pop(message["id"], None)
                if future is None or future.done():
                    continue
                if "error" in message:
                    future.set_exception(BrowserError(f"CDP error: {message['error']}"))
                else:
                    future.set_result(message.get("result", {}))
            elif "sessionId" in message and message["sessionId"] in self._pages:
                self._pages[message["sessionId"]].on_event(message["method"], message.get("params", {}))
        for future in self._pending.values():
            if not future.done():
                future.set_exception(BrowserError("the DevTools connection closed"))

    async def send(
        self, method: str, params: dict[str, Any] | None = None, *, session_id: str | None = None,
        timeout: float | None = None,
    ) -> dict[str, Any]:
        """One CDP command; with session_id it goes to that page (flattened sessions)."""
        if self._ws is None:
            raise BrowserError("the browser is not running")
        message_id = next(self._ids)
        message: dict[str, Any] = {"id": message_id, "method": method, "params": params or {}}
        if session_id is not None:
            message["sessionId"] = session_id
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._pending[message_id] = future
        await self._ws.send_str(json.dumps(message))
        try:
            return await asyncio.wait_for(future, timeout or self.command_timeout)
        finally:
            self._pending.pop(message_id, None)

    async def new_page(self, url: str | None = None) -> Page:
        target = await self.send("Target.createTarget", {"url": "about:blank"})
        attached = await self.send("Target.attachToTarget", {"targetId": target["targetId"], "flatten": True})
        page = Page(self, attached["sessionId"], target["targetId"])
        self._pages[page.session_id] = page
        await page.send("Page.enable")
        await page.send("Runtime.enable")
        width, height = self.window_size
        await page.send("Emulation.setDeviceMetricsOverride",
                        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": True})
        if url:
            await page.goto(url)
        return page


class Page:
    """One tab. Console messages and uncaught exceptions are kept in `console` for failure reports."""

    def __init__(self, browser: Chromium, session_id: str, target_id: str) -> None:
        self.browser = browser
        self.session_id = session_id
        self.target_id = target_id
        self.console: list[str] = []

    def on_event(self, method: str, params: dict[str, Any]) -> None:
        if method == "Runtime.consoleAPICalled":
            text = " ".join(str(arg.get("value", arg.get("description", ""))) for arg in params.get("args", []))
            self.console.append(f"console.{params.get('type')}: {text}")
        elif method == "Runtime.exceptionThrown":
            details = params.get("exceptionDetails", {})
            description = details.get("exception", {}).get("description") or details.get("text")
            self.console.append(f"uncaught: {description}")

    async def send(
        self, method: str, params: dict[str, Any] | None = None, *, timeout: float | None = None
    ) -> dict[str, Any]:
        return await self.browser.send(method, params, session_id=self.session_id, timeout=timeout)

    async def goto(self, url: str, *, timeout: float = 20.0) -> None:
        result = await self.send("Page.navigate", {"url": url}, timeout=timeout)
        if result.get("errorText"):
            raise BrowserError(f"navigation to {url} failed: {result['errorText']}")
        await self.wait_for("document.readyState === 'complete'", timeout=timeout)

    async def evaluate(self, expression: str, *, timeout: float | None = None) -> Any:
        """Run JavaScript in the page (promises are awaited) and return its JSON value."""
        result = await self.send(
            "Runtime.evaluate",
            {"expression": expression, "returnByValue": True, "awaitPromise": True, "userGesture": True},
            timeout=timeout,
        )
        if "exceptionDetails" in result:
            details = result["exceptionDetails"]
            description = details.get("exception", {}).get("description") or details.get("text")
            raise BrowserError(f"JavaScript error: {description}")
        return result.get("result", {}).get("value")

    async def wait_for(self, expression: str, *, timeout: float = 10.0, interval: float = 0.05) -> Any:
        """Evaluate `expression` until it is truthy; returns that value."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            value = await self.evaluate(expression)
            if value:
                return value
            if loop.time() >= deadline:
                console = "\n  ".join(self.console[-20:]) or "(empty)"
                raise TimeoutError(f"page never satisfied {expression!r} within {timeout:g}s; console:\n  {console}")
            await asyncio.sleep(interval)

    async def click(self, selector: str) -> None:
        await self.evaluate(
            f"(() => {{ const el = document.querySelector({json.dumps(selector)});"
            f" if (!el) throw new Error('no element matches ' + {json.dumps(selector)});"
            " el.scrollIntoView({block: 'center'}); el.click(); return true; })()"
        )

    async def type(self, selector: str, text: str) -> None:
        """Focus the element and type into it as a keyboard would (input events fire)."""
        await self.evaluate(
            f"(() => {{ const el = document.querySelector({json.dumps(selector)});"
            f" if (!el) throw new Error('no element matches ' + {json.dumps(selector)});"
            " el.focus(); return true; })()"
        )
        await self.send("Input.insertText", {"text": text})

    async def press_key(self, key: str = "Enter") -> None:
        codes = {"Enter": 13, "Escape": 27, "Tab": 9, "Backspace": 8}
        event = {"key": key, "code": key, "windowsVirtualKeyCode": codes.get(key, 0)}
        if key == "Enter":
            event["text"] = "\r"
        await self.send("Input.dispatchKeyEvent", {"type": "keyDown", **event})
        await self.send("Input.dispatchKeyEvent", {"type": "keyUp", **event})

    async def screenshot(self) -> bytes:
        result = await self.send("Page.captureScreenshot", {"format": "png"})
        return base64.b64decode(result["data"])


class WebChat:
    """The emulator's web chat (served at `/`) in a Chromium page, as a user would use it."""

    def __init__(self, page: Page, base_url: str) -> None:
        self.page = page
        self.base_url = base_url.rstrip("/")

    @classmethod
    async def open(cls, browser: Chromium, base_url: str, *, user_id: int | None = None,
                   bot_id: int | None = None, timeout: float = 20.0) -> WebChat:
        query = [f"user={user_id}"] if user_id is not None else []
        if bot_id is not None:
            query.append(f"bot={bot_id}")
        page = await browser.new_page()
        chat = cls(page, base_url)
        await page.goto(f"{chat.base_url}/" + ("?" + "&".join(query) if query else ""), timeout=timeout)
        await page.wait_for("window.sandboxChat && window.sandboxChat.ready", timeout=timeout)
        return chat

    async def send_text(self, text: str) -> None:
        """Type into the composer and press Enter."""
        await self.page.type("#composer-input", text)
        await self.page.press_key("Enter")

    async def wait_for_bot_text(self, contains: str, *, timeout: float = 10.0) -> str:
        """Wait until a bot message containing `contains` is rendered; returns its visible text."""
        return await self.page.wait_for(
            "(() => { const found = [...document.querySelectorAll('.msg.bot .bubble .content')]"
            f".reverse().find((el) => el.textContent.includes({json.dumps(contains)}));"
            " return found ? found.textContent : null; })()",
            timeout=timeout,
        )

    async def bot_html(self, contains: str) -> str | None:
        """innerHTML of the newest rendered bot message containing `contains` (to check formatting)."""
        return await self.page.evaluate(
            "(() => { const found = [...document.querySelectorAll('.msg.bot .bubble .content')]"
            f".reverse().find((el) => el.textContent.includes({json.dumps(contains)}));"
            " return found ? found.innerHTML : null; })()"
        )

    async def press_button(self, text: str, *, timeout: float = 10.0) -> None:
        """Click the newest inline button with this label."""
        await self.page.wait_for(
            "(() => { const button = [...document.querySelectorAll('.inline-button')].reverse()"
            f".find((el) => el.firstChild && el.firstChild.textContent === {json.dumps(text)});"
            " if (!button) return false; button.click(); return true; })()",
            timeout=timeout,
        )

    async def press_reply_button(self, text: str, *, timeout: float = 10.0) -> None:
        await self.page.wait_for(
            "(() => { const button = [...document.querySelectorAll('.reply-button')]"
            f".find((el) => el.textContent.endsWith({json.dumps(text)}));"
            " if (!button) return false; button.click(); return true; })()",
            timeout=timeout,
        )

    async def toast_text(self, *, timeout: float = 10.0) -> str:
        return await self.page.wait_for(
            "(() => { const t = document.querySelector('#toast'); return t && !t.hidden ? t.textContent : null; })()",
            timeout=timeout,
        )


async def start_via_web_chat(
    base_url: str, user_id: int, *, command: str = "/start", expect: str | None = None, timeout: float = 30.0
) -> str:
    """Open the web chat as `user_id`, send `command`, and return the text of the bot's first reply
    (or of the first reply containing `expect`)."""
    async with Chromium() as browser:
        chat = await WebChat.open(browser, base_url, user_id=user_id, timeout=timeout)
        before = await chat.page.evaluate("document.querySelectorAll('.msg.bot').length")
        await chat.send_text(command)
        if expect is not None:
            return await chat.wait_for_bot_text(expect, timeout=timeout)
        return await chat.page.wait_for(
            f"(() => {{ const all = document.querySelectorAll('.msg.bot .bubble');"
            f" if (all.length <= {int(before)}) return null;"
            f" const bubble = all[{int(before)}]; const content = bubble.querySelector('.content');"
            " return (content || bubble).textContent; })()",
            timeout=timeout,
        )

"""An async client for the emulator's control API, for end-to-end tests and the demo.

    async with SandboxClient(base_url) as sandbox:
        ali = await sandbox.create_user("Ali", language_code="uz")
        await ali.send("/start")
        welcome = await ali.expect("Xush kelibsiz")
        await ali.press("🇷🇺 Русский")
        await ali.expect(contains="Добро пожаловать")

`expect()` waits for the next bot message or edit in the user's chat after the last one it has seen,
skipping those that do not match. It is race-free: it follows the emulator's event sequence numbers, so a
reply that arrives before `expect()` is called is still found.
"""

# Waits with a `timeout=` argument are this helper's public API (as in pytest/asyncio test helpers).
# ruff: noqa: ASYNC109

from __future__ import annotations

import asyncio
import base64
import re
from collections.abc import Callable, Iterable
from types import TracebackType
from typing import Any

import httpx

DEFAULT_EXPECT_TIMEOUT = 10.0


class SandboxError(Exception):
    """The control API refused a request (4xx/5xx); `status` and `error` say why."""

    def __init__(self, status: int, error: str, method: str, path: str) -> None:
        super().__init__(f"{method} {path} → {status}: {error}")
        self.status = status
        self.error = error


class SandboxMessage(dict[str, Any]):
    """A message as the control API shows it (a dict), with shortcuts for tests."""

    @property
    def message_id(self) -> int:
        return int(self["message_id"])

    @property
    def text(self) -> str:
        """The text, or the caption of a media message ("" when neither)."""
        return self.get("text") or self.get("caption") or ""

    @property
    def html(self) -> str | None:
        return self.get("html")

    @property
    def from_bot(self) -> bool:
        return bool(self.get("from_bot"))

    @property
    def edited(self) -> bool:
        return bool(self.get("edited"))

    @property
    def deleted(self) -> bool:
        return bool(self.get("deleted"))

    @property
    def event(self) -> str | None:
        """"new" / "edited" / "deleted" when the message came from wait/expect."""
        return self.get("event")

    @property
    def inline_keyboard(self) -> list[list[dict[str, Any]]]:
        markup = self.get("reply_markup") or {}
        return markup.get("inline_keyboard") or []

    @property
    def buttons(self) -> list[list[str]]:
        """Inline button labels, row by row."""
        return [[button["text"] for button in row] for row in self.inline_keyboard]

    @property
    def button_texts(self) -> list[str]:
        return [text for row in self.buttons for text in row]

    def button(self, text: str) -> dict[str, Any]:
        for row in self.inline_keyboard:
            for button in row:
                if button["text"] == text:
                    return button
        raise KeyError(f"no inline button {text!r}; buttons: {self.button_texts}")

    @property
    def reply_keyboard(self) -> list[list[str]] | None:
        markup = self.get("reply_markup") or {}
        rows = markup.get("keyboard")
        return [[button["text"] for button in row] for row in rows] if rows else None

    def summary(self) -> str:
        kind = self.get("event") or ("bot" if self.from_bot else "user")
        body = self.text or next(
            (f"[{key}]" for key in ("photo", "document", "location", "contact") if self.get(key)), "[empty]"
        )
        if len(body) > 80:
            body = body[:77] + "..."
        buttons = f" buttons={self.button_texts}" if self.inline_keyboard else ""
        return f"#{self.get('message_id')} {kind}: {body!r}{buttons}"


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


class SandboxClient:
    def __init__(self, base_url: str, *, timeout: float = 30.0, bot_id: int | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.bot_id = bot_id
        # Keep every connection a crowd of users opens (httpx keeps 20 by default and reconnects the rest, request
        # after request, when a test or benchmark sends from hundreds of users at once).
        self.http = httpx.AsyncClient(base_url=self.base_url, timeout=timeout,
                                      limits=httpx.Limits(max_connections=100, max_keepalive_connections=100))

    async def aclose(self) -> None:
        await self.http.aclose()

    async def __aenter__(self) -> SandboxClient:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    async def request(
        self,
        method: str,
        path: str,
        *,
        json: dict[str, Any] | None = None,
        params: dict[str, Any] | None = None,
        allow: Iterable[int] = (),
        timeout: float | None = None,
    ) -> Any:
        """Call the control API; raises SandboxError unless the status is 2xx or in `allow` (then returns None)."""
        if self.bot_id is not None:
            if json is not None:
                json = {"bot_id": self.bot_id, **json}
            params = {"bot_id": self.bot_id, **(params or {})}
        kwargs: dict[str, Any] = {"json": json, "params": params}
        if timeout is not None:
            kwargs["timeout"] = timeout
        response = await self.http.request(method, f"/_sandbox{path}", **kwargs)
        if response.status_code in set(allow):
            return None
        if response.status_code >= 400:
            try:
                error = response.json().get("error", response.text)
            except ValueError:
                error = response.text
            raise SandboxError(response.status_code, error, method, path)
        return response.json()

    # ------------------------------------------------------------------------------ bots/users

    async def register_bot(self, token: str) -> dict[str, Any]:
        return await self.request("POST", "/bots", json={"token": token})

    async def bots(self) -> list[dict[str, Any]]:
        return await self.request("GET", "/bots")

    async def create_user(
        self,
        first_name: str = "Test User",
        *,
        username: str | None = None,
        last_name: str | None = None,
        language_code: str | None = "uz",
        phone_number: str | None = None,
    ) -> SandboxUser:
        body = {"first_name": first_name, "username": username, "last_name": last_name,
                "language_code": language_code, "phone_number": phone_number}
        data = await self.request("POST", "/users", json={k: v for k, v in body.items() if v is not None})
        return SandboxUser(self, data)

    async def get_user(self, user_id: int) -> SandboxUser:
        """An existing user; `expect()` then waits for messages from now on."""
        data = await self.request("GET", f"/users/{user_id}")
        user = SandboxUser(self, data)
        chat = await self.request("GET", f"/chats/{user_id}", allow=(409,))
        user.seen_seq = chat["last_seq"] if chat else 0
        return user

    async def users(self) -> list[dict[str, Any]]:
        return await self.request("GET", "/users")

    async def chat(self, chat_id: int) -> dict[str, Any]:
        return await self.request("GET", f"/chats/{chat_id}")

    # ----------------------------------------------------------------------------- diagnostics

    async def calls(self, method: str | None = None, *, after_seq: int = 0) -> list[dict[str, Any]]:
        """Logged Bot API calls (getUpdates calls that returned nothing are not logged)."""
        params: dict[str, Any] = {"after_seq": after_seq}
        if method:
            params["method"] = method
        return await self.request("GET", "/calls", params=params)

    async def set_limits(
        self,
        *,
        per_chat_per_sec: float | None = 1.0,
        global_per_sec: float | None = 30.0,
        burst: float | None = None,
        global_burst: float | None = None,
        retry_after: int | None = None,
        enabled: bool = True,
    ) -> dict[str, Any]:
        return await self.request("POST", "/limits", json={
            "enabled": enabled, "per_chat_per_sec": per_chat_per_sec, "global_per_sec": global_per_sec,
            "burst": burst, "global_burst": global_burst, "retry_after": retry_after,
        })

    async def disable_limits(self) -> dict[str, Any]:
        return await self.request("POST", "/limits", json={"enabled": False})

    async def add_fault(
        self,
        method: str,
        *,
        error_code: int = 500,
        count: int = 1,
        description: str | None = None,
        retry_after: int | None = None,
        chat_id: int | None = None,
    ) -> dict[str, Any]:
        """Make the next `count` calls of `method` fail with `error_code`."""
        body: dict[str, Any] = {"method": method, "error_code": error_code, "count": count}
        for key, value in (("description", description), ("retry_after", retry_after), ("chat_id", chat_id)):
            if value is not None:
                body[key] = value
        return await self.request("POST", "/faults", json=body)

    async def clear_faults(self) -> None:
        await self.request("DELETE", "/faults")

    async def settings(self, **values: Any) -> dict[str, Any]:
        return await self.request("POST", "/settings", json=values)

    async def reset(self, *, full: bool = False) -> None:
        await self.request("POST", "/reset", json={"full": full})

    async def download(self, message_or_url: dict[str, Any] | str) -> bytes:
        """Bytes of a photo/document in a message view (or of a `url` from one)."""
        url = message_or_url if isinstance(message_or_url, str) else _file_url(message_or_url)
        response = await self.http.get(url)
        response.raise_for_status()
        return response.content


def _file_url(message: dict[str, Any]) -> str:
    for key in ("photo", "document", "video", "audio", "voice", "animation", "sticker"):
        if message.get(key):
            return str(message[key]["url"])
    raise ValueError(f"message {message.get('message_id')} has no file")


Matcher = Callable[[SandboxMessage], bool]


class SandboxUser:
    """One user of the emulator, chatting with the bot."""

    def __init__(self, client: SandboxClient, data: dict[str, Any]) -> None:
        self.client = client
        self.data = data
        self.id: int = data["id"]
        self.first_name: str = data["first_name"]
        self.username: str | None = data.get("username")
        self.language_code: str | None = data.get("language_code")
        # The event sequence number of the last bot message/edit `expect()` has consumed.
        self.seen_seq = 0
        self.last_bot_message: SandboxMessage | None = None
        self.last_sent: dict[str, Any] | None = None  # the control API's answer to the last send
        self.last_press: dict[str, Any] | None = None  # ... and to the last press (update_id, message_id)

    def __repr__(self) -> str:
        return f"<SandboxUser {self.id} {self.first_name!r}>"

    async def _post(self, action: str, body: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        result = await self.client.request("POST", f"/users/{self.id}/{action}", json=body, **kwargs)
        if action in ("send", "reply", "edit"):
            self.last_sent = result
        return result

    # ----------------------------------------------------------------------------------- send

    async def send(self, text: str, *, reply_to: int | None = None) -> dict[str, Any]:
        """Send text; commands (/start, /start payload, /cmd@bot) get bot_command entities."""
        body: dict[str, Any] = {"text": text}
        if reply_to is not None:
            body["reply_to_message_id"] = reply_to
        return await self._post("send", body)

    async def send_photo(self, data: bytes, *, caption: str | None = None) -> dict[str, Any]:
        return await self._post("send", {"photo": _b64(data), "caption": caption})

    async def send_document(
        self, data: bytes, file_name: str, *, mime_type: str | None = None, caption: str | None = None
    ) -> dict[str, Any]:
        body = {"document": _b64(data), "file_name": file_name, "mime_type": mime_type, "caption": caption}
        return await self._post("send", {k: v for k, v in body.items() if v is not None})

    async def send_album(self, photos: list[bytes], *, caption: str | None = None) -> dict[str, Any]:
        """2–10 photos with one media_group_id; the caption goes on the first, as clients do."""
        items: list[dict[str, Any]] = [{"photo": _b64(photo)} for photo in photos]
        if caption and items:
            items[0]["caption"] = caption
        return await self._post("send", {"album": items})

    async def send_location(
        self, latitude: float, longitude: float, *, live_period: int | None = None
    ) -> dict[str, Any]:
        location: dict[str, Any] = {"latitude": latitude, "longitude": longitude}
        if live_period is not None:
            location["live_period"] = live_period
        return await self._post("send", {"location": location})

    async def move_live_location(self, message_id: int, latitude: float, longitude: float) -> dict[str, Any]:
        """A live location moves: the bot gets an edited_message."""
        return await self._post("edit", {"message_id": message_id,
                                         "location": {"latitude": latitude, "longitude": longitude}})

    async def send_contact(self, phone_number: str, *, first_name: str | None = None,
                           own: bool = True) -> dict[str, Any]:
        contact: dict[str, Any] = {"phone_number": phone_number, "first_name": first_name or self.first_name}
        if own:
            contact["user_id"] = self.id
        return await self._post("send", {"contact": contact})

    async def edit(self, message_id: int, text: str) -> dict[str, Any]:
        return await self._post("edit", {"message_id": message_id, "text": text})

    # --------------------------------------------------------------------------------- buttons

    async def press(
        self,
        text: str | None = None,
        *,
        data: str | None = None,
        message_id: int | None = None,
        wait: bool = True,
        timeout: float = 10.0,
        forge: bool = False,
    ) -> dict[str, Any] | None:
        """Press an inline button by label (or callback data). Without message_id, the newest bot message
        that has such a button. Returns the bot's answerCallbackQuery ({"text", "show_alert", ...}) or None.
        `forge=True` sends `data` for `message_id` even if no button carries it, as a tampered client could."""
        body: dict[str, Any] = {"wait": wait, "timeout": timeout, "forge": forge}
        if text is not None:
            body["text"] = text
        if data is not None:
            body["data"] = data
        if message_id is not None:
            body["message_id"] = message_id
        result = await self._post("press", body, timeout=timeout + 10)
        self.last_press = result
        return result["callback_answer"]

    async def press_reply(self, text: str, *, location: dict[str, float] | None = None,
                          phone_number: str | None = None) -> dict[str, Any]:
        """Tap a reply-keyboard button (request_contact/request_location buttons share them)."""
        body: dict[str, Any] = {"text": text}
        if location is not None:
            body["location"] = location
        if phone_number is not None:
            body["phone_number"] = phone_number
        return await self._post("reply", body)

    async def inline_query(self, query: str, *, timeout: float = 10.0) -> dict[str, Any] | None:
        result = await self._post("inline", {"query": query, "timeout": timeout}, timeout=timeout + 10)
        return result["answer"]

    async def block(self) -> None:
        await self._post("block", {})

    async def unblock(self) -> None:
        await self._post("unblock", {})

    # ---------------------------------------------------------------------------------- reading

    async def messages(self, *, after: int = 0) -> list[SandboxMessage]:
        views = await self.client.request("GET", f"/chats/{self.id}/messages", params={"after": after})
        messages = [SandboxMessage(view) for view in views]
        bot_messages = [m for m in messages if m.from_bot and not m.deleted]
        if bot_messages:
            self.last_bot_message = bot_messages[-1]
        return messages

    async def bot_messages(self) -> list[SandboxMessage]:
        return [m for m in await self.messages() if m.from_bot]

    async def chat(self) -> dict[str, Any]:
        return await self.client.chat(self.id)

    async def reply_keyboard(self) -> list[list[str]] | None:
        keyboard = (await self.chat()).get("reply_keyboard")
        return [[button["text"] for button in row] for row in keyboard["keyboard"]] if keyboard else None

    async def download(self, message: dict[str, Any]) -> bytes:
        return await self.client.download(message)

    async def expect(
        self,
        contains: str | None = None,
        *,
        regex: str | None = None,
        predicate: Matcher | None = None,
        timeout: float = DEFAULT_EXPECT_TIMEOUT,
        edits: bool = True,
    ) -> SandboxMessage:
        """The next bot message (or edit, unless edits=False) after the last one seen that matches.

        Non-matching messages are skipped (and reported if nothing matches). Raises AssertionError listing
        everything that arrived when the timeout passes.
        """
        pattern = re.compile(regex) if regex else None

        def matches(message: SandboxMessage) -> bool:
            if message.deleted or message.event == "deleted":
                return False
            if contains is not None and contains not in message.text:
                return False
            if pattern is not None and not pattern.search(message.text):
                return False
            return predicate is None or predicate(message)

        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        skipped: list[SandboxMessage] = []
        kinds = "new,edited" if edits else "new"
        while (remaining := deadline - loop.time()) > 0:
            event = await self.client.request(
                "GET", f"/chats/{self.id}/wait",
                params={"after_seq": self.seen_seq, "timeout": round(remaining, 3), "kinds": kinds},
                allow=(408,), timeout=remaining + 10,
            )
            if event is None:
                break
            message = SandboxMessage(event)
            self.seen_seq = message["event_seq"]
            self.last_bot_message = message
            if matches(message):
                return message
            skipped.append(message)
        wanted = " and ".join(
            part for part in (
                f"containing {contains!r}" if contains is not None else "",
                f"matching /{regex}/" if regex else "",
                "satisfying the predicate" if predicate else "",
            ) if part
        ) or "at all"
        arrived = "\n  ".join(message.summary() for message in skipped) or "(nothing)"
        raise AssertionError(
            f"user {self.id} got no bot message {wanted} within {timeout:g}s. Arrived meanwhile:\n  {arrived}"
        )

    async def expect_no_message(self, timeout: float = 1.0) -> None:
        """Assert the bot sends or edits nothing in this chat for `timeout` seconds."""
        event = await self.client.request(
            "GET", f"/chats/{self.id}/wait", params={"after_seq": self.seen_seq, "timeout": timeout},
            allow=(408,), timeout=timeout + 10,
        )
        if event is not None:
            message = SandboxMessage(event)
            self.seen_seq = message["event_seq"]
            raise AssertionError(f"user {self.id} expected silence but got {message.summary()}")

    async def skip_pending(self) -> None:
        """Forget bot messages not yet seen: the next expect() only looks at what comes after now."""
        chat = await self.chat()
        self.seen_seq = chat["last_seq"]

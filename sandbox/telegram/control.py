"""The control API under /_sandbox/: act as users and look at what the bot did. JSON in, JSON out.

See README.md next to this file for the endpoint reference.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import json
import math
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from .limits import Fault
from .media import clean_file_name, photo_renditions
from .models import BotAccount, ChatEvent, Conversation, StoredMessage, UserAccount
from .state import ControlError, EmulatorState, PendingQuery

Route = Callable[[web.Request], Awaitable[web.StreamResponse]]

PRESS_WAIT_SECONDS = 10.0
MAX_WAIT_SECONDS = 300.0
SEND_KINDS = ("text", "photo", "document", "album", "location", "contact")
DEFAULT_LOCATION = {"latitude": 41.311081, "longitude": 69.240562}  # Tashkent


def reply(body: Any, status: int = 200) -> web.Response:
    return web.Response(text=json.dumps(body, ensure_ascii=False), status=status, content_type="application/json")


def fail(status: int, message: str) -> ControlError:
    return ControlError(status, message)


@web.middleware
async def control_errors(request: web.Request, handler: Route) -> web.StreamResponse:
    """Every control API failure is JSON: {"error": reason}."""
    if not request.path.startswith("/_sandbox/"):
        return await handler(request)
    try:
        return await handler(request)
    except ControlError as error:
        return reply({"error": error.message}, error.status)
    except web.HTTPNotFound:
        return reply({"error": f"no such endpoint: {request.method} {request.path}"}, 404)
    except web.HTTPMethodNotAllowed:
        return reply({"error": f"method {request.method} not allowed on {request.path}"}, 405)
    except web.HTTPRequestEntityTooLarge:
        return reply({"error": "request body too large"}, 413)


async def read_body(request: web.Request) -> dict[str, Any]:
    if not request.body_exists:
        return {}
    try:
        body = await request.json()
    except ValueError:
        raise fail(400, "body must be JSON") from None
    if not isinstance(body, dict):
        raise fail(400, "body must be a JSON object")
    return body


def decode_base64(value: Any, field: str) -> bytes:
    """Base64 (or a data: URL, as a browser's FileReader gives it) → bytes."""
    if not isinstance(value, str) or not value:
        raise fail(400, f"{field} must be a non-empty base64 string")
    if value.startswith("data:") and "," in value:
        value = value.split(",", 1)[1]
    try:
        data = base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise fail(400, f"{field} is not valid base64") from None
    if not data:
        raise fail(400, f"{field} is empty")
    return data


def optional_str(body: dict[str, Any], key: str) -> str | None:
    value = body.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise fail(400, f"{key} must be a string")
    return value


def number(value: Any, field: str, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise fail(400, f"{field} must be a number")
    if not low <= value <= high:
        raise fail(400, f"{field} must be between {low} and {high}")
    return float(value)


def int_param(raw: str | None, field: str, default: int | None = None) -> int | None:
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise fail(400, f"{field} must be an integer") from None


def float_param(raw: str | None, field: str, default: float) -> float:
    if raw is None or raw == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise fail(400, f"{field} must be a number") from None
    if not math.isfinite(value) or value < 0:
        raise fail(400, f"{field} must be a non-negative number")
    return value


def bool_param(raw: str | None) -> bool:
    return (raw or "").lower() in ("1", "true", "yes", "on")


class ControlApi:
    def __init__(self, state: EmulatorState) -> None:
        self.state = state

    def add_routes(self, app: web.Application) -> None:
        r = app.router
        r.add_get("/_sandbox/", self.overview)
        r.add_get("/_sandbox/bots", self.list_bots)
        r.add_post("/_sandbox/bots", self.register_bot)
        r.add_get("/_sandbox/users", self.list_users)
        r.add_post("/_sandbox/users", self.create_user)
        r.add_get("/_sandbox/users/{user_id}", self.get_user)
        r.add_post("/_sandbox/users/{user_id}/send", self.send)
        r.add_post("/_sandbox/users/{user_id}/edit", self.edit)
        r.add_post("/_sandbox/users/{user_id}/press", self.press)
        r.add_post("/_sandbox/users/{user_id}/reply", self.press_reply_button)
        r.add_post("/_sandbox/users/{user_id}/inline", self.inline_query)
        r.add_post("/_sandbox/users/{user_id}/block", self.block)
        r.add_post("/_sandbox/users/{user_id}/unblock", self.unblock)
        r.add_get("/_sandbox/chats/{chat_id}", self.chat)
        r.add_get("/_sandbox/chats/{chat_id}/messages", self.messages)
        r.add_get("/_sandbox/chats/{chat_id}/wait", self.wait)
        r.add_get("/_sandbox/chats/{chat_id}/events", self.events)
        r.add_get("/_sandbox/files/{file_id}", self.file)
        r.add_get("/_sandbox/calls", self.calls)
        r.add_delete("/_sandbox/calls", self.clear_calls)
        r.add_get("/_sandbox/limits", self.get_limits)
        r.add_post("/_sandbox/limits", self.set_limits)
        r.add_get("/_sandbox/faults", self.get_faults)
        r.add_post("/_sandbox/faults", self.add_fault)
        r.add_delete("/_sandbox/faults", self.clear_faults)
        r.add_get("/_sandbox/settings", self.get_settings)
        r.add_post("/_sandbox/settings", self.set_settings)
        r.add_post("/_sandbox/reset", self.reset)
        r.add_route("*", "/_sandbox/{tail:.*}", self.unknown)

    # ------------------------------------------------------------------------------- resolution

    async def _bot(self, request: web.Request, body: dict[str, Any] | None = None) -> BotAccount:
        """The bot a request is about. If no bot has connected yet, wait a little for one: a test usually
        starts its bot and sends /start at once, before the bot's first getMe."""
        bot_id = (body or {}).get("bot_id", request.query.get("bot_id"))
        if bot_id is None and not self.state.bots:
            await self.state.wait_for(lambda: self.state.bots, self.state.settings.bot_wait, self.state.bots_changed)
        return self.state.resolve_bot(bot_id)

    def _user(self, request: web.Request, key: str = "user_id") -> UserAccount:
        return self.state.get_user(request.match_info[key])

    async def _conversation(self, request: web.Request) -> tuple[BotAccount, UserAccount, Conversation]:
        user = self._user(request, "chat_id")
        bot = await self._bot(request)
        return bot, user, self.state.conversation(bot.id, user.id)

    # -------------------------------------------------------------------------------- overview

    async def overview(self, request: web.Request) -> web.Response:
        default = self.state.default_bot_id
        return reply({
            "ok": True,
            "bots": [bot.view() for bot in self.state.bots.values()],
            "default_bot_id": default if default in self.state.bots else None,
            "users": len(self.state.users),
            "last_seq": self.state.seq,
        })

    async def unknown(self, request: web.Request) -> web.Response:
        raise fail(404, f"no such endpoint: {request.method} {request.path}")

    async def list_bots(self, request: web.Request) -> web.Response:
        return reply([bot.view() for bot in self.state.bots.values()])

    async def register_bot(self, request: web.Request) -> web.Response:
        body = await read_body(request)
        token = body.get("token")
        if not isinstance(token, str):
            raise fail(400, "token is required")
        return reply(self.state.register_bot(token).view())

    # ----------------------------------------------------------------------------------- users

    async def list_users(self, request: web.Request) -> web.Response:
        return reply([user.view() for user in self.state.users.values()])

    async def create_user(self, request: web.Request) -> web.Response:
        body = await read_body(request)
        first_name = body.get("first_name")
        if not isinstance(first_name, str) or not first_name.strip():
            raise fail(400, "first_name is required")
        username = optional_str(body, "username")
        if username is not None:
            username = username.removeprefix("@")
            if not username or not all(ch.isascii() and (ch.isalnum() or ch == "_") for ch in username):
                raise fail(400, "username may contain only latin letters, digits and underscores")
            if any((u.username or "").lower() == username.lower() for u in self.state.users.values()):
                raise fail(409, f"username @{username} is taken")
        language_code = optional_str(body, "language_code")
        user = self.state.create_user(
            first_name.strip(),
            last_name=optional_str(body, "last_name"),
            username=username,
            language_code=language_code,
            phone_number=optional_str(body, "phone_number"),
        )
        return reply(user.view(), 201)

    async def get_user(self, request: web.Request) -> web.Response:
        return reply(self._user(request).view())

    # ---------------------------------------------------------------------------- user actions

    async def send(self, request: web.Request) -> web.Response:
        body = await read_body(request)
        user = self._user(request)
        bot = await self._bot(request, body)
        kinds = [kind for kind in SEND_KINDS if body.get(kind) is not None]
        if len(kinds) != 1:
            raise fail(400, f"send exactly one of {', '.join(SEND_KINDS)}; got {kinds or 'none'}")
        kind = kinds[0]
        reply_to = body.get("reply_to_message_id")
        if reply_to is not None and not isinstance(reply_to, int):
            raise fail(400, "reply_to_message_id must be an integer")
        if kind == "album":
            return reply(await self._send_album(bot, user, body["album"], reply_to))
        content, files = await self._content(bot, kind, body, user)
        message, update_id = self.state.user_message(bot, user, content, files=files, reply_to_message_id=reply_to)
        return reply(self._sent(message, update_id))

    async def _content(
        self, bot: BotAccount, kind: str, body: dict[str, Any], user: UserAccount
    ) -> tuple[dict[str, Any], list[Any]]:
        """Message content for one item a user sends, with its stored files."""
        files: list[Any] = []
        content: dict[str, Any]
        if kind == "text":
            text = body["text"]
            if not isinstance(text, str) or not text.strip():
                raise fail(400, "text must be a non-empty string")
            if len(text.encode("utf-16-le")) // 2 > 4096:
                raise fail(400, "text is longer than 4096 characters")
            content = {"text": text}
            if isinstance(body.get("entities"), list):
                content["entities"] = body["entities"]
            return content, files
        if kind == "photo":
            data = decode_base64(body["photo"], "photo")
            renditions = await asyncio.to_thread(photo_renditions, data, strict=False)
            files = self.state.files.add_photo(bot.id, renditions)
            content = {"photo": [stored.photo_size() for stored in files]}
        elif kind == "document":
            data = decode_base64(body["document"], "document")
            name = clean_file_name(optional_str(body, "file_name")) or "file"
            stored = self.state.files.add(bot.id, "document", data, file_name=name,
                                          mime_type=optional_str(body, "mime_type"))
            files = [stored]
            content = {"document": stored.as_document()}
        elif kind == "location":
            location = body["location"]
            if not isinstance(location, dict):
                raise fail(400, "location must be an object with latitude and longitude")
            content = {"location": self._location(location)}
            return content, files
        else:
            contact = body["contact"]
            if not isinstance(contact, dict) or not isinstance(contact.get("phone_number"), str):
                raise fail(400, "contact must be an object with phone_number")
            value = {
                "phone_number": contact["phone_number"],
                "first_name": contact.get("first_name") or user.first_name,
            }
            if contact.get("last_name"):
                value["last_name"] = contact["last_name"]
            if contact.get("user_id") is not None:
                value["user_id"] = contact["user_id"]
            if contact.get("vcard"):
                value["vcard"] = contact["vcard"]
            return {"contact": value}, files
        caption = optional_str(body, "caption")
        if caption:
            content["caption"] = caption
        return content, files

    @staticmethod
    def _location(location: dict[str, Any]) -> dict[str, Any]:
        value: dict[str, Any] = {
            "latitude": number(location.get("latitude"), "latitude", -90, 90),
            "longitude": number(location.get("longitude"), "longitude", -180, 180),
        }
        if location.get("live_period") is not None:
            value["live_period"] = int(number(location["live_period"], "live_period", 60, 0x7FFFFFFF))
        for key, low, high in (("horizontal_accuracy", 0, 1500), ("heading", 1, 360)):
            if location.get(key) is not None:
                value[key] = number(location[key], key, low, high)
        return value

    async def _send_album(
        self, bot: BotAccount, user: UserAccount, items: Any, reply_to: int | None
    ) -> dict[str, Any]:
        if not isinstance(items, list) or not 2 <= len(items) <= 10:
            raise fail(400, "album must be a list of 2 to 10 items")
        prepared = []
        for index, item in enumerate(items):
            if not isinstance(item, dict):
                raise fail(400, f"album[{index}] must be an object")
            kinds = [kind for kind in ("photo", "document") if item.get(kind) is not None]
            if len(kinds) != 1:
                raise fail(400, f"album[{index}] needs exactly one of photo, document")
            prepared.append(await self._content(bot, kinds[0], item, user))
        kinds_used = {"document" in content for content, _files in prepared}
        if len(kinds_used) > 1:
            raise fail(400, "an album holds photos or documents, not both")
        group_id = self.state.new_media_group_id()
        message_ids, update_ids = [], []
        last: StoredMessage | None = None
        for content, files in prepared:
            last, update_id = self.state.user_message(
                bot, user, content, files=files, media_group_id=group_id, reply_to_message_id=reply_to
            )
            message_ids.append(last.message_id)
            update_ids.append(update_id)
        return {
            "message_ids": message_ids,
            "update_ids": update_ids,
            "media_group_id": group_id,
            "event_seq": last.event_seq if last else self.state.seq,
            "chat_id": user.id,
        }

    def _sent(self, message: StoredMessage, update_id: int | None) -> dict[str, Any]:
        result: dict[str, Any] = {
            "message_id": message.message_id,
            "update_id": update_id,
            "event_seq": message.event_seq,
        }
        if update_id is None:
            result["warning"] = "the bot's allowed_updates exclude this update, so it was not delivered"
        return result

    async def edit(self, request: web.Request) -> web.Response:
        body = await read_body(request)
        user = self._user(request)
        bot = await self._bot(request, body)
        message_id = body.get("message_id")
        if not isinstance(message_id, int):
            raise fail(400, "message_id must be an integer")
        changes: dict[str, Any] = {}
        if isinstance(body.get("text"), str) and body["text"].strip():
            changes["text"] = body["text"]
        elif isinstance(body.get("location"), dict):
            changes["location"] = self._location(body["location"])
        else:
            raise fail(400, "edit needs text or location")
        message, update_id = self.state.user_edit(bot, user, message_id, changes)
        return reply(self._sent(message, update_id))

    async def press(self, request: web.Request) -> web.Response:
        body = await read_body(request)
        user = self._user(request)
        bot = await self._bot(request, body)
        message_id, text, data = body.get("message_id"), body.get("text"), body.get("data")
        if message_id is not None and not isinstance(message_id, int):
            raise fail(400, "message_id must be an integer")
        if (text is None) == (data is None):
            raise fail(400, "press needs either text (the button's label) or data (its callback_data)")
        if not isinstance(text if text is not None else data, str):
            raise fail(400, "text/data must be a string")
        query, update_id, message = self.state.press_button(bot, user, message_id, text, data,
                                                            forge=bool(body.get("forge", False)))
        result: dict[str, Any] = {
            "callback_query_id": query.id,
            "update_id": update_id,
            "message_id": message.message_id,
            "callback_answer": None,
        }
        if update_id is None:
            result["warning"] = "the bot's allowed_updates exclude callback_query, so it was not delivered"
            return reply(result)
        if body.get("wait", True):
            timeout = number(body.get("timeout", PRESS_WAIT_SECONDS), "timeout", 0, MAX_WAIT_SECONDS)
            result["callback_answer"] = await self._await_answer(query, timeout)
        return reply(result)

    @staticmethod
    async def _await_answer(query: PendingQuery, seconds: float) -> dict[str, Any] | None:
        """The bot's answer, or None if it does not answer in time (or the emulator resets)."""
        if query.answer.done():
            return None if query.answer.cancelled() else query.answer.result()
        try:
            return await asyncio.wait_for(asyncio.shield(query.answer), seconds)
        except TimeoutError:
            return None
        except asyncio.CancelledError:
            task = asyncio.current_task()
            if task is not None and task.cancelling():
                raise  # our own request is being cancelled (client gone, server stopping)
            return None  # the query was dropped by a reset

    async def press_reply_button(self, request: web.Request) -> web.Response:
        """Tap a button of the current reply keyboard: sends its text, or the contact/location it requests."""
        body = await read_body(request)
        user = self._user(request)
        bot = await self._bot(request, body)
        text = body.get("text")
        if not isinstance(text, str):
            raise fail(400, "text (the button's label) is required")
        conv = self.state.conversation(bot.id, user.id)
        keyboard = conv.reply_keyboard
        if not keyboard:
            raise fail(400, f"chat {user.id} has no reply keyboard")
        buttons = [button for row in keyboard["keyboard"] for button in row]
        button = next((b for b in buttons if b.get("text") == text), None)
        if button is None:
            raise fail(400, f"the reply keyboard has no button {text!r}; buttons: {[b.get('text') for b in buttons]}")
        if button.get("request_contact"):
            phone = optional_str(body, "phone_number") or user.phone_number or f"+99890{user.id % 10_000_000:07d}"
            content: dict[str, Any] = {"contact": {"phone_number": phone, "first_name": user.first_name,
                                                   "user_id": user.id}}
            if user.last_name:
                content["contact"]["last_name"] = user.last_name
        elif button.get("request_location"):
            location = body.get("location") or DEFAULT_LOCATION
            if not isinstance(location, dict):
                raise fail(400, "location must be an object")
            content = {"location": self._location(location)}
        else:
            content = {"text": text}
        message, update_id = self.state.user_message(bot, user, content)
        return reply(self._sent(message, update_id))

    async def inline_query(self, request: web.Request) -> web.Response:
        body = await read_body(request)
        user = self._user(request)
        bot = await self._bot(request, body)
        query_text = body.get("query", "")
        if not isinstance(query_text, str):
            raise fail(400, "query must be a string")
        query, update_id = self.state.inline_query(bot, user, query_text, str(body.get("offset", "")))
        result: dict[str, Any] = {"inline_query_id": query.id, "update_id": update_id, "answer": None}
        if update_id is not None and body.get("wait", True):
            timeout = number(body.get("timeout", PRESS_WAIT_SECONDS), "timeout", 0, MAX_WAIT_SECONDS)
            result["answer"] = await self._await_answer(query, timeout)
        return reply(result)

    async def block(self, request: web.Request) -> web.Response:
        return await self._set_blocked(request, True)

    async def unblock(self, request: web.Request) -> web.Response:
        return await self._set_blocked(request, False)

    async def _set_blocked(self, request: web.Request, blocked: bool) -> web.Response:
        body = await read_body(request)
        user = self._user(request)
        bot = await self._bot(request, body)
        update_id = self.state.set_blocked(bot, user, blocked)
        return reply({"blocked": blocked, "update_id": update_id})

    # ----------------------------------------------------------------------------------- chats

    async def chat(self, request: web.Request) -> web.Response:
        bot, user, _conv = await self._conversation(request)
        return reply(self.state.chat_view(bot, user))

    async def messages(self, request: web.Request) -> web.Response:
        _bot, _user, conv = await self._conversation(request)
        after = int_param(request.query.get("after"), "after", 0) or 0
        include_deleted = request.query.get("include_deleted", "1") not in ("0", "false")
        views = [
            message.to_view() for message_id, message in conv.messages.items()
            if message_id > after and (include_deleted or not message.deleted)
        ]
        return reply(views)

    async def wait(self, request: web.Request) -> web.Response:
        """The bot's next new message or edit; see README for after / after_seq."""
        _bot, user, _conv = await self._conversation(request)
        bot_id = _bot.id
        query = request.query
        after_seq = int_param(query.get("after_seq"), "after_seq")
        after_message = int_param(query.get("after"), "after")
        timeout = min(float_param(query.get("timeout"), "timeout", 10.0), MAX_WAIT_SECONDS)
        include_user = bool_param(query.get("include_user"))
        kinds = set((query.get("kinds") or "new,edited").split(","))
        unknown = kinds - {"new", "edited", "deleted", "action"}
        if unknown:
            raise fail(400, f"unknown kinds: {sorted(unknown)}")
        since = after_seq if after_seq is not None else self.state.seq

        def wanted(event: ChatEvent) -> bool:
            return event.kind in kinds and (event.from_bot or include_user or event.kind == "action")

        def find() -> ChatEvent | None:
            conv = self.state.conversations.get((bot_id, user.id))
            if conv is None:
                return None
            if after_message is not None and after_seq is None:
                # Bot messages newer than `after` that already exist count too, then anything that happens now.
                for event in conv.events:
                    if not wanted(event):
                        continue
                    if event.seq > since or (event.kind == "new" and (event.message_id or 0) > after_message):
                        return event
                return None
            return next((event for event in self.state.events_after(conv, since) if wanted(event)), None)

        event = await self.state.wait_for(find, timeout, self.state.chat_changed)
        if event is None:
            return reply({"error": f"no bot message within {timeout:g}s", "last_seq": self.state.seq}, 408)
        return reply(event.to_json())

    async def events(self, request: web.Request) -> web.Response:
        """Every change in the chat after a sequence number, long-polling up to `timeout` (for the web chat)."""
        bot, user, _conv = await self._conversation(request)
        after_seq = int_param(request.query.get("after_seq"), "after_seq", 0) or 0
        timeout = min(float_param(request.query.get("timeout"), "timeout", 0.0), MAX_WAIT_SECONDS)

        def find() -> list[ChatEvent]:
            conv = self.state.conversations.get((bot.id, user.id))
            return self.state.events_after(conv, after_seq) if conv else []

        found = await self.state.wait_for(find, timeout, self.state.chat_changed)
        last_seq = found[-1].seq if found else max(after_seq, 0)
        return reply({
            "events": [event.to_json() for event in found],
            "last_seq": last_seq,
            "chat": self.state.chat_view(bot, user),
        })

    async def file(self, request: web.Request) -> web.Response:
        stored = self.state.files.get(request.match_info["file_id"])
        if stored is None:
            raise fail(404, "unknown file")
        headers = {}
        if stored.file_name:
            safe = stored.file_name.replace('"', "")
            headers["Content-Disposition"] = f'inline; filename="{safe}"'
        return web.Response(
            body=stored.data,
            content_type=stored.mime_type or ("image/jpeg" if stored.kind == "photo" else "application/octet-stream"),
            headers=headers,
        )

    # ---------------------------------------------------------------------------- diagnostics

    async def calls(self, request: web.Request) -> web.Response:
        method = (request.query.get("method") or "").lower()
        after_seq = int_param(request.query.get("after_seq"), "after_seq", 0) or 0
        limit = int_param(request.query.get("limit"), "limit", 1000) or 1000
        found = [
            call for call in self.state.calls
            if call["seq"] > after_seq and (not method or call["method"].lower() == method)
        ]
        return reply(found[-limit:])

    async def clear_calls(self, request: web.Request) -> web.Response:
        self.state.calls.clear()
        return reply({"ok": True})

    async def get_limits(self, request: web.Request) -> web.Response:
        return reply(self.state.limits.view())

    async def set_limits(self, request: web.Request) -> web.Response:
        body = await read_body(request)
        settings: dict[str, Any] = {}
        if "enabled" in body:
            if not isinstance(body["enabled"], bool):
                raise fail(400, "enabled must be true or false")
            settings["enabled"] = body["enabled"]
        else:
            settings["enabled"] = True
        for key in ("per_chat_per_sec", "global_per_sec", "burst", "global_burst"):
            if key in body:
                settings[key] = None if body[key] is None else number(body[key], key, 0.001, 1_000_000)
        if "retry_after" in body:
            value = body["retry_after"]
            if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
                raise fail(400, "retry_after must be a positive integer or null")
            settings["retry_after"] = value
        unknown = set(body) - {"enabled", "per_chat_per_sec", "global_per_sec", "burst", "global_burst",
                               "retry_after"}
        if unknown:
            raise fail(400, f"unknown settings: {sorted(unknown)}")
        self.state.limits.configure(settings)
        return reply(self.state.limits.view())

    async def get_faults(self, request: web.Request) -> web.Response:
        return reply([fault.view() for fault in self.state.faults.items])

    async def add_fault(self, request: web.Request) -> web.Response:
        body = await read_body(request)
        method = body.get("method")
        if not isinstance(method, str) or not method:
            raise fail(400, "method is required (a Bot API method name, or \"*\")")
        count = body.get("count", 1)
        error_code = body.get("error_code", 500)
        if not isinstance(count, int) or count < 1:
            raise fail(400, "count must be a positive integer")
        if not isinstance(error_code, int) or not 400 <= error_code <= 599:
            raise fail(400, "error_code must be an HTTP error status (400-599)")
        default_description = {
            429: "Too Many Requests: retry after {retry_after}", 403: "Forbidden: bot was blocked by the user",
            502: "Bad Gateway", 500: "Internal Server Error",
        }.get(error_code, "Bad Request: injected fault")
        retry_after = body.get("retry_after", 1 if error_code == 429 else None)
        description = body.get("description") or default_description.format(retry_after=retry_after)
        fault = Fault(
            method=method.lower(), count=count, error_code=error_code, description=str(description),
            retry_after=retry_after, chat_id=body.get("chat_id"),
        )
        self.state.faults.items.append(fault)
        return reply(fault.view(), 201)

    async def clear_faults(self, request: web.Request) -> web.Response:
        self.state.faults.items.clear()
        return reply({"ok": True})

    async def get_settings(self, request: web.Request) -> web.Response:
        return reply(self.state.settings.view())

    async def set_settings(self, request: web.Request) -> web.Response:
        body = await read_body(request)
        settings = self.state.settings
        for key, value in body.items():
            if key not in settings.view():
                raise fail(400, f"unknown setting {key!r}")
            if value is None and key == "callback_query_ttl":
                settings.callback_query_ttl = None
                continue
            setattr(settings, key, number(value, key, 0, 86_400))
        return reply(settings.view())

    async def reset(self, request: web.Request) -> web.Response:
        body = await read_body(request)
        self.state.reset(full=bool(body.get("full")))
        return reply({"ok": True})

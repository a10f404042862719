"""The Bot API side: `{base}/bot{token}/{method}` and `{base}/file/bot{token}/{file_path}`."""

from __future__ import annotations

import asyncio
import collections
import copy
import json
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit

import aiohttp
from aiohttp import web

from . import errors as e
from .entities import EntityParseError, parse_formatted_text, utf16_len
from .errors import BotApiError, bad_request, forbidden
from .markup import parse_inline_markup, parse_reply_markup
from .media import MAX_DOWNLOAD_SIZE, ImageError, StoredFile, clean_file_name, photo_renditions
from .models import ALL_UPDATE_TYPES, BotAccount, Conversation, StoredMessage, UserAccount, WebhookConfig, now
from .params import Params, UploadedFile, read_request_params
from .state import EmulatorState, scope_key

log = logging.getLogger(__name__)

MAX_TEXT_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024
CHAT_ACTIONS = frozenset({
    "typing", "upload_photo", "record_video", "upload_video", "record_voice", "upload_voice",
    "upload_document", "choose_sticker", "find_location", "record_video_note", "upload_video_note",
})
# sendX method → (parameter holding the file, kind of stored file)
MEDIA_METHODS = {
    "sendphoto": ("photo", "photo"),
    "senddocument": ("document", "document"),
    "sendvideo": ("video", "video"),
    "sendaudio": ("audio", "audio"),
    "sendvoice": ("voice", "voice"),
    "sendanimation": ("animation", "animation"),
    "sendsticker": ("sticker", "sticker"),
}
DELETE_WINDOW_SECONDS = 48 * 3600
PARSED_KEPT = 256  # formatted texts whose parse is kept (see BotApi._parse)
# Methods that count against flood limits.
LIMITED_METHODS = frozenset({
    "sendmessage", "forwardmessage", "copymessage", "sendphoto", "senddocument", "sendvideo", "sendaudio",
    "sendvoice", "sendanimation", "sendsticker", "sendmediagroup", "sendlocation", "sendcontact",
    "editmessagetext", "editmessagecaption", "editmessagereplymarkup", "editmessagelivelocation",
})


@dataclass
class Described:
    """A successful result that Telegram answers with a description too (setWebhook and friends)."""

    result: Any
    description: str


@dataclass
class Formatted:
    """Content fields after parsing (text/entities or caption/caption_entities) and what the bot sent."""

    content: dict[str, Any]
    source: str | None = None
    parse_mode: str | None = None


@dataclass
class Call:
    bot: BotAccount
    method: str
    params: Params


Handler = Callable[["BotApi", Call], Awaitable[Any]]
_METHODS: dict[str, tuple[str, Handler]] = {}


def method(*names: str) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        for name in names:
            _METHODS[name.lower()] = (name, handler)
        return handler

    return register


def is_bot_api_method(name: str) -> bool:
    return name.lower() in _METHODS


def json_response(body: dict[str, Any], status: int = 200) -> web.Response:
    return web.Response(
        text=json.dumps(body, ensure_ascii=False), status=status, content_type="application/json"
    )


class BotApi:
    def __init__(self, state: EmulatorState) -> None:
        self.state = state
        self._parsed: collections.OrderedDict[tuple[str, str | None], tuple[str, list[Any]]] = \
            collections.OrderedDict()

    # ---------------------------------------------------------------------------------- routing

    def add_routes(self, app: web.Application) -> None:
        app.router.add_route("*", "/bot{token}/{method}", self.handle_http)
        app.router.add_get("/file/bot{token}/{file_path:.+}", self.handle_file)

    async def handle_http(self, request: web.Request) -> web.Response:
        started = time.monotonic()
        bot = self.state.bot_for_token(request.match_info["token"], touch=True)
        name = request.match_info["method"]
        not_found = {"ok": False, "error_code": 404, "description": e.NOT_FOUND}
        if bot is None:
            return json_response(not_found, 404)
        if name.lower() not in _METHODS:
            # Logged, so a bot calling a method the emulator lacks shows up in /_sandbox/calls.
            self.state.log_call({"ts": time.time(), "bot_id": bot.id, "method": name, "params": {}, "via": "http",
                                 "ok": False, "error_code": 404, "description": "Not Found (unknown method)"})
            return json_response(not_found, 404)
        try:
            params = await read_request_params(request)
        except BotApiError as error:
            return json_response(error.to_json(), error.error_code)
        except web.HTTPRequestEntityTooLarge:
            return json_response({"ok": False, "error_code": 413, "description": "Request Entity Too Large"}, 413)
        body = await self.execute(bot, name, params, started=started)
        return json_response(body, body.get("error_code", 200))

    async def execute(
        self, bot: BotAccount, name: str, params: Params, *, via: str = "http", started: float | None = None
    ) -> dict[str, Any]:
        """Run one method call and log it; returns the Bot API response body."""
        started = started if started is not None else time.monotonic()
        canonical, handler = _METHODS[name.lower()]
        entry: dict[str, Any] = {"ts": time.time(), "bot_id": bot.id, "method": canonical,
                                 "params": params.summary(), "via": via}
        try:
            fault = self.state.faults.take(canonical, params.integer("chat_id"))
            if fault is not None:
                raise fault
            result = await handler(self, Call(bot, canonical, params))
            if isinstance(result, Described):
                body = {"ok": True, "result": result.result, "description": result.description}
            else:
                body = {"ok": True, "result": result}
            entry.update(ok=True)
        except BotApiError as error:
            body = error.to_json()
            entry.update(ok=False, error_code=error.error_code, description=error.description)
        except Exception as error:  # a bug in the emulator: answer like Telegram's 500, keep the details
            log.exception("Bot API method %s failed", canonical)
            body = {"ok": False, "error_code": 500, "description": "Internal Server Error"}
            entry.update(ok=False, error_code=500, description=f"emulator error: {error!r}")
        entry["duration_ms"] = round((time.monotonic() - started) * 1000, 1)
        if canonical != "getUpdates" or not entry.get("ok") or body.get("result"):
            self.state.log_call(entry)
        return body

    async def handle_file(self, request: web.Request) -> web.StreamResponse:
        bot = self.state.bot_for_token(request.match_info["token"])
        stored = self.state.files.by_path(bot.id, request.match_info["file_path"]) if bot else None
        if stored is None:
            return json_response({"ok": False, "error_code": 404, "description": e.NOT_FOUND}, 404)
        return web.Response(body=stored.data, content_type=stored.mime_type or "application/octet-stream")

    # ---------------------------------------------------------------------------------- helpers

    def _chat(self, call: Call, *, for_send: bool = True) -> tuple[Conversation, UserAccount]:
        raw = call.params.raw("chat_id")
        if raw is None or raw == "":
            raise bad_request(e.CHAT_ID_EMPTY)
        text = str(raw).strip()
        user = self.state.users.get(int(text)) if text.lstrip("-").isdigit() else None
        if user is None:
            raise bad_request(e.CHAT_NOT_FOUND)
        conv = self.state.conversations.get((call.bot.id, user.id))
        if conv is None or not conv.started:
            if for_send:
                raise forbidden(e.CANT_INITIATE)
            raise bad_request(e.CHAT_NOT_FOUND)
        return conv, user

    def _admit(self, call: Call, conv: Conversation) -> None:
        """The checks Telegram makes when the message is about to go out: blocked bot, flood limits."""
        if conv.blocked:
            raise forbidden(e.BOT_BLOCKED)
        if call.method.lower() in LIMITED_METHODS:
            self.state.limits.check(call.bot.id, conv.user_id)

    def _parse(self, text: str, parse_mode: str | None, entities: Any) -> tuple[str, list[Any]]:
        """Plain text and entities, or Telegram's error for bad markup.

        Formatted text that mentions no user (`tg://user?id=`, the only part that reads the emulator's state) is a
        function of the text and the parse mode alone: the same report sent to a thousand chats is parsed once
        (the last few results are kept; a text that fails is parsed, and refused, every time)."""
        key = (text, parse_mode) if not entities and "tg://" not in text.lower() else None
        if key is not None and (known := self._parsed.get(key)) is not None:
            self._parsed.move_to_end(key)
            return known[0], [dict(entity) for entity in known[1]]
        try:
            plain, parsed = parse_formatted_text(text, parse_mode, entities, users=self.state.user_json_map())
        except EntityParseError as error:
            raise bad_request(f"can't parse entities: {error}") from None
        except ValueError:
            raise bad_request(e.UNSUPPORTED_PARSE_MODE) from None
        if key is not None:
            self._parsed[key] = (plain, [dict(entity) for entity in parsed])
            while len(self._parsed) > PARSED_KEPT:
                self._parsed.popitem(last=False)
        return plain, parsed

    def _text_content(self, call: Call) -> Formatted:
        text = call.params.text("text")
        if not text:
            raise bad_request(e.TEXT_EMPTY)
        parse_mode = call.params.text("parse_mode")
        plain, entities = self._parse(text, parse_mode, call.params.json("entities"))
        if not plain:
            raise bad_request(e.TEXT_EMPTY)
        if utf16_len(plain) > MAX_TEXT_LENGTH:
            raise bad_request(e.TEXT_TOO_LONG)
        content: dict[str, Any] = {"text": plain}
        if entities:
            content["entities"] = entities
        return Formatted(content, text, parse_mode)

    def _caption(self, caption: str | None, parse_mode: str | None, entities: Any) -> Formatted:
        if not caption:
            return Formatted({})
        plain, parsed = self._parse(caption, parse_mode, entities)
        if utf16_len(plain) > MAX_CAPTION_LENGTH:
            raise bad_request(e.CAPTION_TOO_LONG)
        content: dict[str, Any] = {}
        if plain:
            content["caption"] = plain
            if parsed:
                content["caption_entities"] = parsed
        return Formatted(content, caption, parse_mode)

    def _caption_content(self, call: Call) -> Formatted:
        params = call.params
        return self._caption(params.text("caption"), params.text("parse_mode"), params.json("caption_entities"))

    def _reply_to(self, call: Call, conv: Conversation) -> int | None:
        reply_to = call.params.integer("reply_to_message_id")
        allow_missing = call.params.flag("allow_sending_without_reply")
        parameters = call.params.json("reply_parameters")
        if isinstance(parameters, dict) and parameters.get("message_id") is not None:
            reply_to = int(parameters["message_id"])
            allow_missing = bool(parameters.get("allow_sending_without_reply", allow_missing))
        if reply_to is None:
            return None
        if conv.live_message(reply_to) is None:
            if allow_missing:
                return None
            raise bad_request(e.REPLIED_MESSAGE_NOT_FOUND)
        return reply_to

    def _store_bot_message(
        self,
        call: Call,
        conv: Conversation,
        content: dict[str, Any],
        *,
        markup: dict[str, Any] | None,
        formatted: Formatted | None = None,
        files: list[StoredFile] | None = None,
        reply_to: int | None = None,
        media_group_id: str | None = None,
        forward_origin: dict[str, Any] | None = None,
    ) -> StoredMessage:
        message = StoredMessage(
            message_id=conv.allocate_message_id(),
            from_bot=True,
            date=now(),
            content=content,
            files=list(files or []),
            reply_markup=markup if markup and "inline_keyboard" in markup else None,
            sent_markup=markup,
            source=formatted.source if formatted else None,
            parse_mode=formatted.parse_mode if formatted else None,
            reply_to_message_id=reply_to,
            media_group_id=media_group_id,
            forward_origin=forward_origin,
        )
        conv.messages[message.message_id] = message
        if markup is not None:
            if "keyboard" in markup:
                conv.reply_keyboard, conv.reply_keyboard_hidden = markup, False
            elif "remove_keyboard" in markup:
                conv.reply_keyboard, conv.reply_keyboard_hidden = None, False
            elif "force_reply" in markup:
                conv.force_reply = markup
        self.state.record(conv, "new", message)
        return message

    def _json(self, call: Call, conv: Conversation, message: StoredMessage) -> dict[str, Any]:
        return self.state.message_json(call.bot, conv, message)

    async def _input_files(self, call: Call, reference: UploadedFile | str | None, kind: str) -> list[StoredFile]:
        """Resolve an InputFile (upload, file_id or URL) to stored files; a photo gives its whole size ladder."""
        if reference is None:
            raise bad_request(f"there is no {kind} in the request")
        files = self.state.files
        if isinstance(reference, str):
            if "." in reference or "://" in reference:
                reference = await self._download_url(reference)
            else:
                stored = files.get(reference)
                if stored is None or stored.bot_id != call.bot.id:
                    raise bad_request(e.WRONG_FILE_ID)
                if (kind == "photo") != (stored.kind == "photo"):
                    have = "Photo" if stored.kind == "photo" else stored.kind.capitalize()
                    raise bad_request(f"can't use file of type {have} as {kind.capitalize()}")
                if kind == "photo":
                    return files.photo_family(stored)
                return [stored]
        if not reference.data:
            raise bad_request("file must be non-empty")
        if kind == "photo":
            try:
                renditions = await asyncio.to_thread(photo_renditions, reference.data, strict=True)
            except ImageError as error:
                raise bad_request(str(error)) from None
            return files.add_photo(call.bot.id, renditions)
        name = clean_file_name(reference.filename)
        mime = reference.content_type if reference.content_type not in (None, "application/octet-stream") else None
        return [files.add(call.bot.id, kind, reference.data, file_name=name, mime_type=mime)]

    async def _download_url(self, url: str) -> UploadedFile:
        """Telegram fetches files given by URL itself."""
        if "://" not in url:
            url = "http://" + url
        session = self.state.http
        if session is None:
            raise bad_request(e.HTTP_URL_FAILED)
        try:
            async with session.get(url, timeout=aiohttp.ClientTimeout(total=10)) as response:
                if response.status >= 300:
                    raise bad_request(e.HTTP_URL_FAILED)
                data = await response.content.read(MAX_DOWNLOAD_SIZE + 1)
                if len(data) > MAX_DOWNLOAD_SIZE or not data:
                    raise bad_request(e.HTTP_URL_FAILED)
                name = unquote(urlsplit(url).path.rsplit("/", 1)[-1]) or None
                return UploadedFile(name, response.content_type, data)
        except (aiohttp.ClientError, TimeoutError):
            raise bad_request(e.HTTP_URL_FAILED) from None

    def _edit_target(self, call: Call) -> tuple[Conversation, StoredMessage]:
        if call.params.has("inline_message_id"):
            raise bad_request("MESSAGE_ID_INVALID")
        message_id = call.params.integer("message_id")
        if message_id is None:
            raise bad_request(e.MESSAGE_ID_NOT_SPECIFIED)
        conv, _user = self._chat(call, for_send=False)
        message = conv.live_message(message_id)
        if message is None:
            raise bad_request(e.MESSAGE_TO_EDIT_NOT_FOUND)
        if not message.from_bot:
            raise bad_request(e.MESSAGE_CANT_BE_EDITED)
        return conv, message

    def _apply_edit(
        self, call: Call, conv: Conversation, message: StoredMessage, content: dict[str, Any],
        markup: dict[str, Any] | None, *, formatted: Formatted | None = None,
    ) -> dict[str, Any]:
        """Replace content and inline keyboard, unless nothing changes (Telegram's "not modified").

        `formatted` is the new text/caption as the bot sent it; None keeps the old one (keyboard-only edits).
        """
        if content == message.content and markup == message.reply_markup:
            raise bad_request(e.MESSAGE_NOT_MODIFIED)
        self._admit_edit(call, conv)
        message.edits.append(message.version())
        message.content = content
        message.reply_markup = markup
        message.sent_markup = markup
        if formatted is not None:
            message.source, message.parse_mode = formatted.source, formatted.parse_mode
        message.edit_date = now()
        self.state.record(conv, "edited", message)
        return self._json(call, conv, message)

    def _admit_edit(self, call: Call, conv: Conversation) -> None:
        if call.method.lower() in LIMITED_METHODS:
            self.state.limits.check(call.bot.id, conv.user_id)

    # ------------------------------------------------------------------------ bot and updates

    @method("getMe")
    async def get_me(self, call: Call) -> Any:
        return call.bot.me_json()

    @method("logOut", "close")
    async def log_out(self, call: Call) -> Any:
        return True

    @method("getUpdates")
    async def get_updates(self, call: Call) -> Any:
        bot, params = call.bot, call.params
        if bot.webhook is not None:
            raise BotApiError(409, e.WEBHOOK_CONFLICT)
        offset = params.integer("offset")
        limit = min(max(params.integer("limit") or 100, 1), 100)
        timeout = max(0.0, float(params.number("timeout") or 0))
        allowed = params.json("allowed_updates")
        if isinstance(allowed, list):
            chosen = frozenset(str(kind) for kind in allowed) & frozenset(ALL_UPDATE_TYPES)
            bot.allowed_updates = chosen or None
        if offset is not None:
            if offset < 0:
                del bot.pending[: max(0, len(bot.pending) + offset)]
            else:
                bot.pending[:] = [update for update in bot.pending if update["update_id"] >= offset]
        # A newer getUpdates ends this one, as Telegram does when two instances poll.
        bot.poll_generation += 1
        generation = bot.poll_generation

        def ready() -> bool:
            return bool(bot.pending) or bot.poll_generation != generation or bot.webhook is not None

        await self.state.wait_for(ready, timeout, self.state.updates_changed)
        if bot.poll_generation != generation:
            raise BotApiError(409, e.POLLING_CONFLICT)
        if bot.webhook is not None:
            raise BotApiError(409, e.WEBHOOK_CONFLICT)
        return copy.deepcopy(bot.pending[:limit])

    @method("setWebhook")
    async def set_webhook(self, call: Call) -> Any:
        bot, params = call.bot, call.params
        url = (params.text("url") or "").strip()
        if params.flag("drop_pending_updates"):
            bot.pending.clear()
        allowed = params.json("allowed_updates")
        if isinstance(allowed, list):
            chosen = frozenset(str(kind) for kind in allowed) & frozenset(ALL_UPDATE_TYPES)
            bot.allowed_updates = chosen or None
        if not url:
            if bot.webhook is None:
                return Described(True, "Webhook is already deleted")
            bot.webhook = None
            self.state.updates_changed.notify()
            return Described(True, "Webhook was deleted")
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise bad_request("bad webhook: invalid webhook URL specified")
        secret = params.text("secret_token")
        if secret is not None and (
            not 1 <= len(secret) <= 256 or not all(ch.isascii() and (ch.isalnum() or ch in "_-") for ch in secret)
        ):
            raise bad_request("secret token contains unallowed characters")
        max_connections = params.integer("max_connections") or 40
        if not 1 <= max_connections <= 100:
            raise bad_request("bad webhook: max_connections must be between 1 and 100")
        previous = bot.webhook
        unchanged = (
            previous is not None and previous.url == url and previous.secret_token == secret
            and previous.max_connections == max_connections
        )
        if not unchanged:
            bot.webhook = WebhookConfig(url=url, secret_token=secret, max_connections=max_connections,
                                        ip_address=params.text("ip_address") or "127.0.0.1")
        self.state.updates_changed.notify()
        if self.state.on_webhook_set is not None:
            self.state.on_webhook_set(bot)
        return Described(True, "Webhook is already set" if unchanged else "Webhook was set")

    @method("deleteWebhook")
    async def delete_webhook(self, call: Call) -> Any:
        bot = call.bot
        if call.params.flag("drop_pending_updates"):
            bot.pending.clear()
        if bot.webhook is None:
            return Described(True, "Webhook is already deleted")
        bot.webhook = None
        self.state.updates_changed.notify()
        return Described(True, "Webhook was deleted")

    @method("getWebhookInfo")
    async def get_webhook_info(self, call: Call) -> Any:
        bot = call.bot
        if bot.webhook is None:
            return {"url": "", "has_custom_certificate": False, "pending_update_count": len(bot.pending)}
        return bot.webhook.info(len(bot.pending), bot.allowed_updates)

    # ---------------------------------------------------------------------------------- sending

    @method("sendMessage")
    async def send_message(self, call: Call) -> Any:
        if not call.params.has("chat_id"):
            raise bad_request(e.CHAT_ID_EMPTY)
        text = self._text_content(call)
        markup = parse_reply_markup(call.params.json("reply_markup"))
        conv, _user = self._chat(call)
        reply_to = self._reply_to(call, conv)
        self._admit(call, conv)
        message = self._store_bot_message(
            call, conv, text.content, markup=markup, formatted=text, reply_to=reply_to
        )
        return self._json(call, conv, message)

    @method("sendPhoto", "sendDocument", "sendVideo", "sendAudio", "sendVoice", "sendAnimation", "sendSticker")
    async def send_media(self, call: Call) -> Any:
        field_name, kind = MEDIA_METHODS[call.method.lower()]
        if not call.params.has("chat_id"):
            raise bad_request(e.CHAT_ID_EMPTY)
        caption = self._caption_content(call) if kind != "sticker" else Formatted({})
        markup = parse_reply_markup(call.params.json("reply_markup"))
        reference = call.params.file(field_name)
        if reference is None:
            raise bad_request(f"there is no {field_name} in the request")
        conv, _user = self._chat(call)
        reply_to = self._reply_to(call, conv)
        files = await self._input_files(call, reference, kind)
        self._admit(call, conv)
        content: dict[str, Any] = {}
        if kind == "photo":
            content["photo"] = [stored.photo_size() for stored in files]
        elif kind == "sticker":
            content["sticker"] = {**files[0].as_document(), "type": "regular", "width": 512, "height": 512,
                                  "is_animated": False, "is_video": False}
        else:
            content[kind] = files[0].as_document()
        content.update(caption.content)
        if kind in ("photo", "video", "animation") and call.params.flag("has_spoiler"):
            content["has_media_spoiler"] = True
        if call.params.flag("show_caption_above_media"):
            content["show_caption_above_media"] = True
        message = self._store_bot_message(
            call, conv, content, markup=markup, formatted=caption, files=files, reply_to=reply_to
        )
        return self._json(call, conv, message)

    @method("sendMediaGroup")
    async def send_media_group(self, call: Call) -> Any:
        if not call.params.has("chat_id"):
            raise bad_request(e.CHAT_ID_EMPTY)
        media = call.params.json("media", error="can't parse media JSON object")
        if not media:
            raise bad_request(e.NO_MESSAGES_TO_SEND)
        if not isinstance(media, list):
            raise bad_request("can't parse media JSON object")
        if len(media) > 10:
            raise bad_request(e.TOO_MANY_ALBUM_MESSAGES)
        kinds = []
        for item in media:
            if not isinstance(item, dict):
                raise bad_request("can't parse InputMedia: Object expected")
            kind = item.get("type")
            if kind not in ("photo", "video", "document", "audio"):
                raise bad_request(f'can\'t parse InputMedia: type "{kind}" is unsupported')
            kinds.append(kind)
        if "document" in kinds and set(kinds) != {"document"}:
            raise bad_request(e.DOCUMENT_MIXED)
        if "audio" in kinds and set(kinds) != {"audio"}:
            raise bad_request(e.AUDIO_MIXED)
        default_mode = call.params.text("parse_mode")
        captions = [
            self._caption(item.get("caption"), item.get("parse_mode", default_mode), item.get("caption_entities"))
            for item in media
        ]
        conv, _user = self._chat(call)
        reply_to = self._reply_to(call, conv)
        resolved = []
        for item, kind in zip(media, kinds, strict=True):
            reference = call.params.attachment(item.get("media"))
            if reference is None:
                raise bad_request("can't parse InputMedia: media not found")
            resolved.append(await self._input_files(call, reference, kind))
        self._admit(call, conv)
        group_id = self.state.new_media_group_id() if len(media) > 1 else None
        results = []
        for kind, files, caption in zip(kinds, resolved, captions, strict=True):
            content: dict[str, Any] = (
                {"photo": [stored.photo_size() for stored in files]} if kind == "photo"
                else {kind: files[0].as_document()}
            )
            content.update(caption.content)
            message = self._store_bot_message(
                call, conv, content, markup=None, formatted=caption, files=files, reply_to=reply_to,
                media_group_id=group_id,
            )
            results.append(self._json(call, conv, message))
        return results

    @method("sendLocation")
    async def send_location(self, call: Call) -> Any:
        params = call.params
        if not params.has("chat_id"):
            raise bad_request(e.CHAT_ID_EMPTY)
        latitude, longitude = params.number("latitude"), params.number("longitude")
        if latitude is None or not -90 <= latitude <= 90:
            raise bad_request("wrong latitude specified")
        if longitude is None or not -180 <= longitude <= 180:
            raise bad_request("wrong longitude specified")
        location: dict[str, Any] = {"latitude": latitude, "longitude": longitude}
        for key in ("horizontal_accuracy", "live_period", "heading", "proximity_alert_radius"):
            value = params.number(key)
            if value is not None:
                location[key] = int(value) if key != "horizontal_accuracy" else value
        markup = parse_reply_markup(params.json("reply_markup"))
        conv, _user = self._chat(call)
        reply_to = self._reply_to(call, conv)
        self._admit(call, conv)
        message = self._store_bot_message(
            call, conv, {"location": location}, markup=markup, reply_to=reply_to
        )
        return self._json(call, conv, message)

    @method("sendContact")
    async def send_contact(self, call: Call) -> Any:
        params = call.params
        if not params.has("chat_id"):
            raise bad_request(e.CHAT_ID_EMPTY)
        phone, first_name = params.text("phone_number"), params.text("first_name")
        if not phone:
            raise bad_request("phone_number is empty")
        if not first_name:
            raise bad_request("first_name is empty")
        contact = {"phone_number": phone, "first_name": first_name}
        for key in ("last_name", "vcard"):
            if params.text(key):
                contact[key] = params.text(key) or ""
        markup = parse_reply_markup(params.json("reply_markup"))
        conv, _user = self._chat(call)
        self._admit(call, conv)
        message = self._store_bot_message(call, conv, {"contact": contact}, markup=markup)
        return self._json(call, conv, message)

    @method("sendChatAction")
    async def send_chat_action(self, call: Call) -> Any:
        action = call.params.text("action")
        if not call.params.has("chat_id"):
            raise bad_request(e.CHAT_ID_EMPTY)
        if action not in CHAT_ACTIONS:
            raise bad_request(e.WRONG_CHAT_ACTION)
        conv, _user = self._chat(call)
        if conv.blocked:
            raise forbidden(e.BOT_BLOCKED)
        self.state.record_action(conv, action)
        return True

    @method("copyMessage", "forwardMessage")
    async def copy_message(self, call: Call) -> Any:
        params = call.params
        is_copy = call.method == "copyMessage"
        if not params.has("chat_id"):
            raise bad_request(e.CHAT_ID_EMPTY)
        message_id = params.integer("message_id")
        if message_id is None:
            raise bad_request(e.MESSAGE_ID_NOT_SPECIFIED)
        source_chat = self.state.users.get(params.integer("from_chat_id") or 0)
        source_conv = self.state.conversations.get((call.bot.id, source_chat.id)) if source_chat else None
        if source_conv is None:
            raise bad_request(e.CHAT_NOT_FOUND)
        original = source_conv.live_message(message_id)
        if original is None:
            raise bad_request(e.MESSAGE_TO_COPY_NOT_FOUND if is_copy else e.MESSAGE_TO_FORWARD_NOT_FOUND)
        content = copy.deepcopy(original.content)
        caption: Formatted | None = None
        markup = None
        forward_origin = None
        if is_copy:
            if original.has_caption_slot and (params.has("caption") or params.flag("remove_caption")):
                content.pop("caption", None)
                content.pop("caption_entities", None)
                caption = self._caption_content(call)
                content.update(caption.content)
            markup = parse_reply_markup(params.json("reply_markup"))
        else:
            sender = call.bot.user_json() if original.from_bot else self.state.users[source_conv.user_id].user_json()
            forward_origin = {"type": "user", "sender_user": sender, "date": original.date}
        conv, _user = self._chat(call)
        self._admit(call, conv)
        message = self._store_bot_message(
            call, conv, content, markup=markup, formatted=caption, files=original.files,
            forward_origin=forward_origin,
        )
        return {"message_id": message.message_id} if is_copy else self._json(call, conv, message)

    # ---------------------------------------------------------------------------------- editing

    @method("editMessageText")
    async def edit_message_text(self, call: Call) -> Any:
        text = self._text_content(call)
        markup = parse_inline_markup(call.params.json("reply_markup"))
        conv, message = self._edit_target(call)
        if "text" not in message.content:
            raise bad_request(e.NO_TEXT_TO_EDIT)
        return self._apply_edit(call, conv, message, text.content, markup, formatted=text)

    @method("editMessageCaption")
    async def edit_message_caption(self, call: Call) -> Any:
        caption = self._caption_content(call)
        markup = parse_inline_markup(call.params.json("reply_markup"))
        conv, message = self._edit_target(call)
        if not message.has_caption_slot:
            raise bad_request(e.NO_CAPTION_TO_EDIT)
        content = {k: v for k, v in message.content.items() if k not in ("caption", "caption_entities")}
        content.update(caption.content)
        return self._apply_edit(call, conv, message, content, markup, formatted=caption)

    @method("editMessageReplyMarkup")
    async def edit_message_reply_markup(self, call: Call) -> Any:
        markup = parse_inline_markup(call.params.json("reply_markup"))
        conv, message = self._edit_target(call)
        return self._apply_edit(call, conv, message, message.content, markup)

    @method("editMessageLiveLocation", "stopMessageLiveLocation")
    async def edit_live_location(self, call: Call) -> Any:
        markup = parse_inline_markup(call.params.json("reply_markup"))
        conv, message = self._edit_target(call)
        location = message.content.get("location")
        if not location or not location.get("live_period"):
            raise bad_request(e.MESSAGE_CANT_BE_EDITED)
        new_location = dict(location)
        if call.method == "editMessageLiveLocation":
            latitude, longitude = call.params.number("latitude"), call.params.number("longitude")
            if latitude is None or longitude is None:
                raise bad_request("wrong latitude specified" if latitude is None else "wrong longitude specified")
            new_location.update(latitude=latitude, longitude=longitude)
        else:
            new_location.pop("live_period", None)
        content = {**message.content, "location": new_location}
        return self._apply_edit(call, conv, message, content, markup)

    @method("deleteMessage")
    async def delete_message(self, call: Call) -> Any:
        message_id = call.params.integer("message_id")
        if message_id is None:
            raise bad_request(e.MESSAGE_ID_NOT_SPECIFIED)
        conv, _user = self._chat(call, for_send=False)
        message = conv.live_message(message_id)
        if message is None:
            raise bad_request(e.MESSAGE_TO_DELETE_NOT_FOUND)
        if now() - message.date > DELETE_WINDOW_SECONDS:
            raise bad_request("message can't be deleted for everyone")
        self._delete(conv, message)
        return True

    @method("deleteMessages")
    async def delete_messages(self, call: Call) -> Any:
        ids = call.params.json("message_ids")
        if not isinstance(ids, list) or not 1 <= len(ids) <= 100:
            raise bad_request("message_ids must be a non-empty Array of at most 100 message identifiers")
        conv, _user = self._chat(call, for_send=False)
        for message_id in ids:
            message = conv.live_message(int(message_id)) if str(message_id).isdigit() else None
            if message is not None:
                self._delete(conv, message)
        return True

    def _delete(self, conv: Conversation, message: StoredMessage) -> None:
        message.deleted = True
        self.state.record(conv, "deleted", message)

    # ---------------------------------------------------------------------------------- queries

    @method("answerCallbackQuery")
    async def answer_callback_query(self, call: Call) -> Any:
        query_id = call.params.text("callback_query_id") or ""
        query = self.state.queries.get(query_id)
        ttl = self.state.settings.callback_query_ttl
        expired = query is not None and ttl is not None and time.monotonic() - query.created > ttl
        if query is None or query.bot_id != call.bot.id or query.answer.done() or expired:
            raise bad_request(e.QUERY_TOO_OLD)
        answer = {
            "text": call.params.text("text"),
            "show_alert": call.params.flag("show_alert"),
            "url": call.params.text("url"),
            "cache_time": call.params.integer("cache_time") or 0,
        }
        query.answer.set_result(answer)
        del self.state.queries[query_id]
        return True

    @method("answerInlineQuery")
    async def answer_inline_query(self, call: Call) -> Any:
        query_id = call.params.text("inline_query_id") or ""
        query = self.state.queries.get(query_id)
        if query is None or query.bot_id != call.bot.id or query.answer.done():
            raise bad_request(e.QUERY_TOO_OLD)
        results = call.params.json("results")
        if not isinstance(results, list):
            raise bad_request("can't parse results JSON object")
        if len(results) > 50:
            raise bad_request("RESULTS_TOO_MUCH")
        query.answer.set_result({
            "results": results,
            "cache_time": call.params.integer("cache_time"),
            "is_personal": call.params.flag("is_personal"),
            "next_offset": call.params.text("next_offset"),
            "button": call.params.json("button"),
        })
        del self.state.queries[query_id]
        return True

    # ------------------------------------------------------------------------------------ files

    @method("getFile")
    async def get_file(self, call: Call) -> Any:
        file_id = call.params.text("file_id") or ""
        stored = self.state.files.get(file_id)
        if stored is None or stored.bot_id != call.bot.id:
            raise bad_request(e.INVALID_FILE_ID)
        if stored.file_size > MAX_DOWNLOAD_SIZE:
            raise bad_request(e.FILE_TOO_BIG)
        return stored.as_file()

    # --------------------------------------------------------------------------------- commands

    def _commands_key(self, call: Call) -> tuple[str, str]:
        scope = call.params.json("scope")
        if scope is not None and not isinstance(scope, dict):
            raise bad_request("can't parse BotCommandScope JSON object")
        language = call.params.text("language_code") or ""
        if language and (len(language) != 2 or not language.isalpha()):
            raise bad_request("invalid language code specified")
        return scope_key(scope), language

    @method("setMyCommands")
    async def set_my_commands(self, call: Call) -> Any:
        commands = call.params.json("commands", error="can't parse commands JSON object")
        if not isinstance(commands, list):
            raise bad_request("can't parse commands JSON object")
        if len(commands) > 100:
            raise bad_request("too many commands specified")
        parsed = []
        for item in commands:
            if not isinstance(item, dict):
                raise bad_request("can't parse BotCommand: Object expected")
            command = str(item.get("command", "")).removeprefix("/")
            description = str(item.get("description", ""))
            if not 1 <= len(command) <= 32 or not all(
                ch.isascii() and (ch.islower() or ch.isdigit() or ch == "_") for ch in command
            ):
                raise bad_request(e.BOT_COMMAND_INVALID)
            if not 1 <= len(description) <= 256:
                raise bad_request(e.BOT_COMMAND_DESCRIPTION_INVALID)
            parsed.append({"command": command, "description": description})
        key = self._commands_key(call)
        if parsed:
            call.bot.commands[key] = parsed
        else:
            call.bot.commands.pop(key, None)
        return True

    @method("getMyCommands")
    async def get_my_commands(self, call: Call) -> Any:
        return copy.deepcopy(call.bot.commands.get(self._commands_key(call), []))

    @method("deleteMyCommands")
    async def delete_my_commands(self, call: Call) -> Any:
        call.bot.commands.pop(self._commands_key(call), None)
        return True

    # ------------------------------------------------------------------------ chats and profile

    @method("getChat")
    async def get_chat(self, call: Call) -> Any:
        _conv, user = self._chat(call, for_send=False)
        return {
            **user.chat_json(),
            "accent_color_id": user.id % 7,
            "max_reaction_count": 11,
            "accepted_gift_types": {"unlimited_gifts": True, "limited_gifts": True, "unique_gifts": True,
                                    "premium_subscription": True, "gifts_from_channels": True},
        }

    @method("getChatMember")
    async def get_chat_member(self, call: Call) -> Any:
        _conv, user = self._chat(call, for_send=False)
        member_id = call.params.integer("user_id")
        if member_id == call.bot.id:
            return {"status": "member", "user": call.bot.user_json()}
        if member_id != user.id:
            raise bad_request("user not found")
        return {"status": "member", "user": user.user_json()}

    @method("getUserProfilePhotos")
    async def get_user_profile_photos(self, call: Call) -> Any:
        return {"total_count": 0, "photos": []}

    @method("setMyDescription", "setMyShortDescription", "setMyName")
    async def set_my_text(self, call: Call) -> Any:
        field_name = {"setMyDescription": "description", "setMyShortDescription": "short_description",
                      "setMyName": "name"}[call.method]
        language = call.params.text("language_code") or ""
        value = call.params.text(field_name) or ""
        call.bot.descriptions[f"{field_name}:{language}"] = value
        if field_name == "name" and not language and value:
            call.bot.first_name = value
        return True

    @method("getMyDescription", "getMyShortDescription", "getMyName")
    async def get_my_text(self, call: Call) -> Any:
        field_name = {"getMyDescription": "description", "getMyShortDescription": "short_description",
                      "getMyName": "name"}[call.method]
        language = call.params.text("language_code") or ""
        default = call.bot.first_name if field_name == "name" else ""
        return {field_name: call.bot.descriptions.get(f"{field_name}:{language}", default)}

    @method("setChatMenuButton")
    async def set_chat_menu_button(self, call: Call) -> Any:
        button = call.params.json("menu_button")
        call.bot.menu_button = button if isinstance(button, dict) else {"type": "default"}
        return True

    @method("getChatMenuButton")
    async def get_chat_menu_button(self, call: Call) -> Any:
        return call.bot.menu_button

    @method("pinChatMessage", "unpinChatMessage", "unpinAllChatMessages", "setMessageReaction",
            "setMyDefaultAdministratorRights")
    async def accepted_no_op(self, call: Call) -> Any:
        if call.params.has("chat_id"):
            self._chat(call, for_send=False)
        return True

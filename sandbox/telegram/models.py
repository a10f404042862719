"""The emulator's records: bots, users, conversations, messages, and their JSON shapes.

Two shapes per message: `to_telegram()` is the Bot API Message object (what a bot receives and what send
methods return); `to_view()` is the control API's richer view (original HTML, edit history, file URLs).
"""

from __future__ import annotations

import copy
import time
from dataclasses import dataclass, field
from typing import Any

from .media import StoredFile

ALL_UPDATE_TYPES = (
    "message", "edited_message", "channel_post", "edited_channel_post", "business_connection",
    "business_message", "edited_business_message", "deleted_business_messages", "message_reaction",
    "message_reaction_count", "inline_query", "chosen_inline_result", "callback_query", "shipping_query",
    "pre_checkout_query", "purchased_paid_media", "poll", "poll_answer", "my_chat_member", "chat_member",
    "chat_join_request", "chat_boost", "removed_chat_boost",
)
# What Telegram delivers when allowed_updates was never set (or set to []).
DEFAULT_ALLOWED_UPDATES = frozenset(ALL_UPDATE_TYPES) - {"chat_member", "message_reaction", "message_reaction_count"}

# Media keys a message can carry; their StoredFiles get download URLs in the control view.
MEDIA_KEYS = ("photo", "document", "video", "audio", "voice", "animation", "sticker")


def now() -> int:
    return int(time.time())


@dataclass
class WebhookConfig:
    url: str
    secret_token: str | None = None
    max_connections: int = 40
    ip_address: str | None = None
    last_error_date: int | None = None
    last_error_message: str | None = None

    def info(self, pending: int, allowed_updates: frozenset[str] | None) -> dict[str, Any]:
        result: dict[str, Any] = {
            "url": self.url,
            "has_custom_certificate": False,
            "pending_update_count": pending,
            "max_connections": self.max_connections,
        }
        if self.ip_address:
            result["ip_address"] = self.ip_address
        if self.last_error_date is not None:
            result["last_error_date"] = self.last_error_date
            result["last_error_message"] = self.last_error_message
        if allowed_updates is not None:
            result["allowed_updates"] = sorted(allowed_updates)
        return result


@dataclass
class BotAccount:
    id: int
    token: str
    first_name: str = "Smart Savdo"
    username: str = ""
    pending: list[dict[str, Any]] = field(default_factory=list)
    next_update_id: int = 1
    # None = Telegram's default set; kept apart so getWebhookInfo can tell "never set" from "set".
    allowed_updates: frozenset[str] | None = None
    webhook: WebhookConfig | None = None
    poll_generation: int = 0
    commands: dict[tuple[str, str], list[dict[str, Any]]] = field(default_factory=dict)
    descriptions: dict[str, str] = field(default_factory=dict)
    menu_button: dict[str, Any] = field(default_factory=lambda: {"type": "default"})
    last_seen: float = 0.0

    def __post_init__(self) -> None:
        if not self.username:
            self.username = f"smartsavdo_{self.id}_bot"

    @property
    def effective_allowed_updates(self) -> frozenset[str]:
        return self.allowed_updates or DEFAULT_ALLOWED_UPDATES

    def user_json(self) -> dict[str, Any]:
        return {"id": self.id, "is_bot": True, "first_name": self.first_name, "username": self.username}

    def me_json(self) -> dict[str, Any]:
        return {
            **self.user_json(),
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": True,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    def view(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "username": self.username,
            "first_name": self.first_name,
            "mode": "webhook" if self.webhook else "polling",
            "webhook_url": self.webhook.url if self.webhook else None,
            "pending_update_count": len(self.pending),
            "allowed_updates": sorted(self.allowed_updates) if self.allowed_updates else None,
        }


@dataclass
class UserAccount:
    id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = None
    phone_number: str | None = None
    is_premium: bool = False

    def user_json(self) -> dict[str, Any]:
        result: dict[str, Any] = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        if self.last_name:
            result["last_name"] = self.last_name
        if self.username:
            result["username"] = self.username
        if self.language_code:
            result["language_code"] = self.language_code
        if self.is_premium:
            result["is_premium"] = True
        return result

    def chat_json(self) -> dict[str, Any]:
        result: dict[str, Any] = {"id": self.id, "first_name": self.first_name}
        if self.last_name:
            result["last_name"] = self.last_name
        if self.username:
            result["username"] = self.username
        result["type"] = "private"
        return result

    def view(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "first_name": self.first_name,
            "last_name": self.last_name,
            "username": self.username,
            "language_code": self.language_code,
            "phone_number": self.phone_number,
        }


@dataclass
class StoredMessage:
    message_id: int
    from_bot: bool
    date: int
    # Telegram content fields exactly as returned: text/entities, caption/caption_entities, photo, document,
    # location, contact, ... Compared as a whole for "message is not modified".
    content: dict[str, Any]
    files: list[StoredFile] = field(default_factory=list)
    reply_markup: dict[str, Any] | None = None  # inline keyboard only, as Telegram returns it
    sent_markup: dict[str, Any] | None = None  # whatever markup was sent (reply keyboards too), for the view
    source: str | None = None  # the text/caption as the bot sent it, before parse_mode
    parse_mode: str | None = None
    reply_to_message_id: int | None = None
    media_group_id: str | None = None
    forward_origin: dict[str, Any] | None = None
    edit_date: int | None = None
    edits: list[dict[str, Any]] = field(default_factory=list)
    deleted: bool = False
    event_seq: int = 0

    @property
    def has_caption_slot(self) -> bool:
        return any(key in self.content for key in MEDIA_KEYS)

    def to_telegram(
        self, *, sender: dict[str, Any], chat: dict[str, Any], reply_to: StoredMessage | None = None,
        reply_sender: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        message: dict[str, Any] = {"message_id": self.message_id, "from": sender, "chat": chat, "date": self.date}
        if self.forward_origin:
            message["forward_origin"] = self.forward_origin
        if reply_to is not None and not reply_to.deleted and reply_sender is not None:
            message["reply_to_message"] = reply_to.to_telegram(sender=reply_sender, chat=chat)
        if self.edit_date is not None:
            message["edit_date"] = self.edit_date
        if self.media_group_id:
            message["media_group_id"] = self.media_group_id
        message.update(copy.deepcopy(self.content))
        if self.reply_markup:
            message["reply_markup"] = copy.deepcopy(self.reply_markup)
        return message

    def version(self) -> dict[str, Any]:
        """The editable part, kept in `edits` when the message changes."""
        version: dict[str, Any] = {"date": self.edit_date or self.date}
        if self.has_caption_slot:
            version["caption"] = self.content.get("caption")
            version["caption_entities"] = copy.deepcopy(self.content.get("caption_entities", []))
        elif "text" in self.content:
            version["text"] = self.content["text"]
            version["entities"] = copy.deepcopy(self.content.get("entities", []))
        if "location" in self.content:
            version["location"] = copy.deepcopy(self.content["location"])
        version["html"] = self.source if self.parse_mode and self.parse_mode.lower() == "html" else None
        version["reply_markup"] = copy.deepcopy(self.reply_markup)
        return version

    def to_view(self) -> dict[str, Any]:
        view: dict[str, Any] = {
            "message_id": self.message_id,
            "event_seq": self.event_seq,
            "from_bot": self.from_bot,
            "date": self.date,
        }
        if "text" in self.content:
            view["text"] = self.content["text"]
            view["entities"] = copy.deepcopy(self.content.get("entities", []))
        if self.has_caption_slot:
            view["caption"] = self.content.get("caption")
            view["caption_entities"] = copy.deepcopy(self.content.get("caption_entities", []))
        view["html"] = self.source if self.parse_mode and self.parse_mode.lower() == "html" else None
        view["parse_mode"] = self.parse_mode
        view["reply_markup"] = copy.deepcopy(self.sent_markup if self.sent_markup else self.reply_markup)
        by_id = {stored.file_id: stored for stored in self.files}
        for key in MEDIA_KEYS:
            if key not in self.content:
                continue
            item = self.content[key][-1] if key == "photo" else self.content[key]
            stored = by_id.get(item["file_id"])
            media = dict(item)
            media["url"] = f"/_sandbox/files/{item['file_id']}"
            if stored is not None:
                media.setdefault("file_name", stored.file_name)
                media.setdefault("mime_type", stored.mime_type or ("image/jpeg" if key == "photo" else None))
            if key == "photo":
                media["sizes"] = copy.deepcopy(self.content[key])
            view[key] = media
        for key in ("location", "contact", "venue"):
            if key in self.content:
                view[key] = copy.deepcopy(self.content[key])
        view["media_group_id"] = self.media_group_id
        view["reply_to_message_id"] = self.reply_to_message_id
        view["forward_origin"] = copy.deepcopy(self.forward_origin)
        view["edited"] = self.edit_date is not None
        view["edit_date"] = self.edit_date
        view["edits"] = list(self.edits)
        view["deleted"] = self.deleted
        return view


@dataclass
class ChatEvent:
    """One change in a chat; `snapshot` is the message view right after it (or the chat action)."""

    seq: int
    kind: str  # "new" | "edited" | "deleted" | "action"
    from_bot: bool
    message_id: int | None
    snapshot: dict[str, Any]
    ts: float = field(default_factory=time.time)

    def to_json(self) -> dict[str, Any]:
        return {**self.snapshot, "event": self.kind, "event_seq": self.seq}


@dataclass
class Conversation:
    """The private chat between one bot and one user (chat id = user id)."""

    bot_id: int
    user_id: int
    messages: dict[int, StoredMessage] = field(default_factory=dict)
    next_message_id: int = 1
    started: bool = False  # the user has written to the bot, so the bot may write back
    blocked: bool = False
    reply_keyboard: dict[str, Any] | None = None
    reply_keyboard_hidden: bool = False
    force_reply: dict[str, Any] | None = None
    chat_actions: list[dict[str, Any]] = field(default_factory=list)
    events: list[ChatEvent] = field(default_factory=list)

    def allocate_message_id(self) -> int:
        message_id = self.next_message_id
        self.next_message_id += 1
        return message_id

    def live_message(self, message_id: int) -> StoredMessage | None:
        message = self.messages.get(message_id)
        return None if message is None or message.deleted else message

    @property
    def last_seq(self) -> int:
        return self.events[-1].seq if self.events else 0

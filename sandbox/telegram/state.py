"""Everything the emulator knows, and what users do: the model behind both the Bot API and the control API."""

from __future__ import annotations

import asyncio
import bisect
import collections
import contextlib
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp

from .entities import find_auto_entities
from .limits import Faults, RateLimits
from .markup import inline_buttons
from .media import FileStore, StoredFile
from .models import BotAccount, ChatEvent, Conversation, StoredMessage, UserAccount, now

FIRST_USER_ID = 100001
TOKEN_PATTERN = re.compile(r"^(\d{1,15}):([A-Za-z0-9_-]{1,128})$")
CALL_LOG_SIZE = 10_000
CHAT_ACTION_LOG_SIZE = 200


class ControlError(Exception):
    """A control API request that cannot be served; answered as {"error": message} with `status`."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


class Notifier:
    """Wakes every waiter when something changes; waiters re-check their condition."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def notify(self) -> None:
        self._event.set()
        self._event = asyncio.Event()

    async def wait(self, seconds: float) -> None:
        event = self._event  # taken before yielding, so a notify() after the caller's check is never missed
        if seconds <= 0:
            return
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(event.wait(), seconds)


@dataclass
class PendingQuery:
    """A callback or inline query waiting for the bot's answer."""

    id: str
    bot_id: int
    user_id: int
    created: float
    answer: asyncio.Future[dict[str, Any]]
    message_id: int | None = None


@dataclass
class Settings:
    # Telegram stops accepting answerCallbackQuery after a while; bots that do slow work first get
    # "query is too old". None disables the expiry.
    callback_query_ttl: float | None = 15.0
    webhook_retry_initial: float = 0.5
    webhook_retry_max: float = 10.0
    webhook_timeout: float = 60.0
    # How long a control request waits for the first bot to connect before answering 409.
    bot_wait: float = 5.0

    def view(self) -> dict[str, Any]:
        return {
            "bot_wait": self.bot_wait,
            "callback_query_ttl": self.callback_query_ttl,
            "webhook_retry_initial": self.webhook_retry_initial,
            "webhook_retry_max": self.webhook_retry_max,
            "webhook_timeout": self.webhook_timeout,
        }


@dataclass
class EmulatorState:
    settings: Settings = field(default_factory=Settings)
    bots: dict[int, BotAccount] = field(default_factory=dict)
    users: dict[int, UserAccount] = field(default_factory=dict)
    conversations: dict[tuple[int, int], Conversation] = field(default_factory=dict)
    files: FileStore = field(default_factory=FileStore)
    limits: RateLimits = field(default_factory=RateLimits)
    faults: Faults = field(default_factory=Faults)
    calls: collections.deque[dict[str, Any]] = field(default_factory=lambda: collections.deque(maxlen=CALL_LOG_SIZE))
    queries: dict[str, PendingQuery] = field(default_factory=dict)
    seq: int = 0
    call_seq: int = 0
    next_user_id: int = FIRST_USER_ID
    default_bot_id: int | None = None
    closing: bool = False
    http: aiohttp.ClientSession | None = None
    # Set by the server: starts webhook delivery for a bot whose webhook was just set.
    on_webhook_set: Callable[[BotAccount], None] | None = None
    chat_changed: Notifier = field(default_factory=Notifier)
    updates_changed: Notifier = field(default_factory=Notifier)
    bots_changed: Notifier = field(default_factory=Notifier)
    _query_counter: int = 0
    _media_group_counter: int = 0

    # ------------------------------------------------------------------------------------- bots

    def bot_for_token(self, token: str, *, touch: bool = False) -> BotAccount | None:
        """The bot a token names (any `<digits>:<secret>` is a bot), or None for a malformed token."""
        match = TOKEN_PATTERN.match(token)
        if not match:
            return None
        bot_id = int(match.group(1))
        bot = self.bots.get(bot_id)
        if bot is None:
            bot = self.bots[bot_id] = BotAccount(id=bot_id, token=token)
            self.bots_changed.notify()
        if touch:
            bot.last_seen = time.time()
            self.default_bot_id = bot_id
        return bot

    def register_bot(self, token: str) -> BotAccount:
        bot = self.bot_for_token(token, touch=True)
        if bot is None:
            raise ControlError(400, "token must look like <digits>:<secret>")
        return bot

    def resolve_bot(self, bot_id: Any = None) -> BotAccount:
        if bot_id is not None:
            if not isinstance(bot_id, int) and not (isinstance(bot_id, str) and bot_id.isdigit()):
                raise ControlError(400, "bot_id must be an integer")
            bot = self.bots.get(int(bot_id))
            if bot is None:
                raise ControlError(404, f"unknown bot {bot_id}")
            return bot
        if self.default_bot_id is not None and self.default_bot_id in self.bots:
            return self.bots[self.default_bot_id]
        if len(self.bots) == 1:
            return next(iter(self.bots.values()))
        raise ControlError(
            409, "no bot is connected yet: start the bot (getMe/getUpdates/setWebhook) or POST /_sandbox/bots"
        )

    # ------------------------------------------------------------------------------------ users

    def create_user(
        self,
        first_name: str,
        *,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = None,
        phone_number: str | None = None,
    ) -> UserAccount:
        user = UserAccount(
            id=self.next_user_id, first_name=first_name, last_name=last_name, username=username,
            language_code=language_code, phone_number=phone_number,
        )
        self.users[user.id] = user
        self.next_user_id += 1
        return user

    def get_user(self, user_id: Any) -> UserAccount:
        try:
            key = int(user_id)
        except (TypeError, ValueError):
            raise ControlError(400, f"user id must be an integer, got {user_id!r}") from None
        user = self.users.get(key)
        if user is None:
            raise ControlError(404, f"unknown user {user_id}")
        return user

    def conversation(self, bot_id: int, user_id: int) -> Conversation:
        key = (bot_id, user_id)
        conv = self.conversations.get(key)
        if conv is None:
            conv = self.conversations[key] = Conversation(bot_id=bot_id, user_id=user_id)
        return conv

    def user_json_map(self) -> dict[int, dict[str, Any]]:
        return _UserJsonLookup(self.users)

    # ----------------------------------------------------------------------------------- events

    def record(self, conv: Conversation, kind: str, message: StoredMessage) -> ChatEvent:
        self.seq += 1
        message.event_seq = self.seq
        event = ChatEvent(self.seq, kind, message.from_bot, message.message_id, message.to_view())
        conv.events.append(event)
        self.chat_changed.notify()
        return event

    def record_action(self, conv: Conversation, action: str) -> None:
        self.seq += 1
        entry = {"action": action, "ts": time.time()}
        conv.chat_actions.append(entry)
        del conv.chat_actions[:-CHAT_ACTION_LOG_SIZE]
        conv.events.append(ChatEvent(self.seq, "action", True, None, dict(entry)))
        self.chat_changed.notify()

    def events_after(self, conv: Conversation, after_seq: int) -> list[ChatEvent]:
        start = bisect.bisect_right(conv.events, after_seq, key=lambda event: event.seq)
        return conv.events[start:]

    async def wait_for(self, predicate: Callable[[], Any], seconds: float, notifier: Notifier) -> Any:
        """Poll `predicate` on every change until it returns something truthy or `seconds` pass."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        while True:
            result = predicate()
            if result or self.closing:
                return result
            remaining = deadline - loop.time()
            if remaining <= 0:
                return result
            await notifier.wait(remaining)

    # ---------------------------------------------------------------------------------- updates

    def enqueue(self, bot: BotAccount, update_type: str, payload: dict[str, Any]) -> int | None:
        """Queue an update for the bot; None when its allowed_updates filter it out (as Telegram drops them)."""
        if update_type not in bot.effective_allowed_updates:
            return None
        update_id = bot.next_update_id
        bot.next_update_id += 1
        bot.pending.append({"update_id": update_id, update_type: payload})
        self.updates_changed.notify()
        return update_id

    # --------------------------------------------------------------------------------- messages

    def message_json(self, bot: BotAccount, conv: Conversation, message: StoredMessage) -> dict[str, Any]:
        """The Bot API Message object for a stored message."""
        user = self.users[conv.user_id]
        sender = bot.user_json() if message.from_bot else user.user_json()
        reply_to = conv.messages.get(message.reply_to_message_id) if message.reply_to_message_id else None
        reply_sender = None
        if reply_to is not None:
            reply_sender = bot.user_json() if reply_to.from_bot else user.user_json()
        return message.to_telegram(sender=sender, chat=user.chat_json(), reply_to=reply_to, reply_sender=reply_sender)

    def new_media_group_id(self) -> str:
        self._media_group_counter += 1
        return str(13_000_000_000_000_000 + self._media_group_counter)

    def new_query_id(self, user_id: int) -> str:
        self._query_counter += 1
        return str(user_id * 10_000_000 + self._query_counter)

    # ------------------------------------------------------------------------------ user actions

    def _writable_conversation(self, bot: BotAccount, user: UserAccount) -> Conversation:
        conv = self.conversation(bot.id, user.id)
        if conv.blocked:
            raise ControlError(409, f"user {user.id} has blocked the bot; POST /_sandbox/users/{user.id}/unblock first")
        return conv

    def user_message(
        self,
        bot: BotAccount,
        user: UserAccount,
        content: dict[str, Any],
        *,
        files: list[StoredFile] | None = None,
        media_group_id: str | None = None,
        reply_to_message_id: int | None = None,
    ) -> tuple[StoredMessage, int | None]:
        """The user sends a message to the bot: store it, show it in the chat, and queue the update."""
        conv = self._writable_conversation(bot, user)
        if reply_to_message_id is not None and conv.live_message(reply_to_message_id) is None:
            raise ControlError(400, f"no message {reply_to_message_id} to reply to")
        if "text" in content and "entities" not in content:
            entities = find_auto_entities(content["text"])
            if entities:
                content["entities"] = entities
        conv.started = True
        message = StoredMessage(
            message_id=conv.allocate_message_id(), from_bot=False, date=now(), content=content,
            files=list(files or []), media_group_id=media_group_id, reply_to_message_id=reply_to_message_id,
        )
        conv.messages[message.message_id] = message
        if conv.reply_keyboard and conv.reply_keyboard.get("one_time_keyboard"):
            conv.reply_keyboard_hidden = True
        conv.force_reply = None
        self.record(conv, "new", message)
        update_id = self.enqueue(bot, "message", self.message_json(bot, conv, message))
        return message, update_id

    def user_edit(
        self, bot: BotAccount, user: UserAccount, message_id: int, content_changes: dict[str, Any]
    ) -> tuple[StoredMessage, int | None]:
        """The user edits one of their messages (text, caption, or a live location moving)."""
        conv = self._writable_conversation(bot, user)
        message = conv.live_message(message_id)
        if message is None or message.from_bot:
            raise ControlError(400, f"message {message_id} is not a message of user {user.id}")
        if "text" in content_changes and "text" not in message.content:
            raise ControlError(400, f"message {message_id} has no text to edit")
        if "location" in content_changes and "location" not in message.content:
            raise ControlError(400, f"message {message_id} is not a location")
        message.edits.append(message.version())
        content = dict(message.content)
        content.update(content_changes)
        if "text" in content_changes:
            content.pop("entities", None)
            entities = find_auto_entities(content["text"])
            if entities:
                content["entities"] = entities
        message.content = content
        message.edit_date = now()
        self.record(conv, "edited", message)
        update_id = self.enqueue(bot, "edited_message", self.message_json(bot, conv, message))
        return message, update_id

    def find_button(
        self, conv: Conversation, message_id: int | None, text: str | None, data: str | None
    ) -> tuple[StoredMessage, dict[str, Any]]:
        """The inline button a user means: on a given message, or on the newest bot message that has it."""
        def matches(button: dict[str, Any]) -> bool:
            if data is not None:
                return button.get("callback_data") == data
            return button.get("text") == text or button.get("text", "").strip() == (text or "").strip()

        if message_id is not None:
            message = conv.live_message(message_id)
            if message is None:
                raise ControlError(400, f"no message {message_id} in chat {conv.user_id}")
            if not message.from_bot:
                raise ControlError(400, f"message {message_id} was sent by the user, not the bot")
            candidates = [message]
        else:
            candidates = [m for m in reversed(conv.messages.values()) if m.from_bot and not m.deleted]
        for message in candidates:
            for button in inline_buttons(message.reply_markup):
                if matches(button):
                    return message, button
        wanted = f"data {data!r}" if data is not None else f"text {text!r}"
        if message_id is not None:
            available = [b.get("text") for b in inline_buttons(candidates[0].reply_markup)]
            raise ControlError(400, f"message {message_id} has no inline button with {wanted}; buttons: {available}")
        raise ControlError(400, f"no bot message in chat {conv.user_id} has an inline button with {wanted}")

    def press_button(
        self, bot: BotAccount, user: UserAccount, message_id: int | None, text: str | None, data: str | None,
        *, forge: bool = False,
    ) -> tuple[PendingQuery, int | None, StoredMessage]:
        conv = self._writable_conversation(bot, user)
        if forge:
            # A modified client can send any callback data for a bot message; Telegram passes it on unchecked.
            forged = conv.messages.get(message_id) if message_id is not None else None
            if forged is None or not forged.from_bot or data is None:
                raise ControlError(400, "a forged press needs data and the message_id of a bot message in this chat")
            message, button = forged, {"text": "", "callback_data": data}
        else:
            message, button = self.find_button(conv, message_id, text, data)
        if "callback_data" not in button:
            kind = next((k for k in button if k != "text"), "unknown")
            raise ControlError(400, f"button {button['text']!r} is a {kind} button, not a callback button")
        query = self._new_query(bot, user, message.message_id)
        payload = {
            "id": query.id,
            "from": user.user_json(),
            "message": self.message_json(bot, conv, message),
            "chat_instance": str((bot.id * 7_919 + user.id * 104_729) % 10**19),
            "data": button["callback_data"],
        }
        update_id = self.enqueue(bot, "callback_query", payload)
        if update_id is None:
            self.queries.pop(query.id, None)
        return query, update_id, message

    def inline_query(
        self, bot: BotAccount, user: UserAccount, query_text: str, offset: str = ""
    ) -> tuple[PendingQuery, int | None]:
        query = self._new_query(bot, user, None)
        payload = {"id": query.id, "from": user.user_json(), "query": query_text, "offset": offset,
                   "chat_type": "sender"}
        update_id = self.enqueue(bot, "inline_query", payload)
        if update_id is None:
            self.queries.pop(query.id, None)
        return query, update_id

    def _new_query(self, bot: BotAccount, user: UserAccount, message_id: int | None) -> PendingQuery:
        query = PendingQuery(
            id=self.new_query_id(user.id), bot_id=bot.id, user_id=user.id, created=time.monotonic(),
            answer=asyncio.get_running_loop().create_future(), message_id=message_id,
        )
        self.queries[query.id] = query
        return query

    def set_blocked(self, bot: BotAccount, user: UserAccount, blocked: bool) -> int | None:
        """Block or unblock the bot; Telegram tells the bot with a my_chat_member update."""
        conv = self.conversation(bot.id, user.id)
        if conv.blocked == blocked:
            return None
        conv.blocked = blocked
        old_status, new_status = ("member", "kicked") if blocked else ("kicked", "member")
        old_member: dict[str, Any] = {"user": bot.user_json(), "status": old_status}
        new_member: dict[str, Any] = {"user": bot.user_json(), "status": new_status}
        if blocked:
            new_member["until_date"] = 0
        else:
            old_member["until_date"] = 0
        payload = {
            "chat": user.chat_json(), "from": user.user_json(), "date": now(),
            "old_chat_member": old_member, "new_chat_member": new_member,
        }
        return self.enqueue(bot, "my_chat_member", payload)

    def resolve_commands(self, bot: BotAccount, user: UserAccount) -> list[dict[str, Any]]:
        """The command menu a user sees: the most specific scope, then the user's language, wins."""
        scopes = [
            scope_key({"type": "chat", "chat_id": user.id}),
            scope_key({"type": "all_private_chats"}),
            scope_key({"type": "default"}),
        ]
        languages = [user.language_code or "", ""] if user.language_code else [""]
        for scope in scopes:
            for language in languages:
                commands = bot.commands.get((scope, language))
                if commands:
                    return commands
        return []

    # ------------------------------------------------------------------------------------ views

    def chat_view(self, bot: BotAccount, user: UserAccount) -> dict[str, Any]:
        conv = self.conversations.get((bot.id, user.id)) or Conversation(bot_id=bot.id, user_id=user.id)
        return {
            "id": user.id,
            "type": "private",
            "bot_id": bot.id,
            "bot": bot.view(),
            "user": user.view(),
            "started": conv.started,
            "blocked": conv.blocked,
            "reply_keyboard": conv.reply_keyboard,
            "reply_keyboard_hidden": conv.reply_keyboard_hidden,
            "force_reply": conv.force_reply,
            "chat_actions": list(conv.chat_actions),
            "commands": self.resolve_commands(bot, user),
            "message_count": sum(1 for m in conv.messages.values() if not m.deleted),
            "last_seq": conv.last_seq,
        }

    def log_call(self, entry: dict[str, Any]) -> None:
        self.call_seq += 1
        entry["seq"] = self.call_seq
        self.calls.append(entry)

    def reset(self, *, full: bool = False) -> None:
        """Forget users, chats, files, calls, limits and pending updates. Bots keep their token, webhook and
        commands unless `full`, so a bot that is running keeps working."""
        for query in self.queries.values():
            if not query.answer.done():
                query.answer.cancel()
        self.queries.clear()
        self.users.clear()
        self.conversations.clear()
        self.files.clear()
        self.calls.clear()
        self.limits = RateLimits()
        self.faults = Faults()
        self.next_user_id = FIRST_USER_ID
        self.call_seq = 0
        # Event sequence numbers keep growing, so a waiter from before the reset never sees an old number again.
        for bot in self.bots.values():
            bot.pending.clear()
        if full:
            self.bots.clear()
            self.default_bot_id = None
        self.chat_changed.notify()
        self.updates_changed.notify()


def scope_key(scope: dict[str, Any] | None) -> str:
    """BotCommandScope → the key commands are stored under (with language_code beside it)."""
    scope = scope or {"type": "default"}
    parts = [str(scope.get("type", "default"))]
    for key in ("chat_id", "user_id"):
        if key in scope:
            value = str(scope[key]).strip()
            parts.append(f"{key}={int(value) if value.lstrip('-').isdigit() else value}")  # 5 and "5" alike
    return ";".join(parts)


class _UserJsonLookup(dict[int, dict[str, Any]]):
    """A user's JSON made on lookup (`get` is all the parsers use): a text mentions a user or two, while the
    emulator may hold thousands of users under load."""

    def __init__(self, users: dict[int, UserAccount]) -> None:
        super().__init__()
        self._users = users

    def get(self, key: int, default: Any = None) -> Any:  # type: ignore[override]
        user = self._users.get(key)
        return user.user_json() if user is not None else default

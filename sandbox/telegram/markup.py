"""reply_markup validation with the Bot API server's error wording."""

from __future__ import annotations

import json
from typing import Any

from .entities import normalize_link
from .errors import BUTTON_DATA_INVALID, BUTTON_URL_INVALID, BotApiError, bad_request

_INLINE_ACTIONS = (
    "url", "callback_data", "web_app", "login_url", "switch_inline_query", "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat", "copy_text", "callback_game", "pay",
)
_REPLY_BUTTON_FIELDS = (
    "text", "request_users", "request_chat", "request_contact", "request_location", "request_poll", "web_app",
)
_KEYBOARD_OPTIONS = ("is_persistent", "resize_keyboard", "one_time_keyboard", "input_field_placeholder", "selective")


def parse_reply_markup(raw: Any) -> dict[str, Any] | None:
    """Validated, normalised markup (InlineKeyboardMarkup, ReplyKeyboardMarkup, ReplyKeyboardRemove, ForceReply)."""
    if raw is None or raw == "":
        return None
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError:
            raise bad_request("can't parse reply keyboard markup JSON object") from None
    if not isinstance(raw, dict):
        raise bad_request("object expected as reply markup")
    if "inline_keyboard" in raw:
        return {"inline_keyboard": _parse_inline_keyboard(raw["inline_keyboard"])}
    if "keyboard" in raw:
        markup: dict[str, Any] = {"keyboard": _parse_reply_keyboard(raw["keyboard"])}
        for option in _KEYBOARD_OPTIONS:
            if raw.get(option) not in (None, False, ""):
                markup[option] = raw[option]
        return markup
    if raw.get("remove_keyboard") or raw.get("hide_keyboard"):
        return {"remove_keyboard": True, **({"selective": True} if raw.get("selective") else {})}
    if raw.get("force_reply"):
        result: dict[str, Any] = {"force_reply": True}
        if raw.get("input_field_placeholder"):
            result["input_field_placeholder"] = raw["input_field_placeholder"]
        return result
    return None


def parse_inline_markup(raw: Any) -> dict[str, Any] | None:
    """For edit methods, which accept only an inline keyboard."""
    markup = parse_reply_markup(raw)
    if markup is not None and "inline_keyboard" not in markup:
        raise bad_request("inline keyboard expected")
    return markup


def _parse_inline_keyboard(rows: Any) -> list[list[dict[str, Any]]]:
    if not isinstance(rows, list):
        raise bad_request('field "inline_keyboard" of the InlineKeyboardMarkup must be an Array')
    parsed: list[list[dict[str, Any]]] = []
    for row in rows:
        if not isinstance(row, list):
            raise bad_request('field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays')
        parsed.append([_parse_inline_button(button) for button in row])
    return parsed


def _parse_inline_button(button: Any) -> dict[str, Any]:
    def fail(reason: str) -> BotApiError:
        return bad_request(f"can't parse inline keyboard button: {reason}")

    if not isinstance(button, dict):
        raise fail("InlineKeyboardButton must be an Object")
    text = button.get("text")
    if text is None:
        raise fail('Can\'t find field "text"')
    if not isinstance(text, str):
        raise fail('Field "text" must be of type String')
    parsed: dict[str, Any] = {"text": text}
    for key in ("style", "icon_custom_emoji_id"):
        if key in button:
            parsed[key] = button[key]
    for action in _INLINE_ACTIONS:
        if action not in button:
            continue
        value = button[action]
        if action == "callback_data" and (not isinstance(value, str) or not 1 <= len(value.encode()) <= 64):
            raise bad_request(BUTTON_DATA_INVALID)
        if action == "url" and (not isinstance(value, str) or normalize_link(value) is None):
            raise bad_request(BUTTON_URL_INVALID)
        parsed[action] = value
        return parsed
    raise fail("Text buttons are unallowed in the inline keyboard")


def _parse_reply_keyboard(rows: Any) -> list[list[dict[str, Any]]]:
    if not isinstance(rows, list):
        raise bad_request('field "keyboard" of the ReplyKeyboardMarkup must be an Array')
    parsed: list[list[dict[str, Any]]] = []
    for row in rows:
        if not isinstance(row, list):
            raise bad_request('field "keyboard" of the ReplyKeyboardMarkup must be an Array of Arrays')
        parsed_row: list[dict[str, Any]] = []
        for button in row:
            if isinstance(button, str):
                parsed_row.append({"text": button})
            elif isinstance(button, dict) and isinstance(button.get("text"), str):
                parsed_row.append({k: v for k, v in button.items() if k in _REPLY_BUTTON_FIELDS})
            else:
                raise bad_request('can\'t parse keyboard button: Field "text" must be of type String')
        parsed.append(parsed_row)
    return parsed


def inline_buttons(markup: dict[str, Any] | None) -> list[dict[str, Any]]:
    """Every button of an inline keyboard, row by row."""
    if not markup or "inline_keyboard" not in markup:
        return []
    return [button for row in markup["inline_keyboard"] for button in row]

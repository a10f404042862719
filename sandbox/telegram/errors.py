"""Bot API errors with Telegram's own codes and descriptions."""

from __future__ import annotations

from typing import Any


class BotApiError(Exception):
    """Answered as {"ok": false, "error_code": code, "description": description[, "parameters"]}."""

    def __init__(self, error_code: int, description: str, parameters: dict[str, Any] | None = None) -> None:
        super().__init__(description)
        self.error_code = error_code
        self.description = description
        self.parameters = parameters

    def to_json(self) -> dict[str, Any]:
        body: dict[str, Any] = {"ok": False, "error_code": self.error_code, "description": self.description}
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def bad_request(message: str) -> BotApiError:
    return BotApiError(400, f"Bad Request: {message}")


def forbidden(message: str) -> BotApiError:
    return BotApiError(403, f"Forbidden: {message}")


def too_many_requests(retry_after: int) -> BotApiError:
    return BotApiError(429, f"Too Many Requests: retry after {retry_after}", {"retry_after": retry_after})


NOT_FOUND = "Not Found"
UNAUTHORIZED = "Unauthorized"

CHAT_NOT_FOUND = "chat not found"
CHAT_ID_EMPTY = "chat_id is empty"
TEXT_EMPTY = "message text is empty"
TEXT_TOO_LONG = "message is too long"
CAPTION_TOO_LONG = "message caption is too long"
MESSAGE_NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly the same "
    "as a current content and reply markup of the message"
)
MESSAGE_TO_EDIT_NOT_FOUND = "message to edit not found"
MESSAGE_TO_DELETE_NOT_FOUND = "message to delete not found"
MESSAGE_CANT_BE_EDITED = "message can't be edited"
MESSAGE_ID_NOT_SPECIFIED = "message identifier is not specified"
NO_TEXT_TO_EDIT = "there is no text in the message to edit"
NO_CAPTION_TO_EDIT = "there is no caption in the message to edit"
REPLIED_MESSAGE_NOT_FOUND = "message to be replied not found"
MESSAGE_TO_COPY_NOT_FOUND = "message to copy not found"
MESSAGE_TO_FORWARD_NOT_FOUND = "message to forward not found"
BUTTON_DATA_INVALID = "BUTTON_DATA_INVALID"
BUTTON_URL_INVALID = "BUTTON_URL_INVALID"
UNSUPPORTED_PARSE_MODE = "unsupported parse_mode"
QUERY_TOO_OLD = "query is too old and response timeout expired or query ID is invalid"
WRONG_FILE_ID = "wrong file identifier/HTTP URL specified"
INVALID_FILE_ID = "invalid file_id"
FILE_TOO_BIG = "file is too big"
IMAGE_PROCESS_FAILED = "IMAGE_PROCESS_FAILED"
PHOTO_INVALID_DIMENSIONS = "PHOTO_INVALID_DIMENSIONS"
HTTP_URL_FAILED = "failed to get HTTP URL content"
WRONG_CHAT_ACTION = "wrong parameter action in request"
NO_MESSAGES_TO_SEND = "there are no messages to send"
TOO_MANY_ALBUM_MESSAGES = "too many messages to send as an album"
DOCUMENT_MIXED = "document can't be mixed with other media types"
AUDIO_MIXED = "audio can't be mixed with other media types"
BOT_COMMAND_INVALID = "BOT_COMMAND_INVALID"
BOT_COMMAND_DESCRIPTION_INVALID = "BOT_COMMAND_DESCRIPTION_INVALID"

BOT_BLOCKED = "bot was blocked by the user"
CANT_INITIATE = "bot can't initiate conversation with a user"

WEBHOOK_CONFLICT = (
    "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"
)
POLLING_CONFLICT = (
    "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"
)

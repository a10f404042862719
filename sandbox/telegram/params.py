"""Bot API request parameters, read the way Telegram reads them.

Telegram accepts parameters in the query string, as application/x-www-form-urlencoded, as JSON, and as
multipart/form-data (where files are uploaded, either in the part named after the parameter or in any part
referenced as "attach://<part name>"). Form values are strings; JSON-typed parameters such as reply_markup
arrive JSON-encoded there and as objects in a JSON body.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from aiohttp import BodyPartReader, MultipartReader, web

from .errors import BotApiError, bad_request
from .media import MAX_UPLOAD_SIZE


@dataclass
class UploadedFile:
    filename: str | None
    content_type: str | None
    data: bytes


class Params:
    def __init__(self, values: dict[str, Any], files: dict[str, UploadedFile] | None = None) -> None:
        self.values = values
        self.files = files or {}

    def has(self, name: str) -> bool:
        return self.values.get(name) not in (None, "") or name in self.files

    def raw(self, name: str) -> Any:
        return self.values.get(name)

    def text(self, name: str) -> str | None:
        value = self.values.get(name)
        if value is None:
            return None
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, (int, float)):
            return str(value)
        if isinstance(value, (dict, list)):
            return json.dumps(value, ensure_ascii=False)
        return str(value)

    def integer(self, name: str, *, error: str | None = None) -> int | None:
        """An integer parameter; a non-integer value is an error (`error`) or, without one, absent."""
        value = self.values.get(name)
        if value is None or value == "":
            return None
        if isinstance(value, bool):
            return int(value)
        if isinstance(value, int):
            return value
        try:
            return int(str(value).strip())
        except ValueError:
            if error is not None:
                raise bad_request(error) from None
            return None

    def number(self, name: str) -> float | None:
        value = self.values.get(name)
        if value is None or value == "":
            return None
        try:
            return float(value)
        except (TypeError, ValueError):
            return None

    def flag(self, name: str) -> bool:
        value = self.values.get(name)
        if isinstance(value, bool):
            return value
        if isinstance(value, (int, float)):
            return value != 0
        return str(value).strip().lower() in ("true", "1", "yes", "on") if value is not None else False

    def json(self, name: str, *, error: str | None = None) -> Any:
        value = self.values.get(name)
        if isinstance(value, str):
            if value == "":
                return None
            try:
                return json.loads(value)
            except ValueError:
                raise bad_request(error or f"can't parse {name} JSON object") from None
        return value

    def file(self, name: str) -> UploadedFile | str | None:
        """An InputFile: an uploaded part, or a string (file_id or URL)."""
        value = self.values.get(name)
        if isinstance(value, str) and value.startswith("attach://"):
            return self.files.get(value[len("attach://") :])
        if name in self.files:
            return self.files[name]
        if isinstance(value, str) and value:
            return value
        return None

    def attachment(self, reference: Any) -> UploadedFile | str | None:
        """The file an InputMedia's `media` names."""
        if isinstance(reference, str) and reference.startswith("attach://"):
            return self.files.get(reference[len("attach://") :])
        if isinstance(reference, str) and reference:
            return reference
        return None

    def summary(self) -> dict[str, Any]:
        """Parameters for the call log: long strings shortened, files described."""
        summary: dict[str, Any] = {}
        for key, value in self.values.items():
            if isinstance(value, str) and len(value) > 300:
                value = value[:300] + f"… ({len(value)} chars)"
            summary[key] = value
        for key, upload in self.files.items():
            summary[key] = f"<file {upload.filename or key}, {len(upload.data)} bytes>"
        return summary


async def read_request_params(request: web.Request) -> Params:
    values: dict[str, Any] = dict(request.query)
    files: dict[str, UploadedFile] = {}
    if request.method == "POST" and request.body_exists:
        content_type = request.content_type
        if content_type == "application/json":
            try:
                body = await request.json()
            except ValueError:
                raise bad_request("can't parse JSON object") from None
            if not isinstance(body, dict):
                raise bad_request("JSON object expected")
            values.update(body)
        elif content_type.startswith("multipart/"):
            more_values, files = await read_multipart(await request.multipart())
            values.update(more_values)
        else:
            post = await request.post()
            values.update({key: value for key, value in post.items() if isinstance(value, str)})
    return Params(values, files)


async def read_multipart(reader: MultipartReader) -> tuple[dict[str, Any], dict[str, UploadedFile]]:
    values: dict[str, Any] = {}
    files: dict[str, UploadedFile] = {}
    total = 0
    while True:
        part = await reader.next()
        if part is None:
            break
        if not isinstance(part, BodyPartReader):
            continue  # nested multipart: Telegram ignores it too
        name = part.name or ""
        data = await part.read(decode=True)
        total += len(data)
        if total > MAX_UPLOAD_SIZE:
            raise BotApiError(413, "Request Entity Too Large")
        if part.filename is not None:
            files[name] = UploadedFile(part.filename, part.headers.get("Content-Type"), bytes(data))
        else:
            values[name] = bytes(data).decode(part.get_charset("utf-8"), "replace")
    return values, files

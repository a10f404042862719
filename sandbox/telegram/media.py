"""Stored files: ids, download paths and photo sizes.

`file_unique_id` is derived from the content, so the same bytes sent twice (a re-sent invoice photo) get the
same `file_unique_id` and a new `file_id`, which is what a bot that de-duplicates by `file_unique_id` expects
of a forwarded or re-shared file.
"""

from __future__ import annotations

import base64
import collections
import hashlib
import io
import mimetypes
import threading
from dataclasses import dataclass
from typing import Any

try:  # Pillow is a project dependency, but the emulator still works (without resizing) if it is missing.
    from PIL import Image, UnidentifiedImageError
except ImportError:  # pragma: no cover
    Image = None  # type: ignore[assignment]
    UnidentifiedImageError = OSError  # type: ignore[assignment,misc]

MAX_DOWNLOAD_SIZE = 20 * 1024 * 1024
MAX_UPLOAD_SIZE = 50 * 1024 * 1024
MAX_PHOTO_SIZE = 10 * 1024 * 1024
# Telegram's photo size ladder (types s, m, x, y); the original, capped at 2560, is the largest size.
PHOTO_SIZE_LIMITS = (90, 320, 800, 1280)
MAX_PHOTO_SIDE = 2560

_KIND_PREFIX = {
    "photo": ("AgACAgIAAxkBAAI", "AQAD"),
    "document": ("BQACAgIAAxkBAAI", "AgAD"),
    "video": ("BAACAgIAAxkBAAI", "AgAD"),
    "audio": ("CQACAgIAAxkBAAI", "AgAD"),
    "voice": ("AwACAgIAAxkBAAI", "AgAD"),
    "animation": ("CgACAgIAAxkBAAI", "AgAD"),
    "sticker": ("CAACAgIAAxkBAAI", "AgAD"),
    "thumbnail": ("AAMCAgADGQEAAg", "AQAD"),
}
_KIND_FOLDER = {
    "photo": "photos", "document": "documents", "video": "videos", "audio": "music", "voice": "voice",
    "animation": "animations", "sticker": "stickers", "thumbnail": "thumbnails",
}


class ImageError(ValueError):
    """The bytes are not a photo Telegram would accept; str(self) is the Bot API error code."""


@dataclass
class StoredFile:
    file_id: str
    file_unique_id: str
    bot_id: int
    kind: str
    data: bytes
    file_path: str
    file_name: str | None = None
    mime_type: str | None = None
    width: int | None = None
    height: int | None = None

    @property
    def file_size(self) -> int:
        return len(self.data)

    def photo_size(self) -> dict[str, Any]:
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": self.file_size,
            "width": self.width or 0,
            "height": self.height or 0,
        }

    def as_document(self) -> dict[str, Any]:
        """Document / Video / Audio / Voice / Animation object."""
        result: dict[str, Any] = {"file_id": self.file_id, "file_unique_id": self.file_unique_id}
        if self.file_name and self.kind != "voice":
            result["file_name"] = self.file_name
        if self.mime_type:
            result["mime_type"] = self.mime_type
        result["file_size"] = self.file_size
        if self.kind in ("video", "animation"):
            result.update(width=self.width or 0, height=self.height or 0, duration=0)
        elif self.kind in ("audio", "voice"):
            result["duration"] = 0
        return result

    def as_file(self) -> dict[str, Any]:
        """The File object getFile returns."""
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": self.file_size,
            "file_path": self.file_path,
        }


class FileStore:
    def __init__(self) -> None:
        self._by_id: dict[str, StoredFile] = {}
        self._by_path: dict[tuple[int, str], StoredFile] = {}
        self._photo_families: dict[str, list[StoredFile]] = {}
        self._counter = 0

    def clear(self) -> None:
        self._by_id.clear()
        self._by_path.clear()
        self._photo_families.clear()
        self._counter = 0

    def get(self, file_id: str) -> StoredFile | None:
        return self._by_id.get(file_id)

    def by_path(self, bot_id: int, file_path: str) -> StoredFile | None:
        return self._by_path.get((bot_id, file_path))

    def add(
        self,
        bot_id: int,
        kind: str,
        data: bytes,
        *,
        file_name: str | None = None,
        mime_type: str | None = None,
        width: int | None = None,
        height: int | None = None,
    ) -> StoredFile:
        self._counter += 1
        id_prefix, unique_prefix = _KIND_PREFIX.get(kind, _KIND_PREFIX["document"])
        digest = hashlib.sha256(data).digest()
        file_unique_id = unique_prefix + _b64(digest)[:14]
        # Deterministic per emulator run: the same sequence of uploads gives the same file_ids.
        id_digest = hashlib.sha256(b"%d:%d:" % (self._counter, bot_id) + digest).digest()
        file_id = id_prefix + _b64(id_digest)[:48]
        if mime_type is None and file_name:
            mime_type = mimetypes.guess_type(file_name)[0]
        if kind in ("photo", "thumbnail"):
            extension = "jpg"
        elif kind == "voice":
            extension = "oga"
        else:
            extension = _extension(file_name, mime_type)
        file_path = f"{_KIND_FOLDER.get(kind, 'documents')}/file_{self._counter}.{extension}"
        stored = StoredFile(
            file_id=file_id,
            file_unique_id=file_unique_id,
            bot_id=bot_id,
            kind=kind,
            data=data,
            file_path=file_path,
            file_name=file_name,
            mime_type=mime_type,
            width=width,
            height=height,
        )
        self._by_id[file_id] = stored
        self._by_path[(bot_id, file_path)] = stored
        return stored

    def add_photo(self, bot_id: int, renditions: list[tuple[bytes, int, int]]) -> list[StoredFile]:
        family = [self.add(bot_id, "photo", data, width=w, height=h) for data, w, h in renditions]
        for stored in family:
            self._photo_families[stored.file_id] = family
        return family

    def photo_family(self, stored: StoredFile) -> list[StoredFile]:
        """All sizes of the photo one of whose sizes is `stored` (sending any size re-sends the photo)."""
        return self._photo_families.get(stored.file_id, [stored])


_RENDITIONS_KEPT = 32
_renditions: collections.OrderedDict[tuple[bytes, bool], list[tuple[bytes, int, int]]] = collections.OrderedDict()
_renditions_lock = threading.Lock()


def photo_renditions(data: bytes, *, strict: bool) -> list[tuple[bytes, int, int]]:
    """The PhotoSize ladder for an image: (bytes, width, height), smallest first.

    strict=True (a bot's upload) raises ImageError as Telegram does; strict=False (a user's photo, which a
    real client would have encoded) falls back to one size with whatever dimensions can be read.
    The ladder depends on the bytes alone, so the same image sent again (one chart to a thousand chats) is
    decoded and scaled once: the last few ladders are kept by the image's digest (failures are not kept).
    """
    key = (hashlib.sha256(data).digest(), strict)
    with _renditions_lock:
        known = _renditions.get(key)
        if known is not None:
            _renditions.move_to_end(key)
            return list(known)
    ladder = _photo_renditions(data, strict=strict)
    with _renditions_lock:
        _renditions[key] = ladder
        while len(_renditions) > _RENDITIONS_KEPT:
            _renditions.popitem(last=False)
    return list(ladder)


def _photo_renditions(data: bytes, *, strict: bool) -> list[tuple[bytes, int, int]]:
    if len(data) > MAX_PHOTO_SIZE and strict:
        raise ImageError(
            f"file of size {len(data)} bytes is too big for a photo; the maximum size is {MAX_PHOTO_SIZE} bytes"
        )
    if Image is None:
        return [(data, 0, 0)]
    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
            if strict and (width + height > 10000 or max(width, height) > 20 * max(1, min(width, height))):
                raise ImageError("PHOTO_INVALID_DIMENSIONS")
            image.load()
            renditions = _downscaled(image, width, height)
    except ImageError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as error:
        if strict:
            raise ImageError("IMAGE_PROCESS_FAILED") from error
        return [(data, 0, 0)]
    largest = (data, width, height)
    if max(width, height) > MAX_PHOTO_SIDE:
        with Image.open(io.BytesIO(data)) as image:
            largest = _jpeg(image, MAX_PHOTO_SIDE)
    return [*renditions, largest]


def _downscaled(image: Any, width: int, height: int) -> list[tuple[bytes, int, int]]:
    return [_jpeg(image, limit) for limit in PHOTO_SIZE_LIMITS if max(width, height) > limit]


def _jpeg(image: Any, limit: int) -> tuple[bytes, int, int]:
    copy = image.copy()
    copy.thumbnail((limit, limit))
    if copy.mode not in ("RGB", "L"):
        copy = copy.convert("RGB")
    buffer = io.BytesIO()
    copy.save(buffer, format="JPEG", quality=80)
    return buffer.getvalue(), copy.size[0], copy.size[1]


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def _extension(file_name: str | None, mime_type: str | None) -> str:
    if file_name and "." in file_name:
        extension = file_name.rsplit(".", 1)[1].lower()
        if extension.isalnum() and len(extension) <= 8:
            return extension
    if mime_type:
        guessed = mimetypes.guess_extension(mime_type)
        if guessed:
            return guessed.lstrip(".")
    return "bin"


def clean_file_name(name: str | None) -> str | None:
    """File names as Telegram keeps them: no directories, no control characters."""
    if not name:
        return None
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable()).strip()
    return name[:255] or None

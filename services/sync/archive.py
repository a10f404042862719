"""Raw REGOS answers of each synced day, kept as gzip JSON files with a retention.

``<root>/<company_id>/<YYYY-MM-DD>.json.gz`` holds one object::

    {"company_id": 1, "day": "2025-01-10", "timezone": "Asia/Tashkent", "archived_at": "...",
     "responses": [{"method": "DocCheque/Get", "request": {...}, "next_offset": 1000, "total": 2310,
                    "result": [...]}, ...]}

Responses are streamed into a ``.partial`` file while the day syncs and renamed into place when the day is
complete, so a crash never leaves a half-written archive under the final name; a re-sync of the day replaces it.
Money is written as exact JSON numbers (never through float).
"""

from __future__ import annotations

import gzip
import json
import logging
import re
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from db.base import utcnow
from services.regos import Page, RegosResponse

logger = logging.getLogger(__name__)

DEFAULT_ARCHIVE_DIR = Path("data/regos_archive")
DEFAULT_RETENTION_DAYS = 90
_SUFFIX = ".json.gz"
_PARTIAL_SUFFIX = ".json.gz.partial"

_DECIMAL_MARK = "\x00D"
_MARKED_DECIMAL = re.compile(r'"\\u0000D(-?[0-9]+(?:\.[0-9]+)?(?:E[+-]?[0-9]+)?)"')


def _mark_decimal(value: object) -> str:
    if isinstance(value, Decimal) and value.is_finite():
        return f"{_DECIMAL_MARK}{value}"
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def encode_json(payload: Any) -> str:
    """JSON with Decimals as bare numbers: the C encoder writes a marked string, a regex unquotes it."""
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), default=_mark_decimal)
    return _MARKED_DECIMAL.sub(r"\1", text)


def archive_path(root: Path, company_id: int, day: date) -> Path:
    return root / str(company_id) / f"{day.isoformat()}{_SUFFIX}"


class DayArchive:
    """Collects one day's responses; ``commit`` publishes the file, ``discard`` drops it."""

    def __init__(self, root: Path, company_id: int, day: date, timezone: str) -> None:
        self.path = archive_path(root, company_id, day)
        self._partial = self.path.with_name(self.path.name.removesuffix(_SUFFIX) + _PARTIAL_SUFFIX)
        self._company_id = company_id
        self._day = day
        self._timezone = timezone
        self._stream: IO[str] | None = None
        self._count = 0

    def _open(self) -> IO[str]:
        if self._stream is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            stream = gzip.open(self._partial, "wt", encoding="utf-8", compresslevel=5)  # noqa: SIM115 (open across calls)
            header = {
                "company_id": self._company_id,
                "day": self._day.isoformat(),
                "timezone": self._timezone,
                "archived_at": utcnow().isoformat(),
            }
            stream.write(encode_json(header)[:-1] + ',"responses":[\n')
            self._stream = stream
        return self._stream

    def add(
        self,
        method: str,
        request: dict[str, Any],
        result: Any,
        *,
        next_offset: int | None = None,
        total: int | None = None,
    ) -> None:
        entry: dict[str, Any] = {"method": method, "request": request}
        if next_offset is not None or total is not None:
            entry["next_offset"] = next_offset
            entry["total"] = total
        entry["result"] = result
        stream = self._open()
        stream.write(("" if self._count == 0 else ",\n") + encode_json(entry))
        self._count += 1

    def add_response(self, response: RegosResponse | None) -> None:
        """One raw answer as REGOS gave it, with the request that asked for it."""
        if response is not None:
            self.add(
                response.method, response.request, response.result,
                next_offset=response.next_offset, total=response.total,
            )

    def add_page(self, page: Page[Any]) -> None:
        """``RecordStream.with_options(on_page=archive.add_page)``: every raw page of a listing."""
        self.add_response(page.response)

    def commit(self) -> Path:
        stream = self._open()
        stream.write("\n]}\n")
        stream.close()
        self._stream = None
        self._partial.replace(self.path)
        return self.path

    def discard(self) -> None:
        if self._stream is not None:
            self._stream.close()
            self._stream = None
        self._partial.unlink(missing_ok=True)


class NullArchive(DayArchive):
    """Archiving switched off: accepts everything, writes nothing."""

    def __init__(self) -> None:
        self._count = 0

    def add(self, method: str, request: dict[str, Any], result: Any, **_: Any) -> None:
        return None

    def commit(self) -> Path:
        return Path()

    def discard(self) -> None:
        return None


def read_archive(path: Path) -> dict[str, Any]:
    """Load an archive file (money as Decimal)."""
    with gzip.open(path, "rt", encoding="utf-8") as stream:
        data: dict[str, Any] = json.load(stream, parse_float=Decimal)
        return data


def prune_archive(
    root: Path, retention_days: int, *, now: datetime | None = None, company_id: int | None = None
) -> int:
    """Delete archive files (and leftover ``.partial`` files) written more than ``retention_days`` ago; returns
    how many. Age is the file's, not the business day's: a backfill of last year is kept as long as today's day.
    ``retention_days <= 0`` keeps everything."""
    if retention_days <= 0 or not root.exists():
        return 0
    cutoff = ((now or utcnow()) - timedelta(days=retention_days)).timestamp()
    folders = [root / str(company_id)] if company_id is not None else [p for p in root.iterdir() if p.is_dir()]
    removed = 0
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in folder.iterdir():
            if not (path.name.endswith(_SUFFIX) or path.name.endswith(_PARTIAL_SUFFIX)):
                continue
            try:
                written = path.stat().st_mtime
            except FileNotFoundError:
                continue
            if written < cutoff:
                path.unlink(missing_ok=True)
                removed += 1
    if removed:
        logger.info("REGOS archive: pruned %d file(s) older than %d days under %s", removed, retention_days, root)
    return removed

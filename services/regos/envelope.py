"""What one REGOS call answered: the unwrapped ``{"ok": true, ...}`` envelope and the request it answers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class RegosResponse:
    """``request`` is the body as sent (with ``limit``/``offset`` for a page), kept so raw answers can be archived."""

    method: str
    result: Any
    next_offset: int | None
    total: int | None
    request: dict[str, Any] = field(default_factory=dict)

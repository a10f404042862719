"""The shape of the app's `spawn()`: services that start work outliving the caller take one as a parameter.

The application (bot/background.py) owns the tasks, logs their failures and awaits them on shutdown; a service
never keeps a task set of its own.
"""

from __future__ import annotations

from collections.abc import Coroutine
from typing import Any, Protocol


class Spawn(Protocol):
    def __call__(self, work: Coroutine[Any, Any, Any], /, *, name: str | None = None) -> object: ...


__all__ = ["Spawn"]

"""Domain errors carry an i18n key and its arguments, so the bot can answer in the user's language."""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    """A refusal the user should read; `key` names the message in locales/, `params` fill it."""

    key = "error-generic"

    def __init__(self, key: str | None = None, **params: Any) -> None:
        self.key = key or self.key
        self.params = params
        super().__init__(self.key)


class ValidationFailed(DomainError):
    key = "error-invalid"


class PermissionDenied(DomainError):
    key = "error-no-permission"


class NotFound(DomainError):
    key = "error-not-found"

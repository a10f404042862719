"""Where Eskiz sends delivery reports: the callback URL and the path the bot's HTTP server listens on."""

from __future__ import annotations

import hashlib
import hmac
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from core.config import Settings

CALLBACK_PREFIX = "/eskiz/callback"


def callback_secret(secret_key: str) -> str:
    """A stable, unguessable path segment derived from SECRET_KEY."""
    return hmac.new(secret_key.encode(), b"smartsavdo/eskiz-callback/v1", hashlib.sha256).hexdigest()[:32]


def resolve_callback_url(settings: Settings) -> str | None:
    """ESKIZ_CALLBACK_URL when set; else ``PUBLIC_URL/eskiz/callback/<secret>`` when PUBLIC_URL and SECRET_KEY are
    set; else None (no callbacks: ``poll_statuses`` asks Eskiz instead)."""
    if settings.eskiz_callback_url:
        return settings.eskiz_callback_url
    if settings.public_url and settings.secret_key is not None and len(settings.secret_key.get_secret_value()) >= 16:
        return f"{settings.public_url}{CALLBACK_PREFIX}/{callback_secret(settings.secret_key.get_secret_value())}"
    return None


def callback_path(callback_url: str) -> str:
    """The path part the route must listen on: ``https://bot.uz/eskiz/callback/abc`` → ``/eskiz/callback/abc``."""
    path = urlsplit(callback_url).path or "/"
    return path if path.startswith("/") else f"/{path}"

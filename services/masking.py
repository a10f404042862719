"""Keeping secrets (bot token, SECRET_KEY, REGOS keys, Eskiz passwords) out of logs and reprs.

A REGOS integration key travels in the URL path, so anything that logs a URL (httpx logs every request at INFO)
would leak it. One redacting filter, installed on the log handler by bot.logging_setup and on the loggers that
print URLs, rewrites every record that contains a registered secret to show only a short prefix.
"""

from __future__ import annotations

import logging
import threading

URL_LOGGERS = ("services.regos", "httpx", "httpcore")

_VISIBLE_PREFIX = 4
_MIN_SECRET_LENGTH = 6  # shorter strings would mask ordinary words


def mask_secret(secret: str | None, visible: int = _VISIBLE_PREFIX) -> str:
    """``'ab12…'`` for a secret, ``'…'`` for an empty or very short one (so its length does not leak either)."""
    if not secret:
        return "…"
    if len(secret) <= visible * 2:
        return "…"
    return f"{secret[:visible]}…"


class SecretRedactingFilter(logging.Filter):
    """Replaces every registered secret in a log record's message by its masked form."""

    def __init__(self) -> None:
        super().__init__()
        self._secrets: set[str] = set()
        self._lock = threading.Lock()

    def register(self, secret: str | None) -> None:
        if secret and len(secret) >= _MIN_SECRET_LENGTH:
            with self._lock:
                self._secrets.add(secret)

    def redact(self, text: str) -> str:
        for secret in self._secrets:
            if secret in text:
                text = text.replace(secret, mask_secret(secret))
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        if not self._secrets:
            return True
        try:
            message = record.getMessage()
        except Exception:  # a broken format string is not ours to fix, but must not leak either
            message = str(record.msg)
        redacted = self.redact(message)
        if redacted != message:
            record.msg = redacted
            record.args = ()
        return True


redactor = SecretRedactingFilter()  # the one instance every handler and logger shares
_installed_on: set[str] = set()
_install_lock = threading.Lock()


def protect_secret(secret: str | None) -> None:
    """Register a secret and make sure the redacting filter sits on every logger that may print it."""
    redactor.register(secret)
    with _install_lock:
        for name in URL_LOGGERS:
            if name not in _installed_on:
                logging.getLogger(name).addFilter(redactor)
                _installed_on.add(name)


def redact(text: str) -> str:
    """Mask every registered secret found in ``text`` (for error descriptions echoed by a server)."""
    return redactor.redact(text)

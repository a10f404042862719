"""What can go wrong talking to Eskiz. Every error's text is safe to log (no token, no password)."""

from __future__ import annotations

from typing import Any

from .texts import TEST_TEXTS


class EskizError(Exception):
    """Base class. ``http_status`` is Eskiz's answer (None for network failures); ``description`` its message."""

    def __init__(self, description: str, *, http_status: int | None = None, path: str | None = None) -> None:
        super().__init__(description)
        self.description = description
        self.http_status = http_status
        self.path = path
        self.accepted: list[Any] = []  # send_batch: the chunks Eskiz took before this failure
        self.maybe_taken = False  # a send that timed out or got a 500/504: Eskiz may have taken it

    def __str__(self) -> str:
        where = f" ({self.path}" + (f", HTTP {self.http_status})" if self.http_status else ")") if self.path else ""
        return f"{self.description}{where}"


class EskizNotConfigured(EskizError):
    """ESKIZ_EMAIL / ESKIZ_PASSWORD are not set."""


class EskizCredentialsError(EskizError):
    """Login refused: wrong e-mail or password, or the account is blocked."""


class EskizTokenError(EskizError):
    """A fresh token was refused too (401 after refresh and login)."""


class EskizTestModeError(EskizError):
    """The account is in test status: Eskiz sends only its three test texts until the account is activated."""

    def __init__(self, description: str | None = None, *, http_status: int | None = None,
                 path: str | None = None) -> None:
        allowed = ", ".join(f"“{text}”" for text in TEST_TEXTS)
        super().__init__(
            "the Eskiz account is in test mode and may send only Eskiz's test texts "
            f"({allowed}); activate the account and get the text's template approved in my.eskiz.uz"
            + (f" — Eskiz said: {description}" if description else ""),
            http_status=http_status, path=path,
        )


class EskizQuotaError(EskizError):
    """The balance (``/api/user/get-limit``) does not cover the messages."""

    def __init__(self, balance: int | None, needed: int | None, *, description: str | None = None,
                 http_status: int | None = None, path: str | None = None) -> None:
        text = description or "Eskiz balance is too low"
        if balance is not None and needed is not None:
            text = f"Eskiz balance {balance} does not cover {needed} needed for these SMS: top it up in my.eskiz.uz"
        super().__init__(text, http_status=http_status, path=path)
        self.balance = balance
        self.needed = needed


class EskizRefused(EskizError):
    """Eskiz refused the request (4xx): bad phone, unknown sender nick, text not approved..."""


class EskizUnavailable(EskizError):
    """Network failure, timeout or 5xx/429 after the retries."""


class EskizBadResponse(EskizError):
    """The answer is not what Eskiz sends (check ESKIZ_BASE_URL)."""

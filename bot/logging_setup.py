"""Logging with secrets masked: any configured secret that reaches a log line shows only a short prefix."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from bot.config import Settings


def mask(secret: str, keep: int = 4) -> str:
    return secret[:keep] + "…" if len(secret) > keep else "…"


class SecretMaskingFilter(logging.Filter):
    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        self.secrets = sorted({s for s in secrets if s and len(s) >= 6}, key=len, reverse=True)

    def add(self, secret: str) -> None:
        if secret and len(secret) >= 6 and secret not in self.secrets:
            self.secrets = sorted([*self.secrets, secret], key=len, reverse=True)

    def filter(self, record: logging.LogRecord) -> bool:
        if not self.secrets:
            return True
        message = record.getMessage()
        masked = message
        for secret in self.secrets:
            if secret in masked:
                masked = masked.replace(secret, mask(secret))
        if masked != message:
            record.msg, record.args = masked, None
        return True


_filter: SecretMaskingFilter | None = None


def configure_logging(settings: Settings) -> SecretMaskingFilter:
    global _filter
    secrets = [s.get_secret_value() for s in (settings.bot_token, settings.secret_key, settings.webhook_secret) if s]
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    _filter = SecretMaskingFilter(secrets)
    handler.addFilter(_filter)
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(settings.log_level)
    logging.getLogger("alembic").setLevel(logging.WARNING)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    logging.getLogger("aiogram.event").setLevel(max(logging.INFO, root.level))
    return _filter


def register_secret(secret: str) -> None:
    """Secrets learned at run time (a REGOS key a user pasted) are masked from then on."""
    if _filter is not None:
        _filter.add(secret)

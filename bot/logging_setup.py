"""Logging with secrets masked: any configured secret that reaches a log line shows only a short prefix."""

from __future__ import annotations

import logging

from core.config import Settings
from services.masking import protect_secret, redactor


def configure_logging(settings: Settings) -> None:
    for secret in (settings.bot_token, settings.secret_key, settings.webhook_secret, settings.eskiz_password):
        if secret is not None:
            protect_secret(secret.get_secret_value())
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.addFilter(redactor)  # on the handler, so records of every logger pass through it
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(settings.log_level)
    logging.getLogger("alembic").setLevel(logging.WARNING)
    logging.getLogger("httpx").setLevel(logging.WARNING)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    logging.getLogger("aiogram.event").setLevel(max(logging.INFO, root.level))

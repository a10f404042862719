"""REGOS's logger; the secret masking itself is shared (services.masking)."""

from __future__ import annotations

import logging

from services.masking import mask_secret, protect_secret, redact

LOGGER_NAME = "services.regos"
logger = logging.getLogger(LOGGER_NAME)

__all__ = ["LOGGER_NAME", "logger", "mask_secret", "protect_secret", "redact"]

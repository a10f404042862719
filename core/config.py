"""Settings from the environment and `.env` (pydantic-settings).

A missing or malformed setting stops start-up with one line naming it; secrets are `SecretStr`,
so they never show in logs or `repr`.
"""

from __future__ import annotations

import re
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

SUPPORTED_LOCALES = ("uz", "ru", "en")
TELEGRAM_PRODUCTION_API = "https://api.telegram.org"
_TOKEN_SHAPE = re.compile(r"^\d+:[A-Za-z0-9_-]+$")


class ConfigError(Exception):
    """A setting is missing or malformed; the message names it in one line."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    bot_token: SecretStr | None = Field(default=None, description="Bot API token from @BotFather")
    telegram_api_base: str = TELEGRAM_PRODUCTION_API
    database_url: str = "sqlite+aiosqlite:///data/smartsavdo.db"
    redis_url: str | None = None
    webhook_url: str | None = None
    webhook_path: str = "/telegram/webhook"
    webhook_secret: SecretStr | None = None
    webhook_host: str = "0.0.0.0"
    webhook_port: int = Field(default=8080, ge=1, le=65535)
    secret_key: SecretStr | None = None
    default_locale: str = "uz"
    default_timezone: str = "Asia/Tashkent"
    log_level: str = "INFO"
    invite_ttl_hours: int = Field(default=72, ge=1, le=24 * 90)
    regos_gateway_url: str = "https://integration.regos.uz/gateway/out"
    regos_archive_dir: str = "data/regos_archive"
    regos_archive_retention_days: int = Field(default=90, ge=1, le=3650)
    http_port: int | None = Field(default=None, ge=1, le=65535)  # `run` mode: /healthz and REGOS webhooks
    public_url: str | None = None  # how REGOS reaches our HTTP server, for the webhook URL shown to owners
    scheduler_in_process: bool = True  # `run` also runs the scheduler; set false when it runs as its own process
    eskiz_base_url: str = "https://notify.eskiz.uz/api"  # the fake one: sandbox/eskiz
    eskiz_email: str | None = None
    eskiz_password: SecretStr | None = None
    eskiz_from: str = "4546"  # sender nick; 4546 is Eskiz's shared/test one
    eskiz_callback_url: str | None = None  # where Eskiz posts delivery reports (default: PUBLIC_URL/eskiz/callback/…)
    # The assistant's model (any OpenAI-compatible endpoint; the fake one: sandbox/openai). No key: offline only.
    openai_api_key: SecretStr | None = None
    openai_base_url: str = "https://api.openai.com/v1"
    openai_model: str = "gpt-4o-mini"
    openai_timeout: float = 20.0
    ai_daily_quota: int = 200  # model answers per company per day; past it the offline parser answers
    # An optional tax-report submission endpoint (no public filing API exists; the fake one: sandbox/tax_office.py).
    tax_submission_url: str | None = None
    tax_submission_key: SecretStr | None = None

    @field_validator("bot_token")
    @classmethod
    def _token_shape(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not _TOKEN_SHAPE.match(value.get_secret_value()):
            raise ValueError("must look like 123456:ABC-DEF")
        return value

    @field_validator("telegram_api_base", "webhook_url", "regos_gateway_url", "public_url", "eskiz_base_url",
                     "eskiz_callback_url", "tax_submission_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is not None and not re.match(r"^https?://[^\s/]+", value):
            raise ValueError("must be an http(s) URL")
        return value.rstrip("/") if value else value

    @field_validator("database_url")
    @classmethod
    def _database_url(cls, value: str) -> str:
        if not value.startswith(("sqlite+aiosqlite://", "postgresql+asyncpg://")):
            raise ValueError("must start with sqlite+aiosqlite:// or postgresql+asyncpg://")
        return value

    @field_validator("redis_url")
    @classmethod
    def _redis_url(cls, value: str | None) -> str | None:
        if value in (None, ""):
            return None
        if not value.startswith(("redis://", "rediss://", "unix://")):
            raise ValueError("must start with redis:// or rediss://")
        return value

    @field_validator("default_locale")
    @classmethod
    def _locale(cls, value: str) -> str:
        if value not in SUPPORTED_LOCALES:
            raise ValueError(f"must be one of {', '.join(SUPPORTED_LOCALES)}")
        return value

    @field_validator("default_timezone")
    @classmethod
    def _timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError("is not a known IANA time zone") from exc
        return value

    @field_validator("log_level")
    @classmethod
    def _log_level(cls, value: str) -> str:
        level = value.upper()
        if level not in {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"}:
            raise ValueError("must be DEBUG, INFO, WARNING, ERROR or CRITICAL")
        return level

    def require_bot_token(self) -> str:
        if self.bot_token is None:
            raise ConfigError("BOT_TOKEN is not set: put the token from @BotFather in the environment or .env")
        return self.bot_token.get_secret_value()

    def require_secret_key(self) -> str:
        if self.secret_key is None or len(self.secret_key.get_secret_value()) < 16:
            raise ConfigError("SECRET_KEY is not set or shorter than 16 characters")
        return self.secret_key.get_secret_value()


def load_settings(**overrides: object) -> Settings:
    """Build settings, turning validation errors into one clear line per bad setting."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        first = exc.errors()[0]
        name = str(first["loc"][0]).upper() if first["loc"] else "settings"
        raise ConfigError(f"{name} {first['msg'].removeprefix('Value error, ')}") from None


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return load_settings()

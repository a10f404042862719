"""Settings fail with one clear line; migrations go up and down; a database that is behind is refused."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import inspect

from core.config import ConfigError, load_settings
from db.engine import create_engine
from db.migrate import DatabaseBehindError, current_revision, downgrade, ensure_up_to_date, head_revision, upgrade
from tests.helpers import make_migrated_engine

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("env", "name"),
    [
        ({"BOT_TOKEN": "nope"}, "BOT_TOKEN"),
        ({"DATABASE_URL": "mysql://x"}, "DATABASE_URL"),
        ({"DEFAULT_LOCALE": "de"}, "DEFAULT_LOCALE"),
        ({"DEFAULT_TIMEZONE": "Mars/Olympus"}, "DEFAULT_TIMEZONE"),
        ({"WEBHOOK_PORT": "99999"}, "WEBHOOK_PORT"),
        ({"REDIS_URL": "http://x"}, "REDIS_URL"),
        ({"TELEGRAM_API_BASE": "ftp://x"}, "TELEGRAM_API_BASE"),
    ],
)
def test_bad_setting_names_itself(monkeypatch: pytest.MonkeyPatch, env: dict[str, str], name: str) -> None:
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    with pytest.raises(ConfigError) as error:
        load_settings()
    assert str(error.value).startswith(name)
    assert "\n" not in str(error.value)


def test_secrets_never_in_repr(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOT_TOKEN", "123456:SUPERSECRETTOKEN")
    monkeypatch.setenv("SECRET_KEY", "0123456789abcdef-very-secret")
    settings = load_settings()
    assert "SUPERSECRETTOKEN" not in repr(settings) and "very-secret" not in repr(settings)
    assert settings.require_bot_token() == "123456:SUPERSECRETTOKEN"


def test_missing_token_is_one_clear_line(tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'x.db'}"}
    subprocess.run([sys.executable, "-m", "bot", "migrate"], cwd=tmp_path, env={**env, "PYTHONPATH": str(ROOT)},
                   check=True, capture_output=True)
    result = subprocess.run([sys.executable, "-m", "bot", "run"], cwd=tmp_path,
                            env={**env, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True)
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "error: BOT_TOKEN is not set: put the token from @BotFather in the environment or .env"
    )


def test_cli_help_lists_commands() -> None:
    result = subprocess.run([sys.executable, "-m", "bot", "--help"], cwd=ROOT, capture_output=True, text=True,
                            check=True)
    for command in ("run", "webhook", "migrate", "company", "invite"):
        assert command in result.stdout


def test_cli_company_and_invite(tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT),
           "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"}

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "bot", *args], cwd=tmp_path, env=env, capture_output=True,
                              text=True)

    behind = cli("company", "list")
    assert behind.returncode == 2 and "python -m bot migrate" in behind.stderr
    assert cli("migrate").returncode == 0
    created = cli("company", "create", "--name", "Oila Market", "--tin", "305123456", "--owner-telegram-id", "42")
    assert created.returncode == 0 and created.stdout.strip() == "1"
    bad = cli("company", "create", "--name", "X", "--tin", "12")
    assert bad.returncode == 1 and "9 digits" in bad.stderr
    listing = cli("company", "list", "--json")
    assert '"name": "Oila Market"' in listing.stdout
    invite = cli("invite", "--company", "1", "--role", "cashier")
    assert invite.returncode == 0 and invite.stdout.startswith("/start inv_")
    missing = cli("invite", "--company", "99", "--role", "cashier")
    assert missing.returncode == 1


async def test_upgrade_downgrade_upgrade(tmp_path: Path) -> None:
    engine = await make_migrated_engine("sqlite", tmp_path)
    try:
        assert await current_revision(engine) == head_revision()
        async with engine.connect() as connection:
            tables = await connection.run_sync(lambda c: set(inspect(c).get_table_names()))
        assert {"companies", "users", "memberships", "invites", "audit_log", "job_claims", "rates"} <= tables
        await downgrade(engine, "base")
        with pytest.raises(DatabaseBehindError):
            await ensure_up_to_date(engine)
        await upgrade(engine)
        await ensure_up_to_date(engine)
    finally:
        await engine.dispose()


async def test_sqlite_pragmas(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite+aiosqlite:///{tmp_path / 'p.db'}")
    async with engine.connect() as connection:
        mode = (await connection.exec_driver_sql("PRAGMA journal_mode")).scalar()
        keys = (await connection.exec_driver_sql("PRAGMA foreign_keys")).scalar()
        busy = (await connection.exec_driver_sql("PRAGMA busy_timeout")).scalar()
    await engine.dispose()
    assert (mode, keys, busy) == ("wal", 1, 10000)


def test_configured_secrets_are_masked_in_every_log_line(monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    import logging

    from bot.logging_setup import configure_logging

    monkeypatch.setenv("BOT_TOKEN", "123456:SUPERSECRETTOKEN")
    root = logging.getLogger()
    saved_handlers, saved_level = root.handlers[:], root.level
    quieted = ("alembic", "httpx", "apscheduler", "aiogram.event")
    saved_levels = {name: logging.getLogger(name).level for name in quieted}
    try:
        configure_logging(load_settings())
        logging.getLogger("aiogram.session").warning("POST https://api.telegram.org/bot123456:SUPERSECRETTOKEN/getMe")
        err = capsys.readouterr().err
    finally:
        root.handlers[:] = saved_handlers
        root.setLevel(saved_level)
        for name, level in saved_levels.items():  # other tests read these loggers
            logging.getLogger(name).setLevel(level)
    assert "SUPERSECRETTOKEN" not in err and "bot1234…/getMe" in err

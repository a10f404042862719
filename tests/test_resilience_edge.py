"""Issue 10: the edge refuses hostile input, transient database errors are retried, secrets stay out of the log."""

from __future__ import annotations

import json
import os
import socket
import sqlite3
from typing import Any

import pytest
from sqlalchemy.exc import OperationalError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.middlewares import DbSessionMiddleware
from bot.runner import _MaskedRequest, mask_secret_paths
from db.transient import is_transient_db_error, pool_capacity, retry_transient
from handlers.callbacks import SwitchCompanyCb
from handlers.errors import _locale, remember_language
from handlers.kit import _numbers_fit
from services.regos.core import RegosCore
from services.regos.limits import MAX_JSON_DEPTH, json_depth
from services.regos.webhooks import WebhookPayloadError, parse_webhook_event
from services.sync.events import stored_event_id
from services.sync.locks import holder_is_gone

UUID = "5d1e0b0a-1c2b-4b8e-9a2f-0f3e4d5c6b7a"


def _locked() -> OperationalError:
    return OperationalError("INSERT", {}, sqlite3.OperationalError("database is locked"))


def test_transient_errors_are_recognised() -> None:
    assert is_transient_db_error(_locked())
    assert not is_transient_db_error(OperationalError("x", {}, sqlite3.OperationalError("no such table: t")))
    assert not is_transient_db_error(ValueError("database is locked"))


async def test_retry_transient_runs_the_transaction_again() -> None:
    calls = []

    async def flaky() -> str:
        calls.append(1)
        if len(calls) < 3:
            raise _locked()
        return "ok"

    assert await retry_transient(flaky, backoff=0.01) == "ok"
    assert len(calls) == 3


async def test_update_middleware_retries_a_locked_transaction_and_bounds_concurrency(
    session_factory: async_sessionmaker[AsyncSession],
) -> None:
    middleware = DbSessionMiddleware(session_factory, backoff=0.01)
    assert middleware.limit == pool_capacity(session_factory) >= 1
    attempts = []

    async def handler(event: Any, data: dict[str, Any]) -> str:
        attempts.append(data["session"])
        if len(attempts) == 1:
            raise _locked()
        return "answered"

    assert await middleware(handler, object(), {}) == "answered"  # type: ignore[arg-type]
    assert len(attempts) == 2

    async def always_locked(event: Any, data: dict[str, Any]) -> str:
        raise _locked()

    with pytest.raises(OperationalError):  # the errors router turns it into the busy answer
        await middleware(always_locked, object(), {})  # type: ignore[arg-type]


def test_failure_is_told_in_the_language_the_user_chose() -> None:
    class From:
        id = 777_001
        language_code = "uz"

    remember_language(From.id, "en")
    assert _locale({"event_from_user": From()}) == "en"
    assert _locale({}) == "uz"


@pytest.mark.parametrize("value", [10**21, -(10**21), 2**63])
def test_forged_huge_numbers_in_buttons_are_refused(value: int) -> None:
    assert not _numbers_fit(SwitchCompanyCb.unpack(f"sw:1:{value}"))


def test_ordinary_buttons_pass() -> None:
    assert _numbers_fit(SwitchCompanyCb.unpack("sw:1:12"))


@pytest.mark.parametrize("event_id", ["abc", ["a", "b"], {"x": 1}, "", -5, True, "x" * 500])
def test_bad_event_ids_are_refused(event_id: Any) -> None:
    body = json.dumps({"event_id": event_id, "action": "DocChequeClosed", "data": {"uuid": UUID}})
    with pytest.raises(WebhookPayloadError):
        parse_webhook_event(body.encode())


@pytest.mark.parametrize("event_id", [UUID, "e-1", 42])
def test_good_event_ids_are_kept_whole(event_id: Any) -> None:
    body = json.dumps({"event_id": event_id, "action": "DocChequeClosed", "data": {"uuid": UUID}})
    assert parse_webhook_event(body.encode()).event_id == str(event_id)


def test_long_event_ids_are_stored_by_hash_not_cut() -> None:
    first, second = "1" * 70 + "a", "1" * 70 + "b"
    assert stored_event_id(UUID) == UUID
    assert stored_event_id(first) != stored_event_id(second)
    assert len(stored_event_id(first)) <= 64


@pytest.mark.parametrize("depth", [100, 100_000])
def test_deeply_nested_bodies_are_refused_without_recursion_error(depth: int) -> None:
    body = b"[" * depth + b"]" * depth
    assert json_depth(body) > MAX_JSON_DEPTH
    with pytest.raises(WebhookPayloadError):
        parse_webhook_event(body)
    deep = b'{"ok": true, "result": ' + b"[" * depth + b"]" * depth + b"}"
    assert RegosCore._decode(deep) is None  # a broken body, retried as one, never a traceback


def test_huge_bodies_are_refused() -> None:
    with pytest.raises(WebhookPayloadError):
        parse_webhook_event(b'{"event_id": "e1", "action": "X", "data": {"p": "' + b"x" * 600_000 + b'"}}')


def test_webhook_secret_is_masked_in_access_log_lines() -> None:
    secret = "S3cr3tWebhookValue0123456789"
    assert secret not in mask_secret_paths(f"POST /regos/webhook/{secret} HTTP/1.1")

    class Request:
        path = f"/regos/webhook/{secret}"
        path_qs = path + "?a=1"
        raw_path = path
        method = "POST"

    masked = _MaskedRequest(Request())  # type: ignore[arg-type]
    assert secret not in masked.path_qs and masked.method == "POST"


def test_claim_of_a_dead_process_on_this_host_is_taken_over_at_once() -> None:
    host = socket.gethostname()[:60]
    assert not holder_is_gone(f"{host}:{os.getpid()}:abcd")  # ourselves
    assert not holder_is_gone(f"elsewhere:{os.getpid() + 1}:abcd")  # another host: wait for the stale limit
    dead = 4_000_000  # above pid_max
    assert holder_is_gone(f"{host}:{dead}:abcd")

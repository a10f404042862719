"""The Eskiz client against the fake: token life cycle, sending, batches, refusals, retries, masking."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.sms import EskizToken
from sandbox.eskiz import DEFAULT_EMAIL, DEFAULT_PART_PRICE, DEFAULT_PASSWORD, TEST_TEXTS, FakeEskiz
from services.crypto import SecretBox
from services.sms import (
    BatchMessage,
    DbTokenStore,
    EskizClient,
    EskizCredentialsError,
    EskizQuotaError,
    EskizRefused,
    EskizTestModeError,
    EskizUnavailable,
    InvalidPhoneError,
    MemoryTokenStore,
    RetryPolicy,
)


class Sleeps:
    def __init__(self) -> None:
        self.delays: list[float] = []

    async def __call__(self, delay: float) -> None:
        self.delays.append(delay)


@pytest.fixture
async def fake() -> AsyncIterator[FakeEskiz]:
    server = FakeEskiz(auto_deliver=False)
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def client(fake: FakeEskiz) -> AsyncIterator[EskizClient]:
    async with EskizClient(DEFAULT_EMAIL, DEFAULT_PASSWORD, base_url=fake.api_url, sleep=Sleeps()) as eskiz:
        yield eskiz


def calls(fake: FakeEskiz, path: str) -> list[int]:
    return [r.status for r in fake.requests if r.path == f"/api{path}"]


async def test_login_then_send_uses_one_token(fake: FakeEskiz, client: EskizClient) -> None:
    first = await client.send("+998 90 123-45-67", "Salom, oylik tayyor")
    second = await client.send("8 91 765 43 21", "Salom")
    assert calls(fake, "/auth/login") == [200]
    assert first.phone == "998901234567" and second.phone == "998917654321"
    assert first.status == "waiting" and first.request_id != second.request_id
    assert [(sms.to, sms.text, sms.nick) for sms in fake.messages] == [
        ("998901234567", "Salom, oylik tayyor", "4546"), ("998917654321", "Salom", "4546")]
    assert fake.find(first.request_id)[0].to == "998901234567"
    assert client.token_info is not None and client.token_info.role == "user"
    status = await client.status(first.request_id)
    assert status.status == "waiting" and status.phone == "998901234567" and status.parts == 1


async def test_expired_token_is_refreshed_transparently(fake: FakeEskiz, client: EskizClient) -> None:
    await client.send("901234567", "Salom")
    old = client.token_info
    fake.expire_tokens()  # the server says "Expired token" though our clock has not seen it yet
    result = await client.send("901234567", "Yana salom")
    assert result.request_id
    assert calls(fake, "/message/sms/send") == [200, 401, 200]
    assert calls(fake, "/auth/refresh") == [200]
    assert calls(fake, "/auth/login") == [200]  # no second login
    assert client.token_info is not None and old is not None and client.token_info.token != old.token
    assert len(fake.messages) == 2


async def test_token_past_its_exp_is_renewed_before_the_call(fake: FakeEskiz) -> None:
    from datetime import UTC, datetime, timedelta

    now = [datetime.now(UTC)]
    async with EskizClient(DEFAULT_EMAIL, DEFAULT_PASSWORD, base_url=fake.api_url, now=lambda: now[0]) as client:
        await client.balance()
        now[0] += timedelta(days=31)
        fake.advance(31 * 86_400)
        assert await client.balance() == 100_000
    assert calls(fake, "/user/get-limit") == [200, 200]  # no 401 round trip
    assert calls(fake, "/auth/refresh") == [200]


async def test_refresh_refused_falls_back_to_a_fresh_login(fake: FakeEskiz, client: EskizClient) -> None:
    await client.send("901234567", "Salom")
    fake.revoke_tokens()  # refresh will be refused too
    await client.send("901234567", "Salom")
    assert calls(fake, "/message/sms/send") == [200, 401, 200]
    assert calls(fake, "/auth/refresh") == [401]
    assert calls(fake, "/auth/login") == [200, 200]


async def test_wrong_password_is_a_clear_error(fake: FakeEskiz) -> None:
    async with EskizClient(DEFAULT_EMAIL, "wrong-password", base_url=fake.api_url) as client:
        with pytest.raises(EskizCredentialsError) as caught:
            await client.send("901234567", "Salom")
    assert "Неверный Email или пароль" in str(caught.value) and caught.value.http_status == 401
    assert fake.messages == []


async def test_test_mode_restriction_is_explained(fake: FakeEskiz) -> None:
    fake.add_account("test@eskiz.uz", "secret", role="test")
    async with EskizClient("test@eskiz.uz", "secret", base_url=fake.api_url) as client:
        with pytest.raises(EskizTestModeError) as caught:
            await client.send("901234567", "Oylik: 4 400 000 so'm")
        message = str(caught.value)
        assert "test mode" in message and all(text in message for text in TEST_TEXTS)
        assert "тестовом режиме" in message  # Eskiz's own words are kept
        assert calls(fake, "/message/sms/send") == [400]
        with pytest.raises(EskizTestModeError):  # a batch is refused before it is sent
            await client.send_batch([BatchMessage("901234567", "Oylik", "a"), BatchMessage("911234567", "B", "b")])
        assert calls(fake, "/message/sms/send-batch") == []
        await client.send("901234567", "Bu Eskiz dan test")
    assert [sms.text for sms in fake.messages] == ["Bu Eskiz dan test"]


async def test_batch_checks_the_quota_then_sends_in_chunks(fake: FakeEskiz) -> None:
    async with EskizClient(DEFAULT_EMAIL, DEFAULT_PASSWORD, base_url=fake.api_url, batch_size=2,
                           callback_url="http://127.0.0.1:9/cb") as client:
        messages = [BatchMessage(f"+998 90 000 00 0{i}", f"Oylik {i}", f"u{i}") for i in range(5)]
        results = await client.send_batch(messages, dispatch_id=42)
    assert [len(r.messages) for r in results] == [2, 2, 1]
    assert all(r.dispatch_id == 42 and r.statuses == ["waiting"] * len(r.messages) for r in results)
    assert calls(fake, "/user/get-limit") == [200]
    assert calls(fake, "/message/sms/send-batch") == [200, 200, 200]
    assert [(s.to, s.user_sms_id, s.dispatch_id) for s in fake.messages] == [
        (f"99890000000{i}", f"u{i}", 42) for i in range(5)]
    assert {s.callback_url for s in fake.messages} == {"http://127.0.0.1:9/cb"}
    assert fake.account().balance == 100_000 - 5 * DEFAULT_PART_PRICE


async def test_quota_exhausted_stops_a_batch_before_sending(fake: FakeEskiz, client: EskizClient) -> None:
    fake.set_balance(DEFAULT_PART_PRICE * 2)
    with pytest.raises(EskizQuotaError) as caught:
        await client.send_batch([BatchMessage(f"90000000{i}", "Oylik", f"u{i}") for i in range(3)])
    assert caught.value.balance == 100 and caught.value.needed == 150
    assert "balance 100 does not cover 150" in str(caught.value)
    assert calls(fake, "/message/sms/send-batch") == [] and fake.messages == []
    fake.set_balance(0)
    with pytest.raises(EskizQuotaError):  # a single send: Eskiz's own refusal is understood
        await client.send("901234567", "Salom")


async def test_invalid_phone_is_refused_before_any_call(fake: FakeEskiz, client: EskizClient) -> None:
    with pytest.raises(InvalidPhoneError) as caught:
        await client.send("+7 999 123 45 67", "Salom")
    assert caught.value.reason == "country"
    with pytest.raises(InvalidPhoneError):
        await client.send_batch([BatchMessage("901234567", "a", "1"), BatchMessage("12345", "b", "2")])
    with pytest.raises(EskizRefused):
        await client.send("901234567", "   ")
    assert fake.requests == []


async def test_transient_failures_are_retried_but_a_send_is_never_repeated_blindly(fake: FakeEskiz) -> None:
    sleeps = Sleeps()
    async with EskizClient(DEFAULT_EMAIL, DEFAULT_PASSWORD, base_url=fake.api_url, sleep=sleeps,
                           retry=RetryPolicy(max_attempts=3, base_delay=0.5)) as client:
        fake.set_faults(schedule=["503", "502"], paths=["/api/auth/login"])
        await client.login()
        assert calls(fake, "/auth/login") == [503, 502, 200] and len(sleeps.delays) == 2
        assert all(0 <= d <= 0.5 * 2 ** i for i, d in enumerate(sleeps.delays))  # full jitter
        fake.set_faults(schedule=["429"], paths=["/api/message/sms/send"], retry_after=2.0)
        await client.send("901234567", "Salom")  # 429: Eskiz surely did not take it
        assert sleeps.delays[-1] == 2.0
        fake.set_faults(schedule=["500"], paths=["/api/message/sms/send"])
        with pytest.raises(EskizUnavailable) as caught:
            await client.send("901234567", "Salom")  # a 500 may have sent it: not repeated
        assert caught.value.maybe_taken
        fake.set_faults(schedule=["500", "504"], paths=["/api/user/get-limit"])
        assert await client.balance() > 0  # reads are repeated
    assert [s.text for s in fake.messages] == ["Salom"]


async def test_timeouts_are_30_seconds_by_default_and_honoured(fake: FakeEskiz) -> None:
    assert EskizClient(DEFAULT_EMAIL, DEFAULT_PASSWORD).timeout == 30.0
    fake.set_faults(schedule=["timeout"], paths=["/api/message/sms/send"], hang_seconds=2.0)
    async with EskizClient(DEFAULT_EMAIL, DEFAULT_PASSWORD, base_url=fake.api_url, timeout=0.3,
                           sleep=Sleeps()) as client:
        with pytest.raises(EskizUnavailable) as caught:
            await client.send("901234567", "Salom")
    assert "timed out" in str(caught.value) and caught.value.maybe_taken


async def test_the_token_never_reaches_the_log_beyond_its_first_characters(
    fake: FakeEskiz, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    async with EskizClient(DEFAULT_EMAIL, DEFAULT_PASSWORD, base_url=fake.api_url) as client:
        await client.send("901234567", "Salom")
        first = client.token_info
        fake.expire_tokens()
        await client.send("901234567", "Salom")
        fake.revoke_tokens()
        await client.send("901234567", "Salom")
        assert first is not None and client.token_info is not None
        tokens = [first.token, client.token_info.token, *(t.token for t in fake.tokens.values())]
        logging.getLogger("services.sms").info("debug dump %s", client.token_info.token)  # even a careless line
        assert client.token_info.token not in repr(client)
    text = caplog.text
    assert "refreshed" in text and "logging in again" in text and "login of demo@smartsavdo.uz" in text
    for token in tokens:
        assert token not in text
        assert token[:12] not in text
    assert "token eyJh…" in text and "debug dump eyJh…" in text
    assert DEFAULT_PASSWORD not in text


async def test_token_is_stored_encrypted_and_reused_across_processes(
    fake: FakeEskiz, session_factory: async_sessionmaker[AsyncSession], tmp_path: Path
) -> None:
    box = SecretBox("x" * 32)
    store = DbTokenStore(session_factory, box)
    async with EskizClient(DEFAULT_EMAIL, DEFAULT_PASSWORD, base_url=fake.api_url, token_store=store) as first:
        await first.balance()
        token = first.token_info
    assert token is not None
    async with session_factory() as session:
        row = (await session.scalars(select(EskizToken))).one()
    assert row.account == DEFAULT_EMAIL and token.token not in row.token_encrypted
    assert box.decrypt(row.token_encrypted) == token.token and row.role == "user"
    assert row.expires_at == token.expires_at
    async with EskizClient(DEFAULT_EMAIL, DEFAULT_PASSWORD, base_url=fake.api_url, token_store=store) as second:
        await second.balance()
    assert calls(fake, "/auth/login") == [200]  # the second process reused the stored token
    fake.revoke_tokens()
    async with EskizClient(DEFAULT_EMAIL, DEFAULT_PASSWORD, base_url=fake.api_url, token_store=store) as third:
        await third.balance()
        assert third.token_info is not None
        renewed = third.token_info.token
    async with session_factory() as session:
        assert box.decrypt((await session.scalars(select(EskizToken))).one().token_encrypted) == renewed
    other_box = DbTokenStore(session_factory, SecretBox("y" * 32))
    assert await other_box.load(DEFAULT_EMAIL) is None  # SECRET_KEY changed: a login makes a new one


async def test_memory_store_and_concurrent_renewals_share_one_refresh(fake: FakeEskiz) -> None:
    import asyncio

    store = MemoryTokenStore()
    async with EskizClient(DEFAULT_EMAIL, DEFAULT_PASSWORD, base_url=fake.api_url, token_store=store) as client:
        await client.balance()
        fake.expire_tokens()
        balances = await asyncio.gather(*(client.balance() for _ in range(5)))
    assert balances == [100_000] * 5
    assert calls(fake, "/auth/refresh") == [200] and calls(fake, "/auth/login") == [200]
    assert store.tokens[DEFAULT_EMAIL].token == client.token_info.token  # type: ignore[union-attr]

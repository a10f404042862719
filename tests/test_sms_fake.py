"""The fake Eskiz answers as Eskiz does: raw HTTP against sandbox/eskiz, no client of ours in between."""

from __future__ import annotations

import asyncio
import base64
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from aiohttp import web

from sandbox.eskiz import DEFAULT_EMAIL, DEFAULT_PART_PRICE, DEFAULT_PASSWORD, TEST_TEXTS, FakeEskiz


class Clock:
    def __init__(self, start: float = 1_790_000_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now


@pytest.fixture
async def fake() -> AsyncIterator[FakeEskiz]:
    server = FakeEskiz(clock=Clock(), auto_deliver=False)
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def http(fake: FakeEskiz) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=fake.api_url, timeout=10) as client:
        yield client


def claims(token: str) -> dict[str, Any]:
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


async def login(http: httpx.AsyncClient, **kwargs: Any) -> str:
    response = await http.post("/auth/login", data={"email": DEFAULT_EMAIL, "password": DEFAULT_PASSWORD}, **kwargs)
    assert response.status_code == 200
    return str(response.json()["data"]["token"])


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def test_login_by_urlencoded_multipart_and_json_gives_a_30_day_token(http: httpx.AsyncClient) -> None:
    credentials = {"email": DEFAULT_EMAIL, "password": DEFAULT_PASSWORD}
    answers = [
        await http.post("/auth/login", data=credentials),
        await http.post("/auth/login", files={k: (None, v) for k, v in credentials.items()}),
        await http.post("/auth/login", json=credentials),
    ]
    assert answers[1].request.headers["content-type"].startswith("multipart/form-data")
    for answer in answers:
        body = answer.json()
        assert answer.status_code == 200
        assert body["message"] == "token_generated" and body["token_type"] == "bearer"
        token_claims = claims(body["data"]["token"])
        assert token_claims["exp"] - token_claims["iat"] == 30 * 86_400
        assert token_claims["role"] == "user" and set(token_claims) == {"exp", "iat", "role", "sign", "sub"}


async def test_bad_credentials_and_missing_fields(http: httpx.AsyncClient) -> None:
    wrong = await http.post("/auth/login", data={"email": DEFAULT_EMAIL, "password": "nope"})
    assert wrong.status_code == 401 and wrong.json() == {"message": "Неверный Email или пароль"}
    missing = await http.post("/auth/login", data={"email": DEFAULT_EMAIL})
    assert missing.status_code == 422


async def test_token_invalid_answers(fake: FakeEskiz, http: httpx.AsyncClient) -> None:
    none = await http.get("/user/get-limit")
    forged = await http.get("/user/get-limit", headers=bearer("eyJ.forged.token"))
    assert none.status_code == forged.status_code == 401
    assert none.json()["status"] == forged.json()["status"] == "token-invalid"
    token = await login(http)
    assert (await http.get("/user/get-limit", headers=bearer(token))).status_code == 200
    fake.advance(30 * 86_400 + 1)
    expired = await http.get("/user/get-limit", headers=bearer(token))
    assert expired.status_code == 401 and expired.json() == {"status": "token-invalid", "message": "Expired token"}


async def test_refresh_renews_an_expired_token_and_retires_the_old_one(fake: FakeEskiz,
                                                                       http: httpx.AsyncClient) -> None:
    token = await login(http)
    fake.expire_tokens()
    refreshed = await http.patch("/auth/refresh", headers=bearer(token))
    assert refreshed.status_code == 200 and refreshed.json()["message"] == "token_generated"
    new_token = refreshed.json()["data"]["token"]
    assert new_token != token
    assert (await http.get("/user/get-limit", headers=bearer(new_token))).status_code == 200
    assert (await http.get("/user/get-limit", headers=bearer(token))).status_code == 401
    assert (await http.patch("/auth/refresh", headers=bearer(token))).status_code == 401  # once only
    fake.revoke_tokens()
    assert (await http.patch("/auth/refresh", headers=bearer(new_token))).status_code == 401


async def test_send_spends_the_balance_and_status_by_id_follows_delivery(fake: FakeEskiz,
                                                                         http: httpx.AsyncClient) -> None:
    token = await login(http)
    before = (await http.get("/user/get-limit", headers=bearer(token))).json()
    assert before == {"status": "success", "data": {"balance": 100_000}}
    sent = await http.post("/message/sms/send", headers=bearer(token),
                           data={"mobile_phone": "998901234567", "message": "Salom", "from": "4546"})
    assert sent.status_code == 200
    body = sent.json()
    assert body["message"] == "Waiting for SMS provider" and body["status"] == "waiting"
    after = (await http.get("/user/get-limit", headers=bearer(token))).json()["data"]["balance"]
    assert after == 100_000 - DEFAULT_PART_PRICE
    status = (await http.get(f"/message/sms/status_by_id/{body['id']}", headers=bearer(token))).json()
    assert status["status"] == "success" and status["data"]["status"] == "waiting"
    assert status["data"]["to"] == "998901234567" and status["data"]["request_id"] == body["id"]
    await fake.deliver(body["id"])
    by_eskiz_id = await http.get(f"/message/sms/status_by_id/{status['data']['id']}", headers=bearer(token))
    assert by_eskiz_id.json()["data"]["status"] == "DELIVERED"
    assert (await http.get("/message/sms/status_by_id/nope", headers=bearer(token))).status_code == 404


async def test_send_refuses_bad_phone_and_foreign_nick(http: httpx.AsyncClient) -> None:
    token = await login(http)
    bad_phone = await http.post("/message/sms/send", headers=bearer(token),
                                json={"mobile_phone": "+998901234567", "message": "Salom"})
    assert bad_phone.status_code == 400 and bad_phone.json()["status"] == "error"
    nick = await http.post("/message/sms/send", headers=bearer(token),
                           data={"mobile_phone": "998901234567", "message": "Salom", "from": "OilaMarket"})
    assert nick.status_code == 400 and "OilaMarket" in nick.json()["message"]


async def test_test_accounts_may_send_only_eskiz_test_texts(fake: FakeEskiz, http: httpx.AsyncClient) -> None:
    fake.add_account("test@eskiz.uz", "secret", role="test")
    response = await http.post("/auth/login", data={"email": "test@eskiz.uz", "password": "secret"})
    token = response.json()["data"]["token"]
    assert claims(token)["role"] == "test"
    refused = await http.post("/message/sms/send", headers=bearer(token),
                              data={"mobile_phone": "998901234567", "message": "Oylik: 4 400 000 so'm"})
    assert refused.status_code == 400
    assert "тестовом режиме" in refused.json()["message"]
    assert all(text in refused.json()["message"] for text in TEST_TEXTS)
    for text in TEST_TEXTS:
        ok = await http.post("/message/sms/send", headers=bearer(token),
                             data={"mobile_phone": "998901234567", "message": text})
        assert ok.status_code == 200
    assert [sms.text for sms in fake.sent_to("998901234567")] == list(TEST_TEXTS)


async def test_batch_answers_a_status_array_and_refuses_past_the_balance(fake: FakeEskiz,
                                                                         http: httpx.AsyncClient) -> None:
    token = await login(http)
    payload = {"messages": [{"user_sms_id": f"s{i}", "to": 998901234560 + i, "text": "Oylik tayyor"}
                            for i in range(3)], "from": "4546", "dispatch_id": 77}
    batch = await http.post("/message/sms/send-batch", headers=bearer(token), json=payload)
    assert batch.status_code == 200
    assert batch.json()["status"] == ["waiting"] * 3 and batch.json()["message"] == "Waiting for SMS provider"
    assert {sms.user_sms_id for sms in fake.find(batch.json()["id"])} == {"s0", "s1", "s2"}
    as_form = await http.post("/message/sms/send-batch", headers=bearer(token), data={"from": "4546"})
    assert as_form.status_code == 400
    fake.set_balance(DEFAULT_PART_PRICE * 2)
    short = await http.post("/message/sms/send-batch", headers=bearer(token), json=payload)
    assert short.status_code == 400 and "средств" in short.json()["message"]
    assert len(fake.messages) == 3  # nothing of the refused batch was sent


async def test_delivery_callbacks_are_posted_as_json_or_form() -> None:
    received: list[tuple[str, dict[str, Any]]] = []

    async def receiver(request: web.Request) -> web.Response:
        if request.content_type == "application/json":
            received.append(("json", await request.json()))
        else:
            received.append(("form", dict(await request.post())))
        return web.Response(text="ok")

    app = web.Application()
    app.router.add_post("/cb", receiver)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        for callback_format in ("json", "form"):
            async with FakeEskiz(clock=Clock(), delivery_delay=0.01, callback_format=callback_format) as fake:
                fake.set_outcome("998911234567", "UNDELIV")
                async with httpx.AsyncClient(base_url=fake.api_url) as http:
                    token = await login(http)
                    for phone in ("998901234567", "998911234567"):
                        await http.post("/message/sms/send", headers=bearer(token), data={
                            "mobile_phone": phone, "message": "Salom", "callback_url": f"http://127.0.0.1:{port}/cb"})
                await fake.flush()
                assert [d.status for d in fake.callbacks] == [200, 200]
    finally:
        await runner.cleanup()
    assert [kind for kind, _ in received] == ["json", "json", "form", "form"]
    bodies = [body for _, body in received]
    assert {b["phone_number"]: b["status"] for b in bodies[:2]} == {"998901234567": "DELIVRD",
                                                                   "998911234567": "UNDELIV"}
    first = bodies[0]
    assert set(first) == {"request_id", "message_id", "user_sms_id", "country", "phone_number", "sms_count",
                          "status", "status_date"}
    assert all(isinstance(value, str) for value in first.values())
    assert first["country"] == "UZ" and first["sms_count"] == "1"


async def test_control_api_over_http(fake: FakeEskiz, http: httpx.AsyncClient) -> None:
    token = await login(http)
    async with httpx.AsyncClient(base_url=fake.base_url) as control:
        assert (await control.post("/_fake/quota", json={"balance": 7})).json()["ok"]
        assert (await http.get("/user/get-limit", headers=bearer(token))).json()["data"]["balance"] == 7
        assert (await control.post("/_fake/tokens/expire", json={})).json()["expired"] == 1
        assert (await http.get("/user/get-limit", headers=bearer(token))).json()["message"] == "Expired token"
        faults = await control.post("/_fake/faults", json={"schedule": ["503", "ok", "429"],
                                                            "paths": ["/api/auth/login"]})
        assert faults.json()["faults"]["schedule"] == ["503", "ok", "429"]
        assert (await http.post("/auth/login", data={})).status_code == 503
        assert (await http.post("/auth/login", data={})).status_code == 422  # "ok" let it through
        limited = await http.post("/auth/login", data={})
        assert limited.status_code == 429 and limited.headers["Retry-After"] == "1.0"
        assert (await control.post("/_fake/faults", json={"schedule": ["boom"]})).status_code == 400
        await control.post("/_fake/accounts", json={"email": "t@x.uz", "password": "p", "role": "test"})
        assert fake.account("t@x.uz").role == "test"
        state = (await control.get("/_fake/state")).json()
        assert len(state["accounts"]) == 2 and state["accounts"][0]["password"] == ""
        assert (await control.get("/_fake/messages")).json() == {"messages": []}


async def test_timeout_fault_hangs(fake: FakeEskiz, http: httpx.AsyncClient) -> None:
    fake.set_faults(schedule=["timeout"], hang_seconds=1.0)
    with pytest.raises(httpx.ReadTimeout):
        await http.get("/user/get-limit", timeout=0.2)
    await asyncio.sleep(0)

"""REGOS client: envelopes, typed errors, retries, pacing, paging guards, masking, parsing, OAuth, webhooks."""

from __future__ import annotations

import json
import logging
import random
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from sandbox.regos import FakeRegos, OAuthClient
from services.regos import (
    AgregateStatus,
    ChequePaymentOperation,
    DocCheque,
    DocChequeStatus,
    OAuthCredentials,
    PagingGuard,
    RateLimit,
    RegosAuthError,
    RegosBadRequestError,
    RegosClient,
    RegosError,
    RegosMalformedResponseError,
    RegosNoRightsError,
    RegosNotFoundError,
    RegosProblem,
    RegosRateLimitError,
    RegosUnknownError,
    RegosUnreachableError,
    RetryPolicy,
    TokenBucket,
    VatCalculationType,
    WebhookPayloadError,
    check_connection,
    day_bounds,
    parse_enum,
    parse_records,
    parse_webhook_event,
    to_decimal,
)
from services.regos.parsing import loads
from tests.helpers import FakeRegosFactory

KEY = "ab12cd34ef56ab12cd34ef56ab12cd34"
GATEWAY = "https://gateway.test/gateway/out"


class VirtualTime:
    """A clock that only moves when the code under test sleeps."""

    def __init__(self) -> None:
        self.now = 1_000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


Responder = Callable[[httpx.Request], httpx.Response]


def ok(result: Any, **extra: Any) -> httpx.Response:
    return httpx.Response(200, json={"ok": True, "result": result, **extra})


def regos_error(code: int, description: str = "xato") -> httpx.Response:
    return httpx.Response(200, json={"ok": False, "result": {"error": code, "description": description}})


class Script:
    """Answers requests from a list (the last answer repeats) and records what was asked."""

    def __init__(self, *answers: httpx.Response | Exception | Responder) -> None:
        self.answers = list(answers)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.answers[min(len(self.requests), len(self.answers)) - 1]
        if isinstance(answer, Exception):
            raise answer
        if callable(answer) and not isinstance(answer, httpx.Response):
            return answer(request)
        return answer

    def bodies(self) -> list[dict[str, Any]]:
        return [json.loads(r.content) for r in self.requests]


def make_client(handler: Responder, vt: VirtualTime | None = None, **options: Any) -> RegosClient:
    vt = vt or VirtualTime()
    options.setdefault("rate_limit", RateLimit.disabled())
    return RegosClient(
        KEY,
        base_url=GATEWAY,
        transport=httpx.MockTransport(handler),
        sleep=vt.sleep,
        clock=vt.clock,
        rng=random.Random(7),
        **options,
    )


# -- envelopes and errors ---------------------------------------------------------------------------------------


async def test_call_posts_json_to_the_key_path_and_returns_the_envelope() -> None:
    script = Script(ok([{"id": 1, "name": "Chilonzor"}], next_offset=0, total=1))
    async with make_client(script) as client:
        response = await client.call("Stock/Get", {"ids": [1]})
    request = script.requests[0]
    assert request.method == "POST"
    assert str(request.url) == f"{GATEWAY}/{KEY}/v1/Stock/Get"
    assert request.headers["content-type"].startswith("application/json")
    assert json.loads(request.content) == {"ids": [1]}
    assert response.result == [{"id": 1, "name": "Chilonzor"}]
    assert (response.next_offset, response.total) == (0, 1)


@pytest.mark.parametrize(
    ("code", "error_class"),
    [
        (9002, RegosAuthError),
        (9001, RegosAuthError),
        (9006, RegosAuthError),
        (1101, RegosAuthError),
        (1007, RegosNoRightsError),
        (1096, RegosNoRightsError),
        (1009, RegosNotFoundError),
        (1008, RegosBadRequestError),
        (1002, RegosBadRequestError),
        (9999, RegosUnknownError),
        (4242, RegosUnknownError),
    ],
)
async def test_error_envelopes_become_typed_errors_without_retry(code: int, error_class: type[RegosError]) -> None:
    script = Script(regos_error(code, "Недостаточно прав"))
    async with make_client(script) as client:
        with pytest.raises(error_class) as caught:
            await client.call("DocCheque/Get", {})
    assert caught.value.code == code
    assert caught.value.description == "Недостаточно прав"
    assert caught.value.method == "DocCheque/Get"
    assert len(script.requests) == 1


async def test_ok_false_is_an_error_even_with_http_200_and_top_level_error_fields() -> None:
    script = Script(httpx.Response(200, json={"ok": False, "error": 1007, "description": "no"}))
    async with make_client(script) as client:
        with pytest.raises(RegosNoRightsError):
            await client.call("Stock/Get")


@pytest.mark.parametrize(
    ("status", "error_class"),
    [(401, RegosAuthError), (403, RegosAuthError), (404, RegosNotFoundError), (418, RegosUnknownError)],
)
async def test_gateway_http_errors_are_typed_and_not_retried(status: int, error_class: type[RegosError]) -> None:
    script = Script(httpx.Response(status, text="nope"))
    async with make_client(script) as client:
        with pytest.raises(error_class) as caught:
            await client.call("CurrentTimeStamp/Get")
    assert caught.value.http_status == status
    assert len(script.requests) == 1


# -- retries ----------------------------------------------------------------------------------------------------


async def test_8213_is_retried_with_full_jitter_backoff() -> None:
    vt = VirtualTime()
    script = Script(regos_error(8213), regos_error(8213), regos_error(8213), ok(1700000000))
    async with make_client(script, vt, retry=RetryPolicy(max_attempts=5, base_delay=0.5, max_delay=30)) as client:
        stamp = await client.get_current_timestamp()
    assert stamp == datetime.fromtimestamp(1700000000, tz=UTC)
    assert len(script.requests) == 4
    assert len(vt.sleeps) == 3
    for attempt, delay in enumerate(vt.sleeps, start=1):
        assert 0 <= delay <= 0.5 * 2 ** (attempt - 1)


async def test_rate_limit_that_persists_raises_rate_limit_error() -> None:
    script = Script(regos_error(8213, "Ошибка лимита"))
    async with make_client(script, retry=RetryPolicy(max_attempts=3)) as client:
        with pytest.raises(RegosRateLimitError) as caught:
            await client.call("Stock/Get")
    assert caught.value.code == 8213
    assert caught.value.attempts == 3
    assert len(script.requests) == 3


async def test_http_429_honours_retry_after() -> None:
    vt = VirtualTime()
    script = Script(httpx.Response(429, headers={"Retry-After": "7"}), ok([]))
    async with make_client(script, vt) as client:
        await client.call("Stock/Get")
    assert vt.sleeps == [7.0]


async def test_retry_after_is_capped() -> None:
    vt = VirtualTime()
    script = Script(httpx.Response(429, headers={"Retry-After": "100000"}), ok([]))
    async with make_client(script, vt, retry=RetryPolicy(max_retry_after=60)) as client:
        await client.call("Stock/Get")
    assert vt.sleeps == [60.0]


def _timeout(request: httpx.Request) -> httpx.Response:
    raise httpx.ReadTimeout("timed out", request=request)


def _connect_error(request: httpx.Request) -> httpx.Response:
    raise httpx.ConnectError("refused", request=request)


@pytest.mark.parametrize(
    "failure",
    [
        httpx.Response(500, text="boom"),
        httpx.Response(502, text="bad gateway"),
        httpx.Response(503, text="<html>down</html>"),
        httpx.Response(200, text='{"ok": tru'),
        httpx.Response(200, text="<html>proxy</html>"),
        httpx.Response(200, json={"result": []}),
        _timeout,
        _connect_error,
    ],
    ids=["500", "502", "503", "broken-json", "html", "no-ok", "timeout", "connect"],
)
async def test_transient_failures_are_retried(failure: Any) -> None:
    vt = VirtualTime()
    script = Script(failure, failure, ok([{"id": 1}], next_offset=0, total=1))
    async with make_client(script, vt) as client:
        response = await client.call("Stock/Get")
    assert response.result == [{"id": 1}]
    assert len(script.requests) == 3
    assert len(vt.sleeps) == 2


async def test_network_failures_after_all_retries_raise_unreachable() -> None:
    script = Script(_connect_error)
    async with make_client(script, retry=RetryPolicy(max_attempts=4)) as client:
        with pytest.raises(RegosUnreachableError) as caught:
            await client.call("Stock/Get")
    assert caught.value.attempts == 4
    assert len(script.requests) == 4


async def test_broken_json_after_all_retries_raises_malformed() -> None:
    script = Script(httpx.Response(200, text="{{{"))
    async with make_client(script, retry=RetryPolicy(max_attempts=2)) as client:
        with pytest.raises(RegosMalformedResponseError):
            await client.call("Stock/Get")
    assert len(script.requests) == 2


async def test_gzip_body_without_header_is_decoded() -> None:
    import gzip

    body = gzip.compress(b'{"ok": true, "result": 1700000000}')
    async with make_client(Script(httpx.Response(200, content=body))) as client:
        assert (await client.get_current_timestamp()).year == 2023


async def test_non_idempotent_call_is_not_repeated_after_a_read_timeout() -> None:
    script = Script(_timeout, ok({"new_id": 1}))
    async with make_client(script) as client:
        with pytest.raises(RegosUnreachableError):
            await client.call("Item/Add", {"name": "x"}, idempotent=False)
    assert len(script.requests) == 1


async def test_non_idempotent_call_is_repeated_when_regos_surely_did_nothing() -> None:
    script = Script(regos_error(8213), _connect_error, ok({"new_id": 1}))
    async with make_client(script) as client:
        response = await client.call("Item/Add", {"name": "x"}, idempotent=False)
    assert response.result == {"new_id": 1}


# -- token bucket -----------------------------------------------------------------------------------------------


async def test_token_bucket_allows_a_burst_then_paces_at_the_rate() -> None:
    vt = VirtualTime()
    bucket = TokenBucket(rate=2.0, burst=40, clock=vt.clock, sleep=vt.sleep)
    waits = [await bucket.acquire() for _ in range(40)]
    assert waits == [0.0] * 40
    assert await bucket.acquire() == pytest.approx(0.5)
    assert await bucket.acquire() == pytest.approx(0.5)
    vt.now += 10  # 20 tokens refill, never more than the burst
    waits = [await bucket.acquire() for _ in range(20)]
    assert waits == [0.0] * 20
    assert await bucket.acquire() > 0


async def test_token_bucket_does_not_spin_when_the_clock_is_frozen() -> None:
    sleeps: list[float] = []

    async def no_op_sleep(seconds: float) -> None:
        sleeps.append(seconds)

    bucket = TokenBucket(rate=2.0, burst=1, clock=lambda: 5.0, sleep=no_op_sleep)
    for _ in range(5):
        await bucket.acquire()
    assert len(sleeps) == 4


async def test_client_paces_calls_and_can_disable_pacing() -> None:
    vt = VirtualTime()
    script = Script(ok([]))
    async with make_client(script, vt, rate_limit=RateLimit(rate_per_second=2, burst=3)) as client:
        for _ in range(5):
            await client.call("Stock/Get")
    assert vt.sleeps == [pytest.approx(0.5), pytest.approx(0.5)]

    vt_off = VirtualTime()
    async with make_client(Script(ok([])), vt_off, rate_limit=RateLimit.disabled()) as client:
        for _ in range(100):
            await client.call("Stock/Get")
    assert vt_off.sleeps == []


async def test_server_rate_limit_drains_the_client_bucket() -> None:
    vt = VirtualTime()
    script = Script(regos_error(8213), ok([]))
    async with make_client(script, vt, rate_limit=RateLimit(rate_per_second=2, burst=40)) as client:
        await client.call("Stock/Get")
        assert isinstance(client.bucket, TokenBucket)
        assert client.bucket.available < 2


# -- paging -----------------------------------------------------------------------------------------------------


def paging_server(pages: Callable[[int, int], dict[str, Any]]) -> Script:
    def answer(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        return httpx.Response(200, json={"ok": True, **pages(body["offset"], body["limit"])})

    return Script(answer)


def rows(offset: int, count: int) -> list[dict[str, Any]]:
    return [{"id": offset + i + 1, "name": f"S{offset + i + 1}"} for i in range(count)]


@pytest.mark.parametrize(
    ("pages", "max_calls", "reason"),
    [
        (lambda off, lim: {"result": rows(off, lim), "next_offset": 2, "total": 1000}, 2, "did not move"),
        (lambda off, lim: {"result": rows(off, lim), "next_offset": off or 2, "total": 1000}, 2, "did not move"),
        (lambda off, lim: {"result": rows(off, lim), "next_offset": max(0, off - 2) or 1, "total": 99}, 2, None),
        (lambda off, lim: {"result": rows(off, lim), "next_offset": 0, "total": 1000}, 1, "0 or missing"),
        (lambda off, lim: {"result": [], "next_offset": off + lim, "total": 1000}, 1, "empty page"),
        (lambda off, lim: {"result": rows(off, lim), "next_offset": 10**9, "total": 10}, 1, "past total"),
        (lambda off, lim: {"result": rows(off, lim), "next_offset": {0: 2, 2: 4, 4: 2}.get(off, 0)}, 3, "did not move"),
    ],
    ids=["repeated", "not-advancing", "backwards", "zero", "empty", "beyond-total", "cycle"],
)
async def test_paging_cannot_spin_on_hostile_pages(pages: Any, max_calls: int, reason: str | None) -> None:
    script = paging_server(pages)
    async with make_client(script) as client:
        stream = client.iter_stocks(page_size=2)
        collected = [s async for s in stream]
    assert len(script.requests) <= max_calls
    assert len(collected) == (0 if reason == "empty page" else 2 * len(script.requests))
    if reason:
        assert stream.stop_reason is not None and reason in stream.stop_reason


async def test_paging_follows_next_offset_to_the_end() -> None:
    def pages(offset: int, limit: int) -> dict[str, Any]:
        chunk = rows(offset, min(limit, 7 - offset))
        return {"result": chunk, "next_offset": offset + len(chunk) if offset + len(chunk) < 7 else 0, "total": 7}

    script = paging_server(pages)
    async with make_client(script) as client:
        batch = await client.iter_stocks(page_size=3).collect()
    assert [s.id for s in batch] == [1, 2, 3, 4, 5, 6, 7]
    assert [b["offset"] for b in script.bodies()] == [0, 3, 6]


async def test_paging_without_next_offset_continues_by_total() -> None:
    script = paging_server(lambda off, lim: {"result": rows(off, min(lim, 5 - off)), "total": 5})
    async with make_client(script) as client:
        batch = await client.iter_stocks(page_size=2).collect()
    assert [s.id for s in batch] == [1, 2, 3, 4, 5]


async def test_paging_stops_at_the_page_cap() -> None:
    script = paging_server(lambda off, lim: {"result": rows(off, lim), "next_offset": off + lim})
    async with make_client(script, max_pages=4) as client:
        stream = client.iter_stocks(page_size=1)
        assert len([s async for s in stream]) == 4
    assert len(script.requests) == 4


def test_paging_guard_rules() -> None:
    guard = PagingGuard()
    assert guard.next_offset(0, 10, 10, 30) == 10
    assert guard.next_offset(10, 10, 20, 30) == 20
    assert guard.next_offset(20, 10, 30, 30) is None
    assert guard.stop_reason is not None and "total" in guard.stop_reason


# -- masking ----------------------------------------------------------------------------------------------------


async def test_key_never_appears_in_logs_or_reprs(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    script = Script(httpx.Response(503, text="down"), ok([]), regos_error(9002, f"bad key {KEY}"))
    async with make_client(script) as client:
        await client.call("Stock/Get")
        with pytest.raises(RegosAuthError) as caught:
            await client.call("Stock/Get")
        text = repr(client)
    logged = caplog.text + "".join(record.getMessage() for record in caplog.records)
    assert "HTTP Request" in logged  # httpx logged the URL, redacted
    assert KEY not in logged
    assert "ab12…" in logged
    assert KEY not in text and "ab12…" in text
    assert KEY not in str(caught.value) and KEY not in repr(caught.value)
    credentials = OAuthCredentials("client", "super-secret-value")
    assert "super-secret-value" not in repr(credentials)


# -- parsing ----------------------------------------------------------------------------------------------------

ENUMS = [DocChequeStatus, AgregateStatus, VatCalculationType]


@given(st.sampled_from([member for enum in ENUMS for member in enum if member.name != "Unknown"]), st.data())
def test_enums_accept_names_and_numbers(member: Any, data: st.DataObject) -> None:
    enum = type(member)
    number = member.number
    form = data.draw(
        st.sampled_from(
            [member.name, member.name.lower(), member.name.upper(), f" {member.name} ", number, str(number)]
        )
    )
    assert enum(form) is member


@given(st.text(alphabet="xyzQ!- ", min_size=1, max_size=8) | st.integers(min_value=50, max_value=10**6))
def test_unknown_enum_values_do_not_fail(value: Any) -> None:
    assert DocChequeStatus(value) is DocChequeStatus.Unknown


def test_documented_enum_numbers() -> None:
    assert parse_enum(DocChequeStatus, 3) is DocChequeStatus.Closed
    assert parse_enum(DocChequeStatus, "6") is DocChequeStatus.Canceled
    assert parse_enum(DocChequeStatus, "cancelled") is DocChequeStatus.Canceled
    assert parse_enum(VatCalculationType, 1) is VatCalculationType.No
    assert parse_enum(AgregateStatus, 3) is AgregateStatus.Agregated


money = st.decimals(
    min_value=Decimal("-1e13"), max_value=Decimal("1e13"), places=2, allow_nan=False, allow_infinity=False
)


@given(money)
def test_money_survives_json_numbers_exactly(amount: Decimal) -> None:
    body = f'{{"uuid": "u", "date": 1736582400, "amount": {amount}, "status": "Closed"}}'
    cheque = DocCheque.model_validate(loads(body))
    assert cheque.amount == amount
    assert isinstance(cheque.amount, Decimal)


@given(money)
def test_money_from_strings_with_group_separators(amount: Decimal) -> None:
    whole, _, cents = f"{amount:,.2f}".partition(".")
    assert to_decimal(whole.replace(",", " ") + "," + cents) == amount
    assert to_decimal(str(amount)) == amount


@pytest.mark.parametrize("value", [True, "abc", "", None, float("nan"), Decimal("Infinity")])
def test_bad_money_is_rejected(value: Any) -> None:
    with pytest.raises((ValueError, TypeError)):
        to_decimal(value)


def test_timestamps_are_utc_aware() -> None:
    cheque = DocCheque.model_validate({"uuid": "u", "date": "1736582400", "amount": 1, "last_update": 0})
    assert cheque.date == datetime(2025, 1, 11, 8, 0, tzinfo=UTC)
    assert cheque.last_update is None
    assert day_bounds(date(2025, 1, 11)) == (1736535600, 1736621999)  # Tashkent midnight is 19:00 UTC


def test_bad_records_are_skipped_and_counted() -> None:
    raw = [
        {"uuid": "a", "date": 1736582400, "amount": 1000, "status": 3, "surprise": {"x": 1}},
        {"date": 1736582400, "amount": 1000},
        {"uuid": "c", "date": 1736582400, "amount": "abc"},
        {"uuid": "d", "date": 1736582400, "amount": "12 500,00", "status": "closed", "is_return": None},
        {"uuid": "e", "date": "not a date", "amount": 1},
        "garbage",
        {"uuid": "f", "date": 1736582400, "amount": Decimal("NaN")},
    ]
    batch = parse_records(DocCheque, raw)
    assert [c.uuid for c in batch] == ["a", "d"]
    assert batch.items[1].amount == Decimal("12500.00")
    assert batch.items[1].is_return is False
    assert batch.skipped == 5
    assert [p.record_id for p in batch.problems] == [None, "c", "e", None, "f"]


def test_payment_type_may_be_object_id_or_name() -> None:
    base = {"uuid": "p", "document": "d", "value": 100}
    assert ChequePaymentOperation.model_validate({**base, "type": {"id": 2, "name": "Uzcard"}}).payment_type.id == 2  # type: ignore[union-attr]
    assert ChequePaymentOperation.model_validate({**base, "payment_type": 3}).payment_type.id == 3  # type: ignore[union-attr]
    assert ChequePaymentOperation.model_validate({**base, "type": "Click"}).payment_type.name == "Click"  # type: ignore[union-attr]


async def test_stream_reports_skipped_records() -> None:
    page = [{"id": 1, "name": "ok"}, {"name": "no id"}, {"id": "x"}]
    script = Script(ok(page, next_offset=0, total=3))
    async with make_client(script) as client:
        stream = client.iter_stocks()
        stocks = [s async for s in stream]
    assert [s.id for s in stocks] == [1]
    assert stream.skipped == 2


# -- typed wrappers ---------------------------------------------------------------------------------------------


async def test_current_quantity_is_chunked_by_250_ids() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        ids = json.loads(request.content)["item_ids"]
        return ok([{"item_id": i, "stock_id": 1, "quantity": "1.5"} for i in ids])

    script = Script(answer)
    async with make_client(script) as client:
        batch = await client.get_current_quantities([*range(1, 601), 5, 6], stock_ids=[1])
    assert [len(b["item_ids"]) for b in script.bodies()] == [250, 250, 100]
    assert all(b["stock_ids"] == [1] for b in script.bodies())
    assert len(batch) == 600
    assert batch[0].quantity == Decimal("1.5")


async def test_doc_cheque_filters_follow_the_reference() -> None:
    script = Script(ok([], next_offset=0, total=0))
    start, end = day_bounds(date(2025, 1, 11))
    async with make_client(script) as client:
        await client.iter_doc_cheques(start, datetime.fromtimestamp(end, tz=UTC), status=3, is_return=False).collect()
    body = script.bodies()[0]
    assert body["start_date"] == start and body["end_date"] == end
    assert body["status"] == "Closed" and body["is_return"] is False
    assert (body["limit"], body["offset"]) == (1000, 0)


async def test_naive_datetimes_are_refused() -> None:
    async with make_client(Script(ok([]))) as client:
        with pytest.raises(ValueError, match="naive"):
            client.iter_doc_cheques(datetime(2025, 1, 1), datetime(2025, 1, 2))


async def test_items_by_last_update_fall_back_to_client_side_filtering() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        if "filters" in body:
            return regos_error(1008, "bad filter")
        return ok([{"id": 1, "last_update": 100}, {"id": 2, "last_update": 300}], next_offset=0, total=2)

    script = Script(answer)
    async with make_client(script) as client:
        items = await client.iter_items(updated_since=200).collect()
    assert [i.id for i in items] == [2]
    assert "filters" in script.bodies()[0] and "filters" not in script.bodies()[1]


async def test_event_iteration_stops_when_the_cursor_does_not_move() -> None:
    event = {
        "event_id": "e1",
        "occurred_at": "2026-06-26T10:00:00Z",
        "action": "DocChequeClosed",
        "data": {"uuid": "u"},
    }
    script = Script(ok({"events": [event], "next_event_id": "e1", "has_more": True}))
    async with make_client(script) as client:
        events = [e async for e in client.iter_events(last_event_id="e0")]
        assert [e.event_id for e in events] == ["e1", "e1"]
    assert script.bodies()[0]["connected_integration_id"] == KEY
    assert len(script.requests) == 2


# -- check_connection -------------------------------------------------------------------------------------------


def _by_method(answers: Mapping[str, httpx.Response | Responder]) -> Responder:
    def answer(request: httpx.Request) -> httpx.Response:
        method = request.url.path.split("/v1/", 1)[1]
        found = answers[method]
        return found(request) if callable(found) and not isinstance(found, httpx.Response) else found

    return answer


async def test_check_connection_ok_and_failures() -> None:
    stocks = ok([{"id": 1, "name": "Chilonzor"}], next_offset=0, total=1)
    async with make_client(_by_method({"CurrentTimeStamp/Get": ok(1700000000), "Stock/Get": stocks})) as client:
        result = await check_connection(client)
    assert result.ok and [s.name for s in result.stocks] == ["Chilonzor"]

    async with make_client(_by_method({"CurrentTimeStamp/Get": regos_error(9002)})) as client:
        result = await check_connection(client)
    assert (result.ok, result.problem, result.failed_method, result.error_code) == (
        False,
        RegosProblem.KEY_REJECTED,
        "CurrentTimeStamp/Get",
        9002,
    )

    answers = {"CurrentTimeStamp/Get": ok(1700000000), "Stock/Get": regos_error(1007)}
    async with make_client(_by_method(answers)) as client:
        result = await check_connection(client)
    assert (result.problem, result.failed_method) == (RegosProblem.NO_RIGHTS, "Stock/Get")
    assert result.server_time is not None

    async with make_client(_by_method({"CurrentTimeStamp/Get": _connect_error})) as client:
        result = await check_connection(client)
    assert result.problem is RegosProblem.UNREACHABLE

    async with make_client(_by_method({"CurrentTimeStamp/Get": httpx.Response(404)})) as client:
        result = await check_connection(client)
    assert result.problem is RegosProblem.KEY_REJECTED


# -- OAuth ------------------------------------------------------------------------------------------------------


class OAuthServer:
    def __init__(self) -> None:
        self.tokens_issued = 0
        self.valid: set[str] = set()
        self.gateway_calls = 0

    def __call__(self, request: httpx.Request) -> httpx.Response:
        if request.url.path == "/oauth/token":
            form = dict(x.split("=") for x in request.content.decode().split("&"))
            assert form["grant_type"] == "client_credentials"
            if form["client_secret"] != "s3cr3t-s3cr3t":
                return httpx.Response(401, json={"error": "invalid_client"})
            self.tokens_issued += 1
            token = f"tok{self.tokens_issued}-xxxxxxxx"
            self.valid.add(token)
            return httpx.Response(200, json={"access_token": token, "token_type": "Bearer", "expires_in": 600})
        self.gateway_calls += 1
        if request.headers.get("Authorization", "").removeprefix("Bearer ") not in self.valid:
            return httpx.Response(401, json={"ok": False, "result": {"error": 9001, "description": "token"}})
        return ok(1700000000)


def oauth_client(server: OAuthServer, vt: VirtualTime, secret: str = "s3cr3t-s3cr3t") -> RegosClient:
    credentials = OAuthCredentials("app", secret, token_url="https://auth.test/oauth/token")
    return make_client(server, vt, oauth=credentials)


async def test_oauth_token_is_cached_until_shortly_before_expiry() -> None:
    server, vt = OAuthServer(), VirtualTime()
    async with oauth_client(server, vt) as client:
        for _ in range(3):
            await client.get_current_timestamp()
        assert server.tokens_issued == 1
        vt.now += 600 - 60 - 1  # still inside expires_in minus the margin
        await client.get_current_timestamp()
        assert server.tokens_issued == 1
        vt.now += 2
        await client.get_current_timestamp()
        assert server.tokens_issued == 2


async def test_oauth_401_refreshes_the_token_once() -> None:
    server, vt = OAuthServer(), VirtualTime()
    async with oauth_client(server, vt) as client:
        await client.get_current_timestamp()
        server.valid.clear()  # revoked on the server side
        await client.get_current_timestamp()
        assert server.tokens_issued == 2


async def test_oauth_bad_credentials_raise_auth_error() -> None:
    server, vt = OAuthServer(), VirtualTime()
    async with oauth_client(server, vt, secret="wrong-wrong-wrong") as client:
        with pytest.raises(RegosAuthError):
            await client.get_current_timestamp()
    assert server.gateway_calls == 0


# -- webhooks ---------------------------------------------------------------------------------------------------


def test_webhook_flat_and_wrapped_shapes() -> None:
    flat = parse_webhook_event(
        b'{"event_id":"e1","occurred_at":"2026-06-26T10:00:00Z","action":"DocChequeClosed","data":{"uuid":"u1"}}'
    )
    assert (flat.event_id, flat.action, flat.entity_uuid, flat.wrapped) == ("e1", "DocChequeClosed", "u1", False)
    assert flat.occurred_at == datetime(2026, 6, 26, 10, tzinfo=UTC)
    wrapped = parse_webhook_event(
        {
            "action": "HandleWebhook",
            "connected_integration_id": "ci",
            "event_id": "e2",
            "occurred_at": "2026-06-26T10:00:00Z",
            "data": {"action": "DocWholeSalePerformed", "data": {"id": 54321}},
        }
    )
    assert (wrapped.event_id, wrapped.action, wrapped.entity_id, wrapped.wrapped) == (
        "e2",
        "DocWholeSalePerformed",
        54321,
        True,
    )
    assert wrapped.connected_integration_id == "ci" and wrapped.is_wholesale_event and wrapped.entity_key == "54321"
    canceled = parse_webhook_event(
        {"event_id": "e3", "action": "DocChequeCanceled", "data": {"uuid": "u"}}, header_integration_id="h"
    )
    assert canceled.is_receipt_event and canceled.connected_integration_id == "h"


@pytest.mark.parametrize(
    "payload",
    [b"not json", b"[]", {"event_id": "e"}, {"action": "X", "data": {}}, {"action": "HandleWebhook", "event_id": "e"}],
)
def test_webhook_garbage_is_rejected(payload: Any) -> None:
    with pytest.raises(WebhookPayloadError):
        parse_webhook_event(payload)


# -- against the fake gateway -----------------------------------------------------------------------------------


@pytest.fixture
async def fake(start_fake_regos: FakeRegosFactory) -> FakeRegos:
    return await start_fake_regos(
        seed=3,
        start_date=date(2025, 1, 6),
        days=3,
        receipts_per_day=80,
        keys={"a" * 32: None, "b" * 32: ["Stock/Get"]},
        oauth_clients={"app": OAuthClient("app-secret-123", "c" * 32)},
    )


async def test_client_reads_a_day_from_the_fake_like_the_generator(fake: FakeRegos) -> None:
    day = date(2025, 1, 7)
    async with RegosClient(
        "a" * 32, base_url=fake.gateway_url, rate_limit=RateLimit.disabled(), page_size=25
    ) as client:
        start, end = client.day_bounds(day)
        cheques = await client.iter_doc_cheques(start, end).collect()
        assert cheques.skipped == 0
        truth = fake.generator.day_totals(day)
        closed_sales = [c for c in cheques if c.is_closed and not c.is_return]
        assert len(closed_sales) == truth.sale_count
        assert sum(c.amount for c in closed_sales) == truth.retail_gross
        lines = await client.get_cheque_items(closed_sales[0].uuid)
        kept = {line.uuid for line in lines if not line.has_storno} - {
            line.storno_uuid for line in lines if line.has_storno
        }
        assert sum(line.amount for line in lines if line.uuid in kept) == closed_sales[0].amount


async def test_check_connection_against_the_fake(fake: FakeRegos) -> None:
    options: dict[str, Any] = {"base_url": fake.gateway_url, "rate_limit": RateLimit.disabled()}
    async with RegosClient("a" * 32, **options) as client:
        result = await check_connection(client)
        assert result.ok and len(result.stocks) == 3
    async with RegosClient("b" * 32, **options) as client:
        result = await check_connection(client)
        assert (result.problem, result.failed_method, result.error_code) == (
            RegosProblem.NO_RIGHTS,
            "Stock/Get",
            1007,
        )
    async with RegosClient("f" * 32, **options) as client:
        result = await check_connection(client)
        assert (result.problem, result.error_code) == (RegosProblem.KEY_REJECTED, 9002)


async def test_client_survives_the_fakes_faults(fake: FakeRegos) -> None:
    vt = VirtualTime()
    fake.set_faults(schedule=["429", "502", "broken_json", "8213", "timeout"], retry_after=3, hang_seconds=5)
    async with RegosClient(
        "a" * 32,
        base_url=fake.gateway_url,
        rate_limit=RateLimit.disabled(),
        timeout=0.3,
        retry=RetryPolicy(max_attempts=6),
        sleep=vt.sleep,
    ) as client:
        stocks = await client.iter_stocks().collect()
    assert len(stocks) == 3
    assert vt.sleeps[0] == 3.0
    assert [r.fault for r in fake.request_log] == ["429", "502", "broken_json", "8213", "timeout", None]


async def test_client_oauth_against_the_fake(fake: FakeRegos) -> None:
    credentials = OAuthCredentials("app", "app-secret-123", token_url=fake.token_url)
    async with RegosClient(
        "c" * 32, base_url=fake.gateway_url, oauth=credentials, rate_limit=RateLimit.disabled()
    ) as client:
        await client.get_current_timestamp()
        fake.expire_tokens()
        await client.get_current_timestamp()
    assert fake.token_requests == 2
    async with RegosClient("c" * 32, base_url=fake.gateway_url, rate_limit=RateLimit.disabled()) as client:
        with pytest.raises(RegosAuthError):
            await client.get_current_timestamp()

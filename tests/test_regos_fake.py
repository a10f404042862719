"""The fake REGOS gateway and its data generator: determinism, consistent totals, protocol behaviour."""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from aiohttp import web

from sandbox.regos import (
    FakeRegos,
    GeneratorConfig,
    RegosDataGenerator,
    day_of_uuid,
    effective_lines,
    effective_payments,
)
from sandbox.regos.serialize import RegosSerializer, encode
from services.regos import parse_webhook_event
from services.regos.parsing import loads
from tests.helpers import FakeRegosFactory, FrozenClock

TASHKENT = ZoneInfo("Asia/Tashkent")
START = date(2025, 1, 6)  # a Monday
KEY = "0123456789abcdef0123456789abcdef"


def small_generator(**options: Any) -> RegosDataGenerator:
    config = {"seed": 5, "start_date": START, "days": 14, "receipts_per_day": 120, **options}
    return RegosDataGenerator(GeneratorConfig(**config))


def serialized_day(generator: RegosDataGenerator, day: date) -> bytes:
    serializer = RegosSerializer(generator)
    data = generator.day(day)
    return encode(
        {
            "receipts": [serializer.doc_cheque(r) for r in data.receipts],
            "lines": [serializer.cheque_line(line) for r in data.receipts for line in r.lines],
            "payments": [serializer.cheque_payment(p) for r in data.receipts for p in r.payments],
            "sessions": [serializer.cash_session(s) for s in data.sessions],
            "wholesale": [serializer.wholesale(w) for w in data.wholesales + data.wholesale_returns],
        }
    )


# -- generator --------------------------------------------------------------------------------------------------


def test_same_seed_same_data_in_any_order_and_after_eviction() -> None:
    first, second = small_generator(cache_days=1), small_generator(cache_days=1)
    days = [START + timedelta(days=i) for i in (3, 0, 9, 3)]
    forward = [serialized_day(first, d) for d in days]
    backward = [serialized_day(second, d) for d in reversed(days)][::-1]
    assert forward == backward
    other = small_generator(seed=6)
    assert serialized_day(other, days[0]) != forward[0]


def test_every_receipt_adds_up() -> None:
    generator = small_generator()
    seen_statuses: Counter[str] = Counter()
    storno_receipts = change_rows = 0
    for day in generator.days:
        for receipt in generator.day(day).receipts:
            seen_statuses[receipt.status] += 1
            assert receipt.day == day == datetime.fromtimestamp(receipt.date, TASHKENT).date()
            assert day_of_uuid(receipt.uuid) == day
            lines = effective_lines(receipt.lines)
            assert sum(line.amount for line in lines) == receipt.amount
            assert sum(line.amount for line in receipt.lines) == receipt.amount  # storno pairs cancel out
            storno_receipts += any(line.has_storno for line in receipt.lines)
            assert all(line.price <= line.price2 for line in receipt.lines)
            assert receipt.amount == receipt.amount.quantize(Decimal("0.01"))
            if receipt.is_closed:
                assert sum(p.value for p in effective_payments(receipt.payments)) == receipt.amount
                assert sum(p.value for p in receipt.payments) == receipt.amount
                change_rows += sum(1 for p in receipt.payments if p.change_uuid)
            else:
                assert receipt.payments == []
            if receipt.is_return:
                original = generator.receipt(receipt.original_uuid or "")
                assert original is not None and original.is_closed and not original.is_return
                assert original.stock_id == receipt.stock_id and original.date < receipt.date
                sold = {line.item_id: line.quantity for line in effective_lines(original.lines)}
                assert all(line.quantity <= sold[line.item_id] for line in receipt.lines)
    assert {"Closed", "Canceled", "Opened"} <= set(seen_statuses)
    assert storno_receipts > 0 and change_rows > 0


def test_ground_truth_is_consistent_across_views() -> None:
    generator = small_generator()
    for day in generator.days[:5]:
        total = generator.day_totals(day)
        branches = generator.branch_totals(day)
        assert sum(b.sale_count for b in branches.values()) == total.sale_count
        assert sum(b.retail_gross for b in branches.values()) == total.retail_gross
        assert sum(b.wholesale_net for b in branches.values()) == total.wholesale_net
        assert total.retail_net == total.retail_gross - total.retail_returns
        assert sum(p.sale_amount for p in total.payments.values()) == total.retail_gross
        assert sum(p.return_amount for p in total.payments.values()) == total.retail_returns
        items = generator.item_totals(day)
        assert sum(i.sale_amount for i in items.values()) == total.retail_gross
        assert sum(i.return_amount for i in items.values()) == total.retail_returns
        sellers = generator.employee_totals(day)
        assert sum(s.retail_net for s in sellers.values()) == total.retail_net
        data = generator.day(day)
        performed = [w for w in data.wholesales if w.performed and not w.deleted_mark]
        assert total.wholesale_gross == sum(w.amount for w in performed)
        assert total.wholesale_count + sum(1 for w in data.wholesales if not w.counts_as_revenue) == len(
            data.wholesales
        )
        for doc in data.wholesales:
            assert doc.amount == sum(line.amount for line in doc.lines)
    week = generator.period_totals(generator.days[0], generator.days[6])
    assert week.retail_gross == sum(generator.day_totals(d).retail_gross for d in generator.days[:7])


def test_weekly_and_daily_rhythm() -> None:
    generator = small_generator(days=28, receipts_per_day=400)
    counts = {d: generator.receipt_count(d) for d in generator.days}
    weekend = [c for d, c in counts.items() if d.weekday() >= 5]
    weekday = [c for d, c in counts.items() if d.weekday() < 5]
    assert sum(weekend) / len(weekend) > 1.1 * sum(weekday) / len(weekday)
    hours = Counter(datetime.fromtimestamp(r.date, TASHKENT).hour for r in generator.day(generator.days[5]).receipts)
    assert hours[13] + hours[19] > hours[10] + hours[16]
    assert sum(n for h, n in hours.items() if h < 6) > 0  # the 24/7 branch sells at night


def test_scale_is_cheap_to_plan() -> None:
    generator = RegosDataGenerator(GeneratorConfig(seed=1, start_date=START, days=50, receipts_per_day=20_000))
    assert 900_000 < generator.total_receipt_count() < 1_100_000


def test_mutations_change_truth_and_last_update() -> None:
    generator = small_generator()
    generator.clock = lambda: 1_900_000_000
    day = generator.days[2]
    before = generator.day_totals(day)
    sale = next(r for r in generator.day(day).receipts if r.is_closed and not r.is_return)
    cancelled = generator.cancel_receipt(sale.uuid)
    assert cancelled.status == "Canceled" and cancelled.last_update == 1_900_000_000
    after = generator.day_totals(day)
    assert after.sale_count == before.sale_count - 1
    assert after.retail_gross == before.retail_gross - sale.amount
    assert after.cancelled_count == before.cancelled_count + 1

    another = next(r for r in generator.day(day).receipts if r.is_closed and not r.is_return and r.uuid != sale.uuid)
    later = generator.days[5]
    moment = generator.day_start(later) + 15 * 3600
    returned = generator.add_return(another.uuid, moment)
    assert returned.is_return and returned.original_uuid == another.uuid
    assert generator.day_totals(later).retail_returns == generator.day_totals(later).retail_returns  # stable
    assert returned.uuid in generator.day(later).receipts_by_uuid

    opened = next((r for d in generator.days for r in generator.day(d).receipts if r.status == "Opened"), None)
    assert opened is not None
    closed = generator.close_receipt(opened.uuid, payment_type_id=4)
    assert closed.is_closed and closed.payments[0].value == closed.amount

    added = generator.add_receipt(generator.days[1], stock_id=2, items=[(1, 2)])
    assert added.stock_id == 2 and added.amount == 2 * generator.items_by_id[1].price
    assert (
        generator.day_totals(generator.days[1], stock_id=2).sale_count
        == generator.branch_totals(generator.days[1])[2].sale_count
    )


# -- the HTTP gateway -------------------------------------------------------------------------------------------


@pytest.fixture
async def fake(start_fake_regos: FakeRegosFactory) -> FakeRegos:
    return await start_fake_regos(
        seed=5, start_date=START, days=7, receipts_per_day=120, keys={KEY: None, "d" * 32: ["DocCheque/Get"]}
    )


async def regos(
    fake: FakeRegos, method: str, body: dict[str, Any] | None = None, key: str = KEY, **kw: Any
) -> httpx.Response:
    async with httpx.AsyncClient(timeout=kw.pop("timeout", 10)) as http:
        return await http.post(f"{fake.gateway_url}/{key}/v1/{method}", json=body or {}, **kw)


def envelope(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 200
    data = loads(response.content)
    assert isinstance(data, dict)
    return data


async def fetch_all(fake: FakeRegos, method: str, body: dict[str, Any], limit: int = 50) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    offset = 0
    while True:
        page = envelope(await regos(fake, method, {**body, "limit": limit, "offset": offset}))
        assert page["ok"] is True
        rows.extend(page["result"])
        if not page["next_offset"]:
            assert len(rows) == page["total"]
            return rows
        assert page["next_offset"] == offset + len(page["result"])
        offset = page["next_offset"]


async def test_http_answers_match_ground_truth(fake: FakeRegos) -> None:
    generator = fake.generator
    day = START + timedelta(days=5)
    start, end = generator.day_bounds(day)
    fake.set_rate_limit(False)
    for stock in generator.stocks:
        truth = generator.day_totals(day, stock.id)
        tills = [t.id for t in generator.tills if t.stock_id == stock.id]
        short = await fetch_all(
            fake, "DocCheque/GetShort", {"start_date": start, "end_date": end, "stock_ids": [stock.id]}
        )
        closed = [r for r in short if r["sale_status"] == "Closed"]
        assert sum(1 for r in closed if not r["is_return"]) == truth.sale_count
        assert sum(r["amount"] for r in closed if not r["is_return"]) == truth.retail_gross
        assert sum(r["amount"] for r in closed if r["is_return"]) == truth.retail_returns

        window = {"start_date": start, "end_date": end, "operating_cash_ids": tills}
        counts = envelope(await regos(fake, "RetailReport/Counts", window))["result"][0]
        assert (counts["sale_count"], counts["return_count"]) == (truth.sale_count, truth.return_count)
        assert counts["gross_profit"] == truth.gross_profit
        payments = envelope(await regos(fake, "RetailReport/Payments", window))["result"]
        assert {
            p["payment_type_name"]: p["sale_amount"] - p["return_amount"] for p in payments
        } == truth.payments_by_name()
        operations = await fetch_all(fake, "RetailReport/Operations", window)
        items = generator.item_totals(day, stock.id)
        assert {o["item"]["id"]: (o["sale_quantity"], o["sale_amount"]) for o in operations} == {
            i: (t.sale_quantity, t.sale_amount) for i, t in items.items()
        }

        wholesale = await fetch_all(
            fake, "DocWholeSale/Get", {"start_date": start, "end_date": end, "stock_ids": [stock.id]}
        )
        returns = await fetch_all(
            fake, "DocWholeSaleReturn/Get", {"start_date": start, "end_date": end, "stock_ids": [stock.id]}
        )
        counted = sum(d["amount"] for d in wholesale if d["performed"] and not d["deleted_mark"])
        counted -= sum(d["amount"] for d in returns if d["performed"] and not d["deleted_mark"])
        assert counted == truth.wholesale_net


async def test_receipt_lines_payments_and_sessions_link_up(fake: FakeRegos) -> None:
    fake.set_rate_limit(False)
    day = START + timedelta(days=1)
    start, end = fake.generator.day_bounds(day)
    cheques = await fetch_all(
        fake, "DocCheque/Get", {"start_date": start, "end_date": end, "status": "Closed"}, limit=40
    )
    assert cheques and all(c["status"] == "Closed" for c in cheques)
    assert [c["date"] for c in cheques] == sorted(c["date"] for c in cheques)
    sessions = await fetch_all(fake, "DocCashSession/Get", {"start_date": start, "end_date": end})
    session_tills = {s["uuid"]: s["operating_cash_id"] for s in sessions}
    tills = {t["id"]: t["stock"]["id"] for t in await fetch_all(fake, "OperatingCash/Get", {})}
    for cheque in cheques[:15]:
        stock_id = tills[session_tills[cheque["session"]]]
        assert stock_id == fake.generator.receipt(cheque["uuid"]).stock_id  # type: ignore[union-attr]
        lines = envelope(await regos(fake, "ChequeItemOperation/Get", {"doc_sale_uuid": cheque["uuid"]}))["result"]
        assert sum(line["quantity"] * line["price"] for line in lines) == cheque["amount"]
        payments = envelope(await regos(fake, "ChequePaymentOperation/Get", {"doc_sale_uuid": cheque["uuid"]}))[
            "result"
        ]
        assert sum(p["value"] for p in payments) == cheque["amount"]
        assert all(p["type"]["name"] for p in payments)
    by_uuid = envelope(await regos(fake, "DocCheque/Get", {"uuids": [cheques[3]["uuid"]]}))["result"]
    assert [c["uuid"] for c in by_uuid] == [cheques[3]["uuid"]]


async def test_descending_paging_and_window_edges(fake: FakeRegos) -> None:
    fake.set_rate_limit(False)
    generator = fake.generator
    first_day, last_day = generator.days[1], generator.days[3]
    start, end = generator.day_bounds(first_day)[0] + 3600 * 12, generator.day_bounds(last_day)[1] - 3600 * 12
    ascending = await fetch_all(fake, "DocCheque/Get", {"start_date": start, "end_date": end}, limit=97)
    expected = [r.uuid for r in generator.iter_receipts(start, end)]
    assert [c["uuid"] for c in ascending] == expected
    descending = await fetch_all(
        fake,
        "DocCheque/Get",
        {"start_date": start, "end_date": end, "sort_orders": [{"column": "Date", "direction": "DESC"}]},
        limit=97,
    )
    assert [c["uuid"] for c in descending] == expected[::-1]


async def test_money_is_sent_as_exact_json_numbers(fake: FakeRegos) -> None:
    start, end = fake.generator.day_bounds(START)
    response = await regos(fake, "DocCheque/Get", {"start_date": start, "end_date": end, "limit": 1})
    text = response.text
    assert '"amount":' in text and '"amount":"' not in text
    assert json.loads(text)["result"][0]["amount"] == float(loads(response.content)["result"][0]["amount"])


async def test_keys_and_rights(fake: FakeRegos) -> None:
    bad = envelope(await regos(fake, "Stock/Get", key="e" * 32))
    assert bad == {"ok": False, "result": {"error": 9002, "description": bad["result"]["description"]}}
    denied = envelope(await regos(fake, "DocCheque/Get", key="d" * 32))
    assert denied["ok"] is False and denied["result"]["error"] == 1007
    allowed = envelope(await regos(fake, "Stock/Get", key="d" * 32))
    assert allowed["ok"] is True and allowed["total"] == 3
    assert (await regos(fake, "No/Such")).status_code == 404
    broken = await regos(fake, "Stock/Get", content=b"{not json", headers={"Content-Type": "application/json"})
    assert envelope(broken)["result"]["error"] == 1012


async def test_rate_limit_answers_8213_past_the_burst(start_fake_regos: FakeRegosFactory) -> None:
    clock = FrozenClock()
    server = await start_fake_regos(seed=1, days=1, receipts_per_day=5, keys=[KEY], clock=clock)  # 2/s, burst 50
    url = f"{server.gateway_url}/{KEY}/v1/CurrentTimeStamp/Get"
    async with httpx.AsyncClient() as http:

        async def call() -> Any:
            data = envelope(await http.post(url, json={}))
            return "ok" if data["ok"] else data["result"]["error"]

        codes = [await call() for _ in range(60)]
        assert codes.count("ok") == 50 and codes.count(8213) == 10
        clock.advance(1.0)  # two tokens refill per second
        assert [await call() for _ in range(3)] == ["ok", "ok", 8213]
        server.set_rate_limit(False)
        assert {await call() for _ in range(60)} == {"ok"}


async def test_faults_by_schedule_probability_and_control_api(fake: FakeRegos) -> None:
    fake.set_faults(schedule=["429", "503", "broken_json", "8213", "empty_page", "ok"], retry_after=4)
    first = await regos(fake, "Stock/Get")
    assert first.status_code == 429 and first.headers["Retry-After"] == "4"
    assert (await regos(fake, "Stock/Get")).status_code == 503
    with pytest.raises(ValueError):
        loads((await regos(fake, "Stock/Get")).content)
    assert envelope(await regos(fake, "Stock/Get"))["result"]["error"] == 8213
    assert envelope(await regos(fake, "Stock/Get"))["result"] == []
    assert envelope(await regos(fake, "Stock/Get"))["ok"] is True

    fake.set_faults(schedule=["timeout"], hang_seconds=5)
    with pytest.raises(httpx.ReadTimeout):
        await regos(fake, "Stock/Get", timeout=0.2)

    fake.set_faults(rate_5xx=1.0, methods=["DocCheque/Get"])
    assert envelope(await regos(fake, "Stock/Get"))["ok"] is True
    assert (await regos(fake, "DocCheque/Get")).status_code in (500, 502, 503, 504)

    async with httpx.AsyncClient() as http:
        assert (await http.delete(f"{fake.base_url}/_fake/faults")).status_code == 200
        await http.post(f"{fake.base_url}/_fake/down", json={"down": True})
        assert (await regos(fake, "CurrentTimeStamp/Get")).status_code == 503
        await http.post(f"{fake.base_url}/_fake/down", json={"down": False})
        assert envelope(await regos(fake, "CurrentTimeStamp/Get"))["ok"] is True
        reply = await http.post(f"{fake.base_url}/_fake/faults", json={"schedule": ["500"], "rate_slow": 0})
        assert reply.status_code == 200
        assert (await regos(fake, "Stock/Get")).status_code == 500
        assert (await http.post(f"{fake.base_url}/_fake/faults", json={"nonsense": 1})).status_code == 400
        state = (await http.get(f"{fake.base_url}/_fake/state")).json()
        assert state["period"][0] == START.isoformat()
        truth = (
            await http.get(f"{fake.base_url}/_fake/truth", params={"day": START.isoformat(), "stock_id": 1})
        ).json()
        assert Decimal(str(truth["totals"]["retail_net"])) == fake.generator.day_totals(START, 1).retail_net


async def test_current_quantity_limit_and_items_filter(fake: FakeRegos) -> None:
    too_many = envelope(await regos(fake, "Item/GetCurrentQuantity", {"item_ids": list(range(1, 252))}))
    assert too_many["ok"] is False and too_many["result"]["error"] == 1008
    quantities = envelope(await regos(fake, "Item/GetCurrentQuantity", {"item_ids": [1, 2], "stock_ids": [1]}))[
        "result"
    ]
    assert [(q["item_id"], q["stock_id"]) for q in quantities] == [(1, 1), (2, 1)]
    fake.generator.clock = lambda: 2_000_000_000
    fake.generator.update_item(7, price=15_000)
    since = {"filters": [{"Field": "last_update", "Operator": "GreaterOrEqual", "Value": "1999999999"}]}
    changed = envelope(await regos(fake, "Item/Get", since))["result"]
    assert [i["id"] for i in changed] == [7]
    bad_field = envelope(
        await regos(fake, "Item/Get", {"filters": [{"Field": "colour", "Operator": "Equal", "Value": "1"}]})
    )
    assert bad_field["result"]["error"] == 1008


async def test_mutations_raise_events_and_webhooks(start_fake_regos: FakeRegosFactory) -> None:
    received: list[dict[str, Any]] = []
    failures = {"left": 1}

    async def receive(request: web.Request) -> web.Response:
        if failures["left"]:
            failures["left"] -= 1
            return web.Response(status=500)
        received.append({"body": await request.json(), "header": request.headers.get("connected-integration-id")})
        return web.Response(text="ok")

    app = web.Application()
    app.router.add_post("/hook", receive)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    server = await start_fake_regos(
        seed=2, start_date=START, days=3, receipts_per_day=60, keys=[KEY],
        webhook_url=f"http://127.0.0.1:{port}/hook", webhook_retry_delay=0.01,
    )  # fmt: skip
    try:
        day = START + timedelta(days=1)
        sale = next(r for r in server.generator.day(day).receipts if r.is_closed and not r.is_return)
        server.cancel_receipt(sale.uuid)
        server.webhook_wrapped = True
        added = server.add_receipt(day, stock_id=1)
        await server.flush_webhooks()

        attempts: dict[str, list[int | None]] = {}
        for delivery in server.webhook_deliveries:
            attempts.setdefault(delivery.event_id, []).append(delivery.status)
        assert sorted(attempts.values(), key=len) == [[200], [500, 200]]  # a failed delivery is retried, same event_id
        parsed = {}
        for item in received:
            event = parse_webhook_event(item["body"], header_integration_id=item["header"])
            parsed[event.action] = event
            assert event.event_id in attempts
        assert (parsed["DocChequeCanceled"].entity_uuid, parsed["DocChequeCanceled"].wrapped) == (sale.uuid, False)
        assert (parsed["DocChequeClosed"].entity_uuid, parsed["DocChequeClosed"].wrapped) == (added.uuid, True)
        assert parsed["DocChequeClosed"].connected_integration_id == server.default_key

        events = envelope(await regos(server, "Event/Get", {"limit": 1}))["result"]
        assert [e["action"] for e in events["events"]] == ["DocChequeCanceled"] and events["has_more"] is True
        rest = envelope(await regos(server, "Event/Get", {"last_event_id": events["next_event_id"]}))["result"]
        assert [e["action"] for e in rest["events"]] == ["DocChequeClosed"] and rest["has_more"] is False
        only = envelope(await regos(server, "Event/Get", {"actions": ["DocChequeClosed"]}))["result"]["events"]
        assert [e["data"]["uuid"] for e in only] == [added.uuid]

        cheque = envelope(await regos(server, "DocCheque/Get", {"uuids": [sale.uuid]}))["result"][0]
        assert cheque["status"] == "Canceled" and cheque["last_update"] > sale.last_update
        start, end = server.generator.day_bounds(day)
        counts = envelope(await regos(server, "RetailReport/Counts", {"start_date": start, "end_date": end}))["result"][
            0
        ]
        assert counts["sale_count"] == server.generator.day_totals(day).sale_count

        async with httpx.AsyncClient() as http:
            reply = await http.post(
                f"{server.base_url}/_fake/receipts/{added.uuid}/return", json={"at": start + 23 * 3600}
            )
            assert reply.status_code == 200 and reply.json()["receipt"]["is_return"] is True
        await server.flush_webhooks()
        assert len(received) == 3
    finally:
        await server.stop()  # before the receiver goes away
        await runner.cleanup()


async def test_stop_releases_hanging_requests(start_fake_regos: FakeRegosFactory) -> None:
    server = await start_fake_regos(seed=1, days=1, receipts_per_day=5, keys=[KEY])
    server.set_faults(schedule=["timeout"], hang_seconds=60)
    pending = asyncio.create_task(regos(server, "Stock/Get", timeout=30))
    await asyncio.sleep(0.2)
    loop = asyncio.get_running_loop()
    started = loop.time()
    await server.stop()
    assert loop.time() - started < 5
    with pytest.raises((httpx.HTTPError, AssertionError)):
        response = await pending
        assert response.status_code == 200

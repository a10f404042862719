"""The fake REGOS in the situations of issues 9, 10 and 11: a clock that reveals the day as it goes, a 20,000-receipt
day, a till moved between branches, REGOS's aggregates disagreeing with the headers, a key shared with another
integration, receipts at the edges of midnight, the fault levels and hostile bodies, delete-marked items with stock."""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import AsyncIterator
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import httpx
import pytest

from sandbox.regos import WHOLE_DAY, FakeRegos, GeneratorConfig, RegosDataGenerator, TillMove
from services.regos.parsing import loads

START = date(2025, 1, 6)  # a Monday
DAY = START + timedelta(days=2)
KEY = "0123456789abcdef0123456789abcdef"


class Clock:
    """A settable Unix clock for the fake's ``now``."""

    def __init__(self, value: float) -> None:
        self.value = value

    def __call__(self) -> float:
        return self.value


async def call(fake: FakeRegos, method: str, body: dict[str, Any] | None = None, key: str = KEY) -> httpx.Response:
    async with httpx.AsyncClient(timeout=10) as http:
        return await http.post(f"{fake.gateway_url}/{key}/v1/{method}", json=body or {})


async def ok(fake: FakeRegos, method: str, body: dict[str, Any] | None = None) -> Any:
    data = loads((await call(fake, method, body)).content)
    assert data["ok"] is True, data
    return data


async def all_rows(fake: FakeRegos, method: str, body: dict[str, Any]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    offset = 0
    while True:
        page = await ok(fake, method, {**body, "offset": offset})
        rows.extend(page["result"])
        if not page["next_offset"]:
            return rows
        offset = page["next_offset"]


@pytest.fixture
async def live() -> AsyncIterator[tuple[FakeRegos, Clock]]:
    clock = Clock(0)
    fake = FakeRegos(seed=5, start_date=START, days=4, receipts_per_day=120, keys=[KEY], rate_limit=False, now=clock)
    clock.value = fake.generator.day_start(DAY) + 60  # 00:01 Tashkent
    await fake.start()
    yield fake, clock
    await fake.stop()


# -- 11.2: the day is revealed as the clock goes ----------------------------------------------------------------


async def test_the_day_fills_up_with_the_clock(live: tuple[FakeRegos, Clock]) -> None:
    fake, clock = live
    gen = fake.generator
    start, end = gen.day_bounds(DAY)
    window = {"start_date": start, "end_date": end}
    assert gen.day_totals(DAY, as_of=WHOLE_DAY).sale_count == 95
    assert (await ok(fake, "DocCheque/Get", window))["total"] == 0  # 00:01: nothing of the day yet
    assert (await ok(fake, "RetailReport/Counts", window))["result"][0]["sale_count"] == 0

    seen: set[str] = set()
    new_per_sync = []
    for hour in (8, 13, 23, 25):  # an hourly sync as the day goes (25 = 01:00 the next day)
        clock.value = start + hour * 3600
        headers = await all_rows(fake, "DocCheque/Get", {**window, "limit": 40})
        assert all(h["date"] <= clock.value and h["last_update"] <= clock.value for h in headers)
        truth = gen.day_totals(DAY)  # as of now, like the answers
        closed = [h for h in headers if h["status"] == "Closed" and not h["is_return"]]
        assert (len(closed), sum(h["amount"] for h in closed)) == (truth.sale_count, truth.retail_gross)
        counts = (await ok(fake, "RetailReport/Counts", window))["result"][0]
        assert (counts["sale_count"], counts["return_count"]) == (truth.sale_count, truth.return_count)
        new_per_sync.append(len({h["uuid"] for h in headers} - seen))
        seen |= {h["uuid"] for h in headers}
    assert [gen.day_totals(DAY, as_of=start + h * 3600).sale_count for h in (8, 13, 23)] == [4, 25, 95]
    assert all(n > 0 for n in new_per_sync[:3])
    assert gen.day_totals(DAY).retail_net == gen.day_totals(DAY, as_of=WHOLE_DAY).retail_net  # settled
    assert len(seen) == len(gen.day(DAY).receipts)

    async with httpx.AsyncClient() as http:
        now = (await http.get(f"{fake.base_url}/_fake/truth", params={"day": DAY.isoformat()})).json()["totals"]
        whole = (
            await http.get(f"{fake.base_url}/_fake/truth", params={"day": DAY.isoformat(), "as_of": "whole"})
        ).json()["totals"]
        noon = (
            await http.get(f"{fake.base_url}/_fake/truth", params={"day": DAY.isoformat(), "as_of": start + 12 * 3600})
        ).json()["totals"]
    assert now["sale_count"] == whole["sale_count"] == 95 and whole["as_of"] is None
    assert noon["sale_count"] == gen.day_totals(DAY, as_of=start + 12 * 3600).sale_count < 95


async def test_receipt_being_paid_and_shift_still_open(live: tuple[FakeRegos, Clock]) -> None:
    fake, clock = live
    gen = fake.generator
    receipt = gen.receipt("3931cf6f-dcb1-4ae9-b1aa-0b47bb1c4e3e")
    assert receipt is not None and receipt.is_closed and receipt.last_update - receipt.date == 114
    clock.value = receipt.date + 30  # rung up, not paid yet
    [header] = (await ok(fake, "DocCheque/Get", {"uuids": [receipt.uuid]}))["result"]
    assert (header["status"], header["last_update"]) == ("Opened", receipt.date)
    assert (await ok(fake, "ChequePaymentOperation/Get", {"doc_sale_uuid": receipt.uuid}))["result"] == []
    assert len((await ok(fake, "ChequeItemOperation/Get", {"doc_sale_uuid": receipt.uuid}))["result"]) == len(
        receipt.lines
    )
    assert gen.day_totals(DAY).unclosed_count >= 1
    start, end = gen.day_bounds(DAY)
    sessions = (await ok(fake, "DocCashSession/Get", {"start_date": start, "end_date": end}))["result"]
    assert sessions and all(s["closed"] is False and s["close_date"] is None for s in sessions)
    clock.value = receipt.last_update
    [header] = (await ok(fake, "DocCheque/Get", {"uuids": [receipt.uuid]}))["result"]
    assert (header["status"], header["last_update"], header["amount"]) == (
        "Closed",
        receipt.last_update,
        receipt.amount,
    )
    clock.value = end + 3600
    sessions = (await ok(fake, "DocCashSession/Get", {"start_date": start, "end_date": end}))["result"]
    assert len(sessions) == 6 and all(s["closed"] for s in sessions)


async def test_past_days_and_late_receipts_today(live: tuple[FakeRegos, Clock]) -> None:
    fake, clock = live
    gen = fake.generator
    yesterday = DAY - timedelta(days=1)
    assert gen.day_totals(yesterday) == gen.day_totals(yesterday, as_of=gen.horizon())
    assert gen.day_totals(yesterday).retail_net == gen.day_totals(yesterday, as_of=WHOLE_DAY).retail_net
    clock.value = gen.day_start(DAY) + 2 * 3600 + 37 * 60  # 02:37: only the 24/7 branch has a shift open
    before = gen.day_totals(DAY)
    assert (before.sale_count, before.retail_gross) == (1, Decimal("293000.00"))  # one night sale so far
    added = fake.add_receipt(DAY)
    assert added.stock_id == 3 and added.date == clock.value - 60 and added.last_update == clock.value
    [header] = (await ok(fake, "DocCheque/Get", {"uuids": [added.uuid]}))["result"]
    assert header["status"] == "Closed"
    after = gen.day_totals(DAY)
    assert (after.sale_count, after.retail_gross) == (2, before.retail_gross + added.amount)


async def test_stock_moves_with_the_sales_of_the_day(live: tuple[FakeRegos, Clock]) -> None:
    fake, clock = live
    gen = fake.generator
    start, _ = gen.day_bounds(DAY)
    sold: Counter[int] = Counter()
    for day in gen.days[2:]:  # what is still to be sold after 00:00 of DAY, at branch 1
        for item_id, totals in gen.item_totals(day, 1, as_of=WHOLE_DAY).items():
            sold[item_id] += int(totals.sale_quantity - totals.return_quantity)
        for doc in gen.day(day).wholesales + gen.day(day).wholesale_returns:
            if doc.counts_as_revenue and doc.stock_id == 1:
                for line in doc.lines:
                    sold[line.item_id] += int(line.quantity) * (-1 if doc.is_return else 1)
    item_id, quantity = sold.most_common(1)[0]
    closing = gen.closing_level(item_id, 1)
    assert gen.stock_level(item_id, 1, as_of=WHOLE_DAY) == closing
    clock.value = start
    assert gen.stock_level(item_id, 1) == closing + quantity
    levels = (await ok(fake, "Item/GetCurrentQuantity", {"item_ids": [item_id], "stock_ids": [1]}))["result"]
    assert levels == [{"item_id": item_id, "stock_id": 1, "quantity": closing + quantity}]
    clock.value = gen.day_bounds(gen.config.end_date)[1] + 3600
    levels = (await ok(fake, "Item/GetCurrentQuantity", {"item_ids": [item_id], "stock_ids": [1]}))["result"]
    assert levels[0]["quantity"] == closing


async def test_live_events_follow_the_clock(live: tuple[FakeRegos, Clock]) -> None:
    fake, clock = live
    start, _ = fake.generator.day_bounds(DAY)
    clock.value = start + 9 * 3600
    emitted = fake.emit_live_events()
    actions = Counter(e["action"] for e in fake.events)
    visible = fake.generator.view(DAY)
    closed = sum(1 for r in visible.receipts if r.is_closed) + sum(
        1 for r in fake.generator.view(DAY - timedelta(days=1)).receipts if r.is_closed and r.last_update > start + 60
    )
    assert emitted == sum(actions.values()) and actions["DocChequeClosed"] == closed
    assert actions["DocSessionOpened"] == 4  # the 24/7 shifts opened before 00:01, when the fake started
    assert fake.emit_live_events() == 0  # nothing new at the same moment
    events = (await ok(fake, "Event/Get", {"actions": ["DocSessionOpened"]}))["result"]["events"]
    assert len(events) == 4


# -- 9: scenarios --------------------------------------------------------------------------------------------------


async def test_a_day_of_20000_receipts() -> None:
    busy = START + timedelta(days=1)
    fake = FakeRegos(
        seed=1, start_date=START, days=3, receipts_per_day=300, keys=[KEY], rate_limit=False, busy_days={busy: 20_000}
    )
    gen = fake.generator
    assert gen.receipt_count(busy) == 20_000 and gen.total_receipt_count() == 20_546
    started = time.perf_counter()
    data = gen.day(busy)
    generated = time.perf_counter() - started
    assert len(data.receipts) == 20_000 and generated < 20  # about 2.5 s on a busy 2-core machine
    await fake.start()
    try:
        start, end = gen.day_bounds(busy)
        rows = await all_rows(fake, "DocCheque/GetShort", {"start_date": start, "end_date": end, "limit": 10_000})
        truth = gen.day_totals(busy)
        closed = [r for r in rows if r["sale_status"] == "Closed"]
        assert len(rows) == 20_000 and truth.sale_count == 18_926
        assert sum(r["amount"] for r in closed if not r["is_return"]) == truth.retail_gross
        counts = (await ok(fake, "RetailReport/Counts", {"start_date": start, "end_date": end}))["result"][0]
        assert (counts["sale_count"], counts["return_count"]) == (18_926, truth.return_count)
    finally:
        await fake.stop()


async def test_a_till_moved_to_another_branch_mid_period() -> None:
    clock = Clock(0)
    moved_at = RegosDataGenerator(start_date=START, days=4).day_start(DAY) + 14 * 3600  # 14:00 on the third day
    config = GeneratorConfig(
        seed=5, start_date=START, days=4, receipts_per_day=120, till_moves=[TillMove(1, moved_at, 2)]
    )
    fake = FakeRegos(generator=RegosDataGenerator(config, clock=clock), keys=[KEY], rate_limit=False, now=clock)
    gen = fake.generator
    clock.value = moved_at - 1
    await fake.start()
    try:
        tills = {t["id"]: t["stock"]["id"] for t in (await ok(fake, "OperatingCash/Get"))["result"]}
        assert tills[1] == 1
        clock.value = gen.day_bounds(gen.config.end_date)[1] + 3600
        tills = {t["id"]: t["stock"]["id"] for t in (await ok(fake, "OperatingCash/Get"))["result"]}
        assert tills == {1: 2, 2: 1, 3: 2, 4: 2, 5: 3, 6: 3}
        receipts = gen.day(DAY).receipts
        at_till_1 = [r for r in receipts if r.till_id == 1]
        assert {r.stock_id for r in at_till_1 if r.date < moved_at} == {1}
        assert {r.stock_id for r in at_till_1 if r.date >= moved_at} == {2}
        assert all(line.stock_id == r.stock_id for r in at_till_1 for line in r.lines)
        after = [r for r in at_till_1 if r.date >= moved_at and r.is_closed and not r.is_return]
        assert after
        branches = gen.branch_totals(DAY)
        total = gen.day_totals(DAY)
        assert sum(b.retail_gross for b in branches.values()) == total.retail_gross
        start, end = gen.day_bounds(DAY)
        short = await all_rows(fake, "DocCheque/GetShort", {"start_date": start, "end_date": end, "stock_ids": [2]})
        closed = [r for r in short if r["sale_status"] == "Closed" and not r["is_return"]]
        assert sum(r["amount"] for r in closed) == branches[2].retail_gross
        assert {r.uuid for r in after} <= {r["uuid"] for r in short}
        next_day = gen.day(DAY + timedelta(days=1))  # from the next day on, till 1 only sells for branch 2
        assert {r.stock_id for r in next_day.receipts if r.till_id == 1} == {2}
        assert {s.stock_id for s in next_day.sessions if s.till_id == 1} == {2}
    finally:
        await fake.stop()


async def test_retail_report_disagrees_with_the_headers_on_request() -> None:
    fake = FakeRegos(seed=5, start_date=START, days=4, receipts_per_day=120, keys=[KEY], rate_limit=False)
    gen = fake.generator
    await fake.start()
    try:
        start, end = gen.day_bounds(DAY)
        truth = gen.day_totals(DAY, till_id=1)
        fake.skew_report(DAY, till_id=1, sale_count=1, gross_profit=1500, payment_type_id=2, sale_amount=99_000)
        till_1 = {"start_date": start, "end_date": end, "operating_cash_ids": [1]}
        counts = (await ok(fake, "RetailReport/Counts", till_1))["result"][0]
        assert (counts["sale_count"], counts["gross_profit"]) == (truth.sale_count + 1, truth.gross_profit + 1500)
        payments = {
            p["payment_type_name"]: p["sale_amount"]
            for p in (await ok(fake, "RetailReport/Payments", till_1))["result"]
        }
        assert payments["Uzcard"] == truth.payments[2].sale_amount + 99_000
        till_2 = {**till_1, "operating_cash_ids": [2]}
        assert (await ok(fake, "RetailReport/Counts", till_2))["result"][0]["sale_count"] == gen.day_totals(
            DAY, till_id=2
        ).sale_count
        other_day = {**till_1, "start_date": end + 1, "end_date": end + 86_400}
        assert (await ok(fake, "RetailReport/Counts", other_day))["result"][0]["sale_count"] == gen.day_totals(
            DAY + timedelta(days=1), till_id=1
        ).sale_count
        fake.report_skews.clear()
        async with httpx.AsyncClient() as http:  # a transient disagreement: wrong once, right when re-read
            reply = await http.post(
                f"{fake.base_url}/_fake/report_skew",
                json={"day": DAY.isoformat(), "till_id": 1, "return_count": -1, "times": 1},
            )
            assert reply.status_code == 200
            truth_http = (
                await http.get(f"{fake.base_url}/_fake/truth", params={"day": DAY.isoformat(), "till_id": 1})
            ).json()
        assert truth_http["totals"]["return_count"] == truth.return_count and truth_http["report_skews"]
        assert (await ok(fake, "RetailReport/Counts", till_1))["result"][0]["return_count"] == truth.return_count - 1
        assert (await ok(fake, "RetailReport/Counts", till_1))["result"][0]["return_count"] == truth.return_count
    finally:
        await fake.stop()


async def test_a_key_shared_with_another_integration() -> None:
    monotonic = [1000.0]
    fake = FakeRegos(
        seed=1, days=1, receipts_per_day=5, keys=[KEY], clock=lambda: monotonic[0], shared_rate=1.5, bucket_start=0
    )
    await fake.start()
    try:

        async def outcome() -> Any:
            data = loads((await call(fake, "CurrentTimeStamp/Get")).content)
            return "ok" if data["ok"] else data["result"]["error"]

        assert await outcome() == 8213  # drained from the start
        monotonic[0] += 4.0  # 2/s minus the other integration's 1.5/s: 2 tokens in 4 s
        assert [await outcome() for _ in range(3)] == ["ok", "ok", 8213]
        monotonic[0] += 200.0  # refills to the burst of 50, then the other one bursts 45 calls
        fake.spend_budget(45)
        assert [await outcome() for _ in range(6)] == ["ok"] * 5 + [8213]
        fake.share_key(0.0, start_tokens=None)  # the other integration stops: the full 50 again
        assert [await outcome() for _ in range(51)].count("ok") == 50
        assert fake.buckets.refused[KEY] == 4
    finally:
        await fake.stop()


async def test_receipts_at_the_edges_of_midnight() -> None:
    fake = FakeRegos(
        seed=5, start_date=START, days=4, receipts_per_day=120, keys=[KEY], rate_limit=False, midnight_receipts=True
    )
    gen = fake.generator
    await fake.start()
    try:
        start, end = gen.day_bounds(DAY)
        assert end - start == 86_399
        edges = [r for r in gen.day(DAY).receipts if r.date in (start, end)]
        assert [(r.date - start, r.stock_id, r.status) for r in edges] == [(0, 3, "Closed"), (86_399, 3, "Closed")]
        day_rows = await all_rows(fake, "DocCheque/GetShort", {"start_date": start, "end_date": end})
        dates = sorted(r["date"] for r in day_rows)
        assert (dates[0], dates[-1]) == (start, end)  # both ends are inclusive
        next_start = end + 1
        both = await all_rows(fake, "DocCheque/GetShort", {"start_date": end, "end_date": next_start})
        assert sorted(r["date"] for r in both) == [end, next_start]
        tomorrow = gen.day_bounds(DAY + timedelta(days=1))
        for day, (first, last) in ((DAY, (start, end)), (DAY + timedelta(days=1), tomorrow)):
            counts = (await ok(fake, "RetailReport/Counts", {"start_date": first, "end_date": last}))["result"][0]
            assert counts["sale_count"] == gen.day_totals(day).sale_count
        two = (await ok(fake, "RetailReport/Counts", {"start_date": start, "end_date": tomorrow[1]}))["result"][0]
        assert two["sale_count"] == gen.day_totals(DAY).sale_count + gen.day_totals(DAY + timedelta(days=1)).sale_count
    finally:
        await fake.stop()


# -- 10: the harshest faults, hostile bodies, delete-marked items ------------------------------------------------


async def test_hostile_level_mixes_every_failure() -> None:
    fake = FakeRegos(seed=1, days=1, receipts_per_day=5, keys=[KEY], rate_limit=False)
    await fake.start()
    try:
        plan = fake.set_faults(level="hostile", hang_seconds=0.05, slow_seconds=0, seed=3)
        assert plan.retry_after == 2 and plan.rate_5xx == 0.14
        seen: Counter[str] = Counter()
        async with httpx.AsyncClient(timeout=5) as http:
            for _ in range(400):
                response = await http.post(f"{fake.gateway_url}/{KEY}/v1/Stock/Get", json={})
                if response.status_code == 429:
                    assert response.headers["Retry-After"] == "2"
                if response.status_code != 200:
                    seen[str(response.status_code)] += 1
                    continue
                try:
                    data = loads(response.content)
                except ValueError:
                    seen["broken"] += 1
                    continue
                if not data["ok"]:
                    seen[str(data["result"]["error"])] += 1
                elif data["result"] == [] and data["total"] == 3:
                    seen["empty_page"] += 1
                else:
                    seen["ok"] += 1
        faulty = 400 - seen["ok"]
        assert 140 < faulty < 220, seen  # about 45 %
        assert {"502", "503", "429", "8213", "broken", "empty_page"} <= set(seen)
        assert seen["502"] + seen["503"] > seen["500"] + seen["504"]
        outcomes = Counter(r.fault for r in fake.request_log)
        assert outcomes["timeout"] > 0 and outcomes["html"] > 0
        with pytest.raises(ValueError, match="unknown fault level"):
            fake.set_faults(level="apocalyptic")
    finally:
        await fake.stop()


async def test_hostile_bodies_deep_and_huge() -> None:
    fake = FakeRegos(seed=1, days=1, receipts_per_day=5, keys=[KEY], rate_limit=False)
    await fake.start()
    try:
        fake.set_faults(schedule=["deep_json", "huge_body"], nest_depth=50_000, huge_bytes=3_000_000)
        deep = await call(fake, "CurrentTimeStamp/Get")
        assert deep.status_code == 200 and len(deep.content) > 100_000
        with pytest.raises(RecursionError):
            json.loads(deep.content)
        async with (
            httpx.AsyncClient(timeout=10) as http,
            http.stream("POST", f"{fake.gateway_url}/{KEY}/v1/Stock/Get", json={}) as response,
        ):
            assert "content-length" not in response.headers
            assert response.headers["transfer-encoding"] == "chunked"
            size = 0
            async for chunk in response.aiter_bytes():
                size += len(chunk)
        assert size > 3_000_000
        assert [r.outcome for r in fake.request_log] == ["http:200", "stream"]
        assert (await ok(fake, "Stock/Get"))["total"] == 3  # the schedule is spent
    finally:
        await fake.stop()


async def test_delete_marked_items_still_have_stock() -> None:
    fake = FakeRegos(
        seed=5, start_date=START, days=4, receipts_per_day=120, keys=[KEY], rate_limit=False, deleted_items=4
    )
    gen = fake.generator
    await fake.start()
    try:
        items = (await ok(fake, "Item/Get"))["result"]
        deleted = [i for i in items if i["deleted_mark"]]
        assert len(items) == 304 and [(i["id"], i["name"]) for i in deleted] == [
            (301, "Mosh 5 kg"), (302, "Guruch Lazer 25 kg"), (303, "Limonad Sayxun 0.5L"),
            (304, "Shokolad Alpen Gold 90 g"),
        ]  # fmt: skip
        assert len((await ok(fake, "Item/Get", {"deleted_mark": False}))["result"]) == 300
        assert [i["id"] for i in (await ok(fake, "Item/Get", {"deleted_mark": True}))["result"]] == [301, 302, 303, 304]
        ext = await ok(fake, "Item/GetExt", {"stock_id": 1, "zero_quantity": False, "ids": [301, 302, 303, 304]})
        assert [(r["item"]["id"], r["item"]["deleted_mark"], r["quantity"]["common"]) for r in ext["result"]] == [
            (301, True, 31), (302, True, 84), (303, True, 107), (304, True, 112),
        ]  # fmt: skip
        levels = (await ok(fake, "Item/GetCurrentQuantity", {"item_ids": [301, 302, 303, 304]}))["result"]
        by_key = {(q["item_id"], q["stock_id"]): q["quantity"] for q in levels}
        assert by_key[(301, 1)] == 31 and by_key[(301, 2)] == 0 and by_key[(303, 2)] == 143
        assert sum(by_key.values()) == 31 + 33 + 84 + 46 + 70 + 107 + 143 + 112
        sold = {line.item_id for d in gen.days for r in gen.day(d).receipts for line in r.lines}
        assert sold.isdisjoint({301, 302, 303, 304})
        async with httpx.AsyncClient() as http:
            stock = (await http.get(f"{fake.base_url}/_fake/stock", params={"item_id": 302, "stock_id": 2})).json()
        assert stock == {"ok": True, "quantity": 46, "deleted_mark": True}
    finally:
        await fake.stop()


async def test_clock_over_the_control_api(live: tuple[FakeRegos, Clock]) -> None:
    fake, _clock = live
    start, _ = fake.generator.day_bounds(DAY)
    async with httpx.AsyncClient() as http:
        reply = await http.post(f"{fake.base_url}/_fake/clock", json={"now": start + 13 * 3600})
        assert reply.json() == {"ok": True, "now": start + 13 * 3600}
        await http.post(f"{fake.base_url}/_fake/clock", json={"advance": 600})
    assert (await ok(fake, "CurrentTimeStamp/Get"))["result"] == start + 13 * 3600 + 600
    assert (
        fake.generator.day_totals(DAY).sale_count
        == fake.generator.day_totals(DAY, as_of=start + 13 * 3600 + 600).sale_count
    )
    assert Decimal(0) <= fake.generator.day_totals(DAY).retail_gross

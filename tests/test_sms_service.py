"""SMS as recorded rows: queue in a transaction, send after commit, delivery callbacks move the status forward."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from aiohttp import web
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db.sms import SmsMessage, SmsStatus
from sandbox.eskiz import DEFAULT_EMAIL, DEFAULT_PART_PRICE, DEFAULT_PASSWORD, FakeEskiz
from services.sms import (
    DeliveryReport,
    DeliveryReportError,
    EskizClient,
    InvalidPhoneError,
    add_callback_route,
    apply_delivery_report,
    next_status,
    parse_delivery_report,
    poll_statuses,
    queue_sms,
    send_now,
    send_queued,
    sms_counts,
)


class Receiver:
    """The bot's HTTP server, as far as Eskiz callbacks go."""

    def __init__(self, factory: async_sessionmaker[AsyncSession]) -> None:
        self.factory = factory
        self.url = ""
        self._runner: web.AppRunner | None = None

    async def start(self) -> None:
        app = web.Application()
        self._runner = web.AppRunner(app)
        placeholder = "http://127.0.0.1/eskiz/callback/s3cr3t-path"
        assert add_callback_route(app.router, self.factory, placeholder) == "/eskiz/callback/s3cr3t-path"
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}/eskiz/callback/s3cr3t-path"

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()


@pytest.fixture
async def fake() -> AsyncIterator[FakeEskiz]:
    server = FakeEskiz(delivery_delay=0.3)  # long enough that a test reads "waiting" before the callback lands
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def receiver(session_factory: async_sessionmaker[AsyncSession]) -> AsyncIterator[Receiver]:
    server = Receiver(session_factory)
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def client(fake: FakeEskiz, receiver: Receiver) -> AsyncIterator[EskizClient]:
    async with EskizClient(DEFAULT_EMAIL, DEFAULT_PASSWORD, base_url=fake.api_url,
                           callback_url=receiver.url) as eskiz:
        yield eskiz


async def rows(factory: async_sessionmaker[AsyncSession]) -> list[SmsMessage]:
    async with factory() as session:
        return list(await session.scalars(select(SmsMessage).order_by(SmsMessage.id)))


async def test_queued_in_a_rolled_back_transaction_is_never_sent(
    session_factory: async_sessionmaker[AsyncSession], client: EskizClient, fake: FakeEskiz
) -> None:
    async with session_factory() as session:
        await queue_sms(session, "+998 90 123 45 67", "Oylik tayyor", purpose="payslip", ref_id=7)
        await session.rollback()
    assert (await send_queued(session_factory, client)).accepted == []
    assert fake.messages == [] and await rows(session_factory) == []


async def test_one_sms_is_sent_and_its_callback_marks_it_delivered(
    session_factory: async_sessionmaker[AsyncSession], client: EskizClient, fake: FakeEskiz
) -> None:
    row, report = await send_now(session_factory, client, "8 90 123 45 67", "Oylik tayyor", purpose="payslip")
    assert report.error is None and report.accepted == [row.id]
    assert row.status == SmsStatus.WAITING and row.phone == "998901234567"
    assert row.request_id == fake.messages[0].request_id and row.sent_at is not None
    await fake.flush()  # Eskiz delivers and POSTs the callback to our route
    assert [d.status for d in fake.callbacks] == [200]
    (stored,) = await rows(session_factory)
    assert stored.status == SmsStatus.DELIVERED and stored.provider_status == "DELIVRD"
    assert stored.provider_id == str(fake.messages[0].id) and stored.status_at is not None


async def test_a_batch_goes_out_in_one_call_and_each_callback_finds_its_row(
    session_factory: async_sessionmaker[AsyncSession], client: EskizClient, fake: FakeEskiz
) -> None:
    fake.set_outcome("998911111111", "UNDELIV")
    async with session_factory() as session:
        for phone in ("901111111", "911111111", "931111111"):
            await queue_sms(session, phone, "Oylik tayyor", purpose="payslip")
        await session.commit()
    report = await send_queued(session_factory, client)
    assert len(report.accepted) == 3 and report.error is None
    assert [r.path for r in fake.requests if "send" in r.path] == ["/api/message/sms/send-batch"]
    assert len({sms.request_id for sms in fake.messages}) == 1
    await fake.flush()
    statuses = {row.phone: row.status for row in await rows(session_factory)}
    assert statuses == {"998901111111": "delivered", "998911111111": "failed", "998931111111": "delivered"}
    async with session_factory() as session:
        assert await sms_counts(session) == {"delivered": 2, "failed": 1}
    assert (await send_queued(session_factory, client)).accepted == []  # nothing is sent twice


async def test_quota_exhausted_keeps_the_batch_queued_with_the_reason(
    session_factory: async_sessionmaker[AsyncSession], client: EskizClient, fake: FakeEskiz
) -> None:
    fake.set_balance(DEFAULT_PART_PRICE)
    async with session_factory() as session:
        for phone in ("901111111", "911111111"):
            await queue_sms(session, phone, "Oylik tayyor")
        await session.commit()
    report = await send_queued(session_factory, client)
    assert report.quota_exhausted and len(report.requeued) == 2 and fake.messages == []
    assert {(r.status, r.error) for r in await rows(session_factory)} == {
        ("queued", "Eskiz balance 50 does not cover 100 needed for these SMS: top it up in my.eskiz.uz")}
    fake.set_balance(10_000)
    assert len((await send_queued(session_factory, client)).accepted) == 2  # they go once topped up


async def test_test_mode_refusal_is_recorded_for_good(
    session_factory: async_sessionmaker[AsyncSession], fake: FakeEskiz
) -> None:
    fake.add_account("test@eskiz.uz", "secret", role="test")
    async with EskizClient("test@eskiz.uz", "secret", base_url=fake.api_url) as client:
        row, report = await send_now(session_factory, client, "901234567", "Oylik 4 400 000")
    assert report.test_mode and report.refused == [row.id]
    assert row.status == SmsStatus.REFUSED and row.error is not None and "test mode" in row.error


async def test_invalid_phone_is_refused_when_queued(session: AsyncSession) -> None:
    with pytest.raises(InvalidPhoneError):
        await queue_sms(session, "71 123 45 67", "Salom")
    with pytest.raises(ValueError, match="empty"):
        await queue_sms(session, "901234567", " ")


async def test_forged_or_unknown_reports_change_nothing(
    session_factory: async_sessionmaker[AsyncSession], client: EskizClient, fake: FakeEskiz, receiver: Receiver
) -> None:
    import httpx

    fake.auto_deliver = False
    async with session_factory() as session:
        for phone in ("901111111", "911111111"):
            await queue_sms(session, phone, "Oylik")
        await session.commit()
    await send_queued(session_factory, client)
    first, _ = await rows(session_factory)
    async with httpx.AsyncClient() as http:
        forged = {"request_id": "00000000-0000-0000-0000-000000000000", "user_sms_id": first.user_sms_id,
                  "status": "DELIVRD", "phone_number": first.phone}
        assert (await http.post(receiver.url, json=forged)).json() == {"status": "unknown"}
        assert (await http.post(receiver.url, data={"status": "DELIVRD", "request_id": "nope"})).json() == {
            "status": "unknown"}
        assert (await http.post(receiver.url, content=b"not a report")).status_code == 400
        assert (await http.post(receiver.url.replace("s3cr3t-path", "guess"), json=forged)).status_code == 404
        genuine = {**forged, "request_id": first.request_id, "status_date": "2026-12-02 15:00:00"}
        assert (await http.post(receiver.url, data=genuine)).json() == {"status": "updated"}  # a form works too
        assert (await http.post(receiver.url, json=genuine)).json() == {"status": "unchanged"}  # a repeat
    statuses = [row.status for row in await rows(session_factory)]
    assert statuses == ["delivered", "waiting"]
    assert (await rows(session_factory))[0].status_at == datetime(2026, 12, 2, 10, 0, tzinfo=UTC)  # Tashkent → UTC


async def test_statuses_only_move_forward() -> None:
    t0 = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)
    later = t0 + timedelta(minutes=5)
    assert next_status(SmsStatus.WAITING, None, SmsStatus.SENT, t0) is SmsStatus.SENT
    assert next_status(SmsStatus.WAITING, None, SmsStatus.DELIVERED, t0) is SmsStatus.DELIVERED
    assert next_status(SmsStatus.DELIVERED, t0, SmsStatus.SENT, later) is None  # a late ACCEPTED
    assert next_status(SmsStatus.DELIVERED, t0, SmsStatus.DELIVERED, later) is None  # a repeat
    assert next_status(SmsStatus.FAILED, t0, SmsStatus.DELIVERED, later) is SmsStatus.DELIVERED
    assert next_status(SmsStatus.FAILED, later, SmsStatus.DELIVERED, t0) is None  # older than what we have
    assert next_status(SmsStatus.REFUSED, None, SmsStatus.DELIVERED, later) is None


async def test_callback_bodies_are_parsed_in_both_encodings() -> None:
    json_body = (b'{"request_id":"r1","message_id":"4385062","user_sms_id":"u1","country":"UZ",'
                 b'"phone_number":"998991234567","sms_count":"2","status":"DELIVRD",'
                 b'"status_date":"2021-04-02 00:39:36"}')
    report = parse_delivery_report(json_body, "application/json")
    assert report == DeliveryReport("r1", "4385062", "u1", "998991234567", "DELIVRD",
                                    datetime(2021, 4, 1, 19, 39, 36, tzinfo=UTC), 2)
    form = parse_delivery_report(b"request_id=r1&user_sms_id=&status=UNDELIV", "application/x-www-form-urlencoded")
    assert (form.request_id, form.user_sms_id, form.status, form.status_at) == ("r1", None, "UNDELIV", None)
    for bad in (b"{}", b"[1]", b"status=DELIVRD", b"\xff\xfe", b"{broken"):
        with pytest.raises(DeliveryReportError):
            parse_delivery_report(bad, None)


async def test_unknown_provider_status_is_kept_but_not_applied(session: AsyncSession) -> None:
    row = await queue_sms(session, "901234567", "Salom")
    row.request_id, row.status = "r-1", SmsStatus.WAITING
    await session.flush()  # the project's sessions do not autoflush
    outcome = await apply_delivery_report(session, DeliveryReport("r-1", "9", None, None, "WHATEVER", None))
    assert outcome.result == "unchanged" and row.status == SmsStatus.WAITING and row.provider_id == "9"


async def test_polling_asks_eskiz_when_no_callback_came(
    session_factory: async_sessionmaker[AsyncSession], fake: FakeEskiz
) -> None:
    async with EskizClient(DEFAULT_EMAIL, DEFAULT_PASSWORD, base_url=fake.api_url) as client:  # no callback URL
        await send_now(session_factory, client, "901234567", "Salom")
        await fake.flush()
        assert await poll_statuses(session_factory, client, older_than=timedelta(0)) == 1
        assert await poll_statuses(session_factory, client, older_than=timedelta(0)) == 0
    assert [r.status for r in await rows(session_factory)] == ["delivered"]
    assert fake.callbacks == []

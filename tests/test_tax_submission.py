"""The optional submission adapter against its sandbox stand-in: accepted with an id, a transient 503 retried, a
wrong key refused without retrying."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from sandbox.tax_office import FakeTaxOffice
from services.tax.submission import SubmissionClient, SubmissionFailed


@pytest.fixture
async def office() -> AsyncIterator[FakeTaxOffice]:
    server = FakeTaxOffice()
    await server.start()
    yield server
    await server.stop()


async def test_submission_accepted_after_a_transient_fault(office: FakeTaxOffice) -> None:
    office.fail_next = 1
    client = SubmissionClient(office.base_url, office.key, timeout=5)
    reference = await client.submit("301234567", "2026-11", {"total_due": "1.00"}, b"%PDF-1.4")
    assert reference == "SUB-1" and office.received[0]["period"] == "2026-11" and office.fail_next == 0


async def test_wrong_key_is_refused_once(office: FakeTaxOffice) -> None:
    office.fail_next = 0
    with pytest.raises(SubmissionFailed) as refused:
        await SubmissionClient(office.base_url, "wrong", timeout=5).submit("301234567", "2026-11", {}, b"%PDF")
    assert refused.value.params == {"problem": "HTTP 401"} and office.received == []

"""The model path end to end: the bot configured with an OpenAI-compatible base URL pointing at the sandbox model
(sandbox/openai); the model's tool calls run over the company's data (the results it gets equal the generator's
ground truth), several tools in one answer, a follow-up that sees the last turns, and a hanging or garbled model
answered by the offline parser with a note. Nothing reaches the internet."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from db.engine import create_session_factory
from db.models import Role
from sandbox.openai import FakeModel
from sandbox.regos import FakeRegos
from sandbox.stack import RunningBot
from sandbox.telegram.client import SandboxClient
from services.locale import format_money
from tests.e2e.flows import settle
from tests.helpers import FakeRegosFactory, add_member, create_company, local_today
from tests.reports_support import expected_totals, sync_from_fake


@pytest.fixture
async def fake_model() -> AsyncIterator[FakeModel]:
    model = FakeModel()
    await model.start()
    yield model
    await model.stop()


@pytest.fixture
def bot_settings_overrides(fake_model: FakeModel) -> dict[str, Any]:
    # A generous timeout: a loaded CI machine can take seconds to answer; the hang case only waits it out.
    return {"regos_gateway_url": "http://127.0.0.1:9/gateway/out", "openai_api_key": "sk-sandbox",
            "openai_base_url": fake_model.base_url, "openai_model": "fake", "openai_timeout": 6.0}


@pytest.fixture
async def fake(start_fake_regos: FakeRegosFactory) -> FakeRegos:
    return await start_fake_regos(seed=35, start_date=local_today() - timedelta(days=5), days=6,
                                  receipts_per_day=10)


async def test_model_calls_tools_follows_up_and_falls_back(running_bot: RunningBot, sandbox: SandboxClient,
                                                           engine: AsyncEngine, fake: FakeRegos,
                                                           fake_model: FakeModel) -> None:
    session_factory = create_session_factory(engine)
    async with session_factory() as session:
        company = await create_company(session, name="Baraka Savdo")
        await session.commit()
    seeded = await sync_from_fake(session_factory, company.id, fake)
    owner = await sandbox.create_user("Owner", language_code="uz")
    await settle()
    async with session_factory() as session:
        await add_member(session, seeded.company_id, owner.id, Role.OWNER, language="uz", first_name="Owner")
        await session.commit()
    yesterday = local_today() - timedelta(days=1)
    before = yesterday - timedelta(days=1)
    truth = expected_totals(fake.generator, yesterday, yesterday)

    fake_model.reply_tools(("sales_summary", {"first": yesterday.isoformat(), "last": yesterday.isoformat()}),
                           ("top_branches", {"first": yesterday.isoformat(), "last": yesterday.isoformat()}))
    fake_model.reply_text("Kecha sof savdo <b>yaxshi</b> boʻldi")
    await owner.send("kecha savdo qanday boʻldi, filiallar boʻyicha ham")
    answer = await owner.expect("Kecha sof savdo")
    assert answer.text == "Kecha sof savdo <b>yaxshi</b> boʻldi"  # the model's text, escaped: not markup
    assert answer.button_texts == ["👍", "👎"]
    results = [m for m in fake_model.requests[1]["messages"] if m["role"] == "tool"]
    assert len(results) == 2 and f'"net_sales": "{truth.total_net:.2f}"' in results[0]["content"]
    assert fake_model.requests[0]["model"] == "fake"

    fake_model.reply_tools(("sales_summary", {"first": before.isoformat(), "last": before.isoformat()}))
    fake_model.reply_text("Undan oldin ham yaxshi")
    await owner.send("undan oldingi kun-chi?")
    await owner.expect("Undan oldin ham yaxshi")
    history = [m.get("content") for m in fake_model.requests[3]["messages"]]
    assert any("Kecha sof savdo" in (text or "") for text in history)  # the last turn, kept in the database
    result = next(m for m in fake_model.requests[3]["messages"] if m["role"] == "tool")
    assert f'"net_sales": "{expected_totals(fake.generator, before, before).total_net:.2f}"' in result["content"]

    for misbehaviour in ("hang", "garbage"):
        fake_model.misbehave(misbehaviour)
        await owner.send("kecha qancha savdo boʻldi")
        fallback = await owner.expect("oflayn javob", timeout=15)
        assert f"Sof savdo: <b>{format_money(truth.total_net, 'uz')}</b>" in (fallback.html or fallback.text) or \
            format_money(truth.total_net, "uz") in fallback.text

    fake_model.reply_tools(("export_all_companies", {}))
    await owner.send("kecha qancha savdo boʻldi")
    invented = await owner.expect("oflayn javob", timeout=15)
    assert format_money(truth.total_net, "uz") in invented.text

"""/settings buttons carry the value they set (issue 11: a double tap, or a card pressed again later, has one
effect), and the typed summary time is a step of its own flow: after /cancel, a time is not taken."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from db.models import Company, Membership
from sandbox.stack import RunningBot
from sandbox.telegram.client import SandboxClient
from tests.e2e.flows import create_company, scalar


async def test_double_tap_has_one_effect(running_bot: RunningBot, sandbox: SandboxClient,
                                         engine: AsyncEngine) -> None:
    owner = await sandbox.create_user("Dilnoza")
    await create_company(owner)
    await owner.send("/settings")
    card = await owner.expect("daily on")
    daily_off = card.button(next(t for t in card.button_texts if t.startswith("Daily:")))["callback_data"]
    mute = card.button("Mute my summaries")["callback_data"]
    for _ in range(2):  # the same button twice (a double tap): daily is off, not back on
        await owner.press(data=daily_off, message_id=card.message_id, forge=True)
    await owner.expect("daily off")
    for _ in range(2):
        await owner.press(data=mute, message_id=card.message_id, forge=True)
    company = await scalar(engine, select(Company))
    assert company.settings["summary"]["daily"] is False
    membership = await scalar(engine, select(Membership))
    assert (membership.settings or {}).get("summary_muted") is True

    # the summary time is a step: after /cancel a typed time changes nothing
    await owner.send("/settings")
    card = await owner.expect("daily off")
    await owner.press("Change time", message_id=card.message_id)
    await owner.expect()
    await owner.send("/cancel")
    await owner.expect()
    await owner.send("07:30")
    await owner.expect()
    company = await scalar(engine, select(Company))
    assert company.settings["summary"].get("time") != "07:30"

"""What keeps the per-update cost low (benchmarks/load.py measures it): aiogram's response models stay built across
garbage collections, and synchronous filters run on the loop but still decide the same way."""

from __future__ import annotations

import gc

from aiogram import Bot, Dispatcher, F, Router
from aiogram.methods import GetMe, GetUpdates
from aiogram.methods.base import Response
from aiogram.types import Update

from bot.factory import build_app
from bot.inline_filters import _filters, run_sync_filters_inline
from bot.session import PinnedResponseSession
from core.config import load_settings


def test_response_models_survive_garbage_collection() -> None:
    session = PinnedResponseSession()
    bot = Bot("123:abc", session=session)
    body = '{"ok": true, "result": []}'
    session.check_response(bot, GetUpdates(), 200, body)
    built = Response[list[Update]]
    gc.collect()
    assert Response[list[Update]] is built  # pydantic's weak cache would have dropped it
    me = session.check_response(bot, GetMe(), 200,
                                '{"ok": true, "result": {"id": 1, "is_bot": true, "first_name": "B"}}')
    assert me.result is not None and me.result.id == 1


async def test_sync_filters_run_inline_and_still_filter() -> None:
    router = Router()
    seen: list[str] = []

    async def hello(update: object) -> None:
        seen.append("hello")

    router.message.register(hello, F.text == "hello")
    dispatcher = Dispatcher()
    dispatcher.include_router(router)
    assert run_sync_filters_inline(dispatcher) == 1
    assert all(event_filter.awaitable for event_filter in _filters(dispatcher))
    handler = router.message.handlers[0]
    message = Update.model_validate({"update_id": 1, "message": {
        "message_id": 1, "date": 0, "chat": {"id": 5, "type": "private"}, "text": "hello"}}).message
    other = message.model_copy(update={"text": "bye"}) if message else None
    assert (await handler.check(message))[0] is True
    assert (await handler.check(other))[0] is False


async def test_production_dispatcher_has_no_thread_hopping_filter() -> None:
    app = build_app(load_settings(bot_token="1:x", database_url="sqlite+aiosqlite:///:memory:",
                                  secret_key="x" * 32))
    try:
        filters = list(_filters(app.dispatcher))
        assert len(filters) > 100 and all(event_filter.awaitable for event_filter in filters)
    finally:
        await app.close()

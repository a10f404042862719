"""FSM storage: memory with per-user isolation by default, Redis (with event isolation) when REDIS_URL is set."""

from __future__ import annotations

import os
import socket

import pytest
from aiogram.fsm.storage.base import StorageKey
from aiogram.fsm.storage.memory import MemoryStorage, SimpleEventIsolation

from bot.factory import build_storage
from core.config import load_settings

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def _redis_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


def test_memory_by_default() -> None:
    storage, isolation = build_storage(load_settings(redis_url=None))
    assert isinstance(storage, MemoryStorage) and isinstance(isolation, SimpleEventIsolation)


@pytest.mark.skipif(not _redis_up(), reason="no Redis on 127.0.0.1:6379")
async def test_redis_storage_round_trip() -> None:
    from aiogram.fsm.storage.redis import RedisEventIsolation, RedisStorage

    storage, isolation = build_storage(load_settings(redis_url=REDIS_URL))
    assert isinstance(storage, RedisStorage) and isinstance(isolation, RedisEventIsolation)
    key = StorageKey(bot_id=1, chat_id=42, user_id=42)
    try:
        await storage.set_state(key, "CreateCompany:tin")
        await storage.set_data(key, {"name": "Oila"})
        assert await storage.get_state(key) == "CreateCompany:tin"
        assert await storage.get_data(key) == {"name": "Oila"}
        async with isolation.lock(key):
            pass
    finally:
        await storage.set_state(key, None)
        await storage.set_data(key, {})
        await storage.close()

"""The Bot API session: response models kept alive, and a request middleware that retries 429 (after
`retry_after`) and 5xx/network errors with backoff."""

from __future__ import annotations

import asyncio
import logging
import random
from typing import Any

from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.session.middlewares.base import BaseRequestMiddleware, NextRequestMiddlewareType
from aiogram.exceptions import TelegramNetworkError, TelegramRetryAfter, TelegramServerError
from aiogram.methods import AnswerCallbackQuery, GetUpdates, TelegramMethod
from aiogram.methods.base import Response, TelegramType

log = logging.getLogger(__name__)

# Not retried here: getUpdates has its own backoff in the polling loop. (Callback answers are handled apart:
# useless once late, so never retried and never allowed to fail the action.)
NEVER_RETRIED = (GetUpdates,)


class PinnedResponseSession(AiohttpSession):
    """aiogram parses every reply with `Response[method.__returning__]`; pydantic keeps such parametrised models in
    a weak cache, so once the garbage collector has run the next call builds the model again (20–40 ms of CPU for
    `Response[list[Update]]`: under load it was a quarter of the bot's time). Holding each one here makes every call
    after the first a cache hit."""

    _pinned: dict[Any, Any] = {}

    def check_response(self, bot: Bot, method: TelegramMethod[TelegramType], status_code: int,
                       content: str) -> Response[TelegramType]:
        returning = method.__returning__
        if returning not in self._pinned:
            self._pinned[returning] = Response[returning]  # type: ignore[valid-type]
        return super().check_response(bot, method, status_code, content)


class RetryRequestMiddleware(BaseRequestMiddleware):
    def __init__(self, max_attempts: int = 5, base_delay: float = 0.5, max_delay: float = 30.0,
                 max_retry_after: float = 60.0) -> None:
        self.max_attempts = max_attempts
        self.base_delay = base_delay
        self.max_delay = max_delay
        self.max_retry_after = max_retry_after

    async def __call__(
        self, make_request: NextRequestMiddlewareType[TelegramType], bot: Bot, method: TelegramMethod[TelegramType]
    ) -> Any:
        if isinstance(method, AnswerCallbackQuery):
            try:
                return await make_request(bot, method)  # type: ignore[arg-type]
            except (TelegramRetryAfter, TelegramServerError, TelegramNetworkError) as error:
                # Best effort: the spinner on the button stops by itself; the action must not fail for it.
                log.warning("answerCallbackQuery failed (%s); not retried", error)
                return False
        if type(method) in NEVER_RETRIED:
            return await make_request(bot, method)
        attempt = 1
        while True:
            try:
                return await make_request(bot, method)
            except TelegramRetryAfter as error:
                if attempt >= self.max_attempts or error.retry_after > self.max_retry_after:
                    raise
                log.warning("%s: flood control, retry in %s s", type(method).__name__, error.retry_after)
                await asyncio.sleep(error.retry_after)
            except (TelegramServerError, TelegramNetworkError) as error:
                if attempt >= self.max_attempts:
                    raise
                delay = random.uniform(0, min(self.max_delay, self.base_delay * 2 ** (attempt - 1)))  # full jitter
                log.warning("%s failed (%s), retry %d in %.2f s", type(method).__name__, error, attempt, delay)
                await asyncio.sleep(delay)
            attempt += 1

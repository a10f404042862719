"""Synchronous filters run on the event loop instead of a thread.

aiogram calls a filter that is not a coroutine (every `F.text == ...` magic filter, every `StateFilter`) through
`asyncio.to_thread`: a thread-pool hop per filter per update. Each is a few attribute reads, so the hop costs far
more than the check, and under load the hops (and the GIL hand-offs they cause) were a large share of the bot's
CPU. These filters neither block nor do I/O, so they are called directly."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from aiogram import Router
from aiogram.dispatcher.event.handler import FilterObject


def _filters(router: Router) -> Iterator[FilterObject]:
    for each in router.chain_tail:  # the router and every router below it
        for observer in each.observers.values():
            yield from observer._handler.filters or []  # the observer's own filters
            for handler in observer.handlers:
                yield from handler.filters or []


def _inline(callback: Callable[..., Any]) -> Callable[..., Any]:
    async def call(*args: Any, **kwargs: Any) -> Any:
        return callback(*args, **kwargs)

    return call


def run_sync_filters_inline(router: Router) -> int:
    """Makes every synchronous filter below `router` a coroutine; returns how many there were."""
    changed = 0
    for event_filter in _filters(router):
        if not event_filter.awaitable:
            event_filter.callback = _inline(event_filter.callback)
            event_filter.awaitable = True
            changed += 1
    return changed

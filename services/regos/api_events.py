"""Typed calls of the REGOS ``Event`` controller: the webhook events REGOS stores (7 days), read by cursor."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass

from .core import RegosCore, Timestamp, compact_body, optional_unix
from .masking import logger
from .models import EventItem, parse_records

EVENT_PAGE_MAX = 1000


@dataclass(frozen=True)
class EventPage:
    events: list[EventItem]
    next_event_id: str | None
    has_more: bool
    skipped: int = 0


class EventCalls(RegosCore):
    async def get_events(
        self,
        *,
        last_event_id: str | None = None,
        from_date: Timestamp | None = None,
        limit: int | None = None,
        actions: Iterable[str] | None = None,
    ) -> EventPage:
        """``Event/Get``: stored webhook events (kept 7 days) after ``last_event_id`` or since ``from_date``."""
        body = compact_body(
            connected_integration_id=self._key,
            last_event_id=last_event_id,
            from_date=optional_unix(from_date),
            limit=limit,
            actions=actions,
        )
        response = await self.call("Event/Get", body)
        result = response.result if isinstance(response.result, dict) else {}
        batch = parse_records(EventItem, result.get("events") or [])
        next_id = result.get("next_event_id")
        return EventPage(
            events=batch.items,
            next_event_id=str(next_id) if next_id else None,
            has_more=bool(result.get("has_more")),
            skipped=batch.skipped,
        )

    async def iter_events(
        self,
        *,
        last_event_id: str | None = None,
        from_date: Timestamp | None = None,
        actions: Iterable[str] | None = None,
        page_limit: int = EVENT_PAGE_MAX,
    ) -> AsyncIterator[EventItem]:
        """All stored events after a cursor; stops when ``has_more`` is false or the cursor stops moving."""
        seen_cursors: set[str] = set()
        action_list = list(actions) if actions is not None else None
        cursor = last_event_id
        for _ in range(self.max_pages):
            page = await self.get_events(
                last_event_id=cursor,
                from_date=from_date if cursor is None else None,
                limit=page_limit,
                actions=action_list,
            )
            for event in page.events:
                yield event
            if not page.has_more or not page.events or not page.next_event_id:
                return
            if page.next_event_id == cursor or page.next_event_id in seen_cursors:
                logger.warning("REGOS Event/Get cursor did not advance; stopping")
                return
            seen_cursors.add(page.next_event_id)
            cursor = page.next_event_id

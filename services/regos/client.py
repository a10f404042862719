"""Async REGOS API client: the HTTP core (``core``) with the typed calls of each controller (``api_*``).

``RegosClient`` is what the rest of the project uses; ``client.call(method, body)`` stays available for a
method without a typed wrapper.
"""

from __future__ import annotations

from .api_events import EVENT_PAGE_MAX, EventCalls, EventPage
from .api_references import CURRENT_QUANTITY_MAX_IDS, ReferenceCalls
from .api_retail import RetailCalls
from .api_wholesale import WholesaleCalls
from .core import DEFAULT_GATEWAY_URL, DEFAULT_PAGE_SIZE, DEFAULT_TIMEOUT, RateLimit, RetryPolicy, Timestamp
from .envelope import RegosResponse


class RegosClient(ReferenceCalls, RetailCalls, WholesaleCalls, EventCalls):
    """One REGOS integration (one company). Share one client per key so its token bucket paces all calls.

    ``integration_key`` is the key from the merchant's local integration, or the ``connected_integration_id``
    when ``oauth`` credentials are given (marketplace mode: a Bearer token is added to every call).
    """


__all__ = [
    "CURRENT_QUANTITY_MAX_IDS",
    "DEFAULT_GATEWAY_URL",
    "DEFAULT_PAGE_SIZE",
    "DEFAULT_TIMEOUT",
    "EVENT_PAGE_MAX",
    "EventPage",
    "RateLimit",
    "RegosClient",
    "RegosResponse",
    "RetryPolicy",
    "Timestamp",
]

"""``check_connection``: is this REGOS key usable? The answer is data the bot renders in the user's language."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from .client import RegosClient
from .errors import (
    RegosAuthError,
    RegosError,
    RegosMalformedResponseError,
    RegosNoRightsError,
    RegosNotFoundError,
    RegosRateLimitError,
    RegosUnreachableError,
)
from .models import Stock

TIME_METHOD = "CurrentTimeStamp/Get"
STOCK_METHOD = "Stock/Get"


class ConnectionProblem(StrEnum):
    KEY_REJECTED = "key_rejected"
    NO_RIGHTS = "no_rights"
    UNREACHABLE = "unreachable"
    RATE_LIMITED = "rate_limited"
    BAD_RESPONSE = "bad_response"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class ConnectionCheck:
    """``ok`` with the server time and the stocks (branches), or the step that failed and why."""

    ok: bool
    server_time: datetime | None = None
    stocks: list[Stock] = field(default_factory=list)
    failed_method: str | None = None
    problem: ConnectionProblem | None = None
    error_code: int | None = None
    http_status: int | None = None
    description: str | None = None


def _problem_for(error: RegosError, method: str) -> ConnectionProblem:
    if isinstance(error, RegosAuthError):
        return ConnectionProblem.KEY_REJECTED
    if isinstance(error, RegosNoRightsError):
        return ConnectionProblem.NO_RIGHTS
    if isinstance(error, RegosNotFoundError) and method == TIME_METHOD:
        # CurrentTimeStamp/Get exists everywhere, so a 404 on it means the gateway does not know the key.
        return ConnectionProblem.KEY_REJECTED
    if isinstance(error, RegosUnreachableError):
        return ConnectionProblem.UNREACHABLE
    if isinstance(error, RegosRateLimitError):
        return ConnectionProblem.RATE_LIMITED
    if isinstance(error, RegosMalformedResponseError):
        return ConnectionProblem.BAD_RESPONSE
    return ConnectionProblem.UNKNOWN


def _failure(error: RegosError, method: str, server_time: datetime | None = None) -> ConnectionCheck:
    return ConnectionCheck(
        ok=False,
        server_time=server_time,
        failed_method=method,
        problem=_problem_for(error, method),
        error_code=error.code,
        http_status=error.http_status,
        description=error.description,
    )


async def check_connection(client: RegosClient) -> ConnectionCheck:
    """Call ``CurrentTimeStamp/Get`` (is the key accepted?) then ``Stock/Get`` (may it read data?). Never raises
    a ``RegosError``."""
    try:
        server_time = await client.get_current_timestamp()
    except RegosError as error:
        return _failure(error, TIME_METHOD)
    try:
        stocks = await client.iter_stocks().collect()
    except RegosError as error:
        return _failure(error, STOCK_METHOD, server_time)
    return ConnectionCheck(ok=True, server_time=server_time, stocks=list(stocks.items))

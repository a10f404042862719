"""``check_connection``: is this REGOS key usable? The answer is data the bot renders in the user's language."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from .client import RegosClient
from .errors import TIME_METHOD, RegosError, RegosProblem
from .models import Stock

STOCK_METHOD = "Stock/Get"


@dataclass(frozen=True)
class ConnectionCheck:
    """``ok`` with the server time and the stocks (branches), or the step that failed and why."""

    ok: bool
    server_time: datetime | None = None
    stocks: list[Stock] = field(default_factory=list)
    failed_method: str | None = None
    problem: RegosProblem | None = None
    error_code: int | None = None
    http_status: int | None = None
    description: str | None = None


def _failure(error: RegosError, method: str, server_time: datetime | None = None) -> ConnectionCheck:
    return ConnectionCheck(
        ok=False,
        server_time=server_time,
        failed_method=method,
        problem=RegosProblem.from_error(error),
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

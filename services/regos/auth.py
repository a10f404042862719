"""OAuth2 client-credentials tokens for REGOS marketplace (reusable) integrations.

``POST https://auth.regos.uz/oauth/token`` (form: grant_type, client_id, client_secret) →
``{"access_token", "token_type": "Bearer", "expires_in": 600}``. There is no refresh token: the same request is
repeated. A token is reused until ``expires_in`` minus min(60 s, 10 %), like REGOS's own client.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field

import httpx

from .errors import RegosAuthError, RegosMalformedResponseError, RegosUnreachableError
from .masking import mask_secret, protect_secret
from .parsing import loads
from .ratelimit import Clock

DEFAULT_TOKEN_URL = "https://auth.regos.uz/oauth/token"
_TOKEN_METHOD = "oauth/token"


@dataclass(frozen=True)
class OAuthCredentials:
    client_id: str
    client_secret: str = field(repr=False)
    token_url: str = DEFAULT_TOKEN_URL
    scope: str | None = None

    def __repr__(self) -> str:
        return (
            f"OAuthCredentials(client_id={self.client_id!r}, client_secret={mask_secret(self.client_secret)!r}, "
            f"token_url={self.token_url!r})"
        )


def _expiry_margin(expires_in: float) -> float:
    return min(60.0, expires_in * 0.1)


class OAuthTokenProvider:
    """Fetches and caches one bearer token; concurrent callers share a single fetch."""

    def __init__(
        self,
        credentials: OAuthCredentials,
        http: httpx.AsyncClient,
        *,
        clock: Clock = time.monotonic,
        timeout: float = 30.0,
    ) -> None:
        self.credentials = credentials
        self._http = http
        self._clock = clock
        self._timeout = timeout
        self._token: str | None = None
        self._valid_until = 0.0
        self._lock = asyncio.Lock()
        self.fetch_count = 0
        protect_secret(credentials.client_secret)

    def invalidate(self) -> None:
        self._token = None
        self._valid_until = 0.0

    async def get_token(self) -> str:
        async with self._lock:
            if self._token is not None and self._clock() < self._valid_until:
                return self._token
            return await self._fetch()

    async def _fetch(self) -> str:
        form = {
            "grant_type": "client_credentials",
            "client_id": self.credentials.client_id,
            "client_secret": self.credentials.client_secret,
        }
        if self.credentials.scope:
            form["scope"] = self.credentials.scope
        started = self._clock()
        try:
            response = await self._http.post(self.credentials.token_url, data=form, timeout=self._timeout)
        except httpx.TransportError as exc:
            raise RegosUnreachableError(
                None, f"token endpoint unreachable: {type(exc).__name__}", _TOKEN_METHOD
            ) from exc
        self.fetch_count += 1
        if response.status_code in (400, 401, 403):
            raise RegosAuthError(None, "client credentials rejected", _TOKEN_METHOD, http_status=response.status_code)
        if response.status_code >= 500:
            raise RegosUnreachableError(None, "token endpoint failed", _TOKEN_METHOD, http_status=response.status_code)
        try:
            payload = loads(response.content)
            token = str(payload["access_token"])
            expires_in = float(payload.get("expires_in") or 600)
        except (ValueError, KeyError, TypeError) as exc:
            raise RegosMalformedResponseError(
                None, "token endpoint answered without access_token", _TOKEN_METHOD, http_status=response.status_code
            ) from exc
        protect_secret(token)
        self._token = token
        self._valid_until = started + expires_in - _expiry_margin(expires_in)
        return token

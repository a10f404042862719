"""HS256 JWTs shaped like Eskiz's: claims ``exp``, ``iat``, ``role`` ("user" or "test"), ``sign`` and ``sub``."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from typing import Any


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def issue(key: bytes, *, subject: int, role: str, issued_at: int, lifetime: int) -> str:
    header = {"alg": "HS256", "typ": "JWT"}
    claims = {
        "exp": issued_at + lifetime,
        "iat": issued_at,
        "role": role,
        "sign": secrets.token_hex(32),
        "sub": str(subject),
    }
    signing_input = f"{_b64(json.dumps(header, separators=(',', ':')).encode())}." \
                    f"{_b64(json.dumps(claims, separators=(',', ':')).encode())}"
    signature = hmac.new(key, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{_b64(signature)}"


def verify(key: bytes, token: str) -> dict[str, Any] | None:
    """The claims of a token this server signed, or None (expiry is checked by the caller)."""
    parts = token.split(".")
    if len(parts) != 3:
        return None
    expected = hmac.new(key, f"{parts[0]}.{parts[1]}".encode(), hashlib.sha256).digest()
    try:
        if not hmac.compare_digest(expected, _unb64(parts[2])):
            return None
        claims = json.loads(_unb64(parts[1]))
    except (ValueError, TypeError):
        return None
    return claims if isinstance(claims, dict) else None

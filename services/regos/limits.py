"""Caps on what a REGOS body (a gateway's answer, a webhook delivery) may be: its size and its JSON nesting.

A hostile or broken peer may send a body of gigabytes or `[[[[...]]]]` nested a million deep (which makes
``json.loads`` raise ``RecursionError``); both are refused before parsing, as a ``BodyRefused`` (a ``ValueError``)."""

from __future__ import annotations

from typing import Any

from .parsing import decode_body, loads

MAX_RESPONSE_BYTES = 64 * 1024 * 1024  # a REGOS page is a few MB at most
MAX_WEBHOOK_BYTES = 256 * 1024  # an event is a few hundred bytes
MAX_JSON_DEPTH = 64  # REGOS nests four or five levels


class BodyRefused(ValueError):
    """The body is too large or too deeply nested to be parsed."""


def json_depth(raw: bytes) -> int:
    """The deepest nesting of objects and arrays in a JSON text, counted outside strings."""
    depth = deepest = 0
    in_string = escaped = False
    for byte in raw:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > MAX_JSON_DEPTH:
                    return deepest
        elif byte in (0x5D, 0x7D):
            depth -= 1
    return deepest


_DEPTH_SCAN_BYTES = 1024 * 1024  # larger bodies rely on the parser's own recursion guard (caught below)


def guarded_loads(raw: bytes | str, *, max_bytes: int) -> Any:
    """``loads`` after checking size (after gzip too) and nesting; raises ``BodyRefused`` or ``ValueError``."""
    data = raw.encode() if isinstance(raw, str) else raw
    if len(data) > max_bytes:
        raise BodyRefused(f"body of {len(data)} bytes is over the {max_bytes}-byte cap")
    data = decode_body(data)
    if len(data) > max_bytes:
        raise BodyRefused(f"body of {len(data)} bytes (unpacked) is over the {max_bytes}-byte cap")
    if len(data) <= _DEPTH_SCAN_BYTES and json_depth(data) > MAX_JSON_DEPTH:
        raise BodyRefused(f"JSON nested deeper than {MAX_JSON_DEPTH} levels")
    try:
        return loads(data)
    except RecursionError as exc:  # belt and braces: never let it escape
        raise BodyRefused("JSON nested too deeply") from exc

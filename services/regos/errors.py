"""Typed REGOS errors.

REGOS answers application errors with HTTP 200 and ``{"ok": false, "result": {"error": <code>, "description": ...}}``.
The codes below are the documented ones (docs.regos.uz errors page); anything else becomes ``RegosUnknownError``.
"""

from __future__ import annotations

from enum import StrEnum

# Documented REGOS error codes that the client treats specially.
REQUIRED_FIELD_MISSING = 1002
INSUFFICIENT_PRIVILEGES = 1007
BAD_PARAMETERS = 1008
RECORDS_NOT_FOUND = 1009
DUPLICATE = 1010
BAD_PARAMETERS_2 = 1012
TOO_MANY_SYSTEM_CALLS = 1018
ACTION_FORBIDDEN = 1096
APP_TOKEN_NOT_FOUND = 1101
REPORT_REQUEST_LIMIT = 1194
RATE_LIMIT_EXCEEDED = 8213
LEGACY_TOKEN_HEADER_MISSING = 9000
AUTHORIZATION_MISSING_OR_BAD = 9001
TOKEN_MISSING_OR_INACTIVE = 9002
LEGACY_SESSION_MISSING = 9004
LEGACY_API_LOGIN_MISSING = 9005
USER_BLOCKED = 9006
DATABASE_UPDATING = 9007
NOT_AUTHORISED = 9008
UNKNOWN_ERROR = 9998
UNKNOWN_ERROR_2 = 9999

AUTH_CODES = frozenset(
    {
        APP_TOKEN_NOT_FOUND,
        LEGACY_TOKEN_HEADER_MISSING,
        AUTHORIZATION_MISSING_OR_BAD,
        TOKEN_MISSING_OR_INACTIVE,
        LEGACY_SESSION_MISSING,
        LEGACY_API_LOGIN_MISSING,
        USER_BLOCKED,
        NOT_AUTHORISED,
    }
)
NO_RIGHTS_CODES = frozenset({INSUFFICIENT_PRIVILEGES, ACTION_FORBIDDEN})
RATE_LIMIT_CODES = frozenset({RATE_LIMIT_EXCEEDED, TOO_MANY_SYSTEM_CALLS, REPORT_REQUEST_LIMIT})
NOT_FOUND_CODES = frozenset({RECORDS_NOT_FOUND})
BAD_REQUEST_CODES = frozenset({REQUIRED_FIELD_MISSING, BAD_PARAMETERS, BAD_PARAMETERS_2, DUPLICATE})
# Codes that describe a passing condition on REGOS's side, so the same request may succeed later.
RETRYABLE_CODES = frozenset({RATE_LIMIT_EXCEEDED, TOO_MANY_SYSTEM_CALLS, DATABASE_UPDATING})


class RegosError(Exception):
    """Base of every REGOS failure.

    ``code`` is the REGOS error code (``None`` when the failure happened below the API: network, HTTP, JSON);
    ``http_status`` is set when the gateway answered with a non-200 status.
    """

    def __init__(
        self,
        code: int | None,
        description: str,
        method: str,
        *,
        http_status: int | None = None,
        attempts: int = 1,
    ) -> None:
        self.code = code
        self.description = description
        self.method = method
        self.http_status = http_status
        self.attempts = attempts
        super().__init__(self._summary())

    def _summary(self) -> str:
        parts = [self.method or "?"]
        if self.code is not None:
            parts.append(f"error {self.code}")
        if self.http_status is not None:
            parts.append(f"HTTP {self.http_status}")
        if self.attempts > 1:
            parts.append(f"after {self.attempts} attempts")
        return f"REGOS {', '.join(parts)}: {self.description}"

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(code={self.code!r}, description={self.description!r}, "
            f"method={self.method!r}, http_status={self.http_status!r})"
        )


class RegosAuthError(RegosError):
    """The integration key (or OAuth token) was rejected: unknown, inactive, blocked."""


class RegosNoRightsError(RegosError):
    """The key is valid but has no rights for this method (1007 / 1096)."""


class RegosRateLimitError(RegosError):
    """REGOS kept refusing with 8213 (or the gateway with HTTP 429) after all retries."""


class RegosNotFoundError(RegosError):
    """Records not found (1009), or the gateway answered HTTP 404."""


class RegosBadRequestError(RegosError):
    """The request itself was rejected (missing field, bad parameters): a bug on our side, never retried."""


class RegosUnreachableError(RegosError):
    """Network failure, timeout or 5xx that persisted after all retries."""


class RegosMalformedResponseError(RegosError):
    """The answer was not a REGOS envelope (broken JSON, no ``ok``), even after retries."""


class RegosUnknownError(RegosError):
    """Any other REGOS error code, or an unexpected HTTP status."""


class IncompleteListingError(RegosMalformedResponseError):
    """REGOS kept answering a listing with fewer rows than its own ``total``."""


def error_class_for_code(code: int | None) -> type[RegosError]:
    if code is None:
        return RegosUnknownError
    if code in AUTH_CODES:
        return RegosAuthError
    if code in NO_RIGHTS_CODES:
        return RegosNoRightsError
    if code in RATE_LIMIT_CODES:
        return RegosRateLimitError
    if code in NOT_FOUND_CODES:
        return RegosNotFoundError
    if code in BAD_REQUEST_CODES:
        return RegosBadRequestError
    return RegosUnknownError


def error_from_code(code: int | None, description: str, method: str, **kwargs: int | None) -> RegosError:
    cls = error_class_for_code(code)
    return cls(code, description, method, **kwargs)  # type: ignore[arg-type]


TIME_METHOD = "CurrentTimeStamp/Get"


class RegosProblem(StrEnum):
    """Why REGOS could not be used (a pasted key, a connection check, a sync): one i18n message each."""

    KEY_MALFORMED = "key_malformed"  # not even sent: the pasted text cannot be a key
    KEY_REJECTED = "key_rejected"
    NO_RIGHTS = "no_rights"
    UNREACHABLE = "unreachable"
    RATE_LIMITED = "rate_limited"
    BAD_RESPONSE = "bad_response"
    UNKNOWN = "unknown"

    @classmethod
    def from_error(cls, error: RegosError) -> RegosProblem:
        if isinstance(error, RegosAuthError):
            return cls.KEY_REJECTED
        if isinstance(error, RegosNoRightsError):
            return cls.NO_RIGHTS
        if isinstance(error, RegosNotFoundError) and error.method == TIME_METHOD:
            # CurrentTimeStamp/Get exists everywhere, so a 404 on it means the gateway does not know the key.
            return cls.KEY_REJECTED
        if isinstance(error, RegosUnreachableError):
            return cls.UNREACHABLE
        if isinstance(error, RegosRateLimitError):
            return cls.RATE_LIMITED
        if isinstance(error, RegosMalformedResponseError):
            return cls.BAD_RESPONSE
        return cls.UNKNOWN

"""SMS through Eskiz (notify.eskiz.uz): the client, phone numbers, and the SMS domain with delivery reports.

One Eskiz account serves the deployment (ESKIZ_EMAIL / ESKIZ_PASSWORD); its token is stored encrypted in
``eskiz_tokens`` (``DbTokenStore``), keyed by the account, so a restart reuses it for its 30 days.
"""

from .callbacks import add_callback_route, make_callback_handler
from .client import (
    DEFAULT_BASE_URL,
    DEFAULT_SENDER,
    AccountInfo,
    BatchMessage,
    BatchResult,
    EskizClient,
    MessageStatus,
    RetryPolicy,
    SendResult,
)
from .errors import (
    EskizBadResponse,
    EskizCredentialsError,
    EskizError,
    EskizNotConfigured,
    EskizQuotaError,
    EskizRefused,
    EskizTestModeError,
    EskizTokenError,
    EskizUnavailable,
)
from .phones import InvalidPhoneError, format_phone, is_valid_phone, mask_phone, normalize_phone
from .reports import (
    DeliveryReport,
    DeliveryReportError,
    classify_provider_status,
    next_status,
    parse_delivery_report,
    report_from_fields,
)
from .service import (
    ReportOutcome,
    SendReport,
    apply_delivery_report,
    poll_statuses,
    queue_sms,
    send_now,
    send_queued,
    sms_counts,
)
from .store import DbTokenStore
from .texts import TEST_TEXTS, is_test_text, sms_parts
from .tokens import MemoryTokenStore, StoredToken, TokenStore, token_claims
from .urls import CALLBACK_PREFIX, callback_path, callback_secret, resolve_callback_url

__all__ = [
    "CALLBACK_PREFIX",
    "DEFAULT_BASE_URL",
    "DEFAULT_SENDER",
    "TEST_TEXTS",
    "AccountInfo",
    "BatchMessage",
    "BatchResult",
    "DbTokenStore",
    "DeliveryReport",
    "DeliveryReportError",
    "EskizBadResponse",
    "EskizClient",
    "EskizCredentialsError",
    "EskizError",
    "EskizNotConfigured",
    "EskizQuotaError",
    "EskizRefused",
    "EskizTestModeError",
    "EskizTokenError",
    "EskizUnavailable",
    "InvalidPhoneError",
    "MemoryTokenStore",
    "MessageStatus",
    "ReportOutcome",
    "RetryPolicy",
    "SendReport",
    "SendResult",
    "StoredToken",
    "TokenStore",
    "add_callback_route",
    "apply_delivery_report",
    "callback_path",
    "callback_secret",
    "classify_provider_status",
    "format_phone",
    "is_test_text",
    "is_valid_phone",
    "make_callback_handler",
    "mask_phone",
    "next_status",
    "normalize_phone",
    "parse_delivery_report",
    "poll_statuses",
    "queue_sms",
    "report_from_fields",
    "resolve_callback_url",
    "send_now",
    "send_queued",
    "sms_counts",
    "sms_parts",
    "token_claims",
]

"""REGOS sales sync: connect a company, import its days, reconcile, webhooks and replay, the books per day.

What the bot calls:

- ``/regos`` (connect): ``connect_company(session, company_id=..., integration_key=..., secret_box=...)`` →
  ``ConnectOutcome`` (``ok`` + ``branches_found``, or ``problem`` + ``failed_method`` + ``error_code``); the caller
  commits. ``disconnect``, ``rename_branch``, ``map_employee`` for the owner's mappings.
- ``/sync`` and the scheduler: ``sync_company(session_factory, company_id, date_from=..., date_to=...,
  trigger="manual"|"schedule", secret_box=..., on_progress=callback)`` → ``SyncResult`` (per-day results,
  reconciliation, ``failure`` when REGOS could not be reached; the connection's ``status``/``last_error`` are
  updated too). ``on_progress`` receives ``SyncProgress`` after every page.
- The webhook endpoint: ``handle_webhook(session_factory, secret, body, secret_box, spawn=app.spawn)`` → ``WebhookAck``
  (answer 200 for ``accepted``/``duplicate``); ``replay_events`` and ``process_pending_events`` for the scheduler.
- The scheduler: ``due_syncs(now, company.timezone, connection.settings)`` names the runs due (hourly for today,
  the final pass for yesterday after 00:30 local) with a ``(job, period)`` for its ``JobClaim``.
- Reports: ``day_books(session, company_id, date_from, date_to)`` → ``list[DayBook]`` (``books_to_json``).
- Receipt details (opt-in, issue 9): ``details.set_details_backfill(session, company_id, enabled)`` and
  ``details.details_backfill_status(session, company_id)``; the job ``regos_details_backfill`` runs
  ``details.backfill_company`` (lowest priority, 25 % of the key's rate by default).
- Every client of a key shares one budget (``services.regos.budget``; kept in the database, or Redis with
  ``REDIS_URL``): ``get_client(..., priority=Priority.INTERACTIVE|SCHEDULED|BACKFILL)``.
"""

from db.regos_data import ConnectionStatus, SyncRunStatus, SyncTrigger
from services.regos import IncompleteListingError, RegosProblem

from .aggregates import DayFigures, Figures, ReconciliationOutcome, compute_day, rebuild_day
from .archive import DEFAULT_ARCHIVE_DIR, DEFAULT_RETENTION_DAYS, archive_path, prune_archive, read_archive
from .books import BranchBook, DayBook, ItemSales, amount_text, books_to_json, day_books, item_sales
from .connection import (
    ConnectOutcome,
    EmployeeMapping,
    RegosNotConnected,
    connect_company,
    disconnect,
    get_client,
    get_connection,
    map_employee,
    rename_branch,
    shared_bucket,
)
from .engine import sync_company
from .events import (
    AckStatus,
    EventOutcome,
    RecordedEvent,
    ReplayResult,
    WebhookAck,
    handle_webhook,
    process_event,
    process_pending_events,
    record_event,
    replay_events,
)
from .results import DayStatus, DaySyncResult, SyncFailure, SyncOptions, SyncProgress, SyncResult
from .schedule import DueSync, due_syncs

__all__ = [
    "DEFAULT_ARCHIVE_DIR",
    "DEFAULT_RETENTION_DAYS",
    "AckStatus",
    "BranchBook",
    "ConnectOutcome",
    "ConnectionStatus",
    "DayBook",
    "DayFigures",
    "DayStatus",
    "DaySyncResult",
    "DueSync",
    "EmployeeMapping",
    "EventOutcome",
    "Figures",
    "IncompleteListingError",
    "ItemSales",
    "ReconciliationOutcome",
    "RecordedEvent",
    "RegosNotConnected",
    "RegosProblem",
    "ReplayResult",
    "SyncFailure",
    "SyncOptions",
    "SyncProgress",
    "SyncResult",
    "SyncRunStatus",
    "SyncTrigger",
    "WebhookAck",
    "amount_text",
    "archive_path",
    "books_to_json",
    "compute_day",
    "connect_company",
    "day_books",
    "disconnect",
    "due_syncs",
    "get_client",
    "get_connection",
    "handle_webhook",
    "item_sales",
    "map_employee",
    "process_event",
    "process_pending_events",
    "prune_archive",
    "read_archive",
    "rebuild_day",
    "record_event",
    "rename_branch",
    "replay_events",
    "shared_bucket",
    "sync_company",
]

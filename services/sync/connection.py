"""Connecting a company to REGOS, and building a client from the stored connection.

``connect_company`` checks a pasted key and stores it (encrypted) only when REGOS accepted it and lets it read
what the sync needs; the outcome is data the bot renders in the user's language. ``get_client`` builds a
``RegosClient`` for a company; all clients of one key share a token bucket, so REGOS's 2 req/s limit holds
across every sync, webhook and command running in this process.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import secrets
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import httpx
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from db.base import utcnow
from db.models import Branch, Company, Employee
from db.regos_data import AuthMode, ConnectionStatus, RegosConnection
from services import audit
from services.crypto import SecretBox
from services.errors import DomainError, NotFound, ValidationFailed
from services.regos import (
    DEFAULT_GATEWAY_URL,
    BudgetBackend,
    KeyBudget,
    MemoryBackend,
    OAuthCredentials,
    Priority,
    RateLimit,
    RegosClient,
    RegosError,
    RegosProblem,
    RetryPolicy,
    check_connection,
    key_digest,
    mask_secret,
)
from services.regos.budget_backends import DatabaseBackend, RedisBackend

from .reference import sync_branches, sync_employees, sync_tills

logger = logging.getLogger(__name__)

KEY_PREFIX_LENGTH = 4
_MAX_KEY_LENGTH = 256

# Operator settings kept in RegosConnection.settings (JSON); all optional.
SETTING_RATE_PER_SECOND = "rate_per_second"  # REGOS allows 2; a marketplace tier may allow more
SETTING_BURST = "burst"
SETTING_RECEIPT_DETAILS = "receipt_details"  # fetch lines and payments of each receipt
# Reports read RetailReport aggregates (issue 9), so details (2 calls a receipt) are needed by no report: off by
# default; a company that wants receipt lines turns on the background backfill (services/sync/details.py).
DEFAULT_RECEIPT_DETAILS = False
SETTING_ARCHIVE_RETENTION_DAYS = "archive_retention_days"
SETTING_EVENT_CURSOR = "event_cursor"  # last Event/Get id replayed
SETTING_TOKEN_URL = "token_url"  # marketplace mode only

# The names bot/jobs/regos_sync.py imports (new code: ConnectionStatus); drop once it uses the enum.
STATUS_OK = ConnectionStatus.OK
STATUS_FAILING = ConnectionStatus.FAILING


class RegosNotConnected(DomainError):
    key = "error-regos-not-connected"


@dataclass(frozen=True)
class ConnectOutcome:
    """``ok`` with what was found, or the ``problem`` with REGOS's own code and the method that failed."""

    ok: bool
    branches_found: int = 0
    branches_created: int = 0
    branches_adopted: int = 0
    tills_found: int = 0
    employees_found: int = 0
    employees_created: int = 0
    key_prefix: str | None = None
    problem: RegosProblem | None = None
    failed_method: str | None = None
    error_code: int | None = None
    http_status: int | None = None
    description: str | None = None

    @classmethod
    def failure(cls, error: RegosError, key_prefix: str | None = None) -> ConnectOutcome:
        return cls(
            ok=False,
            key_prefix=key_prefix,
            problem=RegosProblem.from_error(error),
            failed_method=error.method,
            error_code=error.code,
            http_status=error.http_status,
            description=error.description,
        )


ClientFactory = Callable[[str, str], RegosClient]


# -- shared rate limit --------------------------------------------------------------------------------------------

# One budget per (event loop, key, limits, backend): asyncio primitives belong to one loop. The backend holds the
# bucket itself: the database (default: every process on the database shares it), Redis when REDIS_URL is set,
# or this process's memory (a client made with no database at hand).
_budgets: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[tuple[str, float, int, int], KeyBudget]] = (
    weakref.WeakKeyDictionary()
)
_memory_backend = MemoryBackend()
_db_backends: weakref.WeakKeyDictionary[Any, DatabaseBackend] = weakref.WeakKeyDictionary()
_redis_backends: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[str, RedisBackend]] = (
    weakref.WeakKeyDictionary()
)
_UNSET = object()
_redis_override: object = _UNSET


def set_budget_redis_url(url: str | object | None = _UNSET) -> None:
    """Override REDIS_URL for the shared budget (tests); without an argument, go back to the settings."""
    global _redis_override
    _redis_override = url


def _redis_url() -> str | None:
    if _redis_override is not _UNSET:
        return _redis_override  # type: ignore[return-value]
    try:
        from core.config import get_settings

        return get_settings().redis_url
    except Exception:  # settings that do not load are start-up's business; the budget falls back to the database
        return None


def budget_backend(engine: AsyncEngine | None = None) -> BudgetBackend:
    """Redis when configured, else the database of ``engine``, else this process's memory."""
    url = _redis_url()
    if url:
        per_loop = _redis_backends.setdefault(asyncio.get_running_loop(), {})
        backend = per_loop.get(url)
        if backend is None:
            backend = per_loop[url] = RedisBackend(url)
        return backend
    if engine is not None and engine.url.database not in (None, "", ":memory:"):
        found = _db_backends.get(engine.sync_engine)
        if found is None:
            found = _db_backends[engine.sync_engine] = DatabaseBackend(engine)
        return found
    return _memory_backend


def shared_bucket(
    integration_key: str, rate_limit: RateLimit | None = None, *, backend: BudgetBackend | None = None
) -> KeyBudget | None:
    """The budget every client of this key uses (``None`` when pacing is off); ``backend`` defaults to memory."""
    limits = rate_limit or RateLimit()
    if not limits.enabled:
        return None
    store = backend or _memory_backend
    digest = key_digest(integration_key)
    per_loop = _budgets.setdefault(asyncio.get_running_loop(), {})
    identity = (digest, limits.rate_per_second, limits.burst, id(store))
    budget = per_loop.get(identity)
    if budget is None:
        budget = KeyBudget(digest, rate=limits.rate_per_second, burst=limits.burst, backend=store)
        per_loop[identity] = budget
    return budget


def session_engine(session: AsyncSession) -> AsyncEngine | None:
    bind = session.bind
    return bind if isinstance(bind, AsyncEngine) else None


def _rate_limit_from(settings: dict[str, Any] | None) -> RateLimit:
    settings = settings or {}
    rate = settings.get(SETTING_RATE_PER_SECOND)
    burst = settings.get(SETTING_BURST)
    if rate is None and burst is None:
        return RateLimit()
    default = RateLimit()
    return RateLimit(
        rate_per_second=float(rate) if rate is not None else default.rate_per_second,
        burst=int(burst) if burst is not None else default.burst,
    )


def _default_client_factory(integration_key: str, gateway_url: str) -> RegosClient:
    return RegosClient(integration_key, base_url=gateway_url, bucket=shared_bucket(integration_key))


def normalize_key(raw: str) -> str | None:
    """The key as pasted, trimmed; ``None`` if it cannot be a REGOS key (empty, spaces or '/' inside)."""
    key = (raw or "").strip()
    if not key or len(key) > _MAX_KEY_LENGTH or any(ch.isspace() for ch in key) or "/" in key:
        return None
    return key


# -- connect / disconnect -----------------------------------------------------------------------------------------


async def connect_company(
    session: AsyncSession,
    *,
    company_id: int,
    integration_key: str,
    gateway_url: str = DEFAULT_GATEWAY_URL,
    secret_box: SecretBox,
    client_factory: ClientFactory = _default_client_factory,
    user_id: int | None = None,
) -> ConnectOutcome:
    """Check the key (``CurrentTimeStamp/Get``, ``Stock/Get``, then the tills, users and receipts the sync
    reads) and, only if all answer, store the connection and refresh branches, tills and employees.

    Changes are added to ``session``; the caller commits. A failed check changes nothing.
    """
    company = await session.get(Company, company_id)
    if company is None or company.deleted_at is not None:
        raise NotFound()
    key = normalize_key(integration_key)
    if key is None:
        return ConnectOutcome(ok=False, problem=RegosProblem.KEY_MALFORMED)
    await _ensure_key_free(session, company_id, key, secret_box)
    prefix = key[:KEY_PREFIX_LENGTH]
    if client_factory is _default_client_factory:
        backend = budget_backend(session_engine(session))

        def client_factory(k: str, url: str) -> RegosClient:
            return RegosClient(k, base_url=url, bucket=shared_bucket(k, backend=backend),
                               priority=Priority.INTERACTIVE)
    async with client_factory(key, gateway_url.rstrip("/")) as client:
        check = await check_connection(client)
        if not check.ok:
            logger.info("REGOS connect for company %s failed at %s: %s", company_id, check.failed_method, check.problem)
            return ConnectOutcome(
                ok=False,
                key_prefix=prefix,
                problem=check.problem or RegosProblem.UNKNOWN,
                failed_method=check.failed_method,
                error_code=check.error_code,
                http_status=check.http_status,
                description=check.description,
            )
        try:
            tills = (await client.iter_operating_cashes().collect()).items
            users = (await client.iter_users().collect()).items
            # The sync lives on receipts: make sure the key may read them before we call it connected.
            now = utcnow()
            await client.iter_doc_cheques(now - timedelta(hours=1), now, page_size=1).first_page()
        except RegosError as error:
            logger.info("REGOS connect for company %s failed at %s: %s", company_id, error.method, error)
            return ConnectOutcome.failure(error, prefix)

    connection = (
        await session.execute(select(RegosConnection).where(RegosConnection.company_id == company_id))
    ).scalar_one_or_none()
    now = utcnow()
    if connection is None:
        connection = RegosConnection(
            company_id=company_id,
            webhook_secret=secrets.token_urlsafe(24),
            settings={},
            created_at=now,
        )
        session.add(connection)
    # A new key for the same company keeps the webhook secret, so the URL set in REGOS keeps working.
    connection.gateway_url = gateway_url.rstrip("/")
    connection.key_encrypted = secret_box.encrypt(key)
    connection.key_prefix = prefix
    connection.auth_mode = AuthMode.LOCAL
    connection.status = ConnectionStatus.OK
    connection.last_error = None
    connection.last_checked_at = now
    connection.last_success_at = now

    branches = await sync_branches(session, company_id, check.stocks)
    await sync_tills(session, company_id, tills, branches.branch_by_stock)
    employees = await sync_employees(session, company_id, users)
    audit.record(
        session, "regos.connected", company_id=company_id, user_id=user_id, key_prefix=mask_secret(key),
        branches=branches.found,
    )
    await session.flush()
    return ConnectOutcome(
        ok=True,
        branches_found=branches.found,
        branches_created=branches.created,
        branches_adopted=branches.adopted,
        tills_found=len(tills),
        employees_found=employees.found,
        employees_created=employees.created,
        key_prefix=prefix,
    )


async def _ensure_key_free(session: AsyncSession, company_id: int, key: str, secret_box: SecretBox) -> None:
    """One REGOS account, one company: a second company with the same key would read the first one's sales.

    Keys are stored encrypted with a random nonce, so each live company's key is decrypted and compared
    (few connections per key prefix; the prefix narrows the candidates first).
    """
    rows = (await session.execute(
        select(RegosConnection.key_encrypted)
        .join(Company, Company.id == RegosConnection.company_id)
        .where(RegosConnection.company_id != company_id, Company.deleted_at.is_(None),
               RegosConnection.key_prefix == key[:KEY_PREFIX_LENGTH])
    )).scalars()
    for encrypted in rows:
        try:
            same = hmac.compare_digest(secret_box.decrypt(encrypted), key)
        except Exception:  # a key sealed with an older secret cannot be compared, nor used
            logger.info("REGOS key of another company could not be read for the uniqueness check")
            same = False
        if same:
            raise DomainError("error-regos-key-taken")


async def get_connection(session: AsyncSession, company_id: int) -> RegosConnection | None:
    return (
        await session.execute(select(RegosConnection).where(RegosConnection.company_id == company_id))
    ).scalar_one_or_none()


async def disconnect(session: AsyncSession, company_id: int, *, user_id: int | None = None) -> bool:
    """Forget the key (synced sales stay). Returns whether there was a connection."""
    connection = await get_connection(session, company_id)
    if connection is None:
        return False
    await session.delete(connection)
    audit.record(session, "regos.disconnected", company_id=company_id, user_id=user_id)
    await session.flush()
    return True


async def get_client(
    session: AsyncSession,
    company_id: int,
    secret_box: SecretBox,
    *,
    rate_limit: RateLimit | None = None,
    retry: RetryPolicy | None = None,
    request_timeout: float | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
    priority: Priority = Priority.SCHEDULED,
    backend: BudgetBackend | None = None,
) -> RegosClient:
    """A client for the company's stored connection (the caller closes it). Raises ``RegosNotConnected``.

    Its calls go through the key's shared budget (``backend``: by default Redis when configured, else the
    database) at ``priority``."""
    connection = await get_connection(session, company_id)
    company = await session.get(Company, company_id)
    if connection is None or company is None:
        raise RegosNotConnected()
    key = secret_box.decrypt(connection.key_encrypted)
    limits = rate_limit or _rate_limit_from(connection.settings)
    oauth = None
    if connection.auth_mode == AuthMode.MARKETPLACE and connection.client_id and connection.client_secret_encrypted:
        settings = connection.settings or {}
        oauth = OAuthCredentials(
            connection.client_id,
            secret_box.decrypt(connection.client_secret_encrypted),
            **({"token_url": settings[SETTING_TOKEN_URL]} if settings.get(SETTING_TOKEN_URL) else {}),
        )
    options: dict[str, Any] = {}
    if request_timeout is not None:
        options["timeout"] = request_timeout
    return RegosClient(
        key,
        base_url=connection.gateway_url,
        oauth=oauth,
        retry=retry,
        rate_limit=limits,
        bucket=shared_bucket(key, limits, backend=backend or budget_backend(session_engine(session))),
        priority=priority,
        transport=transport,
        timezone=company.timezone,
        **options,
    )


async def mark_connection_ok(session: AsyncSession, company_id: int) -> None:
    """REGOS answered: clear any earlier failure."""
    now = utcnow()
    await session.execute(
        update(RegosConnection)
        .where(RegosConnection.company_id == company_id)
        .values(status=ConnectionStatus.OK, last_error=None, last_checked_at=now, last_success_at=now)
    )


async def mark_connection_failing(
    session: AsyncSession, company_id: int, problem: RegosProblem, description: str
) -> None:
    """Record why REGOS could not be used, so the owner can be told (``status``/``last_error``)."""
    await session.execute(
        update(RegosConnection)
        .where(RegosConnection.company_id == company_id)
        .values(
            status=ConnectionStatus.REVOKED if problem is RegosProblem.KEY_REJECTED else ConnectionStatus.FAILING,
            last_error=f"{problem.value}: {description}"[:2000],
            last_checked_at=utcnow(),
        )
    )


# -- owner mappings -----------------------------------------------------------------------------------------------


async def rename_branch(session: AsyncSession, company_id: int, branch_id: int, name: str) -> Branch:
    """Give a branch (e.g. one made from a REGOS stock) the owner's own name; the next sync keeps it."""
    clean = " ".join((name or "").split())
    if not clean or len(clean) > 128:
        raise ValidationFailed("error-branch-name")
    branch = await session.get(Branch, branch_id)
    if branch is None or branch.company_id != company_id:  # never reveal another company's branch
        raise NotFound()
    if branch.name != clean:
        audit.record(session, "branch.renamed", company_id=company_id, branch_id=branch_id, old=branch.name, new=clean)
        branch.name = clean
        await session.flush()
    return branch


@dataclass(frozen=True)
class EmployeeMapping:
    employee: Employee
    released_from: Employee | None  # the employee that held this REGOS user before (deactivated if auto-made)


async def map_employee(session: AsyncSession, company_id: int, employee_id: int, regos_user_id: int) -> EmployeeMapping:
    """Tie a REGOS user (cashier/seller) to one of the company's employees.

    If another employee held that REGOS user (usually the one made automatically at connect), it is released;
    when it was such an untouched automatic record (no Telegram user, no salary, no hire date) it is deactivated.
    """
    employee = await session.get(Employee, employee_id)
    if employee is None or employee.company_id != company_id:
        raise NotFound()
    previous = (
        await session.execute(
            select(Employee).where(Employee.company_id == company_id, Employee.regos_user_id == regos_user_id)
        )
    ).scalar_one_or_none()
    if previous is not None and previous.id == employee.id:
        return EmployeeMapping(employee, None)
    if previous is not None:
        previous.regos_user_id = None
        if previous.user_id is None and not previous.base_salary and previous.hired_on is None:
            previous.active = False
        await session.flush()  # the unique (company, regos_user_id) must be free before we take it
    employee.regos_user_id = regos_user_id
    audit.record(
        session, "employee.regos_mapped", company_id=company_id, employee_id=employee.id, regos_user_id=regos_user_id,
        released_employee_id=previous.id if previous else None,
    )
    await session.flush()
    return EmployeeMapping(employee, previous)

"""Cash: registers per branch whose balance is the sum of their posted movements (never a stored number that could
drift); deposits, withdrawals, transfers between registers and cash collections (inkassatsiya); withdrawals above a
per-company threshold go through the approval engine; REGOS cash sales posted daily to each branch's register; a
limit alert when a register holds more than its limit. The period report is services/cash_report.py.

No operation a person makes leaves a register below zero: the register row is locked (a conditional bump of
`lock_version`, which serialises writers on PostgreSQL and SQLite alike) before its balance is read and the
movement written. A REGOS correction (a late return) may lower a balance: it reflects what the till holds.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Numeric, func, select, type_coerce, update
from sqlalchemy.ext.asyncio import AsyncSession

from core.i18n import translate
from db import repositories as repo
from db.approvals import ApprovalRequest
from db.base import utcnow
from db.finance import CashMovement, CashRegister, MovementKind, MovementStatus
from db.models import Branch, Company, Membership, Role, User
from db.regos_data import DailySales, DayPaymentSales, DayReportCounts, PaymentType, Receipt, ReceiptPayment
from services import approvals, audit, outbox
from services.approvals import Card, Fact, Label, PolicyDefaults
from services.errors import NotFound, ValidationFailed
from services.locale import DEFAULT_LOCALE, format_money
from services.permissions import Capability, branch_scope, can, require
from services.reports.render import esc

KIND = "cash"
ALERT_PREFIX = "cl"  # handlers.callbacks.CashAlertCb
DEFAULT_APPROVAL_ABOVE = Decimal("1000000")
MAX_NOTE = 300
ZERO = Decimal("0.00")
_MONEY = Numeric(18, 2, asdecimal=True)
OUTFLOWS = (MovementKind.WITHDRAWAL, MovementKind.COLLECTION, MovementKind.TRANSFER_OUT)
CLOSED = "Closed"


# --- registers ------------------------------------------------------------------------------------------------------


async def ensure_registers(session: AsyncSession, company_id: int) -> list[CashRegister]:
    """Every branch has its register (a company without branches has one of its own); returns them all."""
    registers = list((await session.scalars(
        select(CashRegister).where(CashRegister.company_id == company_id, CashRegister.archived_at.is_(None))
        .order_by(CashRegister.id))).all())
    branches = await repo.branches_of_company(session, company_id)
    have = {register.branch_id for register in registers}
    added = [CashRegister(company_id=company_id, branch_id=branch.id, name=branch.name[:64])
             for branch in branches if branch.id not in have]
    if not branches and not registers:
        company = await session.get_one(Company, company_id)
        added.append(CashRegister(company_id=company_id, branch_id=None, name=company.name[:64]))
    if added:
        session.add_all(added)
        await session.flush()
        registers += added
    return registers


def _visible(membership: Membership, register: CashRegister) -> bool:
    scope = branch_scope(membership)
    return register.company_id == membership.company_id and (
        scope is None or (register.branch_id is not None and register.branch_id in scope))


async def registers_for(session: AsyncSession, membership: Membership) -> list[CashRegister]:
    return [r for r in await ensure_registers(session, membership.company_id) if _visible(membership, r)]


async def get_register(session: AsyncSession, membership: Membership, register_id: int) -> CashRegister:
    """A register the member may see; another company's looks exactly like a missing one."""
    register = await session.get(CashRegister, register_id)
    if register is None or register.archived_at is not None or not _visible(membership, register):
        raise NotFound("cash-register-not-found")
    return register


async def balances(session: AsyncSession, register_ids: list[int]) -> dict[int, Decimal]:
    """Each register's balance: the sum of its posted movements."""
    rows = await session.execute(
        select(CashMovement.register_id, type_coerce(func.sum(CashMovement.amount), _MONEY))
        .where(CashMovement.register_id.in_(register_ids), CashMovement.status == MovementStatus.POSTED)
        .group_by(CashMovement.register_id))
    found = {register_id: ZERO for register_id in register_ids}
    for register_id, amount in rows:
        found[register_id] = Decimal(amount or 0).quantize(Decimal("0.01"))
    return found


async def balance(session: AsyncSession, register_id: int) -> Decimal:
    return (await balances(session, [register_id]))[register_id]


async def _lock(session: AsyncSession, register_ids: list[int]) -> None:
    """Takes the registers' write locks (in id order, so two transfers never deadlock) before balances are read."""
    for register_id in sorted(set(register_ids)):
        await session.execute(update(CashRegister).where(CashRegister.id == register_id)
                              .values(lock_version=CashRegister.lock_version + 1)
                              .execution_options(synchronize_session=False))


async def _check_cover(session: AsyncSession, register_id: int, outflow: Decimal) -> None:
    if await balance(session, register_id) - outflow < 0:
        raise ValidationFailed("cash-not-enough")


# --- settings -------------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CashSettings:
    approval_above: Decimal  # a withdrawal above this waits for approval


def cash_settings(company: Company) -> CashSettings:
    raw = dict((company.settings or {}).get("cash") or {})
    return CashSettings(approval_above=Decimal(str(raw.get("approval_above", DEFAULT_APPROVAL_ABOVE))))


def set_approval_threshold(session: AsyncSession, membership: Membership, company: Company, amount: Decimal) -> None:
    require(membership.role, Capability.CASH_SETTINGS)
    raw = dict((company.settings or {}).get("cash") or {})
    raw["approval_above"] = f"{amount:f}"
    company.settings = {**(company.settings or {}), "cash": raw}
    audit.record(session, "cash.settings", company_id=company.id, user_id=membership.user_id,
                 approval_above=f"{amount:f}")


async def set_register_limit(session: AsyncSession, membership: Membership, register_id: int,
                             limit: Decimal | None) -> CashRegister:
    require(membership.role, Capability.CASH_SETTINGS)
    register = await get_register(session, membership, register_id)
    register.cash_limit = limit
    register.limit_alert_day = None
    audit.record(session, "cash.limit", company_id=membership.company_id, user_id=membership.user_id,
                 register_id=register.id, limit=f"{limit:f}" if limit is not None else None)
    return register


# --- operations -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CashOutcome:
    movements: list[CashMovement]
    pending: bool = False  # waits for approval
    approvers: list[User] = field(default_factory=list)
    request: ApprovalRequest | None = None


def clean_note(text: str | None) -> str | None:
    cleaned = " ".join((text or "").split())
    if len(cleaned) > MAX_NOTE:
        raise ValidationFailed("cash-note-too-long", limit=MAX_NOTE)
    return cleaned or None


def _movement(register: CashRegister, kind: MovementKind, amount: Decimal, *, today: date, user: User | None,
              note: str | None, status: MovementStatus = MovementStatus.POSTED, **extra: Any) -> CashMovement:
    posted = status == MovementStatus.POSTED
    return CashMovement(company_id=register.company_id, register_id=register.id, kind=kind, amount=amount,
                        status=status, business_day=today, note=note, created_by_user_id=user.id if user else None,
                        posted_at=utcnow() if posted else None, **extra)


async def record_operation(session: AsyncSession, *, membership: Membership, user: User, kind: MovementKind,
                           register_id: int, amount: Decimal, today: date, note: str | None = None,
                           target_register_id: int | None = None) -> CashOutcome:
    """A deposit, withdrawal, transfer (`target_register_id`) or collection. Refused: a non-positive amount, a
    register out of reach, an outflow the register does not hold. A withdrawal above the company's threshold is
    recorded as pending and asked for approval; it counts once approved."""
    require(membership.role, Capability.CASH_OPERATE)
    if amount <= 0:
        raise ValidationFailed("amount-not-positive")
    note = clean_note(note)
    register = await get_register(session, membership, register_id)
    if kind is MovementKind.TRANSFER_OUT:
        target = await session.get(CashRegister, target_register_id or 0)
        if target is None or target.company_id != membership.company_id or target.archived_at is not None:
            raise NotFound("cash-register-not-found")
        if target.id == register.id:
            raise ValidationFailed("cash-transfer-same")
        await _lock(session, [register.id, target.id])
        await _check_cover(session, register.id, amount)
        key = secrets.token_hex(8)
        out = _movement(register, MovementKind.TRANSFER_OUT, -amount, today=today, user=user, note=note,
                        counterpart_register_id=target.id, transfer_key=key)
        into = _movement(target, MovementKind.TRANSFER_IN, amount, today=today, user=user, note=note,
                         counterpart_register_id=register.id, transfer_key=key)
        session.add_all([out, into])
        await session.flush()
        _audit(session, membership, out, into)
        return CashOutcome([out, into])
    if kind not in (MovementKind.DEPOSIT, MovementKind.WITHDRAWAL, MovementKind.COLLECTION):
        raise ValidationFailed("error-invalid")
    await _lock(session, [register.id])
    signed = amount if kind is MovementKind.DEPOSIT else -amount
    if signed < 0:
        await _check_cover(session, register.id, amount)
    company = await session.get_one(Company, membership.company_id)
    needs_approval = kind is MovementKind.WITHDRAWAL and amount > cash_settings(company).approval_above
    movement = _movement(register, kind, signed, today=today, user=user, note=note,
                         status=MovementStatus.PENDING if needs_approval else MovementStatus.POSTED)
    session.add(movement)
    await session.flush()
    _audit(session, membership, movement)
    if not needs_approval:
        return CashOutcome([movement])
    submitted = await approvals.submit(session, kind=KIND, company_id=company.id, object_id=movement.id,
                                       requested_by=user, amount=amount, branch_id=register.branch_id)
    movement.approval_request_id = submitted.request.id
    return CashOutcome([movement], pending=True, approvers=submitted.approvers, request=submitted.request)


def _audit(session: AsyncSession, membership: Membership, *movements: CashMovement) -> None:
    for movement in movements:
        audit.record(session, f"cash.{movement.kind}", company_id=membership.company_id, user_id=membership.user_id,
                     movement_id=movement.id, register_id=movement.register_id, amount=f"{movement.amount:f}",
                     status=movement.status)


# --- the approvable kind ------------------------------------------------------------------------------------------


class CashApproval(approvals.ApprovalKind):
    name = KIND
    default_policy = PolicyDefaults(Capability.APPROVE, limits={Role.MANAGER: Decimal("5000000")})

    async def load(self, session: AsyncSession, company_id: int, object_id: int) -> CashMovement | None:
        movement = await session.get(CashMovement, object_id)
        return movement if movement is not None and movement.company_id == company_id else None

    async def card(self, session: AsyncSession, obj: Any) -> Card:
        movement: CashMovement = obj
        register = await session.get_one(CashRegister, movement.register_id)
        return Card(Label("cash-card-title", {"id": movement.id}), facts=(
            Fact("cash-fact-kind", Label(f"cash-kind-{movement.kind}")),
            Fact("cash-fact-amount", abs(movement.amount)),
            Fact("cash-fact-register", register.name),
            Fact("cash-fact-note", movement.note),
        ))

    async def on_approve(self, session: AsyncSession, request: ApprovalRequest, obj: Any) -> None:
        movement: CashMovement = obj
        await _lock(session, [movement.register_id])
        await session.refresh(movement)
        if movement.status != MovementStatus.PENDING:
            raise ValidationFailed("error-step-over")
        await _check_cover(session, movement.register_id, -movement.amount)
        movement.status, movement.posted_at = MovementStatus.POSTED, utcnow()

    async def on_reject(self, session: AsyncSession, request: ApprovalRequest, obj: Any) -> None:
        obj.status = MovementStatus.REJECTED

    async def on_withdraw(self, session: AsyncSession, request: ApprovalRequest, obj: Any) -> None:
        obj.status = MovementStatus.WITHDRAWN


CASH_KIND = approvals.register(CashApproval())


# --- REGOS cash sales -----------------------------------------------------------------------------------------------


async def regos_cash_sales(session: AsyncSession, company_id: int, day: date) -> dict[int, Decimal]:
    """Per branch, the day's cash taken in REGOS: cash payments of closed sale receipts less cash refunds (storno
    payments left out, as the sales report counts them)."""
    cash_types = select(PaymentType.regos_id).where(PaymentType.company_id == company_id,
                                                    PaymentType.is_cash.is_(True))
    # A day synced with REGOS's own aggregates (issue 9: receipt payments are not read by default) takes its cash
    # from RetailReport/Payments per branch; older days from the receipts' payments.
    if (await session.execute(select(DayReportCounts.id).where(
            DayReportCounts.company_id == company_id, DayReportCounts.business_day == day).limit(1))).first():
        net = type_coerce(func.sum(DayPaymentSales.sale_amount - DayPaymentSales.return_amount), _MONEY)
        totals = await session.execute(
            select(DayPaymentSales.branch_id, net)
            .where(DayPaymentSales.company_id == company_id, DayPaymentSales.business_day == day,
                   DayPaymentSales.branch_id.is_not(None), DayPaymentSales.payment_type_regos_id.in_(cash_types))
            .group_by(DayPaymentSales.branch_id))
        return {branch_id: Decimal(amount or 0).quantize(Decimal("0.01"))
                for branch_id, amount in totals if branch_id is not None}
    rows = await session.execute(
        select(Receipt.branch_id, Receipt.is_return, type_coerce(func.sum(ReceiptPayment.value), _MONEY))
        .join(Receipt, Receipt.id == ReceiptPayment.receipt_id)
        .where(Receipt.company_id == company_id, Receipt.business_day == day, Receipt.status == CLOSED,
               Receipt.branch_id.is_not(None), ReceiptPayment.is_storno.is_(False),
               ReceiptPayment.payment_type_regos_id.in_(cash_types))
        .group_by(Receipt.branch_id, Receipt.is_return))
    found: dict[int, Decimal] = {}
    for branch_id, is_return, amount in rows:
        if branch_id is None:
            continue
        value = Decimal(amount or 0)
        found[branch_id] = found.get(branch_id, ZERO) + (-value if is_return else value)
    return {branch_id: value.quantize(Decimal("0.01")) for branch_id, value in found.items()}


async def post_regos_cash(session: AsyncSession, company_id: int, day: date) -> list[CashMovement]:
    """Posts the day's REGOS cash sales to each branch's main register, for the branches whose day is imported.
    Running it again posts only a difference (a late receipt or return) as a new revision, so a re-run never
    doubles; the unique (register, day, revision) makes a concurrent second run fail rather than repeat."""
    imported = set((await session.scalars(
        select(DailySales.branch_id).where(DailySales.company_id == company_id, DailySales.business_day == day,
                                           DailySales.branch_id.is_not(None)))).all())
    if not imported:
        return []
    sales = await regos_cash_sales(session, company_id, day)
    posted: list[CashMovement] = []
    for register in await ensure_registers(session, company_id):
        branch_id = register.branch_id
        if branch_id is None or branch_id not in imported or not register.receives_regos_sales:
            continue
        done_sum, last_revision = (await session.execute(
            select(type_coerce(func.coalesce(func.sum(CashMovement.amount), 0), _MONEY),
                   func.coalesce(func.max(CashMovement.revision), 0))
            .where(CashMovement.register_id == register.id, CashMovement.kind == MovementKind.REGOS_SALES,
                   CashMovement.regos_day == day))).one()
        delta = sales.get(branch_id, ZERO) - Decimal(done_sum or 0)
        if delta == 0:
            continue
        movement = _movement(register, MovementKind.REGOS_SALES, delta.quantize(Decimal("0.01")), today=day,
                             user=None, note=None, regos_day=day, revision=int(last_revision or 0) + 1)
        session.add(movement)
        posted.append(movement)
    await session.flush()
    for movement in posted:
        audit.record(session, "cash.regos_sales", company_id=company_id, movement_id=movement.id,
                     register_id=movement.register_id, day=day.isoformat(), amount=f"{movement.amount:f}",
                     revision=movement.revision)
    return posted


# --- limit alerts -----------------------------------------------------------------------------------------------


def alert_button_data(company_id: int, register_id: int) -> str:
    """As `handlers.callbacks.CashAlertCb(company=…, register=…).pack()` packs it."""
    return f"{ALERT_PREFIX}:{company_id}:{register_id}"


async def over_limit(session: AsyncSession, company_id: int, today: date) -> list[tuple[CashRegister, Decimal]]:
    """Registers holding more than their limit that have not been alerted about today."""
    registers = [r for r in await ensure_registers(session, company_id)
                 if r.cash_limit is not None and r.limit_alert_day != today]
    held = await balances(session, [r.id for r in registers])
    return [(r, held[r.id]) for r in registers if r.cash_limit is not None and held[r.id] > r.cash_limit]


async def queue_limit_alerts(session: AsyncSession, company_id: int, today: date) -> int:
    """Once a day per register over its limit (a conditional UPDATE of `limit_alert_day`): the owners and the
    managers of its branch get an alert with a "confirm collection" button. Returns how many registers."""
    alerted = 0
    for register, held in await over_limit(session, company_id, today):
        won = await session.scalar(
            update(CashRegister)
            .where(CashRegister.id == register.id,
                   (CashRegister.limit_alert_day.is_(None)) | (CashRegister.limit_alert_day != today))
            .values(limit_alert_day=today).returning(CashRegister.id)
            .execution_options(synchronize_session=False))
        if won is None:
            continue
        alerted += 1
        for membership in await repo.members_of_company(session, company_id):
            user = membership.user
            if (user.bot_blocked or not can(membership.role, Capability.CASH_OPERATE)
                    or membership.role not in (Role.OWNER, Role.MANAGER) or not _visible(membership, register)):
                continue
            locale = user.language or DEFAULT_LOCALE
            text = translate(locale, "cash-limit-alert", register=esc(register.name),
                             balance=format_money(held, locale), limit=format_money(register.cash_limit or 0, locale))
            markup = {"inline_keyboard": [[{"text": translate(locale, "btn-cash-confirm-collection"),
                                            "callback_data": alert_button_data(company_id, register.id)}]]}
            await outbox.enqueue(session, chat_id=user.telegram_id, text=text, kind="cash.limit",
                                 company_id=company_id, reply_markup=markup, ref_id=register.id,
                                 dedupe_key=f"cash-limit:{register.id}:{today.isoformat()}:{user.id}")
    return alerted


# --- for the daily summary ----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CashSummary:
    total: Decimal
    registers: list[tuple[str, Decimal]]


async def cash_summary(session: AsyncSession, company_id: int, branch_ids: frozenset[int] | None = None) -> CashSummary:
    """What the registers hold now (those of `branch_ids`; None: all): the cash line of the daily summary."""
    registers = [r for r in await ensure_registers(session, company_id)
                 if branch_ids is None or (r.branch_id is not None and r.branch_id in branch_ids)]
    held = await balances(session, [r.id for r in registers])
    return CashSummary(sum(held.values(), ZERO), [(r.name, held[r.id]) for r in registers])


async def branch_name(session: AsyncSession, register: CashRegister) -> str:
    branch = await session.get(Branch, register.branch_id) if register.branch_id else None
    return branch.name if branch else register.name


__all__ = [
    "CASH_KIND",
    "KIND",
    "OUTFLOWS",
    "CashApproval",
    "CashOutcome",
    "CashSettings",
    "CashSummary",
    "alert_button_data",
    "balance",
    "balances",
    "cash_settings",
    "cash_summary",
    "clean_note",
    "ensure_registers",
    "get_register",
    "over_limit",
    "post_regos_cash",
    "queue_limit_alerts",
    "record_operation",
    "registers_for",
    "regos_cash_sales",
    "set_approval_threshold",
    "set_register_limit",
]

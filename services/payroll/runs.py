"""Payroll runs: a month's draft, its approval and payment, corrections as new versions, and the report's JSON.

Life of a run: ``draft`` (recomputed at will) → ``pending_approval`` (submitted to the approval engine; frozen
while it waits, ``reject`` sends it back) → ``approved`` (frozen for good) → ``paid``. A correction of an approved
or paid month is a new version (``start_correction``): a draft computed afresh whose lines keep the net of the
version before (``previous_net``), so ``difference`` = what is still to pay (or to hold back). History is never
edited. At most one version of a month and kind is open (draft or pending) at a time.

Every transition is a conditional update on the status it starts from: pressing a button twice, or two managers
at once, has one effect; the second call returns False (already done) or refuses (``RunStateConflict``).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from db.base import utcnow
from db.payroll import PayrollLine, PayrollRun, RunKind, RunStatus
from services import audit
from services.payroll.compute import MONEY_FIELDS, MonthPayroll, compute_month, line_totals, money_text
from services.payroll.errors import NegativeNet, OpenRunExists, RunFrozen, RunNotFound, RunStateConflict
from services.payroll.workdays import month_start, month_text

OPEN = (RunStatus.DRAFT, RunStatus.PENDING_APPROVAL)
SETTLED = (RunStatus.APPROVED, RunStatus.PAID)


async def get_run(session: AsyncSession, company_id: int, run_id: int) -> PayrollRun:
    run = await session.get(PayrollRun, run_id)
    if run is None or run.company_id != company_id:
        raise RunNotFound(run_id=run_id)
    return run


async def latest_run(session: AsyncSession, company_id: int, month: date,
                     kind: str = RunKind.MONTHLY) -> PayrollRun | None:
    return await session.scalar(
        select(PayrollRun).where(PayrollRun.company_id == company_id, PayrollRun.month == month_start(month),
                                 PayrollRun.kind == kind).order_by(PayrollRun.version.desc()).limit(1)
    )


async def run_lines(session: AsyncSession, run_id: int) -> list[PayrollLine]:
    return list((await session.scalars(select(PayrollLine).where(PayrollLine.run_id == run_id)
                                       .order_by(PayrollLine.id))).all())


async def _store(session: AsyncSession, run: PayrollRun, payroll: MonthPayroll) -> None:
    """Replace a draft's lines with a fresh computation."""
    previous: dict[int, Decimal] = {}
    if run.previous_run_id is not None:
        rows = await session.execute(select(PayrollLine.employee_id, PayrollLine.net)
                                     .where(PayrollLine.run_id == run.previous_run_id))
        previous = {int(e): Decimal(n) for e, n in rows.all() if e is not None}
    await session.execute(delete(PayrollLine).where(PayrollLine.run_id == run.id))
    lines = []
    for item in payroll.lines:
        r = item.result
        line = PayrollLine(
            run_id=run.id, employee_id=item.employee_id, name=item.name[:128], regos_user_id=item.regos_user_id,
            days_worked=r.days_worked, working_days=r.working_days, social_tax_rate=r.social_tax_rate,
            warnings=list(r.warnings), details=dict(item.details),
            previous_net=previous.get(item.employee_id, Decimal(0)) if run.previous_run_id is not None else None,
            **{name: getattr(r, name) for name in MONEY_FIELDS},
        )
        session.add(line)
        lines.append(line)
    totals = line_totals(lines)
    notes = dict(payroll.notes)
    if run.previous_run_id is not None:
        paid_before = sum(previous.values(), Decimal(0))
        now = sum((Decimal(line.net) for line in lines), Decimal(0))
        totals["previous_net"] = money_text(paid_before)
        totals["difference"] = money_text(now - paid_before)
        kept = {line.employee_id for line in lines}
        notes["dropped_employees"] = sorted(e for e in previous if e not in kept)
    run.totals = totals
    run.notes = notes
    run.computed_at = utcnow()
    await session.flush()


async def _new_version(session: AsyncSession, company_id: int, month: date, kind: str, version: int,
                       previous_run_id: int | None, actor_user_id: int | None) -> PayrollRun:
    run = PayrollRun(company_id=company_id, month=month_start(month), kind=kind, version=version,
                     previous_run_id=previous_run_id, status=RunStatus.DRAFT, created_by_user_id=actor_user_id,
                     totals={}, notes={})
    try:
        async with session.begin_nested():
            session.add(run)
            await session.flush()
    except IntegrityError:  # someone else created this version at the same moment
        existing = await latest_run(session, company_id, month, kind)
        if existing is None:
            raise
        raise OpenRunExists(month=month_text(month), version=existing.version, status=existing.status) from None
    return run


async def compute_draft(session: AsyncSession, company_id: int, month: date, kind: str = RunKind.MONTHLY, *,
                        actor_user_id: int | None = None, today: date | None = None) -> PayrollRun:
    """The month's open draft, (re)computed now; the first version when the month has none. Refuses a month
    whose latest version is waiting for approval or settled (start a correction for the latter)."""
    month = month_start(month)
    run = await latest_run(session, company_id, month, kind)
    if run is not None and run.status != RunStatus.DRAFT:
        if run.status == RunStatus.PENDING_APPROVAL:
            raise RunStateConflict(status=run.status, expected=RunStatus.DRAFT)
        raise RunFrozen(month=month_text(month), version=run.version, status=run.status)
    payroll = await compute_month(session, company_id, month, kind, today=today)
    if run is None:
        run = await _new_version(session, company_id, month, kind, 1, None, actor_user_id)
    await _store(session, run, payroll)
    audit.record(session, "payroll.computed", company_id=company_id, user_id=actor_user_id, run=run.id,
                 month=month_text(month), kind=kind, version=run.version)
    return run


async def recompute(session: AsyncSession, company_id: int, run_id: int, *, actor_user_id: int | None = None,
                    today: date | None = None) -> PayrollRun:
    run = await get_run(session, company_id, run_id)
    if run.status in SETTLED:
        raise RunFrozen(month=month_text(run.month), version=run.version, status=run.status)
    if run.status != RunStatus.DRAFT:
        raise RunStateConflict(status=run.status, expected=RunStatus.DRAFT)
    payroll = await compute_month(session, company_id, run.month, run.kind, today=today)
    await _store(session, run, payroll)
    audit.record(session, "payroll.computed", company_id=company_id, user_id=actor_user_id, run=run.id,
                 month=month_text(run.month), kind=run.kind, version=run.version)
    return run


async def start_correction(session: AsyncSession, company_id: int, month: date, kind: str = RunKind.MONTHLY, *,
                           actor_user_id: int | None = None, today: date | None = None) -> PayrollRun:
    """A new version of a settled month, computed now; its lines carry the previous version's net."""
    latest = await latest_run(session, company_id, month, kind)
    if latest is None:
        raise RunNotFound(run_id=f"{month_text(month)}/{kind}")
    if latest.status in OPEN:
        raise OpenRunExists(month=month_text(month), version=latest.version, status=latest.status)
    payroll = await compute_month(session, company_id, month, kind, today=today)
    run = await _new_version(session, company_id, month, kind, latest.version + 1, latest.id, actor_user_id)
    await _store(session, run, payroll)
    audit.record(session, "payroll.correction", company_id=company_id, user_id=actor_user_id, run=run.id,
                 month=month_text(month), kind=kind, version=run.version, previous=latest.id)
    return run


async def _transition(session: AsyncSession, company_id: int, run_id: int, source: str, target: str,
                      values: dict[str, Any], actor_user_id: int | None) -> bool:
    run = await get_run(session, company_id, run_id)
    result = await session.execute(
        update(PayrollRun).where(PayrollRun.id == run_id, PayrollRun.company_id == company_id,
                                 PayrollRun.status == source)
        .values(status=target, **values).execution_options(synchronize_session=False)
    )
    await session.refresh(run)
    if getattr(result, "rowcount", 0) == 1:
        audit.record(session, f"payroll.{target}", company_id=company_id, user_id=actor_user_id, run=run_id,
                     month=month_text(run.month), kind=run.kind, version=run.version)
        return True
    if run.status == target:
        return False
    raise RunStateConflict(status=run.status, expected=source)


def _check_negative(run: PayrollRun, allow_negative: bool) -> None:
    count = int((run.totals or {}).get("negative_net", 0))
    if count and not allow_negative:
        raise NegativeNet(count=count)


async def submit(session: AsyncSession, company_id: int, run_id: int, *, actor_user_id: int | None = None,
                 allow_negative: bool = False) -> bool:
    """Draft → pending approval (what the approval engine asks the approvers about)."""
    _check_negative(await get_run(session, company_id, run_id), allow_negative)
    return await _transition(session, company_id, run_id, RunStatus.DRAFT, RunStatus.PENDING_APPROVAL,
                             {"submitted_at": utcnow()}, actor_user_id)


async def reject(session: AsyncSession, company_id: int, run_id: int, *, actor_user_id: int | None = None) -> bool:
    """Pending approval → draft again (to edit lines and recompute)."""
    return await _transition(session, company_id, run_id, RunStatus.PENDING_APPROVAL, RunStatus.DRAFT,
                             {"submitted_at": None}, actor_user_id)


async def approve(session: AsyncSession, company_id: int, run_id: int, *, actor_user_id: int | None = None,
                  allow_negative: bool = False) -> bool:
    """Pending approval → approved: from here on the run is frozen."""
    _check_negative(await get_run(session, company_id, run_id), allow_negative)
    return await _transition(session, company_id, run_id, RunStatus.PENDING_APPROVAL, RunStatus.APPROVED,
                             {"approved_at": utcnow(), "approved_by_user_id": actor_user_id}, actor_user_id)


async def mark_paid(session: AsyncSession, company_id: int, run_id: int, *, actor_user_id: int | None = None) -> bool:
    return await _transition(session, company_id, run_id, RunStatus.APPROVED, RunStatus.PAID,
                             {"paid_at": utcnow(), "paid_by_user_id": actor_user_id}, actor_user_id)


# -- the report -------------------------------------------------------------------------------------------------------


async def month_run(session: AsyncSession, company_id: int, month: date, kind: str = RunKind.MONTHLY, *,
                    today: date | None = None) -> PayrollRun:
    """The month's latest version; a draft is recomputed first (a month with no run gets its draft)."""
    run = await latest_run(session, company_id, month, kind)
    if run is None or run.status == RunStatus.DRAFT:
        run = await compute_draft(session, company_id, month, kind, today=today)
    return run


def line_json(line: PayrollLine) -> dict[str, Any]:
    data: dict[str, Any] = {
        "employee_id": line.employee_id,
        "name": line.name,
        "regos_user_id": line.regos_user_id,
        "days_worked": line.days_worked,
        "working_days": line.working_days,
    }
    for name in ("base", "retail_sales", "retail_commission", "wholesale_sales", "wholesale_commission"):
        data[name] = money_text(getattr(line, name))
    data["bonus"] = money_text(Decimal(line.plan_bonus) + Decimal(line.manual_bonus))
    data["plan_bonus"] = money_text(line.plan_bonus)
    data["manual_bonus"] = money_text(line.manual_bonus)
    for name in ("deductions", "gross", "pit", "pit_budget", "inps", "advance", "net", "social_tax"):
        data[name] = money_text(getattr(line, name))
    data["social_tax_rate"] = f"{Decimal(line.social_tax_rate).normalize():f}"
    data["employer_cost"] = money_text(Decimal(line.gross) + Decimal(line.social_tax))
    if line.previous_net is not None:
        data["previous_net"] = money_text(line.previous_net)
        data["difference"] = money_text(Decimal(line.net) - Decimal(line.previous_net))
    data["warnings"] = list(line.warnings or [])
    data["manual"] = list((line.details or {}).get("manual", []))
    return data


def run_json(run: PayrollRun, lines: list[PayrollLine]) -> dict[str, Any]:
    """The shape ``python -m bot report payroll --format json`` prints; money as decimal strings."""
    return {
        "company_id": run.company_id,
        "month": month_text(run.month),
        "kind": run.kind,
        "version": run.version,
        "run_id": run.id,
        "status": run.status,
        "employees": [line_json(line) for line in lines],
        "totals": dict(run.totals or {}),
        "notes": dict(run.notes or {}),
    }


async def month_report(session: AsyncSession, company_id: int, month: date, kind: str = RunKind.MONTHLY, *,
                       today: date | None = None) -> dict[str, Any]:
    run = await month_run(session, company_id, month, kind, today=today)
    return run_json(run, await run_lines(session, run.id))

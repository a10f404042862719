"""The cash report of a period: per register the opening balance, what came in and went out by kind, the closing
balance and every movement; as JSON (amounts as decimal strings) or Excel. `python -m bot report cash` prints it.

Opening = posted movements of the days before the period; closing = opening + the period's posted movements, which
is the register's balance as of the period's last day (the invariant tests check).
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from sqlalchemy import Numeric, func, select, type_coerce
from sqlalchemy.ext.asyncio import AsyncSession

from db.finance import CashMovement, MovementKind, MovementStatus
from db.models import Branch, Company
from services.cash import ensure_registers
from services.reports.periods import Period
from services.reports.render import Translate

ZERO = Decimal("0.00")
_MONEY = Numeric(18, 2, asdecimal=True)


def _text(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01')):f}"


@dataclass(slots=True)
class RegisterReport:
    register_id: int
    name: str
    branch_id: int | None
    branch: str | None
    opening: Decimal = ZERO
    by_kind: dict[str, Decimal] = field(default_factory=dict)
    movements: list[CashMovement] = field(default_factory=list)

    @property
    def inflow(self) -> Decimal:
        return sum((v for v in self.by_kind.values() if v > 0), ZERO)

    @property
    def outflow(self) -> Decimal:
        return sum((v for v in self.by_kind.values() if v < 0), ZERO)

    @property
    def closing(self) -> Decimal:
        return self.opening + sum(self.by_kind.values(), ZERO)

    def to_dict(self) -> dict[str, Any]:
        return {
            "register_id": self.register_id, "name": self.name, "branch_id": self.branch_id, "branch": self.branch,
            "opening": _text(self.opening), "inflow": _text(self.inflow), "outflow": _text(self.outflow),
            "closing": _text(self.closing),
            "by_kind": {kind: _text(value) for kind, value in sorted(self.by_kind.items())},
            "movements": [{"id": m.id, "day": m.business_day.isoformat(), "kind": m.kind, "amount": _text(m.amount),
                           "note": m.note, "counterpart_register_id": m.counterpart_register_id}
                          for m in self.movements],
        }


@dataclass(slots=True)
class CashReport:
    company_id: int
    company: str
    period: Period
    registers: list[RegisterReport]

    @property
    def opening(self) -> Decimal:
        return sum((r.opening for r in self.registers), ZERO)

    @property
    def closing(self) -> Decimal:
        return sum((r.closing for r in self.registers), ZERO)

    def to_dict(self) -> dict[str, Any]:
        return {"company_id": self.company_id, "company": self.company, "from": self.period.first.isoformat(),
                "to": self.period.last.isoformat(), "opening": _text(self.opening), "closing": _text(self.closing),
                "registers": [r.to_dict() for r in self.registers]}


async def cash_report(session: AsyncSession, company_id: int, period: Period,
                      branch_ids: Iterable[int] | None = None) -> CashReport:
    company = await session.get_one(Company, company_id)
    wanted = set(branch_ids) if branch_ids is not None else None
    registers = [r for r in await ensure_registers(session, company_id)
                 if wanted is None or r.branch_id in wanted]
    ids = [r.id for r in registers]
    branches = {b.id: b.name for b in (await session.scalars(
        select(Branch).where(Branch.company_id == company_id))).all()}
    reports = {r.id: RegisterReport(r.id, r.name, r.branch_id, branches.get(r.branch_id or 0)) for r in registers}
    posted = [CashMovement.register_id.in_(ids), CashMovement.status == MovementStatus.POSTED]
    for register_id, amount in await session.execute(
            select(CashMovement.register_id, type_coerce(func.sum(CashMovement.amount), _MONEY))
            .where(*posted, CashMovement.business_day < period.first).group_by(CashMovement.register_id)):
        reports[register_id].opening = Decimal(amount or 0).quantize(Decimal("0.01"))
    movements = (await session.scalars(
        select(CashMovement).where(*posted, CashMovement.business_day >= period.first,
                                   CashMovement.business_day <= period.last)
        .order_by(CashMovement.business_day, CashMovement.id))).all()
    for movement in movements:
        report = reports[movement.register_id]
        report.movements.append(movement)
        report.by_kind[movement.kind] = report.by_kind.get(movement.kind, ZERO) + movement.amount
    return CashReport(company_id, company.name, period, [reports[i] for i in ids])


def cash_report_xlsx(report: CashReport, translate: Translate) -> bytes:
    """Two sheets: the registers (opening, in, out, closing) and every movement."""
    workbook = Workbook()
    summary = workbook.active
    assert summary is not None
    summary.title = translate("cash-sheet-registers")[:31]
    summary.append([translate(key) for key in ("cash-col-register", "cash-col-opening", "cash-col-inflow",
                                               "cash-col-outflow", "cash-col-closing")])
    for register in report.registers:
        summary.append([register.name, register.opening, register.inflow, register.outflow, register.closing])
    summary.append([translate("cash-col-total"), report.opening,
                    sum((r.inflow for r in report.registers), ZERO),
                    sum((r.outflow for r in report.registers), ZERO), report.closing])
    movements = workbook.create_sheet(translate("cash-sheet-movements")[:31])
    movements.append([translate(key) for key in ("cash-col-day", "cash-col-register", "cash-col-kind",
                                                 "cash-col-amount", "cash-col-note")])
    for register in report.registers:
        for movement in register.movements:
            note = movement.note or ""
            movements.append([movement.business_day, register.name, translate(f"cash-kind-{movement.kind}"),
                              movement.amount, "'" + note if note[:1] in ("=", "+", "-", "@") else note])
    for sheet in (summary, movements):
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, Decimal):
                    cell.number_format = "#,##0.00"
                elif isinstance(cell.value, date):
                    cell.number_format = "yyyy-mm-dd"
        for column in "ABCDE":
            sheet.column_dimensions[column].width = 20
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


KIND_ORDER = tuple(MovementKind)

__all__ = ["KIND_ORDER", "CashReport", "RegisterReport", "cash_report", "cash_report_xlsx"]

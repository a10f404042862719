"""Pay schemes to and from a file: ``.csv`` (comma or semicolon, UTF-8) or ``.xlsx`` (the first sheet).

The header row is ``employee,regos_user_id,phone,base_salary,retail_commission_pct,wholesale_commission_pct,
plan_target,plan_bonus`` (any order, any case), optionally with ``plan_scope`` (``employee`` or ``branch``).
``employee`` is a name and ``regos_user_id`` the REGOS ``User.id``; either identifies the person, and a row for
someone the company does not have yet adds them as an employee. Empty cells mean 0 (amounts, percentages) or none
(target, phone). ``plan_bonus`` is a sum of so'm, or a percentage of the plan's sales when written with ``%``.

Nothing is imported unless the whole file is valid: every problem is reported with its row (as the spreadsheet
numbers it, the header is row 1) and column: unknown or missing columns, duplicate employees, text in a number
cell, a percentage outside 0..100, an invalid phone.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Employee
from db.payroll import PlanBonusKind, PlanScope
from services import audit
from services.errors import ValidationFailed
from services.payroll.errors import PayrollInvalid
from services.payroll.schemes import SchemeInput, check_money, check_percent, schemes_on, set_scheme
from services.sms.phones import InvalidPhoneError, normalize_phone

COLUMNS = ("employee", "regos_user_id", "phone", "base_salary", "retail_commission_pct", "wholesale_commission_pct",
           "plan_target", "plan_bonus")
OPTIONAL_COLUMNS = ("plan_scope",)
MAX_ROWS = 5000
MAX_FILE_BYTES = 5 * 1024 * 1024
_SPACES = re.compile(r"[\s\u00a0\u202f_']+")
_THOUSANDS = re.compile(r"^-?\d{1,3}(,\d{3})+(\.\d+)?$")
_DECIMAL_COMMA = re.compile(r"^-?\d+,\d+$")
_FORMULA_QUOTE = re.compile(r"^'(?=[=+\-@\t\r])")


@dataclass(frozen=True, slots=True)
class FileProblem:
    row: int | None  # None: the file as a whole
    column: str | None
    message: str

    def __str__(self) -> str:
        where = ", ".join(part for part in (f"row {self.row}" if self.row else "", self.column or "") if part)
        return f"{where}: {self.message}" if where else self.message


class SchemesFileInvalid(ValidationFailed):
    key = "error-payroll-file-invalid"

    def __init__(self, problems: list[FileProblem]) -> None:
        super().__init__(None, count=len(problems), problems="\n".join(str(p) for p in problems[:20]))
        self.problems = problems

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)


@dataclass(slots=True)
class SchemeRow:
    row: int
    name: str | None
    regos_user_id: int | None
    phone: str | None
    scheme: SchemeInput
    employee: Employee | None = None
    valid: bool = True  # False: some cell has a problem (the row still counts for duplicates)


@dataclass(slots=True)
class ImportResult:
    rows: int
    created: list[str] = field(default_factory=list)  # names of the employees the file added
    updated: int = 0
    effective_from: date | None = None


# -- reading ----------------------------------------------------------------------------------------------------------


def _csv_rows(data: bytes) -> list[list[Any]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1251")
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    return [row for row in csv.reader(io.StringIO(text), delimiter=delimiter)]


def _xlsx_rows(data: bytes) -> list[list[Any]]:
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        return [list(row) for _, row in zip(range(MAX_ROWS + 2), sheet.iter_rows(values_only=True), strict=False)]
    finally:
        workbook.close()


def read_table(data: bytes, filename: str) -> list[list[Any]]:
    """The cells of a .csv or .xlsx file, row by row (refuses anything else)."""
    if len(data) > MAX_FILE_BYTES:
        raise SchemesFileInvalid([FileProblem(None, None, "the file is larger than 5 MB")])
    name = filename.lower()
    if name.endswith(".xlsx") or data[:2] == b"PK":
        try:
            return _xlsx_rows(data)
        except Exception as error:  # a broken or foreign zip
            raise SchemesFileInvalid([FileProblem(None, None, f"not a readable .xlsx file ({error})")]) from None
    if name.endswith(".csv") or name.endswith(".txt") or not name:
        return _csv_rows(data)
    raise SchemesFileInvalid([FileProblem(None, None, "send a .csv or .xlsx file")])


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value: Any) -> str:
    text = value if isinstance(value, str) else str(value)
    return _FORMULA_QUOTE.sub("", text.strip())


def parse_number(value: Any) -> Decimal:
    """A number cell: 5000000, "5 000 000", "5,000,000", "2,5" (decimal comma), "2.5"; ValueError otherwise."""
    if isinstance(value, bool):
        raise ValueError("not a number")
    if isinstance(value, int | Decimal):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    text = _SPACES.sub("", _text(value))
    if _THOUSANDS.match(text):
        text = text.replace(",", "")
    elif _DECIMAL_COMMA.match(text):
        text = text.replace(",", ".")
    if not re.fullmatch(r"-?\d+(\.\d+)?", text):
        raise ValueError("not a number")
    try:
        return Decimal(text)
    except InvalidOperation:
        raise ValueError("not a number") from None


class _Row:
    """One data row, collecting its problems."""

    def __init__(self, number: int, cells: dict[str, Any], problems: list[FileProblem]) -> None:
        self.number, self.cells, self.problems = number, cells, problems

    def problem(self, column: str, message: str) -> None:
        self.problems.append(FileProblem(self.number, column, message))

    def number_cell(self, column: str, *, percent: bool = False, optional: bool = False) -> Decimal | None:
        value = self.cells.get(column)
        if _blank(value):
            return None if optional else Decimal(0)
        raw = value
        if isinstance(value, str) and percent:
            raw = value.strip().removesuffix("%")
        try:
            number = parse_number(raw)
        except ValueError:
            self.problem(column, f"{_text(value)!r} is not a number")
            return None
        try:
            return check_percent(column, number) if percent else check_money(column, number)
        except PayrollInvalid as error:
            self.problem(column, f"{_text(value)} — {error.params.get('problem')}")
            return None


def _parse_row(row: _Row) -> SchemeRow:
    before = len(row.problems)
    name = _text(row.cells["employee"]) if not _blank(row.cells.get("employee")) else None
    if name is not None:
        name = " ".join(name.split())
        if len(name) > 128:
            row.problem("employee", "a name of at most 128 characters")
    regos_user_id = None
    raw_id = row.cells.get("regos_user_id")
    if not _blank(raw_id):
        try:
            number = parse_number(raw_id)
            if number != number.to_integral_value() or number <= 0:
                raise ValueError
            regos_user_id = int(number)
        except ValueError:
            row.problem("regos_user_id", f"{_text(raw_id)!r} is not a REGOS user id (a whole number)")
    if name is None and _blank(raw_id):
        row.problem("employee", "give the employee's name or regos_user_id")
    phone = None
    if not _blank(row.cells.get("phone")):
        try:
            phone = normalize_phone(_text(row.cells["phone"]))
        except InvalidPhoneError as error:
            row.problem("phone", f"{_text(row.cells['phone'])!r} — {error.detail}")
    base = row.number_cell("base_salary")
    retail = row.number_cell("retail_commission_pct", percent=True)
    wholesale = row.number_cell("wholesale_commission_pct", percent=True)
    target = row.number_cell("plan_target", optional=True)
    bonus_cell = row.cells.get("plan_bonus")
    is_percent = isinstance(bonus_cell, str) and bonus_cell.strip().endswith("%")
    bonus = row.number_cell("plan_bonus", percent=is_percent)
    scope = PlanScope.EMPLOYEE
    raw_scope = row.cells.get("plan_scope")
    if not _blank(raw_scope):
        text = _text(raw_scope).lower()
        if text not in (PlanScope.EMPLOYEE, PlanScope.BRANCH):
            row.problem("plan_scope", f"{_text(raw_scope)!r} — employee or branch")
        else:
            scope = PlanScope(text)
    if len(row.problems) > before or base is None or retail is None or wholesale is None or bonus is None:
        return SchemeRow(row.number, name, regos_user_id, phone, SchemeInput(), valid=False)
    scheme = SchemeInput(base_salary=base, retail_commission_pct=retail, wholesale_commission_pct=wholesale,
                         plan_target=target, plan_scope=scope, plan_bonus=bonus,
                         plan_bonus_kind=PlanBonusKind.PERCENT if is_percent else PlanBonusKind.FIXED)
    return SchemeRow(row.number, name, regos_user_id, phone, scheme)


def parse_schemes(table: list[list[Any]]) -> list[SchemeRow]:
    """Checks the whole table; raises ``SchemesFileInvalid`` with every problem found, or returns the rows."""
    problems: list[FileProblem] = []
    rows = [(index, row) for index, row in enumerate(table, start=1) if any(not _blank(c) for c in row)]
    if not rows:
        raise SchemesFileInvalid([FileProblem(None, None, "the file is empty: it needs the header row "
                                                          + ",".join(COLUMNS))])
    header_number, header = rows[0]
    names: list[str | None] = []
    for position, cell in enumerate(header, start=1):
        column = _text(cell).lower() if not _blank(cell) else None
        if column is None:
            names.append(None)
            continue
        if column not in COLUMNS and column not in OPTIONAL_COLUMNS:
            problems.append(FileProblem(header_number, column, f"unknown column (column {position}); the columns "
                                                               f"are {', '.join(COLUMNS)}"))
        elif column in names:
            problems.append(FileProblem(header_number, column, "the column appears twice"))
        names.append(column)
    for column in COLUMNS:
        if column not in names:
            problems.append(FileProblem(header_number, column, "missing column"))
    if problems:
        raise SchemesFileInvalid(problems)
    data_rows = rows[1:]
    if len(data_rows) > MAX_ROWS:
        raise SchemesFileInvalid([FileProblem(None, None, f"at most {MAX_ROWS} rows")])
    parsed: list[SchemeRow] = []
    for number, cells in data_rows:
        extra = [c for c in cells[len(names):] if not _blank(c)]
        if extra:
            problems.append(FileProblem(number, None, "cells beyond the header's columns"))
        values = {column: cells[i] if i < len(cells) else None for i, column in enumerate(names) if column}
        parsed.append(_parse_row(_Row(number, values, problems)))
    _duplicates(parsed, problems)
    if problems:
        raise SchemesFileInvalid(sorted(problems, key=lambda p: (p.row or 0)))
    if not parsed:
        raise SchemesFileInvalid([FileProblem(None, None, "no employee rows under the header")])
    return parsed


def _name_key(name: str) -> str:
    return " ".join(name.casefold().split())


def _duplicates(rows: list[SchemeRow], problems: list[FileProblem]) -> None:
    by_id: dict[int, int] = {}
    by_name: dict[str, int] = {}
    for row in rows:
        if row.regos_user_id is not None:
            if row.regos_user_id in by_id:
                problems.append(FileProblem(row.row, "regos_user_id", f"REGOS user {row.regos_user_id} is already "
                                                                      f"on row {by_id[row.regos_user_id]}"))
            by_id.setdefault(row.regos_user_id, row.row)
        elif row.name is not None:
            key = _name_key(row.name)
            if key in by_name:
                problems.append(FileProblem(row.row, "employee", f"{row.name!r} is already on row {by_name[key]}"))
            by_name.setdefault(key, row.row)


# -- importing --------------------------------------------------------------------------------------------------------


async def _resolve(session: AsyncSession, company_id: int, rows: list[SchemeRow]) -> None:
    """Finds each row's employee (None: a new one); problems for ambiguous names and two rows on one person."""
    employees = (await session.scalars(select(Employee).where(Employee.company_id == company_id))).all()
    by_regos = {e.regos_user_id: e for e in employees if e.regos_user_id is not None}
    by_name: dict[str, list[Employee]] = {}
    for known in employees:
        by_name.setdefault(_name_key(known.full_name), []).append(known)
    problems: list[FileProblem] = []
    taken: dict[int, int] = {}
    for row in rows:
        employee: Employee | None = by_regos.get(row.regos_user_id) if row.regos_user_id is not None else None
        if employee is None and row.name is not None:
            candidates = [e for e in by_name.get(_name_key(row.name), [])
                          if row.regos_user_id is None or e.regos_user_id is None]
            if len(candidates) > 1:
                problems.append(FileProblem(row.row, "employee", f"{len(candidates)} employees are named "
                                                                 f"{row.name!r}: add their regos_user_id"))
                continue
            employee = candidates[0] if candidates else None
        if employee is not None:
            if employee.id in taken:
                problems.append(FileProblem(row.row, "employee", f"the same employee as row {taken[employee.id]}"))
                continue
            taken[employee.id] = row.row
        row.employee = employee
    if problems:
        raise SchemesFileInvalid(problems)


async def import_schemes(session: AsyncSession, *, company_id: int, data: bytes, filename: str,
                         effective_from: date, actor_user_id: int | None = None) -> ImportResult:
    """Validates the whole file, then sets every row's scheme from ``effective_from`` (in the caller's
    transaction: nothing is written when a problem is found)."""
    rows = parse_schemes(read_table(data, filename))
    await _resolve(session, company_id, rows)
    result = ImportResult(rows=len(rows), effective_from=effective_from)
    for row in rows:
        employee = row.employee
        if employee is None:
            employee = Employee(company_id=company_id, full_name=row.name or f"REGOS #{row.regos_user_id}",
                                regos_user_id=row.regos_user_id, phone=row.phone, base_salary=Decimal(0))
            session.add(employee)
            await session.flush()
            result.created.append(employee.full_name)
        else:
            if row.regos_user_id is not None and employee.regos_user_id is None:
                employee.regos_user_id = row.regos_user_id
            if row.phone is not None:
                employee.phone = row.phone
            result.updated += 1
        await set_scheme(session, company_id=company_id, employee_id=employee.id, effective_from=effective_from,
                         scheme=row.scheme, actor_user_id=actor_user_id)
    audit.record(session, "payroll.schemes_imported", company_id=company_id, user_id=actor_user_id, rows=len(rows),
                 created=len(result.created), effective_from=effective_from.isoformat(), file=filename[:128])
    await session.flush()
    return result


# -- exporting --------------------------------------------------------------------------------------------------------


def _plain(value: Decimal | None) -> str:
    if value is None:
        return ""
    value = Decimal(value)
    return f"{value.quantize(Decimal(1)):f}" if value == value.to_integral_value() else f"{value.normalize():f}"


def _phone(raw: str | None) -> str:
    if not raw:
        return ""
    try:
        return normalize_phone(raw)
    except InvalidPhoneError:
        return raw


async def export_rows(session: AsyncSession, company_id: int, on: date) -> tuple[list[str], list[list[Any]]]:
    """Every active employee with the scheme in force on ``on`` (figures empty when they have none yet)."""
    schemes = await schemes_on(session, company_id, on)
    employees = (await session.scalars(select(Employee).where(Employee.company_id == company_id,
                                                              Employee.active.is_(True))
                                       .order_by(Employee.full_name, Employee.id))).all()
    with_scope = any(s.plan_scope == PlanScope.BRANCH for s in schemes.values())
    header = [*COLUMNS, *(["plan_scope"] if with_scope else [])]
    rows: list[list[Any]] = []
    for employee in employees:
        scheme = schemes.get(employee.id)
        if scheme is None:
            figures: list[Any] = [_plain(employee.base_salary) if employee.base_salary else "", "", "", "", ""]
        else:
            bonus = (f"{_plain(scheme.plan_bonus)}%" if scheme.plan_bonus_kind == PlanBonusKind.PERCENT
                     else _plain(scheme.plan_bonus) if scheme.plan_bonus else "")
            figures = [_plain(scheme.base_salary), _plain(scheme.retail_commission_pct),
                       _plain(scheme.wholesale_commission_pct), _plain(scheme.plan_target), bonus]
        row = [employee.full_name, employee.regos_user_id if employee.regos_user_id is not None else "",
               _phone(employee.phone), *figures]
        if with_scope:
            row.append(scheme.plan_scope if scheme is not None else "")
        rows.append(row)
    return header, rows


def to_csv(header: list[str], rows: list[list[Any]]) -> bytes:
    from services.reports.exports import neutralise_csv_cell

    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([neutralise_csv_cell(str(cell)) if isinstance(cell, str) else cell for cell in row])
    return buffer.getvalue().encode("utf-8")


def to_xlsx(header: list[str], rows: list[list[Any]]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("schemes")
    sheet.append(header)
    numeric = {"regos_user_id", "base_salary", "retail_commission_pct", "wholesale_commission_pct", "plan_target"}
    for row in rows:
        cells = []
        for column, value in zip(header, row, strict=True):
            if column in numeric and value not in ("", None):
                value = Decimal(str(value)) if column != "regos_user_id" else int(value)
            cell = WriteOnlyCell(sheet, value=value if value != "" else None)
            if isinstance(value, str):
                cell.data_type = "s"  # a name starting with "=" stays text
            cells.append(cell)
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


async def export_schemes(session: AsyncSession, company_id: int, on: date, file_format: str = "csv") -> bytes:
    header, rows = await export_rows(session, company_id, on)
    if file_format == "xlsx":
        return to_xlsx(header, rows)
    if file_format == "csv":
        return to_csv(header, rows)
    raise PayrollInvalid(field="format", problem="csv or xlsx")

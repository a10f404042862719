"""Pay schemes from and to .csv/.xlsx files: a valid file imports whole, a bad one imports nothing and names every
problem by row and column; export writes the import's shape; the CLI commands."""

from __future__ import annotations

import asyncio
import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.cli import main
from db.models import Employee
from db.payroll import PayScheme
from services import payroll
from services.payroll.files import COLUMNS, SchemesFileInvalid, parse_number
from tests.helpers import create_company, database_url_for

HEADER = ",".join(COLUMNS)
FROM = date(2025, 11, 1)
D = Decimal


def csv_file(*rows: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode("utf-8")


async def scheme_rows(session: AsyncSession, company_id: int) -> int:
    return int(await session.scalar(select(func.count()).select_from(PayScheme)
                                    .where(PayScheme.company_id == company_id)) or 0)


async def test_a_valid_csv_imports_and_adds_unknown_people(session: AsyncSession) -> None:
    company = await create_company(session)
    known = Employee(company_id=company.id, full_name="Karimova Aziza", regos_user_id=4)
    named = Employee(company_id=company.id, full_name="Aliyev Bobur")
    session.add_all([known, named])
    await session.flush()
    data = csv_file(
        ",4,+998 90 123 45 67,5 000 000,1.5,0.5,100000000,500000",
        "aliyev bobur,,,3000000,2,,,",
        "Yangi Xodim,,901112233,\"2,500,000\",\"2,5\",,50000000,3%",
        "Boshqa,77,,4000000,0,0,,",
    )
    result = await payroll.import_schemes(session, company_id=company.id, data=data, filename="staff.csv",
                                          effective_from=FROM)
    assert (result.rows, result.updated, sorted(result.created)) == (4, 2, ["Boshqa", "Yangi Xodim"])
    schemes = await payroll.schemes_on(session, company.id, FROM)
    aziza = schemes[known.id]
    assert (aziza.base_salary, aziza.retail_commission_pct, aziza.wholesale_commission_pct, aziza.plan_target,
            aziza.plan_bonus, aziza.plan_bonus_kind) == (D(5_000_000), D("1.5"), D("0.5"), D(100_000_000),
                                                         D(500_000), "fixed")
    assert known.phone == "998901234567"
    bobur = schemes[named.id]
    assert (bobur.base_salary, bobur.retail_commission_pct, bobur.plan_target) == (D(3_000_000), D(2), None)
    new = await session.scalar(select(Employee).where(Employee.full_name == "Yangi Xodim"))
    assert new is not None and new.phone == "998901112233" and new.regos_user_id is None
    newer = schemes[new.id]
    assert (newer.base_salary, newer.retail_commission_pct, newer.plan_bonus, newer.plan_bonus_kind) == (
        D(2_500_000), D("2.5"), D(3), "percent")
    other = await session.scalar(select(Employee).where(Employee.regos_user_id == 77))
    assert other is not None and other.full_name == "Boshqa"
    # Nothing of a month before the date changes.
    assert await payroll.schemes_on(session, company.id, date(2025, 10, 31)) == {}


async def test_a_bad_file_imports_nothing_and_names_every_problem(session: AsyncSession) -> None:
    company = await create_company(session)
    data = csv_file(
        "Aziza,4,+998 90 123 45 67,five million,1.5,0.5,,",  # row 2: text in a number cell
        "Bobur,5,12345,3000000,120,-1,,",  # row 3: phone, two percentages
        "Aziza,4,,3000000,1,1,,",  # row 4: REGOS user 4 again
        "Dilshod,,,3000000,1,1,,",
        "dilshod,,,3000000,1,1,,",  # row 6: the same name again
        ",,,1000000,,,,",  # row 7: nobody
        "Eldor,x1,,1000000,,,,abc",  # row 8: bad id, bad bonus
    )
    with pytest.raises(SchemesFileInvalid) as caught:
        await payroll.import_schemes(session, company_id=company.id, data=data, filename="bad.csv",
                                     effective_from=FROM)
    found = {(p.row, p.column) for p in caught.value.problems}
    assert found == {(2, "base_salary"), (3, "phone"), (3, "retail_commission_pct"),
                     (3, "wholesale_commission_pct"), (4, "regos_user_id"), (6, "employee"), (7, "employee"),
                     (8, "regos_user_id"), (8, "plan_bonus")}
    text = str(caught.value)
    assert "row 2, base_salary: 'five million' is not a number" in text
    assert "row 4, regos_user_id: REGOS user 4 is already on row 2" in text
    assert "between 0 and 100" in text
    assert await scheme_rows(session, company.id) == 0
    assert await session.scalar(select(func.count()).select_from(Employee)
                                .where(Employee.company_id == company.id)) == 0


async def test_header_problems(session: AsyncSession) -> None:
    company = await create_company(session)
    cases = {
        HEADER + ",salary_bonus": [(1, "salary_bonus")],
        HEADER.replace(",phone", ""): [(1, "phone")],
        HEADER + ",base_salary": [(1, "base_salary")],
    }
    for header, expected in cases.items():
        with pytest.raises(SchemesFileInvalid) as caught:
            await payroll.import_schemes(session, company_id=company.id, data=csv_file("A,1,,1,,,,", header=header),
                                         filename="x.csv", effective_from=FROM)
        assert [(p.row, p.column) for p in caught.value.problems] == expected, header
        if header.endswith("salary_bonus"):
            assert "unknown column (column 9)" in str(caught.value)
    for data, name, message in ((b"", "x.csv", "the file is empty"), (csv_file(), "x.csv", "no employee rows"),
                                (b"%PDF-1.4", "x.pdf", "send a .csv or .xlsx file"),
                                (b"PK\x03\x04broken", "x.xlsx", "not a readable .xlsx file")):
        with pytest.raises(SchemesFileInvalid) as caught:
            await payroll.import_schemes(session, company_id=company.id, data=data, filename=name,
                                         effective_from=FROM)
        assert message in str(caught.value)


async def test_ambiguous_names_and_two_rows_for_one_person(session: AsyncSession) -> None:
    company = await create_company(session)
    session.add_all([Employee(company_id=company.id, full_name="Aziza"),
                     Employee(company_id=company.id, full_name="Aziza"),
                     Employee(company_id=company.id, full_name="Bobur", regos_user_id=9)])
    await session.flush()
    with pytest.raises(SchemesFileInvalid) as caught:
        await payroll.import_schemes(session, company_id=company.id, data=csv_file("Aziza,,,1000000,,,,"),
                                     filename="x.csv", effective_from=FROM)
    assert "2 employees are named 'Aziza': add their regos_user_id" in str(caught.value)
    with pytest.raises(SchemesFileInvalid) as caught:
        await payroll.import_schemes(session, company_id=company.id, data=csv_file("Bobur,,,1000000,,,,",
                                                                                    ",9,,2000000,,,,"),
                                     filename="x.csv", effective_from=FROM)
    assert [(p.row, p.column) for p in caught.value.problems] == [(3, "employee")]
    assert await scheme_rows(session, company.id) == 0


async def test_xlsx_import_and_export_round_trip(session: AsyncSession) -> None:
    company = await create_company(session)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Employee", "REGOS_user_id", "phone", "base_salary", "retail_commission_pct",
                  "wholesale_commission_pct", "plan_target", "plan_bonus", "plan_scope"])
    sheet.append(["=Formula Name", 12, "+998 93 000 11 22", 4500000, 1.25, None, 90000000.0, "2%", "branch"])
    sheet.append(["Nodira", None, None, 3000000.5, 0, 0, None, 250000, None])
    sheet["A2"].data_type = "s"  # a name that looks like a formula, typed as text
    buffer = io.BytesIO()
    book.save(buffer)
    result = await payroll.import_schemes(session, company_id=company.id, data=buffer.getvalue(),
                                          filename="staff.xlsx", effective_from=FROM)
    assert sorted(result.created) == ["=Formula Name", "Nodira"]
    schemes = {s.employee_id: s for s in (await payroll.schemes_on(session, company.id, FROM)).values()}
    values = sorted((s.base_salary, s.retail_commission_pct, s.plan_target, s.plan_bonus, s.plan_bonus_kind,
                     s.plan_scope) for s in schemes.values())
    assert values == [(D("3000000.50"), D(0), None, D(250_000), "fixed", "employee"),
                      (D(4_500_000), D("1.25"), D(90_000_000), D(2), "percent", "branch")]

    exported = await payroll.export_schemes(session, company.id, FROM, "xlsx")
    rows = list(load_workbook(io.BytesIO(exported)).worksheets[0].iter_rows(values_only=True))
    assert rows[0] == (*COLUMNS, "plan_scope")
    assert rows[1][0] == "=Formula Name"  # text, not a formula
    as_csv = await payroll.export_schemes(session, company.id, FROM, "csv")
    lines = as_csv.decode().splitlines()
    assert lines[0] == HEADER + ",plan_scope"
    assert lines[1].startswith("'=Formula Name,12,998930001122,4500000,1.25,0,90000000,2%,branch")
    # Importing the export again changes nothing.
    for data, name in ((exported, "again.xlsx"), (as_csv, "again.csv")):
        again = await payroll.import_schemes(session, company_id=company.id, data=data, filename=name,
                                             effective_from=FROM)
        assert again.created == [] and again.updated == 2
        after = sorted((s.base_salary, s.retail_commission_pct, s.plan_target, s.plan_bonus, s.plan_bonus_kind,
                        s.plan_scope) for s in (await payroll.schemes_on(session, company.id, FROM)).values())
        assert after == values


async def test_cli_import_and_export(engine: AsyncEngine, session_factory: async_sessionmaker[AsyncSession],
                                     monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
                                     tmp_path: Path) -> None:
    company = await create_company(session_factory)
    monkeypatch.setenv("DATABASE_URL", database_url_for(engine))
    good = tmp_path / "staff.csv"
    good.write_bytes(csv_file("Aziza,4,,5000000,1.5,,,", "Bobur,,,3000000,,,,"))
    assert await asyncio.to_thread(main, ["payroll", "schemes", "import", "--company", str(company.id),
                                          "--from", "2025-11-01", str(good)]) == 0
    assert "imported 2 pay schemes from 2025-11-01: 0 employees updated, 2 added" in capsys.readouterr().out

    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_file("Dilshod,,,lots,,,,", "Eldor,,,1000000,101,,,", header=HEADER + ",extra"))
    assert await asyncio.to_thread(main, ["payroll", "schemes", "import", "--company", str(company.id),
                                          str(bad)]) == 1
    err = capsys.readouterr().err
    assert "bad.csv was not imported" in err and "row 1, extra: unknown column" in err
    bad.write_bytes(csv_file("Dilshod,,,lots,,,,", "Eldor,,,1000000,101,,,"))
    assert await asyncio.to_thread(main, ["payroll", "schemes", "import", "--company", str(company.id),
                                          str(bad)]) == 1
    err = capsys.readouterr().err
    assert "row 2, base_salary: 'lots' is not a number" in err and "row 3, retail_commission_pct" in err

    assert await asyncio.to_thread(main, ["payroll", "schemes", "export", "--company", str(company.id),
                                          "--on", "2025-11-30"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [HEADER, "Aziza,4,,5000000,1.5,0,,", "Bobur,,,3000000,0,0,,"]
    target = tmp_path / "out.xlsx"
    assert await asyncio.to_thread(main, ["payroll", "schemes", "export", "--company", str(company.id),
                                          "--on", "2025-11-30", "--out", str(target)]) == 0
    assert load_workbook(target).worksheets[0]["A2"].value == "Aziza"
    async with session_factory() as session:
        assert await scheme_rows(session, company.id) == 2
    assert await asyncio.to_thread(main, ["payroll", "schemes", "import", "--company", str(company.id),
                                          str(tmp_path / "missing.csv")]) == 2


@given(st.decimals(min_value=0, max_value=10**12, places=2, allow_nan=False, allow_infinity=False))
def test_numbers_read_back_however_they_are_grouped(value: Decimal) -> None:
    plain = f"{value:f}"
    assert parse_number(plain) == value
    assert parse_number(f"{value:,.2f}") == value
    assert parse_number(f"{value:,.2f}".replace(",", " ")) == value
    assert parse_number(f"{value:,.2f}".replace(",", "\u00a0")) == value
    assert parse_number(plain.replace(".", ",")) == value
    assert parse_number(float(plain)) == Decimal(repr(float(plain)))


@given(st.text(alphabet="abcxyz-+=@,.; ", min_size=1, max_size=12))
def test_text_is_never_a_number(text: str) -> None:
    if any(char.isdigit() for char in text):
        return
    with pytest.raises(ValueError):
        parse_number(text)

"""`python -m bot payroll ...` and `python -m bot report payroll ...` (operators, accountants).

    payroll schemes import --company ID FILE [--from DATE]   pay schemes from .csv/.xlsx (all rows or none)
    payroll schemes export --company ID [--out FILE] [--on DATE]   the same shape (.xlsx by extension, else CSV)
    report payroll --company ID --month YYYY-MM --format json|xlsx|pdf [--out FILE] [--kind monthly|advance]
        the month's latest payroll version; a month with no run yet (or a draft) is computed now
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Callable, Coroutine
from datetime import date
from pathlib import Path
from typing import Any

from core.config import Settings


async def _session_work(settings: Settings, company_id: int, work: Callable[[Any, Any], Coroutine[Any, Any, int]]
                        ) -> int:
    from db.engine import create_engine, create_session_factory
    from db.migrate import ensure_up_to_date
    from db.models import Company

    engine = create_engine(settings.database_url)
    try:
        await ensure_up_to_date(engine)
        async with create_session_factory(engine)() as session:
            company = await session.get(Company, company_id)
            if company is None or company.deleted_at is not None:
                print(f"error: no company {company_id}", file=sys.stderr)
                return 2
            result = await work(session, company)
            if result == 0:
                await session.commit()
            else:
                await session.rollback()
            return result
    finally:
        await engine.dispose()


async def _schemes_import(args: argparse.Namespace, settings: Settings) -> int:
    from services.companies import business_day
    from services.payroll import PayrollError, SchemesFileInvalid, import_schemes

    path = Path(args.file)
    try:
        data = await asyncio.to_thread(path.read_bytes)
    except OSError as error:
        print(f"error: cannot read {path}: {error.strerror or error}", file=sys.stderr)
        return 2

    async def work(session: Any, company: Any) -> int:
        effective = args.date_from or business_day(company).replace(day=1)
        try:
            result = await import_schemes(session, company_id=company.id, data=data, filename=path.name,
                                          effective_from=effective)
        except SchemesFileInvalid as error:
            print(f"error: {path.name} was not imported ({len(error.problems)} problems):", file=sys.stderr)
            for problem in error.problems:
                print(f"  {problem}", file=sys.stderr)
            return 1
        except PayrollError as error:
            print(f"error: {error}", file=sys.stderr)
            return 1
        print(f"imported {result.rows} pay schemes from {effective.isoformat()}: {result.updated} employees updated, "
              f"{len(result.created)} added" + (f" ({', '.join(result.created)})" if result.created else ""))
        return 0

    return await _session_work(settings, args.company, work)


async def _schemes_export(args: argparse.Namespace, settings: Settings) -> int:
    from services.companies import business_day
    from services.payroll import export_schemes

    out = Path(args.out) if args.out else None
    file_format = "xlsx" if out is not None and out.suffix.lower() == ".xlsx" else "csv"

    async def work(session: Any, company: Any) -> int:
        data = await export_schemes(session, company.id, args.on or business_day(company), file_format)
        if out is None:
            sys.stdout.write(data.decode("utf-8"))
        else:
            await asyncio.to_thread(out.write_bytes, data)
            print(out)
        return 0

    return await _session_work(settings, args.company, work)


async def _report_payroll(args: argparse.Namespace, settings: Settings) -> int:
    from functools import partial

    from core.i18n import translate
    from services.payroll import (
        PayrollError,
        month_run,
        parse_month,
        register_pdf,
        register_xlsx,
        run_json,
        run_lines,
    )

    try:
        month = parse_month(args.month)
    except PayrollError:
        print(f"error: --month is YYYY-MM (for example 2026-11), not {args.month!r}", file=sys.stderr)
        return 2
    locale = args.locale or settings.default_locale

    async def work(session: Any, company: Any) -> int:
        try:
            run = await month_run(session, company.id, month, args.kind)
        except PayrollError as error:
            print(f"error: {error}", file=sys.stderr)
            return 1
        lines = await run_lines(session, run.id)
        if args.format == "json":
            data = json.dumps(run_json(run, lines), ensure_ascii=False, indent=2).encode("utf-8")
        elif args.format == "xlsx":
            data = register_xlsx(run, lines, company.name, partial(translate, locale), locale)
        else:
            data = register_pdf(run, lines, company.name, partial(translate, locale), locale)
        if args.out is None and args.format == "json":
            sys.stdout.write(data.decode("utf-8") + "\n")
            return 0
        path = Path(args.out or f"payroll_{company.id}_{args.month}_{args.kind}_v{run.version}.{args.format}")
        await asyncio.to_thread(path.write_bytes, data)
        print(path)
        return 0

    return await _session_work(settings, args.company, work)


def add_payroll_commands(commands: Any, report_commands: Any) -> None:
    """Registers `payroll schemes import|export` on the top-level subparsers and `payroll` under `report`."""
    payroll = commands.add_parser("payroll", help="pay schemes from and to files (operators, accountants)")
    payroll_commands = payroll.add_subparsers(dest="payroll_command", required=True, metavar="what")
    schemes = payroll_commands.add_parser("schemes", help="import or export pay schemes")
    scheme_commands = schemes.add_subparsers(dest="schemes_command", required=True, metavar="action")

    importing = scheme_commands.add_parser(
        "import", help="read pay schemes from a .csv or .xlsx file; nothing is imported unless every row is valid"
    )
    importing.set_defaults(handler=_schemes_import)
    importing.add_argument("--company", type=int, required=True)
    importing.add_argument("--from", dest="date_from", type=date.fromisoformat,
                           help="the schemes apply from this day, YYYY-MM-DD (default: the 1st of this month)")
    importing.add_argument("file", help="employee,regos_user_id,phone,base_salary,retail_commission_pct,"
                                        "wholesale_commission_pct,plan_target,plan_bonus")

    exporting = scheme_commands.add_parser("export", help="write the pay schemes in the import's shape")
    exporting.set_defaults(handler=_schemes_export)
    exporting.add_argument("--company", type=int, required=True)
    exporting.add_argument("--out", help="file to write (.xlsx or .csv; default: CSV on stdout)")
    exporting.add_argument("--on", type=date.fromisoformat, help="the schemes in force on this day (default: today)")

    report = report_commands.add_parser("payroll", help="a month's payroll register (computed when it has no run)")
    report.set_defaults(handler=_report_payroll)
    report.add_argument("--company", type=int, required=True)
    report.add_argument("--month", required=True, help="YYYY-MM")
    report.add_argument("--format", default="json", choices=["json", "xlsx", "pdf"])
    report.add_argument("--kind", default="monthly", choices=["monthly", "advance"])
    report.add_argument("--out", help="file to write (default: JSON to stdout, other formats to ./payroll_*)")
    report.add_argument("--locale", choices=["uz", "ru", "en"], help="language of the file's labels")

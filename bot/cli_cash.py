"""`python -m bot report cash ...` (operators, accountants):

    report cash --company ID --from D [--to D] --format json|xlsx [--out FILE] [--branch B] [--locale L]
        per register: the opening balance, what came in and went out by kind, the closing balance, every movement
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from functools import partial
from pathlib import Path
from typing import Any

from core.config import Settings


async def _report_cash(args: argparse.Namespace, settings: Settings) -> int:
    from bot.cli import _with_session, report_window
    from core.i18n import translate
    from services.cash_report import cash_report, cash_report_xlsx

    locale = args.locale or settings.default_locale

    async def work(session: Any) -> int:
        window = await report_window(session, args)
        if window is None:
            return 2
        company, period = window
        report = await cash_report(session, company.id, period, args.branch or None)  # makes missing registers
        if args.format == "json":
            text = json.dumps(report.to_dict(), ensure_ascii=False)
            if args.out is None:
                sys.stdout.write(text + "\n")
                return 0
            data = text.encode("utf-8")
        else:
            data = cash_report_xlsx(report, partial(translate, locale))
        path = Path(args.out or f"cash_{company.id}_{period.first.isoformat()}_{period.last.isoformat()}"
                                f".{args.format}")
        await asyncio.to_thread(path.write_bytes, data)
        print(path)
        return 0

    return await _with_session(settings, work)


def add_cash_report(report_commands: Any) -> None:
    """Registers `cash` under `report`."""
    report = report_commands.add_parser("cash", help="cash registers over a period: balances, movements")
    report.set_defaults(handler=_report_cash)
    report.add_argument("--company", type=int, required=True)
    report.add_argument("--from", dest="date_from", required=True, help="first day (2026-11-01, 1.11.2026...)")
    report.add_argument("--to", dest="date_to", help="last day (default: --from)")
    report.add_argument("--format", default="json", choices=["json", "xlsx"])
    report.add_argument("--out", help="file to write (default: JSON to stdout, Excel to ./cash_*.xlsx)")
    report.add_argument("--branch", type=int, action="append", help="only this branch's registers (repeatable)")
    report.add_argument("--locale", choices=["uz", "ru", "en"], help="language of the file's labels")

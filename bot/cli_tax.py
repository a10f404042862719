"""`python -m bot report tax ...` and `python -m bot tax regime ...` (operators, accountants).

    report tax --company ID --period YYYY-MM --format json|xlsx|pdf [--out FILE] [--locale uz|ru|en]
        the month's tax report (a draft is computed now; a submitted one is shown as it stands). JSON has
        `period`, `regime` and, per tax under `taxes`, its base, rate, amount and source counts.
    tax regime --company ID --regime vat|turnover --from YYYY-MM-DD
        the company's tax regime from a day (a dated row; the latest row not after a day applies)
    tax item-vat --company ID --item REGOS_ID --class standard|zero|exempt
        an item's VAT class, overriding the VAT REGOS gives the item (Item/Get, kept by the reference sync);
        zero-rated and exempt sales leave the VAT base
    tax einvoices --company ID FILE
        import an EDI operator's register of received e-invoices; prints matches and what is left unmatched
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

from core.config import Settings


async def _report_tax(args: argparse.Namespace, settings: Settings) -> int:
    from bot.cli_payroll import _session_work
    from core.i18n import translate
    from services.companies import business_day
    from services.errors import DomainError
    from services.tax.documents import file_name, report_pdf, report_xlsx
    from services.tax.periods import parse_period
    from services.tax.reports import open_report

    locale = args.locale or settings.default_locale
    try:
        month = parse_period(args.period)
    except DomainError:
        print(f"error: --period is YYYY-MM (for example 2026-10), not {args.period!r}", file=sys.stderr)
        return 2

    async def work(session: Any, company: Any) -> int:
        try:
            report = await open_report(session, company, month, business_day(company))
        except DomainError as error:
            print(f"error: {translate('en', error.key, **error.params)}", file=sys.stderr)
            return 1
        figures = {**report.figures, "status": report.status, "version": report.version}
        if args.format == "json":
            data = json.dumps(figures, ensure_ascii=False, indent=2).encode("utf-8")
        elif args.format == "xlsx":
            data = report_xlsx(figures, report.status, partial(translate, locale), locale)
        else:
            data = report_pdf(figures, report.status, partial(translate, locale), locale)
        if args.out is None and args.format == "json":
            sys.stdout.write(data.decode("utf-8") + "\n")
            return 0
        path = Path(args.out or file_name(figures, args.format))
        await asyncio.to_thread(path.write_bytes, data)
        print(path)
        return 0

    return await _session_work(settings, args.company, work)


async def _tax_regime(args: argparse.Namespace, settings: Settings) -> int:
    from bot.cli_payroll import _session_work
    from db.models import TaxRegime
    from services.tax.regimes import set_regime

    async def work(session: Any, company: Any) -> int:
        await set_regime(session, company.id, TaxRegime(args.regime), args.date_from)
        print(f"company {company.id}: {args.regime} from {args.date_from.isoformat()}")
        return 0

    return await _session_work(settings, args.company, work)


async def _item_vat(args: argparse.Namespace, settings: Settings) -> int:
    from bot.cli_payroll import _session_work
    from services.tax.regimes import set_item_vat_class

    async def work(session: Any, company: Any) -> int:
        await set_item_vat_class(session, company.id, args.item, args.vat_class)
        print(f"company {company.id}: item {args.item} is {args.vat_class}")
        return 0

    return await _session_work(settings, args.company, work)


def add_tax_commands(commands: Any, report_commands: Any) -> None:
    """Registers `report tax` under `report` and `tax regime` on the top-level subparsers."""
    report = report_commands.add_parser("tax", help="a month's tax report: VAT or turnover tax, PIT, social tax")
    report.set_defaults(handler=_report_tax)
    report.add_argument("--company", type=int, required=True)
    report.add_argument("--period", required=True, help="the month, YYYY-MM")
    report.add_argument("--format", default="json", choices=["json", "xlsx", "pdf"])
    report.add_argument("--out", help="file to write (default: JSON to stdout, files to ./tax_<TIN>_<period>.*)")
    report.add_argument("--locale", choices=["uz", "ru", "en"], help="language of the document (uz or ru forms)")
    tax = commands.add_parser("tax", help="tax settings of a company (operators)")
    tax_commands = tax.add_subparsers(dest="tax_command", required=True, metavar="what")
    regime = tax_commands.add_parser("regime", help="the company's tax regime from a day")
    regime.set_defaults(handler=_tax_regime)
    regime.add_argument("--company", type=int, required=True)
    regime.add_argument("--regime", required=True, choices=["vat", "turnover"])
    regime.add_argument("--from", dest="date_from", required=True, type=date.fromisoformat, help="YYYY-MM-DD")
    add_einvoice_command(tax_commands)
    item_vat = tax_commands.add_parser("item-vat",
                                       help="mark a REGOS item zero-rated, exempt or standard (wins over REGOS's VAT)")
    item_vat.set_defaults(handler=_item_vat)
    item_vat.add_argument("--company", type=int, required=True)
    item_vat.add_argument("--item", type=int, required=True, help="the REGOS item id")
    item_vat.add_argument("--class", dest="vat_class", required=True, choices=["standard", "zero", "exempt"])


async def _tax_einvoices(args: argparse.Namespace, settings: Settings) -> int:
    from bot.cli_payroll import _session_work
    from core.i18n import translate
    from services.errors import DomainError
    from services.tax.einvoices import import_register

    path = Path(args.file)
    try:
        data = await asyncio.to_thread(path.read_bytes)
    except OSError as error:
        print(f"error: cannot read {path}: {error.strerror or error}", file=sys.stderr)
        return 2

    async def work(session: Any, company: Any) -> int:
        try:
            result = await import_register(session, company, data, path.name)
        except DomainError as error:
            print(f"error: {translate('en', error.key, **error.params)}", file=sys.stderr)
            return 1
        print(json.dumps({"rows": result.rows, "new": result.new, "matched": result.matched,
                          "without_purchase": result.without_purchase,
                          "purchases_without_e_invoice": result.purchases_without,
                          "skipped_not_accepted": result.skipped_not_accepted,
                          "ignored_columns": result.ignored_columns}, ensure_ascii=False, indent=2))
        return 0

    return await _session_work(settings, args.company, work)


def add_einvoice_command(tax_commands: Any) -> None:
    einvoices = tax_commands.add_parser("einvoices", help="import a register of received e-invoices (.xlsx/.csv)")
    einvoices.set_defaults(handler=_tax_einvoices)
    einvoices.add_argument("--company", type=int, required=True)
    einvoices.add_argument("file")

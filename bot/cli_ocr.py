"""`python -m bot ocr FILE [FILE...] [--jobs N]`: read invoices from photos or PDFs, one JSON object per line.

Each line: {"file", "fields": {invoice_number, date, seller, seller_tin, buyer, buyer_tin, currency,
total_without_vat, vat_rate, vat_amount, total, items: [...]}, "confidence": {...}, "problems": [...], "seconds"}.
Files are read concurrently through a pool of N worker processes; lines come out in the order the files were given.
Exit status: 0 when every file was read, 1 when some could not be (their line says why), 2 when OCR is unavailable.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path
from typing import Any

from core.config import Settings


def add_ocr_command(commands: Any) -> None:
    sub = commands.add_parser("ocr", help="read invoices from photos or PDFs (one JSON object per file per line)",
                              description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub.set_defaults(handler=_ocr)
    sub.add_argument("files", nargs="+", type=Path, metavar="FILE")
    sub.add_argument("--jobs", type=int, default=2, help="worker processes (default 2)")
    sub.add_argument("--max-pages", type=int, default=10, help="pages read from one PDF (default 10)")
    sub.add_argument("--raw-text", action="store_true", help="include the recognised text")


def _line(path: Path, result: Any, raw_text: bool) -> dict[str, Any]:
    data = result.to_json()
    out = {"file": str(path), **data}
    if raw_text:
        out["raw_text"] = result.raw_text
    return out


async def _ocr(args: argparse.Namespace, settings: Settings) -> int:
    from services.ocr import OcrPool, ProblemCode, read_document, tesseract_problem

    del settings
    if args.jobs < 1:
        print("error: --jobs must be at least 1", file=sys.stderr)
        return 2
    missing = tesseract_problem()
    if missing is not None:
        print(f"error: {missing}", file=sys.stderr)
        return 2
    pool = OcrPool(args.jobs)
    failed = False
    try:
        async def one(path: Path) -> dict[str, Any]:
            try:
                data = await asyncio.to_thread(path.read_bytes)
            except OSError as error:
                return {"file": str(path), "fields": None, "problems": [{"code": "unreadable_file",
                                                                          "detail": str(error)}]}
            result = await read_document(data, filename=path.name, pool=pool, max_pages=args.max_pages)
            return _line(path, result, args.raw_text)

        tasks = [asyncio.create_task(one(path)) for path in args.files]
        for task in tasks:  # in the order given, each as soon as it and those before it are done
            line = await task
            codes = {p["code"] for p in line.get("problems", [])}
            fatal = {c.value for c in (ProblemCode.EMPTY_FILE, ProblemCode.TOO_LARGE, ProblemCode.UNSUPPORTED_TYPE,
                                       ProblemCode.CORRUPT, ProblemCode.ENCRYPTED, ProblemCode.NOT_AN_INVOICE,
                                       ProblemCode.BLANK_PAGE)} | {"unreadable_file"}
            failed = failed or bool(codes & fatal)
            sys.stdout.write(json.dumps(line, ensure_ascii=False) + "\n")
            sys.stdout.flush()
    finally:
        pool.close()
    return 1 if failed else 0

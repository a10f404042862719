"""The assistant: accuracy on a labelled question set and time per answer, offline and through the model path.

A 3-branch shop with a year of generated REGOS data (sandbox/regos, the same generator as the tests) is written to
a fresh SQLite database; each question of `benchmarks/data/ai_questions.json` (uz Latin, uz Cyrillic, ru, en; typed
as on a phone) is answered offline. A question is exactly right when the answer used the expected tool with the
expected period, ranking, limit, branch, seller, product, payment filter or horizon, and its figures equal the
expected ones: net sales from the generator's ground truth (`expected_totals`), other tools' figures from the same
tool run with the expected arguments. Printed, one JSON object per line: accuracy per language and per tool, the
offline time per answer (p50/p95/p99, wall clock and process CPU) beside one raw SQL aggregate measured in the
same run (the baseline), the model path against the sandbox model (tool calls + answer, and a garbled answer
falling back), and the cold start of `python -m bot ask` (wall clock and CPU) beside a bare `python -c pass`.

    python benchmarks/ai.py [--days 365] [--receipts-per-day 60] [--model-questions 60] [--failures]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select  # noqa: E402

from db.engine import create_engine, create_session_factory  # noqa: E402
from db.models import Role  # noqa: E402
from db.regos_data import Receipt  # noqa: E402
from db.repositories import membership as get_membership  # noqa: E402
from sandbox.openai import FakeModel  # noqa: E402
from sandbox.regos import RegosDataGenerator  # noqa: E402
from services.ai import tools  # noqa: E402
from services.ai.answer import answer  # noqa: E402
from services.ai.memory import MemoryStore  # noqa: E402
from services.ai.model import ModelConfig, ask_model  # noqa: E402
from services.reports.periods import Period, PeriodKind, period_for  # noqa: E402
from tests.helpers import add_member, create_company  # noqa: E402
from tests.reports_support import copy_generated, expected_totals  # noqa: E402

QUESTIONS = ROOT / "benchmarks" / "data" / "ai_questions.json"
PERIOD_TOOLS = {"sales_summary", "top_branches", "top_products", "top_sellers", "seller_figures", "product_figures",
                "sales_by_payment", "expenses_summary"}


def _period(spec: str | None, today: date) -> Period | None:
    kinds = {"T": PeriodKind.TODAY, "Y": PeriodKind.YESTERDAY, "TW": PeriodKind.THIS_WEEK,
             "LW": PeriodKind.LAST_WEEK, "TM": PeriodKind.THIS_MONTH, "LM": PeriodKind.LAST_MONTH}
    if spec is None:
        return None
    if spec in kinds:
        return period_for(kinds[spec], today)
    if spec == "DBY":
        return Period(today - timedelta(days=2), today - timedelta(days=2))
    if spec.startswith("L") and spec[1:].isdigit():
        return Period(today - timedelta(days=int(spec[1:]) - 1), today)
    raise ValueError(spec)


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def _times(name: str, values: list[float], cpu: list[float] | None = None, **extra: Any) -> dict[str, Any]:
    """Wall-clock percentiles, and with `cpu` the process CPU time of the same calls (what a loaded machine's
    scheduling does not inflate)."""
    found = {"metric": name, "n": len(values), "p50_ms": round(_percentile(values, 0.5) * 1000, 2),
             "p95_ms": round(_percentile(values, 0.95) * 1000, 2),
             "p99_ms": round(_percentile(values, 0.99) * 1000, 2)}
    if cpu:
        for label, share in (("cpu_p50_ms", 0.5), ("cpu_p95_ms", 0.95), ("cpu_p99_ms", 0.99)):
            found[label] = round(_percentile(cpu, share) * 1000, 2)
    return {**found, **extra}


class Labels:
    def __init__(self, generator: RegosDataGenerator, branch_by_stock: dict[int, int]) -> None:
        self.branch = {stock.name: branch_by_stock[stock.id] for stock in generator.stocks}
        self.stock = {stock.name: stock.id for stock in generator.stocks}
        self.seller = {user.full_name: user.id for user in generator.users}
        self.item = {item.name: item.id for item in generator.items}
        self.payment = {p.name: p.id for p in generator.payment_types}

    def expected_arguments(self, case: dict[str, Any], today: date) -> dict[str, Any]:
        args = case["args"]
        expected: dict[str, Any] = {}
        period = _period(case["period"], today)
        if period is not None and case["tool"] in PERIOD_TOOLS:
            expected.update(first=period.first.isoformat(), last=period.last.isoformat())
        if case["tool"] == "payroll_summary" and period is not None:
            expected["month"] = period.first.replace(day=1).isoformat()
        for key in ("order", "limit", "kind", "days"):
            if key in args:
                expected[key] = args[key]
        if "branches" in args:
            expected["branch_ids"] = [self.branch[name] for name in args["branches"]]
        if "seller" in args:
            expected["seller_regos_id"] = self.seller[args["seller"]]
        if "product" in args:
            expected["item_regos_id"] = self.item[args["product"]]
        if "payments" in args:
            expected["payment_regos_ids"] = [self.payment[name] for name in args["payments"]]
        return expected


async def _check(ctx: tools.ToolContext, labels: Labels, generator: RegosDataGenerator, case: dict[str, Any],
                 got: Any, today: date) -> str | None:
    """None when exactly right, else what was wrong."""
    if got.tool != case["tool"]:
        return f"tool {got.tool} != {case['tool']}"
    expected = labels.expected_arguments(case, today)
    for key, value in expected.items():
        if got.arguments.get(key) != value:
            return f"{key} {got.arguments.get(key)!r} != {value!r}"
    if case["args"].get("focus") and got.meta.get("focus") != case["args"]["focus"]:
        return f"focus {got.meta.get('focus')} != {case['args']['focus']}"
    if case["tool"] == "sales_summary":
        first, last = date.fromisoformat(expected["first"]), date.fromisoformat(expected["last"])
        stocks = [labels.stock[name] for name in case["args"].get("branches", [])] or None
        truth = expected_totals(generator, first, min(last, today - timedelta(days=1)), stock_ids=stocks)
        if Decimal(got.result["totals"]["net_sales"]) != truth.total_net:
            return f"net {got.result['totals']['net_sales']} != {truth.total_net}"
        return None
    rerun = await tools.call(ctx, got.tool, {**got.arguments})
    return None if rerun == got.result else "figures differ from the tool run with the expected arguments"


async def run(args: argparse.Namespace, workdir: Path) -> list[dict[str, Any]]:
    from db.migrate import upgrade

    url = f"sqlite+aiosqlite:///{workdir / 'ai.db'}"
    engine = create_engine(url)
    await upgrade(engine)
    factory = create_session_factory(engine)
    today = date(2026, 12, 2)
    generator = RegosDataGenerator(seed=7, start_date=today - timedelta(days=args.days), days=args.days,
                                   receipts_per_day=args.receipts_per_day)
    started = time.perf_counter()
    async with factory() as session:
        company = await create_company(session, name="Baraka Savdo")
        seeded = await copy_generated(session, company.id, generator, last=today - timedelta(days=1))
        user = await add_member(session, company.id, 77, Role.OWNER)
        await session.commit()
    receipts = 0
    out: list[dict[str, Any]] = []
    cases = json.loads(QUESTIONS.read_text())
    labels = Labels(generator, seeded.branch_by_stock)
    by_language: dict[str, list[bool]] = defaultdict(list)
    by_tool: dict[str, list[bool]] = defaultdict(list)
    offline_times: list[float] = []
    offline_cpu: list[float] = []
    tool_times: dict[str, list[float]] = defaultdict(list)
    tool_cpu: dict[str, list[float]] = defaultdict(list)
    failures: list[dict[str, Any]] = []
    async with factory() as session:
        receipts = int(await session.scalar(select(func.count()).select_from(Receipt)) or 0)
        out.append({"metric": "data", "days": args.days, "branches": len(generator.stocks), "receipts": receipts,
                    "seconds_to_seed": round(time.perf_counter() - started, 1), "questions": len(cases)})
        membership = await get_membership(session, user.id, company.id)
        assert membership is not None
        ctx = tools.ToolContext(session, membership, today, "uz")
        for case in cases:
            ctx.locale = {"uzc": "uz"}.get(case["lang"], case["lang"])
            begun, begun_cpu = time.perf_counter(), time.process_time()
            got = await answer(ctx, case["q"])
            offline_times.append(time.perf_counter() - begun)
            offline_cpu.append(time.process_time() - begun_cpu)
            tool_times[case["tool"]].append(offline_times[-1])
            tool_cpu[case["tool"]].append(offline_cpu[-1])
            problem = await _check(ctx, labels, generator, case, got, today)
            by_language[case["lang"]].append(problem is None)
            by_tool[case["tool"]].append(problem is None)
            if problem:
                failures.append({"q": case["q"], "lang": case["lang"], "problem": problem})
        baseline: list[float] = []
        baseline_cpu: list[float] = []
        for offset in range(1, 60):
            day = today - timedelta(days=offset)
            begun, begun_cpu = time.perf_counter(), time.process_time()
            await session.scalar(select(func.sum(Receipt.amount)).where(Receipt.company_id == company.id,
                                                                       Receipt.business_day == day))
            baseline.append(time.perf_counter() - begun)
            baseline_cpu.append(time.process_time() - begun_cpu)
        total = [ok for values in by_language.values() for ok in values]
        out.append({"metric": "accuracy", "scope": "all", "n": len(total), "correct": sum(total),
                    "accuracy": round(sum(total) / len(total), 4)})
        for language, values in sorted(by_language.items()):
            out.append({"metric": "accuracy", "language": language, "n": len(values), "correct": sum(values),
                        "accuracy": round(sum(values) / len(values), 4)})
        for tool, values in sorted(by_tool.items()):
            out.append({"metric": "accuracy", "tool": tool, "n": len(values), "correct": sum(values),
                        "accuracy": round(sum(values) / len(values), 4)})
        out.append(_times("offline_answer", offline_times, offline_cpu))
        figures = [tool for tool in tool_times if tool not in ("forecast_sales", "advice")]
        out.append(_times("offline_answer", [t for tool in figures for t in tool_times[tool]],
                          [t for tool in figures for t in tool_cpu[tool]],
                          scope="figures (every tool but forecast and advice)"))
        for tool in ("forecast_sales", "advice"):
            out.append(_times("offline_answer", tool_times[tool], tool_cpu[tool], scope=tool))
        out.append(_times("baseline_raw_sql_day_sum", baseline, baseline_cpu))
        out += await _model_path(ctx, cases[:args.model_questions], labels, today)
    await engine.dispose()
    if not args.no_cli:
        out += _cold_start(url, company.id)
    if args.failures:
        for failure in failures:
            print(json.dumps({"metric": "failure", **failure}, ensure_ascii=False), file=sys.stderr)
    return out


async def _model_path(ctx: tools.ToolContext, cases: list[dict[str, Any]], labels: Labels,
                      today: date) -> list[dict[str, Any]]:
    model = FakeModel()
    await model.start()
    try:
        config = ModelConfig(api_key="bench", base_url=model.base_url, model="fake", timeout=2.0, daily_quota=10**6)
        store = MemoryStore()
        answered: list[float] = []
        fallback: list[float] = []
        right = 0
        for index, case in enumerate(cases):
            expected = labels.expected_arguments(case, today)
            arguments = {k: v for k, v in expected.items() if k not in ("focus",)}
            model.reply_tools((case["tool"], arguments))
            model.reply_text("ok")
            begun = time.perf_counter()
            got = await ask_model(ctx, case["q"], config, store, user_id=index)
            answered.append(time.perf_counter() - begun)
            right += got.path == "model" and got.tool == case["tool"]
            model.misbehave("garbage")
            begun = time.perf_counter()
            await ask_model(ctx, case["q"], config, store, user_id=index)
            fallback.append(time.perf_counter() - begun)
        return [_times("model_path_answer", answered, tool_calls_executed=right),
                _times("model_garbage_fallback", fallback)]
    finally:
        await model.stop()


def _cold_start(url: str, company_id: int) -> list[dict[str, Any]]:
    env = {**os.environ, "DATABASE_URL": url}
    env.pop("OPENAI_API_KEY", None)

    cpu: dict[str, list[float]] = defaultdict(list)

    def timed(command: list[str], name: str) -> float:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        begun = time.perf_counter()
        subprocess.run(command, cwd=ROOT, env=env, check=True, capture_output=True)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu[name].append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
        return time.perf_counter() - begun

    ask = [sys.executable, "-m", "bot", "ask", "--company", str(company_id), "--offline", "kecha qancha savdo"]
    runs = [timed(ask, "ask") for _ in range(5)]
    bare = [timed([sys.executable, "-c", "pass"], "bare") for _ in range(5)]
    return [{"metric": "cli_cold_start", "runs": 5, "median_s": round(statistics.median(runs), 3),
             "min_s": round(min(runs), 3), "cpu_median_s": round(statistics.median(cpu["ask"]), 3),
             "baseline_python_c_pass_median_s": round(statistics.median(bare), 3),
             "baseline_cpu_median_s": round(statistics.median(cpu["bare"]), 3)}]


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--receipts-per-day", type=int, default=60)
    parser.add_argument("--model-questions", type=int, default=60)
    parser.add_argument("--no-cli", action="store_true", help="skip the cold-start measurement")
    parser.add_argument("--failures", action="store_true", help="print each wrong answer to stderr")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir:
        for line in await run(args, Path(workdir)):
            print(json.dumps(line, ensure_ascii=False))


if __name__ == "__main__":
    asyncio.run(main())

"""Invoice OCR on the generated set: per-field accuracy per degradation level, and seconds per page beside plain
`tesseract` (the CLI, all four languages, on the same JPEG, measured in the same run, one page at a time,
OMP_THREAD_LIMIT=1 for both), and how the event loop fares while four documents are read at once. Seconds are
wall-clock (ours reads a photo in bands side by side when the pool has workers to spare; the baseline never does),
so CPU seconds per page are given for both too: ours for preprocessing and OCR of the pages (the Tesseract runs
included, decoding and field extraction not), the baseline's for its whole run.

    python benchmarks/ocr.py [--per-level 20] [--levels none,mild,moderate,harsh] [--jobs 2] [--cache DIR]

Prints one JSON object per level, then one for speed and one for the concurrent read. The documents are generated
(sandbox/invoices) and cached as JPEG + truth JSON in --cache, so a rerun measures the same pages.
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
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

from sandbox.invoices import LEVELS, evaluation_set
from sandbox.invoices.score import score, summarise
from services.ocr import OcrPool, read_document
from services.ocr.engine import ALL_LANGUAGES


def load_set(cache: Path, per_level: int, levels: tuple[str, ...]) -> list[tuple[str, str, Path, dict[str, Any]]]:
    cache.mkdir(parents=True, exist_ok=True)
    out = []
    wanted = {(level, i) for level in levels for i in range(per_level)}
    existing = {}
    for level in levels:
        for i in range(per_level):
            matches = sorted(cache.glob(f"{level}-{i:03d}-*.jpg"))
            if matches:
                existing[(level, i)] = matches[0]
    if len(existing) < len(wanted):
        counters = dict.fromkeys(levels, 0)
        for sample in evaluation_set(per_level, levels):
            i = counters[sample.level]
            counters[sample.level] += 1
            if (sample.level, i) in existing:
                continue
            path = cache / f"{sample.level}-{i:03d}-{sample.name}.jpg"
            path.write_bytes(sample.data)
            path.with_suffix(".json").write_text(json.dumps(sample.truth, ensure_ascii=False))
            existing[(sample.level, i)] = path
    for level in levels:
        for i in range(per_level):
            path = existing[(level, i)]
            out.append((level, path.stem, path, json.loads(path.with_suffix(".json").read_text())))
    return out


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def baseline_seconds(path: Path) -> tuple[float, float]:
    """Wall and CPU seconds of plain tesseract on the page."""
    started, cpu = time.perf_counter(), _children_cpu()
    subprocess.run(["tesseract", str(path), "stdout", "-l", ALL_LANGUAGES], capture_output=True, check=False,
                   env={**os.environ, "OMP_THREAD_LIMIT": "1"})
    return time.perf_counter() - started, _children_cpu() - cpu


async def accuracy_and_speed(samples: list[tuple[str, str, Path, dict[str, Any]]], pool: OcrPool,
                             baseline: bool) -> tuple[dict[str, list[dict[str, Any]]], list[float], list[float],
                                                      list[float], list[float]]:
    scores: dict[str, list[dict[str, Any]]] = {}
    ours: list[float] = []
    plain: list[float] = []
    ours_cpu: list[float] = []
    plain_cpu: list[float] = []
    for level, name, path, truth in samples:
        data = path.read_bytes()
        started = time.perf_counter()
        result = await read_document(data, filename=path.name, pool=pool)
        ours.append(time.perf_counter() - started)
        ours_cpu.append(sum(page.timings.get("cpu", 0.0) for page in result.pages))
        if baseline:
            wall, cpu = await asyncio.to_thread(baseline_seconds, path)
            plain.append(wall)
            plain_cpu.append(cpu)
        s = score(result.to_json(), truth)
        s["name"] = name
        scores.setdefault(level, []).append(s)
    return scores, ours, plain, ours_cpu, plain_cpu


async def concurrent_read(paths: list[Path], pool: OcrPool) -> dict[str, Any]:
    """Four documents at once while a ticker measures how late the event loop wakes it (the bot's latency floor)."""
    lags: list[float] = []
    done = asyncio.Event()

    async def ticker() -> None:
        while not done.is_set():
            before = time.perf_counter()
            await asyncio.sleep(0.01)
            lags.append(time.perf_counter() - before - 0.01)

    task = asyncio.create_task(ticker())
    started = time.perf_counter()
    await asyncio.gather(*(read_document(p.read_bytes(), pool=pool) for p in paths))
    elapsed = time.perf_counter() - started
    done.set()
    await task
    lags.sort()
    return {
        "result": "concurrent_read", "documents": len(paths), "seconds": round(elapsed, 2),
        "loop_lag_ms_p50": round(1000 * lags[len(lags) // 2], 2),
        "loop_lag_ms_p99": round(1000 * lags[min(len(lags) - 1, int(len(lags) * 0.99))], 2),
        "loop_lag_ms_max": round(1000 * lags[-1], 2), "workers": pool.workers,
    }


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--per-level", type=int, default=20)
    parser.add_argument("--levels", default=",".join(LEVELS))
    parser.add_argument("--jobs", type=int, default=2, help="OCR worker processes")
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "smartsavdo-ocr-set-v2",
                        help="where the generated pages are kept (v2: tables shrink figures to fit their cells)")
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument("--details", action="store_true", help="also print each document's score")
    args = parser.parse_args()
    levels = tuple(level for level in args.levels.split(",") if level)
    samples = load_set(args.cache, args.per_level, levels)
    pool = OcrPool(args.jobs)
    try:
        # Start the workers and load both scripts' models in each before timing (a worker's first page of a
        # script loads its models once: about 0.3 s more, paid once per worker for its life).
        for _ in range(2):
            for sample in samples[:4]:
                await read_document(sample[2].read_bytes(), pool=pool)
        scores, ours, plain, ours_cpu, plain_cpu = await accuracy_and_speed(samples, pool, not args.no_baseline)
        for level in levels:
            print(json.dumps({"result": "accuracy", "level": level, **summarise(scores[level])}, ensure_ascii=False))
            if args.details:
                for s in scores[level]:
                    wrong = [k for k, v in s.items() if v is False and k not in ("flagged_mismatch", "adds_up")]
                    print(json.dumps({"name": s["name"], "wrong": wrong, "items": s["items"]}, ensure_ascii=False))
        speed: dict[str, Any] = {"result": "speed", "pages": len(ours),
                                 "seconds_per_page": round(statistics.mean(ours), 3),
                                 "seconds_per_page_p90": round(sorted(ours)[int(len(ours) * 0.9)], 3),
                                 "cpu_seconds_per_page": round(statistics.mean(ours_cpu), 3)}
        if plain:
            speed["tesseract_seconds_per_page"] = round(statistics.mean(plain), 3)
            speed["ratio"] = round(statistics.mean(ours) / statistics.mean(plain), 2)
            speed["tesseract_cpu_seconds_per_page"] = round(statistics.mean(plain_cpu), 3)
            speed["cpu_ratio"] = round(statistics.mean(ours_cpu) / max(statistics.mean(plain_cpu), 1e-9), 2)
            speed["baseline"] = f"tesseract FILE stdout -l {ALL_LANGUAGES} (OMP_THREAD_LIMIT=1)"
        print(json.dumps(speed))
        moderate = [path for level, _, path, _ in samples if level == "moderate"][:4] or [s[2] for s in samples[:4]]
        print(json.dumps(await concurrent_read(moderate, pool)))
    finally:
        pool.close()


if __name__ == "__main__":
    asyncio.run(main())

"""`python -m sandbox.invoices OUT_DIR [--per-level 20] [--levels none,mild,moderate,harsh]`: write the generated
evaluation set as JPEG photos with a ground-truth JSON beside each (the same set benchmarks/ocr.py reads)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from sandbox.invoices import LEVELS, evaluation_set


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--per-level", type=int, default=20)
    parser.add_argument("--levels", default=",".join(LEVELS))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for sample in evaluation_set(args.per_level, tuple(args.levels.split(","))):
        path = args.out / f"{sample.name}.jpg"
        path.write_bytes(sample.data)
        path.with_suffix(".json").write_text(json.dumps(sample.truth, ensure_ascii=False, indent=1))
        print(path)


if __name__ == "__main__":
    main()

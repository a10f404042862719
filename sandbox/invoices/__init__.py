"""Generated supplier invoices with ground truth, for OCR tests and the benchmark (see benchmarks/ocr.py).

    sample = make_sample(seed=3, level="moderate")        # a JPEG as Telegram would deliver it, and its truth
    for sample in evaluation_set(per_level=20, levels=LEVELS): ...

Layouts: official hisobvaraq-faktura form, e-invoice printout, waybill, thermal receipt, 1C dot-matrix print;
languages: Uzbek Latin, Uzbek Cyrillic, Russian, English; levels: none, mild, moderate, harsh.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sandbox.invoices.content import LANGUAGES, LAYOUTS, Invoice, make_invoice
from sandbox.invoices.degrade import LEVELS, photograph
from sandbox.invoices.layouts import render


@dataclass
class Sample:
    name: str
    level: str
    data: bytes  # JPEG
    truth: dict[str, Any]
    invoice: Invoice


def make_sample(seed: int, level: str, layout: str | None = None, language: str | None = None) -> Sample:
    invoice = make_invoice(seed, layout, language)
    data = photograph(render(invoice), level, seed * 31 + LEVELS.index(level))
    truth = invoice.ground_truth() | {"level": level}
    return Sample(f"{seed:04d}-{invoice.layout}-{invoice.language}-{level}", level, data, truth, invoice)


def evaluation_set(per_level: int, levels: tuple[str, ...] = LEVELS, first_seed: int = 1000) -> Iterator[Sample]:
    """`per_level` documents at each level, the same documents at every level, cycling through every layout and
    language so that each is equally represented."""
    combos = [(layout, language) for language in LANGUAGES for layout in LAYOUTS]
    for level in levels:
        for i in range(per_level):
            layout, language = combos[(i * 7) % len(combos)] if len(combos) % 7 else combos[i % len(combos)]
            yield make_sample(first_seed + i, level, layout, language)


__all__ = ["LANGUAGES", "LAYOUTS", "LEVELS", "Sample", "evaluation_set", "make_sample"]

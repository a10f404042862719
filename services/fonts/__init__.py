"""Bundled fonts: DejaVu Sans (Bitstream Vera licence, LICENSE-DejaVu.txt), which has Uzbek Latin oʻ gʻ and Cyrillic."""

from __future__ import annotations

from pathlib import Path

FONTS_DIR = Path(__file__).resolve().parent


def font_path(name: str) -> Path:
    return FONTS_DIR / name

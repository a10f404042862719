"""Bundled fonts: DejaVu Sans (Bitstream Vera licence, LICENSE-DejaVu.txt), which has Uzbek Latin oʻ gʻ and Cyrillic."""

from __future__ import annotations

from pathlib import Path

FONTS_DIR = Path(__file__).resolve().parent


def font_path(name: str) -> Path:
    return FONTS_DIR / name


PDF_FONT, PDF_FONT_BOLD = "DejaVuSans", "DejaVuSans-Bold"  # reportlab names of the bundled fonts


def register_pdf_fonts() -> None:
    """Registers the bundled fonts with reportlab once (reports, payslips and tax forms all draw with them)."""
    from reportlab.pdfbase import pdfmetrics  # here: reportlab only loads when a PDF is drawn
    from reportlab.pdfbase.ttfonts import TTFont

    registered = pdfmetrics.getRegisteredFontNames()
    for name, file_name in ((PDF_FONT, "DejaVuSans.ttf"), (PDF_FONT_BOLD, "DejaVuSans-Bold.ttf")):
        if name not in registered:
            pdfmetrics.registerFont(TTFont(name, str(font_path(file_name))))

"""Shared by the OCR tests: the skip when Tesseract or its languages are missing (saying what to install), and
small files made on the spot (PDFs with and without a text layer, a photo with no text)."""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image, ImageDraw

from services.ocr import tesseract_problem

_PROBLEM = tesseract_problem()
requires_tesseract = pytest.mark.skipif(
    _PROBLEM is not None, reason=f"OCR tests need Tesseract: {_PROBLEM} (scripts/setup.sh installs it as root)")


def text_pdf(pages: list[list[str]], password: str | None = None) -> bytes:
    """A PDF with a text layer: each page a list of lines (drawn with DejaVu, so Cyrillic and oʻ work)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    from services.fonts import font_path

    if "DejaVuSans" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVuSans", str(font_path("DejaVuSans.ttf"))))
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4, encrypt=password)
    for lines in pages:
        pdf.setFont("DejaVuSans", 10)
        y = 800.0
        for line in lines:
            x = 40.0
            for cell in line.split("\t"):  # tab: the next cell of a table row
                pdf.drawString(x, y, cell)
                x += max(60.0, pdf.stringWidth(cell, "DejaVuSans", 10) + 18)
            y -= 16
        pdf.showPage()
    pdf.save()
    return out.getvalue()


def image_pdf(image: Image.Image) -> bytes:
    """A scanned PDF: one page that is only a picture."""
    out = io.BytesIO()
    image.convert("RGB").save(out, "PDF", resolution=150)
    return out.getvalue()


def cat_photo(seed: int = 3) -> bytes:
    """A photo with no writing in it: fur-coloured blobs, an eye or two, noise."""
    rng = np.random.default_rng(seed)
    image = Image.new("RGB", (1280, 960), (90, 120, 80))
    draw = ImageDraw.Draw(image)
    draw.ellipse((300, 250, 1000, 800), fill=(200, 140, 80))
    draw.ellipse((420, 120, 800, 460), fill=(210, 150, 90))
    draw.polygon([(440, 200), (470, 60), (560, 170)], fill=(190, 130, 70))
    draw.polygon([(680, 170), (770, 60), (790, 210)], fill=(190, 130, 70))
    for x in (540, 680):
        draw.ellipse((x - 25, 260, x + 25, 300), fill=(60, 160, 60))
        draw.ellipse((x - 8, 265, x + 8, 295), fill=(10, 10, 10))
    pixels = np.asarray(image).astype(np.float32) + rng.normal(0, 12, (960, 1280, 3))
    out = io.BytesIO()
    Image.fromarray(pixels.clip(0, 255).astype(np.uint8)).save(out, "JPEG", quality=85)
    return out.getvalue()


def blank_page() -> bytes:
    rng = np.random.default_rng(1)
    pixels = 238 + rng.normal(0, 3, (1280, 905, 3))
    out = io.BytesIO()
    Image.fromarray(pixels.clip(0, 255).astype(np.uint8)).save(out, "JPEG", quality=85)
    return out.getvalue()

"""A sheet of paper to draw a document on in millimetres: text, rules, tables with wrapped cells, digit boxes."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont

FONT_DIR = "/usr/share/fonts/truetype/dejavu/"
_BUNDLED = "services/fonts/"
FAMILIES = {
    ("sans", False): "DejaVuSans.ttf", ("sans", True): "DejaVuSans-Bold.ttf",
    ("cond", False): "DejaVuSansCondensed.ttf", ("cond", True): "DejaVuSansCondensed-Bold.ttf",
    ("serif", False): "DejaVuSerif.ttf", ("serif", True): "DejaVuSerif-Bold.ttf",
    ("mono", False): "DejaVuSansMono.ttf", ("mono", True): "DejaVuSansMono-Bold.ttf",
}


@lru_cache(maxsize=128)
def font(family: str, bold: bool, size_px: int) -> ImageFont.FreeTypeFont:
    name = FAMILIES[(family, bold)]
    try:
        return ImageFont.truetype(FONT_DIR + name, size_px)
    except OSError:  # the machine has no Debian DejaVu: the two faces the project bundles
        from services.fonts import font_path

        return ImageFont.truetype(str(font_path("DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf")), size_px)


@dataclass
class Column:
    title: str
    width: float  # mm
    align: str = "l"  # l, r, c


class Sheet:
    def __init__(self, width_mm: float, height_mm: float, dpi: int = 200, family: str = "sans") -> None:
        self.dpi = dpi
        self.k = dpi / 25.4
        self.width_mm = width_mm
        self.height_mm = height_mm
        self.image = Image.new("L", (round(width_mm * self.k), round(height_mm * self.k)), 255)
        self.draw = ImageDraw.Draw(self.image)
        self.family = family
        self.ink = 20

    def px(self, mm: float) -> int:
        return round(mm * self.k)

    def font(self, size_pt: float, bold: bool = False, family: str | None = None) -> ImageFont.FreeTypeFont:
        return font(family or self.family, bold, max(6, round(size_pt * self.dpi / 72)))

    def width(self, text: str, size: float, bold: bool = False, family: str | None = None) -> float:
        return self.font(size, bold, family).getlength(text) / self.k

    def text(self, x: float, y: float, text: str, size: float = 10, bold: bool = False, align: str = "l",
             family: str | None = None) -> float:
        """Draws `text` with its top at y (mm); x is the left edge, the centre ("c") or the right edge ("r").
        Returns the line height in mm."""
        f = self.font(size, bold, family)
        w = f.getlength(text) / self.k
        left = x - w if align == "r" else x - w / 2 if align == "c" else x
        self.draw.text((self.px(left), self.px(y)), text, font=f, fill=self.ink)
        return size * 0.3528 * 1.35

    def rule(self, x1: float, y1: float, x2: float, y2: float, width: float = 0.25) -> None:
        self.draw.line([(self.px(x1), self.px(y1)), (self.px(x2), self.px(y2))], fill=self.ink,
                       width=max(1, self.px(width)))

    def box(self, x: float, y: float, w: float, h: float, width: float = 0.25, fill: int | None = None) -> None:
        self.draw.rectangle([self.px(x), self.px(y), self.px(x + w), self.px(y + h)], outline=self.ink,
                            width=max(1, self.px(width)), fill=fill)

    def fit(self, text: str, width: float, size: float, bold: bool = False) -> float:
        """The font size at which `text` fits in `width` mm ("shrink to fit", as spreadsheet and e-invoice printouts
        do), never below 60% of `size`: a figure never runs over into the next cell."""
        fitted = size
        while fitted > size * 0.6 and self.width(text, fitted, bold) > width:
            fitted -= 0.25
        return fitted

    def wrap(self, text: str, width: float, size: float, bold: bool = False, family: str | None = None) -> list[str]:
        lines: list[str] = []
        current = ""
        for word in text.split():
            trial = f"{current} {word}".strip()
            if current and self.width(trial, size, bold, family) > width:
                lines.append(current)
                current = word
            else:
                current = trial
        if current:
            lines.append(current)
        return lines or [""]

    def paragraph(self, x: float, y: float, text: str, width: float, size: float = 10, bold: bool = False) -> float:
        """Wrapped text from y; returns the y below it."""
        step = size * 0.3528 * 1.35
        for line in self.wrap(text, width, size, bold):
            self.text(x, y, line, size, bold)
            y += step
        return y

    def table(self, x: float, y: float, columns: list[Column], rows: list[list[str]], size: float = 9,
              header_size: float | None = None, bold_rows: frozenset[int] = frozenset(), pad: float = 1.0,
              header_bold: bool = True) -> float:
        """A ruled table; header and cells wrap inside their columns. Returns the y below the table."""
        header_size = header_size or size
        step = size * 0.3528 * 1.3
        hstep = header_size * 0.3528 * 1.3
        widths = [c.width for c in columns]
        total_w = sum(widths)
        header_lines = [self.wrap(c.title, c.width - 2 * pad, header_size, header_bold) for c in columns]
        h = max(len(lines) for lines in header_lines) * hstep + 2 * pad
        self.rule(x, y, x + total_w, y)
        cx = x
        for column, lines in zip(columns, header_lines, strict=True):
            ty = y + pad
            for line in lines:
                self.text(cx + column.width / 2, ty, line, header_size, header_bold, "c")
                ty += hstep
            cx += column.width
        top = y
        y += h
        self.rule(x, y, x + total_w, y)
        for index, row in enumerate(rows):
            bold = index in bold_rows
            cells = [self.wrap(cell, c.width - 2 * pad, size, bold) if c.align == "l" else [cell]
                     for c, cell in zip(columns, row, strict=True)]
            rh = max(len(cell) for cell in cells) * step + 2 * pad
            cx = x
            for column, lines in zip(columns, cells, strict=True):
                ty = y + pad
                for line in lines:
                    fit = self.fit(line, column.width - 2 * pad, size, bold)
                    if column.align == "r":
                        self.text(cx + column.width - pad, ty, line, fit, bold, "r")
                    elif column.align == "c":
                        self.text(cx + column.width / 2, ty, line, fit, bold, "c")
                    else:
                        self.text(cx + pad, ty, line, fit, bold)
                    ty += step
                cx += column.width
            y += rh
            self.rule(x, y, x + total_w, y)
        cx = x
        for w in [0, *widths]:
            cx += w
            self.rule(cx, top, cx, y)
        return y

    def digit_boxes(self, x: float, y: float, digits: str, size: float = 10, cell: float = 4.6) -> float:
        """Digits printed one per box (how official forms print a TIN); returns the x after the boxes."""
        for i, digit in enumerate(digits):
            self.box(x + i * cell, y, cell, cell * 1.15)
            self.text(x + i * cell + cell / 2, y + cell * 0.12, digit, size, False, "c")
        return x + len(digits) * cell

    def qr(self, x: float, y: float, size: float, seed: int) -> None:
        """A square of black modules standing in for a QR code."""
        import random

        rng = random.Random(seed)
        n = 25
        m = size / n
        for i in range(n):
            for j in range(n):
                corner = (i < 7 and j < 7) or (i < 7 and j >= n - 7) or (i >= n - 7 and j < 7)
                on = (corner and (i % 6 == 0 or j % 6 == 0 or (2 <= i % 18 <= 4 and 2 <= j % 18 <= 4))) or (
                    not corner and rng.random() < 0.5)
                if on:
                    self.draw.rectangle([self.px(x + j * m), self.px(y + i * m), self.px(x + (j + 1) * m) - 1,
                                         self.px(y + (i + 1) * m) - 1], fill=self.ink)

    def signature(self, x: float, y: float, label: str, size: float = 9) -> None:
        self.text(x, y, label, size)
        start = x + self.width(label, size) + 2
        self.rule(start, y + size * 0.33, start + 40, y + size * 0.33)

    def crop_height(self, height_mm: float) -> Image.Image:
        return self.image.crop((0, 0, self.image.width, min(self.image.height, self.px(height_mm))))


def new_sheet(orientation: str, family: str = "sans") -> Sheet:
    return Sheet(297, 210, family=family) if orientation == "landscape" else Sheet(210, 297, family=family)


__all__ = ["Column", "Image", "Sheet", "new_sheet"]

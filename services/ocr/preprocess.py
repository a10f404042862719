"""Making a phone photo of a page readable: find the page and straighten its perspective, flatten shadows and glare,
straighten a bowed page, deskew, scale the text to the size Tesseract reads best, stretch the contrast and paint out
the ruled lines of tables. OpenCV throughout.

`prepare_page(rgb)` runs it all and returns the image to read with what it did; each step is a function of its own.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

MAX_SIDE = 3200  # larger photos are shrunk first: nothing on an invoice needs more
TARGET_TEXT_HEIGHT = 22.0  # px: the capital-letter height Tesseract reads well at (at 16-19 px it misreads more digits)
MAX_UPSCALE = 2.6
MAX_OUTPUT_PIXELS = 16_000_000


@dataclass
class Prepared:
    image: np.ndarray  # grey, uint8: ink black, paper white, rules painted out
    cropped: bool
    skew: float
    scale: float
    dewarped: bool
    ink_share: float  # share of dark pixels after binarisation (blank pages have ~0)
    text_height: float  # median capital height before scaling, px


def to_grey(image: np.ndarray) -> np.ndarray:
    if image.ndim == 2:
        return image
    if image.shape[2] == 4:
        return cv2.cvtColor(image, cv2.COLOR_RGBA2GRAY)
    return cv2.cvtColor(image, cv2.COLOR_RGB2GRAY)


def limit_size(image: np.ndarray, side: int = MAX_SIDE) -> np.ndarray:
    h, w = image.shape[:2]
    if max(h, w) <= side:
        return image
    k = side / max(h, w)
    return cv2.resize(image, (round(w * k), round(h * k)), interpolation=cv2.INTER_AREA)


def _order_corners(points: np.ndarray) -> np.ndarray:
    pts = points.reshape(4, 2).astype(np.float32)
    s = pts.sum(axis=1)
    d = np.diff(pts, axis=1).ravel()
    return np.array([pts[np.argmin(s)], pts[np.argmin(d)], pts[np.argmax(s)], pts[np.argmax(d)]], np.float32)


def _stands_out(small: np.ndarray, quad: np.ndarray) -> bool:
    """Paper inside the outline, something else outside it: a table's frame on a page is white on both sides."""
    mask = np.zeros(small.shape, np.uint8)
    cv2.fillConvexPoly(mask, quad.reshape(-1, 2).astype(np.int32), 255)
    ring = max(3, round(0.02 * max(small.shape)))
    kernel = np.ones((ring, ring), np.uint8)
    outside = cv2.subtract(cv2.dilate(mask, kernel), mask)
    inside = cv2.subtract(mask, cv2.erode(mask, kernel))
    if outside.sum() == 0:
        return False
    out_values = small[outside > 0].astype(np.float32)
    in_values = small[inside > 0].astype(np.float32)
    return float(np.median(in_values)) - float(np.median(out_values)) > 25


def find_page(grey: np.ndarray) -> np.ndarray | None:
    """The four corners of the sheet of paper in a photo (top-left, top-right, bottom-right, bottom-left), or None
    when no sheet stands out from its background (a scan, or a photo filled by the page)."""
    h, w = grey.shape
    k = 600 / max(h, w)
    small = cv2.resize(grey, (max(1, round(w * k)), max(1, round(h * k))), interpolation=cv2.INTER_AREA)
    small = cv2.GaussianBlur(small, (5, 5), 0)
    best: np.ndarray | None = None
    best_area = 0.0
    area_total = small.shape[0] * small.shape[1]
    _, otsu = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    edges = cv2.dilate(cv2.Canny(small, 30, 90), np.ones((3, 3), np.uint8))
    filled_edges = np.zeros_like(edges)
    contours, _ = cv2.findContours(edges, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    cv2.drawContours(filled_edges, contours, -1, 255, thickness=cv2.FILLED)
    for mask in (otsu, filled_edges):
        closed = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((9, 9), np.uint8))
        contours, _ = cv2.findContours(closed, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
        for contour in sorted(contours, key=cv2.contourArea, reverse=True)[:3]:
            area = cv2.contourArea(contour)
            if not 0.2 * area_total < area < 0.97 * area_total:
                continue
            hull = cv2.convexHull(contour)
            quad = None
            for eps in (0.02, 0.03, 0.045, 0.06):
                approx = cv2.approxPolyDP(hull, eps * cv2.arcLength(hull, True), True)
                if len(approx) == 4:
                    quad = approx
                    break
            if quad is None:
                quad = cv2.boxPoints(cv2.minAreaRect(hull)).astype(np.float32)
            # a quad that hugs the frame's edges on every side is the frame, not a page
            if cv2.contourArea(quad.astype(np.float32)) < 0.8 * area:
                continue
            if not _stands_out(small, quad):
                continue
            if area > best_area:
                best, best_area = quad, area
        if best is not None:
            break
    if best is None:
        return None
    corners = _order_corners(np.asarray(best, np.float32)) / k
    margin = 0.01 * max(h, w)
    if (corners[:, 0].min() < margin and corners[:, 0].max() > w - margin and corners[:, 1].min() < margin
            and corners[:, 1].max() > h - margin):
        return None
    return corners


def warp_page(image: np.ndarray, corners: np.ndarray) -> np.ndarray:
    tl, tr, br, bl = corners
    width = round(float(max(np.linalg.norm(tr - tl), np.linalg.norm(br - bl))))
    height = round(float(max(np.linalg.norm(bl - tl), np.linalg.norm(br - tr))))
    target = np.array([[0, 0], [width - 1, 0], [width - 1, height - 1], [0, height - 1]], np.float32)
    matrix = cv2.getPerspectiveTransform(corners.astype(np.float32), target)
    return cv2.warpPerspective(image, matrix, (width, height), flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REPLICATE)


def flatten_illumination(grey: np.ndarray) -> np.ndarray:
    """Divides out the light: shadows and glare become white paper, ink stays dark."""
    h, w = grey.shape
    k = 400 / max(h, w)
    small = cv2.resize(grey, (max(1, round(w * k)), max(1, round(h * k))), interpolation=cv2.INTER_AREA)
    background = cv2.morphologyEx(small, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (15, 15)))
    background = cv2.medianBlur(background, 9)
    background = cv2.resize(background, (w, h), interpolation=cv2.INTER_LINEAR).astype(np.float32)
    flat = grey.astype(np.float32) / np.maximum(background, 1) * 235
    return np.clip(flat, 0, 255).astype(np.uint8)


def rules_mask(binary: np.ndarray, text_height: float) -> np.ndarray:
    """The ruled lines of tables and boxes (Tesseract reads them as | [ ] or drops the cells beside them), as a mask;
    a rule is a run of ink much longer than any letter."""
    ink = cv2.bitwise_not(binary)
    length = max(25, int(text_height * 4))
    horizontal = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (length, 1)))
    vertical = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, int(length * 0.8))))
    rules = cv2.bitwise_or(cv2.bitwise_or(horizontal, vertical), typed_bars(ink, text_height))
    rules = cv2.dilate(rules, np.ones((3, 3), np.uint8))
    return cv2.bitwise_or(rules, dashed_rules(ink, text_height))


def typed_bars(ink: np.ndarray, text_height: float) -> np.ndarray:
    """Cell borders typed as "|" characters (1C dot-matrix prints): each a short upright bar, taller than a capital
    (it runs from the ascenders to below the descenders), solid and narrow, and with bars of the lines above or
    below it in the same column. Tesseract reads them as 1, l or [ and glues them to the figures beside them; the
    digit 1 is no taller than a capital and has a foot, and a column of such bars is no letter."""
    if not _may_have_bars(ink, text_height):
        return np.zeros_like(ink)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    x, y, w, h, area = (stats[:, i] for i in range(5))
    candidate = ((h >= text_height * 1.15) & (h <= text_height * 2.2) & (w <= np.maximum(3, 0.4 * h))
                 & (area >= 0.5 * w * h))
    candidate[0] = False
    index = np.nonzero(candidate)[0]
    keep = np.zeros(count, bool)
    if len(index) >= 3:
        centre = x[index] + w[index] / 2
        tops = y[index]
        reach = max(3.0, 0.25 * text_height)
        for k, i in enumerate(index):
            column = (np.abs(centre - centre[k]) <= reach) & (np.abs(tops - tops[k]) <= 8 * text_height)
            keep[i] = int(column.sum()) >= 3  # itself and two more
    return (keep[labels].astype(np.uint8)) * 255


def _may_have_bars(ink: np.ndarray, text_height: float) -> bool:
    """Whether a page has three upright strokes taller than a capital but no longer than a typed bar: a quick look
    that spares the labelling of every letter on the pages (most) that have no typed bars."""
    tall = cv2.morphologyEx(ink, cv2.MORPH_OPEN,
                            cv2.getStructuringElement(cv2.MORPH_RECT, (1, max(3, int(text_height * 1.15)))))
    _, _, stats, _ = cv2.connectedComponentsWithStats(tall, connectivity=8)
    x, y, w, h = (stats[1:, i] for i in range(4))
    bar = (h >= text_height * 1.15) & (h <= text_height * 2.2 + 2) & (w <= np.maximum(3, 0.4 * h))
    centre, tops = x[bar] + w[bar] / 2, y[bar]
    if len(centre) < 3:
        return False
    if len(centre) > 2000:  # too many to compare pairwise cheaply: let the full test decide
        return True
    reach = max(3.0, 0.25 * text_height) + 2
    near = (np.abs(centre[:, None] - centre[None, :]) <= reach) & (np.abs(tops[:, None] - tops[None, :])
                                                                   <= 8 * text_height)
    return bool((near.sum(axis=1) >= 3).any())


def dashed_rules(ink: np.ndarray, text_height: float) -> np.ndarray:
    """Rules typed as characters, "+-----+-----+" or "=======" (1C dot-matrix prints, receipts): a thin row of
    short marks with blank paper above and below it, where a line of text has letters rising and falling."""
    gap = max(3, int(text_height * 0.6))
    joined = cv2.morphologyEx(ink, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (gap, 1)))
    runs = cv2.morphologyEx(joined, cv2.MORPH_OPEN,
                            cv2.getStructuringElement(cv2.MORPH_RECT, (max(25, int(text_height * 6)), 1)))
    count, labels, stats, _ = cv2.connectedComponentsWithStats(runs, connectivity=8)
    keep = np.zeros(count, bool)
    band = max(2, int(text_height * 0.4))
    for i in range(1, count):
        x, y, w, h, _ = stats[i]
        if h > max(3, text_height * 0.45):
            continue
        above, below = ink[max(0, y - band):y, x:x + w], ink[y + h:y + h + band, x:x + w]
        keep[i] = all(part.size == 0 or part.mean() <= 255 * 0.04 for part in (above, below))
    return cv2.dilate(keep[labels].astype(np.uint8) * 255, np.ones((5, 5), np.uint8))


def remove_rules(binary: np.ndarray, text_height: float) -> np.ndarray:
    """The binary page with its ruled lines erased."""
    return cv2.bitwise_or(binary, rules_mask(binary, text_height))


def normalise_contrast(grey: np.ndarray, binary: np.ndarray) -> np.ndarray:
    """Stretches the grey levels so that ink is black and paper white: a faint print (a worn dot-matrix ribbon, a
    pale thermal receipt) reads as surely as a dark one."""
    ink_hist = cv2.calcHist([grey], [0], (binary < 128).astype(np.uint8), [256], [0, 256]).ravel()
    if ink_hist.sum() < 100:
        return grey
    low = _percentile(ink_hist, 10)
    high = _percentile(cv2.calcHist([grey], [0], None, [256], [0, 256]).ravel(), 90)
    if high - low < 10:
        return grey
    levels = (np.arange(256, dtype=np.float32) - low) * (255.0 / (high - low))
    return cv2.LUT(grey, np.clip(levels, 0, 255).astype(np.uint8))


def _percentile(hist: np.ndarray, q: float) -> float:
    """`np.percentile(values, q)` (linear interpolation) of uint8 values from their histogram: a page has millions of
    pixels but only 256 levels."""
    count = int(hist.sum())
    cumulative = np.cumsum(hist)
    position = q / 100 * (count - 1)
    k = int(np.floor(position))
    below = float(np.searchsorted(cumulative, k, side="right"))
    above = float(np.searchsorted(cumulative, min(k + 1, count - 1), side="right"))
    return below + (above - below) * (position - k)


def binarise(grey: np.ndarray, text_height: float) -> np.ndarray:
    block = int(max(15, text_height * 2.5)) | 1
    return cv2.adaptiveThreshold(grey, 255, cv2.ADAPTIVE_THRESH_GAUSSIAN_C, cv2.THRESH_BINARY, block, 12)


def _ink(grey: np.ndarray) -> np.ndarray:
    _, ink = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    return ink


def estimate_skew(grey: np.ndarray, limit: float = 12.0) -> float:
    """The angle (degrees, counter-clockwise positive) text lines lean by, from the projection profile."""
    h, w = grey.shape
    k = 900 / max(h, w)
    small = cv2.resize(grey, (max(1, round(w * k)), max(1, round(h * k))), interpolation=cv2.INTER_AREA)
    ink = _ink(small).astype(np.float32)
    if ink.mean() < 0.5:
        return 0.0
    centre = (small.shape[1] / 2, small.shape[0] / 2)

    def score(angle: float) -> float:
        matrix = cv2.getRotationMatrix2D(centre, angle, 1.0)
        turned = cv2.warpAffine(ink, matrix, (small.shape[1], small.shape[0]), flags=cv2.INTER_NEAREST)
        profile = turned.sum(axis=1)
        return float(np.var(profile))

    coarse = max(np.arange(-limit, limit + 0.01, 1.0), key=score)
    fine = max(np.arange(coarse - 1, coarse + 1.01, 0.2), key=score)
    return float(fine)


def rotate(image: np.ndarray, angle: float) -> np.ndarray:
    if abs(angle) < 0.1:
        return image
    h, w = image.shape[:2]
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    cos, sin = abs(matrix[0, 0]), abs(matrix[0, 1])
    nw, nh = int(h * sin + w * cos), int(h * cos + w * sin)
    matrix[0, 2] += nw / 2 - w / 2
    matrix[1, 2] += nh / 2 - h / 2
    return cv2.warpAffine(image, matrix, (nw, nh), flags=cv2.INTER_CUBIC, borderValue=255)


def text_height(grey: np.ndarray) -> float:
    """The median height of letter-sized blobs, px (0 when there is no text)."""
    ink = _ink(grey)
    _, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    heights = stats[1:, cv2.CC_STAT_HEIGHT]
    widths = stats[1:, cv2.CC_STAT_WIDTH]
    keep = (heights >= 5) & (heights < grey.shape[0] / 15) & (widths < heights * 3) & (widths >= 2)
    if keep.sum() < 20:
        return 0.0
    return float(np.percentile(heights[keep], 75))


def join_dots(grey: np.ndarray) -> tuple[np.ndarray, float]:
    """A dot-matrix print seen sharply (a scan, a close photo): its letters are rows of separate dots, so nothing on
    the page is letter-sized. The dots are joined by spreading the ink until letters appear; the page comes back as
    it was (and a height of 0) when they do not (a blank page stays blank)."""
    for size in (3, 5):
        joined = cv2.erode(grey, np.ones((size, size), np.uint8))  # the darkest pixel around: ink spreads
        height = text_height(joined)
        if height > 0:
            return joined, height
    return grey, 0.0


def dewarp(grey: np.ndarray, text_h: float) -> tuple[np.ndarray, bool]:
    """Straightens text lines that bow (a curled page). Each long text line is fitted with y = c + b·u + q·u²
    (u = x / width); the bows q are fitted as a straight function of the height on the page, q(y) = q0 + q1·y, and
    every column moves by q(y)·(u² − u). A page whose lines do not bow the same way is left alone."""
    h, w = grey.shape
    if text_h <= 0:
        return grey, False
    ink = _ink(grey)
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (max(3, int(text_h * 1.2)), 1))
    smear = cv2.dilate(ink, kernel)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(smear, connectivity=8)
    rows: list[tuple[float, float]] = []  # (middle y, bow q)
    for i in range(1, count):
        x, y, bw, bh, _area = stats[i]
        if bw < 0.3 * w or bh > text_h * 2.5 or bh < text_h * 0.5:
            continue
        ys, xs = np.nonzero(labels[y:y + bh, x:x + bw] == i)
        bins = xs // max(4, int(text_h))
        sums = np.bincount(bins, weights=ys)
        counts = np.bincount(bins)
        keep = counts > 0
        cy = y + sums[keep] / counts[keep]
        cx = (x + (np.nonzero(keep)[0] + 0.5) * max(4, int(text_h))) / w
        if len(cx) < 8:
            continue
        q, _b, c = np.polyfit(cx, cy, 2)
        rows.append((float(c), float(q)))
    if len(rows) < 4:
        return grey, False
    mids = np.array([r[0] for r in rows])
    bows = np.array([r[1] for r in rows])
    q1, q0 = np.polyfit(mids / h, bows, 1)
    predicted = q0 + q1 * mids / h
    spread = float(np.median(np.abs(bows - predicted)))
    peak = float(np.abs(predicted).max()) / 4  # the bow at the middle of a line, px
    if peak < max(2.0, text_h * 0.2) or spread > 0.5 * float(np.median(np.abs(bows))):
        return grey, False
    u = np.arange(w, dtype=np.float32) / w
    v = np.arange(h, dtype=np.float32) / h
    shift = (q0 + q1 * v)[:, None] * (u * u - u)[None, :]
    map_x, map_y = np.meshgrid(np.arange(w, dtype=np.float32), np.arange(h, dtype=np.float32))
    out = cv2.remap(grey, map_x, (map_y + shift).astype(np.float32), cv2.INTER_LINEAR,
                    borderMode=cv2.BORDER_REPLICATE)
    return out, True


def prepare_page(image: np.ndarray, clean: bool = True) -> Prepared:
    """The whole chain on an RGB (or grey) page image; `clean=False` stops before contrast and rules."""
    image = limit_size(image)
    grey = to_grey(image)
    corners = find_page(grey)
    cropped = corners is not None
    if corners is not None:
        grey = warp_page(grey, corners)
    grey = flatten_illumination(grey)
    skew = estimate_skew(grey)
    grey = rotate(grey, skew)
    height = text_height(grey)
    if height == 0:
        grey, height = join_dots(grey)
    scale = 1.0
    if height > 0:
        scale = float(np.clip(TARGET_TEXT_HEIGHT / height, 0.5, MAX_UPSCALE))
        h, w = grey.shape
        if h * w * scale * scale > MAX_OUTPUT_PIXELS:
            scale = (MAX_OUTPUT_PIXELS / (h * w)) ** 0.5
        if abs(scale - 1) > 0.1:
            grey = cv2.resize(grey, (round(w * scale), round(h * scale)),
                              interpolation=cv2.INTER_CUBIC if scale > 1 else cv2.INTER_AREA)
        else:
            scale = 1.0
    grey, dewarped = dewarp(grey, height * scale)
    if not clean:
        return Prepared(grey, cropped, skew, scale, dewarped, float((_ink(grey) > 0).mean()), height)
    # Tesseract reads the grey page better than a binary one (it keeps the shape of faint and broken strokes); the
    # binary one only finds the ink, for the contrast, and the rules, which are painted out
    binary = binarise(grey, height * scale)
    rules = rules_mask(binary, height * scale)
    out = normalise_contrast(grey, binary)
    out[rules > 0] = 255
    ink_share = float(((binary < 128) & (rules == 0)).mean())
    return Prepared(out, cropped, skew, scale, dewarped, ink_share, height)

"""A clean page made to look like a phone photo sent through Telegram, at four levels of harm.

none: the page as a flat scan · mild: a careful photo · moderate: an ordinary photo on a desk, with perspective,
shadow and blur · harsh: a hurried one, bowed paper, glare, sideways or upside down. Every level ends as a JPEG whose
long side is Telegram's 1280 px.
"""

from __future__ import annotations

import io
import math
import random
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image

LEVELS = ("none", "mild", "moderate", "harsh")
TELEGRAM_SIDE = 1280
_WORK_SIDE = 2200


@dataclass(frozen=True)
class Harm:
    rotation: float  # degrees, uniform ±
    perspective: float  # corner jitter, share of the page side
    keystone: float  # top edge narrower than the bottom, share
    bow: float  # page bow amplitude, share of the page height
    shadow: float  # darkest shadow, share of light taken
    glare: float  # glare strength 0..1 (0: none)
    glare_chance: float
    blur: float  # gaussian sigma in output pixels
    motion_chance: float
    noise: float  # sensor noise sigma, grey levels
    quality: int  # JPEG quality
    fill: tuple[float, float]  # share of the frame the page covers
    sideways_chance: float  # a landscape page shot in a portrait frame, or upside down
    exif_chance: float  # pixels stored turned with an EXIF Orientation tag


HARMS = {
    "mild": Harm(2, 0.015, 0.02, 0.0, 0.12, 0.0, 0.0, 0.35, 0.0, 2.0, 87, (0.88, 0.95), 0.0, 0.15),
    "moderate": Harm(6, 0.035, 0.06, 0.006, 0.3, 0.25, 0.3, 0.6, 0.0, 3.0, 82, (0.82, 0.92), 0.15, 0.1),
    "harsh": Harm(12, 0.06, 0.1, 0.014, 0.45, 0.45, 0.6, 1.0, 0.3, 5.0, 72, (0.75, 0.86), 0.25, 0.1),
}


def _jpeg(image: np.ndarray, quality: int, exif_orientation: int | None = None) -> bytes:
    out = io.BytesIO()
    pil = Image.fromarray(image)
    if exif_orientation is None:
        pil.save(out, "JPEG", quality=quality)
    else:
        exif = Image.Exif()
        exif[0x0112] = exif_orientation
        pil.save(out, "JPEG", quality=quality, exif=exif)
    return out.getvalue()


def _fit(image: np.ndarray, side: int) -> np.ndarray:
    h, w = image.shape[:2]
    scale = side / max(h, w)
    if scale >= 1:
        return image
    return cv2.resize(image, (round(w * scale), round(h * scale)), interpolation=cv2.INTER_AREA)


def _paper(page: Image.Image, rng: random.Random) -> np.ndarray:
    grey = np.asarray(page.convert("L"), dtype=np.float32) / 255
    tint = np.array([rng.uniform(238, 252), rng.uniform(236, 250), rng.uniform(225, 245)], dtype=np.float32)
    ink = np.array([rng.uniform(10, 40), rng.uniform(10, 40), rng.uniform(20, 60)], dtype=np.float32)
    rgb = grey[..., None] * tint + (1 - grey[..., None]) * ink
    return rgb.clip(0, 255).astype(np.uint8)


def _bow(page: np.ndarray, amount: float, rng: random.Random) -> np.ndarray:
    if amount <= 0:
        return page
    h, w = page.shape[:2]
    xs, ys = np.meshgrid(np.arange(w, dtype=np.float32), np.arange(h, dtype=np.float32))
    amplitude = amount * h * rng.choice([-1, 1])
    dy = amplitude * np.sin(np.pi * xs / w) * (0.6 + 0.4 * ys / h)
    dx = 0.3 * amplitude * np.sin(np.pi * ys / h) * np.cos(np.pi * xs / w)
    return cv2.remap(page, xs + dx, ys - dy, cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT,
                     borderValue=(0, 0, 0))


def _background(h: int, w: int, rng: random.Random) -> np.ndarray:
    base = np.array(rng.choice([(120, 85, 55), (150, 150, 150), (60, 60, 65), (170, 140, 110), (90, 110, 130)]),
                    dtype=np.float32)
    noise: np.ndarray = np.random.default_rng(rng.randrange(2**32)).normal(0, 1, (h // 8 + 1, w // 8 + 1))
    noise = cv2.resize(cv2.GaussianBlur(noise, (0, 0), 3), (w, h))
    streaks = np.sin(np.linspace(0, rng.uniform(20, 60), w, dtype=np.float32))[None, :] * 6
    bg = base[None, None, :] + (noise[..., None] * 18) + streaks[..., None]
    return bg.clip(0, 255).astype(np.uint8)


def _light(full_h: int, full_w: int, harm: Harm, rng: random.Random) -> np.ndarray:
    """A light field: one side darker, a soft shadow of a hand or phone, a vignette (smooth: drawn small)."""
    h, w = full_h // 8, full_w // 8
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    angle = rng.uniform(0, 2 * math.pi)
    ramp = (np.cos(angle) * xs / w + np.sin(angle) * ys / h)
    ramp = (ramp - ramp.min()) / max(1e-6, float(ramp.max() - ramp.min()))
    light = 1 - harm.shadow * 0.5 * ramp
    if harm.shadow > 0.2:
        mask: np.ndarray = np.zeros((h, w), np.float32)
        cx, cy = rng.uniform(0, w), rng.choice([rng.uniform(-0.2, 0.1), rng.uniform(0.9, 1.2)]) * h
        points = np.array([[cx + rng.uniform(-0.5, 0.5) * w, cy + rng.uniform(-0.2, 0.2) * h] for _ in range(5)],
                          np.int32)
        cv2.fillConvexPoly(mask, cv2.convexHull(points), 1.0)
        mask = cv2.GaussianBlur(mask, (0, 0), w * 0.05)
        light *= 1 - harm.shadow * 0.8 * mask
    vignette = 1 - 0.25 * harm.shadow * (((xs - w / 2) / w) ** 2 + ((ys - h / 2) / h) ** 2) * 4
    return cv2.resize((light * vignette).astype(np.float32), (full_w, full_h), interpolation=cv2.INTER_LINEAR)


def photograph(page: Image.Image, level: str, seed: int) -> bytes:
    """The JPEG a phone would send of `page` at `level` (see LEVELS)."""
    rng = random.Random(seed)
    paper = _paper(page, rng)
    if level == "none":
        return _jpeg(_fit(paper, TELEGRAM_SIDE), 92)
    harm = HARMS[level]
    paper = _fit(paper, _WORK_SIDE)
    ph, pw = paper.shape[:2]
    valid = np.full((ph, pw), 255, np.uint8)
    if harm.bow:
        paper = _bow(paper, harm.bow, random.Random(seed))
        valid = _bow(valid, harm.bow, random.Random(seed))
    turn = 0
    if rng.random() < harm.sideways_chance:
        turn = rng.choice([90, -90]) if pw > ph else 180
    portrait_page = (ph >= pw) != (abs(turn) == 90)
    fw, fh = (_WORK_SIDE * 3 // 4, _WORK_SIDE) if portrait_page else (_WORK_SIDE, _WORK_SIDE * 3 // 4)
    fill = rng.uniform(*harm.fill)
    shown_w, shown_h = (ph, pw) if abs(turn) == 90 else (pw, ph)
    tilt = rng.uniform(-harm.rotation, harm.rotation)
    c, s = abs(math.cos(math.radians(tilt))), abs(math.sin(math.radians(tilt)))
    scale = fill * min(fw / (shown_w * c + shown_h * s), fh / (shown_w * s + shown_h * c))
    theta = math.radians(turn + tilt)
    cx = fw / 2 + rng.uniform(-1, 1) * (1 - fill) * fw * 0.4
    cy = fh / 2 + rng.uniform(-1, 1) * (1 - fill) * fh * 0.4
    corners = np.array([[0, 0], [pw, 0], [pw, ph], [0, ph]], np.float32)
    k = rng.uniform(0, harm.keystone)
    local = (corners - [pw / 2, ph / 2]) * scale
    local[0:2, 0] *= 1 - k  # the far (top) edge looks narrower
    local += np.array([[rng.uniform(-1, 1), rng.uniform(-1, 1)] for _ in range(4)], np.float32) * (
        harm.perspective * scale * max(pw, ph))
    rot = np.array([[math.cos(theta), -math.sin(theta)], [math.sin(theta), math.cos(theta)]], np.float32)
    dst = (local @ rot.T + [cx, cy]).astype(np.float32)
    matrix = cv2.getPerspectiveTransform(corners, dst)
    warped = cv2.warpPerspective(paper, matrix, (fw, fh), flags=cv2.INTER_AREA)
    mask = cv2.warpPerspective(valid, matrix, (fw, fh), flags=cv2.INTER_LINEAR).astype(np.float32)[..., None] / 255
    frame = warped * mask + _background(fh, fw, rng) * (1 - mask)
    frame *= _light(fh, fw, harm, rng)[..., None]
    if rng.random() < harm.glare_chance:
        ys, xs = np.mgrid[0:fh, 0:fw].astype(np.float32)
        gx, gy, radius = rng.uniform(0.2, 0.8) * fw, rng.uniform(0.2, 0.8) * fh, rng.uniform(0.08, 0.2) * fw
        frame += 255 * harm.glare * np.exp(-((xs - gx) ** 2 + (ys - gy) ** 2) / (2 * radius**2))[..., None]
    out: np.ndarray = _fit(frame.clip(0, 255).astype(np.uint8), TELEGRAM_SIDE).astype(np.float32)
    out = cv2.GaussianBlur(out, (0, 0), harm.blur)
    if rng.random() < harm.motion_chance:
        length = rng.randint(3, 6)
        kernel: np.ndarray = np.zeros((length, length), np.float32)
        kernel[length // 2, :] = 1 / length
        rotation = cv2.getRotationMatrix2D((length / 2 - 0.5, length / 2 - 0.5), rng.uniform(0, 180), 1)
        kernel = cv2.warpAffine(kernel, rotation, (length, length))
        out = cv2.filter2D(out, -1, (kernel / max(1e-6, float(kernel.sum()))).astype(np.float32))
    out += np.random.default_rng(seed).normal(0, harm.noise, out.shape).astype(np.float32)
    image = out.clip(0, 255).astype(np.uint8)
    if rng.random() < harm.exif_chance:  # stored as the sensor saw it, with the tag that turns it upright
        return _jpeg(np.ascontiguousarray(np.rot90(image, 1)), harm.quality, exif_orientation=6)
    return _jpeg(image, harm.quality)

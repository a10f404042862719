"""Tesseract: is it installed with our languages, which way up is the page and which script, the words with boxes.

Everything here is synchronous and CPU-bound; `services.ocr.document` runs it in a bounded process pool.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import resource
import shutil
import tempfile
import time
from dataclasses import dataclass
from functools import lru_cache

import cv2
import numpy as np
import pytesseract

from services.ocr.model import PageInfo, Word
from services.ocr.preprocess import prepare_page
from services.ocr.tessapi import read_tsv

REQUIRED_LANGUAGES = ("uzb", "uzb_cyrl", "rus", "eng")
ALL_LANGUAGES = "uzb+uzb_cyrl+rus+eng"
LATIN_LANGUAGES = "uzb+eng"
CYRILLIC_LANGUAGES = "rus+uzb_cyrl"
UNSURE_LANGUAGES = "uzb+rus"
USE_LIBRARY = True  # libtesseract with the models kept loaded (services.ocr.tessapi); False: the program each time
PROBE_LANGUAGES = "eng+rus"  # the two fastest models of the two scripts: a probe only needs the script
INSTALL_HINT = (
    "install Tesseract 5 with the Uzbek (Latin and Cyrillic), Russian and English data: "
    "apt-get install tesseract-ocr tesseract-ocr-uzb tesseract-ocr-uzb-cyrl tesseract-ocr-rus tesseract-ocr-eng"
)
_CYRILLIC = set("абвгдеёжзийклмнопрстуфхцчшщъыьэюяўқғҳ")
_LATIN = set("abcdefghijklmnopqrstuvwxyz")


@lru_cache(maxsize=1)
def tesseract_problem() -> str | None:
    """None when Tesseract and all four languages are there; otherwise what is missing and how to install it."""
    if shutil.which(pytesseract.pytesseract.tesseract_cmd) is None:
        return f"the tesseract program is not installed: {INSTALL_HINT}"
    try:
        version = pytesseract.get_tesseract_version()
        languages = set(pytesseract.get_languages(config=""))
    except (pytesseract.TesseractError, OSError) as error:
        return f"tesseract does not run ({error}): {INSTALL_HINT}"
    if version.major < 4:
        return f"tesseract {version} is too old (4 or newer reads with LSTM): {INSTALL_HINT}"
    missing = [lang for lang in REQUIRED_LANGUAGES if lang not in languages]
    if missing:
        return f"tesseract lacks the language data {', '.join(missing)}: {INSTALL_HINT}"
    return None


def cpu_seconds() -> float:
    """CPU time of this process and of the Tesseract processes it has run and waited for (user + system)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def limit_threads() -> None:
    """One thread per Tesseract: pages run in parallel processes instead, and OpenMP threads on top of them only
    thrash (a page takes three times as long on a busy machine)."""
    os.environ["OMP_THREAD_LIMIT"] = "1"
    cv2.setNumThreads(1)


def words_from_data(data: dict[str, list], page: int = 0, dx: int = 0, dy: int = 0) -> list[Word]:
    words = []
    for i, text in enumerate(data["text"]):
        text = (text or "").strip()
        conf = float(data["conf"][i])
        if not text or conf < 0:
            continue
        words.append(Word(
            text=text, conf=conf, left=int(data["left"][i]) + dx, top=int(data["top"][i]) + dy,
            width=int(data["width"][i]), height=int(data["height"][i]), page=page,
            block=int(data["block_num"][i]) * 1000 + int(data["par_num"][i]), line=int(data["line_num"][i]),
        ))
    return words


def recognise(image: np.ndarray, languages: str, psm: int = 6, page: int = 0) -> list[Word]:
    """The words Tesseract reads in `image` (grey): through libtesseract with the models kept loaded, or else the
    program on an uncompressed BMP file (handing pytesseract an array costs a PNG encode here and a decode there, a
    fifth of a page's recognition time)."""
    if USE_LIBRARY:
        rows = read_tsv(image, languages, psm)
        if rows is not None:
            return words_from_data(rows, page)
    handle, path = tempfile.mkstemp(suffix=".bmp", prefix="ocr-")
    os.close(handle)
    try:
        if not cv2.imwrite(path, image):
            raise OSError(f"cannot write the page image to {path}")
        data = pytesseract.image_to_data(
            path, lang=languages, config=f"--psm {psm} -c preserve_interword_spaces=0 -c tessedit_do_invert=0",
            output_type=pytesseract.Output.DICT,
        )
    finally:
        with contextlib.suppress(OSError):
            os.unlink(path)
    return words_from_data(data, page)


def text_is_vertical(image: np.ndarray) -> bool:
    """True when the text lines run up and down (a page turned by a quarter)."""
    h, w = image.shape[:2]
    k = 800 / max(h, w)
    small = cv2.resize(image, (max(1, round(w * k)), max(1, round(h * k))), interpolation=cv2.INTER_AREA)
    _, ink = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    if ink.mean() < 1:
        return False
    rows = float(np.var(ink.sum(axis=1) / max(1, ink.shape[1])))
    cols = float(np.var(ink.sum(axis=0) / max(1, ink.shape[0])))
    horizontal = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((1, 9), np.uint8)).sum()
    vertical = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((9, 1), np.uint8)).sum()
    # letters touch their neighbours along a line: long runs lie along the lines of text
    return bool(cols > rows * 1.3 and vertical > horizontal * 1.1)


def upright_score(image: np.ndarray) -> float:
    """Above 1 when the text stands upright, below 1 when it is upside down: in Latin and Cyrillic print (and in
    figures) far more ink rises above the x-height band (capitals, digits, b d f h k l) than hangs below the baseline
    (g p q y, р у д ц щ). 1.0 when there are too few lines to tell."""
    h, w = image.shape[:2]
    k = min(1.0, 1600 / max(h, w))
    small = cv2.resize(image, (max(1, round(w * k)), max(1, round(h * k))), interpolation=cv2.INTER_AREA)
    _, ink = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    ink = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((2, 2), np.uint8))
    smear = cv2.dilate(ink, cv2.getStructuringElement(cv2.MORPH_RECT, (25, 1)))
    count, _, stats, _ = cv2.connectedComponentsWithStats(smear, connectivity=8)
    above = below = 0.0
    lines = 0
    for i in range(1, count):
        x, y, bw, bh, _ = stats[i]
        if bw < 60 or not 8 <= bh <= 80 or bw < 3 * bh:
            continue
        profile = ink[y:y + bh, x:x + bw].sum(axis=1).astype(np.float64)
        if profile.max() <= 0:
            continue
        band = np.nonzero(profile >= 0.5 * profile.max())[0]
        top, bottom = band[0], band[-1]
        if bottom - top < 2:
            continue
        above += profile[:top].sum()
        below += profile[bottom + 1:].sum()
        lines += 1
    if lines < 4 or above + below == 0:
        return 1.0
    return float((above + 1) / (below + 1))


def probe_strip(image: np.ndarray, lines: int = 4, where: str = "top") -> np.ndarray:
    """A few lines of text from the top (or the middle) of the page: enough words to tell the script and whether
    the page is upside down, at a small share of the page's OCR time."""
    h = image.shape[0]
    ink_rows = (image < 128).mean(axis=1) > 0.004
    rows = np.nonzero(ink_rows)[0]
    if len(rows) == 0:
        return image
    starts = rows[np.concatenate([[True], np.diff(rows) > 1])]  # first row of each band of ink
    pitch = int(np.clip(np.median(np.diff(starts)) if len(starts) > 2 else 60, 20, 240))
    first = int(starts[0]) if where == "top" else int(starts[len(starts) // 2])
    top = max(0, first - pitch // 3)
    return image[top:min(h, top + pitch * lines)]


@dataclass
class Probe:
    script: str  # "latin", "cyrillic" or "" when unsure
    confidence: float  # mean word confidence in the band
    words: int
    letters: int = 0  # letters of the script in words read surely: upside-down text gives next to none


def _mean_conf(words: list[Word]) -> float:
    scores = [w.conf for w in words if sum(ch.isalpha() for ch in w.text) >= 2]
    return float(np.mean(scores)) if scores else 0.0


def _letters(words: list[Word]) -> tuple[int, int]:
    """Cyrillic and Latin letters in the words read surely (three letters or more)."""
    text = " ".join(w.text for w in words if w.conf >= 50 and sum(ch.isalpha() for ch in w.text) >= 3).lower()
    return sum(ch in _CYRILLIC for ch in text), sum(ch in _LATIN for ch in text)


def _small(strip: np.ndarray) -> np.ndarray:
    """A probe strip at 3/4 size: the script reads as surely, in less time."""
    h, w = strip.shape[:2]
    return cv2.resize(strip, (max(1, w * 3 // 4), max(1, h * 3 // 4)), interpolation=cv2.INTER_AREA)


def probe(image: np.ndarray) -> Probe:
    """Which script the page is in, from a strip of its lines read once with a Cyrillic and a Latin model together
    (uzb+rus): Tesseract keeps, word by word, the model that read it more surely, so the letters of the sure words
    say the script. A strip from the middle of the page is read too when the top lines (an ID, a QR code, a logo)
    do not tell."""
    words = recognise(_small(probe_strip(image, lines=3)), PROBE_LANGUAGES)
    cyrillic, latin = _letters(words)
    if cyrillic + latin < 15 or max(cyrillic, latin) < 3 * min(cyrillic, latin):
        words += recognise(_small(probe_strip(image, lines=3, where="middle")), PROBE_LANGUAGES)
        cyrillic, latin = _letters(words)
    script = ""
    if cyrillic + latin >= 15:  # fewer sure letters than a few words' worth: unsure, both scripts are read
        script = "cyrillic" if cyrillic > 1.5 * latin else "latin" if latin > 1.5 * cyrillic else ""
    return Probe(script, _mean_conf(words), len(words), max(cyrillic, latin))


@dataclass
class PageRead:
    words: list[Word]
    info: PageInfo
    blank: bool
    image_shape: tuple[int, int]


@dataclass
class Staged:
    """A page prepared, turned upright and its script chosen: what is left is to recognise it (whole or in bands)."""

    image: np.ndarray
    info: PageInfo
    blank: bool
    languages: str
    started: float  # perf_counter when the page's work began (in this process)
    seconds: float  # time spent so far
    cpu: float = 0.0  # CPU seconds spent so far (this process and its Tesseract runs)
    rows: np.ndarray | None = None  # the page's text per row (`text_rows`), to cut it in bands


def stage_page(image: np.ndarray, index: int, languages: str | None = None, bands: bool = False) -> Staged:
    """Preprocessing and orientation of one page image (RGB or grey, upright as far as EXIF knows); with `bands`,
    also what `split_bands` needs to cut it."""
    started = time.perf_counter()
    cpu_started = cpu_seconds()
    limit_threads()
    prepared = prepare_page(image)
    grey = prepared.image
    info = PageInfo(index=index, width=grey.shape[1], height=grey.shape[0], source="ocr", skew=prepared.skew,
                    cropped=prepared.cropped)
    info.timings["prepare"] = time.perf_counter() - started
    if prepared.text_height == 0 or prepared.ink_share < 0.002:
        return Staged(grey, info, True, "", started, time.perf_counter() - started, cpu_seconds() - cpu_started)
    rotation = 0
    if text_is_vertical(grey):
        grey = cv2.rotate(grey, cv2.ROTATE_90_CLOCKWISE)
        rotation = 90
    upright = upright_score(grey)
    if upright < 0.8:
        grey = cv2.rotate(grey, cv2.ROTATE_180)
        rotation = (rotation + 180) % 360
    first = probe(grey)
    if upright <= 1.15 and first.confidence < 60 and (not first.script or first.letters < 20):
        turned = cv2.rotate(grey, cv2.ROTATE_180)
        second = probe(turned)
        if second.confidence > first.confidence + 10:
            grey, first, rotation = turned, second, (rotation + 180) % 360
    if languages is None:
        languages = {"latin": LATIN_LANGUAGES, "cyrillic": CYRILLIC_LANGUAGES}.get(first.script, UNSURE_LANGUAGES)
    info.timings["orient"] = time.perf_counter() - started - info.timings["prepare"]
    info.rotation = rotation
    info.languages = languages
    info.width, info.height = grey.shape[1], grey.shape[0]
    rows = text_rows(grey) if bands else None
    return Staged(grey, info, False, languages, started, time.perf_counter() - started,
                  cpu_seconds() - cpu_started, rows)


def text_rows(image: np.ndarray) -> np.ndarray:
    """Per row, the pixels of ink (Otsu over the whole page) that are not part of a vertical rule: rows of a table
    between its lines of text count as blank, so a table can be cut across too."""
    _, ink = cv2.threshold(image, 0, 1, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    rules = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((41, 1), np.uint8))
    return (ink - rules).sum(axis=1, dtype=np.int64)


def _blank_runs(blank: np.ndarray) -> list[tuple[int, int]]:
    """(first row, length) of each run of blank rows."""
    edges = np.diff(np.concatenate([[0], blank.astype(np.int8), [0]]))
    starts, stops = np.nonzero(edges == 1)[0], np.nonzero(edges == -1)[0]
    return [(int(a), int(b - a)) for a, b in zip(starts, stops, strict=True)]


def split_bands(image: np.ndarray, parts: int, rows: np.ndarray | None = None) -> list[tuple[int, np.ndarray]]:
    """The page cut across into `parts` bands of about equal text (Tesseract's time follows the text), as
    (top, band), each cut in the middle of a gap between lines of text, the wider gaps preferred (between a heading
    and a table rather than between two lines of one cell); bands with no text are dropped; the whole page when no
    gap is near. `rows`: the page's `text_rows` when known."""
    h, w = image.shape[:2]
    if parts < 2 or h < 400:
        return [(0, image)]
    if rows is None:
        rows = text_rows(image)
    runs = [(top, length) for top, length in _blank_runs(rows < 0.001 * w) if length >= 6 and 0 < top < h - length]
    share = np.cumsum(rows) / max(1, int(rows.sum()))
    cuts = [0]
    for k in range(1, parts):
        aim = int(np.searchsorted(share, k / parts))
        near = [(abs(top + length // 2 - aim) - 3 * length, top + length // 2) for top, length in runs
                if abs(top + length // 2 - aim) <= h // 8 and top + length // 2 > cuts[-1] + 50]
        if near:
            cuts.append(min(near)[1])
    cuts.append(h)
    bands = [(top, image[top:bottom]) for top, bottom in itertools.pairwise(cuts)
             if bottom - top > 10 and rows[top:bottom].sum() >= 0.0005 * w * (bottom - top)]
    return bands or [(0, image)]


BAND_MARGIN = 24  # white rows above and below a band: Tesseract misreads a line that touches the image's edge


def recognise_band(band: np.ndarray, languages: str, page: int, top: int, margin: int = 0,
                   ) -> tuple[list[Word], float, float]:
    """The words of one band of a page, in page coordinates, with the seconds and the CPU seconds it took; `margin`
    white rows are added above and below it first (a band cut from a page: `BAND_MARGIN`)."""
    started = time.perf_counter()
    cpu_started = cpu_seconds()
    limit_threads()
    padded = cv2.copyMakeBorder(band, margin, margin, 0, 0, cv2.BORDER_CONSTANT, value=255) if margin else band
    words = recognise(padded, languages, page=page)
    shift = top - margin
    shifted = [Word(w.text, w.conf, w.left, w.top + shift, w.width, w.height, w.page, w.block + top * 1000, w.line)
               for w in words]
    return shifted, time.perf_counter() - started, cpu_seconds() - cpu_started


def finish_page(staged: Staged, words: list[Word], recognise_seconds: float, recognise_cpu: float = 0.0,
                ) -> PageRead:
    """The page read: `recognise_seconds` is the wall time of its recognition (the longest band when bands were
    read side by side), `recognise_cpu` the CPU time of all its bands together (timings "cpu": the whole page)."""
    info = staged.info
    info.timings["recognise"] = recognise_seconds
    info.timings["cpu"] = staged.cpu + recognise_cpu
    info.words = len(words)
    info.mean_confidence = float(np.mean([w.conf for w in words])) if words else 0.0
    info.seconds = staged.seconds + recognise_seconds
    return PageRead(words, info, staged.blank, staged.image.shape[:2])


def read_page(image: np.ndarray, index: int, languages: str | None = None) -> PageRead:
    """One page image (RGB or grey, upright as far as EXIF knows) through preprocessing, orientation, OCR."""
    staged = stage_page(image, index, languages)
    if staged.blank:
        return finish_page(staged, [], 0.0)
    words, seconds, cpu = recognise_band(staged.image, staged.languages, index, 0)
    return finish_page(staged, words, seconds, cpu)

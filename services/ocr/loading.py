"""Bytes in, pages out: the type is told by magic bytes (never the file name), images are decoded with EXIF
orientation applied, PDFs give their text layer where a page has one and are rasterised otherwise."""

from __future__ import annotations

import io
from dataclasses import dataclass, field

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from services.ocr.model import Problem, ProblemCode, Word

MAX_BYTES = 20 * 1024 * 1024  # Telegram's download limit for bots
MAX_PAGES = 10
MAX_PIXELS = 60_000_000
PDF_DPI = 200
Image.MAX_IMAGE_PIXELS = MAX_PIXELS

_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1", b"avif"}

MIME_NAMES = {
    "image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WebP", "image/tiff": "TIFF", "image/bmp": "BMP",
    "image/heic": "HEIC", "application/pdf": "PDF",
}


def sniff(data: bytes) -> str | None:
    """The MIME type the content really has, from its first bytes; None for anything we do not read."""
    head = data[:32]
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "image/tiff"
    if head[:2] == b"BM" and len(data) > 26:
        return "image/bmp"
    if head[4:8] == b"ftyp" and head[8:12] in _HEIF_BRANDS:
        return "image/heic"
    if b"%PDF-" in data[:1024]:
        return "application/pdf"
    return None


@dataclass
class LoadedPage:
    index: int
    image: np.ndarray | None = None  # RGB, when the page is to be read by OCR
    words: list[Word] | None = None  # the PDF text layer, when it has one
    size: tuple[int, int] = (0, 0)  # width, height in the coordinates of `words`


@dataclass
class Loaded:
    mime: str | None
    pages: list[LoadedPage] = field(default_factory=list)
    pages_total: int = 0
    problems: list[Problem] = field(default_factory=list)


def _rgb(image: Image.Image) -> np.ndarray:
    image = ImageOps.exif_transpose(image)
    if image.mode not in ("RGB", "L"):
        background = Image.new("RGB", image.size, (255, 255, 255))
        converted = image.convert("RGBA")
        background.paste(converted, mask=converted.split()[3])
        image = background
    return np.asarray(image.convert("RGB"))


def _load_image(data: bytes, mime: str, max_pages: int, out: Loaded) -> None:
    if mime == "image/heic":
        import pillow_heif

        pillow_heif.register_heif_opener()
    try:
        image = Image.open(io.BytesIO(data))
        frames = getattr(image, "n_frames", 1)
        out.pages_total = frames
        for index in range(min(frames, max_pages)):
            image.seek(index)
            if image.width * image.height > MAX_PIXELS:
                raise Image.DecompressionBombError("too many pixels")
            out.pages.append(LoadedPage(index, image=_rgb(image.copy())))
    except Image.DecompressionBombError:
        out.problems.append(Problem(ProblemCode.TOO_LARGE, "the image has too many pixels"))
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError) as error:
        out.problems.append(Problem(ProblemCode.CORRUPT, f"the {MIME_NAMES[mime]} image cannot be decoded: {error}"))


def _layer_words(textpage: object, page_height: float, scale: float, index: int) -> list[Word]:
    """Words of a PDF text layer with their boxes, in pixels of the page rendered at `scale`."""
    count = textpage.count_chars()  # type: ignore[attr-defined]
    if count <= 0:
        return []
    text = textpage.get_text_range(0, count)  # type: ignore[attr-defined]
    words: list[Word] = []
    current: list[tuple[str, tuple[float, float, float, float]]] = []

    def flush() -> None:
        if not current:
            return
        left = min(box[0] for _, box in current)
        bottom = min(box[1] for _, box in current)
        right = max(box[2] for _, box in current)
        top = max(box[3] for _, box in current)
        words.append(Word(
            text="".join(ch for ch, _ in current), conf=99.0, left=round(left * scale),
            top=round((page_height - top) * scale), width=max(1, round((right - left) * scale)),
            height=max(1, round((top - bottom) * scale)), page=index,
        ))
        current.clear()

    previous_right = None
    for i in range(min(count, len(text))):
        ch = text[i]
        if ch.isspace() or ch in "\x00\ufffe":
            flush()
            previous_right = None
            continue
        box = textpage.get_charbox(i)  # type: ignore[attr-defined]
        height = max(1.0, box[3] - box[1])
        if previous_right is not None and current and (box[0] - previous_right > height * 0.6
                                                        or abs(box[1] - current[-1][1][1]) > height):
            flush()
        current.append((ch, box))
        previous_right = box[2]
    flush()
    return words


def _load_pdf(data: bytes, max_pages: int, out: Loaded) -> None:
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        message = str(error).lower()
        if "password" in message:
            out.problems.append(Problem(ProblemCode.ENCRYPTED, "the PDF is protected by a password"))
        else:
            out.problems.append(Problem(ProblemCode.CORRUPT, f"the PDF cannot be opened: {error}"))
        return
    try:
        out.pages_total = len(document)
        if out.pages_total == 0:
            out.problems.append(Problem(ProblemCode.CORRUPT, "the PDF has no pages"))
        scale = PDF_DPI / 72
        for index in range(min(out.pages_total, max_pages)):
            page = document[index]
            try:
                width, height = page.get_size()
                textpage = page.get_textpage()
                words = _layer_words(textpage, height, scale, index)
                textpage.close()
                if sum(sum(ch.isalnum() for ch in w.text) for w in words) >= 30:
                    out.pages.append(LoadedPage(index, words=words, size=(round(width * scale),
                                                                          round(height * scale))))
                    continue
                if width * height * scale * scale > MAX_PIXELS:
                    scale_page = (MAX_PIXELS / (width * height)) ** 0.5
                else:
                    scale_page = scale
                bitmap = page.render(scale=scale_page)
                out.pages.append(LoadedPage(index, image=np.asarray(bitmap.to_pil().convert("RGB"))))
            finally:
                page.close()
    except pdfium.PdfiumError as error:
        out.problems.append(Problem(ProblemCode.CORRUPT, f"the PDF is damaged: {error}"))
    finally:
        document.close()


def load_document(data: bytes, max_pages: int = MAX_PAGES, max_bytes: int = MAX_BYTES) -> Loaded:
    """The pages of a file, at most `max_pages` of them (the rest reported as TOO_MANY_PAGES)."""
    if not data:
        return Loaded(None, problems=[Problem(ProblemCode.EMPTY_FILE, "the file is empty")])
    if len(data) > max_bytes:
        return Loaded(None, problems=[Problem(
            ProblemCode.TOO_LARGE, f"the file has {len(data) / 1048576:.1f} MB, more than {max_bytes // 1048576} MB")])
    mime = sniff(data)
    out = Loaded(mime)
    if mime is None:
        out.problems.append(Problem(ProblemCode.UNSUPPORTED_TYPE,
                                    "not an image (JPEG, PNG, WebP, TIFF, BMP, HEIC) or a PDF"))
        return out
    if mime == "application/pdf":
        _load_pdf(data, max_pages, out)
    else:
        _load_image(data, mime, max_pages, out)
    if out.pages_total > max_pages:
        out.problems.append(Problem(ProblemCode.TOO_MANY_PAGES,
                                    f"{out.pages_total} pages: only the first {max_pages} were read"))
    return out

"""Tesseract through its C API (libtesseract, which the `tesseract` program is built on), with the models kept
loaded: each worker process keeps a few `TessBaseAPI`s, one per language set, so a page costs its recognition only.
The program loads its models again on every run (a tenth of a second for eng or uzb alone, three tenths for the probe
and the page of a Latin document) and gets the page through a file.

`read_tsv(image, languages, psm)` gives the same rows as `tesseract FILE stdout tsv`; None when the library cannot be
used (then `services.ocr.engine` runs the program, as before).
"""

from __future__ import annotations

import atexit
import ctypes
import ctypes.util
import os
import threading
from collections import OrderedDict
from functools import lru_cache
from typing import Any

import numpy as np

MAX_LOADED = 3  # idle APIs kept loaded per process (the probe's and the pages': 30-60 MB each)
_COLUMNS = ("level", "page_num", "block_num", "par_num", "line_num", "word_num", "left", "top", "width", "height",
            "conf", "text")


@lru_cache(maxsize=1)
def _library() -> Any | None:
    name = ctypes.util.find_library("tesseract") or "libtesseract.so.5"
    try:
        lib = ctypes.CDLL(name)
    except OSError:
        return None
    handle = ctypes.c_void_p
    try:
        lib.TessBaseAPICreate.restype = handle
        lib.TessBaseAPICreate.argtypes = []
        lib.TessBaseAPIInit3.restype = ctypes.c_int
        lib.TessBaseAPIInit3.argtypes = [handle, ctypes.c_char_p, ctypes.c_char_p]
        lib.TessBaseAPISetPageSegMode.restype = None
        lib.TessBaseAPISetPageSegMode.argtypes = [handle, ctypes.c_int]
        lib.TessBaseAPISetVariable.restype = ctypes.c_int
        lib.TessBaseAPISetVariable.argtypes = [handle, ctypes.c_char_p, ctypes.c_char_p]
        lib.TessBaseAPISetImage.restype = None
        lib.TessBaseAPISetImage.argtypes = [handle, ctypes.c_void_p, ctypes.c_int, ctypes.c_int, ctypes.c_int,
                                            ctypes.c_int]
        lib.TessBaseAPIRecognize.restype = ctypes.c_int
        lib.TessBaseAPIRecognize.argtypes = [handle, ctypes.c_void_p]
        lib.TessBaseAPIGetTsvText.restype = ctypes.c_void_p  # freed with TessDeleteText, so not c_char_p
        lib.TessBaseAPIGetTsvText.argtypes = [handle, ctypes.c_int]
        lib.TessDeleteText.restype = None
        lib.TessDeleteText.argtypes = [ctypes.c_void_p]
        lib.TessBaseAPIClear.restype = None
        lib.TessBaseAPIClear.argtypes = [handle]
        lib.TessBaseAPIEnd.restype = None
        lib.TessBaseAPIEnd.argtypes = [handle]
        lib.TessBaseAPIDelete.restype = None
        lib.TessBaseAPIDelete.argtypes = [handle]
    except AttributeError:
        return None
    return lib


class _Apis:
    """Loaded `TessBaseAPI`s by language set, shared by the threads of the process: one is used by one thread at a
    time (taken, then given back); at most MAX_LOADED idle ones are kept, and all are ended at exit (else Tesseract
    complains of leaks on stderr)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.idle: OrderedDict[str, list[int]] = OrderedDict()
        self.failed: set[str] = set()

    def take(self, lib: Any, languages: str) -> int | None:
        with self.lock:
            if languages in self.failed:
                return None
            spare = self.idle.get(languages)
            if spare:
                self.idle.move_to_end(languages)
                return spare.pop()
        api = lib.TessBaseAPICreate()
        if not api or lib.TessBaseAPIInit3(api, None, languages.encode()) != 0:
            if api:
                lib.TessBaseAPIDelete(api)
            with self.lock:
                self.failed.add(languages)
            return None
        lib.TessBaseAPISetVariable(api, b"preserve_interword_spaces", b"0")
        # the page is binarised dark on light: Tesseract's second read of each doubtful line inverted finds nothing
        lib.TessBaseAPISetVariable(api, b"tessedit_do_invert", b"0")
        # its notes ("Image too small to scale!!") went to the program's stderr, which pytesseract swallowed
        lib.TessBaseAPISetVariable(api, b"debug_file", os.devnull.encode())
        return int(api)

    def give_back(self, lib: Any, languages: str, api: int) -> None:
        ended: list[int] = []
        with self.lock:
            self.idle.setdefault(languages, []).append(api)
            self.idle.move_to_end(languages)
            while sum(len(apis) for apis in self.idle.values()) > MAX_LOADED:
                oldest = next(iter(self.idle))
                ended.append(self.idle[oldest].pop(0))
                if not self.idle[oldest]:
                    del self.idle[oldest]
        for old in ended:
            _end(lib, old)

    def close(self) -> None:
        lib = _library()
        with self.lock:
            apis = [api for group in self.idle.values() for api in group]
            self.idle.clear()
        if lib is not None:
            for api in apis:
                _end(lib, api)


def _end(lib: Any, api: int) -> None:
    lib.TessBaseAPIEnd(api)
    lib.TessBaseAPIDelete(api)


_apis = _Apis()
atexit.register(_apis.close)


def read_tsv(image: np.ndarray, languages: str, psm: int = 6) -> dict[str, list[Any]] | None:
    """Tesseract's TSV rows for a grey uint8 image, by column (as `pytesseract.image_to_data(..., DICT)`)."""
    lib = _library()
    if lib is None or image.ndim != 2 or image.dtype != np.uint8 or min(image.shape) == 0:
        return None
    api = _apis.take(lib, languages)
    if api is None:
        return None
    pixels = np.ascontiguousarray(image)
    height, width = pixels.shape
    text = None
    try:
        lib.TessBaseAPISetPageSegMode(api, psm)
        lib.TessBaseAPISetImage(api, pixels.ctypes.data, width, height, 1, width)
        if lib.TessBaseAPIRecognize(api, None) == 0:
            pointer = lib.TessBaseAPIGetTsvText(api, 0)
            if pointer:
                try:
                    text = ctypes.string_at(pointer).decode("utf-8", "replace")
                finally:
                    lib.TessDeleteText(pointer)
    finally:
        lib.TessBaseAPIClear(api)
        _apis.give_back(lib, languages, api)
    if text is None:
        return None
    data: dict[str, list[Any]] = {column: [] for column in _COLUMNS}
    for row in text.splitlines():
        cells = row.split("\t")
        cells += [""] * (len(_COLUMNS) - len(cells))
        for column, cell in zip(_COLUMNS, cells[:len(_COLUMNS)], strict=True):
            data[column].append(cell if column == "text" else _number(cell))
    return data


def _number(cell: str) -> int | str:
    """As pytesseract reads the program's TSV: whole numbers (a confidence of 92.97 is 92)."""
    try:
        return int(float(cell))
    except ValueError:
        return cell

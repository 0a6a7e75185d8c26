"""Optical character recognition: the engine protocol, Tesseract (in process through
tesserocr) and reading small print a second time enlarged.

``DOCFLOW_EXTRACT_OCR_ENGINE`` chooses the engine: Tesseract here, or PaddleOCR's PP-OCR models
(:mod:`docflow_extract.backends.local.rapidocr_engine`). Loading a model takes a noticeable
fraction of a page's OCR time, so each child process creates one engine on first use and keeps
it for every page it reads afterwards.
"""

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import tesserocr  # type: ignore[import-untyped]
from PIL import Image

from docflow_events.v1 import Line, Page
from docflow_extract.backends.errors import ExtractionFailedError
from docflow_extract.backends.local.layout import median_word_height, ocr_lines
from docflow_extract.backends.local.limits import ParserLimits
from docflow_extract.backends.local.text_cleanup import clean_text

# Tesseract guesses (and warns) when an image carries no resolution; scans are usually 300 dpi.
_DEFAULT_PPI = 300
# Enlarging by less changes few readings and still costs a second pass.
_MIN_ENLARGEMENT = 1.2
# Past this, resampling adds no detail, only pixels (and seconds).
_MAX_ENLARGEMENT = 4.0

# needs_reread: Tesseract's mean word confidence under which, and the mean words per line up
# to which, a page is read again by PP-OCR (engine ``auto``).
_REREAD_BELOW_CONFIDENCE = 90.0
_REREAD_MAX_WORDS_PER_LINE = 6.0
# recognize_sized: Tesseract's mean word confidence under which small print is read a second
# time enlarged. On 116 rendered development agreement pages (200 dpi, words 18-24 px tall)
# the enlarged reading found, net, 1 more of 3906 text-layer words on the 23 pages read at 94
# and none on the 63 at 95-96, at 1.4-1.8 times the first reading's time; at 93 it found 66
# more of 2997, at 89-92 up to 2% more. On 100 development receipts (first readings 49-90)
# it was kept only under 85.
_ENLARGE_BELOW_CONFIDENCE = 94.0

#: The page image at ``factor`` times its size.
Enlarge = Callable[[float], Image.Image]


@dataclass(frozen=True)
class OcrText:
    text: str
    confidence: float  # mean word confidence, 0-100
    lines: list[Line]


class OcrEngine(Protocol):
    """What reads page images; one per process, its model loaded on first use, not thread-safe."""

    @property
    def rereads_small_print(self) -> bool:
        """Whether small print is read a second time enlarged (:func:`recognize_sized`)."""
        ...

    def recognize(self, image: Image.Image, ppi: int | None = None) -> OcrText:
        """Text, mean confidence (0-100) and lines (in reading order, with boxes) of a page."""
        ...

    def close(self) -> None: ...


class TesseractEngine:
    """One Tesseract instance, created lazily and reused; not thread-safe (one per process)."""

    rereads_small_print = True

    def __init__(self, tessdata: Path, language: str) -> None:
        self._tessdata = tessdata
        self._language = language
        self._api: tesserocr.PyTessBaseAPI | None = None

    def recognize(self, image: Image.Image, ppi: int | None = None) -> OcrText:
        """Text, mean confidence and lines of one page image (converted to 8-bit grayscale)."""
        # Tesseract's automatic page segmentation and no preprocessing beyond grayscale, as
        # measured on small-print receipts: single-column modes (4, 6) read as many values
        # or fewer once print is enlarged (and 6 would join an invoice's columns), and
        # autocontrast fewer.
        api = self._ensure_api()
        gray = image if image.mode == "L" else image.convert("L")
        api.SetImageBytes(gray.tobytes(), gray.width, gray.height, 1, gray.width)
        api.SetSourceResolution(ppi or _DEFAULT_PPI)
        text = api.GetUTF8Text()
        confidence = float(min(max(api.MeanTextConf(), 0), 100))
        lines = ocr_lines(api, gray.width, gray.height)
        api.Clear()
        return OcrText(text=text.strip(), confidence=confidence, lines=lines)

    def close(self) -> None:
        if self._api is not None:
            self._api.End()
            self._api = None

    def _ensure_api(self) -> tesserocr.PyTessBaseAPI:
        if self._api is None:
            try:
                self._api = tesserocr.PyTessBaseAPI(path=f"{self._tessdata}/", lang=self._language)
            except RuntimeError as exc:
                # Not the directory: this message may become a document's reason.
                raise ExtractionFailedError(
                    f"cannot start Tesseract with language {self._language!r}: its data is "
                    "missing from DOCFLOW_EXTRACT_TESSDATA_PATH"
                ) from exc
        return self._api


def recognize_sized(
    engine: OcrEngine,
    image: Image.Image,
    *,
    ppi: int | None,
    limits: ParserLimits,
    enlarge: Enlarge | None = None,
    reread: OcrEngine | None = None,
) -> OcrText:
    """``image`` read by OCR, and read again enlarged when its print is small, or by
    ``reread`` instead when the first reading asks for it (:func:`needs_reread`).

    Tesseract misreads print much smaller than it was trained on (receipts scanned at 150 dpi
    have words 13 to 20 pixels tall), and reads it better enlarged. Whether the enlarged
    reading is better is Tesseract's own call: the reading it is surer of (mean word
    confidence) is kept, and a first reading it is already sure of is not read again.
    ``enlarge`` renders the page larger where that is better than resampling this bitmap (a
    PDF page); by default the bitmap is resampled with LANCZOS.
    An engine that scales pages to its model itself (PP-OCR) reads ``image`` once, as it is.
    """
    if not engine.rereads_small_print:
        return engine.recognize(image, ppi=ppi)
    gray = image if image.mode == "L" else image.convert("L")
    first = engine.recognize(gray, ppi=ppi)
    if reread is not None and needs_reread(first):
        # Decided on the first reading: PP-OCR sizes print itself, so the enlarged one is moot.
        return reread.recognize(image, ppi=ppi)
    if first.confidence >= _ENLARGE_BELOW_CONFIDENCE:
        return first
    factor = enlargement(first, gray, limits)
    if factor is None:
        return first
    larger = (enlarge or _resampler(gray))(factor)
    # Read at the first reading's resolution, not the enlarged one's: Tesseract sizes its
    # layout analysis from the resolution, and told the truth (say 1200 dpi) it drops whole
    # lines of the enlarged print as if they were specks.
    second = engine.recognize(larger, ppi=ppi)
    return second if second.confidence > first.confidence else first


def enlargement(ocr: OcrText, image: Image.Image, limits: ParserLimits) -> float | None:
    """How much to enlarge ``image`` for its median word to stand ``limits.ocr_text_height``
    pixels tall, within the pixel limit; None when it is off, not needed or not allowed."""
    height = median_word_height(ocr.lines, image.height)
    if not limits.ocr_text_height or not height:
        return None
    room = math.sqrt(limits.max_image_pixels / max(image.width * image.height, 1))
    factor = min(limits.ocr_text_height / height, _MAX_ENLARGEMENT, room)
    return factor if factor >= _MIN_ENLARGEMENT else None


def _resampler(image: Image.Image) -> Enlarge:
    def enlarge(factor: float) -> Image.Image:
        size = (math.floor(image.width * factor), math.floor(image.height * factor))
        return image.resize(size, Image.Resampling.LANCZOS)

    return enlarge


def needs_reread(ocr: OcrText) -> bool:
    """Whether a page Tesseract read is one PP-OCR reads better: short lines (till slips,
    labels, forms) that Tesseract is unsure of. On development documents PP-OCR found the
    receipts' values far more often (company 81 against 67 of 100, date 100 against 80), but on
    a page of prose it ran words together (59% of words against Tesseract's 99%) at 13 times
    the time, and Tesseract is sure of clean prose (93-95 on rendered agreement pages; 49-93 on
    receipts, whose lines hold at most 5 words on average). A page Tesseract finds nothing on
    is read again too: PP-OCR's detector finds faded or blurred print Tesseract drops whole."""
    if not ocr.lines:
        return True
    words = sum(len(line.words) for line in ocr.lines)
    return (
        ocr.confidence < _REREAD_BELOW_CONFIDENCE
        and words / len(ocr.lines) <= _REREAD_MAX_WORDS_PER_LINE
    )


def ocr_page(
    engine: OcrEngine,
    image: Image.Image,
    number: int,
    *,
    ppi: int | None,
    limits: ParserLimits,
    started: float,
    enlarge: Enlarge | None = None,
    reread: OcrEngine | None = None,
) -> Page:
    """Page ``number`` read from ``image`` by OCR; ``seconds`` counts from ``started``. A page
    the first engine reads as short lines it is unsure of is read by ``reread`` instead."""
    ocr = recognize_sized(engine, image, ppi=ppi, limits=limits, enlarge=enlarge, reread=reread)
    return Page(
        number=number,
        text=clean_text(ocr.text),
        method="ocr",
        ocr_confidence=ocr.confidence,
        seconds=time.perf_counter() - started,
        lines=ocr.lines,
    )

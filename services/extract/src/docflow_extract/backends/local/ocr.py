"""Optical character recognition with Tesseract, in process through tesserocr.

Loading a language model takes a noticeable fraction of a page's OCR time, so each child
process creates one engine on first use and keeps it for every page it reads afterwards.
"""

import time
from dataclasses import dataclass
from pathlib import Path

import tesserocr  # type: ignore[import-untyped]
from PIL import Image

from docflow_events.v1 import Line, Page
from docflow_extract.backends.errors import ExtractionFailedError
from docflow_extract.backends.local.layout import ocr_lines
from docflow_extract.backends.local.text_cleanup import clean_text

# Tesseract guesses (and warns) when an image carries no resolution; scans are usually 300 dpi.
_DEFAULT_PPI = 300


@dataclass(frozen=True)
class OcrText:
    text: str
    confidence: float  # mean word confidence, 0-100
    lines: list[Line]


class OcrEngine:
    """One Tesseract instance, created lazily and reused; not thread-safe (one per process)."""

    def __init__(self, tessdata: Path, language: str) -> None:
        self._tessdata = tessdata
        self._language = language
        self._api: tesserocr.PyTessBaseAPI | None = None

    def recognize(self, image: Image.Image, ppi: int | None = None) -> OcrText:
        """Text, mean confidence and lines of one page image (converted to 8-bit grayscale)."""
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


def ocr_page(
    engine: OcrEngine, image: Image.Image, number: int, *, ppi: int | None, started: float
) -> Page:
    """Page ``number`` read from ``image`` by OCR; ``seconds`` counts from ``started``."""
    ocr = engine.recognize(image, ppi=ppi)
    return Page(
        number=number,
        text=clean_text(ocr.text),
        method="ocr",
        ocr_confidence=ocr.confidence,
        seconds=time.perf_counter() - started,
        lines=ocr.lines,
    )

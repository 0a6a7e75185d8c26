"""Engine ``auto``: Tesseract reads every page; PP-OCR reads again the pages of short lines
Tesseract is unsure of, and those it finds nothing on."""

import sys
import time
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from docflow_events.v1 import Box, Line, Page, Word
from docflow_extract.backends.errors import BackendUnavailableError
from docflow_extract.backends.factory import check_ocr_engine, parser_limits
from docflow_extract.backends.local.child import ocr_engine, reread_engine
from docflow_extract.backends.local.limits import DEFAULT_MEMORY_MIB, ParserLimits
from docflow_extract.backends.local.ocr import OcrText, TesseractEngine, needs_reread, ocr_page
from docflow_extract.backends.local.rapidocr_engine import RapidOcrEngine
from docflow_extract.settings import ExtractSettings

_BOX = Box(left=0.1, top=0.1, width=0.5, height=0.05)
# The fake readings' words are small: no enlarged second reading, which would count a page.
_NOT_ENLARGED = ParserLimits(ocr_text_height=0)


def _reading(words_per_line: list[int], confidence: float) -> OcrText:
    lines = [
        Line(text=" ".join(["word"] * n), words=[Word(text="word", box=_BOX)] * n, box=_BOX)
        for n in words_per_line
    ]
    return OcrText(text="\n".join(line.text for line in lines), confidence=confidence, lines=lines)


class FixedEngine:
    """An engine answering one reading, counting the pages it is handed."""

    rereads_small_print = True  # as Tesseract, which ``auto`` reads with first

    def __init__(self, reading: OcrText) -> None:
        self.reading = reading
        self.pages = 0
        self.sizes: list[tuple[int, int]] = []

    def recognize(self, image: Image.Image, ppi: int | None = None) -> OcrText:
        self.pages += 1
        self.sizes.append(image.size)
        return self.reading

    def close(self) -> None:
        pass


def _read_blank(first: FixedEngine, second: FixedEngine, limits: ParserLimits, size: int) -> Page:
    """A blank page of ``size`` pixels square read by ``first``, with ``second`` behind it."""
    return ocr_page(
        first, Image.new("L", (size, size), 255), 1, ppi=None, limits=limits,
        started=time.perf_counter(), reread=second,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("words_per_line", "confidence", "again"),
    [
        ([3, 4, 2, 5], 74.0, True),  # a till slip Tesseract is unsure of
        ([3, 4, 2, 5], 93.0, False),  # one it is sure of
        ([14, 12, 15, 3], 80.0, False),  # prose, however unsure: PP-OCR runs its words together
        ([6, 6, 6], 89.9, True),  # the bounds: six words a line, just under 90
        ([7, 6, 6], 89.9, False),
        ([], 95.0, True),  # nothing found
    ],
)
def test_which_pages_are_read_again(
    words_per_line: list[int], confidence: float, again: bool
) -> None:
    assert needs_reread(_reading(words_per_line, confidence)) is again


def test_a_page_read_again_keeps_the_second_reading() -> None:
    first, second = FixedEngine(_reading([3, 2], 70.0)), FixedEngine(_reading([4], 96.0))
    page = _read_blank(first, second, _NOT_ENLARGED, 50)
    assert (first.pages, second.pages) == (1, 1)
    assert page.text == "word word word word"
    assert page.ocr_confidence == 96.0


def test_a_page_tesseract_is_sure_of_is_read_once() -> None:
    first, second = FixedEngine(_reading([3, 2], 95.0)), FixedEngine(_reading([4], 99.0))
    page = _read_blank(first, second, _NOT_ENLARGED, 50)
    assert (first.pages, second.pages) == (1, 0)
    assert page.ocr_confidence == 95.0


def test_clean_print_is_read_by_tesseract_alone() -> None:
    font = ImageFont.load_default(size=28)
    image = Image.new("L", (900, 200), 255)
    ImageDraw.Draw(image).text((20, 60), "TOTAL RM 33.90 PAID IN CASH", fill=0, font=font)
    limits = ParserLimits()
    tesseract = TesseractEngine(limits.tessdata_path, limits.ocr_language)
    second = FixedEngine(_reading([1], 99.0))
    try:
        page = ocr_page(
            tesseract, image, 1, ppi=300, limits=limits, started=time.perf_counter(),
            reread=second,
        )  # fmt: skip
    finally:
        tesseract.close()
    assert "33.90" in page.text
    assert second.pages == 0


def test_auto_is_tesseract_with_pp_ocr_behind_it() -> None:
    limits = parser_limits(ExtractSettings(extract_ocr_engine="auto"))
    assert isinstance(ocr_engine(limits), TesseractEngine)
    assert isinstance(reread_engine(limits), RapidOcrEngine)
    assert limits.address_space_mib == DEFAULT_MEMORY_MIB["auto"] == DEFAULT_MEMORY_MIB["rapidocr"]
    for alone in ("tesseract", "rapidocr"):
        assert reread_engine(ParserLimits(ocr_engine=alone)) is None


def test_auto_needs_both_engines_at_start(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    with pytest.raises(BackendUnavailableError, match=r"eng\.traineddata is missing"):
        check_ocr_engine(ParserLimits(ocr_engine="auto", tessdata_path=tmp_path))
    monkeypatch.setitem(sys.modules, "rapidocr_onnxruntime", None)
    with pytest.raises(BackendUnavailableError, match="ENGINE=auto needs the rapidocr"):
        check_ocr_engine(ParserLimits(ocr_engine="auto"))


def test_small_print_to_read_again_is_not_first_read_enlarged() -> None:
    # Small words would have Tesseract read the page a second time, enlarged; PP-OCR sizes
    # print itself, so the page goes to it straight after the first reading.
    first, second = FixedEngine(_reading([3, 2], 70.0)), FixedEngine(_reading([4], 96.0))
    page = _read_blank(first, second, ParserLimits(), 400)
    assert (first.pages, second.pages) == (1, 1)
    assert page.ocr_confidence == 96.0
    unsure_prose = FixedEngine(_reading([12, 14], 70.0))
    _read_blank(unsure_prose, second, ParserLimits(), 400)
    assert unsure_prose.pages == 2  # read again enlarged, by the same engine


@pytest.mark.parametrize("confidence", [94.0, 99.0])
def test_small_print_tesseract_is_sure_of_is_read_once(confidence: float) -> None:
    # The words stand 20 pixels tall on this page, under the 36 that would have them read
    # again enlarged; a sure reading gains nothing from that but its time.
    sure = FixedEngine(_reading([12, 14], confidence))
    second = FixedEngine(_reading([4], 99.0))
    page = _read_blank(sure, second, ParserLimits(), 400)
    assert (sure.sizes, second.pages) == ([(400, 400)], 0)
    assert page.ocr_confidence == confidence


@pytest.mark.parametrize(("words_per_line", "confidence"), [([12, 14], 93.0), ([8, 9], 91.0)])
def test_small_print_tesseract_is_unsure_of_is_read_again_enlarged(
    words_per_line: list[int], confidence: float
) -> None:
    unsure = FixedEngine(_reading(words_per_line, confidence))
    second = FixedEngine(_reading([4], 99.0))
    _read_blank(unsure, second, ParserLimits(), 400)
    (first_size, (width, height)) = unsure.sizes
    assert first_size == (400, 400)
    assert width == height > 1.5 * 400  # enlarged towards 36-pixel words, not PP-OCR's turn
    assert second.pages == 0

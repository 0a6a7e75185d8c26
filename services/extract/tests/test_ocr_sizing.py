"""Small print read again enlarged: better readings kept, the pixel limit obeyed, boxes kept."""

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from docflow_events.v1 import Box, Page
from docflow_extract.backends.factory import parser_limits
from docflow_extract.backends.local.formats import DocumentFormat
from docflow_extract.backends.local.images import read_image
from docflow_extract.backends.local.layout import median_word_height
from docflow_extract.backends.local.limits import ParserLimits
from docflow_extract.backends.local.ocr import (
    OcrText,
    TesseractEngine,
    enlargement,
    recognize_sized,
)
from docflow_extract.backends.local.pdf import read_pdf
from docflow_extract.backends.local.reader import ReaderContext
from docflow_extract.settings import ExtractSettings

RECEIPT = [
    "TAX INVOICE 8821",
    "MAGNOLIA BAKERY SDN BHD",
    "DATE 12/01/2019 TIME 14:32",
    "SUBTOTAL 31.50",
    "ROUNDING 0.00",
    "TOTAL RM 33.90",
    "CASH 50.00 CHANGE 16.10",
    "THANK YOU PLEASE COME AGAIN",
]
WORDS = {word for line in RECEIPT for word in line.split()}
SMALL = 11  # pixels: letters about 8 pixels tall, as on a till receipt scanned at 150 dpi


class RecordingEngine(TesseractEngine):
    """Tesseract as used in production, remembering the size of every image it is handed."""

    def __init__(self) -> None:
        limits = ParserLimits()
        super().__init__(limits.tessdata_path, limits.ocr_language)
        self.sizes: list[tuple[int, int]] = []

    def recognize(self, image: Image.Image, ppi: int | None = None) -> OcrText:
        self.sizes.append(image.size)
        return super().recognize(image, ppi=ppi)


@pytest.fixture
def engine() -> Iterator[RecordingEngine]:
    recording = RecordingEngine()
    yield recording
    recording.close()


def _receipt(size: int = SMALL, mode: str = "L") -> Image.Image:
    font = ImageFont.load_default(size=size)
    step = round(size * 1.6)
    image = Image.new(mode, (size * 20, step * len(RECEIPT) + 2 * size), "white")
    draw = ImageDraw.Draw(image)
    for index, line in enumerate(RECEIPT):
        draw.text((size, size + index * step), line, fill="black", font=font)
    return image


def _drawn_box(word: str, image: Image.Image, size: int = SMALL) -> Box:
    """Where :func:`_receipt` drew ``word``, as shares of the page."""
    font = ImageFont.load_default(size=size)
    index, line = next((i, line) for i, line in enumerate(RECEIPT) if word in line.split())
    before = line[: line.split().index(word) and line.index(f" {word}") + 1]
    origin = (size + font.getlength(before), size + index * round(size * 1.6))
    left, top, right, bottom = font.getbbox(word)
    return Box(
        left=(origin[0] + left) / image.width,
        top=(origin[1] + top) / image.height,
        width=(right - left) / image.width,
        height=(bottom - top) / image.height,
    )


def _found(text: str) -> set[str]:
    """The receipt's words read right, those printed once only (so that each has one box)."""
    return {word for word in WORDS if text.split().count(word) == 1}


def _box(ocr: OcrText | Page, text: str) -> Box:
    return next(word.box for line in ocr.lines for word in line.words if word.text == text)


def test_small_print_is_read_better_enlarged(engine: RecordingEngine) -> None:
    image = _receipt()
    plain = engine.recognize(image)
    sized = recognize_sized(engine, image, ppi=None, limits=ParserLimits())
    assert _found(plain.text) < _found(sized.text)  # the plain reading misses words
    assert _found(sized.text) == WORDS
    assert sized.confidence > plain.confidence
    assert engine.sizes[1] == image.size
    assert engine.sizes[2][1] > 2 * image.height


def test_enlarged_words_keep_their_place_on_the_page(engine: RecordingEngine) -> None:
    image = _receipt()
    sized = recognize_sized(engine, image, ppi=None, limits=ParserLimits())
    assert len(engine.sizes) == 2  # read as it is, then enlarged
    assert len(_found(sized.text)) >= 10
    # Within a few pixels of this 220-pixel page; boxes in the enlarged image's pixels would
    # be off by the enlargement, 2 to 4 times.
    for text in _found(sized.text):
        read, drawn = _box(sized, text), _drawn_box(text, image)
        assert abs(read.left - drawn.left) < 0.03
        assert abs(read.top - drawn.top) < 0.03
        assert abs(read.width - drawn.width) < 0.03
        assert abs(read.height - drawn.height) < 0.03


def test_large_print_is_read_once(engine: RecordingEngine) -> None:
    sized = recognize_sized(engine, _receipt(size=48), ppi=None, limits=ParserLimits())
    assert len(engine.sizes) == 1
    assert _found(sized.text) == WORDS


def test_zero_text_height_turns_enlarging_off(engine: RecordingEngine) -> None:
    image = _receipt()
    sized = recognize_sized(engine, image, ppi=None, limits=ParserLimits(ocr_text_height=0))
    assert engine.sizes == [image.size]
    assert sized == engine.recognize(image)


def test_enlarging_stays_within_the_pixel_limit(engine: RecordingEngine) -> None:
    image = _receipt()
    most = 2 * image.width * image.height
    limits = ParserLimits(max_image_pixels=most)
    recognize_sized(engine, image, ppi=None, limits=limits)
    (_, (width, height)) = engine.sizes
    assert width * height <= most
    assert width > 1.3 * image.width  # enlarged all the same, as far as the limit allows


def test_no_room_under_the_pixel_limit_means_no_second_reading(engine: RecordingEngine) -> None:
    image = _receipt()
    limits = ParserLimits(max_image_pixels=image.width * image.height)
    first = engine.recognize(image)
    assert enlargement(first, image, ParserLimits()) is not None
    assert enlargement(first, image, limits) is None


def test_a_page_without_words_has_no_text_height() -> None:
    assert median_word_height([], 1000) is None


def test_a_palette_image_is_enlarged_in_grayscale(engine: RecordingEngine) -> None:
    image = _receipt(mode="RGB").convert("P")
    content = io.BytesIO()
    image.save(content, format="PNG")
    context = ReaderContext(limits=ParserLimits(), ocr=engine)
    (page,) = read_image(content.getvalue(), DocumentFormat.PNG, context).pages
    assert _found(page.text) == WORDS
    assert len(engine.sizes) == 2


def test_a_scanned_pdf_page_with_small_print_is_rendered_again_larger(
    engine: RecordingEngine, tmp_path: Path
) -> None:
    # Scanned at 300 dpi; rendered for OCR at 100 dpi, where the print is too small to read.
    scan = tmp_path / "scan.pdf"
    _receipt(size=36).save(scan, format="PDF", resolution=300)
    context = ReaderContext(limits=ParserLimits(ocr_dpi=100), ocr=engine)
    (page,) = read_pdf(scan.read_bytes(), context).pages
    assert page.method == "ocr"
    assert _found(page.text) == WORDS
    (first, second) = engine.sizes
    assert second[1] > 2 * first[1]
    plain = ReaderContext(limits=ParserLimits(ocr_dpi=100, ocr_text_height=0), ocr=engine)
    (unsized,) = read_pdf(scan.read_bytes(), plain).pages
    assert _found(unsized.text) <= _found(page.text)


def test_the_text_height_setting_reaches_the_parser_limits() -> None:
    assert parser_limits(ExtractSettings(extract_ocr_text_height=0)).ocr_text_height == 0
    assert parser_limits(ExtractSettings()).ocr_text_height == ParserLimits().ocr_text_height

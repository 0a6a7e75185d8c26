"""The PP-OCR engine (rapidocr): reads a receipt with boxes in reading order, is chosen by the
setting, loads once, and meets hostile pages as Tesseract does."""

import io
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from numpy.typing import NDArray
from PIL import Image, ImageDraw, ImageFont
from pydantic import ValidationError

from docflow_events.v1 import Box, Line
from docflow_extract.backends.base import ExtractionRequest
from docflow_extract.backends.errors import (
    BackendUnavailableError,
    DocumentRejectedError,
    ExtractionFailedError,
)
from docflow_extract.backends.factory import check_ocr_engine, parser_limits
from docflow_extract.backends.local import rapidocr_engine
from docflow_extract.backends.local.backend import LocalBackend
from docflow_extract.backends.local.child import ocr_engine
from docflow_extract.backends.local.formats import DocumentFormat
from docflow_extract.backends.local.images import read_image
from docflow_extract.backends.local.limits import DEFAULT_MEMORY_MIB, ParserLimits
from docflow_extract.backends.local.ocr import TesseractEngine, recognize_sized
from docflow_extract.backends.local.rapidocr_engine import RapidOcrEngine
from docflow_extract.backends.local.reader import ReaderContext
from docflow_extract.settings import ExtractSettings

RECEIPT = [
    "MAGNOLIA BAKERY SDN BHD",
    "TAX INVOICE 8821",
    "DATE 12/01/2019",
    "TOTAL RM 33.90",
    "THANK YOU",
]
SIZE = 28
STEP = 48
MARGIN = 30
RIGHT = "16.10"  # printed at the right end of the last row, beside "CHANGE"
# PP-OCR's recogniser (trained on Chinese and Latin print) often leaves out the spaces
# between Latin words: what it reads is compared without them.
SQUEEZED = [line.replace(" ", "") for line in RECEIPT]


def _receipt() -> Image.Image:
    font = ImageFont.load_default(size=SIZE)
    image = Image.new("RGB", (620, MARGIN * 2 + STEP * (len(RECEIPT) + 1)), "white")
    draw = ImageDraw.Draw(image)
    for index, line in enumerate(RECEIPT):
        draw.text((MARGIN, MARGIN + index * STEP), line, fill="black", font=font)
    # Two columns on one row, the right one a few pixels higher, as on a photographed till
    # receipt: read as one row, left before right.
    last = MARGIN + len(RECEIPT) * STEP
    draw.text((MARGIN, last), "CHANGE", fill="black", font=font)
    draw.text((470, last - 4), RIGHT, fill="black", font=font)
    return image


def _png(image: Image.Image) -> bytes:
    content = io.BytesIO()
    image.save(content, format="PNG")
    return content.getvalue()


@pytest.fixture(scope="module")
def engine() -> Iterator[RapidOcrEngine]:
    reading = RapidOcrEngine()  # the models load once for the whole module
    yield reading
    reading.close()


def _inside(box: Box) -> bool:
    return (
        0 <= box.left <= box.left + box.width <= 1.0001
        and 0 <= box.top <= box.top + box.height <= 1.0001
    )


def _line_with(lines: list[Line], start: str) -> Line:
    return next(line for line in lines if line.text.startswith(start))


def _rows(text: str) -> list[str]:
    return [row.replace(" ", "") for row in text.splitlines()]


def test_a_receipt_is_read_line_by_line_in_reading_order(engine: RapidOcrEngine) -> None:
    ocr = engine.recognize(_receipt())
    rows = ocr.text.splitlines()
    assert _rows(ocr.text)[: len(RECEIPT)] == SQUEEZED
    assert rows[-1] == f"CHANGE {RIGHT}"  # a row's lines joined by a space
    tops = [line.box.top for line in ocr.lines if line.box is not None]
    assert len(tops) == len(ocr.lines) == len(RECEIPT) + 1
    assert tops == sorted(tops)
    # The right column starts higher but is read as part of its row's line, after the left.
    change = ocr.lines[-1]
    assert change.text == f"CHANGE {RIGHT}"
    assert [word.text for word in change.words] == ["CHANGE", RIGHT]
    assert change.words[1].box.top < change.words[0].box.top
    assert change.box is not None
    assert change.box.top == change.words[1].box.top


def test_lines_have_boxes_on_the_page_where_they_were_printed(engine: RapidOcrEngine) -> None:
    image = _receipt()
    ocr = engine.recognize(image)
    for line in ocr.lines:
        assert line.box is not None
        assert _inside(line.box)
        assert line.box.height * image.height < 2 * SIZE
    date = _line_with(ocr.lines, "DATE").box
    assert date is not None
    assert abs(date.top * image.height - (MARGIN + 2 * STEP)) < SIZE / 2
    assert abs(date.left * image.width - MARGIN) < SIZE / 2


def test_words_are_boxed_by_their_share_of_the_line() -> None:
    # A line PP-OCR read whole, 140 pixels wide on a 1000 by 500 page: 14 characters.
    segment = rapidocr_engine._Segment("TOTAL RM 33.90", 0.9, 100, 200, 240, 220)
    line = rapidocr_engine._row_line([segment], 1000, 500)
    assert [word.text for word in line.words] == ["TOTAL", "RM", "33.90"]
    assert [round(w.box.left * 1000) for w in line.words] == [100, 160, 190]
    assert [round(w.box.width * 1000) for w in line.words] == [50, 20, 50]
    assert line.box == Box(left=0.1, top=0.4, width=0.14, height=0.04)
    for word in line.words:
        assert (word.box.top, word.box.height) == (0.4, 0.04)
        assert word.confidence == line.confidence == 0.9


def test_a_row_read_as_two_lines_is_one_line_with_both_words() -> None:
    label = rapidocr_engine._Segment("TOTAL", 0.8, 100, 204, 150, 224)
    amount = rapidocr_engine._Segment("33.90", 0.6, 400, 200, 450, 220)
    line = rapidocr_engine._row_line([label, amount], 1000, 500)
    assert line.text == "TOTAL 33.90"
    assert line.box == Box(left=0.1, top=0.4, width=0.35, height=0.048)
    assert [(w.text, w.confidence) for w in line.words] == [("TOTAL", 0.8), ("33.90", 0.6)]
    assert line.confidence == 0.7


def test_read_words_stay_within_their_line(engine: RapidOcrEngine) -> None:
    for line in engine.recognize(_receipt()).lines:
        assert line.box is not None
        assert "".join(word.text for word in line.words) == line.text.replace(" ", "")
        for word in line.words:
            assert line.box.left <= word.box.left
            assert word.box.left + word.box.width <= line.box.left + line.box.width + 0.0001


def test_confidences_are_in_range(engine: RapidOcrEngine) -> None:
    ocr = engine.recognize(_receipt())
    assert 50 < ocr.confidence <= 100  # clear print
    scores = [line.confidence for line in ocr.lines]
    assert all(score is not None and 0 < score <= 1 for score in scores)
    assert ocr.confidence == pytest.approx(100 * sum(s or 0 for s in scores) / len(scores), 0.01)


def test_grayscale_and_palette_pages_read_like_colour(engine: RapidOcrEngine) -> None:
    colour = engine.recognize(_receipt()).text
    assert engine.recognize(_receipt().convert("L")).text == colour
    assert _rows(engine.recognize(_receipt().convert("P")).text)[:2] == SQUEEZED[:2]


def test_small_print_is_not_read_twice(engine: RapidOcrEngine) -> None:
    # PP-OCR sizes pages itself: the enlarged second reading is Tesseract's alone.
    small = _receipt().resize((310, 165))
    limits = ParserLimits(ocr_engine="rapidocr")
    assert recognize_sized(engine, small, ppi=None, limits=limits) == engine.recognize(small)


def test_a_large_page_is_read_shrunk_with_boxes_on_the_original(engine: RapidOcrEngine) -> None:
    image = _receipt()
    large = image.resize((image.width * 5, image.height * 5))  # 3100 pixels wide
    ocr = engine.recognize(large)
    assert _rows(ocr.text)[:2] == SQUEEZED[:2]
    small, big = _line_with(engine.recognize(image).lines, "DATE"), _line_with(ocr.lines, "DATE")
    assert small.box is not None
    assert big.box is not None
    assert abs(small.box.top - big.box.top) < 0.02
    assert abs(small.box.left - big.box.left) < 0.02


def test_a_blank_page_has_no_text(engine: RapidOcrEngine) -> None:
    ocr = engine.recognize(Image.new("L", (1200, 1600), "white"))
    assert (ocr.text, ocr.confidence, ocr.lines) == ("", 0.0, [])


@pytest.mark.parametrize("size", [(1, 1), (20000, 4), (4, 20000)])
def test_a_sliver_of_a_page_reads_as_empty(engine: RapidOcrEngine, size: tuple[int, int]) -> None:
    # Unpadded, the 20000 by 4 strip would be scaled to gigabytes before the detector.
    ocr = engine.recognize(Image.new("L", size, "black"))
    assert ocr.text == ""
    assert ocr.lines == []


def test_a_strip_of_print_is_read_within_its_page(engine: RapidOcrEngine) -> None:
    strip = Image.new("L", (1800, 60), "white")
    ImageDraw.Draw(strip).text((20, 12), "TOTAL RM 33.90", fill="black", font=_font())
    (line,) = engine.recognize(strip).lines
    assert line.text.replace(" ", "") == "TOTALRM33.90"
    assert line.box is not None
    assert _inside(line.box)
    assert line.box.height > 0.3  # a share of the 60-pixel page, not of the padded one


def _font() -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size=SIZE)


def test_an_oversized_image_is_refused_before_ocr(engine: RapidOcrEngine) -> None:
    limits = ParserLimits(ocr_engine="rapidocr", max_image_pixels=1_000_000)
    context = ReaderContext(limits=limits, ocr=engine)
    content = _png(Image.new("L", (1200, 1000), "white"))
    with pytest.raises(DocumentRejectedError, match="more than the limit of 1000000"):
        read_image(content, DocumentFormat.PNG, context)


def test_an_image_is_read_through_the_reader(engine: RapidOcrEngine) -> None:
    context = ReaderContext(limits=ParserLimits(ocr_engine="rapidocr"), ocr=engine)
    (page,) = read_image(_png(_receipt()), DocumentFormat.PNG, context).pages
    assert page.method == "ocr"
    assert _rows(page.text)[: len(RECEIPT)] == SQUEEZED
    assert page.ocr_confidence is not None
    assert page.ocr_confidence > 50


def test_the_models_load_once_on_the_first_page(monkeypatch: pytest.MonkeyPatch) -> None:
    loads: list[int] = []
    real = rapidocr_engine._Rapidocr.__init__

    def counting(self: rapidocr_engine._Rapidocr) -> None:
        loads.append(1)
        real(self)

    monkeypatch.setattr(rapidocr_engine._Rapidocr, "__init__", counting)
    reading = RapidOcrEngine()
    assert loads == []  # created with the child, loaded when it reads
    page = Image.new("L", (200, 100), "white")
    reading.recognize(page)
    reading.recognize(page)
    assert loads == [1]


def test_a_missing_package_is_a_clear_failure(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "rapidocr_onnxruntime", None)  # import raises ImportError
    with pytest.raises(ExtractionFailedError, match="install rapidocr-onnxruntime"):
        RapidOcrEngine().recognize(Image.new("L", (200, 100), "white"))


def test_an_unexpected_answer_is_a_clear_failure() -> None:
    with pytest.raises(ExtractionFailedError, match="unexpected shape"):
        rapidocr_engine._segments([["not a box", "text", "high"]])


def test_the_setting_chooses_the_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    assert parser_limits(ExtractSettings()).ocr_engine == "auto"
    monkeypatch.setenv("DOCFLOW_EXTRACT_OCR_ENGINE", "tesseract")
    assert isinstance(ocr_engine(parser_limits(ExtractSettings())), TesseractEngine)
    monkeypatch.setenv("DOCFLOW_EXTRACT_OCR_ENGINE", "rapidocr")
    limits = parser_limits(ExtractSettings())
    assert limits.ocr_engine == "rapidocr"
    assert isinstance(ocr_engine(limits), RapidOcrEngine)
    monkeypatch.setenv("DOCFLOW_EXTRACT_OCR_ENGINE", "easyocr")
    with pytest.raises(ValidationError):
        ExtractSettings()


def test_the_memory_limit_follows_the_engine_unless_set() -> None:
    assert parser_limits(ExtractSettings()).address_space_mib == DEFAULT_MEMORY_MIB["auto"]
    tesseract = parser_limits(ExtractSettings(extract_ocr_engine="tesseract"))
    assert tesseract.address_space_mib == DEFAULT_MEMORY_MIB["tesseract"] == 1536
    rapid = parser_limits(ExtractSettings(extract_ocr_engine="rapidocr"))
    assert rapid.address_space_mib == DEFAULT_MEMORY_MIB["rapidocr"] > 1536
    chosen = ExtractSettings(extract_ocr_engine="rapidocr", extract_memory_mib=1024)
    assert parser_limits(chosen).address_space_mib == 1024


def test_rapidocr_needs_no_tesseract_data(tmp_path: Path) -> None:
    check_ocr_engine(ParserLimits(ocr_engine="rapidocr", tessdata_path=tmp_path))
    with pytest.raises(BackendUnavailableError, match=r"eng\.traineddata is missing"):
        check_ocr_engine(ParserLimits(ocr_engine="tesseract", tessdata_path=tmp_path))


def test_a_missing_package_fails_at_start(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "rapidocr_onnxruntime", None)
    with pytest.raises(BackendUnavailableError, match="needs the rapidocr-onnxruntime package"):
        check_ocr_engine(ParserLimits(ocr_engine="rapidocr"))


def test_a_child_reads_a_receipt_within_its_memory_limit() -> None:
    backend = LocalBackend(ParserLimits(ocr_engine="rapidocr"), pool_size=1, timeout_seconds=120)
    try:
        request = ExtractionRequest(
            document_id="receipt", media_type="image/png", content=_png(_receipt())
        )
        (page,) = backend.extract(request).pages
        assert _rows(page.text)[: len(RECEIPT)] == SQUEEZED
        assert all(line.box is not None for line in page.lines)
    finally:
        backend.close()


def _placed(text: str, left: float, pitch: float, gaps: dict[int, float]) -> list[object]:
    """rapidocr's answer (with word boxes) for one line: each character ``pitch`` wide, and
    ``gaps[i]`` more pixels before character ``i``."""
    boxes, x = [], left
    for index in range(len(text)):
        x += gaps.get(index, 0.0)
        boxes.append([[x, 10], [x + pitch, 10], [x + pitch, 30], [x, 30]])
        x += pitch
    quad = [[left, 10], [x, 10], [x, 30], [left, 30]]
    return [quad, text, 0.9, boxes, list(text), [0.9] * len(text)]


def test_a_space_goes_back_where_characters_stand_apart() -> None:
    # "201714:03" as the recogniser writes a date and its time: the gaps after "Date:" and
    # before "14" are one and three characters wide, those inside words a fifth of one.
    answer = [_placed("Date:22/12/201714:03", 100, 10, {5: 10, 10: 2, 15: 30, 17: 2})]
    (segment,) = rapidocr_engine._segments(answer)
    assert segment.text == "Date: 22/12/2017 14:03"
    line = rapidocr_engine._row_line([segment], 1000, 500)
    assert [word.text for word in line.words] == ["Date:", "22/12/2017", "14:03"]
    # Measured: each word spans its characters (the estimate says 100, 167 and 289).
    assert [round(w.box.left * 1000) for w in line.words] == [100, 160, 292]
    assert [round(w.box.width * 1000) for w in line.words] == [50, 102, 52]


def test_an_even_line_and_an_upright_one_stay_as_read() -> None:
    even = _placed("SDNBHD", 100, 10, {})
    upright = [[[0, 0], [20, 0], [20, 200], [0, 200]], "AB CD", 0.9, [], [], []]
    assert [s.text for s in rapidocr_engine._segments([even, upright])] == ["SDNBHD", "AB CD"]


def test_words_printed_close_together_are_read_apart_with_their_boxes(
    engine: RapidOcrEngine,
) -> None:
    font = ImageFont.load_default(size=40)
    image = Image.new("RGB", (600, 120), "white")
    draw = ImageDraw.Draw(image)
    draw.text((30, 30), "TOTAL", fill="black", font=font)
    start = 30 + draw.textlength("TOTAL", font=font) + 8  # a narrow gap: no full space
    draw.text((start, 30), "2019", fill="black", font=font)
    (line,) = engine.recognize(image).lines
    assert line.text == "TOTAL 2019"
    total, year = (word.box for word in line.words)
    assert total.left * 600 < 40
    assert (total.left + total.width) * 600 < start
    assert abs(year.left * 600 - start) < 8
    end = start + draw.textlength("2019", font=font)
    assert abs((year.left + year.width) * 600 - end) < 10


def _inked(spans: list[tuple[int, int]], width: int = 400) -> NDArray[np.uint8]:
    """A white page with black ink over the columns of ``spans`` (end exclusive), on the rows
    :func:`_placed` gives its characters (10 to 30)."""
    page = np.full((60, width), 255, dtype=np.uint8)
    for start, end in spans:
        page[10:30, start:end] = 0
    return page


def test_a_space_the_pixels_show_goes_back_where_the_centres_hide_it() -> None:
    # Proportional print: the recogniser's centres stand 1.4 pitches apart across the space,
    # as they may inside words; the ink stands 8 pixels apart there (0.4 of the print's
    # height), 2 elsewhere.
    answer = [_placed("SOONHUAT", 100, 14, {4: 6})]
    spans = [(101 + 14 * i + 6 * (i >= 4), 113 + 14 * i + 6 * (i >= 4)) for i in range(8)]
    (squeezed,) = rapidocr_engine._segments(answer)
    (spaced,) = rapidocr_engine._segments(answer, _inked(spans))
    assert (squeezed.text, spaced.text) == ("SOONHUAT", "SOON HUAT")
    line = rapidocr_engine._row_line([spaced], 1000, 500)
    assert [word.text for word in line.words] == ["SOON", "HUAT"]


def test_a_narrow_characters_margin_is_no_space() -> None:
    # Fixed-pitch print: the I's ink is one pixel wide in its 14-pixel cell, 8 pixels from the
    # T's; the recogniser's centres jitter 1.2 pitches apart there, but the ink keeps the pitch.
    answer = [_placed("ITEM", 100, 14, {1: 3})]
    spans = [(106, 107), (115, 127), (129, 141), (143, 155)]
    (segment,) = rapidocr_engine._segments(answer, _inked(spans))
    assert segment.text == "ITEM"


@pytest.mark.parametrize(
    ("text", "after", "narrow", "parted"),
    [
        ("17.00", 1, 0, "1A.00"),  # a narrow digit in a number: tabular figures keep its cell
        ("TOTAL:", 5, 5, "TOTALA"),  # nor does print set a space before a colon
    ],
)
def test_numbers_and_closing_punctuation_are_not_parted_by_their_margins(
    text: str, after: int, narrow: int, parted: str
) -> None:
    # The character at ``after`` and those following stand 5 pixels further on, and the ink
    # of the one at ``narrow`` is 2 pixels wide: a 12-pixel gap, 1.4 pitches between centres.
    def read(characters: str) -> str:
        answer = [_placed(characters, 100, 14, {after: 5})]
        cells = [100 + 14 * i + 5 * (i >= after) for i in range(len(characters))]
        spans = [
            (cell + 6, cell + 8) if i == narrow else (cell + 1, cell + 13)
            for i, cell in enumerate(cells)
        ]
        (segment,) = rapidocr_engine._segments(answer, _inked(spans))
        return segment.text

    assert read(text) == text
    assert read(parted) == f"{parted[:after]} {parted[after:]}"  # a letter there is parted


def test_proportional_print_is_read_with_its_spaces(engine: RapidOcrEngine) -> None:
    # The recogniser reads this line, at this size, without a single space.
    name = "SOON HUAT MACHINERY ENTERPRISE"
    font = ImageFont.load_default(size=28)
    width = round(ImageDraw.Draw(Image.new("RGB", (1, 1))).textlength(name, font=font)) + 60
    image = Image.new("RGB", (width, 84), "white")
    ImageDraw.Draw(image).text((30, 28), name, fill="black", font=font)
    (line,) = engine.recognize(image).lines
    assert line.text == name
    assert [word.text for word in line.words] == name.split()

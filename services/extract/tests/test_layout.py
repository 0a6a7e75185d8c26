"""Lines and words with boxes: from a PDF's text layer and from Tesseract, in one frame."""

import io
import re
from pathlib import Path

import pypdfium2 as pdfium  # type: ignore[import-untyped]
import pytest

from docflow_events.v1 import Box, ExtractionResult, Line, Page, Word
from docflow_extract.backends.base import ExtractionRequest
from docflow_extract.backends.local.backend import LocalBackend
from docflow_extract.backends.local.layout import box_of, limit_words, text_layer_lines

INVOICE_NUMBER = "42183017"  # printed once, in the header of the AWS sample invoice


def _extract(backend: LocalBackend, content: bytes, media_type: str) -> ExtractionResult:
    return backend.extract(
        ExtractionRequest(document_id="doc-1", media_type=media_type, content=content)
    )


def _rendered(source: Path, dpi: int = 200) -> bytes:
    image = pdfium.PdfDocument(source)[0].render(scale=dpi / 72, grayscale=True).to_pil()
    out = io.BytesIO()
    image.save(out, format="PNG", dpi=(dpi, dpi))
    return out.getvalue()


def _word(page: Page, text: str) -> Word:
    return next(word for line in page.lines for word in line.words if text in word.text)


def _inside(inner: Box, outer: Box, slack: float = 0.002) -> bool:
    return (
        inner.left >= outer.left - slack
        and inner.top >= outer.top - slack
        and inner.left + inner.width <= outer.left + outer.width + slack
        and inner.top + inner.height <= outer.top + outer.height + slack
    )


def test_text_layer_lines_hold_their_words_inside_their_boxes(
    backend: LocalBackend, samples: Path
) -> None:
    source = samples / "invoices" / "AmazonWebServices.pdf"
    (page, *_) = _extract(backend, source.read_bytes(), "application/pdf").pages
    assert page.method == "text_layer"
    assert len(page.lines) > 10
    for line in page.lines:
        assert line.box is not None
        assert line.words
        assert line.text == " ".join(word.text for word in line.words)
        assert all(_inside(word.box, line.box) for word in line.words)
    assert INVOICE_NUMBER in " ".join(line.text for line in page.lines)


def _char_by_char(textpage: pdfium.PdfTextPage, width: float, height: float) -> list[Word]:
    """Each whitespace-separated word boxed the slow way: the union of every one of its
    characters' own tight boxes, those without area left out."""
    words = []
    for match in re.finditer(r"\S+", textpage.get_text_range()):
        boxes = [textpage.get_charbox(index) for index in range(*match.span())]
        boxes = [(lft, bot, rgt, top) for lft, bot, rgt, top in boxes if rgt > lft and top > bot]
        if boxes:
            extent = (
                min(box[0] for box in boxes),
                height - max(box[3] for box in boxes),
                max(box[2] for box in boxes),
                height - min(box[1] for box in boxes),
            )
            words.append(Word(text=match.group(), box=box_of(extent, width, height)))
    return words


# The NDA draws every character as a text object of its own, so that pdfium's rectangles for
# a word are its characters' boxes, to be united; the invoice draws a text object a word or more.
@pytest.mark.parametrize(
    "name", ["invoices/AmazonWebServices.pdf", "kleister-nda/031470434423a8c40105a4b404ced88b.pdf"]
)
def test_text_layer_words_are_boxed_by_the_union_of_their_characters(
    samples: Path, name: str
) -> None:
    pdf = pdfium.PdfDocument(samples / name)
    page = pdf[0]
    textpage = page.get_textpage()
    width, height = page.get_size()
    found = [word for line in text_layer_lines(textpage, width, height) for word in line.words]
    assert found == _char_by_char(textpage, width, height)
    pdf.close()


@pytest.mark.parametrize(
    "name", ["invoices/AmazonWebServices.pdf", "kleister-nda/031470434423a8c40105a4b404ced88b.pdf"]
)
def test_without_words_each_line_is_boxed_as_its_words_together(samples: Path, name: str) -> None:
    pdf = pdfium.PdfDocument(samples / name)
    page = pdf[0]
    textpage = page.get_textpage()
    width, height = page.get_size()
    with_words = text_layer_lines(textpage, width, height)
    lines = text_layer_lines(textpage, width, height, words=False)
    pdf.close()
    assert [line.text for line in lines] == [line.text for line in with_words]
    assert all(not line.words for line in lines)
    for alone, worded in zip(lines, with_words, strict=True):
        assert alone.box is not None
        assert worded.box is not None
        # Spaces between words may have area of their own: the box is at least the words'.
        assert _inside(worded.box, alone.box)
        assert alone.box.height <= worded.box.height + 0.002


def test_ocr_finds_a_word_where_the_text_layer_puts_it(
    backend: LocalBackend, samples: Path
) -> None:
    source = samples / "invoices" / "AmazonWebServices.pdf"
    (layer, *_) = _extract(backend, source.read_bytes(), "application/pdf").pages
    (scan,) = _extract(backend, _rendered(source), "image/png").pages
    assert scan.method == "ocr"
    printed, read = _word(layer, INVOICE_NUMBER).box, _word(scan, INVOICE_NUMBER).box
    # The same page in two units (points from the bottom, pixels from the top): one place.
    assert abs(printed.left - read.left) < 0.01
    assert abs(printed.top - read.top) < 0.01
    assert all(0 < (line.confidence or 0) <= 1 for line in scan.lines)


def test_box_of_converts_and_clips_to_the_page() -> None:
    inside = box_of((50, 100, 150, 120), 200, 400)
    assert inside == Box(left=0.25, top=0.25, width=0.5, height=0.05)
    overhanging = box_of((-5, 390, 250, 420), 200, 400)
    assert overhanging == Box(left=0.0, top=0.975, width=1.0, height=0.025)


def _page(number: int, words: int) -> Page:
    box = Box(left=0.1, top=0.1, width=0.1, height=0.1)
    line = Line(text="w", box=box, words=[Word(text="w", box=box)] * words)
    return Page(number=number, text="w", method="ocr", lines=[line])


def test_words_beyond_the_limit_are_dropped_from_that_page_on_and_said() -> None:
    pages, warnings = limit_words([_page(1, 3), _page(2, 3), _page(3, 1)], max_words=4)
    assert [len(page.lines[0].words) for page in pages] == [3, 0, 0]
    assert all(page.lines[0].box is not None for page in pages)
    assert warnings == ["word boxes kept on the first 3 words only: from page 2"]
    assert limit_words([_page(1, 3)], max_words=3) == ([_page(1, 3)], [])

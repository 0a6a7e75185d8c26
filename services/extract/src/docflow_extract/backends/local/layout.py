"""Where the words stand: lines and words with boxes, from a PDF's text layer or from Tesseract.

Boxes are shares of the page measured from its top-left corner (:class:`Box`), whatever the
source's units: PDF points from the bottom-left, or image pixels from the top-left. Enrichment
reads position as a feature (a receipt's issuer is at the top, its total near the bottom) and a
reviewer sees where a value was found.
"""

import ctypes
import math
import re
import statistics
from collections.abc import Iterable

import pypdfium2 as pdfium  # type: ignore[import-untyped]
import tesserocr  # type: ignore[import-untyped]

from docflow_events.v1 import Box, Line, Page, Word
from docflow_extract.backends.local import pdfium_calls as calls

_DIGITS = 4
# pdfium ends a line with "\r\n"; a word is what whitespace separates, as in the page's text.
_LINE_TEXT = re.compile(r"[^\r\n]+")
_WORD_TEXT = re.compile(r"\S+")
_MIN_MEASURED_CHARS = 2


def box_of(extent: Iterable[float], width: float, height: float) -> Box:
    """A box from (left, top, right, bottom) in units where the page is ``width`` x ``height``
    with its origin top-left; clipped to the page."""
    left, top, right, bottom = extent
    left, right = _clip(left, width), _clip(right, width)
    top, bottom = _clip(top, height), _clip(bottom, height)
    return Box(
        left=round(left / width, _DIGITS),
        top=round(top / height, _DIGITS),
        width=round(max(right - left, 0.0) / width, _DIGITS),
        height=round(max(bottom - top, 0.0) / height, _DIGITS),
    )


def _clip(value: float, limit: float) -> float:
    """``value`` within 0 and ``limit``; 0 for NaN. A page has hundreds of words: plain
    comparisons here cost half of what ``min(max(...))`` does."""
    if 0.0 < value < limit:
        return value
    return limit if value >= limit else 0.0


def text_layer_lines(
    textpage: pdfium.PdfTextPage, width: float, height: float, *, words: bool = True
) -> list[Line]:
    """The lines of a pypdfium2 text page, split where pdfium breaks lines, and their words,
    split at whitespace as the page's text is, each boxed by the union of its characters'
    tight boxes. Characters without area add nothing to a box, and a word made only of them
    is left out. Without ``words``, each line is boxed whole and holds none: a third of the
    time, as building hundreds of word boxes a page costs more than reading its text."""
    count: int = textpage.count_chars()
    text: str = textpage.get_text_range(0, count)
    if len(text) != count or width <= 0 or height <= 0:
        return []  # pdfium gave text it did not count char by char: no reliable positions
    ranges = _CharRanges(calls.handle(textpage), height)
    if not words:
        return _boxed_lines(text, ranges, width, height)
    lines: list[Line] = []
    for line in _LINE_TEXT.finditer(text):
        boxed = [
            Word(text=word.group(), box=box_of(extent, width, height))
            for word in _WORD_TEXT.finditer(text, line.start(), line.end())
            if (extent := ranges.extent(word.start(), word.end())) is not None
        ]
        _close_line(boxed, lines, None)
    return lines


def _boxed_lines(text: str, ranges: "_CharRanges", width: float, height: float) -> list[Line]:
    lines = []
    for line in _LINE_TEXT.finditer(text):
        extent = ranges.extent(line.start(), line.end())
        spoken = " ".join(_WORD_TEXT.findall(line.group()))
        if extent is not None and spoken:
            lines.append(Line(text=spoken, box=box_of(extent, width, height)))
    return lines


class _CharRanges:
    """Where runs of a text page's characters stand. pdfium unites a word's character boxes
    itself (FPDFText_CountRects: one rectangle per text object the word crosses), so most words
    cost two calls: a call and Python work for every character made the boxes cost several
    times what reading the page's text does."""

    def __init__(self, handle: int, height: float) -> None:
        self._handle = handle
        self._height = height
        self._sides = (ctypes.c_double(), ctypes.c_double(), ctypes.c_double(), ctypes.c_double())

    def extent(self, start: int, stop: int) -> tuple[float, float, float, float] | None:
        """The union of characters ``start`` to ``stop`` as (left, top, right, bottom) from the
        page's top-left, None when none of them has an area."""
        handle, (left, top, right, bottom) = self._handle, self._sides
        # Comparisons, not min() and max(), which cost a fifth more here: some PDFs draw each
        # character as a text object of its own, and this loop then runs once per character.
        low_x = low_y = math.inf
        high_x = high_y = -math.inf
        for index in range(calls.text_count_rects(handle, start, stop - start)):
            calls.text_rect(handle, index, left, top, right, bottom)
            x0, y1, x1, y0 = left.value, top.value, right.value, bottom.value
            if not (x1 > x0 and y1 > y0):
                continue  # no area (or NaN): as a character without area
            low_x = x0 if x0 < low_x else low_x
            low_y = y0 if y0 < low_y else low_y
            high_x = x1 if x1 > high_x else high_x
            high_y = y1 if y1 > high_y else high_y
        if high_x == -math.inf:
            return None
        return (low_x, self._height - high_y, high_x, self._height - low_y)


def _close_line(words: list[Word], lines: list[Line], confidence: float | None) -> None:
    if not words:
        return
    extent = (
        min(w.box.left for w in words),
        min(w.box.top for w in words),
        max(w.box.left + w.box.width for w in words),
        max(w.box.top + w.box.height for w in words),
    )
    lines.append(
        Line(
            text=" ".join(w.text for w in words),
            confidence=confidence,
            box=box_of(extent, 1.0, 1.0),
            words=list(words),
        )
    )


def ocr_lines(api: tesserocr.PyTessBaseAPI, width: int, height: int) -> list[Line]:
    """The lines Tesseract recognised on the image it just read, with its words' boxes (pixels)
    and confidences; a line's confidence is the mean of its words'."""
    iterator = api.GetIterator()
    if iterator is None or width <= 0 or height <= 0:
        return []
    lines: list[Line] = []
    words: list[Word] = []
    for item in tesserocr.iterate_level(iterator, tesserocr.RIL.WORD):
        if item.IsAtBeginningOf(tesserocr.RIL.TEXTLINE) and words:
            _close_line(words, lines, _mean_confidence(words))
            words = []
        word = _ocr_word(item, width, height)
        if word is not None:
            words.append(word)
    _close_line(words, lines, _mean_confidence(words))
    return lines


def _ocr_word(item: tesserocr.PyResultIterator, width: int, height: int) -> Word | None:
    try:
        text = (item.GetUTF8Text(tesserocr.RIL.WORD) or "").strip()
    except RuntimeError:
        return None  # an empty region: tesserocr raises rather than give no text
    extent = item.BoundingBox(tesserocr.RIL.WORD)
    if not text or extent is None:
        return None
    confidence = min(max(item.Confidence(tesserocr.RIL.WORD), 0.0), 100.0) / 100
    return Word(text=text, box=box_of(extent, width, height), confidence=round(confidence, 3))


def _mean_confidence(words: list[Word]) -> float | None:
    known = [w.confidence for w in words if w.confidence is not None]
    return round(sum(known) / len(known), 3) if known else None


def median_word_height(lines: Iterable[Line], page_height: int) -> float | None:
    """The median height in pixels of the words with at least two letters or digits, on a page
    ``page_height`` pixels tall; None without such words. Stray punctuation and the specks
    Tesseract reads as ``.`` or ``'`` are small whatever the print, so they are left out."""
    heights = [
        word.box.height * page_height
        for line in lines
        for word in line.words
        if sum(map(str.isalnum, word.text)) >= _MIN_MEASURED_CHARS
    ]
    return statistics.median(heights) if heights else None


def limit_words(pages: list[Page], max_words: int) -> tuple[list[Page], list[str]]:
    """The pages with words kept on the first ``max_words`` only (lines keep their boxes), so
    that a huge document's result stays within what the next stages read."""
    kept = 0
    for index, page in enumerate(pages):
        count = sum(len(line.words) for line in page.lines)
        if kept + count > max_words:
            bare = [_without_words(later) for later in pages[index:]]
            warning = f"word boxes kept on the first {kept} words only: from page {page.number}"
            return [*pages[:index], *bare], [warning]
        kept += count
    return pages, []


def _without_words(page: Page) -> Page:
    return page.model_copy(
        update={"lines": [line.model_copy(update={"words": []}) for line in page.lines]}
    )

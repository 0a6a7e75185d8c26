"""Where the words stand: lines and words with boxes, from a PDF's text layer or from Tesseract.

Boxes are shares of the page measured from its top-left corner (:class:`Box`), whatever the
source's units: PDF points from the bottom-left, or image pixels from the top-left. Enrichment
reads position as a feature (a receipt's issuer is at the top, its total near the bottom) and a
reviewer sees where a value was found.
"""

import statistics
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import tesserocr  # type: ignore[import-untyped]

from docflow_events.v1 import Box, Line, Page, Word

_DIGITS = 4
_LINE_BREAKS = frozenset("\r\n")
_MIN_MEASURED_CHARS = 2


@dataclass
class _Span:
    """A word or line being gathered: its text and its extent in source units."""

    text: list[str] = field(default_factory=list)
    extent: list[float] | None = None  # left, top, right, bottom
    confidences: list[float] = field(default_factory=list)

    def add(self, text: str, extent: tuple[float, float, float, float]) -> None:
        self.text.append(text)
        if self.extent is None:
            self.extent = list(extent)
            return
        self.extent = [
            min(self.extent[0], extent[0]),
            min(self.extent[1], extent[1]),
            max(self.extent[2], extent[2]),
            max(self.extent[3], extent[3]),
        ]


def box_of(extent: Iterable[float], width: float, height: float) -> Box:
    """A box from (left, top, right, bottom) in units where the page is ``width`` x ``height``
    with its origin top-left; clipped to the page."""
    left, top, right, bottom = (max(0.0, value) for value in extent)
    left, right = min(left, width), min(right, width)
    top, bottom = min(top, height), min(bottom, height)
    return Box(
        left=round(left / width, _DIGITS),
        top=round(top / height, _DIGITS),
        width=round(max(right - left, 0.0) / width, _DIGITS),
        height=round(max(bottom - top, 0.0) / height, _DIGITS),
    )


def text_layer_lines(textpage: object, width: float, height: float) -> list[Line]:
    """The lines of a pypdfium2 text page, split where pdfium breaks lines, each word boxed by
    the union of its characters' boxes (PDF points, origin bottom-left)."""
    count: int = textpage.count_chars()  # type: ignore[attr-defined]
    text: str = textpage.get_text_range(0, count)  # type: ignore[attr-defined]
    if len(text) != count or width <= 0 or height <= 0:
        return []  # pdfium gave text it did not count char by char: no reliable positions
    charboxes = (textpage.get_charbox(index) for index in range(count))  # type: ignore[attr-defined]
    return _lines(_char_stream(text, charboxes, height), width, height)


def _char_stream(
    text: str, boxes: Iterator[tuple[float, float, float, float]], height: float
) -> Iterator[tuple[str, tuple[float, float, float, float] | None]]:
    for char, (left, bottom, right, top) in zip(text, boxes, strict=True):
        has_area = right > left and top > bottom
        yield char, (left, height - top, right, height - bottom) if has_area else None


def _lines(
    chars: Iterable[tuple[str, tuple[float, float, float, float] | None]],
    width: float,
    height: float,
) -> list[Line]:
    lines: list[Line] = []
    words: list[Word] = []
    word = _Span()
    for char, extent in chars:
        if char in _LINE_BREAKS or char.isspace():
            _close_word(word, words, width, height)
            word = _Span()
            if char in _LINE_BREAKS:
                _close_line(words, lines, None)
                words = []
            continue
        if extent is not None:
            word.add(char, extent)
    _close_word(word, words, width, height)
    _close_line(words, lines, None)
    return lines


def _close_word(word: _Span, words: list[Word], width: float, height: float) -> None:
    if word.text and word.extent is not None:
        words.append(Word(text="".join(word.text), box=box_of(word.extent, width, height)))


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

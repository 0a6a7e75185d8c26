"""A document's lines with where they stand: the layout the field scorer reads.

Extraction gives pages with lines, and (since results 1.3) each line's box and words, from OCR
and from PDF text layers. This module reads any such page through small protocols, so that
this package keeps to the standard library; a page without lines is read from its text, each
line's place in the reading order standing in for its height on the page.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from docflow_text.clean import clean


class BoxLike(Protocol):
    @property
    def left(self) -> float: ...
    @property
    def top(self) -> float: ...
    @property
    def width(self) -> float: ...
    @property
    def height(self) -> float: ...


class LineLike(Protocol):
    @property
    def text(self) -> str: ...
    @property
    def confidence(self) -> float | None: ...
    @property
    def box(self) -> BoxLike | None: ...


class PageLike(Protocol):
    @property
    def text(self) -> str: ...
    @property
    def lines(self) -> Sequence[LineLike]: ...


@dataclass(frozen=True)
class TextLine:
    """One non-empty line of a document, cleaned, and where it stands.

    ``top`` runs from 0 (top of the first page) to 1 (bottom of the last); ``left``,
    ``width`` and ``height`` are shares of the page, 0 when no box is known.
    """

    text: str
    index: int
    top: float
    left: float = 0.0
    width: float = 0.0
    height: float = 0.0
    confidence: float = 1.0

    @property
    def has_box(self) -> bool:
        return self.height > 0.0


def document_lines(pages: Sequence[PageLike]) -> list[TextLine]:
    """Every non-empty line of ``pages`` in reading order, placed on the document."""
    found: list[TextLine] = []
    for number, page in enumerate(pages):
        placed = _page_lines(page) if page.lines else _text_lines(page.text)
        for text, top, box, confidence in placed:
            found.append(_line(text, len(found), (number + top) / len(pages), box, confidence))
    return found


def lines_of_text(text: str) -> list[TextLine]:
    """The lines of plain text, placed by their order (a text has a single page)."""
    return [
        _line(line, index, top, None, None)
        for index, (line, top, _, _) in enumerate(_text_lines(text))
    ]


def row_texts(pages: Sequence[PageLike]) -> list[str]:
    """The text of each row that holds more than one line, read left to right.

    A label and its value in two columns ("Rechnungsnr." and "30064443") can come out of
    extraction as lines far apart in reading order; side by side on a row they read as one.
    """
    rows: list[str] = []
    for page in pages:
        placed = sorted(
            (
                (line.box, text)
                for line in page.lines
                if line.box and line.box.height > 0 and (text := clean(line.text))
            ),
            key=lambda item: item[0].top,
        )
        rows.extend(_row_text(row) for row in _rows(placed) if len(row) > 1)
    return rows


_Boxed = tuple[BoxLike, str]


def _rows(lines: list[_Boxed]) -> list[list[_Boxed]]:
    """Lines gathered by row: a line whose middle lies within a row's first line joins it."""
    rows: list[list[_Boxed]] = []
    for box, text in lines:
        middle = box.top + box.height / 2
        first = rows[-1][0][0] if rows else None
        if first is not None and first.top <= middle <= first.top + first.height:
            rows[-1].append((box, text))
        else:
            rows.append([(box, text)])
    return rows


def _row_text(row: list[_Boxed]) -> str:
    return "   ".join(text for _, text in sorted(row, key=lambda item: item[0].left))


_Placed = tuple[str, float, BoxLike | None, float | None]


def _page_lines(page: PageLike) -> list[_Placed]:
    kept = [line for line in page.lines if clean(line.text)]
    return [
        (clean(line.text), line.box.top if line.box else index / len(kept), line.box,
         line.confidence)
        for index, line in enumerate(kept)
    ]  # fmt: skip


def _text_lines(text: str) -> list[_Placed]:
    kept = [clean(line) for line in text.splitlines() if clean(line)]
    return [(line, index / len(kept), None, None) for index, line in enumerate(kept)]


def _line(
    text: str, index: int, top: float, box: BoxLike | None, confidence: float | None
) -> TextLine:
    return TextLine(
        text=text,
        index=index,
        top=round(top, 6),
        left=box.left if box else 0.0,
        width=box.width if box else 0.0,
        height=box.height if box else 0.0,
        confidence=1.0 if confidence is None else confidence,
    )

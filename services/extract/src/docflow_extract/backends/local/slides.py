"""Presentations (PPTX): a page per slide, its text frames and tables in drawing order."""

import io
import time
from collections.abc import Iterable, Iterator

from pptx import Presentation
from pptx.shapes.base import BaseShape
from pptx.shapes.group import GroupShape

from docflow_events.v1 import Page, Table
from docflow_extract.backends.errors import DocumentRejectedError
from docflow_extract.backends.local.cells import CellBudget, Row, as_lines, trimmed
from docflow_extract.backends.local.document import ParsedDocument
from docflow_extract.backends.local.formats import DocumentFormat
from docflow_extract.backends.local.reader import ReaderContext
from docflow_extract.backends.local.text_cleanup import clean_text


def read_pptx(content: bytes, context: ReaderContext) -> ParsedDocument:
    presentation = Presentation(io.BytesIO(content))
    slides = presentation.slides
    if len(slides) > context.limits.max_pages:
        raise DocumentRejectedError(
            f"PPTX has {len(slides)} slides, more than the limit of {context.limits.max_pages}"
        )
    budget = CellBudget(context.limits.max_cells, "PPTX")
    document = ParsedDocument(media_type=DocumentFormat.PPTX, pages=[])
    for number, slide in enumerate(slides, 1):
        started = time.perf_counter()
        lines: list[str] = []
        for rows in _read_shapes(slide.shapes, lines, budget):
            document.tables.append(Table(page=number, rows=rows))
        text = clean_text("\n".join(lines))
        seconds = time.perf_counter() - started
        document.pages.append(Page(number=number, text=text, method="text", seconds=seconds))
    return document


def _read_shapes(
    shapes: Iterable[BaseShape], lines: list[str], budget: CellBudget
) -> Iterator[list[Row]]:
    """Appends each shape's text to ``lines``; yields the rows of each table met."""
    for shape in shapes:
        if isinstance(shape, GroupShape):
            yield from _read_shapes(shape.shapes, lines, budget)
        elif getattr(shape, "has_table", False):
            rows = _table_rows(shape, budget)
            lines.extend(as_lines(rows))
            if rows:
                yield rows
        elif getattr(shape, "has_text_frame", False):
            lines.append(shape.text_frame.text)  # type: ignore[attr-defined]


def _table_rows(shape: BaseShape, budget: CellBudget) -> list[Row]:
    rows: list[Row] = []
    for row in shape.table.rows:  # type: ignore[attr-defined]
        cells = [" ".join(cell.text.split()) for cell in row.cells]
        budget.take(len(cells))
        if any(cells):
            rows.append(trimmed(cells))
    return rows

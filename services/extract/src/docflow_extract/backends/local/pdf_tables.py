"""Tables of chosen PDF pages, found by pdfplumber from the page's ruling lines."""

import io
from collections.abc import Sequence

import pdfplumber
from pdfminer.pdfparser import PDFSyntaxError

from docflow_events.v1 import Table

_MIN_ROWS = 2


def extract_tables(content: bytes, page_numbers: Sequence[int]) -> tuple[list[Table], list[str]]:
    """Tables on the given (1-based) pages, and a warning for each page whose tables failed."""
    if not page_numbers:
        return [], []
    tables: list[Table] = []
    warnings: list[str] = []
    with pdfplumber.open(io.BytesIO(content)) as pdf:
        for number in page_numbers:
            try:
                found = pdf.pages[number - 1].extract_tables()
            except (PDFSyntaxError, ValueError, KeyError, TypeError, IndexError) as exc:
                warnings.append(f"page {number}: tables could not be read ({type(exc).__name__})")
                continue
            for rows in found:
                filled = _filled_rows(rows)
                if len(filled) >= _MIN_ROWS:
                    tables.append(Table(page=number, rows=filled))
    return tables, warnings


def _filled_rows(rows: list[list[str | None]]) -> list[list[str]]:
    """The rows with at least one non-empty cell, each cell's whitespace collapsed."""
    cleaned = ([" ".join((cell or "").split()) for cell in row] for row in rows)
    return [row for row in cleaned if any(row)]

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
            tables.extend(_table(number, rows) for rows in found if _useful(rows))
    return tables, warnings


def _table(page: int, rows: list[list[str | None]]) -> Table:
    cleaned = [[_cell(cell) for cell in row] for row in rows]
    return Table(page=page, rows=[row for row in cleaned if any(row)])


def _cell(cell: str | None) -> str:
    return " ".join((cell or "").split())


def _useful(rows: list[list[str | None]]) -> bool:
    filled = [row for row in rows if any(_cell(cell) for cell in row)]
    return len(filled) >= _MIN_ROWS

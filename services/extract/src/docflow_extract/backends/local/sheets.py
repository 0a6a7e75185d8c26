"""Spreadsheets (XLSX, ODS): each sheet is a page, its name then its rows, and a table."""

import io
import time

import openpyxl  # type: ignore[import-untyped]
from odf.element import Element  # type: ignore[import-untyped]
from odf.opendocument import load as load_odf  # type: ignore[import-untyped]
from odf.table import Table as OdfTable  # type: ignore[import-untyped]
from odf.table import TableRow
from odf.teletype import extractText  # type: ignore[import-untyped]
from odf.text import P  # type: ignore[import-untyped]

from docflow_events.v1 import Page, Table
from docflow_extract.backends.errors import DocumentRejectedError
from docflow_extract.backends.local.cells import CellBudget, Row, as_lines, cell_text, trimmed
from docflow_extract.backends.local.document import ParsedDocument
from docflow_extract.backends.local.formats import DocumentFormat
from docflow_extract.backends.local.reader import ReaderContext
from docflow_extract.backends.local.text_cleanup import clean_text

_ODF_CELLS = ("table:table-cell", "table:covered-table-cell")


def read_xlsx(content: bytes, context: ReaderContext) -> ParsedDocument:
    started = time.perf_counter()
    budget = CellBudget(context.limits.max_cells, "XLSX")
    # Read-only streams each sheet's XML; data_only gives the values cached by the last save.
    book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    try:
        sheets = [(sheet.title, _xlsx_rows(sheet, budget)) for sheet in book.worksheets]
    finally:
        book.close()
    return _document(DocumentFormat.XLSX, sheets, context, started)


def _xlsx_rows(sheet: object, budget: CellBudget) -> list[Row]:
    rows: list[Row] = []
    for values in sheet.iter_rows(values_only=True):  # type: ignore[attr-defined]
        budget.take(len(values))
        row = trimmed([cell_text(value) for value in values])
        if row:
            rows.append(row)
    return rows


def read_ods(content: bytes, context: ReaderContext) -> ParsedDocument:
    started = time.perf_counter()
    budget = CellBudget(context.limits.max_cells, "ODS")
    document = load_odf(io.BytesIO(content))
    if document.spreadsheet is None:
        raise DocumentRejectedError("corrupt ODS: the package holds no spreadsheet body")
    sheets = [
        (str(sheet.getAttribute("name") or ""), odf_rows(sheet, budget))
        for sheet in document.spreadsheet.getElementsByType(OdfTable)
    ]
    return _document(DocumentFormat.ODS, sheets, context, started)


def odf_rows(table: Element, budget: CellBudget) -> list[Row]:
    """An OpenDocument table's rows; repeated empty rows and cells are never expanded."""
    rows: list[Row] = []
    for element in table.getElementsByType(TableRow):
        row = _odf_row(element, budget)
        if not row:
            continue
        repeat = _repeat(element, "numberrowsrepeated")
        budget.take(len(row) * (repeat - 1))
        rows.extend([row] * repeat)
    return rows


def _odf_row(row: Element, budget: CellBudget) -> Row:
    cells: Row = []
    pending = 0  # empty cells, added only when a filled cell follows them
    for cell in row.childNodes:
        if getattr(cell, "tagName", None) not in _ODF_CELLS:
            continue
        text = " ".join(" ".join(extractText(p).split()) for p in cell.getElementsByType(P))
        repeat = _repeat(cell, "numbercolumnsrepeated")
        if not text:
            pending += repeat
            continue
        budget.take(pending + repeat)
        cells.extend([""] * pending + [text] * repeat)
        pending = 0
    return cells


def _repeat(element: Element, attribute: str) -> int:
    value = element.getAttribute(attribute)
    return max(int(value), 1) if value else 1


def _document(
    fmt: DocumentFormat, sheets: list[tuple[str, list[Row]]], context: ReaderContext, started: float
) -> ParsedDocument:
    if len(sheets) > context.limits.max_pages:
        raise DocumentRejectedError(
            f"{fmt.name} has {len(sheets)} sheets, more than the limit of "
            f"{context.limits.max_pages}"
        )
    # Sheets are parsed together: each page is given an equal share of the time.
    seconds = (time.perf_counter() - started) / max(len(sheets), 1)
    pages, tables = [], []
    for number, (name, rows) in enumerate(sheets, 1):
        text = clean_text("\n".join([name, *as_lines(rows)]))
        pages.append(Page(number=number, text=text, method="text", seconds=seconds))
        if rows:
            tables.append(Table(page=number, rows=rows))
    return ParsedDocument(media_type=fmt, pages=pages, tables=tables)

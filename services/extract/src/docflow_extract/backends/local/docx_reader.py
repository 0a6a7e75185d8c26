"""Word (DOCX) documents: paragraphs and tables in body order, as one page.

The zip guard has checked the archive (in ``parse``) before this reader opens it.
"""

import io
import time

import docx
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph

from docflow_events.v1 import Page, Table
from docflow_extract.backends.errors import DocumentRejectedError
from docflow_extract.backends.local.document import ParsedDocument
from docflow_extract.backends.local.formats import DocumentFormat
from docflow_extract.backends.local.reader import ReaderContext
from docflow_extract.backends.local.text_cleanup import clean_text


def read_docx(content: bytes, context: ReaderContext) -> ParsedDocument:  # noqa: ARG001
    started = time.perf_counter()
    lines, tables = _blocks(_open(content))
    text = clean_text("\n".join(lines))
    page = Page(number=1, text=text, method="docx", seconds=time.perf_counter() - started)
    return ParsedDocument(media_type=DocumentFormat.DOCX, pages=[page], tables=tables)


def _open(content: bytes) -> "docx.document.Document":
    try:
        return docx.Document(io.BytesIO(content))
    except KeyError:
        raise DocumentRejectedError(
            "corrupt DOCX: a part or relationship of the Word package is missing (KeyError)"
        ) from None
    except ValueError:
        # python-docx's own message shows the stream's repr ("file '<_io.BytesIO object…>'").
        raise DocumentRejectedError(
            "corrupt DOCX: the package is malformed or its main part is not a Word document "
            "(ValueError)"
        ) from None


def _blocks(document: "docx.document.Document") -> tuple[list[str], list[Table]]:
    lines: list[str] = []
    tables: list[Table] = []
    for block in document.iter_inner_content():
        if isinstance(block, Paragraph):
            lines.append(block.text)
        elif isinstance(block, DocxTable):
            rows = _rows(block)
            if rows:
                tables.append(Table(page=1, rows=rows))
            lines.extend("\t".join(row) for row in rows)
    return lines, tables


def _rows(table: DocxTable) -> list[list[str]]:
    rows: list[list[str]] = []
    for row in table.rows:
        cells: list[str] = []
        previous = None
        for cell in row.cells:
            # A merged cell is returned once per grid column it spans: keep it once.
            if cell._tc is not previous:
                cells.append(" ".join(cell.text.split()))
            previous = cell._tc
        if any(cells):
            rows.append(cells)
    return rows

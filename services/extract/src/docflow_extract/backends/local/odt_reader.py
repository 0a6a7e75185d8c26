"""OpenDocument text (ODT): headings, paragraphs, lists and tables in body order, one page."""

import io
import time

from odf.element import Element  # type: ignore[import-untyped]
from odf.opendocument import load as load_odf  # type: ignore[import-untyped]
from odf.teletype import extractText  # type: ignore[import-untyped]

from docflow_events.v1 import Page, Table
from docflow_extract.backends.errors import DocumentRejectedError
from docflow_extract.backends.local.cells import CellBudget, as_lines
from docflow_extract.backends.local.document import ParsedDocument
from docflow_extract.backends.local.formats import DocumentFormat
from docflow_extract.backends.local.reader import ReaderContext
from docflow_extract.backends.local.sheets import odf_rows
from docflow_extract.backends.local.text_cleanup import clean_text

_PARAGRAPHS = ("text:p", "text:h")
_TABLE = "table:table"


def read_odt(content: bytes, context: ReaderContext) -> ParsedDocument:
    started = time.perf_counter()
    document = load_odf(io.BytesIO(content))
    if document.text is None:
        raise DocumentRejectedError("corrupt ODT: the package holds no text body")
    lines: list[str] = []
    tables: list[Table] = []
    _walk(document.text, lines, tables, CellBudget(context.limits.max_cells, "ODT"))
    text = clean_text("\n".join(lines))
    page = Page(number=1, text=text, method="text", seconds=time.perf_counter() - started)
    return ParsedDocument(media_type=DocumentFormat.ODT, pages=[page], tables=tables)


def _walk(node: Element, lines: list[str], tables: list[Table], budget: CellBudget) -> None:
    # Lists, sections and frames only contain paragraphs and tables: look inside them.
    for child in node.childNodes:
        tag = getattr(child, "tagName", None)
        if tag in _PARAGRAPHS:
            lines.append(extractText(child))
        elif tag == _TABLE:
            rows = odf_rows(child, budget)
            lines.extend(as_lines(rows))
            if rows:
                tables.append(Table(page=1, rows=rows))
        elif tag is not None:
            _walk(child, lines, tables, budget)

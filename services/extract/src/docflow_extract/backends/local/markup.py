"""Plain text and HTML documents, each read as one page."""

import time

from bs4 import BeautifulSoup, Tag

from docflow_events.v1 import Page, Table
from docflow_extract.backends.local.document import ParsedDocument
from docflow_extract.backends.local.formats import DocumentFormat
from docflow_extract.backends.local.reader import ReaderContext
from docflow_extract.backends.local.text_cleanup import clean_text

_INVISIBLE = ("script", "style", "noscript", "template", "head")


def read_text(content: bytes, context: ReaderContext) -> ParsedDocument:  # noqa: ARG001
    started = time.perf_counter()
    text = clean_text(decode_text(content))
    page = Page(number=1, text=text, method="text", seconds=time.perf_counter() - started)
    return ParsedDocument(media_type=DocumentFormat.TEXT, pages=[page])


def read_html(content: bytes, context: ReaderContext) -> ParsedDocument:  # noqa: ARG001
    started = time.perf_counter()
    soup = BeautifulSoup(content, "lxml")
    for element in soup.find_all(_INVISIBLE):
        element.decompose()
    tables = [Table(page=1, rows=rows) for rows in map(_rows, soup.find_all("table")) if rows]
    text = clean_text(soup.get_text("\n"))
    page = Page(number=1, text=text, method="html", seconds=time.perf_counter() - started)
    return ParsedDocument(media_type=DocumentFormat.HTML, pages=[page], tables=tables)


def decode_text(content: bytes) -> str:
    """UTF-8 (or UTF-16 with a byte-order mark); anything else read as Windows-1252."""
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        return content.decode("utf-16", errors="replace")
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return content.decode("cp1252", errors="replace")


def _rows(table: Tag) -> list[list[str]]:
    rows: list[list[str]] = []
    for row in table.find_all("tr"):
        cells = [" ".join(cell.get_text(" ").split()) for cell in row.find_all(("td", "th"))]
        if any(cells):
            rows.append(cells)
    return rows

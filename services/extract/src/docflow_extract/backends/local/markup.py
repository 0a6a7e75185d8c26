"""Plain text and HTML documents, each read as one page."""

import time
import warnings

from bs4 import BeautifulSoup, Tag, XMLParsedAsHTMLWarning

from docflow_events.v1 import Page, Table
from docflow_extract.backends.local.document import ParsedDocument
from docflow_extract.backends.local.formats import DocumentFormat
from docflow_extract.backends.local.reader import ReaderContext
from docflow_extract.backends.local.text_cleanup import clean_text
from docflow_text.encoding import unicode_encoding

_INVISIBLE = ("script", "style", "noscript", "template", "head")
_PROBE = 8192


def read_text(content: bytes, context: ReaderContext) -> ParsedDocument:  # noqa: ARG001
    started = time.perf_counter()
    text = clean_text(decode_text(content))
    page = Page(number=1, text=text, method="text", seconds=time.perf_counter() - started)
    return ParsedDocument(media_type=DocumentFormat.TEXT, pages=[page])


def read_html(content: bytes, context: ReaderContext) -> ParsedDocument:  # noqa: ARG001
    started = time.perf_counter()
    text, rows = html_text(_markup(content))
    tables = [Table(page=1, rows=table) for table in rows]
    page = Page(number=1, text=text, method="html", seconds=time.perf_counter() - started)
    return ParsedDocument(media_type=DocumentFormat.HTML, pages=[page], tables=tables)


def html_text(markup: bytes | str) -> tuple[str, list[list[list[str]]]]:
    """The visible text of an HTML page, and the rows of each of its tables."""
    with warnings.catch_warnings():
        # XHTML (an XML prolog, EPUB chapters) is read as HTML on purpose: it is HTML.
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        soup = BeautifulSoup(markup, "lxml")
    for element in soup.find_all(_INVISIBLE):
        element.decompose()
    tables = [rows for rows in map(_rows, soup.find_all("table")) if rows]
    return clean_text(soup.get_text("\n")), tables


def decode_text(content: bytes) -> str:
    """UTF-8, UTF-16 or UTF-32 (by byte-order mark or zero bytes); else Windows-1252."""
    encoding = unicode_encoding(content[:_PROBE])
    if encoding is not None:
        return content.decode(encoding, errors="replace").removeprefix("\ufeff")
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        return content.decode("cp1252", errors="replace")


def _markup(content: bytes) -> bytes | str:
    """UTF-16 and UTF-32 pages decoded here; others left to the parser, which reads <meta>."""
    if unicode_encoding(content[:_PROBE]) is None:
        return content
    return decode_text(content)


def _rows(table: Tag) -> list[list[str]]:
    rows: list[list[str]] = []
    for row in table.find_all("tr"):
        cells = [" ".join(cell.get_text(" ").split()) for cell in row.find_all(("td", "th"))]
        if any(cells):
            rows.append(cells)
    return rows

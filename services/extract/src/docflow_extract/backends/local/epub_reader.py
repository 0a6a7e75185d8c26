"""E-books (EPUB): the chapters of the spine in reading order, a page per chapter."""

import io
import time

import ebooklib  # type: ignore[import-untyped]
from ebooklib import epub

from docflow_events.v1 import Page, Table
from docflow_extract.backends.errors import DocumentRejectedError
from docflow_extract.backends.local.document import ParsedDocument
from docflow_extract.backends.local.formats import DocumentFormat
from docflow_extract.backends.local.markup import html_text
from docflow_extract.backends.local.reader import ReaderContext

# The table of contents repeats chapter titles; the spine alone gives the reading order.
_OPTIONS = {"ignore_ncx": True}


def read_epub(content: bytes, context: ReaderContext) -> ParsedDocument:
    book = epub.read_epub(io.BytesIO(content), options=_OPTIONS)
    chapters = _chapters(book)
    if len(chapters) > context.limits.max_pages:
        raise DocumentRejectedError(
            f"EPUB has {len(chapters)} chapters, more than the limit of {context.limits.max_pages}"
        )
    document = ParsedDocument(media_type=DocumentFormat.EPUB, pages=[])
    for chapter in chapters:
        started = time.perf_counter()
        text, tables = html_text(chapter)
        if not text:
            continue  # a cover or an image-only page
        number = len(document.pages) + 1
        seconds = time.perf_counter() - started
        document.pages.append(Page(number=number, text=text, method="html", seconds=seconds))
        document.tables.extend(Table(page=number, rows=rows) for rows in tables)
    return document


def _chapters(book: epub.EpubBook) -> list[bytes]:
    chapters: list[bytes] = []
    for idref, _linear in book.spine:
        item = book.get_item_with_id(idref)
        # The navigation document (EPUB 3) is a table of contents, not a chapter.
        if item is None or item.get_type() != ebooklib.ITEM_DOCUMENT or not item.is_chapter():
            continue
        chapters.append(item.get_content())
    return chapters

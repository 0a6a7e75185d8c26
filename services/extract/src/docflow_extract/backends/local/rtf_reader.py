"""Rich Text Format (RTF): the text without control words, as one page."""

import time
from collections.abc import Callable

from striprtf.striprtf import rtf_to_text

from docflow_events.v1 import Page
from docflow_extract.backends.local.document import ParsedDocument
from docflow_extract.backends.local.formats import DocumentFormat
from docflow_extract.backends.local.reader import ReaderContext
from docflow_extract.backends.local.text_cleanup import clean_text

# striprtf has no annotations; its function takes the RTF source and returns the text.
_strip: Callable[..., str] = rtf_to_text


def read_rtf(content: bytes, context: ReaderContext) -> ParsedDocument:  # noqa: ARG001
    started = time.perf_counter()
    # RTF is 7-bit: other characters come as \'hh escapes in the code page (Windows-1252 by
    # default) or as \uN, which the stripper decodes itself.
    text = _strip(content.decode("latin-1"), encoding="cp1252", errors="replace")
    page = Page(
        number=1, text=clean_text(text), method="text", seconds=time.perf_counter() - started
    )
    return ParsedDocument(media_type=DocumentFormat.RTF, pages=[page])

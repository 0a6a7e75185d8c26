"""Page texts of a PDF's text layer, read directly (the evaluation needs no extract service)."""

from pathlib import Path

import pypdfium2  # type: ignore[import-untyped]

from docflow_events.v1 import Cost
from docflow_events.v1.results import ExtractionResult, Page


def read_pdf(path: Path) -> ExtractionResult:
    """The text layer of every page as an extraction result, as the local extractor gives it."""
    document = pypdfium2.PdfDocument(path)
    try:
        pages = [_page(number, page) for number, page in enumerate(document, start=1)]
    finally:
        document.close()
    return ExtractionResult(
        document_id=path.stem,
        media_type="application/pdf",
        backend="pdf-text-layer",
        pages=pages,
        cost=Cost(backend="local"),
    )


def _page(number: int, page: pypdfium2.PdfPage) -> Page:
    textpage = page.get_textpage()
    try:
        return Page(number=number, text=textpage.get_text_range(), method="text_layer")
    finally:
        textpage.close()
        page.close()

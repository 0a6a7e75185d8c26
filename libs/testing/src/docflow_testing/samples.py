"""The sample documents that ship with the repository (``samples/``), and reading their text.

Tests use these instead of any corpus outside the repository, so a clone tests on its own. The
folders mirror the larger evaluation corpus (``kleister-nda/``, ``invoices/``), so code that
reads one reads the other.
"""

from pathlib import Path

import pypdfium2  # type: ignore[import-untyped]

from docflow_events.v1 import Cost
from docflow_events.v1.results import ExtractionResult, Page

#: ``samples/`` at the root of the checkout (this package is only ever installed from it).
SAMPLES_DIR = Path(__file__).resolve().parents[4] / "samples"


class SamplesMissingError(FileNotFoundError):
    """The repository's sample documents are not where they ship."""


def samples_dir() -> Path:
    """``samples/``; raises :class:`SamplesMissingError` when it is not there."""
    if not (SAMPLES_DIR / "README.md").is_file():
        raise SamplesMissingError(f"the sample documents are missing: no {SAMPLES_DIR}/README.md")
    return SAMPLES_DIR


def sample(relative: str) -> Path:
    """One sample document, e.g. ``sample("invoices/oyo.png")``; it must exist."""
    path = samples_dir() / relative
    if not path.is_file():
        raise SamplesMissingError(f"no sample document {relative} in {SAMPLES_DIR}")
    return path


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

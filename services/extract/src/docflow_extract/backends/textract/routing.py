"""Which Textract call a document needs: one synchronous call, or an async job on S3."""

import io
from typing import Final

import pypdfium2  # type: ignore[import-untyped]
from PIL import Image, UnidentifiedImageError

from docflow_extract.backends.errors import DocumentRejectedError

#: Textract's limit for a document sent in the request itself.
SYNC_MAX_BYTES: Final = 10 * 1024 * 1024
PDF: Final = "application/pdf"
TIFF: Final = "image/tiff"
SUPPORTED: Final = frozenset({PDF, "image/png", "image/jpeg", TIFF})


def needs_job(media_type: str, content: bytes, *, max_pages: int) -> bool:
    """True for what the synchronous API cannot take: several pages, or too many bytes.

    Documents over ``max_pages`` are refused here, before Textract bills every page."""
    if media_type not in SUPPORTED:
        raise DocumentRejectedError(
            f"Textract reads PDF, PNG, JPEG and TIFF documents, not {media_type}"
        )
    pages = page_count(media_type, content)
    if pages > max_pages:
        raise DocumentRejectedError(
            f"the document has {pages} pages, more than the limit of {max_pages}"
        )
    return pages > 1 or len(content) > SYNC_MAX_BYTES


def page_count(media_type: str, content: bytes) -> int:
    if media_type == PDF:
        return _pdf_pages(content)
    if media_type == TIFF:
        return _tiff_frames(content)
    return 1


def _pdf_pages(content: bytes) -> int:
    # Only the page tree is read; the pages themselves are Textract's to parse.
    try:
        document = pypdfium2.PdfDocument(content)
    except pypdfium2.PdfiumError:
        raise DocumentRejectedError("the PDF cannot be opened (damaged or encrypted)") from None
    try:
        return len(document)
    finally:
        document.close()


def _tiff_frames(content: bytes) -> int:
    try:
        with Image.open(io.BytesIO(content)) as image:
            return int(getattr(image, "n_frames", 1))
    except (UnidentifiedImageError, OSError, SyntaxError):
        raise DocumentRejectedError("the TIFF image cannot be read") from None

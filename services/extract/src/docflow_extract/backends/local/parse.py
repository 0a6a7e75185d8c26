"""One document, inside a parser child: find its real format, read it, derive key-values."""

from collections.abc import Callable

from docflow_events.v1 import Cost, ExtractionResult
from docflow_extract.backends.base import ExtractionRequest
from docflow_extract.backends.errors import DocumentRejectedError, ExtractionFailedError
from docflow_extract.backends.local.document import ParsedDocument
from docflow_extract.backends.local.docx_reader import read_docx
from docflow_extract.backends.local.formats import DocumentFormat, detect_format
from docflow_extract.backends.local.images import read_image
from docflow_extract.backends.local.key_values import key_values
from docflow_extract.backends.local.markup import read_html, read_text
from docflow_extract.backends.local.pdf import read_pdf
from docflow_extract.backends.local.reader import ReaderContext

BACKEND_NAME = "local"

Reader = Callable[[bytes, ReaderContext], ParsedDocument]

_READERS: dict[DocumentFormat, Reader] = {
    DocumentFormat.PDF: read_pdf,
    DocumentFormat.PNG: lambda content, context: read_image(content, DocumentFormat.PNG, context),
    DocumentFormat.JPEG: lambda content, context: read_image(content, DocumentFormat.JPEG, context),
    DocumentFormat.TIFF: lambda content, context: read_image(content, DocumentFormat.TIFF, context),
    DocumentFormat.DOCX: read_docx,
    DocumentFormat.HTML: read_html,
    DocumentFormat.TEXT: read_text,
}


def parse(request: ExtractionRequest, context: ReaderContext) -> ExtractionResult:
    fmt = detect_format(request.content, request.media_type)
    parsed = _read(fmt, request.content, context)
    warnings = _type_warnings(request.media_type, fmt) + parsed.warnings
    return ExtractionResult(
        document_id=request.document_id,
        media_type=parsed.media_type,
        backend=BACKEND_NAME,
        pages=parsed.pages,
        tables=parsed.tables,
        key_values=key_values(parsed.pages, parsed.tables),
        warnings=warnings,
        cost=Cost(backend=BACKEND_NAME, usd=0.0),
    )


def _read(fmt: DocumentFormat, content: bytes, context: ReaderContext) -> ParsedDocument:
    try:
        return _READERS[fmt](content, context)
    except (DocumentRejectedError, ExtractionFailedError, MemoryError):
        raise
    except Exception as exc:
        # Parsers fail on hostile input in ways nobody lists; the same bytes fail every time.
        # Only the class is named: a parser's message may quote the document or show reprs.
        raise DocumentRejectedError(
            f"cannot parse the document as {fmt.value}: the parser raised {type(exc).__name__}"
        ) from exc


def _type_warnings(declared: str, fmt: DocumentFormat) -> list[str]:
    base = declared.split(";", 1)[0].strip().lower()
    if not base or base in {fmt.value, "application/octet-stream"}:
        return []
    return [f"declared media type {base[:100]!r}, content is {fmt.value}"]

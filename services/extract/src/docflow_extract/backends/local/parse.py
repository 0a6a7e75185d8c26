"""One document, inside a parser child: find its real format, read it, derive key-values."""

from collections.abc import Callable

from docflow_events.v1 import Cost, ExtractionResult
from docflow_extract.backends.base import ExtractionRequest
from docflow_extract.backends.errors import DocumentRejectedError, ExtractionFailedError
from docflow_extract.backends.local.document import ParsedDocument
from docflow_extract.backends.local.docx_reader import read_docx
from docflow_extract.backends.local.epub_reader import read_epub
from docflow_extract.backends.local.formats import DocumentFormat, detect_format
from docflow_extract.backends.local.images import read_image
from docflow_extract.backends.local.key_values import key_values
from docflow_extract.backends.local.mail import read_eml, read_msg
from docflow_extract.backends.local.markup import read_html, read_text
from docflow_extract.backends.local.odt_reader import read_odt
from docflow_extract.backends.local.packages import package_format
from docflow_extract.backends.local.pdf import read_pdf
from docflow_extract.backends.local.reader import ReaderContext
from docflow_extract.backends.local.rtf_reader import read_rtf
from docflow_extract.backends.local.sheets import read_ods, read_xlsx
from docflow_extract.backends.local.slides import read_pptx

BACKEND_NAME = "local"

Reader = Callable[[bytes, ReaderContext], ParsedDocument]


def _image_reader(fmt: DocumentFormat) -> Reader:
    return lambda content, context: read_image(content, fmt, context)


_IMAGES = (
    DocumentFormat.PNG,
    DocumentFormat.JPEG,
    DocumentFormat.TIFF,
    DocumentFormat.BMP,
    DocumentFormat.GIF,
    DocumentFormat.WEBP,
    DocumentFormat.HEIC,
)
_READERS: dict[DocumentFormat, Reader] = {
    DocumentFormat.PDF: read_pdf,
    DocumentFormat.DOCX: read_docx,
    DocumentFormat.XLSX: read_xlsx,
    DocumentFormat.PPTX: read_pptx,
    DocumentFormat.ODT: read_odt,
    DocumentFormat.ODS: read_ods,
    DocumentFormat.EPUB: read_epub,
    DocumentFormat.RTF: read_rtf,
    DocumentFormat.EML: read_eml,
    DocumentFormat.MSG: read_msg,
    DocumentFormat.HTML: read_html,
    DocumentFormat.TEXT: read_text,
    **{fmt: _image_reader(fmt) for fmt in _IMAGES},
}


def parse(request: ExtractionRequest, context: ReaderContext) -> ExtractionResult:
    fmt = detect_format(request.content, request.media_type)
    if fmt is DocumentFormat.ZIP:
        # The zip guard runs here, before any parser opens the archive.
        fmt = package_format(request.content, context.limits)
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

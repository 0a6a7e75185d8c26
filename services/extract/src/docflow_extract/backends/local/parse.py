"""One document, inside a parser child: find its real format, read it, derive key-values."""

from collections.abc import Callable

from docflow_events.v1 import Cost, ExtractionResult
from docflow_extract.backends.base import Extraction, ExtractionRequest
from docflow_extract.backends.errors import DocumentRejectedError, ExtractionFailedError
from docflow_extract.backends.local.attachments import Split, split_eml, split_msg
from docflow_extract.backends.local.document import ParsedDocument
from docflow_extract.backends.local.docx_reader import read_docx
from docflow_extract.backends.local.epub_reader import read_epub
from docflow_extract.backends.local.formats import DocumentFormat, detect_format
from docflow_extract.backends.local.images import read_image
from docflow_extract.backends.local.key_values import key_values
from docflow_extract.backends.local.layout import limit_words
from docflow_extract.backends.local.limits import ParserLimits
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


_SPLITTERS: dict[DocumentFormat, Callable[[bytes, ParserLimits], Split]] = {
    DocumentFormat.EML: split_eml,
    DocumentFormat.MSG: split_msg,
}


def parse(request: ExtractionRequest, context: ReaderContext) -> Extraction:
    """The document's result, and the attachments split off it when it is a message."""
    fmt, result = _result(request, context)
    split = _split(fmt, request, context.limits)
    if split is None:
        return Extraction(result=result)
    warnings = result.warnings + split.warnings
    return Extraction(
        result=result.model_copy(update={"warnings": warnings}), attachments=split.attachments
    )


def _result(
    request: ExtractionRequest, context: ReaderContext
) -> tuple[DocumentFormat, ExtractionResult]:
    fmt = detect_format(request.content, request.media_type)
    if fmt is DocumentFormat.ZIP:
        # The zip guard runs here, before any parser opens the archive.
        fmt = package_format(request.content, context.limits)
    parsed = _read(fmt, request.content, context)
    pages, layout_warnings = limit_words(parsed.pages, context.limits.max_layout_words)
    warnings = _type_warnings(request.media_type, fmt) + parsed.warnings + layout_warnings
    return fmt, ExtractionResult(
        document_id=request.document_id,
        media_type=parsed.media_type,
        backend=BACKEND_NAME,
        pages=pages,
        tables=parsed.tables,
        key_values=key_values(parsed.pages, parsed.tables),
        warnings=warnings,
        cost=Cost(backend=BACKEND_NAME, usd=0.0),
    )


def _split(fmt: DocumentFormat, request: ExtractionRequest, limits: ParserLimits) -> Split | None:
    splitter = _SPLITTERS.get(fmt)
    if splitter is None or not request.split_attachments:
        return None
    try:
        return splitter(request.content, limits)
    except MemoryError:
        raise
    except Exception as exc:
        # The message's text was read: its attachments failing to come apart is a warning.
        failed = Split(limits)
        failed.warnings.append(
            f"attachments not split off: reading them raised {type(exc).__name__}"
        )
        return failed


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

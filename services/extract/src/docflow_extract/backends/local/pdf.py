"""PDFs, page by page: the text layer where it is usable, OCR where it is not, and tables
only on pages whose drawing shows table structure."""

import math
import time

import pypdfium2 as pdfium  # type: ignore[import-untyped]
import pypdfium2.raw as pdfium_c  # type: ignore[import-untyped]
from PIL import Image

from docflow_events.v1 import Line, Page
from docflow_extract.backends.errors import DocumentRejectedError
from docflow_extract.backends.local.document import ParsedDocument
from docflow_extract.backends.local.formats import DocumentFormat
from docflow_extract.backends.local.layout import text_layer_lines
from docflow_extract.backends.local.ocr import Enlarge, ocr_page
from docflow_extract.backends.local.pdf_layout import PageLayout, page_layout
from docflow_extract.backends.local.pdf_regions import region_texts
from docflow_extract.backends.local.pdf_tables import extract_tables
from docflow_extract.backends.local.reader import ReaderContext
from docflow_extract.backends.local.text_cleanup import clean_text

_POINTS_PER_INCH = 72
# A page mostly covered by one image with little text is a scan, even with a stray text layer.
_SCAN_IMAGE_SHARE = 0.5
_SCAN_MAX_TEXT_CHARS = 200
_EOF_WINDOW = 1024
_COUNT_PREFIX = 4000


def read_pdf(content: bytes, context: ReaderContext) -> ParsedDocument:
    pdf = _open(content)
    try:
        document, table_pages = _read_pages(pdf, context)
    finally:
        pdf.close()
    tables, warnings = extract_tables(content, table_pages)
    document.tables.extend(tables)
    document.warnings.extend(warnings)
    return document


def _open(content: bytes) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(content)
    except pdfium.PdfiumError as exc:
        raise DocumentRejectedError(_load_failure(exc, content)) from None


def _load_failure(exc: pdfium.PdfiumError, content: bytes) -> str:
    code = exc.err_code
    if code == pdfium_c.FPDF_ERR_PASSWORD:
        return "encrypted PDF: a password is required to open it"
    if code == pdfium_c.FPDF_ERR_SECURITY:
        return "encrypted PDF: its security handler is not supported"
    if code == pdfium_c.FPDF_ERR_FORMAT and b"%%EOF" not in content[-_EOF_WINDOW:]:
        return "truncated PDF: the file ends before its %%EOF marker and cannot be read"
    if code == pdfium_c.FPDF_ERR_FORMAT:
        return "corrupt PDF: its structure cannot be read (data format error)"
    return f"corrupt PDF: {exc}"


def _read_pages(
    pdf: pdfium.PdfDocument, context: ReaderContext
) -> tuple[ParsedDocument, list[int]]:
    count = len(pdf)
    if count > context.limits.max_pages:
        raise DocumentRejectedError(
            f"PDF has {count} pages, more than the limit of {context.limits.max_pages}"
        )
    document = ParsedDocument(media_type=DocumentFormat.PDF, pages=[])
    table_pages: list[int] = []
    for index in range(count):
        page, layout = _read_page(pdf, index, context, document.warnings)
        document.pages.append(page)
        if layout.has_table_structure:
            table_pages.append(page.number)
    return document, table_pages


def _read_page(
    pdf: pdfium.PdfDocument, index: int, context: ReaderContext, warnings: list[str]
) -> tuple[Page, PageLayout]:
    started = time.perf_counter()
    page = _load_page(pdf, index)
    try:
        layout = page_layout(page)
        text, regions, lines = _text_layer(page, layout, context)
        if _needs_ocr(text, layout, context.limits.min_text_chars):
            return _ocr_page(page, index + 1, context, warnings, started), layout
    finally:
        page.close()
    if regions:
        text = "\n\n".join([text, *regions]) if text else "\n\n".join(regions)
        warnings.append(f"page {index + 1}: text of {len(regions)} image region(s) read by OCR")
    seconds = time.perf_counter() - started
    page_read = Page(number=index + 1, text=text, method="text_layer", seconds=seconds, lines=lines)
    return page_read, layout


def _load_page(pdf: pdfium.PdfDocument, index: int) -> pdfium.PdfPage:
    try:
        return pdf[index]
    except pdfium.PdfiumError:
        raise DocumentRejectedError(f"corrupt PDF: page {index + 1} cannot be loaded") from None


def _text_layer(
    page: pdfium.PdfPage, layout: PageLayout, context: ReaderContext
) -> tuple[str, list[str], list[Line]]:
    """The page's text layer, the OCR text of image regions it lacks, and its lines with their
    boxes (when the layer is usable)."""
    textpage = page.get_textpage()
    try:
        text = clean_text(textpage.get_text_range())
        if _needs_ocr(text, layout, context.limits.min_text_chars):
            return text, [], []  # the whole page is read by OCR instead
        regions = region_texts(page, textpage, layout.image_boxes, context)
        words = context.limits.max_layout_words > 0
        return text, regions, text_layer_lines(textpage, *page.get_size(), words=words)
    finally:
        textpage.close()


def _needs_ocr(text: str, layout: PageLayout, min_chars: int) -> bool:
    """Whether the text layer is missing or too thin for what the page shows."""
    # Counting on a prefix is enough to compare with the thresholds, and keeps this cheap.
    real = sum(map(str.isalnum, text[:_COUNT_PREFIX]))
    if real < min_chars:
        return layout.has_visible_content
    return layout.largest_image_share >= _SCAN_IMAGE_SHARE and real < _SCAN_MAX_TEXT_CHARS


def _ocr_page(
    page: pdfium.PdfPage, number: int, context: ReaderContext, warnings: list[str], started: float
) -> Page:
    scale = _render_scale(page, context)
    if scale * _POINTS_PER_INCH < context.limits.ocr_dpi - 0.5:
        dpi = round(scale * _POINTS_PER_INCH)
        warnings.append(f"page {number}: rendered at {dpi} dpi to stay under the pixel limit")
    image = page.render(scale=scale, grayscale=True).to_pil()
    ppi = round(scale * _POINTS_PER_INCH)
    return ocr_page(
        context.ocr,
        image,
        number,
        ppi=ppi,
        limits=context.limits,
        started=started,
        enlarge=_renderer(page, scale, context),
        reread=context.reread,
    )


def _render_scale(page: pdfium.PdfPage, context: ReaderContext) -> float:
    """The OCR resolution as a scale, lowered when the bitmap would pass the pixel limit."""
    return min(context.limits.ocr_dpi / _POINTS_PER_INCH, _largest_scale(page, context))


def _largest_scale(page: pdfium.PdfPage, context: ReaderContext) -> float:
    area = max(page.get_width() * page.get_height(), 1.0)
    return math.sqrt(context.limits.max_image_pixels / area)


def _renderer(page: pdfium.PdfPage, scale: float, context: ReaderContext) -> Enlarge:
    """Small print on a scanned page is rendered again at a higher resolution: the page's
    image often holds more detail than the OCR resolution kept, which resampling cannot
    bring back."""

    def enlarge(factor: float) -> Image.Image:
        larger = min(scale * factor, _largest_scale(page, context))
        image: Image.Image = page.render(scale=larger, grayscale=True).to_pil()
        return image

    return enlarge

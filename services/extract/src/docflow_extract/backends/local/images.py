"""Raster images (PNG, JPEG, TIFF, BMP, GIF, WebP, HEIC): every frame is a page, read by OCR.

GIF and WebP frames are animation, not pages: only the first is read.
"""

import io
import time
import warnings
from collections.abc import Iterator

import pillow_heif
from PIL import Image, ImageSequence, UnidentifiedImageError

from docflow_events.v1 import Page
from docflow_extract.backends.errors import DocumentRejectedError
from docflow_extract.backends.local.document import ParsedDocument
from docflow_extract.backends.local.formats import DocumentFormat
from docflow_extract.backends.local.ocr import ocr_page
from docflow_extract.backends.local.reader import ReaderContext

_PIL_FORMATS = {
    DocumentFormat.PNG: "PNG",
    DocumentFormat.JPEG: "JPEG",
    DocumentFormat.TIFF: "TIFF",
    DocumentFormat.BMP: "BMP",
    DocumentFormat.GIF: "GIF",
    DocumentFormat.WEBP: "WEBP",
    DocumentFormat.HEIC: "HEIF",
}
_FIRST_FRAME_ONLY = frozenset({"GIF", "WEBP"})


def configure_pillow(max_pixels: int) -> None:
    """Refuse oversized images outright: Pillow only warns below twice its pixel limit."""
    Image.MAX_IMAGE_PIXELS = max_pixels
    warnings.simplefilter("error", Image.DecompressionBombWarning)
    pillow_heif.register_heif_opener()


def read_image(content: bytes, fmt: DocumentFormat, context: ReaderContext) -> ParsedDocument:
    name = _PIL_FORMATS[fmt]
    try:
        with Image.open(io.BytesIO(content), formats=[name]) as image:
            pages = list(_ocr_frames(image, name, context))
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise DocumentRejectedError(
            f"{name} image refused as a decompression bomb: {exc}"
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as exc:
        raise DocumentRejectedError(_corrupt(name, exc)) from None
    return ParsedDocument(media_type=fmt, pages=pages)


def _corrupt(name: str, exc: Exception) -> str:
    """Why Pillow could not read the image, in our words: its messages show object reprs
    ("cannot identify image file <_io.BytesIO object at 0x…>")."""
    if isinstance(exc, UnidentifiedImageError):
        problem = f"its header cannot be read as {name}"
    elif isinstance(exc, SyntaxError):
        problem = f"its {name} structure is broken"
    else:
        problem = "its image data ends early or cannot be decoded"
    return f"corrupt or truncated {name} image: {problem} ({type(exc).__name__})"


def _ocr_frames(image: Image.Image, name: str, context: ReaderContext) -> Iterator[Page]:
    limits = context.limits
    for index, frame in enumerate(ImageSequence.Iterator(image)):
        if index and name in _FIRST_FRAME_ONLY:
            return
        if index >= limits.max_pages:
            raise DocumentRejectedError(f"{name} has more than {limits.max_pages} frames")
        pixels = frame.width * frame.height
        if pixels > limits.max_image_pixels:
            raise DocumentRejectedError(
                f"{name} frame {index + 1} has {frame.width}x{frame.height} pixels, more than "
                f"the limit of {limits.max_image_pixels}"
            )
        yield _ocr_frame(frame, index + 1, context)


def _ocr_frame(frame: Image.Image, number: int, context: ReaderContext) -> Page:
    started = time.perf_counter()
    dpi = frame.info.get("dpi")
    ppi = round(dpi[0]) if isinstance(dpi, tuple) and dpi and dpi[0] else None
    return ocr_page(
        context.ocr,
        frame,
        number,
        ppi=ppi,
        limits=context.limits,
        started=started,
        reread=context.reread,
    )

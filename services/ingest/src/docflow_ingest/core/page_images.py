"""A document's page as a PNG a reviewer can read beside its fields.

PDFs are rendered by pdfium; images (a scan, each frame of a TIFF) are scaled as they are.
Other formats (text, office documents) have no page to show: their text is the page.
"""

import io
from typing import Final

import pypdfium2 as pdfium  # type: ignore[import-untyped]
from PIL import Image, ImageSequence, UnidentifiedImageError

PDF: Final = "application/pdf"


class NoPageImageError(LookupError):
    """The document has no such page, or is of a kind that has no page to show."""


def has_page_images(media_type: str) -> bool:
    return media_type == PDF or media_type.startswith("image/")


def render_page(content: bytes, media_type: str, number: int, width: int) -> bytes:
    """Page ``number`` (from 1) as a PNG ``width`` pixels wide (never enlarged for images)."""
    if media_type == PDF:
        return _png(_pdf_page(content, number, width))
    if media_type.startswith("image/"):
        return _png(_image_frame(content, number, width))
    raise NoPageImageError(f"a {media_type} document has no page images")


def _pdf_page(content: bytes, number: int, width: int) -> Image.Image:
    try:
        document = pdfium.PdfDocument(content)
    except pdfium.PdfiumError:
        raise NoPageImageError("the PDF cannot be read") from None
    try:
        if not 1 <= number <= len(document):
            raise NoPageImageError(f"the document has no page {number}")
        page = document[number - 1]
        scale = width / max(page.get_width(), 1.0)
        image: Image.Image = page.render(scale=scale).to_pil()
        return image
    finally:
        document.close()


def _image_frame(content: bytes, number: int, width: int) -> Image.Image:
    try:
        # Pillow refuses images past its pixel limit (DecompressionBombError): an upload
        # cannot make the review page allocate without bound.
        source = Image.open(io.BytesIO(content))
    except (UnidentifiedImageError, Image.DecompressionBombError):
        raise NoPageImageError("the image cannot be read") from None
    for index, frame in enumerate(ImageSequence.Iterator(source), start=1):
        if index == number:
            image = frame.convert("RGB")
            image.thumbnail((width, width * 4))
            return image
    raise NoPageImageError(f"the image has no page {number}")


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=False)
    return out.getvalue()

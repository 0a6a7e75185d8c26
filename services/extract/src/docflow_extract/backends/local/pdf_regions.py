"""Text drawn as images on a page that has a text layer: a scanned table, a pasted screenshot.

The text layer says nothing of what an image shows. Each image the page draws itself is
checked against the layer: where the layer has (almost) no text inside the image's bounds,
that region alone is rendered at the OCR resolution and read by Tesseract. Pages without
images cost nothing more than the layout pass already made.
"""

import math

import pypdfium2 as pdfium  # type: ignore[import-untyped]

from docflow_extract.backends.local.ocr import OcrText
from docflow_extract.backends.local.pdf_layout import Box
from docflow_extract.backends.local.reader import ReaderContext
from docflow_extract.backends.local.text_cleanup import clean_text

_POINTS_PER_INCH = 72
# Smaller than this no line of legible text fits: 6 pt is the smallest print people read.
_MIN_WIDTH = 24.0
_MIN_HEIGHT = 6.0
# Pages tiled from many image strips are looked at through their largest regions only.
_MAX_REGIONS = 16
# OCR of photos, logos and line art yields scattered low-confidence characters, not text.
_MIN_CONFIDENCE = 50.0
_MIN_OCR_CHARS = 3


def region_texts(
    page: pdfium.PdfPage, textpage: pdfium.PdfTextPage, boxes: list[Box], context: ReaderContext
) -> list[str]:
    """The OCR text of every image region the text layer lacks, in drawing order."""
    if not boxes or page.get_rotation() != 0:
        return []
    frame = tuple(float(v) for v in page.get_cropbox())
    texts = []
    for box in _candidates(boxes, frame):
        if _alnum(textpage.get_text_bounded(*box)) >= context.limits.min_text_chars:
            continue  # the layer already holds this region's text (an OCR'd scan, a background)
        ocr = _recognize(page, box, frame, context)
        if ocr.confidence >= _MIN_CONFIDENCE and _alnum(ocr.text) >= _MIN_OCR_CHARS:
            texts.append(clean_text(ocr.text))
    return texts


def _candidates(boxes: list[Box], frame: tuple[float, ...]) -> list[Box]:
    clipped = {_clip(box, frame) for box in boxes}
    large = [b for b in clipped if b[2] - b[0] >= _MIN_WIDTH and b[3] - b[1] >= _MIN_HEIGHT]
    if len(large) > _MAX_REGIONS:
        large = sorted(large, key=_area, reverse=True)[:_MAX_REGIONS]
    return sorted(large, key=lambda b: (-b[3], b[0]))  # top to bottom, then left to right


def _clip(box: Box, frame: tuple[float, ...]) -> Box:
    left, bottom, right, top = frame
    return (
        max(box[0], left),
        max(box[1], bottom),
        min(box[2], right),
        min(box[3], top),
    )


def _area(box: Box) -> float:
    return (box[2] - box[0]) * (box[3] - box[1])


def _recognize(
    page: pdfium.PdfPage, box: Box, frame: tuple[float, ...], context: ReaderContext
) -> OcrText:
    limits = context.limits
    # The OCR resolution, lowered when the region's bitmap would pass the pixel limit.
    scale = min(limits.ocr_dpi / _POINTS_PER_INCH, math.sqrt(limits.max_image_pixels / _area(box)))
    crop = (box[0] - frame[0], box[1] - frame[1], frame[2] - box[2], frame[3] - box[3])
    image = page.render(scale=scale, crop=crop, grayscale=True).to_pil()
    return context.ocr.recognize(image, ppi=round(scale * _POINTS_PER_INCH))


def _alnum(text: str) -> int:
    return sum(map(str.isalnum, text))

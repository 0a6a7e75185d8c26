"""Small documents made on the spot for the Textract tests: their bytes only matter for routing
(page count, size, format), since the fake Textract answers from recorded responses."""

import io

import pypdfium2  # type: ignore[import-untyped]
from PIL import Image


def pdf(pages: int) -> bytes:
    document = pypdfium2.PdfDocument.new()
    try:
        for _ in range(pages):
            document.new_page(612, 792)
        buffer = io.BytesIO()
        document.save(buffer)
        return buffer.getvalue()
    finally:
        document.close()


def image(kind: str = "PNG", frames: int = 1) -> bytes:
    pictures = [Image.new("L", (64, 32), color=255 - 40 * number) for number in range(frames)]
    buffer = io.BytesIO()
    pictures[0].save(buffer, format=kind, save_all=frames > 1, append_images=pictures[1:])
    return buffer.getvalue()

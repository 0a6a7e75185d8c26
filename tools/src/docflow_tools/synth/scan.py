"""A rendered invoice as a scanner would return it: rasterised, a little skewed, soft and grainy.

Only seeded Python randomness and Pillow's own filters are used, so the same PDF and seed give
the same PNG bytes (Pillow's ``effect_noise`` draws from C's ``rand`` and is not used).
"""

import io
import random
from dataclasses import dataclass
from typing import Final

import pypdfium2  # type: ignore[import-untyped]
from PIL import Image, ImageChops, ImageEnhance, ImageFilter

#: Office scanners default to 200 or 300 dpi; 200 keeps the files and the OCR time small.
DPI: Final = 200
_POINTS_PER_INCH: Final = 72


@dataclass(frozen=True)
class Degradation:
    degrees: float
    blur: float
    noise: int
    contrast: float
    paper: int


def draw_degradation(rng: random.Random) -> Degradation:
    return Degradation(
        degrees=rng.uniform(-1.5, 1.5),
        blur=rng.choice((0.0, 0.3, 0.5, 0.7)),
        noise=rng.randint(8, 28),
        contrast=rng.uniform(0.85, 1.05),
        paper=rng.randint(236, 252),
    )


def scan(pdf: bytes, degradation: Degradation, rng: random.Random) -> bytes:
    """The first page of ``pdf`` as PNG bytes, degraded as ``degradation`` says."""
    document = pypdfium2.PdfDocument(pdf)
    try:
        page = document[0]
        image = page.render(scale=DPI / _POINTS_PER_INCH, grayscale=True).to_pil().convert("L")
    finally:
        document.close()
    image = _paper(image, degradation.paper)
    image = image.rotate(
        degradation.degrees, resample=Image.Resampling.BICUBIC, fillcolor=degradation.paper
    )
    if degradation.blur:
        image = image.filter(ImageFilter.GaussianBlur(degradation.blur))
    image = ImageEnhance.Contrast(image).enhance(degradation.contrast)
    image = _grain(image, degradation.noise, rng)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _paper(image: Image.Image, paper: int) -> Image.Image:
    """White becomes the grey of scanned paper; black stays black."""
    return image.point(lambda value: value * paper // 255)


def _grain(image: Image.Image, strength: int, rng: random.Random) -> Image.Image:
    """Darken each pixel by up to ``strength`` levels: sensor noise and paper fibre."""
    raw = rng.randbytes(image.width * image.height)
    noise = Image.frombytes("L", image.size, raw).point(lambda value: value * strength // 255)
    return ImageChops.subtract(image, noise)

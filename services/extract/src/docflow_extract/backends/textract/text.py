"""Small conversions of textractor's values into docflow's plain ones."""

from typing import Any

from docflow_events.v1 import Box


def clean(text: Any) -> str:
    """Single spaces, no trailing ones: textractor linearizes with a space after each word."""
    return " ".join(str(text or "").split())


def words_text(words: Any) -> str:
    return clean(" ".join(str(word.text) for word in words or []))


def confidence(value: Any) -> float | None:
    """A confidence between 0 and 1, or None when Textract gave none."""
    if value is None:
        return None
    return round(min(max(float(value), 0.0), 1.0), 4)


def box(entity: Any) -> Box | None:
    """Where textractor's entity stands, as Textract gives it: shares of the page from its
    top-left corner (clipped, since Textract's geometry may overhang the page slightly)."""
    bbox = getattr(entity, "bbox", None)
    if bbox is None:
        return None
    left, top = _share(bbox.x), _share(bbox.y)
    return Box(
        left=left,
        top=top,
        width=min(_share(bbox.width), 1.0 - left),
        height=min(_share(bbox.height), 1.0 - top),
    )


def _share(value: Any) -> float:
    return round(min(max(float(value), 0.0), 1.0), 4)

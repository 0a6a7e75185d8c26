"""Small conversions of textractor's values into docflow's plain ones."""

from typing import Any


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

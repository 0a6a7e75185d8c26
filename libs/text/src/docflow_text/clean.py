"""Text clean-up: one spelling of quotes, spaces and line breaks.

Text layers and OCR spell the same document many ways (typographic quotes, non-breaking spaces,
soft hyphens, CR/LF). The party readers of this package take text cleaned here, so that their
patterns need to know only one spelling.
"""

import re

_QUOTES = str.maketrans(
    {
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2018": "'",
        "\u2019": "'",
        "`": "'",
        "\u00a0": " ",
    }
)
# Text layers mark hyphenation and ligature breaks with these; they are never content.
_INVISIBLE = re.compile("[\ufffe\u00ad\u200b\ufeff\u2028\u2029]")
_SPACES = re.compile(r"[ \t\f\v]+")
_BREAKS = re.compile(r"\s*\n\s*")
_FLAT = re.compile(r"\s+")
_EDGAR_HEADER = re.compile(r"^\s*EX-[\w.()\s-]{1,20}?\s+\d+\s+\S+\.(?:htm|html|txt)\s+", re.I)


def clean(text: str) -> str:
    """Straight quotes, single spaces, one newline between lines; keeps the line structure."""
    text = _INVISIBLE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _SPACES.sub(" ", text.translate(_QUOTES))
    return _BREAKS.sub("\n", text).strip()


def flatten(cleaned: str) -> str:
    """Text already cleaned (:func:`clean`) on one line, for rules that read across lines."""
    return _FLAT.sub(" ", cleaned)


def strip_filing_header(flat: str) -> str:
    """Drop the filing system's leading ``EX-10.1 2 file.htm`` stamp, which is not content."""
    return _EDGAR_HEADER.sub("", flat, count=1)


def lines(cleaned: str) -> list[str]:
    """The non-empty lines of text already cleaned (:func:`clean`)."""
    return [line for line in cleaned.split("\n") if line]


def flat_and_lines(text: str) -> tuple[str, list[str]]:
    """The text as the agreement readers take it: cleaned and flattened without its filing
    header, and as cleaned lines."""
    cleaned = clean(text)
    return strip_filing_header(flatten(cleaned)), lines(cleaned)


def sentences(flat: str) -> list[str]:
    """Sentences of flattened text, split where a sentence end meets a capitalised word."""
    parts = re.split(r"(?<=[a-z0-9)\"'][.!?])\s+(?=[\"'(]?[A-Z0-9])", flat)
    return [part.strip() for part in parts if part.strip()]

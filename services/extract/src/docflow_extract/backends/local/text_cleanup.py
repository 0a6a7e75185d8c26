"""Whitespace clean-up shared by the readers, so every format yields text of one shape."""

import re

_BLANK_RUN = re.compile(r"\n{3,}")


def clean_text(text: str) -> str:
    """Unix line ends, no trailing spaces, at most one empty line in a row, no NULs."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    lines = (line.rstrip() for line in text.split("\n"))
    return _BLANK_RUN.sub("\n\n", "\n".join(lines)).strip()

"""Long documents are read in chunks that fit a model's context.

A chunk ends at the last paragraph break (or line break, or space) before the limit, so that
a clause is rarely cut in two; only a run of text with no break at all is cut at the limit.
"""

from typing import Final

# Where a chunk may end, best first; the break stays with the chunk it ends.
_BREAKS: Final = ("\n\n", "\n", " ")
# A break in the first part of the window would make a small chunk: cut later instead.
_MIN_FILL: Final = 0.5


def chunks(text: str, size: int) -> list[str]:
    """``text`` in pieces of at most ``size`` characters, in order, none of them blank."""
    pieces = []
    start = 0
    while start < len(text):
        end = _end(text, start, size)
        if text[start:end].strip():
            pieces.append(text[start:end])
        start = end
    return pieces


def _end(text: str, start: int, size: int) -> int:
    limit = start + size
    if limit >= len(text):
        return len(text)
    floor = start + int(size * _MIN_FILL)
    for mark in _BREAKS:
        found = text.rfind(mark, floor, limit)
        if found >= 0:
            return found + len(mark)
    return limit

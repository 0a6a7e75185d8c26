"""Key-value pairs read from ``Label: value`` lines and from two-column tables."""

import re
from collections.abc import Iterable, Iterator

from docflow_events.v1 import KeyValue, Page, Table

_MAX_KEY_WORDS = 4
_MAX_KEY_CHARS = 40
_MAX_VALUE_CHARS = 200
# A label may end in a capitalised abbreviation's full stop: "Invoice No.", "Re.-Nr.", "Tel.".
_ABBREVIATED = re.compile(r"(?:^|[\s.-])[A-Z][A-Za-z]{0,2}\.$")
_LINE = re.compile(
    r"^[ \t]*(?P<key>[^\W\d_][^:\n]{0,39}?)[ \t]*:[ \t]*(?P<value>[^\s:/][^\n]{0,199}?)[ \t]*$",
    re.MULTILINE,
)


def key_values(pages: Iterable[Page], tables: Iterable[Table]) -> list[KeyValue]:
    """Every pair found, in reading order, each (key, value, page) once."""
    found = [*_from_pages(pages), *_from_tables(tables)]
    seen: set[tuple[str, str, int | None]] = set()
    unique: list[KeyValue] = []
    for pair in found:
        identity = (pair.key, pair.value, pair.page)
        if identity not in seen:
            seen.add(identity)
            unique.append(pair)
    return unique


def _from_pages(pages: Iterable[Page]) -> Iterator[KeyValue]:
    for page in pages:
        confidence = None if page.ocr_confidence is None else page.ocr_confidence / 100
        for match in _LINE.finditer(page.text):
            key = _label(match["key"])
            if key:
                value = match["value"].strip()
                yield KeyValue(
                    key=key, value=value, page=page.number, source="line", confidence=confidence
                )


def _from_tables(tables: Iterable[Table]) -> Iterator[KeyValue]:
    for table in tables:
        for row in table.rows:
            cells = [cell.strip() for cell in row if cell.strip()]
            if len(cells) != 2:
                continue
            key = _label(cells[0].rstrip(":"))
            if key and len(cells[1]) <= _MAX_VALUE_CHARS:
                yield KeyValue(key=key, value=cells[1], page=table.page, source="table")


def _label(text: str) -> str | None:
    """``text`` as a key when it reads like a short label, else None."""
    label = " ".join(text.split())
    if not label or len(label) > _MAX_KEY_CHARS or not label[0].isalpha():
        return None
    if len(label.split()) > _MAX_KEY_WORDS or label.endswith((",", ";")):
        return None
    if label.endswith(".") and not _ABBREVIATED.search(label):
        return None  # a sentence's end, not a label's
    return label

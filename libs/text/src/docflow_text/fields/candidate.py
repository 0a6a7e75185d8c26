"""A candidate value for a field, with the features the scorer reads it by."""

import dataclasses
from dataclasses import dataclass
from datetime import date
from typing import Final

from docflow_text.dates import month_first_locale
from docflow_text.fields.layout import TextLine

FieldValue = str | float | date
#: The fields the scorer reads, in the order reports list them.
FIELDS: Final = ("issuer", "issue_date", "total")


@dataclass(frozen=True)
class Candidate:
    """One value a field may have, where the document shows it, and its features by name."""

    field: str
    value: FieldValue
    lines: tuple[int, ...]
    features: dict[str, float] = dataclasses.field(default_factory=dict)


@dataclass(frozen=True)
class Document:
    """What every candidate generator reads: the lines, their text, and the locale."""

    lines: list[TextLine]
    text: str
    month_first: bool

    @classmethod
    def of(cls, lines: list[TextLine]) -> "Document":
        text = "\n".join(line.text for line in lines)
        return cls(lines=lines, text=text, month_first=month_first_locale(text))

    def line_tops(self) -> list[float]:
        return [line.top for line in self.lines]


def flag(condition: bool) -> float:
    return 1.0 if condition else 0.0

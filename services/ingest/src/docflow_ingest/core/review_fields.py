"""The fields a reviewer checks: what enrichment's local rules propose, and where each value
stands on its page.

Proposals are what enrich would find (the same rules, without the summary), so that a reviewer
corrects values instead of typing them. A value is located on the first line that holds it:
text by its words, dates and amounts by what the line's own dates and amounts read as, so that
"1,234.50" and "1234.5" or "1 May 2024" and "2024-05-01" meet.
"""

import re
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field

from docflow_enrich.rules.entities import extract_entities
from docflow_events.doctypes import CONTRACT_KINDS
from docflow_events.v1 import Classification, Finding
from docflow_events.v1.results import Box, Entities, ExtractionResult, Line, Money, Page
from docflow_text.dates import find_dates
from docflow_text.doctype import classify
from docflow_text.money import amounts_in

FieldKind = Literal["text", "date", "lines", "money"]

#: The entity fields a reviewer can correct, and how each is written in a form.
REVIEWABLE: Final[dict[str, FieldKind]] = {
    "parties": "lines",
    "issuer": "text",
    "invoice_number": "text",
    "issue_date": "date",
    "total": "money",
    "effective_date": "date",
    "jurisdiction": "text",
    "term": "text",
}
_BILLING_FIELDS: Final = frozenset({"issuer", "invoice_number", "issue_date", "total"})
_CONTRACT_FIELDS: Final = frozenset({"parties", "effective_date", "jurisdiction", "term"})
#: The fields a document of each type has, shown first; the others are folded away. Enrich
#: reads the billing fields of invoices and receipts only, and the agreement fields of
#: anything. A type not named here (form, other) has no fields of its own: all are shown.
TYPE_FIELDS: Final[dict[str, frozenset[str]]] = {
    "invoice": _BILLING_FIELDS,
    "receipt": _BILLING_FIELDS,
    **dict.fromkeys((*CONTRACT_KINDS, "contract"), _CONTRACT_FIELDS),
}
#: Validation names a document's own date "date"; these are the fields that hold it.
_DATE_FIELDS: Final = frozenset({"issue_date", "effective_date"})
_SPACES = re.compile(r"\s+")


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True)


class Proposal(_Model):
    """What the local rules find before review; cached per run in the blob store."""

    classification: Classification
    entities: Entities


class Location(_Model):
    page: int = Field(ge=1)
    box: Box | None = Field(description="The line holding the value, when the extractor knows")
    line: str | None = Field(description="The text of that line")


class ReviewField(_Model):
    name: str
    kind: FieldKind
    value: Any = Field(description="The proposed value, as the corrections object takes it")
    locations: list[Location] = Field(description="Where each value (each party) was found")
    flagged: bool = Field(description="A finding names this field")
    of_type: bool = Field(
        description="The document's type has this field (the page folds the others away)"
    )


def propose(extraction: ExtractionResult, hint: str | None) -> Proposal:
    text = extraction.text
    found = classify(text, hint)
    classification = Classification(
        type=found.type, confidence=found.confidence, hint=hint, text_type=found.text_type
    )
    entities = extract_entities(text, extraction.key_values, classification.type)
    return Proposal(classification=classification, entities=entities)


def fields_of(document_type: str, read_as: str) -> frozenset[str]:
    """The fields of the document's type; for a type without its own (form, other), those of
    the type its text reads as; else every field."""
    for named in (document_type, read_as):
        if named in TYPE_FIELDS:
            return TYPE_FIELDS[named]
    return frozenset(REVIEWABLE)


def review_fields(
    proposal: Proposal, extraction: ExtractionResult, findings: list[Finding], document_type: str
) -> list[ReviewField]:
    """Every reviewable field: those a finding names first, then the document type's own."""
    named = {finding.field for finding in findings if finding.field}
    own = fields_of(document_type, proposal.classification.type)
    fields = [_field(name, kind, proposal.entities, extraction, named=named, own=own)
              for name, kind in REVIEWABLE.items()]  # fmt: skip
    return sorted(fields, key=lambda field: (not field.flagged, not field.of_type))


def _field(
    name: str,
    kind: FieldKind,
    entities: Entities,
    extraction: ExtractionResult,
    *,
    named: set[str],
    own: frozenset[str],
) -> ReviewField:
    value = getattr(entities, name)
    values = value if isinstance(value, list) else [value]
    located = (locate(kind, item, extraction.pages) for item in values if item is not None)
    # A finding on "the date" names the date the type has (an NDA's is not its issue date).
    flagged = name in named or ("date" in named and name in _DATE_FIELDS and name in own)
    return ReviewField(
        name=name, kind=kind, value=plain(value), flagged=flagged, of_type=name in own,
        locations=[location for location in located if location is not None],
    )  # fmt: skip


def plain(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    return value.isoformat() if isinstance(value, date) else value


def locate(kind: FieldKind, value: Any, pages: list[Page]) -> Location | None:
    """The first line (or, without lines, the first page) whose text holds ``value``."""
    holds = _matcher(kind, value)
    for page in pages:
        for line in _lines(page):
            if holds(line.text):
                return Location(page=page.number, box=line.box, line=line.text)
    return None


def _lines(page: Page) -> Iterator[Line]:
    """The extractor's lines; a page without them is read line by line from its text."""
    if page.lines:
        yield from page.lines
        return
    yield from (Line(text=text) for text in page.text.splitlines() if text.strip())


def _matcher(kind: FieldKind, value: Any) -> Callable[[str], bool]:
    if kind == "date" and isinstance(value, date):
        return lambda text: any(found.value == value for found in find_dates(text))
    if kind == "money" and isinstance(value, Money):
        return lambda text: any(abs(amount - value.value) < 0.005 for amount in amounts_in(text))
    needle = _normal(str(value))
    return lambda text: bool(needle) and needle in _normal(text)


def _normal(text: str) -> str:
    return _SPACES.sub(" ", text).strip().casefold()

"""The scorer's choices as updates to a document's entities.

The scorer (:mod:`docflow_text.fields`, shared with validate, which sends the fields it doubts
to review) reads the issuer, the date of issue and the total from the document's lines and
their boxes. Its choice replaces the hand rule's answer where the model is confident (at or
above the bar cross-validation chose for the field), where the rule found its answer by no sure
way (see :data:`docflow_text.fields.reading.RULE_IS_SURE`), and where the rule has no answer
at all; elsewhere, and for a field the model file has no ensemble for, the rule's answer stands.
"""

from collections.abc import Collection, Sequence
from datetime import date
from typing import Any

from docflow_events.v1.results import Money
from docflow_text.fields import FieldReading, PageLike, lines_of_text, read_fields, read_lines


def scored_updates(
    pages: Sequence[PageLike],
    text: str,
    currency: str | None,
    unanswered: Collection[str] = (),
) -> dict[str, Any]:
    """Entity fields to replace, by the name :class:`Entities` gives them; the total in
    ``currency`` (the document's); ``unanswered``: the fields the rules left empty."""
    readings = read_fields(pages) if pages else read_lines(lines_of_text(text))
    updates: dict[str, Any] = {}
    for name, reading in readings.items():
        if reading is not None and (reading.trusted or name in unanswered):
            updates[name] = _entity_value(name, reading, currency)
    return updates


def _entity_value(name: str, reading: FieldReading, currency: str | None) -> object:
    value = reading.value
    if name == "total" and isinstance(value, float):
        return Money(value=value, currency=currency, context=reading.context)
    if name == "issue_date" and isinstance(value, date):
        return value
    return str(value)

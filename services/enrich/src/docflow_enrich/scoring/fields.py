"""The scorer's choices as updates to a document's entities.

The scorer (:mod:`docflow_text.fields`, shared with validate, which sends the fields it doubts
to review) reads the issuer, the date of issue and the total from the document's lines and
their boxes. Its choice replaces the hand rule's answer where the model is confident (at or
above the bar cross-validation chose for the field), where the rule found its answer by no sure
way (see :data:`docflow_text.fields.reading.RULE_IS_SURE`), and where the rule has no answer
at all; elsewhere, and for a field the model file has no ensemble for, the rule's answer stands.

An agreement's effective date and parties are the scorer's alone where the model file has
an ensemble for them: the effective date is its best candidate at or above the bar, else no
date; the parties are every candidate at or above the bar, else the best one. The hand rules
(:func:`~docflow_enrich.rules.entities.effective.find_effective_date`,
:func:`~docflow_text.parties.parties_in`) answer only without one: they were written on the
development documents the scorer learns from, so their development figures are no reason to
fall back on them.
"""

from collections.abc import Collection, Sequence
from datetime import date
from typing import Any

from docflow_enrich.rules.entities.effective import find_effective_date
from docflow_events.v1.results import Money
from docflow_text.fields import FieldReading, PageLike, lines_of_text, read_fields, read_lines
from docflow_text.fields.effective_dates import FIELD as EFFECTIVE_DATE
from docflow_text.fields.effective_dates import effective_date_candidates
from docflow_text.fields.parties import weighed_parties
from docflow_text.fields.reading import best, packaged_field
from docflow_text.parties import parties_in


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


def scored_effective_date(flat: str) -> date | None:
    """The effective date of ``flat`` (cleaned, flattened text): the scorer's, or the rule's
    without an ensemble for it."""
    model = packaged_field(EFFECTIVE_DATE)
    if model is None:
        return find_effective_date(flat)
    chosen = best(effective_date_candidates(flat), model)
    if chosen is None or not chosen.trusted or not isinstance(chosen.value, date):
        return None
    return chosen.value


def scored_parties(
    flat: str, all_lines: list[str], original: str, *, agreement: bool = True
) -> list[str]:
    """The parties a document names (``flat``: cleaned, flattened text; ``all_lines``: its
    cleaned lines; ``original``: the text as extracted, whose apostrophes names keep): the
    scorer's, or the rule's without an ensemble for them. Only an ``agreement`` is sure to
    bind someone, so only there does the scorer name its best candidate below the bar."""
    weighed = weighed_parties(flat, all_lines, original)
    if weighed is None:
        return parties_in(flat, all_lines, original)
    return weighed.named(at_least_one=agreement)


def _entity_value(name: str, reading: FieldReading, currency: str | None) -> object:
    value = reading.value
    if name == "total" and isinstance(value, float):
        return Money(value=value, currency=currency, context=reading.context)
    if name == "issue_date" and isinstance(value, date):
        return value
    return str(value)

"""Candidates of the training documents, labelled right or wrong against their gold."""

from dataclasses import dataclass, field
from datetime import date

from docflow_events.v1 import ExtractionResult
from docflow_text.clean import clean, flat_and_lines, flatten, strip_filing_header
from docflow_text.fields import FIELDS, Candidate, FieldValue, candidates, document_lines
from docflow_text.fields.effective_dates import FIELD as EFFECTIVE_DATE
from docflow_text.fields.effective_dates import effective_date_candidates
from docflow_text.fields.parties import FIELD as PARTY
from docflow_text.fields.parties import party_candidates
from docflow_text.fields.reading import rule_is_sure_for
from docflow_tools.train.truth import Truth


@dataclass(frozen=True)
class Example:
    """One document's candidates for one field and which of them are right."""

    document: str
    candidates: list[Candidate]
    right: list[bool]
    #: Whether the field's hand rule answers right, to compare with and fall back on.
    rule_right: bool = False
    #: Whether the rule answers by a way worth falling back on (see ``rule_is_sure_for``).
    rule_sure: bool = True
    #: How many values the gold gives: an agreement's parties; one for the other fields.
    expected: int = 1

    @property
    def reachable(self) -> bool:
        """Some candidate is right: the best any scorer could do on this document."""
        return any(self.right)


@dataclass
class FieldData:
    """Every example of one field, in document order."""

    name: str
    examples: list[Example] = field(default_factory=list)

    def feature_names(self) -> list[str]:
        return sorted({name for e in self.examples for c in e.candidates for name in c.features})


@dataclass(frozen=True)
class Rules:
    """The hand rules' answers for one document, by field."""

    issuer: str | None
    issue_date: date | None
    total: float | None

    def answer(self, name: str) -> FieldValue | None:
        value: FieldValue | None = getattr(self, name)
        return value


def build(
    documents: list[tuple[str, ExtractionResult, Truth, Rules]],
) -> dict[str, FieldData]:
    """Each field's examples over ``documents`` (name, extraction, gold, rule answers); a
    document whose gold gives no value for a field is no example of it."""
    data = {name: FieldData(name) for name in FIELDS}
    for name, result, truth, rules in documents:
        found = candidates(document_lines(result.pages))
        for field_name in FIELDS:
            if not truth.has(field_name):
                continue
            cands = found[field_name]
            right = [truth.matches(field_name, c.value) for c in cands]
            rule = rules.answer(field_name)
            rule_right = rule is not None and truth.matches(field_name, rule)
            # As enrich falls back: only on a rule that answers, by a sure way.
            sure = rule is not None and rule_is_sure_for(field_name, cands)
            data[field_name].examples.append(Example(name, cands, right, rule_right, sure))
    return data


def build_agreements(documents: list[tuple[str, ExtractionResult, Truth]]) -> FieldData:
    """The effective date's examples over agreements (name, extraction, gold). Every agreement
    is one, since naming no effective date is an answer too: the scorer's fallback below its
    bar is no date (not the hand rule, whose development figures are its own tuning's), so
    ``rule_right`` says whether the gold has none."""
    data = FieldData(EFFECTIVE_DATE)
    for name, result, truth in documents:
        flat = strip_filing_header(flatten(clean(result.text)))
        cands = effective_date_candidates(flat)
        right = [truth.matches(EFFECTIVE_DATE, c.value) for c in cands]
        undated = truth.effective_date is None
        data.examples.append(Example(name, cands, right, rule_right=undated))
    return data


def build_parties(documents: list[tuple[str, ExtractionResult, Truth]]) -> FieldData:
    """The parties' examples over agreements (name, extraction, gold): each agreement's
    candidates, which of them the gold names, and how many parties it names."""
    data = FieldData(PARTY)
    for name, result, truth in documents:
        cands = party_candidates(*flat_and_lines(result.text), result.text)
        right = [truth.matches(PARTY, c.value) for c in cands]
        data.examples.append(Example(name, cands, right, expected=len(truth.parties)))
    return data

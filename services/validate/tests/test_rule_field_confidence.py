"""The field scorer's doubts become findings at the pack's bar."""

import json

import pytest
from pydantic import ValidationError

from docflow_events.v1 import Cost, ExtractionResult, Page
from docflow_text.fields import reading
from docflow_text.fields.model import FORMAT, parse_model
from docflow_validate.rules import FieldConfidence

RECEIPT = "KEDAI ALPHA SDN BHD\nDate: 25/12/2018\nTOTAL RM 9.00\nCASH 20.00\nCHANGE 11.00"


def _document(text: str) -> ExtractionResult:
    return ExtractionResult(
        document_id="d", media_type="image/jpeg", backend="local",
        pages=[Page(number=1, text=text, method="ocr")], cost=Cost(backend="local"),
    )  # fmt: skip


@pytest.fixture(autouse=True)
def _stump_model(monkeypatch: pytest.MonkeyPatch) -> None:
    """A known model in place of the packaged one: 0.9 for a labelled total, else 0.1."""
    stump = {"feature": [0, 0, 0], "threshold": [0.5, 0, 0], "left": [1, -1, -1],
             "right": [2, -1, -1], "value": [0.0, -2.1972, 2.1972]}  # fmt: skip
    total = {"features": ["label_total"], "bias": 0.0, "learning_rate": 1.0, "trees": [stump]}
    model = parse_model(json.dumps({"format": FORMAT, "fields": {"total": total}}))
    monkeypatch.setattr(reading, "packaged_model", lambda: model)


def test_a_confident_field_passes_and_a_doubtful_one_is_a_finding() -> None:
    assert FieldConfidence(id="fc", min_confidence=0.5).check(_document(RECEIPT)) == []
    findings = FieldConfidence(id="fc", min_confidence=0.95).check(_document(RECEIPT))
    assert [(f.field, f.severity) for f in findings] == [("total", "error")]
    assert "0.90 below 0.95" in findings[0].message


def test_a_field_without_candidates_is_a_finding_and_unmodelled_fields_are_skipped() -> None:
    rule = FieldConfidence(id="fc", severity="warning", fields=["issuer", "total"])
    findings = rule.check(_document("KEDAI ALPHA SDN BHD\nno amounts at all"))
    assert [(f.field, f.severity) for f in findings] == [("total", "warning")]
    assert findings[0].message == "no total could be read"


def test_an_unknown_field_or_bar_is_refused() -> None:
    with pytest.raises(ValidationError, match="fields"):
        FieldConfidence.model_validate({"id": "fc", "fields": ["colour"]})
    with pytest.raises(ValidationError, match="min_confidence"):
        FieldConfidence.model_validate({"id": "fc", "min_confidence": 1.5})


def test_a_field_of_its_own_bar_is_held_to_it() -> None:
    strict = FieldConfidence(id="fc", min_confidence=0.1, bars={"total": 0.95})
    assert [f.field for f in strict.check(_document(RECEIPT))] == ["total"]
    lenient = FieldConfidence(id="fc", min_confidence=0.95, bars={"total": 0.5})
    assert lenient.check(_document(RECEIPT)) == []


def test_a_bar_outside_zero_to_one_or_for_an_unknown_field_is_refused() -> None:
    with pytest.raises(ValidationError, match="bars"):
        FieldConfidence.model_validate({"id": "fc", "bars": {"total": 1.5}})
    with pytest.raises(ValidationError, match="bars"):
        FieldConfidence.model_validate({"id": "fc", "bars": {"colour": 0.5}})

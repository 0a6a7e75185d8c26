"""A party the scorer weighed near its bar becomes a finding."""

import json
from typing import Any

import pytest
from pydantic import ValidationError

from docflow_events.v1 import Cost, ExtractionResult, Page
from docflow_text.fields import reading
from docflow_text.fields.model import FORMAT, parse_model
from docflow_validate.rules import PartyConfidence

AGREEMENT = (
    "NONDISCLOSURE AGREEMENT\nThis Agreement is made by and between Acme Inc., a Delaware "
    'corporation ("Acme"), and Beta LLC, a Nevada company ("Beta").\n'
    + "\n".join(["The Recipient shall keep the Information secret."] * 20)
    + "\nIN WITNESS WHEREOF, the parties sign below.\nGAMMA HOLDINGS INC.\nBy: /s/ Ann Lee\n"
)


def _document(text: str) -> ExtractionResult:
    return ExtractionResult(
        document_id="d", media_type="application/pdf", backend="local",
        pages=[Page(number=1, text=text, method="text")], cost=Cost(backend="local"),
    )  # fmt: skip


def _use(monkeypatch: pytest.MonkeyPatch, fields: dict[str, Any]) -> None:
    model = parse_model(json.dumps({"format": FORMAT, "fields": fields}))
    monkeypatch.setattr(reading, "packaged_model", lambda: model)


@pytest.fixture
def stump() -> dict[str, Any]:
    """A party model with a bar of 0.3: 0.9 for a name the opening lists, else 0.25."""
    tree = {"feature": [0, 0, 0], "threshold": [0.5, 0, 0], "left": [1, -1, -1],
            "right": [2, -1, -1], "value": [0.0, -1.0986, 2.1972]}  # fmt: skip
    return {"features": ["from_preamble"], "bias": 0.0, "learning_rate": 1.0,
            "min_confidence": 0.3, "trees": [tree]}  # fmt: skip


def test_a_name_just_below_the_bar_is_a_finding(
    monkeypatch: pytest.MonkeyPatch, stump: dict[str, Any]
) -> None:
    _use(monkeypatch, {"party": stump})
    findings = PartyConfidence(id="pc").check(_document(AGREEMENT))
    assert [(f.field, f.severity) for f in findings] == [("parties", "error")]
    assert "GAMMA HOLDINGS INC. (0.25, left out)" in findings[0].message
    assert "Acme" not in findings[0].message


def test_names_far_from_the_bar_pass(
    monkeypatch: pytest.MonkeyPatch, stump: dict[str, Any]
) -> None:
    _use(monkeypatch, {"party": stump})
    assert PartyConfidence(id="pc", margin=0.04).check(_document(AGREEMENT)) == []


def test_without_a_party_ensemble_nothing_is_checked(
    monkeypatch: pytest.MonkeyPatch, stump: dict[str, Any]
) -> None:
    _use(monkeypatch, {"total": stump | {"features": ["label_total"]}})
    assert PartyConfidence(id="pc", margin=0.5).check(_document(AGREEMENT)) == []


def test_a_margin_outside_0_to_0_5_is_refused() -> None:
    with pytest.raises(ValidationError, match="margin"):
        PartyConfidence.model_validate({"id": "pc", "margin": 0.9})

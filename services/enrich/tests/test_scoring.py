"""The scorer's choices replace the rules' answers where it is trusted, or the rule has none."""

import json
from datetime import date

import pytest

from docflow_enrich.rules.entities.effective import find_effective_date
from docflow_enrich.scoring import scored_effective_date, scored_parties, scored_updates
from docflow_text.fields import reading
from docflow_text.fields.model import FORMAT, parse_model
from docflow_text.parties import parties_in

SLIP = "KEDAI ALPHA SDN BHD\nTOTAL RM 9.00\nCASH 20.00"


@pytest.fixture(autouse=True)
def _doubting_model(monkeypatch: pytest.MonkeyPatch) -> None:
    """A model that gives every total 0.1, below its bar of 0.5."""
    stump = {"feature": [0], "threshold": [0.0], "left": [-1], "right": [-1], "value": [-2.1972]}
    total = {"features": ["rank"], "bias": 0.0, "learning_rate": 1.0, "min_confidence": 0.5,
             "trees": [stump]}  # fmt: skip
    model = parse_model(json.dumps({"format": FORMAT, "fields": {"total": total}}))
    monkeypatch.setattr(reading, "packaged_model", lambda: model)


def test_a_doubted_choice_leaves_the_rules_answer_standing() -> None:
    assert scored_updates([], SLIP, "MYR") == {}


def test_a_doubted_choice_fills_a_field_the_rules_left_empty() -> None:
    updates = scored_updates([], SLIP, "MYR", unanswered={"total"})
    assert set(updates) == {"total"}
    assert updates["total"].currency == "MYR"
    assert updates["total"].value in {9.0, 20.0}


def test_without_an_effective_date_ensemble_the_rule_reads_it() -> None:
    opening = (
        "This Agreement is dated as of June 1, 2010 between Acme Inc. and Beta LLC. It was "
        "signed on June 9, 2010."
    )
    assert scored_effective_date(opening) == find_effective_date(opening) == date(2010, 6, 1)


def test_without_a_party_ensemble_the_rule_names_the_parties() -> None:
    opening = "This Agreement is made between Acme Inc. and Beta LLC, as follows."
    assert scored_parties(opening, [opening], opening) == parties_in(opening, [opening], opening)
    assert scored_parties(opening, [opening], opening) == ["Acme Inc.", "Beta LLC"]

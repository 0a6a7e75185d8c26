"""Required clauses: each missing one is its own finding, named by its field."""

import pytest
from pydantic import ValidationError

from docflow_events.v1 import Finding
from docflow_validate.rules import RequiredPatterns

from .conftest import DocumentBuilder

RULE = RequiredPatterns.model_validate(
    {
        "id": "clauses",
        "patterns": [
            {"name": "confidentiality", "description": "confidentiality clause",
             "any_of": [r"\bconfidential"]},
            {"name": "governing_law", "description": "governing-law clause",
             "any_of": [r"\bgoverned\s+by", r"\blaws\s+of\s+the\s+state\s+of"]},
        ],
    }
)  # fmt: skip


def test_passes_when_every_pattern_matches_somewhere(make_document: DocumentBuilder) -> None:
    document = make_document(
        "The Recipient keeps all CONFIDENTIAL information secret.",
        "This Agreement is construed under the laws of the State of Oregon.",
    )
    assert RULE.check(document) == []


def test_names_each_missing_clause(make_document: DocumentBuilder) -> None:
    findings = RULE.check(make_document("The parties shall be friends."))
    assert findings == [
        Finding(rule="clauses", severity="error", message="no confidentiality clause found",
                field="confidentiality"),
        Finding(rule="clauses", severity="error", message="no governing-law clause found",
                field="governing_law"),
    ]  # fmt: skip


def test_one_alternative_is_enough(make_document: DocumentBuilder) -> None:
    findings = RULE.check(make_document("Confidential. Governed by English law."))
    assert findings == []


def test_an_invalid_regex_is_refused_when_the_rule_is_read() -> None:
    with pytest.raises(ValidationError, match=r"invalid regular expression '\(unclosed'"):
        RequiredPatterns.model_validate(
            {"id": "x", "patterns": [{"name": "n", "description": "d", "any_of": ["(unclosed"]}]}
        )

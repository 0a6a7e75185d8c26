"""What the model backends share, without a wire: the answer's checking, chunking, merging
chunk answers and grounding values in the document."""

import json
import math
from datetime import date
from typing import get_args

import pytest

from docflow_enrich.backends.llm.answer import (
    DocumentKind,
    InvalidAnswerError,
    ModelAnswer,
    answer_schema,
    entities_of,
    parse_answer,
)
from docflow_enrich.backends.llm.chunking import chunks
from docflow_enrich.backends.llm.grounding import ungrounded
from docflow_enrich.backends.llm.merge import MAX_SUMMARY_CHARS, merge
from docflow_events.v1.results import Entities, Money
from docflow_testing.llm_servers import document_facts
from docflow_text.doctype import DOCUMENT_TYPES

CONTRACT = (
    "MUTUAL NON-DISCLOSURE AGREEMENT\n\nThis Agreement is made as of the 6th day of January,"
    " 2012 by and between Kite Pharma, Inc. and GILEAD SCIENCES, INC. for a period of two (2)"
    " years. The fee is US$ 1,250,000.00, payable by 31/03/2012. This Agreement is governed"
    " by the laws of the State of California. Invoice No. INV-2012-044."
)


def _answer(**fields: object) -> ModelAnswer:
    return parse_answer(document_facts(**fields))


def test_every_field_is_required_and_nothing_else_allowed() -> None:
    schema = answer_schema()
    assert set(schema["required"]) == set(ModelAnswer.model_fields)
    assert schema["additionalProperties"] is False


def test_the_model_answers_with_the_types_the_rules_know() -> None:
    assert set(get_args(DocumentKind)) == set(DOCUMENT_TYPES)


def test_the_schema_is_self_contained() -> None:
    text = json.dumps(answer_schema())
    assert "$ref" not in text
    assert "$defs" not in text
    total = answer_schema()["properties"]["total"]["anyOf"]
    assert total[0]["properties"]["currency"]["anyOf"][0]["pattern"] == "^[A-Z]{3}$"
    assert total[0]["additionalProperties"] is False


def test_an_answer_may_come_as_json_text_or_as_an_object() -> None:
    facts = document_facts(document_type="nda", parties=["Kite Pharma, Inc."])
    assert parse_answer(json.dumps(facts)) == parse_answer(facts)
    assert parse_answer(facts).parties == ["Kite Pharma, Inc."]


@pytest.mark.parametrize(
    ("payload", "why"),
    [
        ('{"document_type": "nda"', "not JSON"),
        (None, "no answer"),
        ({**document_facts(), "document_type": "poem"}, "document_type"),
        ({k: v for k, v in document_facts().items() if k != "parties"}, "parties"),
        ({**document_facts(), "type_confidence": 3}, "type_confidence"),
        ({**document_facts(), "verdict": "guilty"}, "verdict"),
        (
            json.dumps(
                document_facts(amounts=[{"value": math.nan, "currency": None, "context": None}])
            ),
            "amounts.0.value",
        ),
    ],
)
def test_an_answer_outside_the_schema_is_invalid(payload: object, why: str) -> None:
    with pytest.raises(InvalidAnswerError, match=why):
        parse_answer(payload)


def test_an_invalid_answer_does_not_quote_the_document() -> None:
    with pytest.raises(InvalidAnswerError) as caught:
        parse_answer({**document_facts(), "effective_date": "SECRET-CLAUSE-TEXT"})
    assert "SECRET-CLAUSE-TEXT" not in str(caught.value)


def test_chunks_end_at_paragraphs_and_cover_the_text() -> None:
    paragraphs = [f"Paragraph {n} " + "word " * 40 for n in range(20)]
    text = "\n\n".join(paragraphs)
    pieces = chunks(text, 1000)
    assert "".join(pieces) == text
    assert all(len(p) <= 1000 for p in pieces)
    assert all(p.endswith("\n\n") for p in pieces[:-1])
    assert len(pieces) > 4


def test_text_without_breaks_is_cut_at_the_limit() -> None:
    assert chunks("x" * 2500, 1000) == ["x" * 1000, "x" * 1000, "x" * 500]


def test_blank_text_has_no_chunks() -> None:
    assert chunks(" \n\n ", 1000) == []


def test_merge_follows_its_rules() -> None:
    first = _answer(
        document_type="services",
        type_confidence=0.6,
        parties=["Kite Pharma, Inc."],
        effective_date="2012-03-01",
        dates=["2012-03-01"],
        jurisdiction="California",
        amounts=[{"value": 100.0, "currency": "USD", "context": "fee"}],
        total={"value": 90.0, "currency": "USD", "context": None},
        summary="First part.",
    )
    second = _answer(
        document_type="nda",
        type_confidence=0.9,
        parties=["KITE PHARMA INC", "Gilead Sciences, Inc."],
        effective_date="2012-01-06",
        dates=["2012-01-06", "2012-03-01"],
        jurisdiction="Delaware",
        amounts=[
            {"value": 100.0, "currency": "USD", "context": "again"},
            {"value": 5.0, "currency": "EUR", "context": None},
        ],
        total={"value": 120.0, "currency": "USD", "context": None},
        summary="Second part.",
    )
    merged = merge([first, second])
    assert (merged.document_type, merged.type_confidence) == ("nda", 0.9)
    assert merged.parties == ["Kite Pharma, Inc.", "Gilead Sciences, Inc."]
    assert merged.effective_date == date(2012, 1, 6)
    assert merged.dates == [date(2012, 1, 6), date(2012, 3, 1)]
    assert merged.jurisdiction == "California"
    assert [(m.value, m.currency, m.context) for m in merged.amounts] == [
        (100.0, "USD", "fee"),
        (5.0, "EUR", None),
    ]
    assert merged.total is not None
    assert merged.total.value == 120.0
    assert merged.summary == "First part. Second part."
    assert merge([second, first]).parties == ["KITE PHARMA INC", "Gilead Sciences, Inc."]


def test_a_type_tie_goes_to_the_earliest_chunk() -> None:
    merged = merge([_answer(document_type="lease"), _answer(document_type="nda")])
    assert merged.document_type == "lease"


def test_a_merged_summary_is_cut_at_a_sentence() -> None:
    sentence = "This part says a great deal about the parties. "
    parts = [_answer(summary=sentence * 10) for _ in range(5)]
    summary = merge(parts).summary
    assert len(summary) <= MAX_SUMMARY_CHARS
    assert summary.endswith(".")


def test_values_the_document_holds_are_grounded_in_any_spelling() -> None:
    entities = Entities(
        parties=["Kite Pharma Inc", "Gilead Sciences, Inc."],
        effective_date=date(2012, 1, 6),
        dates=[date(2012, 3, 31)],
        amounts=[Money(value=1250000.0, currency="USD")],
        jurisdiction="State of California",
        term="2 years",
        invoice_number="INV-2012-044",
    )
    assert ungrounded(entities, CONTRACT) == []


def test_values_the_document_does_not_hold_are_named() -> None:
    entities = Entities(
        parties=["Kite Pharma, Inc.", "Acme Holdings LLC"],
        effective_date=date(2012, 6, 1),
        dates=[date(2012, 3, 31), date(2013, 1, 1)],
        amounts=[Money(value=1250000.0), Money(value=999.0, currency="USD")],
        jurisdiction="Nevada",
        term="5 years",
        issuer="Umbrella Corp",
        invoice_number="INV-9",
        total=Money(value=77.5),
    )
    assert ungrounded(entities, CONTRACT) == [
        "parties[1]",
        "effective_date",
        "dates[1]",
        "amounts[1]",
        "jurisdiction",
        "term",
        "issuer",
        "invoice_number",
        "total",
    ]


def test_entities_carry_the_answer_over() -> None:
    answer = _answer(
        parties=["A Corp"],
        total={"value": 12.5, "currency": "EUR", "context": "Total"},
        issue_date="2020-02-02",
    )
    entities = entities_of(answer)
    assert entities.parties == ["A Corp"]
    assert entities.total == Money(value=12.5, currency="EUR", context="Total")
    assert entities.issue_date == date(2020, 2, 2)

"""Parties: the parties enrich finds, a between-clause naming both sides, or two definitions."""

import pytest

from docflow_events.v1 import Finding
from docflow_validate.rules import CounterpartyPresent

from .conftest import DocumentBuilder

RULE = CounterpartyPresent(id="parties")
_LETTER_BODY = "\n".join(f"{n}. You will keep the Information confidential." for n in range(30))


@pytest.mark.parametrize(
    "opening",
    [
        "This Agreement is made by and between Acme Corp., a Delaware corporation, and "
        "Jane Doe, an individual.",
        "entered into between Kite Pharma, Inc. (“Kite”) and Gilead Sciences, Inc. (“Company”).",
        "PARTIES: Eric Dean Sprunk (“EMPLOYEE”) and NIKE, Inc. (“NIKE”):",
        "a possible negotiated transaction between you and the Company.",
        # Party clauses validate reads since it shares enrich's.
        "MUTUAL NON-DISCLOSURE AGREEMENT dated as of September 23, 2009 among ALTIMO HOLDINGS"
        ' LIMITED ("Altimo"), TELENOR ASA ("Telenor"), and Beeline Holdings LLC ("Beeline").',
        "This Confidentiality Agreement is made by Acme Holdings LLC, a Delaware limited"
        ' liability company ("Acme"), in favor of Beta Partners, Inc. ("Beta").',
        # A letter: its addressee and the organisation that signs.
        "CONFIDENTIALITY AGREEMENT\nFortune Brands Home & Security, Inc.\n520 Lake Cook Road\n"
        f"Ladies and Gentlemen:\nYou agree as follows:\n{_LETTER_BODY}\nVery truly yours,\n"
        "Norcraft Companies, Inc.\nBy: /s/ Mark Buller\n",
    ],
)
def test_a_clause_naming_both_sides_passes(opening: str, make_document: DocumentBuilder) -> None:
    assert RULE.check(make_document(opening)) == []


@pytest.mark.parametrize(
    "text",
    [
        'Acme Holdings LLC ("Acme") agrees with the undersigned (the "Recipient") that the '
        '("Confidential Information") stays secret.',
        # A legal form (SARL) and a role (Lessee) of the lists shared with enrich.
        'Gamma SARL ("Gamma") leases to the other party (the "Lessee") the ("Premises").',
    ],
)
def test_party_definitions_pass_without_a_between_clause(
    text: str, make_document: DocumentBuilder
) -> None:
    assert RULE.check(make_document(text)) == []


def test_one_party_is_not_enough(make_document: DocumentBuilder) -> None:
    text = (
        'This agreement between the parties is made by Acme Inc. ("Acme"). The '
        '("Confidential Information") and the ("Effective Date") are defined terms.'
    )
    assert RULE.check(make_document(text)) == [
        Finding(
            rule="parties",
            severity="error",
            message="fewer than 2 parties named: no 'between X and Y' clause naming both "
            "sides, and the party definitions found are: Acme",
            field="parties",
        )
    ]


def test_a_blank_counterparty_in_a_form_is_not_a_party(make_document: DocumentBuilder) -> None:
    text = "entered into between Cisco Systems, Inc. and ______________, a __________."
    [finding] = RULE.check(make_document(text))
    assert finding.message.endswith("the party definitions found are: none")


def test_more_parties_can_be_required(make_document: DocumentBuilder) -> None:
    text = 'between Acme Inc. ("Acme") and Beta LLC ("Beta")'
    assert RULE.check(make_document(text)) == []
    [finding] = CounterpartyPresent(id="parties", min_parties=3).check(make_document(text))
    assert "fewer than 3 parties" in finding.message
    assert finding.message.endswith("Acme, Beta")

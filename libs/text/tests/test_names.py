"""Names: what an organisation's or a person's name looks like, and its clean spelling."""

import pytest

from docflow_text.names import ORG, clean_name, is_name, same_party


def test_clean_name_spellings() -> None:
    assert clean_name("Leonard Green & Partners, L.P.") == "Leonard Green and Partners LP"
    assert clean_name("Z Capital Partners L.L.C.") == "Z Capital Partners LLC"
    assert clean_name("Mr. John J. Donahoe II") == "John J. Donahoe II"
    assert clean_name("Tyco Healthcare Group LP d/b/a Covidien") == "Tyco Healthcare Group LP"
    assert clean_name("Interclick, Inc. Inc.") == "Interclick Inc."
    assert clean_name("Inc. Holdings, Inc.") == "Inc. Holdings Inc."


def test_organisations_end_in_a_legal_form() -> None:
    assert ORG.fullmatch("Sears, Roebuck and Co.")
    assert ORG.fullmatch("Telenor ASA")
    assert not ORG.fullmatch("a Delaware corporation")
    assert ORG.fullmatch("AZZ incorporated")
    assert not ORG.fullmatch("Acme incorporated in Delaware")


def test_roles_and_drafting_words_are_not_names() -> None:
    assert is_name("Glacier Bank")
    assert not is_name("Lessee")
    assert not is_name("Recipient shall")
    assert not is_name("Exhibit A Agreement")
    assert not is_name("XXXX")
    assert not is_name("Jane XXXXX")


def test_the_same_party_despite_case_and_punctuation() -> None:
    assert same_party("NIKE Inc.", "Nike, Inc")
    assert not same_party("Nike Inc.", "Nike Europe Inc.")


@pytest.mark.parametrize(
    ("written", "clean"),
    [
        ("BIOSITE INC", "BIOSITE Inc."),
        ("Directors of EXCO Resources, Inc.", "EXCO Resources Inc."),
        ("The Citizens Bank of Logan", "The Citizens Bank of Logan"),
        ("the Affiliated Companies", "Affiliated Companies"),
        ("such Confidential Information, AOL Inc.", "AOL Inc."),
    ],
)
def test_clean_name_keeps_what_names_the_party(written: str, clean: str) -> None:
    assert clean_name(written) == clean


@pytest.mark.parametrize(
    "name",
    [
        "nStor Corporation, Inc.",
        "Boston Safe Deposit &Trust Company",
        "Bruckmann, Rosser, Sherrill & Co. II, L.P.",
    ],
)
def test_organisations_spelled_unusually(name: str) -> None:
    assert ORG.fullmatch(name)


def test_a_capitalised_the_may_open_a_name_but_not_a_role() -> None:
    assert is_name("The Coca-Cola Company")
    assert not is_name("The Company")
    assert not is_name("WITNESSETH")

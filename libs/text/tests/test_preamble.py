"""The opening's party clause: the names it lists, and whether it names both sides at all."""

import pytest

from docflow_text.clean import clean, flatten
from docflow_text.preamble import names_both_sides, read_preamble


def _flat(text: str) -> str:
    return flatten(clean(text))


@pytest.mark.parametrize(
    ("opening", "names", "unnamed"),
    [
        ("This Agreement is made by and between Acme Corp., a Delaware corporation, and Jane Doe,"
         " an individual.", ["Acme Corp.", "Jane Doe"], 0),
        ('dated as of May 1, 2009 among Alpha LLC ("Alpha"), Beta Inc. ("Beta") and Gamma Ltd.'
         ' ("Gamma").', ["Alpha LLC", "Beta Inc.", "Gamma Ltd."], 0),
        ("PARTIES: Eric Dean Sprunk (\u201cEMPLOYEE\u201d) and NIKE, Inc. (\u201cNIKE\u201d):",
         ["Eric Dean Sprunk", "NIKE Inc."], 0),
        ('This Agreement is made by Acme Inc. ("Acme") in favor of the undersigned.',
         ["Acme Inc."], 1),
        ("entered into between Cisco Systems, Inc. and ______________, a __________.",
         ["Cisco Systems Inc."], 1),
        ('is made between Philip J. Hawk ("Mr. Hawk") and Team Industrial Services, Inc., Team,'
         ' Inc., and their affiliated entities (collectively the "Company"), effective as of'
         ' August 8, 2016. Mr. Hawk and the Company agree.',
         ["Philip J. Hawk", "Team Industrial Services Inc."], 0),
        ("between Endo Pharmaceuticals Inc., whose offices are at 100 Endo Boulevard, for itself"
         " and its subsidiaries Endo Solutions Inc. and Endo Valera Inc., each of which shall be"
         ' bound, (collectively "Endo"), and HealthTronics, Inc., located at 9825 Spectrum Dr.',
         ["Endo Pharmaceuticals Inc.", "HealthTronics Inc."], 0),
        ('is made by and between North American Galvanizing & Coating, Inc. ("North American")'
         ' and AZZ incorporated ("AZZ").',
         ["North American Galvanizing and Coating Inc.", "AZZ Inc."], 0),
    ],
)  # fmt: skip
def test_the_opening_lists_the_parties(opening: str, names: list[str], unnamed: int) -> None:
    preamble = read_preamble(_flat(opening))
    assert (preamble.names, preamble.unnamed) == (names, unnamed)


@pytest.mark.parametrize(
    "opening",
    [
        "This Agreement is made by and between Acme Corp., a Delaware corporation, and "
        "Jane Doe, an individual.",
        "entered into between Kite Pharma, Inc. (\u201cKite\u201d) and Gilead Sciences, Inc.",
        "PARTIES: Eric Dean Sprunk (\u201cEMPLOYEE\u201d) and NIKE, Inc. (\u201cNIKE\u201d):",
        "a possible negotiated transaction between you and the Company.",
        "This Agreement is entered into among Alpha LLC and the Investors listed below.",
    ],
)
def test_a_clause_naming_both_sides(opening: str) -> None:
    assert names_both_sides(_flat(opening))


@pytest.mark.parametrize(
    "text",
    [
        "entered into between Cisco Systems, Inc. and ______________, a __________.",
        "This agreement between the parties is made by Acme Inc. and its affiliates.",
        "No clause here names anyone.",
    ],
)
def test_a_blank_or_the_parties_is_not_a_side(text: str) -> None:
    assert not names_both_sides(_flat(text))

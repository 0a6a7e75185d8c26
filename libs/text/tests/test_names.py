"""Names: what an organisation's or a person's name looks like, and its clean spelling."""

from docflow_text.names import ORG, clean_name, is_name, same_party


def test_clean_name_spellings() -> None:
    assert clean_name("Leonard Green & Partners, L.P.") == "Leonard Green and Partners LP"
    assert clean_name("Z Capital Partners L.L.C.") == "Z Capital Partners LLC"
    assert clean_name("Mr. John J. Donahoe II") == "John J. Donahoe II"
    assert clean_name("Tyco Healthcare Group LP d/b/a Covidien") == "Tyco Healthcare Group LP"


def test_organisations_end_in_a_legal_form() -> None:
    assert ORG.fullmatch("Sears, Roebuck and Co.")
    assert ORG.fullmatch("Telenor ASA")
    assert not ORG.fullmatch("a Delaware corporation")


def test_roles_and_drafting_words_are_not_names() -> None:
    assert is_name("Glacier Bank")
    assert not is_name("Lessee")
    assert not is_name("Recipient shall")
    assert not is_name("Exhibit A Agreement")


def test_the_same_party_despite_case_and_punctuation() -> None:
    assert same_party("NIKE Inc.", "Nike, Inc")
    assert not same_party("Nike Inc.", "Nike Europe Inc.")

"""Candidates for an agreement's parties: each reading's names, one candidate per party."""

from docflow_text.clean import clean, flatten, lines, strip_filing_header
from docflow_text.fields.candidate import Candidate
from docflow_text.fields.parties import chosen, party_candidates

_AGREEMENT = (
    "NONDISCLOSURE AGREEMENT\nThis Agreement is made as of March 3, 2015 by and between "
    'Kite Pharma, Inc., a Delaware corporation ("Kite"), and Gilead Sciences, Inc. ("Gilead").\n'
    + "\n".join(["The Recipient shall hold the Confidential Information in confidence."] * 30)
    + "\nIN WITNESS WHEREOF, the parties sign below.\n"
    "KITE PHARMA, INC.\nBy: /s/ Jane Roe\nName: Jane Roe\nTitle: Chief Executive Officer\n"
    "Mary Major\n/s/ Mary Major\n"
)


def _candidates(text: str) -> list[Candidate]:
    cleaned = clean(text)
    return party_candidates(strip_filing_header(flatten(cleaned)), lines(cleaned), text)


def test_a_party_every_reading_offers_is_one_candidate_spelled_as_the_opening_spells_it() -> None:
    found = {c.value: c.features for c in _candidates(_AGREEMENT)}
    assert list(found)[:2] == ["Kite Pharma Inc.", "Gilead Sciences Inc."]
    kite = found["Kite Pharma Inc."]
    assert kite["from_preamble"] == kite["from_signing_org"] == 1.0
    assert kite["preamble_index"] == 0.0
    assert kite["readings"] >= 2.0
    assert found["Gilead Sciences Inc."]["preamble_index"] == 1.0
    assert found["Gilead Sciences Inc."]["from_signing_org"] == 0.0


def test_the_document_s_features_are_every_candidate_s() -> None:
    found = _candidates(_AGREEMENT)
    assert {c.features["preamble_count"] for c in found} == {2.0}
    assert {c.features["candidates"] for c in found} == {float(len(found))}
    assert [c.features["rank"] for c in found] == [float(n) for n in range(len(found))]


def test_a_person_who_signs_for_themself_is_a_candidate() -> None:
    found = {c.value: c.features for c in _candidates(_AGREEMENT)}
    assert found["Mary Major"]["from_signing_person"] == 1.0
    assert found["Mary Major"]["is_person"] == 1.0
    assert found["Mary Major"]["from_preamble"] == 0.0


def test_a_name_keeps_the_typographic_apostrophe_of_the_original() -> None:
    text = "This Agreement is made between Roundy\u2019s Inc. and Delta LLC, as follows."
    assert [c.value for c in _candidates(text)][:2] == ["Roundy\u2019s Inc.", "Delta LLC"]


def test_a_letterhead_s_date_run_into_a_name_is_no_candidate() -> None:
    letter = (
        "PRIVILEGED AND CONFIDENTIAL\nDecember 28, 2006\nPotomac Key Group, LLC\n"
        "1200 Main Street\nWashington, DC 20001\nLadies and Gentlemen:\nIn connection with a "
        'possible transaction with CompuDyne Corporation (the "Company"), you have requested '
        "information.\n" + "You shall keep the information confidential.\n" * 20 + "Very truly "
        "yours,\nCOMPUDYNE CORPORATION\nBy: /s/ Martin Roenigk\nName: Martin Roenigk\n"
    )
    found = [c.value for c in _candidates(letter)]
    assert found == ["Potomac Key Group LLC", "CompuDyne Corporation"]


def test_a_text_without_names_has_no_candidates() -> None:
    assert _candidates("the parties agree to keep secrets.") == []


def test_every_candidate_at_the_bar_is_named_else_the_best_one() -> None:
    assert chosen([0.9, 0.1, 0.5], 0.5) == [0, 2]
    assert chosen([0.2, 0.4, 0.1], 0.5) == [1]
    assert chosen([], 0.5) == []
    assert chosen([0.2, 0.4, 0.1], 0.5, at_least_one=False) == []


def test_a_text_naming_thousands_gives_each_reading_at_most_twenty() -> None:
    signers = "\n".join(f"/s/ Signer Number{n}\nHOLDING NUMBER{n} INC.\nBy: x" for n in range(500))
    text = _AGREEMENT.replace("Mary Major\n/s/ Mary Major\n", signers)
    found = _candidates(text)
    assert found[0].features["signing_org_count"] == 20.0
    assert len(found) <= 2 + 20 * 2

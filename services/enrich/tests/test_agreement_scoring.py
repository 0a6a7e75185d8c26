"""An agreement's effective date and parties as the committed scorer reads them (``make train``
writes it)."""

from datetime import date

import pytest

from docflow_enrich.rules.entities.extract import extract_entities
from docflow_enrich.scoring import scored_effective_date
from docflow_text.clean import clean, flatten, lines, strip_filing_header
from docflow_text.fields import effective_dates, parties, reading
from docflow_text.fields.parties import weighed_parties

_SENTENCES = [
    "The Recipient shall hold the Confidential Information in confidence and use it only"
    " to evaluate the Transaction."
] * 40
_BODY = " ".join(_SENTENCES)
_LINES = "\n".join(_SENTENCES)


@pytest.fixture(autouse=True)
def _committed_model() -> None:
    model = reading.packaged_model()
    assert model is not None
    for field in (effective_dates.FIELD, parties.FIELD):
        assert field in model.fields, f"make train writes the {field} ensemble"


def test_the_opening_s_effective_date_is_read() -> None:
    text = (
        'MUTUAL NONDISCLOSURE AGREEMENT This Mutual Nondisclosure Agreement (the "Agreement") '
        'is entered into effective as of March 3, 2015 (the "Effective Date") by and between '
        f"Acme, Inc. and Beta LLC. {_BODY} The obligations survive until December 31, 2019. "
        "IN WITNESS WHEREOF, the parties have signed this Agreement as of the Effective Date."
    )
    assert scored_effective_date(text) == date(2015, 3, 3)


def test_an_agreement_that_writes_no_date_has_none() -> None:
    text = f"CONFIDENTIALITY AGREEMENT between Acme, Inc. and Beta LLC. {_BODY}"
    assert scored_effective_date(text) is None


def test_the_opening_s_parties_are_named_and_a_signer_for_one_is_not() -> None:
    text = (
        "MUTUAL NONDISCLOSURE AGREEMENT\nThis Mutual Nondisclosure Agreement is entered into "
        'as of March 3, 2015 by and between Acme, Inc., a Delaware corporation ("Acme"), and '
        f'Beta LLC, a Nevada limited liability company ("Beta").\n{_LINES}\n'
        "IN WITNESS WHEREOF, the parties have signed this Agreement.\n"
        "ACME, INC.\nBy: /s/ Jane Roe\nName: Jane Roe\nTitle: President\n"
        "BETA LLC\nBy: /s/ John Doe\nName: John Doe\nTitle: Manager\n"
    )
    entities = extract_entities(text, [], "contract")
    assert entities.parties == ["Acme Inc.", "Beta LLC"]


def test_a_name_keeps_the_typographic_apostrophe_it_is_written_with() -> None:
    text = (
        "CONFIDENTIALITY AGREEMENT\nThis Agreement is made as of May 1, 2012 between "
        "Roundy\u2019s Inc., a Wisconsin corporation (the \u201cCompany\u201d), and "
        f"Delta Partners LLC, a Delaware limited liability company.\n{_LINES}\n"
    )
    assert "Roundy\u2019s Inc." in extract_entities(text, [], "nda").parties


def test_a_memo_binds_no_one_so_a_doubtful_name_is_no_party() -> None:
    notice = "The north lot will be closed for repaving next week; please use the south lot."
    memo = (
        "MEMORANDUM\nTo: All staff\nFrom: Jane Roe, Facilities, Acme Inc.\nDate: March 3, 2020\n"
        f"Re: Parking\n{(notice + chr(10)) * 5}Thanks,\nJane Roe\nFacilities Manager\n"
    )
    cleaned = clean(memo)
    weighed = weighed_parties(strip_filing_header(flatten(cleaned)), lines(cleaned), memo)
    assert weighed is not None
    assert weighed.candidates
    assert max(weighed.confidences) < weighed.bar  # the scorer doubts every name
    assert extract_entities(memo, [], "other").parties == []
    assert len(extract_entities(memo, [], "contract").parties) == 1  # an agreement binds someone

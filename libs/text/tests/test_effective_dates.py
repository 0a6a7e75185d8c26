"""Candidates for an agreement's effective date: each date once, with the words around it."""

from datetime import date

from docflow_text.fields.effective_dates import effective_date_candidates

_BODY = " ".join(["The Recipient shall hold the Confidential Information in confidence."] * 30)
_AGREEMENT = (
    "This Mutual Nondisclosure Agreement is entered into effective as of February 10, 2017 (the "
    '"Effective Date") by and between Kite Pharma, Inc. and Gilead Sciences, Inc. '
    f"{_BODY} IN WITNESS WHEREOF, the parties sign below as of February 10, 2017. "
    "KITE PHARMA, INC. By: /s/ Jane Roe Date: 2/14/2017"
)


def test_each_date_is_one_candidate_in_the_order_written() -> None:
    found = effective_date_candidates(_AGREEMENT)
    assert [c.value for c in found] == [date(2017, 2, 10), date(2017, 2, 14)]
    assert [c.features["rank"] for c in found] == [0.0, 1.0]
    assert found[0].features["mentions"] == 2.0


def test_the_opening_s_words_are_features_of_its_date() -> None:
    opening = effective_date_candidates(_AGREEMENT)[0].features
    assert opening["before_effective"] == opening["after_defined_effective"] == 1.0
    assert opening["in_head"] == opening["earliest"] == 1.0
    assert opening["before_witness_any"] == 1.0
    assert opening["before_witness"] == 0.0
    assert opening["before_date_field"] == opening["numeric"] == 0.0


def test_a_date_field_beside_a_signature_is_read_in_the_document_s_order() -> None:
    # February 10, 2017 is the American order, so 2/14/2017 is the 14th of February.
    signed = effective_date_candidates(_AGREEMENT)[1].features
    assert signed["before_date_field"] == signed["before_by_line"] == 1.0
    assert signed["in_signatures"] == signed["latest"] == signed["numeric"] == 1.0
    assert signed["in_opening"] == signed["before_effective"] == 0.0


def test_an_agreement_without_dates_has_no_candidates() -> None:
    assert effective_date_candidates(f"CONFIDENTIALITY AGREEMENT {_BODY}") == []

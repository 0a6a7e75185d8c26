"""The effective date: from the opening, the witness clause, else the signatures' dates."""

from datetime import date

import pytest

from docflow_enrich.rules.entities.effective import find_effective_date


@pytest.mark.parametrize(
    ("opening", "expected"),
    [
        (
            'This Mutual Confidentiality Agreement ("Agreement") is effective as of February 10,'
            ' 2017 ("Effective Date"), between Kite Pharma, Inc. and Gilead Sciences, Inc.',
            date(2017, 2, 10),
        ),
        (
            "This Agreement (the Agreement) dated this 6th day of January, 2012 is entered into"
            " by and between Maher Albitar and NeoGenomics Laboratories, Inc.",
            date(2012, 1, 6),
        ),
        (
            "THIS AGREEMENT is made and entered into as of January 30, 2006, between ASSET"
            " ACCEPTANCE CAPITAL CORP. and James C. Lee. The Asset Purchase Agreement dated"
            " October 28, 2004 is not this one.",
            date(2006, 1, 30),
        ),
        (
            "PARTIES: John Doe and NIKE, Inc. DATE: October 17, 2019 RECITALS: A. This"
            " Agreement is effective as of January 13, 2020.",
            date(2020, 1, 13),
        ),
        (
            "NON-DISCLOSURE AGREEMENT THIS AGREEMENT is made by and between Heidrick & Struggles,"
            " Inc. and the undersigned. 1. Terms. IN WITNESS WHEREOF, the parties hereto have"
            " executed this agreement this 16th day of May, 2011. HEIDRICK & STRUGGLES, INC.",
            date(2011, 5, 16),
        ),
    ],
)
def test_effective_date(opening: str, expected: date) -> None:
    assert find_effective_date(opening) == expected


def test_a_numeric_date_in_the_opening_is_read_as_the_document_spells_dates() -> None:
    american = (
        "This Agreement is dated as of 6/1/2010 between Acme, Inc. and Widget LLC. Payment is due"
        " on March 3, 2011 and the report on May 4, 2011."
    )
    assert find_effective_date(american) == date(2010, 6, 1)
    european = american.replace("March 3, 2011", "3 March 2011")
    european = european.replace("May 4, 2011", "4 May 2011")
    assert find_effective_date(european) == date(2010, 1, 6)


def test_a_blank_agreement_date_is_no_date_even_when_other_dates_follow() -> None:
    opening = (
        "This Agreement is entered into as of the day of , 2013, by and between Ameris Bancorp"
        ' and Shirley P. Fiano ("Executive"). WHEREAS, pursuant to the Merger Agreement dated'
        " as of May 1, 2013, the parties agree."
    )
    assert find_effective_date(opening) is None


def test_a_date_below_a_letterhead_address_is_not_the_effective_date() -> None:
    opening = (
        "Koch Industries, Inc. 4111 E. 37th Street North Wichita, Kansas 67220 December 28, 2006"
        " Potomac Key Group, LLC Dear Sir: Potomac Key Group, LLC has requested information."
    )
    assert find_effective_date(opening) is None


def test_a_letter_that_opens_with_its_date_takes_effect_then() -> None:
    opening = (
        "CONFIDENTIALITY AGREEMENT Exhibit (d)(2) December 11, 2014 Fortune Brands Home &"
        " Security, Inc. 520 Lake Cook Road Deerfield, IL 60015 Ladies and Gentlemen: In"
        " connection with your consideration of a possible transaction, you agree as follows."
    )
    assert find_effective_date(opening) == date(2014, 12, 11)


_BODY = " ".join(f"{n}. The Employee shall keep information confidential." for n in range(40))


def test_without_a_date_in_the_opening_the_last_signature_date_is_taken() -> None:
    text = (
        "CONFIDENTIALITY AGREEMENT As an associate of Ann Taylor, Inc. (the Company), you agree"
        f" as follows: {_BODY} Offer Letter Agreement dated August 6, 2008. ANN TAYLOR: ASSOCIATE:"
        " BY: /s/ Mark G. Morrison /s/ Christine Beauchamp Date: 8/11/08 Date: 8/7/08"
    )
    assert find_effective_date(text) == date(2008, 8, 11)


def test_a_date_captioned_under_the_signature_line_counts() -> None:
    text = (
        f"Dear Sir: {_BODY} POTOMAC KEY GROUP, LLC By: /s/ Stuart Mackiernan January 3, 2007 Date 6"
    )
    assert find_effective_date(text) == date(2007, 1, 3)


def test_an_opening_tied_to_an_event_states_no_date() -> None:
    text = (
        "As a condition of my employment, I agree to the following, effective immediately prior"
        f" to the effectiveness of the registration statement: {_BODY}"
        " Date: November 19, 2004 /s/ RAY DOLBY"
    )
    assert find_effective_date(text) is None


def test_the_signature_dates_win_over_the_letter_date() -> None:
    text = (
        f"December 28, 2006 Potomac Key Group, LLC Dear Sir: {_BODY} POTOMAC KEY GROUP, LLC"
        " By: /s/ Stuart Mackiernan Date: January 3, 2007"
    )
    assert find_effective_date(text) == date(2007, 1, 3)


def test_a_countersignature_written_as_prose_dates_the_agreement() -> None:
    text = (
        f"Dear Eugene: {_BODY} NEUROMED PHARMACEUTICALS INC. By: /s/ Christopher Gallen"
        " ACCEPTED AND AGREED TO THIS 11 DAY OF October, 2007. /s/ C. Eugene Wright"
    )
    assert find_effective_date(text) == date(2007, 10, 11)


def test_the_date_of_another_agreement_named_in_the_opening_is_not_taken() -> None:
    text = (
        "This letter agreement sets out terms used in the Nomination Agreement (the"
        ' "Nomination Agreement"), dated as of March 26, 2018, among the Company and you.'
        f" {_BODY}"
    )
    assert find_effective_date(text) is None

from datetime import date

import pytest

from docflow_enrich.rules.entities.dates import find_dates, parse_date, writes_month_first
from docflow_enrich.rules.entities.effective import find_effective_date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("February 10, 2017", date(2017, 2, 10)),
        ("the 6th day of January, 2012", date(2012, 1, 6)),
        ("as of the 4th day of May 2005 by", date(2005, 5, 4)),
        ("Invoice Date: August 3 , 2014", date(2014, 8, 3)),
        ("December 11,2014", date(2014, 12, 11)),
        ("Sept. 3, 2010", date(2010, 9, 3)),
        ("7. Mai 2014", date(2014, 5, 7)),
        ("du 02 Juillet 2015", date(2015, 7, 2)),
        ("Factuurdatum: 19 april 2014", date(2014, 4, 19)),
        ("2014-08-03", date(2014, 8, 3)),
        ("Date : 28/11/2022", date(2022, 11, 28)),
        ("Invoice Date: 20-10-2015", date(2015, 10, 20)),
        ("12/31/2017", date(2017, 12, 31)),
        ("made as of December 9 th , 2014", date(2014, 12, 9)),
    ],
)
def test_parses_the_ways_dates_are_written(text: str, expected: date) -> None:
    assert parse_date(text) == expected


def test_impossible_dates_are_not_dates() -> None:
    assert find_dates("February 30, 2017 and 45/13/2020") == []


def test_finds_every_date_in_reading_order() -> None:
    found = find_dates("signed on March 1, 2020, amended 2021-06-30, ended 5 July 2022")
    assert [f.value for f in found] == [date(2020, 3, 1), date(2021, 6, 30), date(2022, 7, 5)]


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


def test_a_blank_agreement_date_is_no_date_even_when_other_dates_follow() -> None:
    opening = (
        "This Agreement is entered into as of the day of , 2013, by and between Ameris Bancorp"
        ' and Shirley P. Fiano ("Executive"). WHEREAS, pursuant to the Merger Agreement dated'
        " as of May 1, 2013, the parties agree."
    )
    assert find_effective_date(opening) is None


def test_a_letter_date_is_not_the_effective_date() -> None:
    opening = (
        "December 28, 2006 Potomac Key Group, LLC Attn: Stuart Mackiernan Dear Sir: Potomac Key"
        " Group, LLC has requested information concerning CompuDyne Corporation."
    )
    assert find_effective_date(opening) is None


def test_two_digit_years_and_the_documents_own_order() -> None:
    found = find_dates("Date: 8/11/08", month_first=True, short_years=True)
    assert [f.value for f in found] == [date(2008, 8, 11)]
    assert find_dates("Date: 8/11/08") == []
    assert parse_date("Date : 04/05/2010") == date(2010, 5, 4)
    assert writes_month_first("signed May 4, 2005 and the Offer Letter dated August 6, 2008")
    assert not writes_month_first("signé le 4 mai 2005 et le 6 août 2008")


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

"""Dates: the spellings of four languages, both numeric orders, and what only looks like a date."""

import json
import re
from datetime import date
from pathlib import Path

import pytest

from docflow_testing.samples import read_pdf
from docflow_text.dates import (
    date_mentions,
    find_dates,
    month_first_locale,
    parse_date,
    writes_month_first,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("February 10, 2017", date(2017, 2, 10)),
        ("the 6th day of January, 2012", date(2012, 1, 6)),
        ("as of the 4th day of May 2005 by", date(2005, 5, 4)),
        ("this 31st day of May , 2005", date(2005, 5, 31)),
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
        # Short and unaccented month names.
        ("Rechnungsdatum: 3. Okt. 2014", date(2014, 10, 3)),
        ("Datum: 24. Dez 2013", date(2013, 12, 24)),
        ("le 12 janv. 2015", date(2015, 1, 12)),
        ("le 14 juil 2016", date(2016, 7, 14)),
        ("le 2 févr. 2017", date(2017, 2, 2)),
        ("am 5. Maerz 2012", date(2012, 3, 5)),
        ("le 1er decembre 2010", date(2010, 12, 1)),
        # Contracts' spellings: the day in words, an era or "in the year", a lost space.
        ("made this first day of June, 2010", date(2010, 6, 1)),
        ("the Twenty-First day of June, 2010", date(2010, 6, 21)),
        ("this twenty second day of March 2011", date(2011, 3, 22)),
        ("the thirty-first day of May, 2005", date(2005, 5, 31)),
        ("this 21st day of June, A.D. 2010", date(2010, 6, 21)),
        ("the 3rd day of September in the year 2009", date(2009, 9, 3)),
        ("dated December31, 2009", date(2009, 12, 31)),
        # Spanish, and Dutch's short March.
        ("Fecha de emisión: 29 de enero de 2019", date(2019, 1, 29)),
        ("Fecha factura: 7 de marzo de 2019", date(2019, 3, 7)),
        ("Factuurdatum: 8 mrt 2025", date(2025, 3, 8)),
    ],
)
def test_parses_the_ways_dates_are_written(text: str, expected: date) -> None:
    assert parse_date(text) == expected


def test_impossible_dates_are_not_dates() -> None:
    assert find_dates("February 30, 2017 and 45/13/2020") == []


def test_finds_every_date_in_reading_order() -> None:
    found = find_dates("signed on March 1, 2020, amended 2021-06-30, ended 5 July 2022")
    assert [f.value for f in found] == [date(2020, 3, 1), date(2021, 6, 30), date(2022, 7, 5)]


def test_any_four_digit_year_is_read() -> None:
    assert parse_date("Dated March 3, 1899.") == date(1899, 3, 3)
    assert parse_date("expires 31/12/2150") == date(2150, 12, 31)


def test_two_digit_years_and_the_documents_own_order() -> None:
    found = find_dates("Date: 8/11/08", month_first=True, short_years=True)
    assert [f.value for f in found] == [date(2008, 8, 11)]
    assert find_dates("Date: 8/11/08") == []
    assert find_dates("Date: 3.26.71", month_first=True, short_years=True)[0].value == date(
        1971, 3, 26
    )
    assert parse_date("Date : 04/05/2010") == date(2010, 5, 4)
    assert writes_month_first("signed May 4, 2005 and the Offer Letter dated August 6, 2008")
    assert not writes_month_first("signé le 4 mai 2005 et le 6 août 2008")


def test_mentions_are_everything_written_like_a_date() -> None:
    text = (
        "made this 6th day of January, 2012; effective as of March 21, 2014; "
        "DATE: 31/12/2017; 2017-12-31; Invoice Date: August 3 , 2014; 7. Mai 2014; "
        "02 Juillet 2015; 19 april 2014; period 01.05.14-31.05.14; phone 01 71 17 61 67; "
        "since May 2005; due 31/02/2014"
    )
    mentions = date_mentions(text)
    assert [m.text for m in mentions] == [
        "6th day of January, 2012", "March 21, 2014", "31/12/2017", "2017-12-31",
        "August 3 , 2014", "7. Mai 2014", "02 Juillet 2015", "19 april 2014", "01.05.14",
        "31.05.14", "May 2005", "31/02/2014",
    ]  # fmt: skip
    assert [m.value for m in mentions[:3]] == [
        date(2012, 1, 6), date(2014, 3, 21), date(2017, 12, 31)
    ]  # fmt: skip
    assert [m.value for m in mentions[-4:]] == [
        date(2014, 5, 1), date(2014, 5, 31), date(2005, 5, 1), None
    ]  # fmt: skip
    assert [text[m.start : m.end] for m in mentions] == [m.text for m in mentions]


def test_the_preferred_order_reads_an_ambiguous_numeric_date() -> None:
    [day_first] = date_mentions("01.05.14")
    [month_first] = date_mentions("01.05.14", month_first=True)
    assert (day_first.value, month_first.value) == (date(2014, 5, 1), date(2014, 1, 5))
    assert date_mentions("13/13/2014")[0].value is None


def test_gold_effective_dates_of_the_sample_ndas_are_among_the_mentions(samples: Path) -> None:
    gold = _gold_effective_dates(samples / "kleister-nda" / "expected.tsv")
    found = 0
    for name, effective in gold.items():
        text = read_pdf(samples / "kleister-nda" / f"{name}.pdf").text
        found += effective in {m.value for m in date_mentions(text, month_first=True)}
    assert (found, len(gold)) == (10, 10)


def _gold_effective_dates(expected: Path) -> dict[str, date]:
    gold: dict[str, date] = {}
    for line in expected.read_text().splitlines():
        filename, values = line.split("\t", 1)
        match = re.search(r"effective_date=(\S+)", values)
        if match:
            gold[Path(filename).stem] = date.fromisoformat(match.group(1))
    return gold


def test_the_sample_invoices_dates_are_found(samples: Path) -> None:
    for pdf in sorted((samples / "invoices").glob("*.pdf")):
        truth = json.loads(pdf.with_suffix(".json").read_text())[0]["date"]
        found = {f.value.isoformat() for f in find_dates(read_pdf(pdf).text)}
        assert truth in found, pdf.name


def test_years_longer_than_four_digits_are_no_dates() -> None:
    # Audited with the money overflow: the patterns take four-digit years only.
    huge = "9" * 400
    assert find_dates(f"May 4, {huge} and {huge}-01-01 and 01/02/{huge} and 2014-08-{huge}") == []
    assert [m.value for m in date_mentions(f"May {huge}")] == []


@pytest.mark.parametrize(
    ("text", "meant"),
    [
        ("Date 25 / 12 / 2018 10:22", date(2018, 12, 25)),  # spaces around separators
        ("2O18-03-23", date(2018, 3, 23)),  # a letter O for a zero
        ("Date: l2/01/2019", date(2019, 1, 12)),  # a letter l for a one
        ("18-Mar-18", date(2018, 3, 18)),
        ("10MAR2018 12:00", date(2018, 3, 10)),
        ("Date: 12-01-19", date(2019, 1, 12)),  # day first, two-digit year
        # The time glued to the date, its space lost
        ("Date 02/02/20177:31:08PM A3", date(2017, 2, 2)),
        ("CB#:87870 21/09/201710:20:37AM", date(2017, 9, 21)),
        ("12Mar201818:19", date(2018, 3, 12)),
        ("Date :01-03-185:23:26PM", date(2018, 3, 1)),
    ],
)
def test_ocr_mode_reads_scanned_spellings(text: str, meant: date) -> None:
    found = find_dates(text, short_years=True, ocr=True)
    assert [f.value for f in found] == [meant]


def test_ocr_positions_refer_to_the_text_given() -> None:
    text = "on 2O18-03-23 ok"
    (found,) = find_dates(text, ocr=True)
    assert text[found.start : found.end] == "2O18-03-23"


def test_digits_glued_to_a_date_without_a_time_are_no_year() -> None:
    # Only a time (digits and a colon) may follow a year without a space.
    assert find_dates("12/01/20195", short_years=True, ocr=True) == []
    assert find_dates("INV 01-03-1812345", short_years=True, ocr=True) == []


def test_two_digit_years_in_ocr_mode_need_short_years() -> None:
    assert find_dates("18-Mar-18", ocr=True) == []
    assert find_dates("Date 12 / 01 / 19", ocr=True) == []


@pytest.mark.parametrize(
    ("text", "month_first"),
    [
        ("TOTAL RM 30.00 GST 6%", False),
        ("SGD 12.00", False),
        ("VAT 20% £12", False),
        ("Total $30.00\nAustin, TX 78701", True),
        ("Amount USD 30.00, sales tax 8%", True),
        ("Signed on May 4, 2005 and May 9, 2005", True),  # no money cue: its spelled dates
        ("Signed on 4 May 2005", False),
        ("nothing to go by", False),  # most of the world writes the day first
    ],
)
def test_the_locale_says_which_order_numeric_dates_take(text: str, month_first: bool) -> None:
    assert month_first_locale(text) is month_first


def test_the_locale_resolves_an_ambiguous_date() -> None:
    us = "Total $12.00 Austin, TX 78701 Date 04/05/2018"
    my = "Total RM 12.00 Date 04/05/2018"
    read = [find_dates(t, month_first=month_first_locale(t))[0].value for t in (us, my)]
    assert read == [date(2018, 4, 5), date(2018, 5, 4)]

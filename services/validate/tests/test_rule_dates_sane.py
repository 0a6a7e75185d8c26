"""Dates: impossible and implausible ones reported, in every spelling docflow_text reads."""

from datetime import date

from docflow_events.v1 import Finding
from docflow_validate.rules import DatesSane

from .conftest import DocumentBuilder


def test_passes_plausible_dates(make_document: DocumentBuilder) -> None:
    document = make_document("Signed on January 4, 1999.", "Expires 31/12/2030.")
    assert DatesSane(id="dates").check(document) == []


def test_reports_dates_that_do_not_exist(make_document: DocumentBuilder) -> None:
    document = make_document("Intro", "Payment due 31/02/2014 or 13/13/2014.")
    assert DatesSane(id="dates").check(document) == [
        Finding(rule="dates", severity="error", field="dates",
                message="'31/02/2014' on page 2 is not a valid date"),
        Finding(rule="dates", severity="error", field="dates",
                message="'13/13/2014' on page 2 is not a valid date"),
    ]  # fmt: skip


def test_reports_dates_out_of_range_once_each(make_document: DocumentBuilder) -> None:
    latest = date.today().year + 30
    document = make_document(
        "Dated March 3, 1899. Again March 3, 1899.", f"Ends December 1, {latest + 1}."
    )
    findings = DatesSane(id="dates", min_year=1950, max_years_ahead=30).check(document)
    assert [f.message for f in findings] == [
        "'March 3, 1899' on page 1 is before 1950",
        f"'December 1, {latest + 1}' on page 2 is after {latest}",
    ]


def test_every_spelling_and_two_digit_years_are_checked(make_document: DocumentBuilder) -> None:
    document = make_document(
        "signed the 6th of February, 1899; due 3. Okt. 1899; period 01.05.49-31.05.49; May 1899"
    )
    findings = DatesSane(id="dates", min_year=1950).check(document)
    assert [f.message for f in findings] == [
        "'6th of February, 1899' on page 1 is before 1950",
        "'3. Okt. 1899' on page 1 is before 1950",
        "'May 1899' on page 1 is before 1950",
    ]


def test_the_pack_decides_the_day_order(make_document: DocumentBuilder) -> None:
    document = make_document("Invoice date 12/31/2017, due 31/12/2017, paid 13/13/2017")
    for dayfirst in (True, False):
        [finding] = DatesSane(id="dates", dayfirst=dayfirst).check(document)
        assert finding.message == "'13/13/2017' on page 1 is not a valid date"


def test_dates_looked_at_stop_at_the_limit(make_document: DocumentBuilder) -> None:
    document = make_document("1/1/2000 " * 5 + "31/02/2000")
    assert DatesSane(id="dates", max_dates=5).check(document) == []
    assert len(DatesSane(id="dates", max_dates=6).check(document)) == 1

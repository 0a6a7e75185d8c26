"""Dates: found in several languages and layouts; impossible and implausible ones reported."""

from datetime import date

from docflow_events.v1 import Finding
from docflow_validate.rules import DatesSane
from docflow_validate.rules.date_text import find_dates, read_date

from .conftest import DocumentBuilder


def test_finds_dates_as_contracts_and_invoices_write_them() -> None:
    text = (
        "made this 6th day of January, 2012; effective as of March 21, 2014; "
        "DATE: 31/12/2017; 2017-12-31; Invoice Date: August 3 , 2014; 7. Mai 2014; "
        "02 Juillet 2015; 19 april 2014; period 01.05.14-31.05.14; phone 01 71 17 61 67"
    )
    written = list(find_dates(text, limit=100))
    assert written == [
        "6th day of January, 2012", "March 21, 2014", "31/12/2017", "2017-12-31",
        "August 3 , 2014", "7. Mai 2014", "02 Juillet 2015", "19 april 2014", "01.05.14",
        "31.05.14",
    ]  # fmt: skip
    assert [read_date(w, dayfirst=True) for w in written[:3]] == [
        date(2012, 1, 6), date(2014, 3, 21), date(2017, 12, 31),
    ]  # fmt: skip
    assert read_date("7. Mai 2014", dayfirst=True) == date(2014, 5, 7)
    assert read_date("02 Juillet 2015", dayfirst=True) == date(2015, 7, 2)


def test_day_order_follows_the_pack() -> None:
    assert read_date("01.05.14", dayfirst=True) == date(2014, 5, 1)
    assert read_date("01.05.14", dayfirst=False) == date(2014, 1, 5)


def test_finding_stops_at_the_limit() -> None:
    assert len(list(find_dates("1/1/2000 " * 50, limit=7))) == 7


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

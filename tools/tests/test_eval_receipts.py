"""The receipts' matching rules: issuer as normalised text, a date as a date, total as a number."""

from datetime import date

import pytest

from docflow_events.v1.results import Entities
from docflow_tools.eval.receipts import Gold, compare, gold_date, gold_total, issuer_key


@pytest.mark.parametrize(
    ("printed", "meant"),
    [
        ("25/12/2018", date(2018, 12, 25)),
        ("12-01-19", date(2019, 1, 12)),  # day first, two-digit year
        ("5/3/2018", date(2018, 3, 5)),
        ("29.12.2017", date(2017, 12, 29)),
        ("12/28/2017", date(2017, 12, 28)),  # 28 cannot be a month: month first
        ("2018-03-23", date(2018, 3, 23)),
        ("10 MAR 2018", date(2018, 3, 10)),
        ("18-Mar-18", date(2018, 3, 18)),
        (" 02 January 2018 ", date(2018, 1, 2)),
    ],
)
def test_a_gold_date_is_read_whatever_its_printed_form(printed: str, meant: date) -> None:
    assert gold_date(printed) == meant


@pytest.mark.parametrize("printed", ["", "31/02/2018", "TODAY", "13 FOO 2018"])
def test_a_gold_date_that_is_no_date_is_not_scored(printed: str) -> None:
    assert gold_date(printed) is None


def test_totals_are_numbers() -> None:
    assert gold_total("$8.20") == pytest.approx(8.2)
    assert gold_total("RM 1,234.50") == pytest.approx(1234.5)
    assert gold_total("") is None
    assert gold_total("1.2.3") is None


def test_issuers_compare_without_case_spaces_and_punctuation() -> None:
    assert issuer_key("MR D.I.Y. (M) SDN BHD") == issuer_key("Mr DIY (M) Sdn. Bhd.")
    assert issuer_key("TEO HENG STATIONERY") != issuer_key("TED HENG STATIONERY")


def _entities(issuer: str | None, day: str | None, total: float | None) -> Entities:
    return Entities.model_validate(
        {"issuer": issuer, "issue_date": day,
         "total": None if total is None else {"value": total, "currency": "MYR"}}
    )  # fmt: skip


def test_a_receipt_read_right() -> None:
    gold = Gold(company="ASIA MART", date="22/12/2017", total="32.70")
    results = compare(gold, _entities("Asia Mart", "2017-12-22", 32.7))
    assert [(r.field, r.right) for r in results] == [
        ("issuer", True), ("date", True), ("total", True)
    ]  # fmt: skip


def test_a_receipt_read_wrong_and_a_field_without_gold() -> None:
    gold = Gold(company="ASIA MART", date="22/12/2017", total="")
    results = compare(gold, _entities("ASIA MARK", "2017-11-22", None))
    assert [(r.field, r.right) for r in results] == [("issuer", False), ("date", False)]
    nothing = compare(gold, _entities(None, None, None))
    assert [r.got for r in nothing] == ["", ""]

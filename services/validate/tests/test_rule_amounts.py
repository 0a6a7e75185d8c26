"""Amounts: money as invoices write it, labels read from text, key-values and tables."""

import pytest

from docflow_events.v1 import Finding
from docflow_validate.rules import AmountsAddUp
from docflow_validate.rules.money import amount_value, amounts_in

from .conftest import DocumentBuilder

RULE = AmountsAddUp(id="amounts")


@pytest.mark.parametrize(
    ("text", "amounts"),
    [
        ("Total 1 278.61 40.39 319.00", [278.61, 40.39, 319.0]),
        ("TVA 20% : 9,34 €", [9.34]),
        ("1,939.00 or 1.234,56 or 45,93", [1939.0, 1234.56, 45.93]),
        ("Grand Total Rs 1939", [1939.0]),
        ("DUE ON August 3 , 2014 $4.11", [4.11]),
        ("€ -9,32", [-9.32]),
        ("14.50% of 3 items, phone 080 100 444 66, order 2022089083", []),
    ],
)
def test_amounts_need_cents_or_a_currency(text: str, amounts: list[float]) -> None:
    assert amounts_in(text) == amounts


def test_a_field_value_may_be_a_bare_number() -> None:
    assert amount_value("1939") == 1939.0
    assert amount_value("USD 1,000") == 1000.0
    assert amount_value("n/a") is None


def test_subtotal_plus_tax_equal_to_total_passes(make_document: DocumentBuilder) -> None:
    document = make_document("Total HT : 46,68 €\nTVA 20% : 9,34 €\nTotal TTC : 56,02 €")
    assert RULE.check(document) == []


def test_subtotal_plus_tax_not_equal_to_total_fails(make_document: DocumentBuilder) -> None:
    document = make_document("Subtotal $100.00\nSales tax $8.00\nTotal due $110.00")
    assert RULE.check(document) == [
        Finding(
            rule="amounts",
            severity="error",
            message="subtotal 100.00 + tax 8.00 = 108.00 does not match the total 110.00 "
            "(tolerance 0.02)",
            field="total",
        )
    ]


def test_the_tolerance_absorbs_rounding(make_document: DocumentBuilder) -> None:
    document = make_document("Subtotal 10.00\nVAT 2.01\nTotal 12.00")
    assert RULE.check(document) == []
    assert len(AmountsAddUp(id="amounts", tolerance=0.0).check(document)) == 1


def test_several_labels_on_one_line_each_take_their_amount(
    make_document: DocumentBuilder,
) -> None:
    document = make_document("Exclusief BTW € 593,36 Subtotaal € 717,97\nBTW 21% € 124,61\n"
                             "Totaal € 717,97")  # fmt: skip
    assert RULE.check(document) == []


def test_key_values_and_tables_are_read(make_document: DocumentBuilder) -> None:
    document = make_document(
        "An invoice whose numbers are only in fields and tables.",
        key_values=[("Total", "120.00"), ("VAT", "20.00")],
        tables=[[["Item", "Qty", "Amount"], ["Widget", "2", "60.00"], ["Gadget", "1", "40.00"],
                 ["Subtotal", "", "100.00"]]],
    )  # fmt: skip
    assert RULE.check(document) == []


def test_line_amounts_that_do_not_add_up_fail(make_document: DocumentBuilder) -> None:
    document = make_document(
        "Invoice",
        key_values=[("Total", "120.00")],
        tables=[[["Widget", "60.00"], ["Gadget", "40.00"]]],
    )
    assert RULE.check(document) == [
        Finding(
            rule="amounts",
            severity="error",
            message="the 2 line amounts add up to 100.00, not to the total 120.00 (tolerance 0.02)",
            field="lines",
        )
    ]


def test_missing_numbers_are_a_warning(make_document: DocumentBuilder) -> None:
    assert RULE.check(make_document("Thanks for your order")) == [
        Finding(rule="amounts", severity="warning", field="total",
                message="could not check the amounts: no total amount found"),
    ]  # fmt: skip
    [finding] = RULE.check(make_document("Grand Total 319.00"))
    assert finding.severity == "warning"
    assert (
        finding.message
        == "could not check the amounts: found the total 319.00 but nothing to add up"
    )


def test_a_gap_without_a_tax_amount_is_only_a_warning(make_document: DocumentBuilder) -> None:
    [finding] = RULE.check(make_document("Subtotal 100.00\nTotal 119.00"))
    assert finding.severity == "warning"
    assert "no tax amount was found" in finding.message

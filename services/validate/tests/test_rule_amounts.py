"""Amounts: labels read from text, key-values and tables; combinations that add up or not."""

import pytest

from docflow_events.v1 import Finding
from docflow_validate.rules import AmountsAddUp

from .conftest import DocumentBuilder

RULE = AmountsAddUp(id="amounts")


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


@pytest.mark.parametrize(
    "text",
    [
        "Subtotal $100.00\nShipping $12.50\nSales tax $8.00\nTotal due $120.50",
        "Zwischensumme 100,00 EUR\nRabatt -10,00 EUR\nMwSt. 19% 17,10 EUR\nGesamtbetrag 107,10 EUR",
        "Taxable value 1,000.00\nCGST 9% 90.00\nSGST 9% 90.00\nRound off 0.25\n"
        "Grand Total 1,180.25",
        "Base imponible 1.000,00 €\nIVA 21% 210,00 €\nRetención IRPF 15% 150,00 €\n"
        "Total a pagar 1.060,00 €",
        "Zwischensumme 119,00 EUR\nenthaltene MwSt. 19% 19,00 EUR\nGesamtbetrag 119,00 EUR",
        "Subtotal 4,230.06\nShipping & handling 65.48\nIncludes VAT at 5% 204.55\n"
        "Invoice Total 4,295.54",
        "Montant HT 47,27 €\nEscompte -0,95 €\nTVA 20 % 9,26 €\nMontant TTC 55,58 €",
    ],
)
def test_charges_deductions_several_taxes_and_included_tax_add_up(
    make_document: DocumentBuilder, text: str
) -> None:
    assert RULE.check(make_document(text)) == []


def test_an_added_tax_is_not_taken_for_an_included_one(make_document: DocumentBuilder) -> None:
    document = make_document("Subtotal 119.00\nVAT 19% 19.00\nTotal 119.00")
    assert [f.severity for f in RULE.check(document)] == ["error"]


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


# Labels, currencies and groupings validate reads since it shares them with enrich.
@pytest.mark.parametrize(
    ("subtotal", "tax", "total"),
    [
        ("Sub-total CAD 1,000", "Sales tax CAD 80", "Total due CAD 1,080"),
        ("Subtotal US$ 1,000.00", "VAT US$ 200.00", "Total facture US$ 1,200.00"),
        ("Montant HT 1 000,00 \u20ac", "TVA 200,00 \u20ac", "Montant total 1 200,00 \u20ac"),
        ("Net amount 1,00,000.00", "GST 18,000.00", "Amount paid Rs 1,18,000.00"),
        ("Subtotal 100 dollars", "Tax 5 dollars", "Balance due 105 dollars"),
    ],
)
def test_shared_labels_currencies_and_groupings_add_up(
    subtotal: str, tax: str, total: str, make_document: DocumentBuilder
) -> None:
    assert RULE.check(make_document(f"{subtotal}\n{tax}\n{total}")) == []


def test_a_pack_may_give_its_own_labels(make_document: DocumentBuilder) -> None:
    document = make_document("Zwischensumme 10,00\nMwSt. 1,90\nBruttosumme 11,90")
    assert RULE.check(document)[0].message.endswith("no total amount found")
    own = AmountsAddUp(id="amounts", total_labels=[r"bruttosumme"])
    assert own.check(document) == []

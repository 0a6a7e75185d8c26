"""Field labels: each field's labels in five languages, matched as whole words or phrases."""

import pytest

from docflow_text import labels
from docflow_text.labels import FIELD_LABELS, label_pattern


def _labelled(field: str, line: str) -> str | None:
    match = label_pattern(*FIELD_LABELS[field]).search(line)
    return match.group() if match else None


# Lines of each field, with the label read in each.
EXAMPLES = {
    "invoice_number": {
        "Invoice No.: 42183017": "Invoice No.",
        "Facture n\u00b0562044387 du 02 Juillet 2015": "Facture n\u00b0",
        "Facture num\u00e9ro 17": "Facture num\u00e9ro",
        "Rechnungs-Nr. 30064443": "Rechnungs-Nr.",
        "Factuurnummer: 993548900": "Factuurnummer",
        "Booking ID IBZY2087": "Booking ID",
        "Inv. No.: 2024.6367": "Inv. No.",
        "N\u00b0 de facture : 2023.6625": "N\u00b0 de facture",
        "Re.-Nr.: R26087724": "Re.-Nr.",
        "Factuur nr.: 64798642": "Factuur nr.",
        "Factura N\u00ba: A201963093": "Factura N\u00ba",
        "N\u00famero de factura: 22750172": "N\u00famero de factura",
    },
    "date": {
        "Factuurdatum: 19 april 2014": "Factuurdatum",
        "Issue date 2014-08-03": "Issue date",
        "Datum 7. Mai 2014": "Datum",
        "Date de facturation : 11/10/2023": "Date de facturation",
        "Date d\u2019\u00e9mission: 13-07-2023": "Date d\u2019\u00e9mission",
        "Fecha de emisi\u00f3n: 29 de enero de 2019": "Fecha de emisi\u00f3n",
        "Dated: 08/07/2020": "Dated",
    },
    "total": {
        "Total facture : 56,02 \u20ac": "Total facture",
        "Montant total : 56,02 \u20ac": "Montant total",
        "Somme a payer 12,00": "Somme a payer",
        "Amount paid Rs 1939": "Amount paid",
        "Gesamtbetrag 1.234,56 EUR": "Gesamtbetrag",
        "Te betalen \u20ac3030,08": "Te betalen",
        "Total a pagar 2.148,65 \u20ac": "Total a pagar",
        "Net \u00e0 payer 12,00": "Net \u00e0 payer",
    },
    "subtotal": {"Total HT : 46,68 \u20ac": "Total HT", "Base imponible 100,00": "Base imponible"},
    "tax": {"MwSt. 19% 3,80": "MwSt."},
}


@pytest.mark.parametrize("field", sorted(EXAMPLES))
def test_each_field_is_read_by_its_labels(field: str) -> None:
    assert {line: _labelled(field, line) for line in EXAMPLES[field]} == EXAMPLES[field]


def test_labels_are_whole_words() -> None:
    assert _labelled("date", "Dateline 12") is None
    assert _labelled("total", "Subtotal 5.00") is None
    assert _labelled("tax", "Taxi 12.00") is None


def test_the_date_of_issue_is_one_of_the_date_labels() -> None:
    assert set(labels.ISSUE_DATE) <= set(labels.DATE)
    assert label_pattern(*labels.ISSUE_DATE).search("Order Date: 15-10-2015") is None


def test_what_may_follow_a_label() -> None:
    number = label_pattern(*labels.INVOICE_NUMBER, followed_by=r"\s*[:#]?\s*")
    match = number.search("Invoice No : # BLR_WFLD20151000982590")
    assert match is not None
    assert match.group() == "Invoice No : "

"""Required fields: from key-values first, else from 'label value' lines of the text."""

import pytest
from pydantic import ValidationError

from docflow_events.v1 import Box, Finding, Line
from docflow_text import labels
from docflow_validate.rules import KeyValuesPresent

from .conftest import DocumentBuilder

RULE = KeyValuesPresent.model_validate(
    {
        "id": "fields",
        "keys": [
            {"name": "invoice_number", "labels": [r"invoice\s*(?:no\.?|number|#)",
                                                  r"facture\s*n[°o]"]},
            {"name": "date", "labels": [r"(?:invoice\s+)?date"]},
            {"name": "total", "labels": [r"total"]},
        ],
    }
)  # fmt: skip


def test_present_as_key_values(make_document: DocumentBuilder) -> None:
    document = make_document(
        "no labels in this text",
        key_values=[("Invoice No.", "A-17"), ("Date", "2024-01-31"), ("Total", "12.00")],
    )
    assert RULE.check(document) == []


def test_present_in_the_text(make_document: DocumentBuilder) -> None:
    document = make_document("Facture n°562044387 du 02 Juillet 2015", "Date: 3/4/2015\nTotal 9.99")
    assert RULE.check(document) == []


def test_each_missing_field_is_named(make_document: DocumentBuilder) -> None:
    document = make_document("Invoice Date: 3 May 2020", key_values=[("Total", "none")])
    assert RULE.check(document) == [
        Finding(rule="fields", severity="error", message="no invoice number found",
                field="invoice_number"),
        Finding(rule="fields", severity="error", message="no total found", field="total"),
    ]  # fmt: skip


def test_a_label_without_a_value_does_not_count(make_document: DocumentBuilder) -> None:
    # "Rechnungsnr." with its number in another column: the label alone proves nothing.
    document = make_document("Invoice number\nDated yesterday\nTotal 5.00")
    assert [f.field for f in RULE.check(document)] == ["invoice_number", "date"]


def test_a_value_in_the_next_column_of_the_row_counts(make_document: DocumentBuilder) -> None:
    # The text layer gives the labels' column first, then the values': on the page each value
    # stands on its label's row.
    columns = [("Invoice number", 0.1, 0.30), ("Date", 0.1, 0.33), ("A-17", 0.4, 0.30),
               ("3 May 2020", 0.4, 0.33), ("Total 5.00", 0.1, 0.6)]  # fmt: skip
    lines = [
        Line(text=text, box=Box(left=left, top=top, width=0.2, height=0.01))
        for text, left, top in columns
    ]
    document = make_document("\n".join(text for text, _, _ in columns))
    assert [f.field for f in RULE.check(document)] == ["invoice_number", "date"]
    page = document.pages[0].model_copy(update={"lines": lines})
    assert RULE.check(document.model_copy(update={"pages": [page]})) == []


def test_text_search_can_be_turned_off(make_document: DocumentBuilder) -> None:
    rule = RULE.model_copy(update={"search_text": False})
    document = make_document("Invoice # 12\nDate: 1/2/2020\nTotal 5.00")
    assert [f.field for f in rule.check(document)] == ["invoice_number", "date", "total"]


SHARED = KeyValuesPresent.model_validate(
    {"id": "fields", "keys": [{"name": "invoice_number"}, {"name": "date"}, {"name": "total"}]}
)


def test_known_fields_default_to_the_shared_labels() -> None:
    assert [key.labels for key in SHARED.keys] == [
        list(labels.INVOICE_NUMBER), list(labels.DATE), list(labels.TOTAL)
    ]  # fmt: skip


@pytest.mark.parametrize(
    "text",
    [
        "Booking ID IBZY2087\nDate: 31/12/2017\nAmount paid Rs 1939",
        "Rechnungs-Nr. 30064443\nRechnungsdatum 7. Mai 2014\nGesamtbetrag 34,73",
        "Facture num\u00e9ro 17\nDate de facture 02/07/2015\nTotal facture 56,02",
        "Factuurnummer: 993548900\nFactuurdatum: 19 april 2014\nTotaal \u20ac 717,97",
    ],
)
def test_the_shared_labels_find_the_fields(text: str, make_document: DocumentBuilder) -> None:
    assert SHARED.check(make_document(text)) == []


def test_an_unknown_field_needs_labels() -> None:
    with pytest.raises(ValidationError, match=r"keys\.0\.labels"):
        KeyValuesPresent.model_validate({"id": "f", "keys": [{"name": "purchase_order"}]})

from datetime import date

from docflow_enrich.rules.entities.extract import extract_entities
from docflow_enrich.rules.entities.invoice import invoice_number, invoice_total, issue_date
from docflow_events.v1.results import KeyValue
from docflow_text.issuer import invoice_issuer

INVOICE = """Service Provider:
(Not to be used for payment remittance)
Amazon Web Services, Inc.
410 Terry Ave North
Invoice Number: 42183017
Invoice Date: August 3 , 2014
TOTAL AMOUNT DUE ON August 3 , 2014 $4.11
Charges $4.11
Total for this invoice $4.11"""

EUROPEAN = """Coolblue B.V.
Weena 664
Factuurnummer: 993548900
Factuurdatum: 19 april 2014
Apple iPad Air Wifi 16 GB Zilver 1 \u20ac 399,00 21% \u20ac 399,00
Exclusief BTW \u20ac 593,36 Subtotaal \u20ac 717,97
BTW 21% \u20ac 124,61
Totaal \u20ac 1.717,97"""


def test_invoice_fields_from_text() -> None:
    lines = INVOICE.splitlines()
    assert invoice_number(INVOICE, []) == "42183017"
    assert issue_date(INVOICE) == date(2014, 8, 3)
    assert invoice_issuer(lines) == "Amazon Web Services Inc."
    total = invoice_total(lines)
    assert total is not None
    assert (total.value, total.currency) == (4.11, "USD")


def test_invoice_number_in_the_next_column_of_its_row() -> None:
    text = "Rechnungsnr.\nRechnungsdatum\nQualityHosting AG\n30064443 Kundennr.\n47774"
    assert invoice_number(text, []) is None  # the label's value is not after it in the text
    rows = ["Rechnungsnr.   30064443 Kundennr.   47774"]
    assert invoice_number(text, [], rows) == "30064443"


def test_invoice_number_after_a_dash_or_the_title() -> None:
    assert invoice_number("Invoice no: \u2014INV-5265/25", []) == "INV-5265/25"
    assert invoice_number("Sales Invoice 201905098\nDate: 03 Oct 2019", []) == "201905098"
    assert invoice_number("Factura A-2022-91696", []) == "A-2022-91696"
    assert invoice_number("INVOICE 12/03/2024\nThank you", []) is None  # a date, not a number


def test_european_number_format_and_labels() -> None:
    lines = EUROPEAN.splitlines()
    assert invoice_number(EUROPEAN, []) == "993548900"
    assert issue_date(EUROPEAN) == date(2014, 4, 19)
    assert invoice_issuer(lines) == "Coolblue B.V."
    total = invoice_total(lines)
    assert total is not None
    assert (total.value, total.currency) == (1717.97, "EUR")


def test_key_values_are_read_first() -> None:
    kvs = [KeyValue(key="Invoice No", value="INV-2024-0042")]
    assert invoice_number("nothing labelled here", kvs) == "INV-2024-0042"


def test_invoice_date_label_beats_an_earlier_order_date() -> None:
    text = "Order Date: 15-10-2015\nInvoice Date: 20-10-2015"
    assert issue_date(text) == date(2015, 10, 20)


def test_entities_hold_distinct_amounts_and_the_invoice_total() -> None:
    text = "Invoice No: INV-1234\nDiscount Rs -40.00\nShipping Rs -40.00\nGrand Total 319.00"
    amounts = extract_entities(text, [], "invoice").amounts
    assert [(a.value, a.currency) for a in amounts] == [(-40.0, "INR"), (319.0, "INR")]
    assert extract_entities(text, [], "contract").amounts == amounts[:1]


def test_the_total_survives_the_cap_on_amounts() -> None:
    prices = " ".join(f"Item {n} \u20ac {n},50" for n in range(1, 80))
    entities = extract_entities(f"{prices}\nTotal 9.999,00", [], "invoice")
    assert len(entities.amounts) == 50
    assert (entities.amounts[-1].value, entities.amounts[-1].currency) == (9999.0, "EUR")
    assert entities.amounts[0].value == 1.5

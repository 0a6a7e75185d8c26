"""The hand rule for an invoice's issuer, shared by enrich and the field scorer."""

from docflow_text.issuer import IssuerAnswer, invoice_issuer, issuer_answer


def test_a_labelled_seller_comes_first() -> None:
    lines = ["ACME CUSTOMER LTD", "Sold by: Widget Works Ltd", "ACME CUSTOMER LTD"]
    assert issuer_answer(lines) == IssuerAnswer("Widget Works Ltd", "label")


def test_the_organisation_named_most_often_as_payee_wins() -> None:
    lines = ["Jane Roe Ltd", "Invoice 7", "Globex GmbH", "Account holder: Globex GmbH"]
    assert issuer_answer(lines) == IssuerAnswer("Globex GmbH", "organisation")


def test_capitalised_lines_are_the_last_resort_and_document_words_are_no_names() -> None:
    assert issuer_answer(["INVOICE", "NETPRESSE", "Total 5.00"]) == IssuerAnswer(
        "NETPRESSE", "capitals"
    )
    assert invoice_issuer(["INVOICE", "total 5.00"]) is None

"""The document type on real sample documents and on short texts of the other types."""

from pathlib import Path

import pytest

from docflow_testing.samples import read_pdf
from docflow_text.doctype import DOCUMENT_TYPES, KNOWN_TYPES, classify


def test_sample_ndas_are_ndas(samples: Path) -> None:
    pdfs = sorted((samples / "kleister-nda").glob("*.pdf"))
    types = [classify(read_pdf(pdf).text).type for pdf in pdfs]
    share = types.count("nda") / len(types)
    assert share >= 0.9, {t: types.count(t) for t in set(types)}


@pytest.mark.parametrize(
    "name",
    [
        "AmazonWebServices",
        "FlipkartInvoice",
        "NetpresseInvoice",
        "QualityHosting",
        "coolblue1",
        "free_fiber",
    ],
)
def test_sample_invoices_are_invoices(samples: Path, name: str) -> None:
    result = classify(read_pdf(samples / "invoices" / f"{name}.pdf").text)
    assert result.type == "invoice"
    assert 0.5 < result.confidence <= 1.0


def test_a_payment_receipt_is_a_receipt(samples: Path) -> None:
    # The samples keep it with the invoices, but the document calls itself a payment receipt.
    assert classify(read_pdf(samples / "invoices" / "oyo.pdf").text).type == "receipt"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "RESIDENTIAL LEASE AGREEMENT\nThe Landlord leases to the Tenant the premises at 12"
            " Main Street. Rent is due monthly; the security deposit is one month's rent.",
            "lease",
        ),
        (
            "EMPLOYMENT AGREEMENT\nThe Employer employs the Employee in the position of Engineer"
            " at a base salary of $100,000 with benefits.",
            "employment",
        ),
        (
            "CONSULTING AGREEMENT\nThe Consultant shall provide the services and deliverables"
            " described in each Statement of Work to the Client.",
            "services",
        ),
        (
            "APPLICATION FORM\nPlease print clearly. Applicant name: ____ Check one: [ ] yes"
            " [ ] no. For office use only.",
            "form",
        ),
        ("Meeting notes: we discussed the roadmap and lunch options.", "other"),
    ],
)
def test_other_types(text: str, expected: str) -> None:
    assert classify(text).type == expected


def test_confidence_grows_with_the_margin() -> None:
    clear = classify("NON-DISCLOSURE AGREEMENT\nConfidential Information of the Disclosing Party")
    mixed = classify("NON-DISCLOSURE AGREEMENT\nINVOICE\nAmount due")
    assert clear.confidence > mixed.confidence


def test_every_known_type_is_listed() -> None:
    assert set(DOCUMENT_TYPES) >= {
        "nda", "employment", "services", "lease", "invoice", "receipt", "form", "other"
    }  # fmt: skip


def test_only_the_first_page_is_read() -> None:
    text = "x" * 5000 + " lease landlord tenant premises"
    assert classify(text).type == "other"
    assert classify(text, page_chars=6000).type == "lease"


def test_one_stray_phrase_below_the_title_is_no_evidence() -> None:
    assert classify("Meeting notes. " + "x" * 400 + " Please see the vendor list.").type == "other"
    assert classify("PAYMENT RECEIPT. Payment received by cash.").type == "receipt"


def test_a_hint_breaks_a_tie() -> None:
    text = "Vendor and employee terms"
    assert classify(text).confidence == 0.5
    assert classify(text, "employment").type == "employment"
    assert classify(text, "services").type == "services"


@pytest.mark.parametrize(
    "text",
    [
        "MEMO\nTo: all staff\nTotal: 37.5 hours of overtime were logged in March.",
        "Meeting note\n\nTotal hours: 12\nThe team met on 3 March.",
    ],
)
def test_a_total_without_an_amount_is_no_invoice(text: str) -> None:
    assert classify(text) == ("other", 0.5, None)


def test_one_weak_word_in_a_title_is_a_guess_not_a_certainty() -> None:
    guess = classify("Salary review\nWe will meet on Friday.")
    assert guess.type == "employment"
    assert 0.5 < guess.confidence < 0.75


def test_a_total_with_an_amount_is_still_invoice_evidence() -> None:
    assert classify("Statement\nTotal EUR 12.00").type == "invoice"
    assert classify("Statement\nTotal 12 hours").type == "other"


def test_the_consideration_of_a_contract_is_no_receipt() -> None:
    text = (
        "CONFIDENTIAL INFORMATION AND NON-COMPETITION AGREEMENT\nFor good and valid consideration,"
        " the receipt and sufficiency of which I hereby acknowledge, the Company and I agree."
    )
    assert classify(text).type == "nda"


def test_confidence_grows_with_the_evidence() -> None:
    # Below the title, where a phrase counts once.
    weak = classify("Statement\n" + "." * 300 + "\nBill to: Jane Doe\nTotal EUR 12.00")
    strong = classify("INVOICE\nBill to: Jane Doe\nTotal EUR 12.00")
    assert (weak.type, strong.type) == ("invoice", "invoice")
    assert weak.confidence < strong.confidence == 1.0


INVOICE = "INVOICE\nInvoice number: INV-17\nBill to: Jane Doe\nTotal EUR 12.00"


@pytest.mark.parametrize(
    ("text", "hint", "expected"),
    [
        # The text agrees: no disagreement recorded.
        (INVOICE, "invoice", ("invoice", 1.0, None)),
        (INVOICE, " INVOICE ", ("invoice", 1.0, None)),
        # No evidence either way: the hint is the type.
        ("Minutes of the garden club.", "lease", ("lease", 0.5, None)),
        # Weak evidence for another type: the hint stays, the disagreement is recorded.
        ("Statement\nThe vendor and the consultant met.", "lease", ("lease", 0.5, "services")),
        # Strong evidence for another type overrules the hint, and says so.
        (INVOICE, "nda", ("invoice", 1.0, "invoice")),
        # A contract hint is refined by the kind the text names.
        ("NON-DISCLOSURE AGREEMENT\nConfidential Information", "contract", ("nda", 1.0, None)),
        # A hint naming no known type is no prior.
        (INVOICE, "recipe", ("invoice", 1.0, None)),
    ],
)
def test_the_hint_is_a_prior(text: str, hint: str, expected: tuple[str, float, str | None]) -> None:
    assert tuple(classify(text, hint)) == expected


def test_contract_is_a_known_type_but_never_read() -> None:
    assert "contract" in KNOWN_TYPES
    assert "contract" not in DOCUMENT_TYPES


def test_a_till_slip_titled_tax_invoice_reads_as_a_receipt() -> None:
    slip = (
        "KEDAI ALPHA SDN BHD\nTAX INVOICE\nCashier: 7\nITEM 1 9.00\nTOTAL 9.00\n"
        "CASH 20.00\nCHANGE 11.00\nTHANK YOU, PLEASE COME AGAIN"
    )
    assert classify(slip).type == "receipt"


def test_an_invoice_asking_for_payment_stays_an_invoice() -> None:
    bill = (
        "INVOICE\nInvoice number: 2024-17\nInvoice date: 3 May 2024\nBill to: Acme Ltd\n"
        "Subtotal 100.00\nVAT 20.00\nTotal 120.00\nAmount due 120.00\nIBAN GB00 0000"
    )
    assert classify(bill).type == "invoice"


TILL_LINES = [
    "KEDAI BETA SDN BHD", "(123456-X)", "NO 5 JALAN MAWAR", "81750 JOHOR", "INVOICE",
    "Invoice No: 000039121", "Date: 2018-03-23 19:32", "Table: 25", "1 Fried Rice 9.00",
    "1 Iced Tea 3.00", "2 Roti Canai 4.40", "Subtotal 16.40", "GST 6% 0.98", "Total 17.38",
]  # fmt: skip


def test_a_narrow_slip_of_short_lines_is_a_receipt_whatever_it_calls_itself() -> None:
    # No cash, no change, no "receipt": the layout alone says till.
    assert classify("\n".join(TILL_LINES)).type == "receipt"


def test_a_short_lined_invoice_asking_for_payment_stays_an_invoice() -> None:
    asking = [*TILL_LINES, "Bill to: Acme Ltd", "Due date: 30/04/2018"]
    assert classify("\n".join(asking)).type == "invoice"


def test_a_few_short_lines_are_no_till_slip() -> None:
    assert classify("INVOICE\nInvoice number: 7\nTotal EUR 12.00").type == "invoice"


MAIL_HEAD = "From: ann@example.com\nTo: bob@example.com\nSubject: {subject}\nAttachments: {files}"


@pytest.mark.parametrize("subject", ["Signed NDA", "documents"])
def test_an_e_mail_header_is_no_evidence_of_the_type(subject: str) -> None:
    head = MAIL_HEAD.format(subject=subject, files="nda.pdf, invoice.pdf")
    message = f"{head}\n\nHi Bob, see the files we spoke about. Best, Ann"
    assert classify(message).type == "other"


def test_the_body_of_an_e_mail_is_read() -> None:
    head = MAIL_HEAD.format(subject="hello", files="nda.pdf")
    message = f"{head}\n\nNON-DISCLOSURE AGREEMENT\nThe Receiving Party shall protect it."
    assert classify(message).type == "nda"


def test_text_that_only_opens_like_a_header_is_read_whole() -> None:
    memo = "To: all staff\nNON-DISCLOSURE AGREEMENT reminder\n\nConfidential Information stays."
    assert classify(memo).type == "nda"


def test_a_memo_counting_hours_is_no_certain_invoice() -> None:
    memo = "Memo: invoice the client for 15 hours\nTotal: 15 hours of work in March."
    reading = classify(memo)
    assert reading.type != "invoice" or reading.confidence < 0.75
    # Where an amount of money stands beside it, the same title is a certain invoice.
    assert classify("Memo: invoice the client for 15 hours\nTotal EUR 600.00").confidence == 1.0

"""The document type on real sample documents and on short texts of the other types."""

from pathlib import Path

import pytest

from docflow_testing.samples import read_pdf
from docflow_text.doctype import DOCUMENT_TYPES, classify


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

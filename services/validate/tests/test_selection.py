"""Which pack runs: the hint, else the shared document type of the text, else the default."""

import pytest

from docflow_text.doctype import classify
from docflow_validate.pack import PackCatalog
from docflow_validate.selection import choose_pack

NDA_TEXT = (
    "MUTUAL NON-DISCLOSURE AGREEMENT. The Receiving Party shall hold Confidential Information."
)
INVOICE_TEXT = "INVOICE\nInvoice number: 17\nSubtotal 10.00\nVAT 2.00\nTotal 12.00"


@pytest.mark.parametrize(
    ("hint", "pack"),
    [("nda", "nda"), ("employment", "employment"), ("services", "services"),
     ("lease", "lease"), ("contract", "contract"), ("invoice", "invoice"), ("receipt", "receipt"),
     (" Invoice ", "invoice"), ("form", "generic"), ("recipe", "generic")],
)  # fmt: skip
def test_a_hint_decides(catalog: PackCatalog, hint: str, pack: str) -> None:
    choice = choose_pack(catalog, hint, INVOICE_TEXT if pack != "invoice" else NDA_TEXT)
    assert (choice.pack.name, choice.source) == (pack, "hint")
    assert choice.document_type == hint.strip().lower()


def test_without_a_hint_the_text_is_guessed(catalog: PackCatalog) -> None:
    nda = choose_pack(catalog, None, NDA_TEXT)
    assert (nda.pack.name, nda.document_type, nda.source) == ("nda", "nda", "guess")
    invoice = choose_pack(catalog, "", INVOICE_TEXT)
    assert (invoice.pack.name, invoice.document_type) == ("invoice", "invoice")


def test_without_hint_or_clue_the_default_pack_runs(catalog: PackCatalog) -> None:
    choice = choose_pack(catalog, None, "Minutes of the garden club meeting.")
    assert (choice.pack.name, choice.document_type, choice.source) == (
        "generic",
        "other",
        "default",
    )


def test_the_guess_reads_only_the_opening(catalog: PackCatalog) -> None:
    text = "x" * 5000 + " lease landlord tenant premises"
    assert choose_pack(catalog, None, text).source == "default"
    assert choose_pack(catalog, None, text, guess_chars=6000).pack.name == "lease"


@pytest.mark.parametrize(
    "text",
    [
        NDA_TEXT,
        INVOICE_TEXT,
        "PAYMENT RECEIPT. Payment received by cash.",
        "APPLICATION FORM\nPlease print clearly. Applicant name: ____",
        "Meeting notes: we discussed the roadmap and lunch options.",
        # A title alone: too little for validate's own keyword count before it shared enrich's.
        "MUTUAL CONFIDENTIALITY AGREEMENT regarding the Evaluation Material.",
    ],
)
def test_the_type_is_the_one_enrich_reports(catalog: PackCatalog, text: str) -> None:
    assert choose_pack(catalog, None, text).document_type == classify(text).type

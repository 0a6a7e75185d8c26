"""The packaged packs on the sample documents, with text from each PDF's text layer.

NDAs (Kleister-NDA, SEC filings): the contract pack passes 12 of 13; the other has pages
without a text layer (scanned signature pages) that only OCR can read, which is exactly
what text_extracted is there to catch. Invoices (invoice2data): 5 of 7 pass; QualityHosting's
number and date labels sit in another column than their values, so the text never shows
"label value" (the local extractor's lines, which these fixtures leave out, put them side by
side on a row: test_rule_key_values); the OYO receipt has a booking id and no invoice number,
which receipts need not have.
"""

import json

import pytest

from docflow_events.v1 import ExtractionResult
from docflow_testing.samples import read_pdf, samples_dir
from docflow_validate.engine import Verdict, run_pack
from docflow_validate.pack import PackCatalog
from docflow_validate.rules.amount_labels import LabelReader
from docflow_validate.rules.amounts_add_up import AmountsAddUp
from docflow_validate.selection import choose_pack

SAMPLES = samples_dir()
NDAS = sorted((SAMPLES / "kleister-nda").glob("*.pdf"))
INVOICES = sorted((SAMPLES / "invoices").glob("*.pdf"))
NDAS_WITHOUT_TEXT_ON_SOME_PAGES = {"116d39507d6bb61c0dec66872bd13e1c"}
INVOICE_ERRORS = {
    "AmazonWebServices": [],
    "FlipkartInvoice": [],
    "NetpresseInvoice": [],
    "QualityHosting": ["invoice_number", "date"],
    "coolblue1": [],
    "free_fiber": [],
    "oyo": [],
}
#: Guessed from the title; the receipt pack asks for no invoice number.
PACKS = {"oyo": "receipt"}


@pytest.fixture(scope="module")
def ndas() -> dict[str, ExtractionResult]:
    return {path.stem: read_pdf(path) for path in NDAS}


@pytest.fixture(scope="module")
def invoices() -> dict[str, ExtractionResult]:
    return {path.stem: read_pdf(path) for path in INVOICES}


def _errors(verdict: Verdict) -> list[str]:
    return [f"{f.rule}:{f.field}" for f in verdict.findings if f.severity == "error"]


def test_ndas_pass_their_pack_and_blank_pages_are_only_noted(
    catalog: PackCatalog, ndas: dict[str, ExtractionResult]
) -> None:
    assert len(ndas) == 13
    verdicts = {name: run_pack(catalog.packs["nda"], doc) for name, doc in ndas.items()}
    failed = {name: _errors(verdict) for name, verdict in verdicts.items() if not verdict.passed}
    # The committed scorer weighs no sample's parties near its bar (test_rule_party_confidence
    # holds one that does), so every sample NDA is stored.
    assert failed == {}
    for name in NDAS_WITHOUT_TEXT_ON_SOME_PAGES:
        notes = [(f.rule, f.severity) for f in verdicts[name].findings]
        assert ("text-extracted", "warning") in notes


def test_ndas_without_hint_are_guessed_as_ndas(
    catalog: PackCatalog, ndas: dict[str, ExtractionResult]
) -> None:
    packs = [choose_pack(catalog, None, doc.text).pack.name for doc in ndas.values()]
    assert packs.count("nda") == len(ndas)


def test_invoices_pass_unless_a_field_cannot_be_read(
    catalog: PackCatalog, invoices: dict[str, ExtractionResult]
) -> None:
    assert sorted(invoices) == sorted(INVOICE_ERRORS)
    for name, document in invoices.items():
        choice = choose_pack(catalog, None, document.text)
        assert choice.pack.name == PACKS.get(name, "invoice"), name
        verdict = run_pack(choice.pack, document)
        expected = [f"key-values-present:{field}" for field in INVOICE_ERRORS[name]]
        assert _errors(verdict) == expected, name
        assert verdict.passed == (not INVOICE_ERRORS[name]), name


def test_invoice_totals_match_the_truth(invoices: dict[str, ExtractionResult]) -> None:
    rule = AmountsAddUp(id="amounts")
    reader = LabelReader(
        {"total": rule.total_labels, "subtotal": rule.subtotal_labels, "tax": rule.tax_labels}
    )
    for name, document in invoices.items():
        truth = json.loads((SAMPLES / "invoices" / f"{name}.json").read_text())[0]
        found = reader.read(document)
        assert truth["amount"] in found.total, name
        if truth.get("amount_untaxed") and found.subtotal:
            assert truth["amount_untaxed"] in found.subtotal, name


def test_amounts_are_checked_where_the_invoice_shows_them(
    invoices: dict[str, ExtractionResult],
) -> None:
    checked = {
        name for name, document in invoices.items() if not AmountsAddUp(id="a").check(document)
    }
    # Only these two print subtotal, tax and total as labelled lines; the rest get a warning.
    assert checked == {"NetpresseInvoice", "coolblue1"}

"""The local backend's classification: the hint as a prior, and the text's disagreement kept."""

from docflow_enrich.backends import LocalBackend
from docflow_events.v1 import Classification, Cost, ExtractionResult, Page

INVOICE = "INVOICE\nInvoice number: INV-17\nBill to: Jane Doe\nTotal EUR 12.00"


def _classify(text: str, hint: str | None) -> Classification:
    extraction = ExtractionResult(
        document_id="doc-1", media_type="text/plain", backend="local",
        pages=[Page(number=1, text=text, method="text_layer")], cost=Cost(backend="local"),
    )  # fmt: skip
    return LocalBackend().enrich(extraction, hint=hint).classification


def test_agreeing_text_records_no_disagreement() -> None:
    assert _classify(INVOICE, "invoice") == Classification(
        type="invoice", confidence=1.0, hint="invoice", text_type=None
    )


def test_strong_contrary_text_overrules_the_hint_and_says_so() -> None:
    found = _classify(INVOICE, "nda")
    assert (found.type, found.hint, found.text_type) == ("invoice", "nda", "invoice")


def test_weak_contrary_text_keeps_the_hint_and_says_so() -> None:
    found = _classify("Statement\nThe vendor and the consultant met.", "lease")
    assert (found.type, found.confidence, found.text_type) == ("lease", 0.5, "services")


def test_a_memo_is_no_invoice_because_of_an_hour_count() -> None:
    found = _classify("MEMO\nTotal: 37.5 hours of overtime were logged in March.", None)
    assert (found.type, found.confidence, found.hint) == ("other", 0.5, None)

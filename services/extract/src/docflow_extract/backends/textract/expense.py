"""AnalyzeExpense's summary fields (TOTAL, INVOICE_RECEIPT_ID, VENDOR_NAME, ...) as key-values."""

from typing import Any

from docflow_events.v1 import KeyValue
from docflow_extract.backends.textract.text import clean, confidence


def expense_values(page: Any) -> list[KeyValue]:
    return [
        _summary(field, page.page_num)
        for document in page.expense_documents
        for field in document.summary_fields_list
        if field.value is not None
    ]


def _summary(field: Any, number: int) -> KeyValue:
    value = field.value
    # textractor keeps an expense value's confidence on Textract's 0..100 scale.
    score = None if value.confidence is None else float(value.confidence) / 100
    return KeyValue(
        key=_key(field),
        value=clean(value.text),
        page=number,
        source="expense",
        confidence=confidence(score),
    )


def _key(field: Any) -> str:
    """The normalised type (TOTAL, VENDOR_NAME); for OTHER, the label printed on the page."""
    kind = clean(field.type.text) if field.type is not None else ""
    if kind and kind != "OTHER":
        return kind
    return clean(field.key.text) if field.key is not None else ""

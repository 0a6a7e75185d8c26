"""Small hand-built extraction results, and the packaged rule packs."""

from collections.abc import Callable, Sequence
from typing import Any

import pytest

from docflow_events.v1 import Cost, ExtractionResult, KeyValue, Page, Table
from docflow_validate.loader import load_catalog
from docflow_validate.pack import PackCatalog

DocumentBuilder = Callable[..., ExtractionResult]


def build_document(
    *texts: str,
    ocr_confidences: Sequence[float | None] | None = None,
    key_values: Sequence[tuple[str, str]] = (),
    tables: Sequence[list[list[str]]] = (),
    document_id: str = "doc-1",
) -> ExtractionResult:
    """One page per text; pages are OCR pages when confidences are given."""
    pages = [_page(number, text, ocr_confidences) for number, text in enumerate(texts, start=1)]
    return ExtractionResult(
        document_id=document_id,
        media_type="application/pdf",
        backend="local",
        pages=pages,
        tables=[Table(page=1, rows=rows) for rows in tables],
        key_values=[KeyValue(key=k, value=v) for k, v in key_values],
        cost=Cost(backend="local"),
    )


def _page(number: int, text: str, confidences: Sequence[float | None] | None) -> Page:
    values: dict[str, Any] = {"number": number, "text": text, "method": "text_layer"}
    if confidences is not None:
        values |= {"method": "ocr", "ocr_confidence": confidences[number - 1]}
    return Page(**values)


@pytest.fixture
def make_document() -> DocumentBuilder:
    return build_document


@pytest.fixture(scope="session")
def catalog() -> PackCatalog:
    return load_catalog(None, "generic")

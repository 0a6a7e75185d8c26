"""The rules every pack starts with: text was extracted, OCR was confident."""

import pytest

from docflow_events.v1 import Finding
from docflow_validate.rules import OcrConfidence, TextExtracted

from .conftest import DocumentBuilder


def test_text_extracted_passes_when_every_page_has_text(make_document: DocumentBuilder) -> None:
    rule = TextExtracted(id="text")
    assert rule.check(make_document("one", "two")) == []


def test_text_extracted_names_the_empty_pages(make_document: DocumentBuilder) -> None:
    rule = TextExtracted(id="text")
    findings = rule.check(make_document("one", "  \n ", "three", ""))
    # Blank pages among pages with text are noted, not failed.
    assert findings == [
        Finding(
            rule="text",
            severity="warning",
            message="no text on pages 2, 4 (2 of 4 pages have fewer than 1 non-blank characters)",
            field="pages",
        )
    ]


def test_text_extracted_uses_its_threshold_and_severity(make_document: DocumentBuilder) -> None:
    rule = TextExtracted(id="text", min_chars=5, blank_page_severity="info")
    [finding] = rule.check(make_document("a b c", "long enough"))
    assert finding.severity == "info"
    assert finding.message.startswith("no text on page 1 (1 of 2 pages")


@pytest.mark.parametrize("pages", [("",), (" ", "\n\t"), ("a b", "c")])
def test_text_extracted_fails_a_document_without_any_text(
    make_document: DocumentBuilder, pages: tuple[str, ...]
) -> None:
    [finding] = TextExtracted(id="text", min_chars=5).check(make_document(*pages))
    assert (finding.severity, finding.field) == ("error", "pages")
    assert finding.message == f"no text on any of the {len(pages)} pages"


def test_text_extracted_fails_a_document_without_pages(make_document: DocumentBuilder) -> None:
    [finding] = TextExtracted(id="text").check(make_document())
    assert finding.message == "the document has no pages"


def test_ocr_confidence_passes_confident_pages(make_document: DocumentBuilder) -> None:
    document = make_document("a", "b", ocr_confidences=[91.0, 60.0])
    assert OcrConfidence(id="ocr", min_confidence=60).check(document) == []


def test_ocr_confidence_names_the_doubtful_pages(make_document: DocumentBuilder) -> None:
    document = make_document("a", "b", "c", ocr_confidences=[42.4, 88.0, 12.0])
    [finding] = OcrConfidence(id="ocr", min_confidence=60).check(document)
    assert finding == Finding(
        rule="ocr",
        severity="error",
        message="OCR confidence below 60 on page 1 (42), page 3 (12)",
        field="pages",
    )


def test_ocr_confidence_ignores_text_layer_pages_and_unknown_confidence(
    make_document: DocumentBuilder,
) -> None:
    rule = OcrConfidence(id="ocr", min_confidence=99)
    assert rule.check(make_document("text layer page")) == []
    assert rule.check(make_document("ocr page", ocr_confidences=[None])) == []


def test_ocr_confidence_judges_pages_textract_read_too(make_document: DocumentBuilder) -> None:
    document = make_document("a", "b", ocr_confidences=[35.0, 97.0])
    pages = [page.model_copy(update={"method": "textract"}) for page in document.pages]
    read_by_textract = document.model_copy(update={"pages": pages})
    [finding] = OcrConfidence(id="ocr", min_confidence=60).check(read_by_textract)
    assert finding.message == "OCR confidence below 60 on page 1 (35)"

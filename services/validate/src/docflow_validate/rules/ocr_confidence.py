"""Every OCR page was read with enough confidence to trust its text."""

from typing import Literal

from pydantic import Field

from docflow_events.v1 import ExtractionResult, Finding
from docflow_validate.rules.base import RuleBase


class OcrConfidence(RuleBase):
    kind: Literal["ocr_confidence"] = "ocr_confidence"
    min_confidence: float = Field(
        default=60.0, ge=0.0, le=100.0, description="Tesseract's and Textract's 0..100"
    )

    def check(self, document: ExtractionResult) -> list[Finding]:
        # A page without a confidence was not read by OCR, or its backend does not report one.
        low = [
            (page.number, page.ocr_confidence)
            for page in document.pages
            if page.recognised
            and page.ocr_confidence is not None
            and page.ocr_confidence < self.min_confidence
        ]
        if not low:
            return []
        pages = ", ".join(f"page {number} ({confidence:.0f})" for number, confidence in low)
        message = f"OCR confidence below {self.min_confidence:g} on {pages}"
        return [self.finding(message, "pages")]

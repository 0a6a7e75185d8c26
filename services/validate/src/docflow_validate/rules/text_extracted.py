"""The document has text: no text at all means extraction (or OCR) found nothing to check.

A blank page among pages with text is common (a separator, the back of a scanned sheet, a page
left blank on purpose) and no failure by itself; it is reported with ``blank_page_severity``.
"""

from typing import Literal

from pydantic import Field

from docflow_events.v1 import ExtractionResult, Finding
from docflow_validate.rules.base import RuleBase, Severity, page_list


class TextExtracted(RuleBase):
    kind: Literal["text_extracted"] = "text_extracted"
    min_chars: int = Field(default=1, ge=1, description="Non-blank characters a page needs")
    blank_page_severity: Severity = Field(
        default="warning", description="For blank pages in a document that has text elsewhere"
    )

    def check(self, document: ExtractionResult) -> list[Finding]:
        if not document.pages:
            return [self.finding("the document has no pages", "pages")]
        empty = [p.number for p in document.pages if _visible_chars(p.text) < self.min_chars]
        if not empty:
            return []
        if len(empty) == len(document.pages):
            return [self.finding(f"no text on any of the {len(empty)} pages", "pages")]
        noun = "page" if len(empty) == 1 else "pages"
        message = (
            f"no text on {noun} {page_list(empty)} ({len(empty)} of {len(document.pages)} "
            f"pages have fewer than {self.min_chars} non-blank characters)"
        )
        return [self.finding(message, "pages", severity=self.blank_page_severity)]


def _visible_chars(text: str) -> int:
    return sum(1 for char in text if not char.isspace())

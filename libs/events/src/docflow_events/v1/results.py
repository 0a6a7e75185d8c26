"""What the claim checks point at: the extraction and enrichment results stored as blobs.

Stages read and write these as JSON (``model_dump_json``/``model_validate_json``); they are
part of the contract like the events, so they change only compatibly (optional fields).
"""

from datetime import date
from typing import Final, Literal

from pydantic import Field

from docflow_events.v1.common import Classification, Cost, V1Model

PageMethod = Literal["text_layer", "ocr", "docx", "text", "html", "textract"]
_RECOGNISED: Final = frozenset({"ocr", "textract"})


class Box(V1Model):
    """Where something stands on its page, as shares of the page's width and height measured
    from its top-left corner (Textract's convention), so that it holds at any rendering size.
    Since 1.3"""

    left: float = Field(ge=0.0, le=1.0)
    top: float = Field(ge=0.0, le=1.0)
    width: float = Field(ge=0.0, le=1.0)
    height: float = Field(ge=0.0, le=1.0)


class Word(V1Model):
    """One word of a line and where it stands. Since 1.3"""

    text: str
    box: Box
    confidence: float | None = Field(default=None, ge=0.0, le=1.0)


class Line(V1Model):
    """One line of a page as the extractor read it: from OCR (local or Textract) and, since
    1.3, from a PDF's text layer. Since 1.2"""

    text: str
    confidence: float | None = Field(default=None, ge=0.0, le=1.0)
    box: Box | None = Field(default=None, description="Since 1.3")
    words: list[Word] = Field(default_factory=list, description="Since 1.3")


class Page(V1Model):
    number: int = Field(ge=1)
    text: str
    method: PageMethod
    ocr_confidence: float | None = Field(default=None, ge=0.0, le=100.0)
    seconds: float = Field(default=0.0, ge=0.0)
    lines: list[Line] = Field(
        default_factory=list,
        description="The page's lines in reading order, with their confidence and (since 1.3) "
        "their words and boxes, from backends and pages that know them: Textract, local OCR "
        "and PDF text layers. Since 1.2",
    )

    @property
    def recognised(self) -> bool:
        """Read from pixels (local OCR or Textract), so its text is only as good as its
        ``ocr_confidence``."""
        return self.method in _RECOGNISED


class MergedCell(V1Model):
    """Cells joined into one: its text is in the top-left cell, the others are empty. Since 1.2"""

    row: int = Field(ge=1, description="Top row, counted from 1")
    column: int = Field(ge=1, description="Left column, counted from 1")
    row_span: int = Field(ge=1)
    column_span: int = Field(ge=1)


class Table(V1Model):
    page: int = Field(ge=1)
    rows: list[list[str]]
    merged_cells: list[MergedCell] = Field(default_factory=list, description="Since 1.2")


class KeyValue(V1Model):
    key: str
    value: str
    page: int | None = None
    source: Literal["line", "table", "form", "expense"] = "line"
    confidence: float | None = Field(default=None, ge=0.0, le=1.0)
    box: Box | None = Field(
        default=None, description="Where the value stands on its page, when known. Since 1.3"
    )


class ExtractionResult(V1Model):
    document_id: str
    media_type: str
    backend: str
    pages: list[Page]
    tables: list[Table] = Field(default_factory=list)
    key_values: list[KeyValue] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    cost: Cost

    @property
    def text(self) -> str:
        return "\n\n".join(page.text for page in self.pages)


class Money(V1Model):
    value: float
    currency: str | None = Field(default=None, description="ISO 4217 code when known")
    context: str | None = Field(default=None, description="The words around the amount")


class Entities(V1Model):
    parties: list[str] = Field(default_factory=list)
    effective_date: date | None = None
    jurisdiction: str | None = None
    term: str | None = Field(default=None, description="Duration as written, e.g. '2 years'")
    amounts: list[Money] = Field(default_factory=list)
    dates: list[date] = Field(default_factory=list)
    issuer: str | None = Field(default=None, description="Invoices: who issued it")
    invoice_number: str | None = None
    total: Money | None = None
    issue_date: date | None = None


class EnrichmentResult(V1Model):
    document_id: str
    backend: str
    classification: Classification
    entities: Entities
    summary: str
    cost: Cost
    ungrounded: list[str] = Field(
        default_factory=list,
        description="Fields of the entities whose value a model gave but the document's text "
        "does not hold (a likely hallucination), as paths: 'parties[1]', 'total'. Since 1.2",
    )
    fallback_from: str | None = Field(
        default=None,
        description="The model backend whose answers were unusable, when the local rules "
        "enriched the document in its place. Since 1.2",
    )

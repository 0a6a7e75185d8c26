"""What the claim checks point at: the extraction and enrichment results stored as blobs.

Stages read and write these as JSON (``model_dump_json``/``model_validate_json``); they are
part of the contract like the events, so they change only compatibly (optional fields).
"""

from datetime import date
from typing import Literal

from pydantic import Field

from docflow_events.v1.common import Classification, Cost, V1Model

PageMethod = Literal["text_layer", "ocr", "docx", "text", "html"]


class Page(V1Model):
    number: int = Field(ge=1)
    text: str
    method: PageMethod
    ocr_confidence: float | None = Field(default=None, ge=0.0, le=100.0)
    seconds: float = Field(default=0.0, ge=0.0)


class Table(V1Model):
    page: int = Field(ge=1)
    rows: list[list[str]]


class KeyValue(V1Model):
    key: str
    value: str
    page: int | None = None
    source: Literal["line", "table", "form"] = "line"
    confidence: float | None = Field(default=None, ge=0.0, le=1.0)


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

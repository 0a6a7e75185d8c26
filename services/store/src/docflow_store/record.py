"""The final record of a document: what ``GET /v1/documents/{id}`` shows as ``result``.

Its shape is part of the public API (docs/architecture.md): classification, entities, summary,
key_values, tables, pages, validation, cost_usd and timings, plus a few extras callers use.
"""

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from docflow_events.v1 import EnrichmentCompleted, Finding
from docflow_events.v1.common import Classification, Cost
from docflow_events.v1.results import (
    EnrichmentResult,
    Entities,
    ExtractionResult,
    KeyValue,
    Page,
    PageMethod,
    Table,
)


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True)


class RecordPage(_Model):
    number: int
    method: PageMethod
    text: str
    ocr_confidence: float | None = None


class ValidationOutcome(_Model):
    passed: bool
    findings: list[Finding] = Field(default_factory=list)


class FinalRecord(_Model):
    classification: Classification
    entities: Entities
    summary: str
    key_values: list[KeyValue]
    tables: list[Table]
    pages: list[RecordPage]
    validation: ValidationOutcome
    corrections: dict[str, Any] = Field(
        default_factory=dict, description="Fields a reviewer corrected when approving"
    )
    warnings: list[str] = Field(default_factory=list)
    ungrounded: list[str] = Field(
        default_factory=list,
        description="Entity fields a model gave that the document's text does not hold",
    )
    costs: dict[str, Cost] = Field(description="Which backend did each stage's work, at what cost")
    cost_usd: float = Field(ge=0.0, description="What every stage's backend charged")
    timings: dict[str, float] = Field(
        description="Seconds in each stage's handler, by stage name; a stage not yet tracked "
        "is absent"
    )


def build_record(
    extraction: ExtractionResult,
    enrichment: EnrichmentResult,
    event: EnrichmentCompleted,
    timings: dict[str, float],
) -> FinalRecord:
    return FinalRecord(
        classification=enrichment.classification,
        entities=enrichment.entities,
        summary=enrichment.summary,
        key_values=extraction.key_values,
        tables=extraction.tables,
        pages=[_page(p) for p in extraction.pages],
        validation=ValidationOutcome(passed=event.validation_passed, findings=event.findings),
        corrections=event.corrections,
        warnings=[*extraction.warnings, *_enrichment_warnings(enrichment)],
        ungrounded=enrichment.ungrounded,
        costs={"extract": extraction.cost, "enrich": enrichment.cost},
        # Rounded: float sums of prices would otherwise show digits nobody was charged.
        cost_usd=round(extraction.cost.usd + enrichment.cost.usd, 6),
        timings=timings,
    )


def _enrichment_warnings(enrichment: EnrichmentResult) -> list[str]:
    if enrichment.fallback_from is None:
        return []
    return [
        f"enrichment: the {enrichment.fallback_from} model gave no usable answer; "
        "the local rules enriched the document"
    ]


def _page(page: Page) -> RecordPage:
    return RecordPage(
        number=page.number, method=page.method, text=page.text, ocr_confidence=page.ocr_confidence
    )

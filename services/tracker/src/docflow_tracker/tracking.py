"""What each flow event means for a document: its status, and the small facts worth keeping.

Timeline details hold measurements and names (seconds, page counts, finding counts, backends),
never document content: the timeline is shown to operators and callers alike.
"""

from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, ConfigDict

from docflow_events import EventData
from docflow_events.v1 import (
    DocumentFailed,
    DocumentReceived,
    DocumentStored,
    EnrichmentCompleted,
    ExtractionCompleted,
    Finding,
    ReviewDecided,
    ValidationFailed,
    ValidationPassed,
)
from docflow_results.models import DocumentStatus, StageError


class Tracked(BaseModel):
    """One event as the results store records it."""

    model_config = ConfigDict(frozen=True)

    status: DocumentStatus | None
    detail: dict[str, Any]
    error: StageError | None = None
    review: dict[str, Any] | None = None


class UntrackedEventError(TypeError):
    """An event type the tracker has no mapping for."""


def track(data: EventData) -> Tracked:
    mapping = _MAPPINGS.get(type(data))
    if mapping is None:
        raise UntrackedEventError(f"the tracker has no mapping for {data.event_type}")
    return mapping(data)


def _received(data: DocumentReceived) -> Tracked:
    detail = {"media_type": data.media_type, "size": data.content.size}
    return Tracked(status=DocumentStatus.RECEIVED, detail=detail)


def _extracted(data: ExtractionCompleted) -> Tracked:
    detail = {
        "handler_seconds": data.handler_seconds,
        "page_count": data.page_count,
        "ocr_page_count": data.ocr_page_count,
        "backend": data.cost.backend,
        "cost_usd": data.cost.usd,
    }
    return Tracked(status=DocumentStatus.EXTRACTED, detail=detail)


def _validation_detail(data: ValidationPassed | ValidationFailed) -> dict[str, Any]:
    return {
        "handler_seconds": data.handler_seconds,
        "rule_pack": data.rule_pack,
        "document_type": data.document_type,
        **_finding_counts(data.findings),
    }


def _passed(data: ValidationPassed) -> Tracked:
    return Tracked(status=DocumentStatus.VALIDATED, detail=_validation_detail(data))


def _failed_validation(data: ValidationFailed) -> Tracked:
    # The reviewer's approval is built from this event's data, so it is kept whole.
    review = data.model_dump(mode="json")
    return Tracked(
        status=DocumentStatus.NEEDS_REVIEW, detail=_validation_detail(data), review=review
    )


def _decided(data: ReviewDecided) -> Tracked:
    approved = data.decision == "approved"
    detail = {
        "decision": data.decision,
        "reviewer": data.reviewer,
        "corrected_fields": len(data.corrections),
    }
    status = DocumentStatus.VALIDATED if approved else DocumentStatus.REJECTED
    return Tracked(status=status, detail=detail)


def _enriched(data: EnrichmentCompleted) -> Tracked:
    detail = {
        "handler_seconds": data.handler_seconds,
        "document_type": data.classification.type,
        "confidence": data.classification.confidence,
        "validation_passed": data.validation_passed,
        "backend": data.cost.backend,
        "cost_usd": data.cost.usd,
    }
    return Tracked(status=DocumentStatus.ENRICHED, detail=detail)


def _stored(data: DocumentStored) -> Tracked:
    detail = {"store": data.store, "cost_usd": data.cost_usd}
    return Tracked(status=DocumentStatus.STORED, detail=detail)


def _failed(data: DocumentFailed) -> Tracked:
    detail = {
        "stage": data.stage,
        "error_class": data.error_class,
        "permanent": data.permanent,
        "attempts": data.attempts,
        "dead_letter_topic": data.dead_letter_topic,
    }
    error = StageError(stage=data.stage, reason=data.reason, error_class=data.error_class)
    return Tracked(status=DocumentStatus.FAILED, detail=detail, error=error)


def _finding_counts(findings: list[Finding]) -> dict[str, int]:
    errors = sum(1 for f in findings if f.severity == "error")
    return {"finding_count": len(findings), "error_count": errors}


_MAPPINGS: dict[type[EventData], Callable[[Any], Tracked]] = {
    DocumentReceived: _received,
    ExtractionCompleted: _extracted,
    ValidationPassed: _passed,
    ValidationFailed: _failed_validation,
    ReviewDecided: _decided,
    EnrichmentCompleted: _enriched,
    DocumentStored: _stored,
    DocumentFailed: _failed,
}

"""The v1 events of the document flow, one model per CloudEvents type.

Change a model only compatibly: add optional fields with defaults. Anything else (removing or
retyping a field, a new required field) needs a v2 type beside this one.
"""

from typing import Any, ClassVar, Literal

from pydantic import AwareDatetime, Field

from docflow_events.base import EventData
from docflow_events.topics import Topic
from docflow_events.v1.common import BlobRef, Classification, Cost, Finding


class DocumentReceived(EventData):
    """A document entered the flow, its content stored: an upload ingest accepted, or an
    attachment extract split off a message (``parent_id`` names the message)."""

    event_type: ClassVar[str] = "io.docflow.document.received.v1"
    topic: ClassVar[Topic] = Topic.DOCUMENT_RECEIVED

    content: BlobRef
    filename: str | None = Field(default=None, max_length=512)
    media_type: str = Field(description="Sniffed from the content, never taken from the client")
    document_type_hint: str | None = None
    callback_url: str | None = None
    metadata: dict[str, Any] = Field(default_factory=dict)
    received_at: AwareDatetime
    parent_id: str | None = Field(
        default=None,
        min_length=1,
        max_length=128,
        description="The document this one was attached to (an attachment of an e-mail "
        "message, split off by extract); none for a document posted to ingest. Since 1.3",
    )


class ExtractionCompleted(EventData):
    """Text, tables and key-values were extracted; the full result is a blob (claim check)."""

    event_type: ClassVar[str] = "io.docflow.extraction.completed.v1"
    topic: ClassVar[Topic] = Topic.EXTRACTION_COMPLETED

    content: BlobRef
    extraction: BlobRef
    media_type: str
    document_type_hint: str | None = None
    page_count: int = Field(ge=0)
    ocr_page_count: int = Field(ge=0, default=0)
    cost: Cost
    handler_seconds: float = Field(ge=0.0, default=0.0)


class _ValidationOutcome(EventData):
    content: BlobRef
    extraction: BlobRef
    rule_pack: str
    document_type: str = Field(description="The type the rule pack was chosen for")
    findings: list[Finding] = Field(default_factory=list)
    handler_seconds: float = Field(ge=0.0, default=0.0)


class ValidationPassed(_ValidationOutcome):
    """Every rule of the chosen pack passed (warnings may remain)."""

    event_type: ClassVar[str] = "io.docflow.validation.passed.v1"
    topic: ClassVar[Topic] = Topic.VALIDATION_PASSED


class ValidationFailed(_ValidationOutcome):
    """At least one rule failed: the document waits for human review."""

    event_type: ClassVar[str] = "io.docflow.validation.failed.v1"
    topic: ClassVar[Topic] = Topic.VALIDATION_FAILED


class ReviewDecided(EventData):
    """A reviewer approved (optionally correcting fields) or rejected a document."""

    event_type: ClassVar[str] = "io.docflow.review.decided.v1"
    topic: ClassVar[Topic] = Topic.REVIEW_DECIDED

    decision: Literal["approved", "rejected"]
    reviewer: str
    corrections: dict[str, Any] = Field(default_factory=dict)
    comment: str | None = None
    content: BlobRef
    extraction: BlobRef
    rule_pack: str
    document_type: str
    findings: list[Finding] = Field(default_factory=list)
    decided_at: AwareDatetime


class EnrichmentCompleted(EventData):
    """Classification, entities and summary were added; the full result is a blob."""

    event_type: ClassVar[str] = "io.docflow.enrichment.completed.v1"
    topic: ClassVar[Topic] = Topic.ENRICHMENT_COMPLETED

    content: BlobRef
    extraction: BlobRef
    enrichment: BlobRef
    classification: Classification
    validation_passed: bool
    findings: list[Finding] = Field(default_factory=list)
    corrections: dict[str, Any] = Field(default_factory=dict)
    cost: Cost
    handler_seconds: float = Field(ge=0.0, default=0.0)


class DocumentStored(EventData):
    """The final record is in the results store."""

    event_type: ClassVar[str] = "io.docflow.document.stored.v1"
    topic: ClassVar[Topic] = Topic.DOCUMENT_STORED

    store: str = Field(description="Which results store holds the record: sqlite, postgres, ...")
    stored_at: AwareDatetime
    cost_usd: float = Field(ge=0.0, default=0.0)


class DocumentFailed(EventData):
    """A stage gave up on a document; the input is in the stage's dead-letter topic."""

    event_type: ClassVar[str] = "io.docflow.document.failed.v1"
    topic: ClassVar[Topic] = Topic.DOCUMENT_FAILED

    stage: str
    error_class: str
    reason: str
    permanent: bool = Field(description="False when retries were exhausted on a transient error")
    attempts: int = Field(ge=1)
    dead_letter_topic: str
    source_topic: str
    source_partition: int = Field(ge=0)
    source_offset: int = Field(ge=0)
    failed_at: AwareDatetime

"""What the results store keeps about a document: status, timeline, and the final record."""

from datetime import datetime
from enum import StrEnum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from docflow_events.v1 import BlobRef


class DocumentStatus(StrEnum):
    RECEIVED = "received"
    EXTRACTED = "extracted"
    NEEDS_REVIEW = "needs_review"
    VALIDATED = "validated"
    ENRICHED = "enriched"
    STORED = "stored"
    REJECTED = "rejected"
    FAILED = "failed"

    @property
    def final(self) -> bool:
        return self in {DocumentStatus.STORED, DocumentStatus.REJECTED, DocumentStatus.FAILED}


#: How a listing is ordered by creation time (the id breaking ties): newest or oldest first.
ListOrder = Literal["newest", "oldest"]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True)


class StageError(_Model):
    stage: str
    reason: str
    error_class: str | None = None


class DocumentOptions(_Model):
    """What the client chose for a document's run: a type hint, a callback url, metadata."""

    document_type_hint: str | None = None
    callback_url: str | None = None
    metadata: dict[str, Any] = Field(default_factory=dict)


class NewDocument(_Model):
    """What ingest knows when it accepts an upload."""

    id: str
    tenant: str
    filename: str | None
    media_type: str
    content: BlobRef
    document_type_hint: str | None = None
    callback_url: str | None = None
    metadata: dict[str, Any] = Field(default_factory=dict)
    idempotency_key: str | None = None
    created_at: datetime
    parent_id: str | None = Field(
        default=None,
        description="The message this document is an attachment of; its content is not "
        "deduplicated against the tenant's other documents",
    )


class ReviewDecision(_Model):
    """A reviewer's claim on a document waiting for review: one per run, the first wins."""

    decision: Literal["approved", "rejected"]
    reviewer: str
    at: datetime


class Document(_Model):
    id: str
    tenant: str
    status: DocumentStatus
    run: int = Field(default=1, ge=1, description="1 for the upload, one more per reprocess")
    filename: str | None
    media_type: str
    content: BlobRef
    document_type_hint: str | None = None
    callback_url: str | None = None
    metadata: dict[str, Any] = Field(default_factory=dict)
    idempotency_key: str | None = None
    created_at: datetime
    updated_at: datetime
    error: StageError | None = None
    result: dict[str, Any] | None = Field(default=None, description="The final record, once stored")
    review: dict[str, Any] | None = Field(
        default=None, description="The validation.failed event data while waiting for review"
    )
    decision: ReviewDecision | None = Field(
        default=None, description="The review decision claimed for this run, if any"
    )
    step: dict[str, Any] | None = Field(
        default=None,
        description="The event (a CloudEvent as JSON) that brought the document to its status: "
        "what re-driving a stalled document publishes again",
    )
    parent_id: str | None = Field(
        default=None, description="The message this document is an attachment of, if any"
    )


class ChildDocument(_Model):
    """A document split off another one (an attachment of a message), as its parent lists it."""

    id: str
    filename: str | None
    media_type: str
    status: DocumentStatus
    created_at: datetime


class TimelineEntry(_Model):
    event_id: str
    event_type: str
    status: DocumentStatus | None
    at: datetime
    run: int = 1
    detail: dict[str, Any] = Field(default_factory=dict)


class DocumentPage(_Model):
    items: list[Document]
    next_cursor: str | None = None


class WebhookDelivery(_Model):
    id: str
    document_id: str
    url: str
    attempt: int
    status_code: int | None
    error: str | None
    delivered: bool
    at: datetime

"""The results store's interface. ``sqlite`` is the embedded default; every implementation
must pass the same contract suite (tests/test_repository_contract.py).

All writes are idempotent: the tracker and the store stage may see an event twice.
"""

from abc import ABC, abstractmethod
from datetime import datetime
from typing import Any

from docflow_store.models import (
    Document,
    DocumentPage,
    DocumentStatus,
    NewDocument,
    StageError,
    TimelineEntry,
    WebhookDelivery,
)


class DuplicateIdempotencyKeyError(Exception):
    """The Idempotency-Key was used before with different content."""

    def __init__(self, existing: Document) -> None:
        super().__init__(f"idempotency key already used for document {existing.id}")
        self.existing = existing


class Repository(ABC):
    @abstractmethod
    def create(self, document: NewDocument) -> tuple[Document, bool]:
        """Insert a received document; or return the existing one and False when the tenant
        already has the same content (sha256) or the same idempotency key with the same
        content. Same key with other content raises DuplicateIdempotencyKeyError."""

    @abstractmethod
    def get(self, tenant: str, document_id: str) -> Document | None:
        """None when absent or owned by another tenant (callers cannot tell the difference)."""

    @abstractmethod
    def list_documents(
        self,
        tenant: str,
        *,
        status: DocumentStatus | None = None,
        created_after: datetime | None = None,
        created_before: datetime | None = None,
        limit: int = 50,
        cursor: str | None = None,
    ) -> DocumentPage:
        """Newest first; ``cursor`` is opaque and comes from the previous page."""

    @abstractmethod
    def record_event(
        self,
        tenant: str,
        document_id: str,
        *,
        event_id: str,
        event_type: str,
        at: datetime,
        status: DocumentStatus | None,
        detail: dict[str, Any],
        error: StageError | None = None,
        review: dict[str, Any] | None = None,
    ) -> bool:
        """Append to the timeline and move the status. False when the event id was seen before.

        A final status is not left again except by ``reset_for_reprocess``; a late event of an
        earlier step never moves the status back (events of one document are ordered per
        topic, not across topics).
        """

    @abstractmethod
    def timeline(self, tenant: str, document_id: str) -> list[TimelineEntry]: ...

    @abstractmethod
    def save_result(self, tenant: str, document_id: str, result: dict[str, Any]) -> None:
        """Store the final record (idempotent: the same record again changes nothing)."""

    @abstractmethod
    def reset_for_reprocess(self, tenant: str, document_id: str, at: datetime) -> Document:
        """Back to ``received`` for a new run; the timeline is kept."""

    @abstractmethod
    def record_webhook(self, delivery: WebhookDelivery) -> None: ...

    @abstractmethod
    def webhook_deliveries(self, tenant: str, document_id: str) -> list[WebhookDelivery]: ...

    @abstractmethod
    def close(self) -> None: ...

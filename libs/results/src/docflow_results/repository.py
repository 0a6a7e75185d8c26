"""The results store's interface. ``sqlite`` is the embedded default; every implementation
must pass the same contract suite (``docflow_testing.results_contract.RepositoryContract``).

All writes are idempotent: the tracker and the store stage may see an event twice.
"""

from abc import ABC, abstractmethod
from datetime import datetime
from typing import Any, ClassVar, Final

from docflow_results.models import (
    ChildDocument,
    Document,
    DocumentOptions,
    DocumentPage,
    DocumentStatus,
    ListOrder,
    NewDocument,
    ReviewDecision,
    StageError,
    TimelineEntry,
    WebhookDelivery,
)


class DuplicateIdempotencyKeyError(Exception):
    """The Idempotency-Key was used before with different content."""

    def __init__(self, existing: Document) -> None:
        super().__init__(f"idempotency key already used for document {existing.id}")
        self.existing = existing


class DocumentIdConflictError(ValueError):
    """Another tenant already has a document with this id (ids are meant to be unique)."""


class DocumentNotFoundError(LookupError):
    """A write named a document the tenant does not have (absent, or another tenant's)."""

    def __init__(self, tenant: str | None, document_id: str) -> None:
        owner = "no tenant has" if tenant is None else f"tenant {tenant!r} has no"
        super().__init__(f"{owner} document {document_id!r}")
        self.tenant = tenant
        self.document_id = document_id


class InvalidCursorError(ValueError):
    """A pagination cursor that no page of this store handed out."""


class CursorOrderError(InvalidCursorError):
    """A cursor handed out for one order (newest or oldest first) used with the other."""

    def __init__(self, cursor_order: str, asked: str) -> None:
        super().__init__(f"the cursor continues a {cursor_order}-first listing, not {asked}-first")
        self.cursor_order = cursor_order
        self.asked = asked


class InvalidPageLimitError(ValueError):
    """A page size outside 1..MAX_PAGE_LIMIT."""


#: The largest page ``list_documents`` returns.
MAX_PAGE_LIMIT: Final = 500


def check_page_limit(limit: int) -> None:
    """InvalidPageLimitError for a page size outside 1..MAX_PAGE_LIMIT."""
    if not 1 <= limit <= MAX_PAGE_LIMIT:
        raise InvalidPageLimitError(f"limit must be between 1 and {MAX_PAGE_LIMIT}")


class Repository(ABC):
    #: Which kind of store this is (sqlite, postgres, ...), as DocumentStored.store names it.
    kind: ClassVar[str] = "unknown"

    @abstractmethod
    def create(self, document: NewDocument) -> tuple[Document, bool]:
        """Insert a received document; or return the existing one and False when the tenant
        already has the same content (sha256) or the same idempotency key with the same
        content. Same key with other content raises DuplicateIdempotencyKeyError.

        Creating a document id the tenant already has returns that document and False;
        an id another tenant has raises DocumentIdConflictError.

        A document with a ``parent_id`` (an attachment) is never matched by content, and is
        never the match of another document's content: the same file attached to two
        messages is two documents, each linked to its message."""

    @abstractmethod
    def get(self, tenant: str, document_id: str) -> Document | None:
        """None when absent or owned by another tenant (callers cannot tell the difference)."""

    @abstractmethod
    def children(self, tenant: str, document_id: str) -> list[ChildDocument]:
        """The documents whose ``parent_id`` is ``document_id`` (a message's attachments), in
        the order they were created; empty when the tenant has no such document or it has none.
        """

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
        order: ListOrder = "newest",
    ) -> DocumentPage:
        """Newest first, or oldest first with ``order="oldest"``, by creation time, the id
        breaking ties (descending or ascending with the time). ``cursor`` is opaque and comes
        from the previous page (with the same filters and order). ``created_after`` is
        inclusive and ``created_before`` exclusive, so adjacent windows never share a document.

        Raises InvalidCursorError for a cursor this store did not hand out (CursorOrderError,
        one of them, for a cursor of the other order) and InvalidPageLimitError for a
        ``limit`` outside 1..MAX_PAGE_LIMIT."""

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
        run: int = 1,
        step: dict[str, Any] | None = None,
    ) -> bool:
        """Append to the timeline and move the status. False when the event id was seen before,
        or when the event belongs to an earlier run than the document's (nothing is recorded).
        ``step``, the event itself, is kept when it brings the document to ``status``.

        An event of a later run starts that run, as ``reset_for_reprocess`` does (the tracker
        may see a reprocessed document's first event before ingest's reset). A final status is
        not left again within a run; a late event of an earlier step never moves the status
        back (events of one document are ordered per topic, not across topics). ``review`` is
        kept until the next run (approving needs it). Raises DocumentNotFoundError when the
        tenant has no such document.
        """

    @abstractmethod
    def stalled(self, before: datetime, *, limit: int = 100) -> list[Document]:
        """Documents of every tenant on their way through the flow (received, extracted,
        validated or enriched: not final, not waiting for review) that have not changed since
        before ``before``, the longest unchanged first, at most ``limit``."""

    @abstractmethod
    def unannounced(self, before: datetime, *, limit: int = 100) -> list[Document]:
        """Documents of every tenant in a final state, with a callback url, unchanged since
        before ``before``, for whose step (the event that made them final) no webhook delivery
        was logged: the event notify acts on was lost. The longest unchanged first."""

    @abstractmethod
    def timeline(self, tenant: str, document_id: str) -> list[TimelineEntry]:
        """In event time, oldest first (events of one time in the order they were recorded);
        empty when the tenant has no such document."""

    @abstractmethod
    def save_result(
        self, tenant: str, document_id: str, result: dict[str, Any], *, run: int = 1
    ) -> bool:
        """Store the final record of run ``run`` (idempotent: the same record again changes
        nothing). False, storing nothing, when the document has moved on to another run.

        Raises DocumentNotFoundError when the tenant has no such document."""

    @abstractmethod
    def reset_for_reprocess(
        self,
        tenant: str,
        document_id: str,
        at: datetime,
        options: DocumentOptions | None = None,
        *,
        run: int,
    ) -> Document:
        """Start run ``run``: back to ``received``, the timeline kept, error, result, review
        and decision cleared. ``options``, when given, replace the document's type hint,
        callback url and metadata (all three). A document already at ``run`` or later (its
        first event reached the tracker first) keeps its progress and only takes the options.
        Raises DocumentNotFoundError when the tenant has no such document."""

    @abstractmethod
    def claim_review(
        self, tenant: str, document_id: str, *, run: int, decision: ReviewDecision
    ) -> Document | None:
        """Record ``decision`` for the review of run ``run``, atomically: the document with it,
        or None when the document is not waiting for review in that run or another decision
        was claimed first. Raises DocumentNotFoundError when the tenant has no such document.
        """

    @abstractmethod
    def release_review(self, tenant: str, document_id: str, *, run: int) -> None:
        """Give up the decision claimed for run ``run`` (its event could not be published), so
        that it can be decided again."""

    @abstractmethod
    def delete(self, tenant: str, document_id: str) -> bool:
        """Remove a document with its timeline and delivery log (ingest undoing an upload the
        broker refused). False when the tenant has no such document; the blob is the
        caller's to remove."""

    @abstractmethod
    def record_webhook(self, delivery: WebhookDelivery) -> None:
        """Append to the delivery log; the same delivery id again changes nothing. Raises
        DocumentNotFoundError when no document has ``delivery.document_id``."""

    @abstractmethod
    def webhook_deliveries(self, tenant: str, document_id: str) -> list[WebhookDelivery]:
        """Oldest first; empty when the tenant has no such document."""

    @abstractmethod
    def close(self) -> None: ...

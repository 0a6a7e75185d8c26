"""Accepting a document: the store's row, the broker's ack, and what a duplicate gets.

The row is created first because the store decides duplicates atomically (same sha256 or
same Idempotency-Key for the tenant); only then is ``document.received`` published. The
timeline marks the difference between "created" and "accepted": ingest records the
``document.received`` event there as soon as the broker acknowledged it (the tracker, reading
the same event later, finds it already recorded).

When the broker does not acknowledge, the upload is undone — row and blob deleted — and the
client gets ``503``: nothing half-accepted stays behind. A row left unannounced by a crash
between creation and ack is resumed (announced again) by the next upload of the same content
once it is older than a publish could take; a younger one is still being created (``409``).
"""

import functools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from http import HTTPStatus
from typing import Any, Final, TypeVar

import anyio.to_thread

from docflow_events import Envelope
from docflow_events.v1 import DocumentReceived
from docflow_ingest.core.envelopes import envelope
from docflow_ingest.core.problems import ProblemError
from docflow_ingest.core.publisher import Publisher, PublishError
from docflow_results.models import Document, DocumentStatus, NewDocument
from docflow_results.repository import DuplicateIdempotencyKeyError, Repository
from docflow_runtime.blobstore import BlobStore
from docflow_runtime.logging import get_logger

T = TypeVar("T")
log = get_logger(__name__)

#: A row this much older than the publish timeout is no longer being created by anyone.
_ORPHAN_MARGIN: Final = timedelta(seconds=5)


class BrokerUnavailableError(ProblemError):
    def __init__(self, retry_after: int, reason: str) -> None:
        super().__init__(
            HTTPStatus.SERVICE_UNAVAILABLE,
            "broker-unavailable",
            f"the document was not accepted: {reason}; try again later",
            headers={"Retry-After": str(retry_after)},
        )


class StillBeingCreatedError(ProblemError):
    def __init__(self, retry_after: int) -> None:
        super().__init__(
            HTTPStatus.CONFLICT,
            "request-in-progress",
            "the same document is being accepted by another request; try again shortly",
            headers={"Retry-After": str(retry_after)},
        )


class IdempotencyKeyReusedError(ProblemError):
    def __init__(self) -> None:
        super().__init__(
            HTTPStatus.UNPROCESSABLE_ENTITY,
            "idempotency-key-reused",
            "this Idempotency-Key was used for a different document",
        )


class NotFinalError(ProblemError):
    def __init__(self, status: DocumentStatus) -> None:
        super().__init__(
            HTTPStatus.CONFLICT,
            "not-final",
            f"the document is {status.value}; only stored, rejected or failed ones are reprocessed",
        )


@dataclass(frozen=True)
class Accepted:
    document: Document
    created: bool


async def blocking(function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run a blocking store or blob call on a worker thread."""
    return await anyio.to_thread.run_sync(functools.partial(function, *args, **kwargs))


def received_event(document: Document) -> Envelope[DocumentReceived]:
    return envelope(
        DocumentReceived(
            document_id=document.id,
            tenant=document.tenant,
            content=document.content,
            filename=document.filename,
            media_type=document.media_type,
            document_type_hint=document.document_type_hint,
            callback_url=document.callback_url,
            metadata=document.metadata,
            received_at=datetime.now(UTC),
        )
    )


class Intake:
    def __init__(
        self,
        repository: Repository,
        blobs: BlobStore,
        publisher: Publisher,
        *,
        publish_timeout: float,
        retry_after: int,
    ) -> None:
        self._repository = repository
        self._blobs = blobs
        self._publisher = publisher
        self._orphaned_after = timedelta(seconds=publish_timeout) + _ORPHAN_MARGIN
        self._retry_after = retry_after

    async def accept(self, new: NewDocument) -> Accepted:
        """Create and announce ``new``, or answer with the tenant's existing copy of it."""
        try:
            document, created = await blocking(self._repository.create, new)
        except DuplicateIdempotencyKeyError:
            await blocking(self._blobs.delete, new.content.url)
            raise IdempotencyKeyReusedError from None
        if not created:
            if document.content.url != new.content.url:
                await blocking(self._blobs.delete, new.content.url)
            return await self._existing(document)
        await self._announce(document, undo_on_refusal=True)
        return Accepted(document, created=True)

    async def reprocess(self, document: Document) -> Document:
        """Publish first, then reset: a refused publish leaves the document as it was."""
        if not document.status.final:
            raise NotFinalError(document.status)
        event = received_event(document)
        await self.publish(event)
        reset = await blocking(
            self._repository.reset_for_reprocess, document.tenant, document.id, event.time
        )
        await self._record_received(event)
        return reset

    async def _existing(self, document: Document) -> Accepted:
        if await self._announced(document):
            return Accepted(document, created=False)
        if datetime.now(UTC) - document.updated_at < self._orphaned_after:
            raise StillBeingCreatedError(self._retry_after)
        log.warning("resuming an upload left unannounced", document_id=document.id)
        # A refused resume leaves the row as it was: the next upload resumes it again.
        await self._announce(document, undo_on_refusal=False)
        return Accepted(document, created=True)

    async def publish(self, event: Envelope[Any]) -> None:
        """Publish ``event``; a broker that does not acknowledge it is a ``503`` to the caller."""
        try:
            await self._publisher.publish(event)
        except PublishError as exc:
            raise BrokerUnavailableError(self._retry_after, str(exc)) from None

    async def _announce(self, document: Document, *, undo_on_refusal: bool) -> None:
        event = received_event(document)
        try:
            await self._publisher.publish(event)
        except PublishError as exc:
            log.warning("broker refused an upload", document_id=document.id, reason=str(exc))
            if undo_on_refusal:
                await self._undo(document)
            raise BrokerUnavailableError(self._retry_after, str(exc)) from None
        await self._record_received(event)

    async def _record_received(self, event: Envelope[DocumentReceived]) -> None:
        await blocking(
            self._repository.record_event,
            event.tenant,
            event.subject,
            event_id=event.id,
            event_type=event.type,
            at=event.time,
            status=DocumentStatus.RECEIVED,
            detail={"source": event.source, "traceparent": event.traceparent},
        )

    async def _announced(self, document: Document) -> bool:
        entries = await blocking(self._repository.timeline, document.tenant, document.id)
        return any(entry.event_type == DocumentReceived.event_type for entry in entries)

    async def _undo(self, document: Document) -> None:
        await blocking(self._repository.delete, document.tenant, document.id)
        await blocking(self._blobs.delete, document.content.url)

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
An event too large for the broker is the caller's ``413``, undone the same way: no retry could
make it fit.
"""

import functools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from http import HTTPStatus
from typing import Any, Final, TypeVar

import anyio.to_thread

from docflow_events import Envelope, to_kafka
from docflow_events.v1 import DocumentReceived
from docflow_ingest.core.envelopes import envelope
from docflow_ingest.core.problems import ProblemError
from docflow_ingest.core.publisher import MessageTooLargeError, Publisher, PublishError
from docflow_results.models import Document, DocumentOptions, DocumentStatus, NewDocument
from docflow_results.repository import DuplicateIdempotencyKeyError, Repository
from docflow_runtime.blobstore import BlobStore
from docflow_runtime.logging import get_logger
from docflow_runtime.records import MAX_OUTPUT_BYTES

T = TypeVar("T")
log = get_logger(__name__)

#: A row this much older than the publish timeout is no longer being created by anyone.
_ORPHAN_MARGIN: Final = timedelta(seconds=5)


class BrokerUnavailableError(ProblemError):
    def __init__(self, retry_after: int, reason: str) -> None:
        super().__init__(
            HTTPStatus.SERVICE_UNAVAILABLE,
            "broker-unavailable",
            f"not accepted: {reason}; try again later",
            headers={"Retry-After": str(retry_after)},
        )


class EventTooLargeError(ProblemError):
    def __init__(self, detail: str) -> None:
        super().__init__(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "event-too-large", detail)


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
    def __init__(self, status: DocumentStatus, stalled_after: timedelta) -> None:
        super().__init__(
            HTTPStatus.CONFLICT,
            "not-final",
            f"the document is {status.value}; only stored, rejected or failed ones are "
            f"reprocessed, and those that have not moved for {stalled_after.total_seconds():g}s",
        )


@dataclass(frozen=True)
class Accepted:
    document: Document
    #: Announced by this request (``202``), not before it (``200``).
    created: bool
    #: The tenant's document of the same content, not one made of this upload.
    existing: bool


async def blocking(function: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run a blocking store or blob call on a worker thread."""
    return await anyio.to_thread.run_sync(functools.partial(function, *args, **kwargs))


def event_size(event: Envelope[Any]) -> int:
    """The bytes the broker counts against its message size limit."""
    record = to_kafka(event)
    return len(record.key) + len(record.value) + sum(len(k) + len(v) for k, v in record.headers)


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
            run=document.run,
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
        stalled_after: timedelta,
    ) -> None:
        self._repository = repository
        self._blobs = blobs
        self._publisher = publisher
        self._orphaned_after = timedelta(seconds=publish_timeout) + _ORPHAN_MARGIN
        self._retry_after = retry_after
        self._stalled_after = stalled_after

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
        return Accepted(document, created=True, existing=False)

    async def reprocess(self, document: Document, options: DocumentOptions | None) -> Document:
        """Publish first, then reset (with ``options``, when given, for the new run): a refused
        publish leaves the document as it was."""
        if not (document.status.final or self._stalled(document)):
            raise NotFinalError(document.status, self._stalled_after)
        changes = {"run": document.run + 1} | (options.model_dump() if options else {})
        event = received_event(document.model_copy(update=changes))
        await self.publish(event)
        reset = await blocking(
            self._repository.reset_for_reprocess, document.tenant, document.id, event.time,
            options, run=event.data.run,
        )  # fmt: skip
        await self._record_received(event)
        return reset

    def _stalled(self, document: Document) -> bool:
        """On its way but unchanged for long: whatever was to move it on is lost."""
        waiting_for_a_person = document.status is DocumentStatus.NEEDS_REVIEW
        unchanged = datetime.now(UTC) - document.updated_at
        return not waiting_for_a_person and unchanged >= self._stalled_after

    async def _existing(self, document: Document) -> Accepted:
        if await self._announced(document):
            return Accepted(document, created=False, existing=True)
        if datetime.now(UTC) - document.updated_at < self._orphaned_after:
            raise StillBeingCreatedError(self._retry_after)
        log.warning("resuming an upload left unannounced", document_id=document.id)
        # A refused resume leaves the row as it was: the next upload resumes it again.
        await self._announce(document, undo_on_refusal=False)
        return Accepted(document, created=True, existing=True)

    async def publish(self, event: Envelope[Any]) -> None:
        """Publish ``event``. One too large for the broker is the caller's ``413``, checked
        before it is sent; one the broker does not acknowledge, a ``503``."""
        size = event_size(event)
        if size > MAX_OUTPUT_BYTES:
            raise EventTooLargeError(
                f"the event this request makes is {size} bytes, more than the limit of"
                f" {MAX_OUTPUT_BYTES} bytes; send less (large data belongs in a document)"
            )
        try:
            await self._publisher.publish(event)
        except MessageTooLargeError as exc:
            raise EventTooLargeError(
                f"the broker refuses the event this request makes as too large ({exc}); send less"
            ) from None
        except PublishError as exc:
            log.warning("broker refused an event", document_id=event.subject, reason=str(exc))
            raise BrokerUnavailableError(self._retry_after, str(exc)) from None

    async def _announce(self, document: Document, *, undo_on_refusal: bool) -> None:
        event = received_event(document)
        try:
            await self.publish(event)
        except ProblemError:
            if undo_on_refusal:
                await self._undo(document)
            raise
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
            run=event.data.run,
        )

    async def _announced(self, document: Document) -> bool:
        entries = await blocking(self._repository.timeline, document.tenant, document.id)
        return any(entry.event_type == DocumentReceived.event_type for entry in entries)

    async def _undo(self, document: Document) -> None:
        await blocking(self._repository.delete, document.tenant, document.id)
        await blocking(self._blobs.delete, document.content.url)

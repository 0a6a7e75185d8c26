"""The tracker: follows every flow topic and keeps each document's status and timeline."""

from collections.abc import Sequence
from typing import ClassVar

from docflow_events import Envelope, EventData, StageName
from docflow_events.topics import STAGE_INPUTS
from docflow_events.v1 import DocumentReceived, DocumentStored
from docflow_results.models import DocumentStatus, NewDocument
from docflow_results.repository import DocumentIdConflictError, DocumentNotFoundError, Repository
from docflow_runtime import metrics
from docflow_runtime.errors import PermanentError
from docflow_runtime.logging import get_logger
from docflow_runtime.stage import Stage
from docflow_tracker.tracking import Tracked, UntrackedEventError, track

log = get_logger(__name__)


class Tracker(Stage):
    """Emits nothing: the results store is its only effect, and every write is idempotent."""

    name: ClassVar[str] = StageName.TRACKER.value
    inputs: ClassVar[tuple[str, ...]] = STAGE_INPUTS[StageName.TRACKER]

    def __init__(self, repository: Repository) -> None:
        self._repository = repository

    def handle(self, event: Envelope[EventData]) -> Sequence[EventData]:
        try:
            tracked = track(event.data)
        except UntrackedEventError as exc:
            raise PermanentError(str(exc)) from exc
        if isinstance(event.data, DocumentReceived):
            self._ensure_document(event.data)
        try:
            new = self._record(event, tracked)
        except DocumentNotFoundError:
            # Not an error of this event's stage: dead-lettering it would only announce a
            # failure of a document nobody can see. Said loudly, then dropped.
            log.warning("event for a document the store does not have", event_type=event.type)
            return []
        if new and isinstance(event.data, DocumentStored):
            self._observe_end_to_end(event.data)
        return []

    def close(self) -> None:
        self._repository.close()

    def _record(self, event: Envelope[EventData], tracked: Tracked) -> bool:
        return self._repository.record_event(
            event.data.tenant,
            event.data.document_id,
            event_id=event.id,
            event_type=event.type,
            at=event.time,
            status=tracked.status,
            detail=tracked.detail,
            error=tracked.error,
            review=tracked.review,
            run=event.data.run,
            # Kept whole: a stalled document is re-driven by publishing it again.
            step=event.model_dump(mode="json", serialize_as_any=True),
        )

    def _ensure_document(self, data: DocumentReceived) -> None:
        """Ingest creates the document before announcing it; this covers any other producer,
        such as extract announcing the attachments it split off a message."""
        if self._repository.get(data.tenant, data.document_id) is not None:
            return
        try:
            self._repository.create(_new_document(data))
        except DocumentIdConflictError:
            log.warning("document id belongs to another tenant", tenant=data.tenant)

    def _observe_end_to_end(self, data: DocumentStored) -> None:
        document = self._repository.get(data.tenant, data.document_id)
        if document is not None and document.status is DocumentStatus.STORED:
            seconds = (data.stored_at - document.created_at).total_seconds()
            metrics.END_TO_END_SECONDS.observe(max(seconds, 0.0))


def _new_document(data: DocumentReceived) -> NewDocument:
    return NewDocument(
        id=data.document_id,
        tenant=data.tenant,
        filename=data.filename,
        media_type=data.media_type,
        content=data.content,
        document_type_hint=data.document_type_hint,
        callback_url=data.callback_url,
        metadata=data.metadata,
        created_at=data.received_at,
        parent_id=data.parent_id,
    )

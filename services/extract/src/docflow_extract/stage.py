"""The extract stage: a received document becomes text, tables and key-values; the files
attached to an e-mail message become documents of their own, announced here."""

import time
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import ClassVar

from docflow_events import Envelope, EventData, StageName
from docflow_events.topics import STAGE_INPUTS
from docflow_events.v1 import DocumentReceived, ExtractionCompleted, ExtractionResult
from docflow_extract.attachments import announced_attachments
from docflow_extract.backends.base import ExtractionBackend, ExtractionRequest
from docflow_runtime.blobstore import BlobStore, result_key
from docflow_runtime.errors import PermanentError
from docflow_runtime.stage import Stage

_MIB = 1024 * 1024


class Extract(Stage):
    name: ClassVar[str] = StageName.EXTRACT.value
    inputs: ClassVar[tuple[str, ...]] = STAGE_INPUTS[StageName.EXTRACT]

    def __init__(
        self, store: BlobStore, backend: ExtractionBackend, *, max_document_mib: int = 100
    ) -> None:
        self._store = store
        self._backend = backend
        self._max_bytes = max_document_mib * _MIB

    def handle(self, event: Envelope[EventData]) -> Sequence[EventData]:
        data = event.data
        if not isinstance(data, DocumentReceived):
            raise PermanentError(f"extract reads document.received events, not {event.type}")
        started = time.perf_counter()
        content = self._store.read_verified(data.content, max_bytes=self._max_bytes)
        extraction = self._backend.extract_with_attachments(
            ExtractionRequest(
                document_id=data.document_id,
                media_type=data.media_type,
                content=content,
                source=data.content,
                run=data.run,
                document_type_hint=data.document_type_hint,
                # A message that is itself an attachment was split with its parent.
                split_attachments=data.parent_id is None,
            )
        )
        children = announced_attachments(
            self._store, data, extraction.attachments, datetime.now(UTC)
        )
        completed = self._completed(data, extraction.result, time.perf_counter() - started)
        return [completed, *children]

    def close(self) -> None:
        self._backend.close()

    def _completed(
        self, data: DocumentReceived, result: ExtractionResult, seconds: float
    ) -> ExtractionCompleted:
        # A redelivery (or a re-drive) extracts again, with other timings inside: the events
        # already out refer to the first result, which therefore stays.
        ref = self._store.save(result_key(data, "extraction.json"), result, keep_existing=True)
        return ExtractionCompleted(
            document_id=data.document_id,
            tenant=data.tenant,
            content=data.content,
            extraction=ref,
            media_type=result.media_type,
            document_type_hint=data.document_type_hint,
            page_count=len(result.pages),
            ocr_page_count=sum(1 for page in result.pages if page.recognised),
            cost=result.cost,
            handler_seconds=seconds,
        )

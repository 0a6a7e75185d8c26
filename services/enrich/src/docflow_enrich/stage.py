"""The enrich stage: a validated or approved document in, its enrichment out.

Reads the extraction result behind the event's claim check, runs the configured backend,
applies a reviewer's corrections, stores the :class:`EnrichmentResult` as a blob under
``{tenant}/{document_id}/runs/{run}/enrichment.json`` and emits ``enrichment.completed``. A rejected
review ends the document's flow here: nothing is emitted.
"""

import time
from collections.abc import Sequence
from typing import ClassVar

from docflow_enrich.backends import EnrichmentBackend
from docflow_enrich.corrections import apply_corrections
from docflow_events import Envelope, EventData, StageName
from docflow_events.topics import STAGE_INPUTS
from docflow_events.v1 import EnrichmentCompleted, ReviewDecided, ValidationPassed
from docflow_events.v1.results import EnrichmentResult, ExtractionResult
from docflow_runtime.blobstore import BlobStore, result_key
from docflow_runtime.errors import PermanentError
from docflow_runtime.logging import get_logger
from docflow_runtime.stage import Stage

_log = get_logger(__name__)


class Enrich(Stage):
    name: ClassVar[str] = StageName.ENRICH.value
    inputs: ClassVar[tuple[str, ...]] = STAGE_INPUTS[StageName.ENRICH]

    def __init__(self, blobs: BlobStore, backend: EnrichmentBackend, *, max_result_bytes: int):
        self._blobs = blobs
        self._backend = backend
        self._max_result_bytes = max_result_bytes

    def handle(self, event: Envelope[EventData]) -> Sequence[EventData]:
        data = event.data
        if isinstance(data, ReviewDecided) and data.decision == "rejected":
            _log.info("review rejected, nothing to enrich", document_id=data.document_id)
            return []
        if not isinstance(data, ValidationPassed | ReviewDecided):
            raise PermanentError(
                f"enrich reads validation.passed and review.decided, not {event.type}"
            )
        started = time.perf_counter()
        return [self._enrich(data, started)]

    def close(self) -> None:
        self._backend.close()

    def _enrich(
        self, data: ValidationPassed | ReviewDecided, started: float
    ) -> EnrichmentCompleted:
        extraction = self._blobs.load(
            data.extraction,
            ExtractionResult,
            max_bytes=self._max_result_bytes,
            document_id=data.document_id,
        )
        corrections = data.corrections if isinstance(data, ReviewDecided) else {}
        enrichment = self._backend.enrich(extraction, hint=data.document_type)
        entities = apply_corrections(enrichment.entities, corrections)
        result = EnrichmentResult(
            document_id=data.document_id,
            backend=self._backend.name,
            classification=enrichment.classification,
            entities=entities,
            summary=enrichment.summary,
            cost=enrichment.cost,
        )
        # The first result of a run stays: events already out refer to it.
        ref = self._blobs.save(result_key(data, "enrichment.json"), result, keep_existing=True)
        return EnrichmentCompleted(
            document_id=data.document_id,
            tenant=data.tenant,
            content=data.content,
            extraction=data.extraction,
            enrichment=ref,
            classification=enrichment.classification,
            validation_passed=isinstance(data, ValidationPassed),
            findings=data.findings,
            corrections=corrections,
            cost=enrichment.cost,
            handler_seconds=time.perf_counter() - started,
        )

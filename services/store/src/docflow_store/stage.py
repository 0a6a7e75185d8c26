"""The store stage: builds each document's final record and keeps it in the results store."""

import time
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import ClassVar, TypeVar

from docflow_events import Envelope, EventData, StageName
from docflow_events.topics import STAGE_INPUTS
from docflow_events.v1 import (
    BlobRef,
    DocumentStored,
    EnrichmentCompleted,
    ExtractionCompleted,
    ValidationFailed,
    ValidationPassed,
)
from docflow_events.v1.results import EnrichmentResult, ExtractionResult
from docflow_results.models import Document, TimelineEntry
from docflow_results.repository import Repository
from docflow_runtime import metrics
from docflow_runtime.blobstore import BlobStore
from docflow_runtime.errors import PermanentError, TransientError
from docflow_runtime.finite import check_finite
from docflow_runtime.logging import get_logger
from docflow_runtime.stage import Stage
from docflow_store.record import FinalRecord, build_record

R = TypeVar("R", ExtractionResult, EnrichmentResult)
log = get_logger(__name__)

#: The earlier stage whose handler time each tracked event carries.
_TIMED_STAGE: dict[str, str] = {
    ExtractionCompleted.event_type: "extract",
    ValidationPassed.event_type: "validate",
    ValidationFailed.event_type: "validate",
}


class Store(Stage):
    name: ClassVar[str] = StageName.STORE.value
    inputs: ClassVar[tuple[str, ...]] = STAGE_INPUTS[StageName.STORE]

    def __init__(self, repository: Repository, blobs: BlobStore, *, max_result_bytes: int) -> None:
        self._repository = repository
        self._blobs = blobs
        self._max_result_bytes = max_result_bytes

    def handle(self, event: Envelope[EventData]) -> Sequence[EventData]:
        started = time.monotonic()
        data = event.data
        if not isinstance(data, EnrichmentCompleted):
            raise PermanentError(f"the store stage reads enrichment.completed, not {event.type}")
        document = self._document(data)
        if data.run < document.run:
            log.info("event of an earlier run; nothing to store", run=data.run,
                     current_run=document.run)  # fmt: skip
            return []
        record = self._kept_record(data, document, started)
        if record is None:
            return []
        stored = DocumentStored(
            document_id=data.document_id,
            tenant=data.tenant,
            store=self._repository.kind,
            stored_at=datetime.now(UTC),
            cost_usd=record.cost_usd,
        )
        return [stored]

    def close(self) -> None:
        self._repository.close()

    def _document(self, data: EnrichmentCompleted) -> Document:
        document = self._repository.get(data.tenant, data.document_id)
        if document is None:
            raise PermanentError(f"the results store has no document {data.document_id!r}")
        if data.run > document.run:
            # The tracker has not recorded this run's start yet; it follows every topic.
            raise TransientError(f"the results store has not seen run {data.run} begin yet")
        return document

    def _kept_record(
        self, data: EnrichmentCompleted, document: Document, started: float
    ) -> FinalRecord | None:
        """The run's record, built and saved now or found from an earlier delivery; None when
        the document moved on to another run meanwhile."""
        if document.result is not None:
            # A redelivery: the record is kept already (a new run starts without one).
            return FinalRecord.model_validate(document.result)
        record = self._build(data, document, started)
        # JSON's 1e400 reads as inf, which the API could not answer with.
        check_finite(record)
        result = record.model_dump(mode="json")
        if not self._repository.save_result(data.tenant, data.document_id, result, run=data.run):
            return None
        _count_cost(record)
        return record

    def _build(self, data: EnrichmentCompleted, document: Document, started: float) -> FinalRecord:
        extraction = self._load(data.extraction, ExtractionResult, data.document_id)
        enrichment = self._load(data.enrichment, EnrichmentResult, data.document_id)
        # The event carries the timings (docflow-events 1.1); the tracker's timeline fills in
        # for events of older producers, which did not.
        timings = _timings(self._repository.timeline(document.tenant, document.id))
        timings |= {"enrich": data.handler_seconds} | data.timings
        timings["store"] = round(time.monotonic() - started, 6)
        return build_record(extraction, enrichment, data, timings)

    def _load(self, ref: BlobRef, model: type[R], document_id: str) -> R:
        return self._blobs.load(
            ref, model, max_bytes=self._max_result_bytes, document_id=document_id
        )


def _timings(timeline: list[TimelineEntry]) -> dict[str, float]:
    """Handler seconds of the earlier stages, from the latest run the tracker has seen."""
    timings: dict[str, float] = {}
    for entry in timeline:
        stage = _TIMED_STAGE.get(entry.event_type)
        seconds = entry.detail.get("handler_seconds")
        if stage is not None and isinstance(seconds, int | float):
            timings[stage] = float(seconds)
    return timings


def _count_cost(record: FinalRecord) -> None:
    """Once per record kept: a redelivery finds the record and does not count it again."""
    for cost in record.costs.values():
        metrics.COST_USD.labels(cost.backend).inc(cost.usd)
    metrics.DOCUMENT_COST_USD.observe(record.cost_usd)

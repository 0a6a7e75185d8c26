"""The enrich stage: a validated or approved document in, its enrichment out.

Reads the extraction result behind the event's claim check, runs the configured backend,
applies a reviewer's corrections, stores the :class:`EnrichmentResult` as a blob under
``{tenant}/{document_id}/runs/{run}/enrichment.json`` and emits ``enrichment.completed``. A rejected
review ends the document's flow here: nothing is emitted.

When a model backend gives no usable answer (:class:`UnusableAnswerError`), the local rules
stand in (``DOCFLOW_ENRICH_FALLBACK=local``; the result names the model in
``fallback_from``), or the document goes to human review: enrich emits ``validation.failed``
with the validator's findings and one of its own (rule ``enrich.model_answer``), which the
tracker turns into ``needs_review`` as for any failed validation. A document that comes back
approved from review has had its review in this run, and a run has one review decision, so
for it the local rules stand in whatever the setting; the reviewer's corrections apply on top.
"""

import time
from collections.abc import Sequence
from typing import ClassVar

from docflow_enrich.backends import Enrichment, EnrichmentBackend, LocalBackend
from docflow_enrich.backends.llm import UnusableAnswerError
from docflow_enrich.corrections import apply_corrections
from docflow_events import Envelope, EventData, StageName
from docflow_events.topics import STAGE_INPUTS
from docflow_events.v1 import (
    EnrichmentCompleted,
    Finding,
    ReviewDecided,
    ValidationFailed,
    ValidationPassed,
)
from docflow_events.v1.results import EnrichmentResult, ExtractionResult
from docflow_runtime.blobstore import BlobStore, result_key
from docflow_runtime.errors import PermanentError
from docflow_runtime.logging import get_logger
from docflow_runtime.stage import Stage

_log = get_logger(__name__)
#: The finding that tells a reviewer why enrich sent the document to review.
MODEL_ANSWER_RULE = "enrich.model_answer"


class Enrich(Stage):
    name: ClassVar[str] = StageName.ENRICH.value
    inputs: ClassVar[tuple[str, ...]] = STAGE_INPUTS[StageName.ENRICH]

    def __init__(
        self,
        blobs: BlobStore,
        backend: EnrichmentBackend,
        *,
        max_result_bytes: int,
        rules: EnrichmentBackend | None = None,
        fallback: bool = True,
    ):
        self._blobs = blobs
        self._backend = backend
        self._max_result_bytes = max_result_bytes
        self._rules = rules or LocalBackend()
        self._fallback = fallback

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
    ) -> EnrichmentCompleted | ValidationFailed:
        extraction = self._blobs.load(
            data.extraction,
            ExtractionResult,
            max_bytes=self._max_result_bytes,
            document_id=data.document_id,
        )
        try:
            enrichment = self._backend.enrich(extraction, hint=data.document_type)
        except UnusableAnswerError as exc:
            if isinstance(data, ValidationPassed) and not self._fallback:
                return self._to_review(data, exc, started)
            enrichment = self._by_rules(extraction, data.document_type, exc)
        return self._completed(data, enrichment, started)

    def _by_rules(
        self, extraction: ExtractionResult, hint: str | None, failure: UnusableAnswerError
    ) -> Enrichment:
        _log.warning("model answer unusable, local rules stand in", why=failure.reason)
        found = self._rules.enrich(extraction, hint=hint)
        # The failed calls were billed: the model's cost stays with the document.
        return found.model_copy(update={"fallback_from": self._backend.name, "cost": failure.cost})

    def _to_review(
        self, data: ValidationPassed, failure: UnusableAnswerError, started: float
    ) -> ValidationFailed:
        _log.warning("model answer unusable, document sent to review", why=failure.reason)
        finding = Finding(
            rule=MODEL_ANSWER_RULE,
            severity="error",
            message=f"the {self._backend.name} model gave no usable answer: {failure.reason}",
        )
        return ValidationFailed(
            document_id=data.document_id,
            tenant=data.tenant,
            content=data.content,
            extraction=data.extraction,
            rule_pack=data.rule_pack,
            document_type=data.document_type,
            findings=[*data.findings, finding],
            handler_seconds=time.perf_counter() - started,
        )

    def _completed(
        self, data: ValidationPassed | ReviewDecided, enrichment: Enrichment, started: float
    ) -> EnrichmentCompleted:
        corrections = data.corrections if isinstance(data, ReviewDecided) else {}
        entities = apply_corrections(enrichment.entities, corrections)
        result = EnrichmentResult(
            document_id=data.document_id,
            backend=self._rules.name if enrichment.fallback_from else self._backend.name,
            classification=enrichment.classification,
            entities=entities,
            summary=enrichment.summary,
            cost=enrichment.cost,
            ungrounded=enrichment.ungrounded,
            fallback_from=enrichment.fallback_from,
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

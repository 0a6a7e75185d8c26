"""One document's flow as events, for tests of the stages: every field a real stage would set.

``through_kafka`` sends an envelope through the Kafka binding and back, so a handler sees
exactly what the worker would hand it.
"""

import hashlib
import uuid
from datetime import UTC, datetime, timedelta
from typing import Literal

from docflow_events import Envelope, EventData, from_kafka, to_kafka
from docflow_events.v1 import (
    BlobRef,
    Classification,
    Cost,
    DocumentFailed,
    DocumentReceived,
    DocumentStored,
    EnrichmentCompleted,
    ExtractionCompleted,
    Finding,
    ReviewDecided,
    ValidationFailed,
    ValidationPassed,
)

T0 = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
FINDING = Finding(rule="nda.term_present", severity="error", message="No term found", field="term")


def blob(name: str, data: bytes | None = None) -> BlobRef:
    content = data if data is not None else name.encode()
    digest = hashlib.sha256(content).hexdigest()
    return BlobRef(url=f"file:///blobs/{name}", sha256=digest, size=len(content))


def through_kafka(data: EventData, event_id: str | None = None) -> Envelope[EventData]:
    envelope = Envelope.wrap(data, id=event_id or str(uuid.uuid4()), source="/tests")
    record = to_kafka(envelope)
    return from_kafka(record.key, record.value, record.headers)


class DocumentFlow:
    """The events of one document, each built as the stage that emits it would."""

    def __init__(self, document_id: str, tenant: str = "acme", **refs: BlobRef) -> None:
        self.document_id = document_id
        self.tenant = tenant
        self.content = refs.get("content", blob(f"{document_id}/original"))
        self.extraction = refs.get("extraction", blob(f"{document_id}/extraction.json"))
        self.enrichment = refs.get("enrichment", blob(f"{document_id}/enrichment.json"))

    def _ids(self) -> dict[str, str]:
        return {"document_id": self.document_id, "tenant": self.tenant}

    def received(self, callback_url: str | None = None) -> DocumentReceived:
        return DocumentReceived(
            **self._ids(), content=self.content, filename="nda.pdf",
            media_type="application/pdf", callback_url=callback_url,
            metadata={"ref": "case-7"}, received_at=T0,
        )  # fmt: skip

    def extracted(self, seconds: float = 0.42) -> ExtractionCompleted:
        return ExtractionCompleted(
            **self._ids(), content=self.content, extraction=self.extraction,
            media_type="application/pdf", page_count=3, ocr_page_count=1,
            cost=Cost(backend="textract", usd=0.015), handler_seconds=seconds,
        )  # fmt: skip

    def validation_passed(self, seconds: float = 0.05) -> ValidationPassed:
        return ValidationPassed(
            **self._ids(), content=self.content, extraction=self.extraction, rule_pack="nda",
            document_type="nda", findings=[], handler_seconds=seconds,
        )  # fmt: skip

    def validation_failed(self, seconds: float = 0.05) -> ValidationFailed:
        return ValidationFailed(
            **self._ids(), content=self.content, extraction=self.extraction, rule_pack="nda",
            document_type="nda", findings=[FINDING], handler_seconds=seconds,
        )  # fmt: skip

    def review(self, decision: Literal["approved", "rejected"]) -> ReviewDecided:
        return ReviewDecided(
            **self._ids(), decision=decision, reviewer="reviewer@acme.test",
            corrections={"term": "2 years"} if decision == "approved" else {},
            content=self.content, extraction=self.extraction, rule_pack="nda",
            document_type="nda", findings=[FINDING], decided_at=T0 + timedelta(minutes=5),
        )  # fmt: skip

    def enriched(self, seconds: float = 1.5, *, passed: bool = True) -> EnrichmentCompleted:
        return EnrichmentCompleted(
            **self._ids(), content=self.content, extraction=self.extraction,
            enrichment=self.enrichment,
            classification=Classification(type="nda", confidence=0.93),
            validation_passed=passed, findings=[] if passed else [FINDING],
            corrections={} if passed else {"term": "2 years"},
            cost=Cost(backend="bedrock", usd=0.002), handler_seconds=seconds,
        )  # fmt: skip

    def stored(self, after: timedelta = timedelta(seconds=12)) -> DocumentStored:
        return DocumentStored(**self._ids(), store="sqlite", stored_at=T0 + after, cost_usd=0.017)

    def failed(self, stage: str = "extract") -> DocumentFailed:
        return DocumentFailed(
            **self._ids(), stage=stage, error_class="UnsupportedFormatError",
            reason="not a PDF: the content starts with an HTML tag", permanent=True,
            attempts=1, dead_letter_topic=f"docflow.dlq.{stage}",
            source_topic="docflow.document.received", source_partition=0, source_offset=7,
            failed_at=T0 + timedelta(seconds=3),
        )  # fmt: skip

"""One document through the stages as the pipeline runs them, in-process and without Kafka.

The stages are built by their own factories from their own settings classes (so ``DOCFLOW_*``
variables apply as in a deployment, except that the backends are the local ones and the blob
store is a scratch directory), and each ``handle`` gets the event the previous stage emitted.
A document whose validation fails would wait for a reviewer; to learn what it would read,
it is then approved without corrections, as a reviewer who changes nothing would.
"""

import time
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Final, Literal

from pydantic import BaseModel, ConfigDict, Field

from docflow_enrich import factory as enrich_factory
from docflow_enrich.settings import EnrichSettings
from docflow_events import Envelope, EventData
from docflow_events.v1 import (
    DocumentReceived,
    EnrichmentCompleted,
    ReviewDecided,
    ValidationFailed,
    ValidationPassed,
)
from docflow_events.v1.results import EnrichmentResult, Entities
from docflow_extract import factory as extract_factory
from docflow_extract.settings import ExtractSettings
from docflow_runtime.blobstore import BlobStore, blob_store_from_url
from docflow_runtime.logging import get_logger
from docflow_runtime.stage import Stage
from docflow_validate import factory as validate_factory
from docflow_validate.settings import ValidateSettings

_log = get_logger(__name__)
Route = Literal["stored", "review", "failed"]
TENANT: Final = "eval"
_SOURCE: Final = "/docflow-tools/eval"
_NAMESPACE: Final = uuid.UUID("7d1f4c2e-9a51-4f0e-8f0a-2b6c4b1d9e37")
#: Ingest sniffs the media type from the content; the corpora hold only these kinds.
MEDIA_TYPES: Final = {".pdf": "application/pdf", ".jpg": "image/jpeg", ".png": "image/png"}


class UnknownMediaTypeError(ValueError):
    """A corpus file of a kind the evaluation does not know how to post."""


class Outcome(BaseModel):
    """What the pipeline did with one document."""

    model_config = ConfigDict(frozen=True)

    route: Route = Field(
        description="stored: validation passed; review: it failed; failed: "
        "a stage gave up on the document"
    )
    rule_pack: str | None = None
    document_type: str | None = None
    findings: list[str] = Field(default_factory=list, description="Rules with an error finding")
    entities: Entities = Field(default_factory=Entities)
    error: str | None = Field(default=None, description="The exception class, when failed")
    seconds: float = 0.0


class Pipeline:
    """The extract, validate and enrich stages over one scratch blob store."""

    def __init__(self, scratch: Path) -> None:
        url = scratch.absolute().as_uri()
        self._blobs = blob_store_from_url(url)
        enrich = EnrichSettings(blob_url=url, enrich_backend="local")
        self._max_result_bytes = enrich.max_result_bytes
        self._extract = extract_factory.build(
            # One parser child: the evaluation runs one pipeline per core already.
            ExtractSettings(blob_url=url, extract_backend="local", extract_pool_size=1)
        )
        self._validate = validate_factory.build(ValidateSettings(blob_url=url))
        self._enrich = enrich_factory.build(enrich)

    def close(self) -> None:
        self._extract.close()
        self._enrich.close()

    def run(self, path: Path, corpus: str) -> Outcome:
        started = time.perf_counter()
        try:
            outcome = self._run(path, corpus)
        # The pipeline would dead-letter such a document: that is an outcome, not a crash.
        except Exception as exc:
            _log.warning("a stage gave up on a document", error=type(exc).__name__)
            outcome = Outcome(route="failed", error=type(exc).__name__)
        return outcome.model_copy(update={"seconds": time.perf_counter() - started})

    def _run(self, path: Path, corpus: str) -> Outcome:
        received = self._received(path, corpus)
        validated = _one(self._validate, _one(self._extract, received))
        if not isinstance(validated, ValidationPassed | ValidationFailed):
            raise TypeError("validate emitted neither validation.passed nor failed")
        passed = isinstance(validated, ValidationPassed)
        onward = validated if isinstance(validated, ValidationPassed) else _approved(validated)
        enriched = _one(self._enrich, onward)
        return Outcome(
            route="stored" if passed else "review",
            rule_pack=validated.rule_pack,
            document_type=validated.document_type,
            findings=[f.rule for f in validated.findings if f.severity == "error"],
            entities=self._entities(enriched),
        )

    def _received(self, path: Path, corpus: str) -> DocumentReceived:
        document_id = str(uuid.uuid5(_NAMESPACE, f"{corpus}/{path.name}"))
        content = self._blobs.put_bytes(f"{TENANT}/{document_id}/original", path.read_bytes())
        return DocumentReceived(
            document_id=document_id,
            tenant=TENANT,
            content=content,
            filename=path.name,
            media_type=media_type(path),
            received_at=datetime.now(UTC),
        )

    def _entities(self, event: EventData) -> Entities:
        if not isinstance(event, EnrichmentCompleted):
            raise TypeError("enrich emitted no enrichment.completed")
        result = _load(self._blobs, event, self._max_result_bytes)
        return result.entities


def media_type(path: Path) -> str:
    try:
        return MEDIA_TYPES[path.suffix.lower()]
    except KeyError:
        raise UnknownMediaTypeError(f"no media type known for *{path.suffix}") from None


def _one(stage: Stage, data: EventData) -> EventData:
    """The single event a stage emits for ``data``, as the worker would hand it on."""
    envelope = Envelope.wrap(data, id=str(uuid.uuid4()), source=_SOURCE)
    outputs = list(stage.handle(envelope))
    if len(outputs) != 1:
        raise RuntimeError(f"the {stage.name} stage emitted {len(outputs)} events, not one")
    return outputs[0]


def _approved(failed: ValidationFailed) -> ReviewDecided:
    return ReviewDecided(
        document_id=failed.document_id,
        tenant=failed.tenant,
        decision="approved",
        reviewer="eval",
        content=failed.content,
        extraction=failed.extraction,
        rule_pack=failed.rule_pack,
        document_type=failed.document_type,
        findings=failed.findings,
        decided_at=datetime.now(UTC),
    )


def _load(blobs: BlobStore, event: EnrichmentCompleted, max_bytes: int) -> EnrichmentResult:
    return blobs.load(
        event.enrichment, EnrichmentResult, max_bytes=max_bytes, document_id=event.document_id
    )

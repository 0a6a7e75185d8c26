"""The validate stage: read the extraction result, run the chosen rule pack, report."""

import time
from collections.abc import Sequence
from typing import ClassVar

from pydantic import ValidationError

from docflow_events import Envelope, EventData, Topic
from docflow_events.v1 import (
    ExtractionCompleted,
    ExtractionResult,
    ValidationFailed,
    ValidationPassed,
)
from docflow_runtime.blobstore import BlobStore, blob_store_from_url
from docflow_runtime.errors import PermanentError
from docflow_runtime.logging import get_logger
from docflow_runtime.stage import Stage
from docflow_validate.engine import run_pack
from docflow_validate.loader import load_catalog
from docflow_validate.pack import PackCatalog
from docflow_validate.selection import choose_pack
from docflow_validate.settings import ValidateSettings

log = get_logger(__name__)


class Validate(Stage):
    name: ClassVar[str] = "validate"
    inputs: ClassVar[tuple[str, ...]] = (Topic.EXTRACTION_COMPLETED,)

    def __init__(self, settings: ValidateSettings, blobs: BlobStore, catalog: PackCatalog) -> None:
        self._blobs = blobs
        self._catalog = catalog
        self._guess_chars = settings.validate_guess_chars

    def handle(self, event: Envelope[EventData]) -> Sequence[EventData]:
        data = event.data
        if not isinstance(data, ExtractionCompleted):
            raise PermanentError(f"validate reads extraction.completed events, not {event.type}")
        started = time.perf_counter()
        document = self._read_result(data)
        choice = choose_pack(
            self._catalog, data.document_type_hint, document.text, guess_chars=self._guess_chars
        )
        verdict = run_pack(choice.pack, document)
        outcome = ValidationPassed if verdict.passed else ValidationFailed
        log.info(
            "validated", pack=choice.pack.name, document_type=choice.document_type,
            chosen_by=choice.source, passed=verdict.passed, findings=len(verdict.findings),
        )  # fmt: skip
        return [
            outcome(
                document_id=data.document_id, tenant=data.tenant, content=data.content,
                extraction=data.extraction, rule_pack=choice.pack.name,
                document_type=choice.document_type, findings=verdict.findings,
                handler_seconds=time.perf_counter() - started,
            )
        ]  # fmt: skip

    def _read_result(self, data: ExtractionCompleted) -> ExtractionResult:
        raw = self._blobs.read_verified(data.extraction)
        try:
            document = ExtractionResult.model_validate_json(raw)
        except ValidationError as exc:
            raise PermanentError(
                f"the extraction blob {data.extraction.url} is not a valid ExtractionResult: "
                f"{exc.error_count()} problems, first: {exc.errors()[0]['msg']}"
            ) from exc
        if document.document_id != data.document_id:
            raise PermanentError(
                f"the extraction blob belongs to document {document.document_id!r}, "
                f"not {data.document_id!r}"
            )
        return document


def build(settings: ValidateSettings) -> Validate:
    """The stage with its blob store and the rule packs (loaded and checked now)."""
    catalog = load_catalog(settings.validate_rules_dir, settings.validate_default_pack)
    return Validate(settings, blob_store_from_url(settings.blob_url), catalog)

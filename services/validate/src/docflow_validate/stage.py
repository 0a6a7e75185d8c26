"""The validate stage: read the extraction result, run the chosen rule pack, report."""

import time
from collections.abc import Sequence
from typing import ClassVar

from docflow_events import Envelope, EventData, StageName
from docflow_events.topics import STAGE_INPUTS
from docflow_events.v1 import (
    ExtractionCompleted,
    ExtractionResult,
    ValidationFailed,
    ValidationPassed,
)
from docflow_runtime.blobstore import BlobStore
from docflow_runtime.errors import PermanentError
from docflow_runtime.logging import get_logger
from docflow_runtime.stage import Stage
from docflow_validate.engine import run_pack
from docflow_validate.pack import PackCatalog
from docflow_validate.selection import choose_pack
from docflow_validate.settings import ValidateSettings

log = get_logger(__name__)


class Validate(Stage):
    name: ClassVar[str] = StageName.VALIDATE.value
    inputs: ClassVar[tuple[str, ...]] = STAGE_INPUTS[StageName.VALIDATE]

    def __init__(self, settings: ValidateSettings, blobs: BlobStore, catalog: PackCatalog) -> None:
        self._blobs = blobs
        self._catalog = catalog
        self._guess_chars = settings.validate_guess_chars
        self._max_result_bytes = settings.max_result_bytes

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
        disagreement = choice.disagreement()
        findings = [*verdict.findings, *([disagreement] if disagreement else [])]
        outcome = ValidationPassed if verdict.passed else ValidationFailed
        log.info(
            "validated", pack=choice.pack.name, document_type=choice.document_type,
            chosen_by=choice.source, passed=verdict.passed, findings=len(findings),
        )  # fmt: skip
        return [
            outcome(
                document_id=data.document_id, tenant=data.tenant, content=data.content,
                extraction=data.extraction, rule_pack=choice.pack.name,
                document_type=choice.document_type, findings=findings,
                handler_seconds=time.perf_counter() - started,
            )
        ]  # fmt: skip

    def _read_result(self, data: ExtractionCompleted) -> ExtractionResult:
        return self._blobs.load(
            data.extraction,
            ExtractionResult,
            max_bytes=self._max_result_bytes,
            document_id=data.document_id,
        )

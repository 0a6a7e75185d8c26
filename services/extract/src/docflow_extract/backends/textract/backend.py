"""The Textract backend: one synchronous call for a page, an async job on S3 for more."""

import hashlib
import time
from collections.abc import Callable, Mapping
from typing import ClassVar

from mypy_boto3_s3 import S3Client
from mypy_boto3_textract import TextractClient

from docflow_events.v1 import ExtractionResult
from docflow_extract.backends.base import ExtractionBackend, ExtractionRequest
from docflow_extract.backends.textract.calls import Kind, Response, TextractCalls
from docflow_extract.backends.textract.cost import BACKEND, cost_of
from docflow_extract.backends.textract.jobs import JobRunner, request_token
from docflow_extract.backends.textract.mapping import Mapped, combined, mapped
from docflow_extract.backends.textract.options import TextractOptions
from docflow_extract.backends.textract.routing import needs_job
from docflow_extract.backends.textract.staging import Staging, s3_object


class TextractBackend(ExtractionBackend):
    name: ClassVar[str] = BACKEND

    def __init__(
        self,
        client: TextractClient,
        options: TextractOptions,
        prices: Mapping[str, float],
        *,
        s3: S3Client | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._client = client
        self._s3 = s3
        self._options = options
        self._prices = prices
        self._calls = TextractCalls(client, options.features)
        self._jobs = JobRunner(self._calls, options.poll, sleep=sleep)
        self._staging = Staging(s3, options.staging_bucket, options.staging_prefix)

    def extract(self, request: ExtractionRequest) -> ExtractionResult:
        kind = self._kind(request)
        if needs_job(request.media_type, request.content, max_pages=self._options.max_pages):
            answer = combined(self._job(kind, request))
        else:
            answer = self._calls.analyze(kind, request.content)
        return self._result(request, kind, mapped(answer))

    def close(self) -> None:
        self._client.close()
        if self._s3 is not None:
            self._s3.close()

    def _kind(self, request: ExtractionRequest) -> Kind:
        hint = (request.document_type_hint or "").lower()
        return "expense" if hint in self._options.expense_types else self._calls.kind

    def _job(self, kind: Kind, request: ExtractionRequest) -> list[Response]:
        source = request.source
        digest = source.sha256 if source else hashlib.sha256(request.content).hexdigest()
        token = request_token(request.document_id, request.run, digest)
        in_place = s3_object(source.url) if source and self._options.read_blobs_in_place else None
        if in_place is not None:
            return self._jobs.run(kind, in_place.location(), token)
        with self._staging.staged(token, request.content) as staged:
            return self._jobs.run(kind, staged.location(), token)

    def _result(self, request: ExtractionRequest, kind: Kind, found: Mapped) -> ExtractionResult:
        return ExtractionResult(
            document_id=request.document_id,
            media_type=request.media_type,
            backend=self.name,
            pages=found.pages,
            tables=found.tables,
            key_values=found.key_values,
            warnings=found.warnings,
            cost=cost_of(kind, self._options.features, found.billed_pages, self._prices),
        )

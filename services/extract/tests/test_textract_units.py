"""The Textract backend's parts on their own: jobs, errors, tokens, cost, routing, settings."""

import re
from collections import deque
from datetime import UTC, datetime
from pathlib import Path

import boto3
import pytest
from botocore.exceptions import ClientError
from mypy_boto3_textract.type_defs import DocumentLocationTypeDef

from docflow_events import Envelope, EventData
from docflow_events.v1 import DocumentReceived, ExtractionResult
from docflow_extract.backends.base import ExtractionBackend, ExtractionRequest
from docflow_extract.backends.errors import DocumentRejectedError, ExtractionFailedError
from docflow_extract.backends.factory import backend_from_settings
from docflow_extract.backends.textract.backend import TextractBackend
from docflow_extract.backends.textract.calls import Kind, Response, TextractCalls
from docflow_extract.backends.textract.cost import billed_units, cost_of
from docflow_extract.backends.textract.errors import (
    TextractBusyError,
    TextractJobPendingError,
    classified,
    public_reason,
)
from docflow_extract.backends.textract.jobs import JobRunner, request_token
from docflow_extract.backends.textract.options import PollPolicy, TextractOptions
from docflow_extract.backends.textract.routing import SYNC_MAX_BYTES, needs_job
from docflow_extract.backends.textract.staging import s3_object
from docflow_extract.settings import ExtractSettings
from docflow_extract.stage import Extract
from docflow_runtime.blobstore import LocalBlobStore
from docflow_runtime.errors import PermanentError, TransientError
from docflow_runtime.pricing import DEFAULT_PRICES

from .textract_answers import response
from .textract_documents import image, pdf

_SHA = "a" * 64


class ScriptedCalls(TextractCalls):
    """Job calls answered from a list, with a clock that moves only when the runner sleeps."""

    def __init__(self, *answers: Response) -> None:
        super().__init__(boto3.client("textract", region_name="us-east-1"), ("FORMS",))
        self.answers = deque(answers)
        self.asked: list[str | None] = []

    def start(self, kind: Kind, location: DocumentLocationTypeDef, token: str) -> str:
        return "job-1"

    def get(self, kind: Kind, job_id: str, next_token: str | None) -> Response:
        self.asked.append(next_token)
        return self.answers.popleft() if len(self.answers) > 1 else self.answers[0]


class Clock:
    def __init__(self) -> None:
        self.now = 0.0
        self.pauses: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.pauses.append(seconds)
        self.now += seconds


def _runner(calls: ScriptedCalls, clock: Clock, total: float = 30.0) -> JobRunner:
    policy = PollPolicy(initial_seconds=1.0, max_seconds=4.0, total_seconds=total)
    return JobRunner(calls, policy, sleep=clock.sleep, clock=lambda: clock.now)


_LOCATION: DocumentLocationTypeDef = {"S3Object": {"Bucket": "b", "Name": "k"}}


def test_a_job_in_progress_is_polled_with_doubling_pauses_until_it_succeeds() -> None:
    done = response("little_women_page_1")
    calls = ScriptedCalls(*[response("test-inprogress-response")] * 4, done)
    clock = Clock()

    pages = _runner(calls, clock).run("analysis", _LOCATION, "t")

    assert pages == [done]
    assert clock.pauses == [1.0, 2.0, 4.0, 4.0]


def test_a_job_still_in_progress_past_the_wait_is_transient_and_says_when_to_retry() -> None:
    calls = ScriptedCalls(response("test-inprogress-response"))
    clock = Clock()

    with pytest.raises(TextractJobPendingError) as raised:
        _runner(calls, clock, total=10.0).run("analysis", _LOCATION, "t")

    assert isinstance(raised.value, TransientError)
    assert raised.value.retry_after == 4.0
    assert clock.now == pytest.approx(10.0)
    assert "IN_PROGRESS" in str(raised.value)


def test_a_failed_job_is_a_permanent_rejection_with_textracts_reason() -> None:
    calls = ScriptedCalls(response("test-failed-response"))

    with pytest.raises(DocumentRejectedError, match="Dummy Status Message") as raised:
        _runner(calls, Clock()).run("analysis", _LOCATION, "t")

    assert isinstance(raised.value, PermanentError)


def test_every_result_page_is_read_by_its_next_token() -> None:
    first = {"JobStatus": "SUCCEEDED", "Blocks": [], "NextToken": "n1"}
    second = {"JobStatus": "SUCCEEDED", "Blocks": [], "NextToken": "n2"}
    last = {"JobStatus": "SUCCEEDED", "Blocks": []}
    calls = ScriptedCalls(first, second, last)

    assert _runner(calls, Clock()).run("analysis", _LOCATION, "t") == [first, second, last]
    assert calls.asked == [None, "n1", "n2"]


def _client_error(code: str, message: str = "boom") -> ClientError:
    return ClientError({"Error": {"Code": code, "Message": message}}, "AnalyzeDocument")


@pytest.mark.parametrize(
    "code",
    [
        "ThrottlingException",
        "ProvisionedThroughputExceededException",
        "LimitExceededException",
        "InternalServerError",
    ],
)
def test_busy_textract_is_transient(code: str) -> None:
    error = classified("analysis", _client_error(code))

    assert isinstance(error, TextractBusyError)
    assert isinstance(error, TransientError)
    assert code in str(error)


@pytest.mark.parametrize(
    "code",
    [
        "InvalidParameterException",
        "UnsupportedDocumentException",
        "BadDocumentException",
        "DocumentTooLargeException",
    ],
)
def test_a_document_textract_cannot_read_is_permanent_with_its_reason(code: str) -> None:
    error = classified("analysis", _client_error(code, "Request has unsupported document format"))

    assert isinstance(error, DocumentRejectedError)
    assert (
        error.reason
        == f"Textract refused the document ({code}): Request has unsupported document format"
    )


def test_a_token_reused_with_other_settings_is_permanent() -> None:
    error = classified("analysis", _client_error("IdempotentParameterMismatchException"))

    assert isinstance(error, DocumentRejectedError)
    assert "reprocess the document" in error.reason


def test_other_errors_are_transient() -> None:
    error = classified("analysis", _client_error("AccessDeniedException", "not allowed"))

    assert type(error) is ExtractionFailedError


def test_reasons_carry_no_object_locations_and_are_bounded() -> None:
    reason = public_reason(
        "Unable to get object s3://private-bucket/tenant/doc.pdf  now " + "x" * 500
    )

    assert "private-bucket" not in reason
    assert reason.startswith("Unable to get object s3://… now")
    assert len(reason) == 300


def test_the_request_token_is_stable_per_run_and_fits_the_api() -> None:
    token = request_token("doc-1", 1, _SHA)

    assert token == request_token("doc-1", 1, _SHA)
    assert re.fullmatch(r"[a-zA-Z0-9-_]{1,64}", token)
    assert len({token, request_token("doc-1", 2, _SHA), request_token("doc-2", 1, _SHA)}) == 3
    assert token != request_token("doc-1", 1, "b" * 64)


def test_a_five_page_contract_with_forms_and_tables_costs_both_features_per_page() -> None:
    cost = cost_of("analysis", ("FORMS", "TABLES"), 5, DEFAULT_PRICES)

    assert cost.backend == "textract"
    assert cost.units == {"forms_pages": 5, "tables_pages": 5}
    assert cost.usd == pytest.approx(5 * 0.05 + 5 * 0.015)


def test_units_follow_the_kind_of_reading() -> None:
    assert billed_units("analysis", ("TABLES",), 3) == {"tables_pages": 3}
    assert billed_units("text", (), 3) == {"text_pages": 3}
    assert billed_units("expense", ("FORMS", "TABLES"), 2) == {"expense_pages": 2}
    assert cost_of("text", (), 1000, {"textract/text_pages": 0.001}).usd == pytest.approx(1.0)


def test_routing_sends_single_pages_to_the_synchronous_call_and_the_rest_to_a_job() -> None:
    assert needs_job("application/pdf", pdf(1), max_pages=10) is False
    assert needs_job("image/png", image("PNG"), max_pages=10) is False
    assert needs_job("image/jpeg", image("JPEG"), max_pages=10) is False
    assert needs_job("image/tiff", image("TIFF"), max_pages=10) is False
    assert needs_job("application/pdf", pdf(2), max_pages=10) is True
    assert needs_job("image/tiff", image("TIFF", frames=3), max_pages=10) is True
    assert needs_job("image/png", b"\x89PNG" + bytes(SYNC_MAX_BYTES), max_pages=10) is True


def test_routing_refuses_what_textract_cannot_read_or_would_cost_too_much() -> None:
    with pytest.raises(DocumentRejectedError, match="not text/plain"):
        needs_job("text/plain", b"hello", max_pages=10)
    with pytest.raises(DocumentRejectedError, match="PDF cannot be opened"):
        needs_job("application/pdf", b"%PDF-1.7 broken", max_pages=10)
    with pytest.raises(DocumentRejectedError, match="has 4 pages, more than the limit of 3"):
        needs_job("application/pdf", pdf(4), max_pages=3)


def test_only_s3_urls_name_an_object_textract_can_read() -> None:
    found = s3_object("s3://docs/acme/doc-1/original")

    assert found is not None
    assert found.location() == {"S3Object": {"Bucket": "docs", "Name": "acme/doc-1/original"}}
    assert s3_object("file:///tmp/blobs/acme/doc-1") is None
    assert s3_object("s3://bucket-only/") is None


def test_settings_choose_the_textract_backend(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("DOCFLOW_EXTRACT_BACKEND", "textract")
    monkeypatch.setenv("DOCFLOW_TEXTRACT_REGION", "eu-west-1")
    monkeypatch.setenv("DOCFLOW_TEXTRACT_FEATURE_TYPES", '["TABLES"]')
    monkeypatch.setenv("DOCFLOW_TEXTRACT_EXPENSE_TYPES", '["Invoice"]')
    settings = ExtractSettings()

    backend = backend_from_settings(settings)
    try:
        assert isinstance(backend, TextractBackend)
        options = TextractOptions.from_settings(settings)
        assert options.features == ("TABLES",)
        assert options.expense_types == frozenset({"invoice"})
        assert options.staging_bucket is None
    finally:
        backend.close()


def test_settings_refuse_an_unknown_feature(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCFLOW_TEXTRACT_FEATURE_TYPES", '["SIGNATURES"]')

    with pytest.raises(ValueError, match="textract_feature_types"):
        ExtractSettings()


class Recording(ExtractionBackend):
    name = "recording"

    def __init__(self) -> None:
        self.requests: list[ExtractionRequest] = []

    def extract(self, request: ExtractionRequest) -> ExtractionResult:
        self.requests.append(request)
        return ExtractionResult(
            document_id=request.document_id,
            media_type=request.media_type,
            backend=self.name,
            pages=[],
            cost={"backend": self.name},
        )


def test_the_stage_tells_the_backend_where_the_document_lies_and_which_run_it_is(
    tmp_path: Path,
) -> None:
    store = LocalBlobStore(tmp_path / "blobs")
    ref = store.put_bytes("acme/doc-7/original", pdf(1))
    data = DocumentReceived(
        document_id="doc-7",
        tenant="acme",
        content=ref,
        media_type="application/pdf",
        document_type_hint="invoice",
        received_at=datetime.now(UTC),
        run=3,
    )
    backend = Recording()

    Extract(store, backend).handle(Envelope[EventData].wrap(data, id="e", source="/t"))

    [request] = backend.requests
    assert (request.source, request.run, request.document_type_hint) == (ref, 3, "invoice")


def test_an_old_style_request_still_builds() -> None:
    request = ExtractionRequest(document_id="d", media_type="image/png", content=b"x")

    assert (request.source, request.run, request.document_type_hint) == (None, 1, None)

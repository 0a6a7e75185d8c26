"""The Textract backend over the wire: the real boto3 client, built from the extract settings,
against a Textract stand-in on a loopback port (``textract_server``), and S3 on moto's server.
"""

import base64
import hashlib
import socket
import uuid
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from mypy_boto3_s3 import S3Client

from docflow_events.v1 import BlobRef
from docflow_extract.backends.base import ExtractionRequest
from docflow_extract.backends.errors import DocumentRejectedError, ExtractionFailedError
from docflow_extract.backends.factory import backend_from_settings
from docflow_extract.backends.textract.backend import TextractBackend
from docflow_extract.backends.textract.errors import TextractBusyError, TextractJobPendingError
from docflow_extract.backends.textract.jobs import request_token
from docflow_extract.backends.textract.mapping import mapped
from docflow_extract.settings import ExtractSettings
from docflow_runtime.errors import TransientError
from docflow_testing.textract_server import Call, FakeTextract, fake_textract, job_pages

from .textract_answers import expense_answer, response
from .textract_documents import image, pdf

_STAGING_PREFIX = "textract-staging/"


@pytest.fixture
def fake(aws_endpoint: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeTextract]:
    """Textract's stand-in, reached the way boto3 reaches any endpoint it is told of."""
    with fake_textract() as server:
        monkeypatch.setenv("AWS_ENDPOINT_URL_TEXTRACT", server.url)
        monkeypatch.setenv("AWS_ENDPOINT_URL_S3", aws_endpoint)
        yield server


@pytest.fixture
def s3(aws_endpoint: str) -> S3Client:
    return boto3.client("s3", endpoint_url=aws_endpoint, region_name="us-east-1")


@pytest.fixture
def bucket(s3: S3Client) -> str:
    name = f"docflow-textract-{uuid.uuid4().hex[:12]}"
    s3.create_bucket(Bucket=name)
    return name


def _backend(**settings: Any) -> TextractBackend:
    defaults: dict[str, Any] = {
        "extract_backend": "textract",
        "textract_max_attempts": 3,
        "textract_poll_initial_seconds": 0.01,
        "textract_poll_max_seconds": 0.05,
        "textract_max_wait_seconds": 5.0,
        "textract_staging_prefix": _STAGING_PREFIX,
    }
    backend = backend_from_settings(ExtractSettings(**{**defaults, **settings}))
    assert isinstance(backend, TextractBackend)
    return backend


def _request(
    content: bytes, media_type: str = "application/pdf", **fields: Any
) -> ExtractionRequest:
    return ExtractionRequest(document_id="doc-1", media_type=media_type, content=content, **fields)


def _staged(s3: S3Client, bucket: str) -> list[str]:
    listed = s3.list_objects_v2(Bucket=bucket)
    return [item["Key"] for item in listed.get("Contents", [])]


def test_an_image_is_analysed_in_one_call_with_forms_and_tables(fake: FakeTextract) -> None:
    content = image("PNG")
    fake.answer("AnalyzeDocument", response("employment-application"))
    backend = _backend()

    result = backend.extract(_request(content, "image/png"))
    backend.close()

    [call] = fake.calls
    assert call.operation == "AnalyzeDocument"
    assert base64.b64decode(call.body["Document"]["Bytes"]) == content
    assert call.body["FeatureTypes"] == ["FORMS", "TABLES"]
    assert result.backend == "textract"
    assert result.pages[0].method == "textract"
    assert {value.key for value in result.key_values} >= {"Full Name:", "Phone Number:"}
    assert len(result.tables) == 1
    assert result.cost.units == {"forms_pages": 1, "tables_pages": 1}
    assert result.cost.usd == pytest.approx(0.065)


def test_a_multi_page_pdf_is_staged_read_by_a_job_over_several_pages_and_unstaged(
    fake: FakeTextract, s3: S3Client, bucket: str
) -> None:
    content = pdf(2)
    whole = response("multi-page-forms-samples-2-page")
    fake.answer(
        "GetDocumentAnalysis",
        response("test-inprogress-response"),
        response("test-inprogress-response"),
        *job_pages(whole, 3),
    )
    staged_while_started: list[list[str]] = []

    def on_call(call: Call) -> None:
        if call.operation == "StartDocumentAnalysis":
            staged_while_started.append(_staged(s3, bucket))

    fake.on_call = on_call
    backend = _backend(textract_staging_bucket=bucket)

    result = backend.extract(_request(content))
    backend.close()

    token = request_token("doc-1", 1, hashlib.sha256(content).hexdigest())
    start = fake.calls[0]
    assert start.operation == "StartDocumentAnalysis"
    assert start.body["ClientRequestToken"] == token
    assert start.body["FeatureTypes"] == ["FORMS", "TABLES"]
    assert start.body["DocumentLocation"] == {
        "S3Object": {"Bucket": bucket, "Name": f"{_STAGING_PREFIX}{token}"}
    }
    assert staged_while_started == [[f"{_STAGING_PREFIX}{token}"]]
    gets = [call.body for call in fake.calls[1:]]
    assert [body.get("NextToken") for body in gets] == [None, None, None, "token-1", "token-2"]
    assert {body["JobId"] for body in gets} == {fake.jobs[token]}
    expected = mapped(response("multi-page-forms-samples-2-page"))
    assert result.pages == expected.pages
    assert result.tables == expected.tables
    assert result.key_values == expected.key_values
    assert result.cost.units == {"forms_pages": 2, "tables_pages": 2}
    assert _staged(s3, bucket) == []


def test_a_document_already_in_s3_is_read_where_it_lies(
    fake: FakeTextract, s3: S3Client, bucket: str
) -> None:
    content = pdf(3)
    s3.put_object(Bucket=bucket, Key="acme/doc-1/original", Body=content)
    source = BlobRef(
        url=f"s3://{bucket}/acme/doc-1/original",
        sha256=hashlib.sha256(content).hexdigest(),
        size=len(content),
    )
    fake.answer("GetDocumentAnalysis", *job_pages(response("multi-page-forms-samples-2-page"), 1))
    backend = _backend()  # no staging bucket: none is needed

    result = backend.extract(_request(content, source=source, run=2))
    backend.close()

    start = fake.calls[0]
    assert start.body["DocumentLocation"] == {
        "S3Object": {"Bucket": bucket, "Name": "acme/doc-1/original"}
    }
    assert start.body["ClientRequestToken"] == request_token("doc-1", 2, source.sha256)
    assert len(result.pages) == 2
    assert _staged(s3, bucket) == ["acme/doc-1/original"]


def test_a_failed_job_is_refused_for_good_and_its_staged_copy_removed(
    fake: FakeTextract, s3: S3Client, bucket: str
) -> None:
    fake.answer("GetDocumentAnalysis", response("test-failed-response"))
    backend = _backend(textract_staging_bucket=bucket)

    with pytest.raises(DocumentRejectedError, match="Dummy Status Message"):
        backend.extract(_request(pdf(2)))
    backend.close()

    assert _staged(s3, bucket) == []


def test_a_redelivered_document_gets_the_job_already_started_for_it(
    fake: FakeTextract, s3: S3Client, bucket: str
) -> None:
    content = pdf(2)
    fake.answer("GetDocumentAnalysis", *[response("test-inprogress-response")] * 200)
    backend = _backend(textract_staging_bucket=bucket, textract_max_wait_seconds=0.2)

    with pytest.raises(TextractJobPendingError) as pending:
        backend.extract(_request(content))
    # The job may still read its copy: it stays until the job is done.
    token = request_token("doc-1", 1, hashlib.sha256(content).hexdigest())
    assert _staged(s3, bucket) == [f"{_STAGING_PREFIX}{token}"]
    assert isinstance(pending.value, TransientError)

    fake.forget("GetDocumentAnalysis")
    fake.answer("GetDocumentAnalysis", *job_pages(response("little_women_page_1"), 2))
    result = backend.extract(_request(content))
    backend.close()

    starts = [call for call in fake.calls if call.operation == "StartDocumentAnalysis"]
    assert [call.body["ClientRequestToken"] for call in starts] == [token, token]
    assert len(fake.jobs) == 1
    gets = [call for call in fake.calls if call.operation == "GetDocumentAnalysis"]
    assert {call.body["JobId"] for call in gets} == {fake.jobs[token]}
    assert result.pages[0].text.startswith("The Project Gutenberg EBook")
    assert _staged(s3, bucket) == []


def test_throttling_is_retried_by_the_client_until_textract_answers(fake: FakeTextract) -> None:
    fake.fail("AnalyzeDocument", "ThrottlingException", "Rate exceeded", times=2)
    fake.answer("AnalyzeDocument", response("little_women_page_1"))
    backend = _backend(textract_max_attempts=3)

    result = backend.extract(_request(pdf(1)))
    backend.close()

    assert fake.operations() == ["AnalyzeDocument"] * 3
    assert len(result.pages) == 1


def test_throttling_past_the_retries_is_transient_for_the_worker(fake: FakeTextract) -> None:
    fake.fail("AnalyzeDocument", "ThrottlingException", "Rate exceeded", times=5)
    backend = _backend(textract_max_attempts=2)

    with pytest.raises(TextractBusyError, match="ThrottlingException") as raised:
        backend.extract(_request(pdf(1)))
    backend.close()

    assert isinstance(raised.value, TransientError)
    assert fake.operations() == ["AnalyzeDocument"] * 2


def test_a_bad_document_is_refused_for_good_without_retries(fake: FakeTextract) -> None:
    fake.fail("AnalyzeDocument", "BadDocumentException", "Unable to read the document", times=3)
    backend = _backend()

    with pytest.raises(DocumentRejectedError) as raised:
        backend.extract(_request(image("JPEG"), "image/jpeg"))
    backend.close()

    assert raised.value.reason == (
        "Textract refused the document (BadDocumentException): Unable to read the document"
    )
    assert fake.operations() == ["AnalyzeDocument"]


def test_a_multi_page_pdf_without_s3_or_staging_is_refused_before_any_call(
    fake: FakeTextract,
) -> None:
    backend = _backend()

    with pytest.raises(DocumentRejectedError, match="DOCFLOW_TEXTRACT_STAGING_BUCKET"):
        backend.extract(_request(pdf(2)))
    backend.close()

    assert fake.calls == []


def test_invoices_go_through_analyze_expense_when_configured(fake: FakeTextract) -> None:
    fake.answer("AnalyzeExpense", expense_answer())
    backend = _backend(textract_expense_types=["invoice", "receipt"])

    result = backend.extract(_request(image("PNG"), "image/png", document_type_hint="Invoice"))
    backend.close()

    assert fake.operations() == ["AnalyzeExpense"]
    assert {value.key: value.value for value in result.key_values}["TOTAL"] == "42.50"
    assert result.cost.units == {"expense_pages": 1}
    assert result.cost.usd == pytest.approx(0.01)


def test_without_features_only_text_is_detected_and_billed(fake: FakeTextract) -> None:
    fake.answer("DetectDocumentText", response("little_women_page_1"))
    backend = _backend(textract_feature_types=[])

    result = backend.extract(_request(image("TIFF"), "image/tiff"))
    backend.close()

    assert fake.operations() == ["DetectDocumentText"]
    assert result.cost.units == {"text_pages": 1}
    assert result.cost.usd == pytest.approx(0.0015)


def test_an_unreachable_endpoint_is_transient(
    aws_endpoint: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    monkeypatch.setenv("AWS_ENDPOINT_URL_TEXTRACT", f"http://127.0.0.1:{closed_port}")
    backend = _backend(textract_max_attempts=1, textract_connect_timeout_seconds=1)

    with pytest.raises(ExtractionFailedError, match="EndpointConnectionError"):
        backend.extract(_request(pdf(1)))
    backend.close()

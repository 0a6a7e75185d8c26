"""The extract stage end to end: blob in, extraction blob and event out."""

from datetime import UTC, datetime
from pathlib import Path

import pytest

from docflow_events import Envelope, EventData
from docflow_events.v1 import (
    BlobRef,
    DocumentReceived,
    ExtractionCompleted,
    ExtractionResult,
    ValidationPassed,
)
from docflow_extract.__main__ import main
from docflow_extract.backends.base import ExtractionRequest
from docflow_extract.backends.errors import (
    BackendUnavailableError,
    DocumentRejectedError,
    ExtractionFailedError,
)
from docflow_extract.backends.factory import backend_from_settings
from docflow_extract.backends.local.backend import LocalBackend
from docflow_extract.backends.local.limits import ParserLimits
from docflow_extract.settings import ExtractSettings
from docflow_extract.stage import Extract
from docflow_runtime.blobstore import BlobIntegrityError, BlobTooLargeError, LocalBlobStore
from docflow_runtime.errors import PermanentError


@pytest.fixture
def store(tmp_path: Path) -> LocalBlobStore:
    return LocalBlobStore(tmp_path / "blobs")


@pytest.fixture
def stage(store: LocalBlobStore, backend: LocalBackend) -> Extract:
    # The session's backend is shared, so this stage is not closed here.
    return Extract(store, backend, max_document_mib=1)


def _received(ref: BlobRef, media_type: str = "application/pdf") -> Envelope[EventData]:
    data = DocumentReceived(
        document_id="doc-42",
        tenant="acme",
        content=ref,
        filename="invoice.pdf",
        media_type=media_type,
        document_type_hint="invoice",
        received_at=datetime.now(UTC),
    )
    return Envelope[EventData].wrap(data, id="evt-1", source="/docflow/ingest")


def test_handle_writes_the_result_blob_and_returns_one_event(
    stage: Extract, store: LocalBlobStore, samples: Path
) -> None:
    content = (samples / "invoices" / "AmazonWebServices.pdf").read_bytes()
    ref = store.put_bytes("acme/doc-42/original", content)
    (event,) = stage.handle(_received(ref))
    assert isinstance(event, ExtractionCompleted)
    assert (event.document_id, event.tenant, event.content) == ("doc-42", "acme", ref)
    assert (event.media_type, event.document_type_hint) == ("application/pdf", "invoice")
    assert (event.page_count, event.ocr_page_count) == (1, 0)
    assert event.cost.backend == "local"
    assert event.cost.usd == 0
    assert event.handler_seconds > 0
    assert event.extraction.url.endswith("/acme/doc-42/runs/1/extraction.json")
    store.verify(event.extraction)
    result = ExtractionResult.model_validate_json(store.read(event.extraction.url))
    assert result.document_id == "doc-42"
    assert "42183017" in result.text


def test_handle_refuses_content_that_does_not_match_its_reference(
    stage: Extract, store: LocalBlobStore
) -> None:
    ref = store.put_bytes("acme/doc-42/original", b"Total: 5\n")
    forged = BlobRef(url=ref.url, sha256="0" * 64, size=ref.size)
    with pytest.raises(BlobIntegrityError) as raised:
        stage.handle(_received(forged, "text/plain"))
    assert str(raised.value).startswith("blob acme/doc-42/original does not match")
    assert "file:" not in str(raised.value)
    assert str(store.root) not in str(raised.value)


def test_missing_ocr_data_at_work_is_explained_without_the_directory(
    tmp_path: Path, samples: Path
) -> None:
    # Checked at start, so only lost later (a volume unmounted): the reason shows no path.
    backend = LocalBackend(ParserLimits(tessdata_path=tmp_path / "tessdata"), pool_size=1)
    scan = (samples / "invoices" / "oyo.png").read_bytes()
    try:
        with pytest.raises(ExtractionFailedError) as raised:
            backend.extract(
                ExtractionRequest(document_id="d", media_type="image/png", content=scan)
            )
    finally:
        backend.close()
    assert str(raised.value) == (
        "the local extraction backend failed: cannot start Tesseract with language 'eng': "
        "its data is missing from DOCFLOW_EXTRACT_TESSDATA_PATH"
    )


def test_handle_refuses_documents_above_the_size_limit(
    stage: Extract, store: LocalBlobStore
) -> None:
    ref = store.put_bytes("acme/doc-42/original", b"a" * (1024 * 1024 + 1))
    with pytest.raises(BlobTooLargeError, match=r"of 1048577 bytes exceeds the size limit"):
        stage.handle(_received(ref, "text/plain"))


def test_handle_passes_on_the_reason_for_a_bad_document(
    stage: Extract, store: LocalBlobStore
) -> None:
    ref = store.put_bytes("acme/doc-42/original", b"")
    with pytest.raises(DocumentRejectedError, match="empty document"):
        stage.handle(_received(ref))


def test_handle_refuses_other_event_types(stage: Extract, store: LocalBlobStore) -> None:
    ref = store.put_bytes("acme/doc-42/original", b"x")
    other = ValidationPassed(
        document_id="d", tenant="t", content=ref, extraction=ref, rule_pack="p", document_type="x"
    )
    envelope = Envelope[EventData].wrap(other, id="e", source="/docflow/validate")
    with pytest.raises(PermanentError, match=r"document\.received"):
        stage.handle(envelope)


def test_textract_backend_without_a_region_is_refused_at_start(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    monkeypatch.setenv("DOCFLOW_EXTRACT_BACKEND", "textract")
    for name in ("AWS_REGION", "AWS_DEFAULT_REGION", "DOCFLOW_TEXTRACT_REGION"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-config"))
    with pytest.raises(BackendUnavailableError, match="DOCFLOW_TEXTRACT_REGION"):
        backend_from_settings(ExtractSettings())
    assert main() == 2
    assert "the textract backend needs an AWS region" in capsys.readouterr().err


def test_missing_ocr_language_data_is_refused_at_start(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("DOCFLOW_EXTRACT_TESSDATA_PATH", str(tmp_path))
    with pytest.raises(BackendUnavailableError, match=r"eng\.traineddata is missing"):
        backend_from_settings(ExtractSettings())


def test_settings_read_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCFLOW_EXTRACT_TIMEOUT_SECONDS", "12.5")
    monkeypatch.setenv("DOCFLOW_EXTRACT_POOL_SIZE", "3")
    monkeypatch.setenv("DOCFLOW_EXTRACT_OCR_DPI", "300")
    settings = ExtractSettings()
    assert settings.extract_backend == "local"
    assert (settings.extract_timeout_seconds, settings.extract_pool_size) == (12.5, 3)
    assert settings.extract_ocr_dpi == 300


def test_a_redelivered_event_refers_to_the_first_result(
    stage: Extract, store: LocalBlobStore, samples: Path
) -> None:
    content = (samples / "invoices" / "FlipkartInvoice.pdf").read_bytes()
    ref = store.put_bytes("acme/doc-42/original", content)
    (first,) = stage.handle(_received(ref))
    (again,) = stage.handle(_received(ref))
    assert isinstance(first, ExtractionCompleted)
    assert isinstance(again, ExtractionCompleted)
    assert again.extraction == first.extraction
    store.verify(first.extraction)

"""The stage's handle, end to end on a local blob store: passed, failed, and bad input."""

import uuid
from pathlib import Path

import pytest

from docflow_events import Envelope, EventData
from docflow_events.v1 import (
    Cost,
    DocumentReceived,
    ExtractionCompleted,
    ExtractionResult,
    ValidationFailed,
    ValidationPassed,
)
from docflow_runtime.blobstore import BlobIntegrityError, BlobNotFoundError, LocalBlobStore
from docflow_runtime.errors import PermanentError
from docflow_validate.__main__ import main
from docflow_validate.factory import build
from docflow_validate.settings import ValidateSettings
from docflow_validate.stage import Validate

from .conftest import build_document

NDA = (
    "MUTUAL NON-DISCLOSURE AGREEMENT made as of May 4, 2005 by and between Neon Systems, Inc. "
    '(the "Company") and Progress Software Corporation ("Progress"). Each party keeps the '
    "other's Confidential Information secret. This Agreement is governed by the laws of the "
    "State of Texas."
)


@pytest.fixture
def store(tmp_path: Path) -> LocalBlobStore:
    return LocalBlobStore(tmp_path / "blobs")


@pytest.fixture
def stage(store: LocalBlobStore) -> Validate:
    return build(ValidateSettings(blob_url=store.root.as_uri()))


def _event(
    store: LocalBlobStore, result: ExtractionResult | bytes, hint: str | None = None
) -> Envelope[EventData]:
    raw = result if isinstance(result, bytes) else result.model_dump_json().encode()
    content = store.put_bytes("tests/doc-1/original", b"%PDF-1.7 not really")
    extraction = store.put_bytes("tests/doc-1/extraction.json", raw)
    data = ExtractionCompleted(
        document_id="doc-1", tenant="tests", content=content, extraction=extraction,
        media_type="application/pdf", document_type_hint=hint, page_count=1,
        cost=Cost(backend="local"),
    )  # fmt: skip
    return Envelope.wrap(data, id=str(uuid.uuid4()), source="/docflow/extract")


def test_a_good_contract_passes(store: LocalBlobStore, stage: Validate) -> None:
    event = _event(store, build_document(NDA), hint="nda")
    [output] = stage.handle(event)
    assert isinstance(output, ValidationPassed)
    assert isinstance(event.data, ExtractionCompleted)
    assert (output.document_id, output.tenant) == ("doc-1", "tests")
    assert (output.content, output.extraction) == (event.data.content, event.data.extraction)
    assert (output.rule_pack, output.document_type, output.findings) == ("nda", "nda", [])
    assert output.handler_seconds > 0


def test_a_document_with_errors_fails_with_its_findings(
    store: LocalBlobStore, stage: Validate
) -> None:
    result = build_document("INVOICE\nBill to: Jane Doe\nThank you for your order.", "")
    [output] = stage.handle(_event(store, result))
    assert isinstance(output, ValidationFailed)
    assert (output.rule_pack, output.document_type) == ("invoice", "invoice")
    errors = [(f.rule, f.field) for f in output.findings if f.severity == "error"]
    # The blank second page is only noted; the missing fields are what fails it.
    assert ("text-extracted", "warning") in [(f.rule, f.severity) for f in output.findings]
    assert errors == [
        ("key-values-present", "invoice_number"),
        ("key-values-present", "date"),
        ("key-values-present", "total"),
    ]


def test_warnings_alone_do_not_fail(store: LocalBlobStore, stage: Validate) -> None:
    result = build_document("Invoice number: 7\nDate: 03/04/2020\nGrand Total 19.00")
    [output] = stage.handle(_event(store, result, hint="invoice"))
    assert isinstance(output, ValidationPassed)
    # The invoice pack's field scorer may doubt a field too: a warning, like the other.
    assert {f.severity for f in output.findings} == {"warning"}
    assert len([f for f in output.findings if f.rule != "field-confidence"]) == 1


def test_another_event_type_is_refused(stage: Validate) -> None:
    data = DocumentReceived.model_validate(
        {"document_id": "d", "tenant": "t", "media_type": "application/pdf",
         "content": {"url": "file:///x", "sha256": "0" * 64, "size": 1},
         "received_at": "2026-01-01T00:00:00Z"}
    )  # fmt: skip
    event: Envelope[EventData] = Envelope.wrap(data, id="e", source="/tests")
    with pytest.raises(PermanentError, match=r"validate reads extraction\.completed events"):
        stage.handle(event)


def test_a_blob_that_is_not_an_extraction_result_is_permanent(
    store: LocalBlobStore, stage: Validate
) -> None:
    with pytest.raises(PermanentError, match="is not a valid ExtractionResult"):
        stage.handle(_event(store, b'{"pages": "none"}'))


def test_a_result_of_another_document_is_permanent(store: LocalBlobStore, stage: Validate) -> None:
    result = build_document(NDA, document_id="doc-2")
    with pytest.raises(PermanentError, match="of another document, not of 'doc-1'"):
        stage.handle(_event(store, result))


def test_a_changed_or_missing_blob_is_permanent(store: LocalBlobStore, stage: Validate) -> None:
    event = _event(store, build_document(NDA))
    assert isinstance(event.data, ExtractionCompleted)
    ref = event.data.extraction
    store.put_bytes("tests/doc-1/extraction.json", b"{}")
    with pytest.raises(BlobIntegrityError):
        stage.handle(event)
    store.delete(ref.url)
    with pytest.raises(BlobNotFoundError):
        stage.handle(event)


def test_the_rules_directory_comes_from_the_environment(
    store: LocalBlobStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "only.yaml").write_text(
        "name: only\nrules:\n  - {id: long-pages, kind: text_extracted, min_chars: 10000}\n"
    )
    monkeypatch.setenv("DOCFLOW_VALIDATE_RULES_DIR", str(rules))
    monkeypatch.setenv("DOCFLOW_VALIDATE_DEFAULT_PACK", "only")
    mounted = build(ValidateSettings(blob_url=store.root.as_uri()))
    [output] = mounted.handle(_event(store, build_document(NDA), hint="nda"))
    assert isinstance(output, ValidationFailed)
    assert (output.rule_pack, [f.rule for f in output.findings]) == ("only", ["long-pages"])


def test_a_malformed_mounted_pack_stops_the_service(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "generic.yaml").write_text("name: generic\nrules:\n  - {id: x, kind: nope}\n")
    monkeypatch.setenv("DOCFLOW_VALIDATE_RULES_DIR", str(tmp_path))
    monkeypatch.setenv("DOCFLOW_BLOB_URL", (tmp_path / "blobs").as_uri())
    assert main() == 2
    error = capsys.readouterr().err
    assert "invalid configuration" in error
    assert "generic.yaml: rules[0]: Input tag 'nope'" in error

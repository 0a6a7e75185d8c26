"""The halt file: while the supervisor says a stage is down for good, no new work is taken."""

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from docflow_ingest.app import create_app
from docflow_ingest.core.halt import GENERIC_REASON, HaltSwitch, read_halt_file
from docflow_results.models import DocumentStatus
from docflow_results.sqlite import SqliteRepository
from docflow_runtime.blobstore import LocalBlobStore
from docflow_testing.results import new_document

from .fakes import MemoryPublisher
from .helpers import auth, blob_files, make_settings
from .test_documents import finish

NOTICE = {"service": "extract", "reason": "extract exited with status 1 (5 crashes in 60s)"}
REASON = "extract is down: extract exited with status 1 (5 crashes in 60s)"
MALFORMED = ["", "not json", "[1, 2]", '{"service": "extract"}', "{" * 9000]


@pytest.fixture
def halt_file(tmp_path: Path) -> Path:
    return tmp_path / "halted.json"


@pytest.fixture
def halted_client(
    tmp_path: Path,
    halt_file: Path,
    repository: SqliteRepository,
    blobs: LocalBlobStore,
    publisher: MemoryPublisher,
) -> Iterator[TestClient]:
    settings = make_settings(tmp_path, halt_file=halt_file, retry_after_seconds=9)
    app = create_app(settings, repository=repository, blobs=blobs, publisher=publisher)
    with TestClient(app) as client:
        yield client


def test_reading_the_notice(halt_file: Path) -> None:
    assert read_halt_file(halt_file) is None
    halt_file.write_text(json.dumps(NOTICE))
    assert read_halt_file(halt_file) == REASON
    halt_file.write_text(json.dumps({"service": "enrich", "reason": "line\none\x1b[31m" * 100}))
    reason = read_halt_file(halt_file)
    assert reason is not None
    assert reason.startswith("enrich is down: line one [31m")
    assert len(reason) == 300


@pytest.mark.parametrize("content", MALFORMED)
def test_a_malformed_notice_still_halts(halt_file: Path, content: str) -> None:
    halt_file.write_text(content)
    assert read_halt_file(halt_file) == GENERIC_REASON


def test_a_halt_file_that_cannot_be_read_still_halts(halt_file: Path) -> None:
    halt_file.mkdir()
    assert read_halt_file(halt_file) == GENERIC_REASON


def test_the_file_is_read_at_most_once_a_second(halt_file: Path) -> None:
    now = [100.0]
    switch = HaltSwitch(halt_file, clock=lambda: now[0])
    assert switch.reason() is None
    halt_file.write_text(json.dumps(NOTICE))
    now[0] += 0.9
    assert switch.reason() is None, "the last reading stands until a second has passed"
    now[0] += 0.1
    assert switch.reason() == REASON
    halt_file.unlink()
    assert switch.reason() == REASON
    now[0] += 1.0
    assert switch.reason() is None


def test_no_halt_file_set_never_halts() -> None:
    assert HaltSwitch(None).reason() is None


def test_new_work_is_refused_while_halted(
    halted_client: TestClient,
    halt_file: Path,
    repository: SqliteRepository,
    publisher: MemoryPublisher,
    tmp_path: Path,
) -> None:
    halt_file.write_text(json.dumps(NOTICE))
    document_id = repository.create(new_document())[0].id
    finish(repository, document_id, DocumentStatus.STORED)
    refused = [
        halted_client.post("/v1/documents", content=b"during\n", headers=auth("acme")),
        halted_client.post(f"/v1/documents/{document_id}/reprocess", headers=auth("acme")),
        halted_client.post(
            f"/v1/documents/{document_id}/review", headers=auth("acme"),
            json={"decision": "approve"},
        ),
    ]  # fmt: skip
    for response in refused:
        assert response.status_code == 503
        assert response.headers["retry-after"] == "9"
        assert response.headers["content-type"] == "application/problem+json"
        assert response.json()["type"] == "urn:docflow:problem:pipeline-halted"
        assert REASON in response.json()["detail"]
    assert publisher.published == []
    assert blob_files(tmp_path) == []
    # Reading goes on; a caller without a key learns nothing of the halt.
    assert halted_client.get(f"/v1/documents/{document_id}", headers=auth("acme")).is_success
    assert halted_client.post("/v1/documents", content=b"during\n").status_code == 401
    not_ready = halted_client.get("/readyz")
    assert not_ready.status_code == 503
    assert not_ready.json()["detail"] == f"pipeline: halted ({REASON})"


def test_readiness_names_the_flowing_pipeline(halted_client: TestClient) -> None:
    ready = halted_client.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["pipeline"] == "flowing"

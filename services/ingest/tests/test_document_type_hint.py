"""The ``document_type`` hint: a known type, or 422 listing the known ones (upload, reprocess,
and over a real socket)."""

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient

from docflow_events.doctypes import DOCUMENT_TYPES
from docflow_events.v1 import DocumentReceived
from docflow_ingest.app import create_app
from docflow_ingest.settings import IngestSettings
from docflow_results.models import DocumentStatus
from docflow_results.sqlite import SqliteRepository
from docflow_runtime.blobstore import LocalBlobStore

from .fakes import MemoryPublisher
from .helpers import auth, blob_files, stored
from .test_documents import finish

HOSTILE = "<script>alert(1)</script>"


def _refusal(response: httpx.Response) -> str:
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    [error] = response.json()["errors"]
    assert error["loc"][-1] == "document_type"
    message: str = error["msg"]
    return message


def _lists_every_known_type(message: str) -> None:
    listed = message.split("known: ", 1)[1].split(", ")
    assert listed == list(DOCUMENT_TYPES)


@pytest.mark.parametrize("hint", ["foo", HOSTILE, "invoices", "contract-ish"])
def test_an_unknown_hint_is_refused_with_the_known_types(
    client: TestClient, tmp_path: Path, publisher: MemoryPublisher, hint: str
) -> None:
    response = client.post(
        "/v1/documents", headers=auth("acme"),
        files={"file": ("a.txt", b"some text\n", "text/plain")}, data={"document_type": hint},
    )  # fmt: skip
    _lists_every_known_type(_refusal(response))
    assert "<script" not in response.text
    assert blob_files(tmp_path) == []
    assert publisher.published == []


@pytest.mark.parametrize(("hint", "kept"), [("contract", "contract"), (" NDA ", "nda")])
def test_a_known_hint_is_kept_in_its_one_spelling(
    client: TestClient, publisher: MemoryPublisher, hint: str, kept: str
) -> None:
    response = client.post(
        "/v1/documents", headers=auth("acme"),
        files={"file": ("a.txt", b"an agreement\n", "text/plain")}, data={"document_type": hint},
    )  # fmt: skip
    assert response.status_code == 202
    [event] = publisher.published
    assert isinstance(event.data, DocumentReceived)
    assert event.data.document_type_hint == kept


def test_reprocess_refuses_an_unknown_hint_and_changes_nothing(
    client: TestClient, repository: SqliteRepository, publisher: MemoryPublisher
) -> None:
    response = client.post(
        "/v1/documents", content=b"hinted\n", headers=auth("acme"), params={"document_type": "nda"}
    )
    document_id = response.json()["id"]
    finish(repository, document_id, DocumentStatus.STORED)
    url = f"/v1/documents/{document_id}/reprocess"
    refused = client.post(url, headers=auth("acme"), json={"document_type": "foo"})
    _lists_every_known_type(_refusal(refused))
    assert len(publisher.published) == 1
    assert stored(repository, document_id).document_type_hint == "nda"
    accepted = client.post(url, headers=auth("acme"), json={"document_type": "lease"})
    assert accepted.status_code == 202
    assert stored(repository, document_id).document_type_hint == "lease"


def test_the_refusal_over_a_real_socket(
    settings: IngestSettings,
    repository: SqliteRepository,
    blobs: LocalBlobStore,
    publisher: MemoryPublisher,
) -> None:
    app = create_app(settings, repository=repository, blobs=blobs, publisher=publisher)
    with _serving(app) as base:
        response = httpx.post(
            f"{base}/v1/documents", headers=auth("acme"), timeout=10,
            files={"file": ("a.txt", b"text\n", "text/plain")}, data={"document_type": HOSTILE},
        )  # fmt: skip
    _lists_every_known_type(_refusal(response))
    assert "<script" not in response.text
    assert publisher.published == []


@contextmanager
def _serving(app: FastAPI) -> Iterator[str]:
    """``app`` served by uvicorn on a free loopback port, stopped on leaving."""
    config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "uvicorn did not start within 10 s"
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)

"""POST /v1/documents: shapes, limits while streaming, duplicates and idempotency, refusals."""

import hashlib
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from docflow_events.v1 import BlobRef, DocumentReceived
from docflow_results.models import NewDocument
from docflow_results.sqlite import SqliteRepository
from docflow_runtime.blobstore import LocalBlobStore

from .fakes import MemoryPublisher
from .helpers import LIMIT, auth, blob_files, stored


def upload(
    client: TestClient,
    content: bytes,
    tenant: str = "acme",
    *,
    headers: dict[str, str] | None = None,
    data: dict[str, str] | None = None,
) -> httpx.Response:
    files = {"file": ("contract.pdf", content, "application/pdf")}
    response: httpx.Response = client.post(
        "/v1/documents", headers=auth(tenant) | (headers or {}), files=files, data=data
    )
    return response


def test_accepted_upload_is_stored_and_announced(
    client: TestClient, publisher: MemoryPublisher, blobs: LocalBlobStore, pdf_bytes: bytes
) -> None:
    response = upload(
        client, pdf_bytes,
        data={"document_type": "nda", "callback_url": "https://hooks.example.org/done",
              "metadata": '{"matter": "M-1"}'},
    )  # fmt: skip
    assert response.status_code == 202
    body = response.json()
    assert body["status"] == "received"
    assert (body["duplicate_of_existing"], body["options_not_applied"]) == (False, [])
    assert body["status_url"] == f"http://ingest.test/v1/documents/{body['id']}"
    assert response.headers["location"] == body["status_url"]
    [event] = publisher.published
    data = event.data
    assert isinstance(data, DocumentReceived)
    assert (event.subject, data.tenant, data.media_type) == (body["id"], "acme", "application/pdf")
    assert (data.document_type_hint, data.metadata) == ("nda", {"matter": "M-1"})
    assert data.callback_url == "https://hooks.example.org/done"
    assert event.traceparent is not None
    assert event.traceparent.startswith("00-")
    assert blobs.read(data.content.url) == pdf_bytes
    assert f"/acme/{datetime.now(UTC):%Y/%m/%d}/{body['id']}/original" in data.content.url


def test_raw_body_with_a_filename(client: TestClient, publisher: MemoryPublisher) -> None:
    disposition = "attachment; filename*=UTF-8''na%C3%AFve%20terms.txt"
    headers = {"Content-Type": "application/pdf", "Content-Disposition": disposition}
    response = client.post(
        "/v1/documents", content=b"Term: two years.\n", headers=auth("acme") | headers
    )
    assert response.status_code == 202
    document = client.get(response.json()["status_url"], headers=auth("acme")).json()
    assert (document["filename"], document["media_type"]) == (
        "naïve terms.txt",
        "text/plain; charset=utf-8",
    )
    assert len(publisher.published) == 1


def test_filenames_lose_their_paths(client: TestClient) -> None:
    response = client.post(
        "/v1/documents",
        content=b"hello\n",
        headers=auth("acme") | {"X-Filename": "..%2F..%2Fetc%2Fpasswd"},
    )
    document = client.get(response.json()["status_url"], headers=auth("acme")).json()
    assert document["filename"] == "passwd"


@pytest.mark.parametrize(
    ("fields", "loc"),
    [
        ({"callback_url": "ftp://files.example.org/x"}, "callback_url"),
        ({"callback_url": "file:///etc/passwd"}, "callback_url"),
        ({"metadata": "[1, 2]"}, "metadata"),
        ({"metadata": "{not json"}, "metadata"),
        ({"document_typo": "nda"}, "document_typo"),
    ],
)
def test_bad_fields_are_refused_and_leave_nothing(
    client: TestClient, tmp_path: Path, publisher: MemoryPublisher, fields: dict[str, str], loc: str
) -> None:
    response = upload(client, b"some text\n", data=fields)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert ["body", loc] in [e["loc"] for e in response.json()["errors"]]
    assert blob_files(tmp_path) == []
    assert publisher.published == []


def test_multipart_without_a_file_field(client: TestClient, tmp_path: Path) -> None:
    response = client.post(
        "/v1/documents",
        headers=auth("acme"),
        data={"document_type": "nda"},
        files={"other": ("x.txt", b"x", "text/plain")},
    )
    assert response.status_code == 422
    response = client.post(
        "/v1/documents", headers=auth("acme"), files={"document_type": (None, "nda")}
    )
    assert response.status_code == 422
    assert "'file' is required" in response.json()["detail"]
    assert blob_files(tmp_path) == []


def chunks(total: int, size: int = 16 * 1024) -> Iterator[bytes]:
    """A text body sent without Content-Length: only the running count can stop it."""
    for start in range(0, total, size):
        yield b"a" * min(size, total - start)


def test_size_limit_enforced_while_streaming(client: TestClient, tmp_path: Path) -> None:
    response = client.post("/v1/documents", headers=auth("acme"), content=chunks(LIMIT * 3))
    assert response.status_code == 413
    assert response.json()["type"] == "urn:docflow:problem:upload-too-large"
    assert blob_files(tmp_path) == []


def test_size_limit_on_multipart(client: TestClient, tmp_path: Path) -> None:
    response = upload(client, b"a" * (LIMIT + 1))
    assert response.status_code == 413
    assert blob_files(tmp_path) == []
    assert upload(client, b"a" * LIMIT).status_code == 202


def test_declared_length_refused_before_reading(client: TestClient) -> None:
    response = client.post(
        "/v1/documents", headers=auth("acme") | {"Content-Length": str(LIMIT + 1)},
        content=b"a" * (LIMIT + 1),
    )  # fmt: skip
    assert response.status_code == 413


def test_same_content_returns_the_existing_document(
    client: TestClient, publisher: MemoryPublisher, tmp_path: Path, pdf_bytes: bytes
) -> None:
    first = upload(client, pdf_bytes)
    again = upload(client, pdf_bytes)
    assert (first.status_code, again.status_code) == (202, 200)
    assert again.json()["id"] == first.json()["id"]
    assert (again.json()["duplicate_of_existing"], again.json()["options_not_applied"]) == (
        True, []
    )  # fmt: skip
    assert len(publisher.published) == 1
    assert len(blob_files(tmp_path)) == 1
    # Another tenant with the same bytes gets a document of its own.
    other = upload(client, pdf_bytes, tenant="globex")
    assert other.status_code == 202
    assert other.json()["id"] != first.json()["id"]


def test_a_duplicate_names_the_options_it_did_not_apply(
    client: TestClient, repository: SqliteRepository, pdf_bytes: bytes
) -> None:
    first = upload(client, pdf_bytes, data={
        "document_type": "nda", "callback_url": "https://hooks.example.org/a",
        "metadata": '{"matter": "M-1"}',
    })  # fmt: skip
    again = upload(client, pdf_bytes, data={
        "document_type": "nda", "callback_url": "https://hooks.example.org/b", "metadata": "{}",
    })  # fmt: skip
    assert again.status_code == 200
    body = again.json()
    assert (body["id"], body["status"]) == (first.json()["id"], "received")
    assert body["duplicate_of_existing"] is True
    assert body["options_not_applied"] == ["callback_url", "metadata"]
    document = stored(repository, body["id"])
    assert (document.callback_url, document.metadata) == (
        "https://hooks.example.org/a", {"matter": "M-1"}
    )  # fmt: skip
    raw = client.post(
        "/v1/documents", content=pdf_bytes, headers=auth("acme"),
        params={"document_type": "invoice", "callback_url": "https://hooks.example.org/a"},
    )  # fmt: skip
    assert raw.json()["options_not_applied"] == ["document_type"]


def test_idempotency_key_rules(
    client: TestClient, publisher: MemoryPublisher, tmp_path: Path
) -> None:
    key = {"Idempotency-Key": "order-42"}
    first = upload(client, b"version one\n", headers=key)
    same = upload(client, b"version one\n", headers=key)
    different = upload(client, b"version two\n", headers=key)
    assert (first.status_code, same.status_code, different.status_code) == (202, 200, 422)
    assert same.json()["id"] == first.json()["id"]
    assert different.json()["type"] == "urn:docflow:problem:idempotency-key-reused"
    assert len(publisher.published) == 1
    assert len(blob_files(tmp_path)) == 1


def test_malformed_idempotency_key(client: TestClient) -> None:
    response = upload(client, b"x\n", headers={"Idempotency-Key": "has spaces in it"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["header", "Idempotency-Key"]


def _unannounced(repository: SqliteRepository, content: bytes, age: timedelta) -> str:
    """A row as an upload leaves it between its creation and the broker's ack."""
    digest = hashlib.sha256(content).hexdigest()
    document, _ = repository.create(NewDocument(
        id="11111111-2222-4333-8444-555555555555", tenant="acme", filename="a.txt",
        media_type="text/plain; charset=utf-8",
        content=BlobRef(url="file:///nowhere/original", sha256=digest, size=len(content)),
        idempotency_key="k-1", created_at=datetime.now(UTC) - age,
    ))  # fmt: skip
    return document.id


def test_still_being_created_is_409(
    client: TestClient, repository: SqliteRepository, publisher: MemoryPublisher
) -> None:
    _unannounced(repository, b"in flight\n", timedelta(seconds=0))
    response = upload(client, b"in flight\n", headers={"Idempotency-Key": "k-1"})
    assert response.status_code == 409
    assert response.headers["retry-after"] == "5"
    assert publisher.published == []


def test_a_row_orphaned_by_a_crash_is_resumed(
    client: TestClient, repository: SqliteRepository, publisher: MemoryPublisher
) -> None:
    document_id = _unannounced(repository, b"orphan\n", timedelta(minutes=5))
    response = upload(client, b"orphan\n")
    assert (response.status_code, response.json()["id"]) == (202, document_id)
    assert [e.subject for e in publisher.published] == [document_id]


def test_broker_refusal_leaves_nothing(
    client: TestClient,
    publisher: MemoryPublisher,
    repository: SqliteRepository,
    tmp_path: Path,
    pdf_bytes: bytes,
) -> None:
    publisher.refuse = True
    refused = upload(client, pdf_bytes, headers={"Idempotency-Key": "retry-me"})
    assert refused.status_code == 503
    assert refused.headers["retry-after"] == "5"
    assert refused.json()["type"] == "urn:docflow:problem:broker-unavailable"
    assert repository.list_documents("acme").items == []
    assert blob_files(tmp_path) == []
    publisher.refuse, publisher.too_large = False, True
    too_large = upload(client, pdf_bytes, headers={"Idempotency-Key": "retry-me"})
    assert too_large.status_code == 413
    assert "retry-after" not in too_large.headers
    assert repository.list_documents("acme").items == []
    assert blob_files(tmp_path) == []
    # The same request again, once the broker is back, is accepted as new.
    publisher.too_large = False
    retried = upload(client, pdf_bytes, headers={"Idempotency-Key": "retry-me"})
    assert retried.status_code == 202
    assert [e.subject for e in publisher.published] == [retried.json()["id"]]

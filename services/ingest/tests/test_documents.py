"""Reading documents back, reprocessing, and one tenant never reaching another's."""

import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from docflow_events.v1 import DocumentReceived
from docflow_ingest.app import create_app
from docflow_results.models import DocumentStatus, NewDocument, StageError
from docflow_results.sqlite import SqliteRepository
from docflow_runtime.blobstore import LocalBlobStore

from .fakes import MemoryPublisher
from .helpers import auth, make_settings, stored


def post_text(client: TestClient, text: str, tenant: str = "acme") -> str:
    response = client.post(
        "/v1/documents", content=text.encode(), headers=auth(tenant) | {"X-Filename": "terms.txt"}
    )
    assert response.status_code == 202
    return str(response.json()["id"])


def finish(
    repository: SqliteRepository,
    document_id: str,
    status: DocumentStatus,
    error: StageError | None = None,
) -> None:
    """What the tracker would record of the document's current run reaching ``status``."""
    current = repository.get("acme", document_id)
    assert current is not None
    repository.record_event(
        "acme", document_id, event_id=str(uuid.uuid4()), event_type="io.docflow.test.v1",
        at=datetime.now(UTC), status=status, detail={}, error=error, run=current.run,
    )  # fmt: skip


def test_status_and_record(client: TestClient, repository: SqliteRepository) -> None:
    document_id = post_text(client, "Effective 1 May 2024.\n")
    repository.save_result("acme", document_id, {"summary": "A short term sheet."})
    finish(repository, document_id, DocumentStatus.STORED)
    body = client.get(f"/v1/documents/{document_id}", headers=auth("acme")).json()
    assert set(body) == {
        "id",
        "status",
        "run",
        "filename",
        "media_type",
        "created_at",
        "updated_at",
        "result",
        "error",
        "parent_id",
        "parent",
        "children",
    }
    assert (body["status"], body["run"], body["result"], body["error"]) == (
        "stored",
        1,
        {"summary": "A short term sheet."},
        None,
    )
    assert (body["parent_id"], body["parent"], body["children"]) == (None, None, [])


def test_a_message_shows_its_attachments_and_each_attachment_its_message(
    client: TestClient, repository: SqliteRepository
) -> None:
    parent_id = post_text(client, "Please find the contract attached.\n")
    parent = repository.get("acme", parent_id)
    assert parent is not None
    child = NewDocument(
        id="child-1", tenant="acme", filename="contract.pdf", media_type="application/pdf",
        content=parent.content, created_at=datetime.now(UTC), parent_id=parent_id,
    )  # fmt: skip
    repository.create(child)
    body = client.get(f"/v1/documents/{parent_id}", headers=auth("acme")).json()
    base = "http://ingest.test/v1/documents"  # the settings' public base url
    assert body["children"] == [{
        "id": "child-1", "filename": "contract.pdf", "media_type": "application/pdf",
        "status": "received", "status_url": f"{base}/child-1",
    }]  # fmt: skip
    shown = client.get("/v1/documents/child-1", headers=auth("acme")).json()
    assert shown["parent"] == {"id": parent_id, "status_url": f"{base}/{parent_id}"}
    assert shown["parent_id"] == parent_id
    listed = client.get("/v1/documents", headers=auth("acme")).json()["items"]
    assert {item["id"]: item["parent_id"] for item in listed} == {
        parent_id: None,
        "child-1": parent_id,
    }
    # Another tenant sees neither the message nor its attachments.
    assert client.get("/v1/documents/child-1", headers=auth("globex")).status_code == 404


def test_failure_reason_is_shown(client: TestClient, repository: SqliteRepository) -> None:
    document_id = post_text(client, "broken\n")
    finish(
        repository,
        document_id,
        DocumentStatus.FAILED,
        error=StageError(stage="extract", reason="the PDF is encrypted"),
    )
    body = client.get(f"/v1/documents/{document_id}", headers=auth("acme")).json()
    assert body["error"]["stage"] == "extract"
    assert body["error"]["reason"] == "the PDF is encrypted"


def test_list_filters_and_pages(client: TestClient, repository: SqliteRepository) -> None:
    ids = [post_text(client, f"document {i}\n") for i in range(5)]
    finish(repository, ids[0], DocumentStatus.STORED)
    first = client.get("/v1/documents?limit=2", headers=auth("acme")).json()
    second = client.get(
        f"/v1/documents?limit=2&cursor={first['next_cursor']}", headers=auth("acme")
    ).json()
    assert [d["id"] for d in first["items"] + second["items"]] == ids[::-1][:4]
    stored = client.get("/v1/documents?status=stored", headers=auth("acme")).json()
    assert [d["id"] for d in stored["items"]] == [ids[0]]
    later = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    response = client.get("/v1/documents", params={"created_after": later}, headers=auth("acme"))
    assert response.json()["items"] == []
    bad = client.get("/v1/documents?cursor=not-a-cursor", headers=auth("acme"))
    assert bad.status_code == 400
    assert bad.json()["type"] == "urn:docflow:problem:invalid-cursor"


def test_timeline(
    client: TestClient, repository: SqliteRepository, publisher: MemoryPublisher
) -> None:
    document_id = post_text(client, "timeline\n")
    finish(repository, document_id, DocumentStatus.EXTRACTED)
    events = client.get(f"/v1/documents/{document_id}/events", headers=auth("acme")).json()[
        "events"
    ]
    assert [e["event_type"] for e in events] == [DocumentReceived.event_type, "io.docflow.test.v1"]
    assert events[0]["event_id"] == publisher.published[0].id


def test_original_content(client: TestClient, pdf_bytes: bytes) -> None:
    response = client.post(
        "/v1/documents",
        headers=auth("acme"),
        files={"file": ("Vertrag März.pdf", pdf_bytes, "text/plain")},
    )
    download = client.get(f"/v1/documents/{response.json()['id']}/content", headers=auth("acme"))
    assert download.status_code == 200
    assert download.content == pdf_bytes
    assert download.headers["content-type"] == "application/pdf"
    assert download.headers["content-disposition"] == (
        "attachment; filename=\"Vertrag M?rz.pdf\"; filename*=UTF-8''Vertrag%20M%C3%A4rz.pdf"
    )


def test_reprocess_only_final_documents(
    client: TestClient, repository: SqliteRepository, publisher: MemoryPublisher
) -> None:
    document_id = post_text(client, "again\n")
    early = client.post(f"/v1/documents/{document_id}/reprocess", headers=auth("acme"))
    assert early.status_code == 409
    assert early.json()["type"] == "urn:docflow:problem:not-final"
    finish(
        repository,
        document_id,
        DocumentStatus.FAILED,
        error=StageError(stage="extract", reason="x"),
    )
    response = client.post(f"/v1/documents/{document_id}/reprocess", headers=auth("acme"))
    assert response.status_code == 202
    assert response.json()["status"] == "received"
    first, second = publisher.published
    assert first.subject == second.subject == document_id
    assert first.id != second.id
    assert first.traceparent != second.traceparent
    document = stored(repository, document_id)
    assert document.status is DocumentStatus.RECEIVED
    assert document.error is None
    assert (first.data.run, second.data.run, document.run) == (1, 2, 2)


def test_reprocess_with_new_options(
    client: TestClient, repository: SqliteRepository, publisher: MemoryPublisher
) -> None:
    response = client.post(
        "/v1/documents", content=b"options\n", headers=auth("acme"),
        params={"document_type": "nda", "callback_url": "https://hooks.example.org/a",
                "metadata": '{"matter": "M-1"}'},
    )  # fmt: skip
    document_id = response.json()["id"]
    finish(repository, document_id, DocumentStatus.STORED)
    options = {"document_type": "invoice", "callback_url": None, "metadata": {"matter": "M-2"}}
    reprocessed = client.post(
        f"/v1/documents/{document_id}/reprocess", headers=auth("acme"), json=options
    )
    assert reprocessed.status_code == 202
    data = publisher.published[-1].data
    assert isinstance(data, DocumentReceived)
    assert (data.document_type_hint, data.callback_url, data.metadata) == (
        "invoice", None, {"matter": "M-2"}
    )  # fmt: skip
    document = stored(repository, document_id)
    assert (document.document_type_hint, document.callback_url, document.metadata) == (
        "invoice", None, {"matter": "M-2"}
    )  # fmt: skip
    # Options left out are kept.
    finish(repository, document_id, DocumentStatus.STORED)
    client.post(f"/v1/documents/{document_id}/reprocess", headers=auth("acme"),
                json={"callback_url": "https://hooks.example.org/b"})  # fmt: skip
    again = publisher.published[-1].data
    assert isinstance(again, DocumentReceived)
    assert (again.document_type_hint, again.callback_url, again.metadata) == (
        "invoice", "https://hooks.example.org/b", {"matter": "M-2"}
    )  # fmt: skip


@pytest.mark.parametrize(
    ("body", "loc"),
    [({"document_typo": "nda"}, "document_typo"), ({"callback_url": "ftp://x.example.org/"},
     "callback_url"), ({"metadata": [1]}, "metadata")],
)  # fmt: skip
def test_reprocess_options_are_checked(
    client: TestClient,
    repository: SqliteRepository,
    publisher: MemoryPublisher,
    body: dict[str, object],
    loc: str,
) -> None:
    document_id = post_text(client, "checked\n")
    finish(repository, document_id, DocumentStatus.STORED)
    url = f"/v1/documents/{document_id}/reprocess"
    response = client.post(url, headers=auth("acme"), json=body)
    assert response.status_code == 422
    assert ["body", loc] in [e["loc"][:2] for e in response.json()["errors"]]
    assert len(publisher.published) == 1
    document = stored(repository, document_id)
    assert document.status is DocumentStatus.STORED


def test_reprocess_refused_by_the_broker_changes_nothing(
    client: TestClient, repository: SqliteRepository, publisher: MemoryPublisher
) -> None:
    document_id = post_text(client, "stays stored\n")
    finish(repository, document_id, DocumentStatus.STORED)
    publisher.refuse = True
    response = client.post(f"/v1/documents/{document_id}/reprocess", headers=auth("acme"))
    assert response.status_code == 503
    assert "retry-after" in response.headers
    document = stored(repository, document_id)
    assert document.status is DocumentStatus.STORED


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/v1/documents/{id}"),
        ("GET", "/v1/documents/{id}/events"),
        ("GET", "/v1/documents/{id}/content"),
        ("POST", "/v1/documents/{id}/reprocess"),
        ("POST", "/v1/documents/{id}/review"),
    ],
)
def test_another_tenants_document_is_absent(
    client: TestClient, repository: SqliteRepository, method: str, path: str
) -> None:
    document_id = post_text(client, "acme only\n")
    finish(repository, document_id, DocumentStatus.STORED)
    body = {"decision": "approve"} if path.endswith("review") else None
    theirs = client.request(method, path.format(id=document_id), headers=auth("globex"), json=body)
    nobody = client.request(method, path.format(id=uuid.uuid4()), headers=auth("globex"), json=body)
    assert theirs.status_code == nobody.status_code == 404
    assert theirs.json() | {"instance": ""} == nobody.json() | {"instance": ""}


def test_lists_hold_only_the_tenants_documents(client: TestClient) -> None:
    mine = post_text(client, "mine\n", tenant="acme")
    post_text(client, "theirs\n", tenant="globex")
    items = client.get("/v1/documents", headers=auth("acme")).json()["items"]
    assert [d["id"] for d in items] == [mine]
    assert client.get("/v1/reviews", headers=auth("globex")).json()["items"] == []


def test_a_document_that_stopped_moving_may_be_reprocessed(
    tmp_path: Path, repository: SqliteRepository, blobs: LocalBlobStore, publisher: MemoryPublisher
) -> None:
    settings = make_settings(tmp_path, stalled_after_seconds=0.3)
    app = create_app(settings, repository=repository, blobs=blobs, publisher=publisher)
    with TestClient(app, base_url="http://ingest.test") as client:
        document_id = post_text(client, "stuck\n")
        finish(repository, document_id, DocumentStatus.EXTRACTED)
        url = f"/v1/documents/{document_id}/reprocess"
        early = client.post(url, headers=auth("acme"))
        assert early.status_code == 409
        assert "have not moved for 0.3s" in early.json()["detail"]
        time.sleep(0.4)
        assert client.post(url, headers=auth("acme")).status_code == 202
    assert stored(repository, document_id).run == 2

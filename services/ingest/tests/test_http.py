"""HTTP conventions: authentication, problem details everywhere, OpenAPI, probes, metrics."""

from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from docflow_results.models import DocumentStatus
from docflow_results.sqlite import SqliteRepository
from docflow_runtime.records import MAX_OUTPUT_BYTES

from .fakes import MemoryPublisher
from .helpers import LIMIT, assert_no_internals, auth

PROBLEM_MEMBERS = {"type", "title", "status", "detail", "instance"}


@pytest.mark.parametrize(
    ("method", "path"),
    [("POST", "/v1/documents"), ("GET", "/v1/documents"), ("GET", "/v1/documents/x"),
     ("GET", "/v1/documents/x/events"), ("GET", "/v1/documents/x/content"),
     ("POST", "/v1/documents/x/reprocess"), ("GET", "/v1/reviews"),
     ("POST", "/v1/documents/x/review")],
)  # fmt: skip
def test_every_api_route_needs_a_key(client: TestClient, method: str, path: str) -> None:
    missing = client.request(method, path)
    wrong = client.request(method, path, headers={"Authorization": "Bearer not-a-key"})
    assert missing.status_code == wrong.status_code == 401
    assert missing.headers["www-authenticate"] == 'Bearer realm="docflow"'
    assert wrong.headers["www-authenticate"] == 'Bearer realm="docflow", error="invalid_token"'
    assert set(wrong.json()) == PROBLEM_MEMBERS


def test_unauthenticated_upload_is_not_read(client: TestClient, tmp_path: object) -> None:
    response = client.post("/v1/documents", content=b"%PDF-1.7 secret")
    assert response.status_code == 401


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/nowhere", 404),
        ("DELETE", "/v1/documents", 405),
        ("GET", "/v1/documents?limit=0", 422),
        ("GET", "/v1/documents?status=lost", 422),
        ("GET", "/v1/documents?created_after=yesterday", 422),
    ],
)
def test_errors_are_problem_details(
    client: TestClient, method: str, path: str, status: int
) -> None:
    response = client.request(method, path, headers=auth("acme"))
    assert response.status_code == status
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert set(body) >= PROBLEM_MEMBERS
    assert body["status"] == status
    assert body["instance"] == path.split("?", maxsplit=1)[0]


def test_openapi_declares_bearer_auth(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert spec["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"
    upload = spec["paths"]["/v1/documents"]["post"]
    assert {"HTTPBearer": []} in upload["security"]
    assert "multipart/form-data" in upload["requestBody"]["content"]
    assert client.get("/docs").status_code == 200


def test_probes(client: TestClient, publisher: MemoryPublisher) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.get("/readyz").status_code == 200
    publisher.refuse = True
    not_ready = client.get("/readyz")
    assert not_ready.status_code == 503
    assert not_ready.json()["detail"] == "broker: refusing"


def test_metrics(client: TestClient) -> None:
    client.post("/v1/documents", content=b"counted\n", headers=auth("acme"))
    text = client.get("/metrics").text
    assert 'docflow_ingest_uploads_total{outcome="accepted"}' in text
    assert "docflow_ingest_upload_size_bytes_bucket" in text


def test_readiness_does_not_show_where_the_store_is(
    client: TestClient, repository: SqliteRepository, tmp_path: Path
) -> None:
    repository.close()
    not_ready = client.get("/readyz")
    assert not_ready.status_code == 503
    detail = not_ready.json()["detail"]
    assert detail == "store: the store did not answer (RepositoryClosedError)"
    assert_no_internals(not_ready.text, tmp_path)


def test_problem_details_show_no_internals(
    client: TestClient, repository: SqliteRepository, publisher: MemoryPublisher, tmp_path: Path
) -> None:
    stored = client.post("/v1/documents", content=b"stored\n", headers=auth("acme")).json()["id"]
    fresh = client.post("/v1/documents", content=b"fresh\n", headers=auth("acme")).json()["id"]
    repository.record_event(
        "acme", stored, event_id="e-1", event_type="io.docflow.test.v1", at=datetime.now(UTC),
        status=DocumentStatus.STORED, detail={},
    )  # fmt: skip
    boundary = {"Content-Type": "multipart/form-data; boundary=xyz"}
    answers = [
        client.post("/v1/documents", content=b"--xyz\r\nbroken", headers=auth("acme") | boundary),
        client.post("/v1/documents", content=b"MZ\x90\x00", headers=auth("acme")),
        client.post("/v1/documents", content=b"a" * (LIMIT + 1), headers=auth("acme")),
        client.post("/v1/documents?metadata=[1]", content=b"x\n", headers=auth("acme")),
        client.get("/v1/documents/nope", headers=auth("acme")),
        client.post(f"/v1/documents/{fresh}/reprocess", headers=auth("acme")),
        client.post(f"/v1/documents/{stored}/reprocess", headers=auth("acme"),
                    json={"metadata": {"big": "x" * MAX_OUTPUT_BYTES}}),
    ]  # fmt: skip
    publisher.refuse = True
    answers.append(client.post("/v1/documents", content=b"refused\n", headers=auth("acme")))
    assert [a.status_code for a in answers] == [400, 415, 413, 422, 404, 409, 413, 503]
    for answer in answers:
        assert_no_internals(answer.text, tmp_path)

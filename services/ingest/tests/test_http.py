"""HTTP conventions: authentication, problem details everywhere, OpenAPI, probes, metrics."""

import pytest
from fastapi.testclient import TestClient

from .fakes import MemoryPublisher
from .helpers import auth

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
    assert "broker: refusing" in not_ready.json()["detail"]


def test_metrics(client: TestClient) -> None:
    client.post("/v1/documents", content=b"counted\n", headers=auth("acme"))
    text = client.get("/metrics").text
    assert 'docflow_ingest_uploads_total{outcome="accepted"}' in text
    assert "docflow_ingest_upload_size_bytes_bucket" in text

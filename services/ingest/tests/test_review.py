"""Human review: the queue and the decision, which becomes a review.decided event."""

import uuid
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient

from docflow_events.v1 import BlobRef, Finding, ReviewDecided, ValidationFailed
from docflow_results.models import DocumentStatus
from docflow_results.sqlite import SqliteRepository
from docflow_runtime.records import MAX_OUTPUT_BYTES

from .fakes import MemoryPublisher
from .helpers import auth, stored

EXTRACTION = BlobRef(url="file:///blobs/acme/x/extraction.json", sha256="a" * 64, size=10)
FINDING = Finding(
    rule="nda.parties", severity="error", message="only one party found", field="parties"
)


def awaiting_review(client: TestClient, repository: SqliteRepository) -> str:
    response = client.post("/v1/documents", content=b"This NDA binds Acme.\n", headers=auth("acme"))
    return into_review(repository, str(response.json()["id"]))


def into_review(repository: SqliteRepository, document_id: str) -> str:
    document = stored(repository, document_id)
    failed = ValidationFailed(
        document_id=document_id, tenant="acme", content=document.content, extraction=EXTRACTION,
        rule_pack="nda", document_type="nda", findings=[FINDING],
    )  # fmt: skip
    repository.record_event(
        "acme", document_id, event_id=str(uuid.uuid4()), event_type=ValidationFailed.event_type,
        at=datetime.now(UTC), status=DocumentStatus.NEEDS_REVIEW, detail={},
        review=failed.model_dump(mode="json"),
    )  # fmt: skip
    return document_id


def test_review_queue(client: TestClient, repository: SqliteRepository) -> None:
    document_id = awaiting_review(client, repository)
    items = client.get("/v1/reviews", headers=auth("acme")).json()["items"]
    assert [(i["id"], i["rule_pack"], i["document_type"]) for i in items] == [
        (document_id, "nda", "nda")
    ]
    assert items[0]["findings"][0]["rule"] == "nda.parties"


def uploaded(client: TestClient, body: bytes) -> str:
    return str(client.post("/v1/documents", content=body, headers=auth("acme")).json()["id"])


def listed(client: TestClient, **params: str) -> tuple[list[str], str | None]:
    response = client.get("/v1/reviews", params=params, headers=auth("acme"))
    assert response.status_code == 200, response.text
    answer = response.json()
    return [item["id"] for item in answer["items"]], answer["next_cursor"]


def test_the_queue_lists_newest_first_or_longest_waiting_first(
    client: TestClient, repository: SqliteRepository
) -> None:
    first, second, third = (uploaded(client, f"NDA {n}\n".encode()) for n in range(3))
    for document_id in (third, first, second):  # the order they enter review
        into_review(repository, document_id)
    assert listed(client) == ([third, second, first], None)
    assert listed(client, order="newest")[0] == [third, second, first]
    assert listed(client, order="oldest") == ([third, first, second], None)


def test_the_longest_waiting_first_pages_with_a_cursor(
    client: TestClient, repository: SqliteRepository
) -> None:
    ids = [into_review(repository, uploaded(client, f"NDA {n}\n".encode())) for n in range(3)]
    page, cursor = listed(client, order="oldest", limit="2")
    assert page == ids[:2]
    assert cursor is not None
    assert listed(client, order="oldest", limit="2", cursor=cursor) == (ids[2:], None)


def test_longest_waiting_pages_follow_review_entry_not_upload_order(
    client: TestClient, repository: SqliteRepository
) -> None:
    uploads = [uploaded(client, f"NDA {n}\n".encode()) for n in range(5)]
    entering = [uploads[n] for n in (4, 0, 3, 1, 2)]
    for document_id in entering:
        into_review(repository, document_id)
    seen: list[str] = []
    page, cursor = listed(client, order="oldest", limit="2")
    for _ in range(5):
        seen += page
        if cursor is None:
            break
        page, cursor = listed(client, order="oldest", limit="2", cursor=cursor)
    assert seen == entering


@pytest.mark.parametrize("order", ["oldest", "newest"])
def test_a_cursor_not_handed_out_for_the_order_is_400(
    client: TestClient, repository: SqliteRepository, order: str
) -> None:
    for n in range(2):
        into_review(repository, uploaded(client, f"NDA {n}\n".encode()))
    other = "newest" if order == "oldest" else "oldest"
    _, cursor = listed(client, order=other, limit="1")
    assert cursor is not None
    for bad in (cursor, "not-a-cursor"):
        response = client.get(
            "/v1/reviews", params={"order": order, "cursor": bad}, headers=auth("acme")
        )
        assert response.status_code == 400, (bad, response.text)
        assert response.json()["type"] == "urn:docflow:problem:invalid-cursor"


def test_an_unknown_order_is_422(client: TestClient) -> None:
    response = client.get("/v1/reviews", params={"order": "random"}, headers=auth("acme"))
    assert response.status_code == 422


def test_a_claimed_decision_is_marked_in_the_queue(
    client: TestClient, repository: SqliteRepository
) -> None:
    claimed = awaiting_review(client, repository)
    open_one = into_review(repository, uploaded(client, b"Another NDA.\n"))
    answer = client.post(
        f"/v1/documents/{claimed}/review", headers=auth("acme"), json={"decision": "reject"}
    )
    assert answer.status_code == 202
    for order in ("newest", "oldest"):
        items = client.get("/v1/reviews", params={"order": order}, headers=auth("acme")).json()
        marked = {item["id"]: item["decision_claimed"] for item in items["items"]}
        assert marked == {claimed: True, open_one: False}, order


def test_approve_with_corrections(
    client: TestClient, repository: SqliteRepository, publisher: MemoryPublisher
) -> None:
    document_id = awaiting_review(client, repository)
    decision = {"decision": "approve", "corrections": {"parties": ["Acme", "Globex"]}}
    response = client.post(
        f"/v1/documents/{document_id}/review", headers=auth("acme"), json=decision
    )
    assert response.status_code == 202
    assert response.json()["decision"] == "approved"
    event = publisher.published[-1]
    data = event.data
    assert isinstance(data, ReviewDecided)
    assert (data.decision, data.reviewer, data.corrections) == (
        "approved",
        "acme",
        {"parties": ["Acme", "Globex"]},
    )
    assert (data.extraction, data.rule_pack, data.findings) == (EXTRACTION, "nda", [FINDING])
    assert event.subject == document_id


def test_reject(
    client: TestClient, repository: SqliteRepository, publisher: MemoryPublisher
) -> None:
    document_id = awaiting_review(client, repository)
    response = client.post(
        f"/v1/documents/{document_id}/review",
        headers=auth("acme"),
        json={"decision": "reject", "reviewer": "maria"},
    )
    assert response.status_code == 202
    data = publisher.published[-1].data
    assert isinstance(data, ReviewDecided)
    assert (data.decision, data.reviewer) == (
        "rejected",
        "maria",
    )


def test_only_documents_awaiting_review(client: TestClient, publisher: MemoryPublisher) -> None:
    response = client.post("/v1/documents", content=b"fresh\n", headers=auth("acme"))
    decided = client.post(
        f"/v1/documents/{response.json()['id']}/review",
        headers=auth("acme"),
        json={"decision": "approve"},
    )
    assert decided.status_code == 409
    assert decided.json()["type"] == "urn:docflow:problem:not-awaiting-review"
    assert len(publisher.published) == 1


def test_decision_must_be_known(client: TestClient, repository: SqliteRepository) -> None:
    document_id = awaiting_review(client, repository)
    response = client.post(
        f"/v1/documents/{document_id}/review", headers=auth("acme"), json={"decision": "maybe"}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["body", "decision"]


def test_corrections_too_large_for_the_broker_are_413(
    client: TestClient, repository: SqliteRepository, publisher: MemoryPublisher
) -> None:
    document_id = awaiting_review(client, repository)
    decision = {"decision": "approve", "corrections": {"parties": ["x" * MAX_OUTPUT_BYTES]}}
    response = client.post(
        f"/v1/documents/{document_id}/review", headers=auth("acme"), json=decision
    )
    assert response.status_code == 413
    assert response.headers["content-type"] == "application/problem+json"
    assert "retry-after" not in response.headers
    body = response.json()
    assert body["type"] == "urn:docflow:problem:event-too-large"
    assert f"limit of {MAX_OUTPUT_BYTES} bytes" in body["detail"]
    assert len(publisher.published) == 1, "only the upload's event"
    document = stored(repository, document_id)
    assert document.status is DocumentStatus.NEEDS_REVIEW


def test_a_broker_refusing_the_size_is_413_not_503(
    client: TestClient, repository: SqliteRepository, publisher: MemoryPublisher
) -> None:
    document_id = awaiting_review(client, repository)
    publisher.too_large = True
    response = client.post(
        f"/v1/documents/{document_id}/review", headers=auth("acme"), json={"decision": "approve"}
    )
    assert response.status_code == 413
    assert response.json()["type"] == "urn:docflow:problem:event-too-large"
    assert "Message size too large" in response.json()["detail"]


def test_a_review_is_decided_once(
    client: TestClient, repository: SqliteRepository, publisher: MemoryPublisher
) -> None:
    document_id = awaiting_review(client, repository)
    url = f"/v1/documents/{document_id}/review"
    first = client.post(url, headers=auth("acme"), json={"decision": "approve"})
    second = client.post(url, headers=auth("acme"), json={"decision": "reject"})
    assert first.status_code == 202
    assert second.status_code == 409
    assert second.json()["type"] == "urn:docflow:problem:already-decided"
    assert [e.data.decision for e in publisher.published if isinstance(e.data, ReviewDecided)] == [
        "approved"
    ]
    decision = stored(repository, document_id).decision
    assert decision is not None
    assert decision.decision == "approved"


def test_a_decision_the_broker_refused_can_be_made_again(
    client: TestClient, repository: SqliteRepository, publisher: MemoryPublisher
) -> None:
    document_id = awaiting_review(client, repository)
    url = f"/v1/documents/{document_id}/review"
    publisher.refuse = True
    assert client.post(url, headers=auth("acme"), json={"decision": "reject"}).status_code == 503
    assert stored(repository, document_id).decision is None
    publisher.refuse = False
    assert client.post(url, headers=auth("acme"), json={"decision": "approve"}).status_code == 202
    published = publisher.published[-1].data
    assert isinstance(published, ReviewDecided)
    assert (published.decision, published.run) == ("approved", 1)

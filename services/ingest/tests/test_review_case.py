"""What the API gives a reviewer: the case of a document and its page images."""

from typing import Any

import pytest
from fastapi.testclient import TestClient

from docflow_events.v1 import Finding
from docflow_ingest.core.review_fields import fields_of
from docflow_results.sqlite import SqliteRepository
from docflow_runtime.blobstore import LocalBlobStore

from .fakes import MemoryPublisher
from .helpers import auth
from .review_fixtures import PARTIES, nda_in_review

CONTRACT_FIELDS = ["effective_date", "jurisdiction", "term"]
BILLING_FIELDS = ["issuer", "invoice_number", "issue_date", "total"]


def test_the_case_shows_pages_fields_and_findings(
    client: TestClient, repository: SqliteRepository, blobs: LocalBlobStore
) -> None:
    document_id = nda_in_review(client, repository, blobs)
    case = client.get(f"/v1/reviews/{document_id}", headers=auth("acme")).json()
    assert case["findings"][0]["rule"] == "nda.parties"
    assert case["pages"][0]["text"]
    assert case["pages"][0]["image"] is True
    first = case["fields"][0]
    assert (first["name"], first["flagged"]) == ("parties", True)
    assert first["value"], "enrichment's rules propose the parties"
    assert all(where["page"] >= 1 for where in first["locations"])
    assert first["locations"], "each proposed party is found in the text"
    assert case["decision"] is None


def order_of(case: dict[str, Any]) -> list[tuple[str, bool, bool]]:
    return [(f["name"], f["flagged"], f["of_type"]) for f in case["fields"]]


def test_the_fields_of_the_type_come_after_the_flagged_and_before_the_others(
    client: TestClient, repository: SqliteRepository, blobs: LocalBlobStore
) -> None:
    document_id = nda_in_review(client, repository, blobs)
    case = client.get(f"/v1/reviews/{document_id}", headers=auth("acme")).json()
    assert order_of(case) == [
        ("parties", True, True),
        *((name, False, True) for name in CONTRACT_FIELDS),
        *((name, False, False) for name in BILLING_FIELDS),
    ]


def test_a_flagged_field_of_another_type_still_comes_first(
    client: TestClient, repository: SqliteRepository, blobs: LocalBlobStore
) -> None:
    dated = Finding(rule="dates-sane", severity="error", message="a date in 2999", field="date")
    document_id = nda_in_review(
        client, repository, blobs, document_type="invoice", findings=(PARTIES, dated)
    )
    case = client.get(f"/v1/reviews/{document_id}", headers=auth("acme")).json()
    assert order_of(case) == [
        ("issue_date", True, True),
        ("parties", True, False),
        *((name, False, True) for name in BILLING_FIELDS if name != "issue_date"),
        *((name, False, False) for name in CONTRACT_FIELDS),
    ]


@pytest.mark.parametrize(
    ("document_type", "read_as", "fields"),
    [
        ("receipt", "nda", set(BILLING_FIELDS)),
        ("contract", "invoice", {"parties", *CONTRACT_FIELDS}),
        ("other", "lease", {"parties", *CONTRACT_FIELDS}),
        ("form", "form", {"parties", *CONTRACT_FIELDS, *BILLING_FIELDS}),
    ],
)
def test_a_type_without_fields_of_its_own_takes_those_its_text_reads_as(
    document_type: str, read_as: str, fields: set[str]
) -> None:
    assert fields_of(document_type, read_as) == fields


def test_another_tenant_cannot_open_the_case(
    client: TestClient, repository: SqliteRepository, blobs: LocalBlobStore
) -> None:
    document_id = nda_in_review(client, repository, blobs)
    for path in (f"/v1/reviews/{document_id}", f"/v1/reviews/{document_id}/pages/1"):
        assert client.get(path, headers=auth("globex")).status_code == 404


def test_a_document_not_in_review_has_no_case(client: TestClient) -> None:
    response = client.post("/v1/documents", content=b"Just text.\n", headers=auth("acme"))
    document_id = response.json()["id"]
    answer = client.get(f"/v1/reviews/{document_id}", headers=auth("acme"))
    assert answer.status_code == 409
    assert answer.json()["type"].endswith("not-awaiting-review")


def test_a_page_image_is_rendered_once_and_kept(
    client: TestClient, repository: SqliteRepository, blobs: LocalBlobStore
) -> None:
    document_id = nda_in_review(client, repository, blobs)
    first = client.get(f"/v1/reviews/{document_id}/pages/1", headers=auth("acme"))
    assert first.status_code == 200
    assert first.headers["content-type"] == "image/png"
    assert first.content.startswith(b"\x89PNG")
    kept = list(blobs.root.rglob("page-1-*.png"))
    assert len(kept) == 1
    kept[0].write_bytes(b"\x89PNG cached")
    again = client.get(f"/v1/reviews/{document_id}/pages/1", headers=auth("acme"))
    assert again.content == b"\x89PNG cached"


def test_a_page_past_the_last_is_not_found(
    client: TestClient, repository: SqliteRepository, blobs: LocalBlobStore
) -> None:
    document_id = nda_in_review(client, repository, blobs)
    answer = client.get(f"/v1/reviews/{document_id}/pages/999", headers=auth("acme"))
    assert answer.status_code == 404
    assert answer.json()["type"].endswith("no-page-image")


def test_corrections_that_do_not_fit_are_refused_before_deciding(
    client: TestClient,
    repository: SqliteRepository,
    blobs: LocalBlobStore,
    publisher: MemoryPublisher,
) -> None:
    document_id = nda_in_review(client, repository, blobs)
    decision = {"decision": "approve", "corrections": {"effective_date": "not a date"}}
    answer = client.post(f"/v1/documents/{document_id}/review", json=decision, headers=auth("acme"))
    assert answer.status_code == 422
    assert not [e for e in publisher.published if e.type.startswith("io.docflow.review")]


def test_a_decision_is_recorded_with_what_changed(
    client: TestClient, repository: SqliteRepository, blobs: LocalBlobStore
) -> None:
    document_id = nda_in_review(client, repository, blobs)
    proposed = client.get(f"/v1/reviews/{document_id}", headers=auth("acme")).json()
    parties = next(f["value"] for f in proposed["fields"] if f["name"] == "parties")
    decision = {"decision": "approve", "corrections": {"parties": ["Acme", "Globex"]},
                "reviewer": "kim", "comment": "two parties"}  # fmt: skip
    answer = client.post(f"/v1/documents/{document_id}/review", json=decision, headers=auth("acme"))
    assert answer.status_code == 202
    events = client.get(f"/v1/documents/{document_id}/events", headers=auth("acme")).json()
    recorded = [e for e in events["events"] if e["event_type"] == "io.docflow.review.recorded"]
    assert [e["detail"] for e in recorded] == [{
        "decision": "approved", "reviewer": "kim", "comment": "two parties",
        "changes": {"parties": {"from": parties, "to": ["Acme", "Globex"]}},
    }]  # fmt: skip
    again = client.post(f"/v1/documents/{document_id}/review", json=decision, headers=auth("acme"))
    assert again.status_code == 409

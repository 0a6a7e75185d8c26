"""Review metrics on /metrics: the queue per tenant and type (read from the results store at
most once per refresh interval), decisions per outcome and the time they took."""

import re
import time
from pathlib import Path

from fastapi.testclient import TestClient

from docflow_ingest.app import create_app
from docflow_ingest.core.metrics import ReviewQueue
from docflow_results.sqlite import SqliteRepository
from docflow_runtime.blobstore import LocalBlobStore

from .fakes import MemoryPublisher
from .helpers import auth, make_settings
from .review_fixtures import nda_in_review
from .test_review import awaiting_review

QUEUE = 'docflow_review_queue_documents{document_type="nda",tenant="acme"}'
AGE = 'docflow_review_queue_oldest_age_seconds{document_type="nda",tenant="acme"}'


def _sample(text: str, name: str) -> float | None:
    match = re.search(rf"^{re.escape(name)} (\S+)$", text, re.MULTILINE)
    return float(match.group(1)) if match else None


def test_an_empty_queue_exports_no_series(client: TestClient) -> None:
    text = client.get("/metrics").text
    assert "# TYPE docflow_review_queue_documents gauge" in text
    assert _sample(text, QUEUE) is None


def test_waiting_documents_are_counted_per_tenant_and_type_with_the_oldest_age(
    client: TestClient, repository: SqliteRepository
) -> None:
    awaiting_review(client, repository)
    time.sleep(0.3)
    text = client.get("/metrics").text
    assert _sample(text, QUEUE) == 1
    age = _sample(text, AGE)
    assert age is not None
    assert 0.3 <= age < 30
    assert 'tenant="globex"' not in text, "a tenant with nothing waiting has no series"


def test_the_queue_is_read_once_per_refresh_interval(
    tmp_path: Path, repository: SqliteRepository, blobs: LocalBlobStore
) -> None:
    settings = make_settings(tmp_path, review_metrics_refresh_seconds=3600)
    app = create_app(settings, repository=repository, blobs=blobs, publisher=MemoryPublisher())
    with TestClient(app) as client:
        assert _sample(client.get("/metrics").text, QUEUE) is None
        awaiting_review(client, repository)
        assert _sample(client.get("/metrics").text, QUEUE) is None, "read from the cache"


def test_decisions_are_counted_by_outcome_with_their_wait(
    client: TestClient, repository: SqliteRepository, blobs: LocalBlobStore
) -> None:
    def count(outcome: str) -> float:
        text = client.get("/metrics").text
        value = _sample(text, f'docflow_review_decisions_total{{outcome="{outcome}"}}')
        assert value is not None
        return value

    def waits(outcome: str) -> float:
        text = client.get("/metrics").text
        value = _sample(text, f'docflow_review_decision_wait_seconds_count{{outcome="{outcome}"}}')
        assert value is not None
        return value

    before = {o: (count(o), waits(o)) for o in ("approved", "corrected", "rejected")}
    for decision in (
        {"decision": "reject"},
        {"decision": "approve", "corrections": {"term": "1y"}},
    ):
        document_id = nda_in_review(client, repository, blobs)
        url = f"/v1/documents/{document_id}/review"
        assert client.post(url, json=decision, headers=auth("acme")).status_code == 202
    assert count("rejected") == before["rejected"][0] + 1
    assert count("corrected") == before["corrected"][0] + 1
    assert count("approved") == before["approved"][0]
    assert waits("corrected") == before["corrected"][1] + 1


def test_a_failing_store_leaves_the_scrape_intact(repository: SqliteRepository) -> None:
    queue = ReviewQueue()
    queue.watch(repository, ["acme"])
    repository.close()
    families = {family.name: family.samples for family in queue.collect()}
    assert families == {
        "docflow_review_queue_documents": [],
        "docflow_review_queue_oldest_age_seconds": [],
    }

"""The review queue's depth and age on /metrics, read from the results store at each scrape."""

import re
import time

from fastapi.testclient import TestClient

from docflow_ingest.core.metrics import ReviewQueue
from docflow_results.sqlite import SqliteRepository

from .test_review import awaiting_review


def _sample(text: str, name: str) -> float:
    match = re.search(rf"^{name} (\S+)$", text, re.MULTILINE)
    assert match, f"{name} not exported"
    return float(match.group(1))


def test_an_empty_queue_reads_zero(client: TestClient) -> None:
    text = client.get("/metrics").text
    assert _sample(text, "docflow_review_queue_documents") == 0
    assert _sample(text, "docflow_review_queue_oldest_age_seconds") == 0


def test_waiting_documents_are_counted_with_the_oldest_age(
    client: TestClient, repository: SqliteRepository
) -> None:
    awaiting_review(client, repository)
    time.sleep(0.3)
    text = client.get("/metrics").text
    assert _sample(text, "docflow_review_queue_documents") == 1
    assert 0.3 <= _sample(text, "docflow_review_queue_oldest_age_seconds") < 30


def test_a_failing_store_leaves_the_scrape_intact(repository: SqliteRepository) -> None:
    queue = ReviewQueue()
    queue.watch(repository, ["acme"])
    repository.close()
    families = {family.name: family.samples for family in queue.collect()}
    assert families == {
        "docflow_review_queue_documents": [],
        "docflow_review_queue_oldest_age_seconds": [],
    }

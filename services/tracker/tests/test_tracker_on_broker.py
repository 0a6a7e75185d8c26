"""The tracker as it runs in production: a Worker on a real broker, statuses landing in SQLite."""

import time
from collections.abc import Callable
from pathlib import Path

from confluent_kafka import Producer

from docflow_events import EventData, Topic, dead_letter_topic, to_kafka
from docflow_events.envelope import Envelope
from docflow_results.models import DocumentStatus, NewDocument
from docflow_results.sqlite import SqliteRepository
from docflow_runtime.settings import KafkaSettings
from docflow_runtime.worker import Worker
from docflow_testing.broker import TopicFactory
from docflow_testing.events import T0, DocumentFlow
from docflow_testing.running import running
from docflow_tracker.factory import build
from docflow_tracker.settings import TrackerSettings
from docflow_tracker.stage import Tracker

S = DocumentStatus


def produce(bootstrap: str, prefix: str, events: list[tuple[str, EventData]]) -> None:
    producer = Producer({"bootstrap.servers": bootstrap, "enable.idempotence": "true"})
    for event_id, data in events:
        record = to_kafka(Envelope.wrap(data, id=event_id, source="/tests"))
        producer.produce(prefix + data.topic, value=record.value, key=record.key,
                         headers=list(record.headers))  # fmt: skip
    assert producer.flush(30) == 0, "events not delivered"


def wait_until(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out after {timeout}s waiting for {what}"
        time.sleep(0.1)


def test_tracker_worker_lands_statuses_in_sqlite(
    kafka_bootstrap: str, topic_prefix: str, kafka_topics: TopicFactory, tmp_path: Path
) -> None:
    kafka_topics(*Topic, dead_letter_topic(Tracker.name), partitions=2)
    settings = TrackerSettings(
        kafka=KafkaSettings(bootstrap=kafka_bootstrap), topic_prefix=topic_prefix,
        health_host="127.0.0.1", health_port=0, retry_initial_backoff_seconds=0.05,
        shutdown_timeout_seconds=20, log_level="WARNING",
        store_url=f"sqlite:///{tmp_path}/docflow.db",
    )  # fmt: skip
    repository = SqliteRepository(tmp_path / "docflow.db")
    stored, failed, waiting = DocumentFlow("doc-a"), DocumentFlow("doc-b"), DocumentFlow("doc-c")
    for flow in (stored, failed, waiting):
        # As ingest does before it announces a document.
        repository.create(NewDocument(id=flow.document_id, tenant=flow.tenant, filename="nda.pdf",
                                      media_type="application/pdf", content=flow.content,
                                      created_at=T0))  # fmt: skip
    events: list[tuple[str, EventData]] = [
        ("a1", stored.received()), ("a2", stored.extracted()), ("a3", stored.validation_passed()),
        ("a4", stored.enriched()), ("a5", stored.stored()), ("a5", stored.stored()),
        ("b1", failed.received()), ("b2", failed.failed("extract")),
        ("c1", waiting.received()), ("c2", waiting.validation_failed()),
    ]  # fmt: skip
    produce(kafka_bootstrap, topic_prefix, events)
    expected = {"doc-a": S.STORED, "doc-b": S.FAILED, "doc-c": S.NEEDS_REVIEW}

    def statuses() -> dict[str, DocumentStatus | None]:
        return {d: getattr(repository.get("acme", d), "status", None) for d in expected}

    with running(Worker(build(settings), settings)):
        wait_until(lambda: statuses() == expected, 90, f"statuses {expected}")
        wait_until(
            lambda: len(repository.timeline("acme", "doc-a")) == 5, 30, "doc-a's whole timeline"
        )
    assert sorted(t.event_id for t in repository.timeline("acme", "doc-a")) == [
        "a1", "a2", "a3", "a4", "a5"
    ]  # fmt: skip
    document = repository.get("acme", "doc-b")
    assert document is not None
    assert document.error is not None
    assert document.error.stage == "extract"
    repository.close()

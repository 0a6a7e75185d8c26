"""On a real broker: a worker runs the stage; a failing document lands on validation.failed."""

import uuid
from pathlib import Path

from confluent_kafka import Producer

from docflow_events import Envelope, Topic, dead_letter_topic, from_kafka, to_kafka
from docflow_events.v1 import Cost, ExtractionCompleted, ValidationFailed, ValidationPassed
from docflow_runtime.blobstore import LocalBlobStore
from docflow_runtime.settings import KafkaSettings
from docflow_runtime.worker import Worker
from docflow_testing.broker import TopicFactory, consume_all
from docflow_testing.running import running
from docflow_validate.factory import build
from docflow_validate.settings import ValidateSettings
from docflow_validate.stage import Validate

from .conftest import build_document

GOOD_NDA = (
    "NON-DISCLOSURE AGREEMENT dated March 21, 2014 by and between Intel Corporation "
    '("Intel") and Cloudera, Inc. ("Cloudera"). Confidential Information stays secret. '
    "This Agreement is governed by the laws of the State of Delaware."
)
BAD_NDA = "NON-DISCLOSURE AGREEMENT signed 31/02/2014. Nobody is named here."


def _publish(bootstrap: str, topic: str, store: LocalBlobStore, texts: dict[str, str]) -> None:
    producer = Producer({"bootstrap.servers": bootstrap, "enable.idempotence": "true"})
    for document_id, text in texts.items():
        result = build_document(text, document_id=document_id)
        data = ExtractionCompleted(
            document_id=document_id, tenant="tests",
            content=store.put_bytes(f"tests/{document_id}/original", text.encode()),
            extraction=store.put_bytes(
                f"tests/{document_id}/extraction.json", result.model_dump_json().encode()
            ),
            media_type="application/pdf", document_type_hint="nda", page_count=1,
            cost=Cost(backend="local"),
        )  # fmt: skip
        record = to_kafka(Envelope.wrap(data, id=str(uuid.uuid4()), source="/tests"))
        producer.produce(topic, value=record.value, key=record.key, headers=list(record.headers))
    assert producer.flush(30) == 0, "inputs not delivered"


def test_a_failing_document_lands_on_validation_failed(
    kafka_bootstrap: str, topic_prefix: str, kafka_topics: TopicFactory, tmp_path: Path
) -> None:
    kafka_topics(
        Topic.EXTRACTION_COMPLETED, Topic.VALIDATION_PASSED, Topic.VALIDATION_FAILED,
        Topic.DOCUMENT_FAILED, dead_letter_topic(Validate.name), partitions=2,
    )  # fmt: skip
    store = LocalBlobStore(tmp_path / "blobs")
    settings = ValidateSettings(
        kafka=KafkaSettings(bootstrap=kafka_bootstrap), topic_prefix=topic_prefix,
        blob_url=store.root.as_uri(), health_host="127.0.0.1", health_port=0,
        log_level="WARNING", shutdown_timeout_seconds=20,
    )  # fmt: skip
    topic = settings.topic(Topic.EXTRACTION_COMPLETED)
    _publish(kafka_bootstrap, topic, store, {"good": GOOD_NDA, "bad": BAD_NDA})
    with running(Worker(build(settings), settings)):
        failed = consume_all(
            kafka_bootstrap, settings.topic(Topic.VALIDATION_FAILED), expected=1, timeout=60
        )
        passed = consume_all(
            kafka_bootstrap, settings.topic(Topic.VALIDATION_PASSED), expected=1, timeout=60
        )
    [failure] = [from_kafka(m.key, m.value, list(m.headers)).data for m in failed]
    [success] = [from_kafka(m.key, m.value, list(m.headers)).data for m in passed]
    assert isinstance(failure, ValidationFailed)
    assert (failure.document_id, failure.rule_pack, failure.document_type) == (
        "bad", "nda", "nda",
    )  # fmt: skip
    # The governing law, which a short NDA may lack, is only noted.
    severities = {(f.rule, f.field): f.severity for f in failure.findings}
    assert severities == {
        ("counterparty-present", "parties"): "error",
        ("dates-sane", "dates"): "error",
        ("governing-law", "governing_law"): "warning",
    }
    assert isinstance(success, ValidationPassed)
    assert (success.document_id, success.findings) == ("good", [])

"""The real producer: on a real broker, and with no broker at all."""

import json
from pathlib import Path

from fastapi.testclient import TestClient

from docflow_events import Topic, from_kafka
from docflow_events.v1 import DocumentReceived
from docflow_ingest.app import create_app
from docflow_runtime.settings import KafkaSettings
from docflow_testing.broker import TopicFactory, consume_all

from .helpers import assert_no_internals, auth, blob_files, make_settings


def test_upload_lands_on_the_topic(
    kafka_bootstrap: str,
    kafka_topics: TopicFactory,
    topic_prefix: str,
    tmp_path: Path,
    pdf_bytes: bytes,
) -> None:
    # Ingest is ready once the topics of both events it writes exist.
    topic, _ = kafka_topics(Topic.DOCUMENT_RECEIVED, Topic.REVIEW_DECIDED)
    settings = make_settings(
        tmp_path, kafka=KafkaSettings(bootstrap=kafka_bootstrap), topic_prefix=topic_prefix,
        publish_timeout_seconds=20,
    )  # fmt: skip
    with TestClient(create_app(settings)) as client:
        assert client.get("/readyz").status_code == 200
        response = client.post(
            "/v1/documents",
            headers=auth("acme"),
            files={"file": ("nda.pdf", pdf_bytes, "application/pdf")},
            data={"document_type": "nda"},
        )
    assert response.status_code == 202
    document_id = response.json()["id"]
    [message] = consume_all(kafka_bootstrap, topic, expected=1, timeout=30)
    assert message.key == document_id.encode()
    assert message.header("ce_specversion") == b"1.0"
    assert message.header("ce_type") == DocumentReceived.event_type.encode()
    assert message.header("ce_source") == b"/docflow/ingest"
    assert message.header("ce_subject") == document_id.encode()
    assert message.header("ce_docflowtenant") == b"acme"
    assert message.header("content-type") == b"application/json"
    assert (message.header("ce_traceparent") or b"").startswith(b"00-")
    envelope = from_kafka(message.key, message.value, message.headers)
    data = envelope.data
    assert isinstance(data, DocumentReceived)
    assert (data.document_id, data.media_type, data.document_type_hint) == (
        document_id,
        "application/pdf",
        "nda",
    )
    assert data.content.size == len(pdf_bytes)
    assert json.loads(message.value or b"{}")["filename"] == "nda.pdf"


def test_dead_broker_is_503_and_nothing_flows(tmp_path: Path, pdf_bytes: bytes) -> None:
    settings = make_settings(
        tmp_path, kafka=KafkaSettings(bootstrap="127.0.0.1:1"), publish_timeout_seconds=1,
        readiness_timeout_seconds=0.5, retry_after_seconds=7,
    )  # fmt: skip
    with TestClient(create_app(settings)) as client:
        unreachable = client.get("/readyz")
        response = client.post(
            "/v1/documents",
            headers=auth("acme"),
            files={"file": ("nda.pdf", pdf_bytes, "application/pdf")},
        )
        listed = client.get("/v1/documents", headers=auth("acme")).json()["items"]
        not_ready = client.get("/readyz")
    assert unreachable.status_code == 503
    assert unreachable.json()["detail"].startswith("broker: no broker answered: ")
    assert response.status_code == 503
    assert response.headers["retry-after"] == "7"
    assert response.headers["content-type"] == "application/problem+json"
    assert not_ready.status_code == 503
    # The failed publish, as the last failure or as why the producer is being replaced.
    assert "the broker did not take the event: " in not_ready.json()["detail"]
    for answer in (unreachable, response, not_ready):
        assert_no_internals(answer.text, tmp_path)
    assert listed == []
    assert blob_files(tmp_path) == []

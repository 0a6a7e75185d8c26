"""CloudEvents binary mode over Kafka: round trips, and a precise error for every bad message."""

import json
import traceback
from datetime import UTC, datetime
from typing import Any

import pytest

from docflow_events import (
    EVENT_TYPES,
    Envelope,
    EventData,
    InvalidPayloadError,
    KafkaRecord,
    MissingHeaderError,
    UnknownEventTypeError,
    UnsupportedContentTypeError,
    UnsupportedSpecVersionError,
    from_kafka,
    to_kafka,
    traceparent,
    v1,
)
from docflow_events.v1 import BlobRef, Classification, Cost, Finding

WHEN = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
BLOB = BlobRef(url="file:///blobs/doc-1/content", sha256="ab" * 32, size=2048)
RESULT = BlobRef(url="s3://bucket/doc-1/extraction.json", sha256="cd" * 32, size=512)
FINDING = Finding(rule="total-matches", severity="warning", message="rounded", field="total")
SECRET = "SECRET-4f1c-do-not-log"
PARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
COMMON: dict[str, Any] = {"document_id": "doc-1", "tenant": "acme"}
VALIDATION: dict[str, Any] = {
    "content": BLOB,
    "extraction": RESULT,
    "rule_pack": "nda",
    "document_type": "nda",
    "findings": [FINDING],
    "handler_seconds": 0.2,
}

SAMPLES: dict[type[EventData], dict[str, Any]] = {
    v1.DocumentReceived: {
        "content": BLOB,
        "filename": "nda.pdf",
        "media_type": "application/pdf",
        "document_type_hint": "nda",
        "callback_url": "https://example.test/hook",
        "metadata": {"matter": 42, "tags": ["a", "b"]},
        "received_at": WHEN,
    },
    v1.ExtractionCompleted: {
        "content": BLOB,
        "extraction": RESULT,
        "media_type": "application/pdf",
        "page_count": 3,
        "ocr_page_count": 1,
        "cost": Cost(backend="local"),
        "handler_seconds": 1.5,
    },
    v1.ValidationPassed: VALIDATION,
    v1.ValidationFailed: VALIDATION,
    v1.ReviewDecided: {
        **VALIDATION,
        "decision": "approved",
        "reviewer": "reviewer@acme.test",
        "corrections": {"total": "12.00"},
        "comment": "checked",
        "decided_at": WHEN,
    },
    v1.EnrichmentCompleted: {
        "content": BLOB,
        "extraction": RESULT,
        "enrichment": RESULT,
        "classification": Classification(type="nda", confidence=0.93),
        "validation_passed": True,
        "findings": [FINDING],
        "cost": Cost(backend="bedrock", usd=0.0123),
    },
    v1.DocumentStored: {"store": "sqlite", "stored_at": WHEN, "cost_usd": 0.0123},
    v1.DocumentFailed: {
        "stage": "extract",
        "error_class": "UnsupportedFormat",
        "reason": "not a PDF",
        "permanent": True,
        "attempts": 1,
        "dead_letter_topic": "docflow.dlq.extract",
        "source_topic": "docflow.document.received",
        "source_partition": 2,
        "source_offset": 17,
        "failed_at": WHEN,
    },
}
REQUIRED_HEADERS = ("ce_specversion", "ce_id", "ce_source", "ce_type", "ce_time")


def sample(model: type[EventData]) -> EventData:
    return model(**COMMON, **SAMPLES[model])


def envelope(model: type[EventData] = v1.DocumentStored) -> Envelope[EventData]:
    return Envelope[EventData].wrap(
        sample(model), id="evt-1", source="/docflow/test", traceparent=PARENT
    )


def record(model: type[EventData] = v1.DocumentStored) -> KafkaRecord:
    return to_kafka(envelope(model))


def decode(rec: KafkaRecord) -> Envelope[EventData]:
    return from_kafka(rec.key, rec.value, rec.headers)


def with_header(rec: KafkaRecord, name: str, value: bytes) -> list[tuple[str, bytes]]:
    return [(n, v) for n, v in rec.headers if n != name] + [(name, value)]


def payload_error(rec: KafkaRecord, value: bytes | None) -> InvalidPayloadError:
    with pytest.raises(InvalidPayloadError) as caught:
        from_kafka(rec.key, value, rec.headers)
    return caught.value


def leaks(error: BaseException, secret: str) -> bool:
    """Whether the message or anything a logged traceback would show contains ``secret``."""
    return secret in "".join(traceback.format_exception(error))


def test_every_model_has_a_sample() -> None:
    assert set(SAMPLES) == set(v1.MODELS) == set(EVENT_TYPES.values())


@pytest.mark.parametrize("model", v1.MODELS, ids=lambda m: m.__name__)
def test_round_trip(model: type[EventData]) -> None:
    sent = envelope(model)
    received = decode(to_kafka(sent))
    assert type(received.data) is model
    assert received.data == sent.data
    assert (received.id, received.type, received.source) == ("evt-1", model.event_type, sent.source)
    assert (received.subject, received.tenant) == ("doc-1", "acme")
    assert received.traceparent == PARENT
    assert received.time == sent.time


@pytest.mark.parametrize("model", v1.MODELS, ids=lambda m: m.__name__)
def test_message_key_is_the_document_id(model: type[EventData]) -> None:
    assert record(model).key == b"doc-1"


def test_headers_carry_the_cloudevents_attributes() -> None:
    headers = dict(record().headers)
    expected = {
        "ce_specversion": b"1.0",
        "ce_id": b"evt-1",
        "ce_source": b"/docflow/test",
        "ce_type": v1.DocumentStored.event_type.encode(),
        "ce_subject": b"doc-1",
        "content-type": b"application/json",
        "ce_docflowtenant": b"acme",
        "ce_traceparent": PARENT.encode(),
    }
    assert {name: headers.get(name) for name in expected} == expected
    assert datetime.fromisoformat(headers["ce_time"].decode()).tzinfo is not None


def test_value_is_the_data_as_json() -> None:
    assert json.loads(record().value) == sample(v1.DocumentStored).model_dump(mode="json")


def test_no_traceparent_means_no_header() -> None:
    sent = Envelope[EventData].wrap(sample(v1.DocumentStored), id="evt-1", source="/docflow/t")
    rec = to_kafka(sent)
    assert "ce_traceparent" not in dict(rec.headers)
    assert decode(rec).traceparent is None


@pytest.mark.parametrize("header", REQUIRED_HEADERS)
def test_missing_required_header(header: str) -> None:
    rec = record()
    headers = [(n, v) for n, v in rec.headers if n != header]
    with pytest.raises(MissingHeaderError) as caught:
        from_kafka(rec.key, rec.value, headers)
    assert caught.value.header == header


def test_unsupported_spec_version() -> None:
    rec = record()
    with pytest.raises(UnsupportedSpecVersionError, match=r"0\.3"):
        from_kafka(rec.key, rec.value, with_header(rec, "ce_specversion", b"0.3"))


def test_unsupported_content_type() -> None:
    rec = record()
    with pytest.raises(UnsupportedContentTypeError, match="text/plain"):
        from_kafka(rec.key, rec.value, with_header(rec, "content-type", b"text/plain"))


def test_json_content_type_with_parameters_is_accepted() -> None:
    rec = record()
    headers = with_header(rec, "content-type", b"application/json; charset=utf-8")
    assert from_kafka(rec.key, rec.value, headers).data == sample(v1.DocumentStored)


def test_unknown_event_type() -> None:
    rec = record()
    with pytest.raises(UnknownEventTypeError) as caught:
        from_kafka(rec.key, rec.value, with_header(rec, "ce_type", b"io.docflow.nope.v1"))
    assert caught.value.event_type == "io.docflow.nope.v1"


def test_value_that_is_not_json() -> None:
    error = payload_error(record(), f"not json {SECRET}".encode())
    assert v1.DocumentStored.event_type in str(error)
    assert not leaks(error, SECRET)


@pytest.mark.parametrize("value", [b"", None], ids=["empty", "none"])
def test_empty_value(value: bytes | None) -> None:
    assert "no value" in str(payload_error(record(), value))


def test_value_missing_a_required_field_does_not_leak_its_content() -> None:
    data = sample(v1.DocumentStored).model_dump(mode="json") | {"store": SECRET}
    del data["stored_at"]
    error = payload_error(record(), json.dumps(data).encode())
    assert "stored_at" in str(error)
    assert not leaks(error, SECRET)


def test_value_with_a_wrongly_typed_field_does_not_leak_it() -> None:
    data = sample(v1.DocumentStored).model_dump(mode="json") | {"cost_usd": SECRET}
    error = payload_error(record(), json.dumps(data).encode())
    assert "cost_usd" in str(error)
    assert not leaks(error, SECRET)


def test_unknown_fields_in_the_data_are_ignored() -> None:
    rec = record(v1.DocumentReceived)
    data = json.loads(rec.value) | {"added_in_a_later_release": {"x": 1}}
    received = from_kafka(rec.key, json.dumps(data).encode(), rec.headers)
    assert received.data == sample(v1.DocumentReceived)


def test_repeated_header_last_wins() -> None:
    rec = record()
    headers = [*rec.headers, ("ce_id", b"evt-2")]
    assert dict(rec.headers)["ce_id"] == b"evt-1"
    assert from_kafka(rec.key, rec.value, headers).id == "evt-2"


def test_child_of_keeps_the_trace_and_changes_the_span() -> None:
    child = traceparent.child_of(PARENT)
    assert traceparent.is_valid(child)
    assert traceparent.trace_id(child) == traceparent.trace_id(PARENT)
    assert child.split("-")[2] != PARENT.split("-")[2]
    assert child.split("-")[3] == PARENT.split("-")[3]


@pytest.mark.parametrize("parent", [None, "garbage", "00-" + "0" * 32 + "-b7ad6b7169203331-01"])
def test_child_of_nothing_valid_starts_a_new_trace(parent: str | None) -> None:
    child = traceparent.child_of(parent)
    assert traceparent.is_valid(child)
    assert traceparent.trace_id(child) != traceparent.trace_id(PARENT)


def test_new_traceparent_is_valid_and_fresh() -> None:
    first, second = traceparent.new_traceparent(), traceparent.new_traceparent()
    assert traceparent.is_valid(first)
    assert traceparent.trace_id(first) != traceparent.trace_id(second)
    assert first.endswith("-01")


def test_is_valid_rejects_malformed_values() -> None:
    assert not traceparent.is_valid("00-" + "0" * 32 + "-b7ad6b7169203331-01")
    assert not traceparent.is_valid("00-0af7651916cd43dd8448eb211c80319c-" + "0" * 16 + "-01")
    assert not traceparent.is_valid(PARENT.upper())
    assert traceparent.is_valid(PARENT)

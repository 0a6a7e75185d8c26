"""Events carry the run they belong to (1.1); events of 1.0 producers read as run 1."""

import json

import pytest
from pydantic import ValidationError

from docflow_events import Envelope, EventDecodeError, from_kafka, to_kafka
from docflow_events.v1 import DocumentStored

STORED = {"document_id": "doc-1", "tenant": "acme", "store": "sqlite",
          "stored_at": "2026-12-01T10:00:00Z", "cost_usd": 0.0}  # fmt: skip


def test_an_event_without_a_run_is_of_the_first_run() -> None:
    assert DocumentStored.model_validate(STORED).run == 1


def test_the_run_survives_the_kafka_binding() -> None:
    event = DocumentStored.model_validate({**STORED, "run": 3})
    record = to_kafka(Envelope.wrap(event, id="evt-1", source="/tests"))
    assert from_kafka(record.key, record.value, record.headers).data.run == 3


def test_a_1_0_message_without_a_run_decodes_as_run_1() -> None:
    record = to_kafka(Envelope.wrap(DocumentStored.model_validate(STORED), id="e", source="/t"))
    value = json.loads(record.value)
    value.pop("run")
    decoded = from_kafka(record.key, json.dumps(value).encode(), record.headers)
    assert decoded.data.run == 1


def test_a_run_below_one_is_refused() -> None:
    with pytest.raises(ValidationError, match="run"):
        DocumentStored.model_validate({**STORED, "run": 0})
    record = to_kafka(Envelope.wrap(DocumentStored.model_validate(STORED), id="e", source="/t"))
    value = json.loads(record.value) | {"run": 0}
    with pytest.raises(EventDecodeError):
        from_kafka(record.key, json.dumps(value).encode(), record.headers)

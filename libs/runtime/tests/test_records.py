"""The records a stage sends: outputs with derived ids, and dead letters that explain a failure."""

import math
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from confluent_kafka import Message

from docflow_events import Envelope, EventData, KafkaRecord, from_kafka, to_kafka
from docflow_events.traceparent import is_valid, trace_id
from docflow_events.v1 import (
    BlobRef,
    Cost,
    DocumentFailed,
    DocumentReceived,
    DocumentStored,
    ExtractionCompleted,
)
from docflow_runtime.errors import PermanentError, TransientError
from docflow_runtime.finite import NonFiniteNumberError
from docflow_runtime.records import (
    DLQ_HEADER_PREFIX,
    MAX_OUTPUT_BYTES,
    Consumed,
    dead_letters,
    final_notice_id,
    output_id,
    outputs,
)

TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"
INPUT_TOPIC = "staging.docflow.document.received"
DLQ_HEADERS = {
    "stage",
    "error_class",
    "error_message",
    "attempts",
    "permanent",
    "original_topic",
    "original_partition",
    "original_offset",
    "failed_at",
}


def blob(name: str = "original.pdf") -> BlobRef:
    return BlobRef(url=f"file:///blobs/acme/{name}", sha256="a" * 64, size=1234)


def received(document_id: str = "doc-1", **metadata: Any) -> DocumentReceived:
    return DocumentReceived(
        document_id=document_id,
        tenant="acme",
        content=blob(),
        filename="contract.pdf",
        media_type="application/pdf",
        metadata=metadata,
        received_at=datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC),
    )


def extracted(document_id: str = "doc-1", page_count: int = 3) -> ExtractionCompleted:
    return ExtractionCompleted(
        document_id=document_id,
        tenant="acme",
        content=blob(),
        extraction=blob("extraction.json"),
        media_type="application/pdf",
        page_count=page_count,
        cost=Cost(backend="local"),
    )


def input_record(
    data: EventData | None = None, *, event_id: str = "evt-1", traceparent: str | None = TRACEPARENT
) -> KafkaRecord:
    envelope = Envelope[EventData].wrap(
        data or received(), id=event_id, source="/docflow/ingest", traceparent=traceparent
    )
    return to_kafka(envelope)


def input_event(record: KafkaRecord | None = None) -> Envelope[EventData]:
    record = record or input_record()
    return from_kafka(record.key, record.value, record.headers)


def consumed(
    record: KafkaRecord | None = None, *, partition: int = 2, offset: int = 41
) -> Consumed:
    record = record or input_record()
    return Consumed(
        topic=INPUT_TOPIC,
        partition=partition,
        offset=offset,
        key=record.key,
        value=record.value,
        headers=list(record.headers),
        timestamp=1_700_000_000.0,
    )


def dlq_headers(record: KafkaRecord) -> dict[str, str]:
    return {
        name.removeprefix(DLQ_HEADER_PREFIX): value.decode()
        for name, value in record.headers
        if name.startswith(DLQ_HEADER_PREFIX)
    }


def decoded(record: KafkaRecord) -> Envelope[EventData]:
    return from_kafka(record.key, record.value, record.headers)


# -- output ids -------------------------------------------------------------------------


def test_output_id_is_deterministic_and_a_uuid() -> None:
    first = output_id("evt-1", "extract", 0)
    assert first == output_id("evt-1", "extract", 0)
    assert uuid.UUID(first).version == 5


def test_output_id_differs_by_input_stage_and_index() -> None:
    ids = {
        output_id(input_id, stage, index)
        for input_id in ("evt-1", "evt-2")
        for stage in ("extract", "validate")
        for index in (0, 1, "failed")
    }
    assert len(ids) == 12


# -- outputs ----------------------------------------------------------------------------


def test_outputs_decode_with_derived_ids_trace_and_subject() -> None:
    event = input_event()
    sent = outputs("extract", event, [extracted(page_count=1), extracted(page_count=2)], "")
    assert [out.topic for out in sent] == ["docflow.extraction.completed"] * 2
    for index, out in enumerate(sent):
        envelope = decoded(out.record)
        assert envelope.id == output_id("evt-1", "extract", index)
        assert envelope.source == "/docflow/extract"
        assert envelope.type == ExtractionCompleted.event_type
        assert envelope.subject == "doc-1"
        assert envelope.tenant == "acme"
        assert out.record.key == b"doc-1"
        assert envelope.traceparent is not None
        assert trace_id(envelope.traceparent) == TRACE_ID
        assert envelope.traceparent != TRACEPARENT, "a new span of the same trace"
        assert isinstance(envelope.data, ExtractionCompleted)
        assert envelope.data.page_count == index + 1


def test_outputs_belong_to_the_run_of_their_input() -> None:
    second_run = input_event(input_record(received().model_copy(update={"run": 2})))
    sent = outputs("extract", second_run, [extracted(), extracted()], "")
    assert [decoded(out.record).data.run for out in sent] == [2, 2]


def test_outputs_carry_the_timings_of_the_run_with_this_stages_added() -> None:
    earlier = received().model_copy(update={"timings": {"extract": 0.5}})
    [out] = outputs("validate", input_event(input_record(earlier)), [extracted()], "", seconds=0.25)
    assert decoded(out.record).data.timings == {"extract": 0.5, "validate": 0.25}


def test_an_output_about_another_document_starts_its_own_run() -> None:
    parent = received().model_copy(update={"run": 2, "timings": {"ingest": 0.1}})
    child = received("doc-2").model_copy(update={"parent_id": "doc-1"})
    sent = outputs("extract", input_event(input_record(parent)), [extracted(), child], "",
                   seconds=0.25)  # fmt: skip
    own, other = (decoded(out.record).data for out in sent)
    assert (own.run, own.timings) == (2, {"ingest": 0.1, "extract": 0.25})
    assert (other.document_id, other.run, other.timings) == ("doc-2", 1, {})
    assert decoded(sent[1].record).subject == "doc-2"


def test_a_failure_belongs_to_the_run_of_the_failed_event() -> None:
    record = input_record(received().model_copy(update={"run": 3}))
    _, failure = dead_letters("extract", consumed(record), PermanentError("bad"), attempts=1,
                              permanent=True, prefix="")  # fmt: skip
    assert decoded(failure.record).data.run == 3
    undecodable = KafkaRecord(key=b"doc-1", value=b"not json", headers=list(record.headers))
    _, failure = dead_letters("extract", consumed(undecodable), PermanentError("bad"),
                              attempts=1, permanent=True, prefix="")  # fmt: skip
    assert decoded(failure.record).data.run == 1


def test_outputs_go_to_the_prefixed_model_topic() -> None:
    sent = outputs("extract", input_event(), [extracted(), received("doc-2")], "staging.")
    assert [out.topic for out in sent] == [
        "staging.docflow.extraction.completed",
        "staging.docflow.document.received",
    ]
    assert decoded(sent[1].record).subject == "doc-2"


def test_a_redelivered_input_yields_the_same_output_ids() -> None:
    event = input_event()
    first = outputs("extract", event, [extracted(), extracted()], "")
    again = outputs("extract", event, [extracted(), extracted()], "")
    assert [decoded(o.record).id for o in first] == [decoded(o.record).id for o in again]
    assert len({decoded(o.record).id for o in first}) == 2


def test_outputs_of_different_stages_for_one_input_have_different_ids() -> None:
    event = input_event()
    (extract,) = outputs("extract", event, [extracted()], "")
    (validate,) = outputs("validate", event, [extracted()], "")
    assert decoded(extract.record).id != decoded(validate.record).id


def test_input_without_trace_starts_a_new_trace() -> None:
    event = input_event(input_record(traceparent=None))
    (out,) = outputs("extract", event, [extracted()], "")
    traceparent = decoded(out.record).traceparent
    assert traceparent is not None
    assert is_valid(traceparent)


def test_no_data_no_outputs() -> None:
    assert outputs("extract", input_event(), [], "staging.") == []


def test_an_oversize_output_is_a_permanent_error() -> None:
    huge = received(notes="x" * (MAX_OUTPUT_BYTES + 1))
    with pytest.raises(PermanentError, match="blob store"):
        outputs("extract", input_event(), [huge], "")


def test_the_size_cap_counts_value_and_headers() -> None:
    (small,) = outputs("extract", input_event(), [received(notes="")], "")
    overhead = len(small.record.value) + sum(len(k) + len(v) for k, v in small.record.headers)
    # Headers vary by a few bytes (time, span id), hence the margin around the cap.
    fits = received(notes="x" * (MAX_OUTPUT_BYTES - overhead - 64))
    (out,) = outputs("extract", input_event(), [fits], "")
    assert len(out.record.value) < MAX_OUTPUT_BYTES
    too_big = received(notes="x" * (MAX_OUTPUT_BYTES - overhead + 64))
    with pytest.raises(PermanentError, match=str(MAX_OUTPUT_BYTES)):
        outputs("extract", input_event(), [too_big], "")


@pytest.mark.parametrize("value", [math.inf, math.nan])
def test_an_output_with_a_number_json_cannot_hold_is_a_permanent_error(value: float) -> None:
    data: list[EventData] = [extracted(), extracted().model_copy(update={"handler_seconds": value})]
    with pytest.raises(NonFiniteNumberError, match="ExtractionCompleted field handler_seconds"):
        outputs("extract", input_event(), data, "")


def test_a_number_json_cannot_hold_is_found_in_nested_fields() -> None:
    item = extracted().model_copy(update={"cost": Cost(backend="paid", usd=math.inf)})
    with pytest.raises(PermanentError, match=r"field cost\.usd is inf, not a finite number"):
        outputs("extract", input_event(), [item], "")


def test_one_oversize_output_fails_the_whole_batch() -> None:
    data: list[EventData] = [extracted(), received(notes="x" * (MAX_OUTPUT_BYTES + 1))]
    with pytest.raises(PermanentError):
        outputs("extract", input_event(), data, "")


# -- dead letters -----------------------------------------------------------------------


def test_dead_letter_keeps_the_original_message() -> None:
    message = consumed()
    sent = dead_letters(
        "extract", message, PermanentError("unsupported"), attempts=1, permanent=True, prefix=""
    )
    letter = sent[0]
    assert letter.topic == "docflow.dlq.extract"
    assert letter.record.key == message.key
    assert letter.record.value == message.value
    assert any(name == "ce_id" for name, _ in message.headers), "the input is a CloudEvent"
    assert letter.record.headers[: len(message.headers)] == message.headers
    added = letter.record.headers[len(message.headers) :]
    assert all(name.startswith(DLQ_HEADER_PREFIX) for name, _ in added)
    assert len(added) == len(DLQ_HEADERS)


def test_dead_letter_adds_every_failure_header() -> None:
    before = datetime.now(UTC)
    sent = dead_letters(
        "extract",
        consumed(partition=2, offset=41),
        PermanentError("unsupported format: image/x-foo"),
        attempts=1,
        permanent=True,
        prefix="staging.",
    )
    headers = dlq_headers(sent[0].record)
    assert set(headers) == DLQ_HEADERS
    failed_at = datetime.fromisoformat(headers.pop("failed_at"))
    assert before <= failed_at <= datetime.now(UTC)
    assert headers == {
        "stage": "extract",
        "error_class": "PermanentError",
        "error_message": "unsupported format: image/x-foo",
        "attempts": "1",
        "permanent": "true",
        "original_topic": INPUT_TOPIC,
        "original_partition": "2",
        "original_offset": "41",
    }
    assert sent[0].topic == "staging.docflow.dlq.extract"


def test_dead_letter_of_a_transient_failure_says_so() -> None:
    sent = dead_letters(
        "enrich",
        consumed(),
        TransientError("503 from the model endpoint"),
        attempts=5,
        permanent=False,
        prefix="",
    )
    headers = dlq_headers(sent[0].record)
    assert (headers["attempts"], headers["permanent"]) == ("5", "false")
    assert headers["error_class"] == "TransientError"


def test_error_class_is_the_qualified_name() -> None:
    class Parser:
        class BrokenTableError(Exception):
            pass

    sent = dead_letters(
        "extract", consumed(), Parser.BrokenTableError("x"), attempts=2, permanent=False, prefix=""
    )
    error_class = dlq_headers(sent[0].record)["error_class"]
    assert error_class.endswith("Parser.BrokenTableError")


def test_failure_event_describes_the_failure() -> None:
    message = consumed(partition=2, offset=41)
    before = datetime.now(UTC) - timedelta(seconds=1)
    sent = dead_letters(
        "extract",
        message,
        PermanentError("unsupported format"),
        attempts=1,
        permanent=True,
        prefix="staging.",
    )
    assert len(sent) == 2
    failed = sent[1]
    assert failed.topic == "staging.docflow.document.failed"
    envelope = decoded(failed.record)
    assert envelope.type == DocumentFailed.event_type
    assert envelope.id == final_notice_id("acme", "doc-1", 1, "failed")
    assert envelope.source == "/docflow/extract"
    assert envelope.subject == "doc-1"
    assert failed.record.key == b"doc-1"
    assert envelope.tenant == "acme"
    assert envelope.traceparent is not None
    assert trace_id(envelope.traceparent) == TRACE_ID
    data = envelope.data
    assert isinstance(data, DocumentFailed)
    assert data.document_id == "doc-1"
    assert data.tenant == "acme"
    assert data.stage == "extract"
    assert data.error_class == "PermanentError"
    assert data.reason == "unsupported format"
    assert data.permanent is True
    assert data.attempts == 1
    assert data.dead_letter_topic == "staging.docflow.dlq.extract"
    assert (data.source_topic, data.source_partition, data.source_offset) == (INPUT_TOPIC, 2, 41)
    assert before <= data.failed_at <= datetime.now(UTC)


def test_failure_event_id_is_stable_across_redeliveries() -> None:
    def failed_id() -> str:
        sent = dead_letters(
            "extract", consumed(), ValueError("boom"), attempts=3, permanent=False, prefix=""
        )
        return decoded(sent[1].record).id

    assert failed_id() == failed_id()


def test_failure_event_of_an_undecodable_message_uses_key_and_coordinates() -> None:
    """A message that is not a CloudEvent still has a document id in its key."""
    message = Consumed(
        topic=INPUT_TOPIC,
        partition=0,
        offset=7,
        key=b"doc-9",
        value=b"not json",
        headers=[],
        timestamp=None,
    )
    sent = dead_letters(
        "extract", message, ValueError("bad"), attempts=1, permanent=True, prefix=""
    )
    assert len(sent) == 2
    envelope = decoded(sent[1].record)
    assert envelope.subject == "doc-9"
    assert envelope.tenant == "unknown"
    assert envelope.id == final_notice_id("unknown", "doc-9", 1, "failed")
    assert envelope.traceparent is not None
    assert is_valid(envelope.traceparent)


def test_document_id_falls_back_to_the_subject_header() -> None:
    record = input_record(received("doc-from-subject"))
    message = Consumed(
        topic=INPUT_TOPIC,
        partition=0,
        offset=1,
        key=b"",
        value=record.value,
        headers=list(record.headers),
        timestamp=None,
    )
    sent = dead_letters("extract", message, ValueError("x"), attempts=1, permanent=True, prefix="")
    assert len(sent) == 2
    failed = decoded(sent[1].record).data
    assert isinstance(failed, DocumentFailed)
    assert failed.document_id == "doc-from-subject"


@pytest.mark.parametrize("key", [b"", None])
def test_a_message_naming_no_document_yields_only_the_dead_letter(key: bytes | None) -> None:
    message = Consumed(
        topic=INPUT_TOPIC,
        partition=1,
        offset=3,
        key=key,
        value=None,
        headers=[("origin", b"unknown")],
        timestamp=None,
    )
    sent = dead_letters("extract", message, ValueError("x"), attempts=1, permanent=True, prefix="")
    assert len(sent) == 1
    (letter,) = sent
    assert letter.topic == "docflow.dlq.extract"
    assert (letter.record.key, letter.record.value) == (b"", b"")
    assert letter.record.headers[0] == ("origin", b"unknown")
    assert set(dlq_headers(letter.record)) == DLQ_HEADERS


def test_error_messages_are_truncated_to_1000_characters_with_an_ellipsis() -> None:
    sent = dead_letters(
        "extract", consumed(), PermanentError("e" * 5000), attempts=1, permanent=True, prefix=""
    )
    assert dlq_headers(sent[0].record)["error_message"] == "e" * 999 + "\u2026"
    failed = decoded(sent[1].record).data
    assert isinstance(failed, DocumentFailed)
    assert failed.reason == "e" * 999 + "\u2026"


def test_a_message_of_exactly_1000_characters_is_kept_whole() -> None:
    sent = dead_letters(
        "extract", consumed(), PermanentError("e" * 1000), attempts=1, permanent=True, prefix=""
    )
    assert dlq_headers(sent[0].record)["error_message"] == "e" * 1000


def test_a_reason_is_one_line() -> None:
    error = PermanentError("2 validation errors\r\nfield\n  Input should be\ta number\x00\u2028end")
    sent = dead_letters("extract", consumed(), error, attempts=1, permanent=True, prefix="")
    expected = "2 validation errors field Input should be a number end"
    assert dlq_headers(sent[0].record)["error_message"] == expected
    failed = decoded(sent[1].record).data
    assert isinstance(failed, DocumentFailed)
    assert failed.reason == expected


def test_line_breaks_do_not_count_against_the_bound() -> None:
    error = PermanentError("\n".join(["e" * 9] * 100))
    sent = dead_letters("extract", consumed(), error, attempts=1, permanent=True, prefix="")
    assert dlq_headers(sent[0].record)["error_message"] == " ".join(["e" * 9] * 100)


def test_non_ascii_error_messages_survive() -> None:
    sent = dead_letters(
        "extract",
        consumed(),
        PermanentError("Vertrag für Müller: Straße ungültig"),
        attempts=1,
        permanent=True,
        prefix="",
    )
    assert dlq_headers(sent[0].record)["error_message"] == "Vertrag für Müller: Straße ungültig"


def test_an_error_message_with_a_lone_surrogate_still_dead_letters() -> None:
    name = b"scan-\xff.pdf".decode(errors="surrogateescape")
    sent = dead_letters(
        "extract",
        consumed(),
        PermanentError(f"cannot open {name}"),
        attempts=1,
        permanent=True,
        prefix="",
    )
    assert sent[0].topic == "docflow.dlq.extract"


# -- the consumed snapshot --------------------------------------------------------------


def test_header_lookup_is_case_insensitive_on_names_and_last_wins() -> None:
    message = Consumed(
        topic="t",
        partition=0,
        offset=0,
        key=None,
        value=None,
        headers=[("CE_ID", b"first"), ("ce_id", b"second"), ("other", b"\xff")],
        timestamp=None,
    )
    assert message.header("ce_id") == "second"
    assert message.header("other") == "\ufffd"
    assert message.header("missing") is None
    assert message.ref == "t/0/0"


def test_consumed_copies_a_client_message() -> None:
    message = Message(
        topic=INPUT_TOPIC,
        partition=4,
        offset=99,
        key=b"doc-1",
        value=b"{}",
        headers=[("ce_id", b"evt-1"), ("empty", None), ("text", "plain")],
        timestamp=(1, 1_700_000_000_123),
    )
    snapshot = Consumed.of(message)
    assert (snapshot.topic, snapshot.partition, snapshot.offset) == (INPUT_TOPIC, 4, 99)
    assert (snapshot.key, snapshot.value) == (b"doc-1", b"{}")
    assert snapshot.headers == [("ce_id", b"evt-1"), ("empty", b""), ("text", b"plain")]
    assert snapshot.timestamp == pytest.approx(1_700_000_000.123)
    assert snapshot.ref == f"{INPUT_TOPIC}/4/99"


def test_consumed_of_a_message_without_timestamp_or_headers() -> None:
    snapshot = Consumed.of(Message(topic="t", partition=0, offset=0, key=None, value=b"v"))
    assert snapshot.timestamp is None
    assert snapshot.headers == []
    assert snapshot.key is None


def test_a_failure_event_that_fails_again_is_dead_lettered_without_a_new_failure() -> None:
    failed = DocumentFailed(
        document_id="doc-1",
        tenant="acme",
        stage="extract",
        error_class="PermanentError",
        reason="bad",
        permanent=True,
        attempts=1,
        dead_letter_topic="docflow.dlq.extract",
        source_topic="docflow.document.received",
        source_partition=0,
        source_offset=1,
        failed_at=datetime.now(UTC),
    )
    record = to_kafka(Envelope.wrap(failed, id="f-1", source="/docflow/extract"))
    message = Consumed("docflow.document.failed", 0, 3, record.key, record.value,
                       record.headers, None)  # fmt: skip
    sent = dead_letters("tracker", message, PermanentError("db down"), attempts=5,
                        permanent=False, prefix="")  # fmt: skip
    assert [out.topic for out in sent] == ["docflow.dlq.tracker"]


def stored(run: int = 1) -> DocumentStored:
    return DocumentStored(document_id="doc-1", tenant="acme", run=run, store="sqlite",
                          stored_at=datetime(2026, 12, 1, tzinfo=UTC))  # fmt: skip


def test_two_flows_of_one_run_announce_it_stored_under_one_id() -> None:
    # A re-drive racing a slow original: two different inputs, one run, one notice.
    original = input_event(input_record(received(), event_id="evt-1"))
    redriven = input_event(input_record(received(), event_id="evt-redriven"))
    (first,) = outputs("store", original, [stored()], "")
    (second,) = outputs("store", redriven, [stored()], "")
    assert decoded(first.record).id == decoded(second.record).id
    assert decoded(first.record).id == final_notice_id("acme", "doc-1", 1, "stored")


def test_each_run_is_announced_under_its_own_id() -> None:
    event = input_event(input_record(received().model_copy(update={"run": 2})))
    (later,) = outputs("store", event, [stored()], "")
    assert decoded(later.record).id == final_notice_id("acme", "doc-1", 2, "stored")
    assert decoded(later.record).id != final_notice_id("acme", "doc-1", 1, "stored")


def test_two_flows_of_one_run_that_fail_give_one_failure_notice() -> None:
    failures = [
        dead_letters("enrich", consumed(input_record(event_id=event_id), offset=offset),
                     PermanentError("bad"), attempts=1, permanent=True, prefix="")[1]
        for event_id, offset in (("evt-1", 41), ("evt-redriven", 97))
    ]  # fmt: skip
    ids = {decoded(failure.record).id for failure in failures}
    assert ids == {final_notice_id("acme", "doc-1", 1, "failed")}

"""Failures on a real broker: dead letters for what cannot succeed, retries for what may."""

from docflow_events import Topic, dead_letter_topic, from_kafka
from docflow_events.v1 import DocumentFailed
from docflow_runtime import metrics
from docflow_testing.flow import STAGE, Flow
from docflow_testing.passthrough import PassThrough


def test_permanent_errors_go_to_the_dead_letter_topic_and_the_rest_flows_on(flow: Flow) -> None:
    sent = flow.produce(100, metadata=lambda i: {"fail": "permanent"} if i % 10 == 3 else {})
    bad = {s.event_id: s for s in sent if int(s.document_id.split("-")[1]) % 10 == 3}
    with flow.worker():
        outputs = flow.output_ids(expected=90)
        letters = flow.read(dead_letter_topic(STAGE), expected=10)
        failures = flow.read(Topic.DOCUMENT_FAILED, expected=10)
    assert set(outputs) == {s.output_id for s in sent if s.event_id not in bad}
    assert len(letters) == 10
    source_topic = flow.topic(Topic.DOCUMENT_RECEIVED).encode()
    for letter in letters:
        original = bad[(letter.header("ce_id") or b"").decode()]
        assert letter.key == original.document_id.encode()
        assert letter.header("ce_type") == b"io.docflow.document.received.v1"
        assert letter.header("docflow_dlq_stage") == STAGE.encode()
        assert letter.header("docflow_dlq_error_class") == b"PermanentError"
        assert letter.header("docflow_dlq_error_message") == b"asked to fail permanently"
        assert letter.header("docflow_dlq_attempts") == b"1"
        assert letter.header("docflow_dlq_permanent") == b"true"
        assert letter.header("docflow_dlq_original_topic") == source_topic
        assert letter.header("docflow_dlq_original_partition") == str(original.partition).encode()
        assert letter.header("docflow_dlq_original_offset") == str(original.offset).encode()
        assert from_kafka(letter.key, letter.value, list(letter.headers)).id == original.event_id
    failed = [from_kafka(m.key, m.value, list(m.headers)).data for m in failures]
    assert all(isinstance(f, DocumentFailed) for f in failed)
    assert {f.document_id for f in failed} == {s.document_id for s in bad.values()}
    reasons = {(f.stage, f.reason, f.permanent) for f in failed if isinstance(f, DocumentFailed)}
    assert reasons == {(STAGE, "asked to fail permanently", True)}


def test_transient_errors_are_retried_with_backoff_then_succeed(flow: Flow) -> None:
    sent = flow.produce(20, metadata=lambda _: {"transient_failures": 2})
    retries = metrics.RETRIES.labels(STAGE)._value.get()
    stage = PassThrough(flow.settings())
    # Every event failing at once looks like an outage; here the retries alone are under test.
    no_breaker = {"breaker_min_failures": 1000}
    with flow.worker(stage, retry_max_attempts=3, retry_initial_backoff_seconds=0.2, **no_breaker):
        outputs = flow.output_ids(expected=20)
        assert set(outputs) == {s.output_id for s in sent}
    for attempts in (stage.attempts(s.event_id) for s in sent):
        assert len(attempts) == 3
        # Equal jitter: the n-th wait is at least half of 0.2 * 2 ** (n - 1).
        assert attempts[1] - attempts[0] >= 0.1
        assert attempts[2] - attempts[1] >= 0.2
    assert metrics.RETRIES.labels(STAGE)._value.get() - retries == 40
    assert flow.read(dead_letter_topic(STAGE), expected=None, timeout=3) == []


def test_exhausted_retries_are_dead_lettered_as_not_permanent(flow: Flow) -> None:
    [sent] = flow.produce(1, metadata=lambda _: {"transient_failures": 99})
    stage = PassThrough(flow.settings())
    with flow.worker(stage, retry_max_attempts=3):
        [letter] = flow.read(dead_letter_topic(STAGE), expected=1)
        [failure] = flow.read(Topic.DOCUMENT_FAILED, expected=1)
    assert len(stage.attempts(sent.event_id)) == 3
    assert letter.header("docflow_dlq_attempts") == b"3"
    assert letter.header("docflow_dlq_permanent") == b"false"
    assert letter.header("docflow_dlq_error_class") == b"TransientError"
    data = from_kafka(failure.key, failure.value, list(failure.headers)).data
    assert isinstance(data, DocumentFailed)
    assert (data.document_id, data.permanent, data.attempts) == (sent.document_id, False, 3)

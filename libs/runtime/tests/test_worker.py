"""The worker's fault paths, driven with an in-memory consumer and producer.

The real-broker tests (tests/integration) prove delivery end to end; these prove what is hard
to provoke on a broker: a held event that blocks a partition, a second stop, a handler still
running at shutdown, a producer queue that never drains, a Retry-After of an hour, a backend
outage.
"""

import threading
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, ClassVar, cast

import pytest
from confluent_kafka import Consumer, Producer

from docflow_events import Envelope, EventData, Topic, dead_letter_topic
from docflow_events.v1 import BlobRef, Cost, DocumentReceived, ExtractionCompleted
from docflow_runtime import metrics, worker
from docflow_runtime.errors import TransientError
from docflow_runtime.settings import RuntimeSettings
from docflow_runtime.stage import Stage
from docflow_runtime.worker import Worker
from docflow_testing.fake_kafka import FakeConsumer, FakeProducer
from docflow_testing.running import running

NAME = "gated"
OUTPUT = Topic.EXTRACTION_COMPLETED
LETTERS = dead_letter_topic(NAME)


class Gated(Stage):
    """Passes document.received on as extraction.completed; a test decides what each call does:
    wait at a gate, fail transiently (``down``), or ask for a long wait (``retry_after``)."""

    name: ClassVar[str] = NAME
    inputs: ClassVar[tuple[str, ...]] = (Topic.DOCUMENT_RECEIVED,)

    def __init__(self) -> None:
        self.gates: dict[str, threading.Event] = {}
        self.down = False
        self.retry_after: dict[str, float] = {}
        self.poison: set[str] = set()
        self.calls: list[str] = []
        self.running = 0
        self.closed_while_running: int | None = None
        self._lock = threading.Lock()

    def handle(self, event: Envelope[EventData]) -> Sequence[EventData]:
        data = event.data
        assert isinstance(data, DocumentReceived)
        with self._lock:
            self.calls.append(data.document_id)
            self.running += 1
        try:
            return self._behave(data)
        finally:
            with self._lock:
                self.running -= 1

    def close(self) -> None:
        self.closed_while_running = self.running

    def _behave(self, data: DocumentReceived) -> list[EventData]:
        gate = self.gates.get(data.document_id)
        if gate is not None:
            gate.wait(30)
        wait = self.retry_after.pop(data.document_id, None)
        if wait is not None:
            raise TransientError("slow down", retry_after=wait)
        if self.down or data.document_id in self.poison:
            raise TransientError("backend unavailable")
        return [_completed(data)]


def _completed(data: DocumentReceived) -> ExtractionCompleted:
    return ExtractionCompleted(
        document_id=data.document_id, tenant=data.tenant, content=data.content,
        extraction=data.content, media_type=data.media_type, page_count=1,
        cost=Cost(backend="test"),
    )  # fmt: skip


def received(document_id: str) -> Envelope[EventData]:
    data = DocumentReceived(
        document_id=document_id, tenant="acme",
        content=BlobRef(url=f"file:///blobs/{document_id}", sha256="0" * 64, size=1),
        media_type="application/pdf", received_at=datetime.now(UTC),
    )  # fmt: skip
    return Envelope.wrap(data, id=str(uuid.uuid4()), source="/tests")


def settings(**overrides: Any) -> RuntimeSettings:
    values: dict[str, Any] = {
        "health_host": "127.0.0.1", "health_port": 0, "log_level": "WARNING",
        "retry_initial_backoff_seconds": 0.02, "retry_max_backoff_seconds": 0.05,
        "shutdown_timeout_seconds": 20,
    }  # fmt: skip
    return RuntimeSettings(**(values | overrides))


def make_worker(
    stage: Stage, consumer: FakeConsumer, producer: FakeProducer, **overrides: Any
) -> Worker:
    return Worker(stage, settings(**overrides), consumer=cast(Consumer, consumer),
                  producer=cast(Producer, producer))  # fmt: skip


def feed(consumer: FakeConsumer, count: int, partitions: int = 1) -> list[str]:
    ids = [f"doc-{number}" for number in range(count)]
    for number, document_id in enumerate(ids):
        consumer.append(received(document_id), partition=number % partitions)
    return ids


def wait_until(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out after {timeout}s waiting for {what}"
        time.sleep(0.01)


@contextmanager
def in_thread(target: Worker) -> Iterator[list[BaseException]]:
    """The worker on a thread; yields the list its exception lands in. Joined on exit."""
    failures: list[BaseException] = []

    def run() -> None:
        try:
            target.run()
        except BaseException as exc:  # the test reads it
            failures.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        yield failures
    finally:
        target.abort()
        thread.join(30)
        assert not thread.is_alive()


@pytest.fixture
def stage() -> Gated:
    return Gated()


@pytest.fixture
def consumer() -> FakeConsumer:
    return FakeConsumer(Topic.DOCUMENT_RECEIVED)


@pytest.fixture
def producer() -> FakeProducer:
    return FakeProducer()


def test_held_events_never_exceed_max_pending(
    stage: Gated, consumer: FakeConsumer, producer: FakeProducer
) -> None:
    stage.gates["doc-0"] = threading.Event()
    feed(consumer, 200)
    with running(make_worker(stage, consumer, producer, max_in_flight=4, max_pending=8)):
        wait_until(lambda: len(producer.produced) >= 7, 10, "the events behind the slow one")
        time.sleep(0.3)  # were it to fetch on, it would have by now
        assert consumer.fetched() == 8
        assert consumer.max_held <= 8
        stage.gates["doc-0"].set()
        wait_until(lambda: consumer.stored.get(0) == 200, 20, "every offset stored")
    assert consumer.max_held <= 8
    assert producer.topics().count(OUTPUT) == 200


@contextmanager
def handling_a_blocked_event(
    stage: Gated, consumer: FakeConsumer, producer: FakeProducer
) -> Iterator[tuple[Worker, list[BaseException]]]:
    """A worker whose one event's handler waits at its gate; the gate opens after the block."""
    stage.gates["doc-0"] = threading.Event()
    feed(consumer, 1)
    subject = make_worker(stage, consumer, producer)
    try:
        with in_thread(subject) as failures:
            wait_until(lambda: stage.running == 1, 10, "the handler to start")
            yield subject, failures
    finally:
        stage.gates["doc-0"].set()


def test_a_second_stop_gives_up_waiting_and_leaves_the_event_uncommitted(
    stage: Gated, consumer: FakeConsumer, producer: FakeProducer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(worker, "_HANDLER_GRACE", 0.2)
    with handling_a_blocked_event(stage, consumer, producer) as (subject, failures):
        subject.stop()
        time.sleep(0.5)
        assert not consumer.closed, "the first stop waits for the held event"
        started = time.monotonic()
        subject.abort()
        wait_until(lambda: consumer.closed, 5, "the worker to stop")
        assert time.monotonic() - started < 2
    assert not failures
    assert consumer.stored.get(0, 0) == 0, "an unfinished event is not committed"


def test_shutdown_closes_the_stage_only_after_its_handlers_returned(
    stage: Gated, consumer: FakeConsumer, producer: FakeProducer
) -> None:
    with handling_a_blocked_event(stage, consumer, producer) as (subject, _):
        subject.abort()
        time.sleep(0.3)
        stage.gates["doc-0"].set()
        wait_until(lambda: consumer.closed, 10, "the worker to stop")
    assert stage.closed_while_running == 0


def test_a_handler_that_never_returns_leaves_the_stage_open(
    stage: Gated, consumer: FakeConsumer, producer: FakeProducer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(worker, "_HANDLER_GRACE", 0.2)
    with handling_a_blocked_event(stage, consumer, producer) as (subject, _):
        subject.abort()
        wait_until(lambda: consumer.closed, 10, "the worker to stop")
        assert stage.closed_while_running is None, "not closed under a running call"


def test_a_producer_queue_that_stays_full_fails_the_worker_within_the_delivery_timeout(
    stage: Gated, consumer: FakeConsumer, producer: FakeProducer
) -> None:
    producer.full = True
    feed(consumer, 1)
    subject = make_worker(stage, consumer, producer, kafka={"delivery_timeout_seconds": 0.3})
    started = time.monotonic()
    with in_thread(subject) as failures:
        wait_until(lambda: bool(failures), 10, "the worker to fail")
    assert time.monotonic() - started < 5
    assert "the producer queue stayed full for 0.3s" in str(failures[0])
    assert consumer.stored.get(0, 0) == 0


def test_a_retry_after_is_capped_by_the_maximum_backoff(
    stage: Gated, consumer: FakeConsumer, producer: FakeProducer
) -> None:
    stage.retry_after["doc-0"] = 3600.0
    feed(consumer, 1)
    started = time.monotonic()
    with running(make_worker(stage, consumer, producer, retry_max_backoff_seconds=0.1)):
        wait_until(lambda: OUTPUT in producer.topics(), 5, "the retried event's output")
    assert time.monotonic() - started < 3
    assert stage.calls == ["doc-0", "doc-0"]


def test_an_outage_opens_the_breaker_and_the_backlog_waits_instead_of_dead_lettering(
    stage: Gated, producer: FakeProducer
) -> None:
    stage.down = True
    consumer = FakeConsumer(Topic.DOCUMENT_RECEIVED, partitions=3)
    feed(consumer, 60, partitions=3)
    options = {"max_in_flight": 8, "max_pending": 16, "retry_max_attempts": 3,
               "breaker_window": 10, "breaker_min_failures": 3,
               "breaker_cooldown_seconds": 0.2}  # fmt: skip
    with running(make_worker(stage, consumer, producer, **options)):
        wait_until(lambda: metrics.CIRCUIT_OPEN.labels(NAME)._value.get() == 1, 10, "opening")
        time.sleep(1.0)  # with the old worker, every held event would be dead-lettered by now
        assert LETTERS not in producer.topics()
        assert consumer.fetched() <= 16, "fetching paused: the backlog waits in Kafka"
        probes = len(stage.calls)
        time.sleep(0.5)
        assert len(stage.calls) - probes <= 4, "one probe per cool-down, not every event"
        stage.down = False
        wait_until(lambda: producer.topics().count(OUTPUT) == 60, 20, "every event handled")
    assert LETTERS not in producer.topics()
    assert metrics.CIRCUIT_OPEN.labels(NAME)._value.get() == 0


def test_one_event_that_keeps_failing_is_dead_lettered_without_opening_the_breaker(
    stage: Gated, consumer: FakeConsumer, producer: FakeProducer
) -> None:
    stage.poison.add("doc-3")
    feed(consumer, 20)
    options = {"retry_max_attempts": 3, "breaker_min_failures": 3}
    with running(make_worker(stage, consumer, producer, **options)):
        wait_until(lambda: LETTERS in producer.topics(), 10, "the dead letter")
        wait_until(lambda: producer.topics().count(OUTPUT) == 19, 10, "the other outputs")
    assert stage.calls.count("doc-3") == 3
    assert metrics.CIRCUIT_OPEN.labels(NAME)._value.get() == 0

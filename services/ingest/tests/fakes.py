"""Test doubles: an in-memory publisher, and a Kafka producer that fails on demand."""

import threading
from dataclasses import dataclass, field
from typing import Any

from confluent_kafka import KafkaError, KafkaException
from confluent_kafka._types import DeliveryCallback

from docflow_events import Envelope
from docflow_ingest.core.publisher import MessageTooLargeError, Publisher, PublishError


class MemoryPublisher(Publisher):
    """Keeps what it was given; ``refuse`` makes it behave like an unreachable broker,
    ``too_large`` like a broker whose message size limit is lower than ingest's."""

    def __init__(self) -> None:
        self.published: list[Envelope[Any]] = []
        self.refuse = False
        self.too_large = False
        self.closed = False

    async def publish(self, envelope: Envelope[Any]) -> None:
        if self.refuse:
            raise PublishError("the broker did not acknowledge the event in time")
        if self.too_large:
            raise MessageTooLargeError("Broker: Message size too large")
        self.published.append(envelope)

    def readiness(self, timeout: float) -> tuple[bool, str]:
        return (not self.refuse, "refusing" if self.refuse else "a broker answered")

    def close(self) -> None:
        self.closed = True


@dataclass
class _Topic:
    error: KafkaError | None = None


@dataclass
class _Metadata:
    topics: dict[str, _Topic]


class FakeProducer:
    """Delivers on ``poll``, with ``delivery_error`` if set; ``produce_error`` makes produce
    raise. ``fatal`` makes the next poll with messages pending raise that error, as
    confluent_kafka does, and leaves them pending; produce fails from then on, as it does on a
    producer that hit a fatal error. ``poll_error`` is raised once by ``poll``."""

    def __init__(self, topics: list[str]) -> None:
        self.topics = topics
        self.fatal: KafkaError | None = None
        self.delivery_error: KafkaError | None = None
        self.produce_error: KafkaError | None = None
        self.poll_error: Exception | None = None
        self._broken = False
        self._pending: list[DeliveryCallback] = []
        self._lock = threading.Lock()

    def produce(
        self, topic: str, *_message: Any, on_delivery: DeliveryCallback | None = None, **_: Any
    ) -> None:
        if self._broken:
            raise KafkaException(KafkaError(KafkaError._FATAL, "Local: Fatal error"))
        if self.produce_error is not None:
            raise KafkaException(self.produce_error)
        assert on_delivery is not None
        with self._lock:
            self._pending.append(on_delivery)

    def poll(self, timeout: float = -1) -> int:
        if self.poll_error is not None:
            raised, self.poll_error = self.poll_error, None
            raise raised
        # One decision per poll on what is pending then: a test sets its failure, then produces.
        with self._lock:
            if self._broken:
                return 0
            if self.fatal is not None and self._pending:
                self._broken = True
                raise KafkaException(self.fatal)
            delivered, self._pending = self._pending, []
            error = self.delivery_error
        return _report(delivered, error)

    def flush(self, timeout: float = -1) -> int:
        return len(self._pending)

    def purge(self, in_queue: bool = True, in_flight: bool = True, blocking: bool = True) -> None:
        with self._lock:
            purged, self._pending = self._pending, []
        _report(purged, KafkaError(KafkaError._PURGE_QUEUE, "Local: Purged in queue"))

    def list_topics(self, topic: str | None = None, timeout: float = -1) -> Any:
        return _Metadata({name: _Topic() for name in self.topics})


def _report(reports: list[DeliveryCallback], error: KafkaError | None) -> int:
    for report in reports:
        report(error, None)
    return len(reports)


@dataclass
class ProducerFactory:
    """Makes a :class:`FakeProducer` with ``topics`` on each call, and keeps them in order;
    raises ``error`` instead while it is set."""

    topics: list[str]
    made: list[FakeProducer] = field(default_factory=list)
    error: Exception | None = None

    def __call__(self, config: dict[str, Any]) -> FakeProducer:
        if self.error is not None:
            raise self.error
        producer = FakeProducer(self.topics)
        self.made.append(producer)
        return producer

"""An in-memory consumer and producer with the calls the stage runtime makes, for unit tests.

They let a test drive the worker's fault paths (a full producer queue, a held event, a backend
outage) in milliseconds and without a broker; the real-broker tests prove the same contract
against Kafka. One topic's partitions are assigned to the one consumer at its first fetch.
"""

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from confluent_kafka import TopicPartition

from docflow_events import Envelope, EventData, to_kafka

Headers = list[tuple[str, bytes]]


@dataclass(frozen=True)
class FakeMessage:
    """What a confluent-kafka ``Message`` answers, for a record without an error."""

    _topic: str
    _partition: int
    _offset: int
    _key: bytes | None
    _value: bytes | None
    _headers: Headers = field(default_factory=list)

    def error(self) -> None:
        return None

    def topic(self) -> str:
        return self._topic

    def partition(self) -> int:
        return self._partition

    def offset(self) -> int:
        return self._offset

    def key(self) -> bytes | None:
        return self._key

    def value(self) -> bytes | None:
        return self._value

    def headers(self) -> Headers:
        return list(self._headers)

    def timestamp(self) -> tuple[int, int]:
        return (0, 0)  # TIMESTAMP_NOT_AVAILABLE


class FakeConsumer:
    """Partitions of one topic; ``append`` adds records, the worker fetches them in order."""

    def __init__(self, topic: str, partitions: int = 1) -> None:
        self.topic = topic
        self._records: dict[int, list[FakeMessage]] = {p: [] for p in range(partitions)}
        self._fetched = dict.fromkeys(self._records, 0)
        self.stored: dict[int, int] = {}
        self.paused: set[int] = set()
        self.pauses = 0
        self.closed = False
        self.max_held = 0
        self._on_assign: Callable[..., Any] | None = None
        self._assigned = False
        self._lock = threading.Lock()

    def append(self, event: Envelope[EventData], partition: int = 0) -> None:
        record = to_kafka(event)
        with self._lock:
            offset = len(self._records[partition])
            message = FakeMessage(self.topic, partition, offset, record.key, record.value,
                                  list(record.headers))  # fmt: skip
            self._records[partition].append(message)

    def held(self) -> int:
        """Fetched records whose offsets are not stored yet."""
        with self._lock:
            return self._held()

    def fetched(self) -> int:
        with self._lock:
            return sum(self._fetched.values())

    # -- the calls the worker makes -------------------------------------------------------

    def subscribe(self, topics: list[str], **callbacks: Callable[..., Any]) -> None:
        assert topics == [self.topic], topics
        self._on_assign = callbacks.get("on_assign")

    def consume(self, num_messages: int = 1, timeout: float = -1) -> list[FakeMessage]:
        self._assign_once()
        with self._lock:
            batch = self._take(num_messages)
            self.max_held = max(self.max_held, self._held())
        if not batch:
            time.sleep(max(timeout, 0.0))
        return batch

    def assignment(self) -> list[TopicPartition]:
        return [TopicPartition(self.topic, p) for p in self._records]

    def pause(self, partitions: list[TopicPartition]) -> None:
        self.paused |= {tp.partition for tp in partitions}
        self.pauses += 1

    def resume(self, partitions: list[TopicPartition]) -> None:
        self.paused -= {tp.partition for tp in partitions}

    def store_offsets(self, offsets: list[TopicPartition]) -> None:
        with self._lock:
            self.stored.update({tp.partition: tp.offset for tp in offsets})

    def commit(self, asynchronous: bool = True) -> None:  # noqa: ARG002 - the client's signature
        return None

    def close(self) -> None:
        self.closed = True

    def _assign_once(self) -> None:
        if not self._assigned and self._on_assign is not None:
            self._assigned = True
            self._on_assign(self, self.assignment())

    def _take(self, limit: int) -> list[FakeMessage]:
        batch: list[FakeMessage] = []
        for partition, records in self._records.items():
            if partition in self.paused or len(batch) >= limit:
                continue
            start = self._fetched[partition]
            taken = records[start : start + limit - len(batch)]
            self._fetched[partition] = start + len(taken)
            batch += taken
        return batch

    def _held(self) -> int:
        return sum(self._fetched[p] - self.stored.get(p, 0) for p in self._records)


@dataclass
class Produced:
    topic: str
    key: bytes | None
    value: bytes | None
    headers: Headers


class FakeProducer:
    """Records what is produced and acknowledges it on the next ``poll``; ``full`` makes every
    ``produce`` raise ``BufferError`` as librdkafka does when its queue is full."""

    def __init__(self) -> None:
        self.produced: list[Produced] = []
        self.full = False
        self._unacknowledged: list[tuple[Callable[..., Any], FakeMessage]] = []
        self._lock = threading.Lock()

    def produce(self, topic: str, *, value: bytes | None, key: bytes | None,
                headers: Headers, on_delivery: Callable[..., Any]) -> None:  # fmt: skip
        if self.full:
            raise BufferError("Local: Queue full")
        with self._lock:
            self.produced.append(Produced(topic, key, value, list(headers)))
            self._unacknowledged.append((on_delivery, FakeMessage(topic, 0, 0, key, value)))

    def poll(self, timeout: float = -1) -> int:
        with self._lock:
            due, self._unacknowledged = self._unacknowledged, []
        for on_delivery, message in due:
            on_delivery(None, message)
        if not due:
            time.sleep(max(timeout, 0.0))
        return len(due)

    def flush(self, timeout: float = -1) -> int:  # noqa: ARG002 - the client's signature
        self.poll(0)
        return 0

    def topics(self) -> list[str]:
        with self._lock:
            return [record.topic for record in self.produced]

"""A pass-through flow on a real broker: its topics, inputs, workers, and reading back.

The runtime's integration tests and benchmarks drive the runtime through this.
"""

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from confluent_kafka import KafkaError, Message, Producer

from docflow_events import Envelope, Topic, consumer_group, to_kafka
from docflow_events.v1 import BlobRef, DocumentReceived
from docflow_runtime.records import output_id
from docflow_runtime.settings import KafkaSettings
from docflow_runtime.worker import Worker
from docflow_testing.broker import ConsumedMessage, consume_all
from docflow_testing.passthrough import PassThrough, PassThroughSettings
from docflow_testing.running import running

STAGE = PassThrough.name
PARTITIONS = 4
Metadata = Callable[[int], dict[str, Any]]


@dataclass(frozen=True)
class Sent:
    event_id: str
    document_id: str
    partition: int
    offset: int

    @property
    def output_id(self) -> str:
        return output_id(self.event_id, STAGE, 0)


@dataclass
class Flow:
    bootstrap: str
    prefix: str
    logs: Path

    @property
    def group(self) -> str:
        return self.prefix + consumer_group(STAGE)

    def topic(self, name: str) -> str:
        return self.prefix + name

    def settings(self, **overrides: Any) -> PassThroughSettings:
        values: dict[str, Any] = {
            "kafka": KafkaSettings(bootstrap=self.bootstrap),
            "topic_prefix": self.prefix,
            "health_host": "127.0.0.1",
            "health_port": 0,
            "retry_initial_backoff_seconds": 0.05,
            "shutdown_timeout_seconds": 20,
            "log_level": "WARNING",
        }
        return PassThroughSettings(**(values | overrides))

    def produce(self, count: int, metadata: Metadata = lambda _: {}, start: int = 0) -> list[Sent]:
        """``count`` document.received events, the i-th on partition i % PARTITIONS."""
        producer = Producer({"bootstrap.servers": self.bootstrap, "enable.idempotence": "true"})
        sent: list[Sent] = []
        for i in range(start, start + count):
            envelope = _received(f"doc-{i}", metadata(i))
            record = to_kafka(envelope)
            producer.produce(
                self.topic(Topic.DOCUMENT_RECEIVED), value=record.value, key=record.key,
                headers=list(record.headers), partition=i % PARTITIONS,
                on_delivery=_remember(sent, envelope),
            )  # fmt: skip
        assert producer.flush(30) == 0, "inputs not delivered"
        assert len(sent) == count
        return sorted(sent, key=lambda s: (s.partition, s.offset))

    def read(self, name: str, expected: int | None, timeout: float = 60) -> list[ConsumedMessage]:
        return consume_all(self.bootstrap, self.topic(name), expected=expected, timeout=timeout)

    def output_ids(self, expected: int | None, timeout: float = 60) -> list[str]:
        messages = self.read(Topic.EXTRACTION_COMPLETED, expected, timeout)
        return [(m.header("ce_id") or b"").decode() for m in messages]

    def wait_for_outputs(self, wanted: set[str], timeout: float) -> list[str]:
        """Read the output topic again and again until it holds every wanted id."""
        deadline = time.monotonic() + timeout
        while True:
            seen = self.output_ids(expected=None, timeout=5)
            if set(seen) >= wanted:
                return seen
            missing = len(wanted - set(seen))
            assert time.monotonic() < deadline, f"{missing} outputs still missing after {timeout}s"

    @contextmanager
    def worker(self, stage: PassThrough | None = None, **overrides: Any) -> Iterator[Worker]:
        """A worker on a thread of this process; stopped (and checked stopped) on exit."""
        settings = self.settings(**overrides)
        with running(Worker(stage or PassThrough(settings), settings)) as worker:
            yield worker

    @staticmethod
    def wait_until(condition: Callable[[], bool], timeout: float, what: str) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            assert time.monotonic() < deadline, f"timed out after {timeout}s waiting for {what}"
            time.sleep(0.05)

    def process(self, **env: str) -> subprocess.Popen[bytes]:
        """A worker as its own process, as it runs in a pod (signals go to it alone)."""
        variables = {
            "DOCFLOW_KAFKA_BOOTSTRAP": self.bootstrap,
            "DOCFLOW_TOPIC_PREFIX": self.prefix,
            "DOCFLOW_HEALTH_HOST": "127.0.0.1",
            "DOCFLOW_HEALTH_PORT": "0",
            "DOCFLOW_LOG_LEVEL": "WARNING",
            "DOCFLOW_SHUTDOWN_TIMEOUT_SECONDS": "30",
        }
        log = (self.logs / f"worker-{uuid.uuid4().hex[:6]}.log").open("wb")
        return subprocess.Popen(
            [sys.executable, "-m", "docflow_testing.passthrough"],
            env=os.environ | variables | env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )


def _received(document_id: str, metadata: dict[str, Any]) -> Envelope[DocumentReceived]:
    data = DocumentReceived(
        document_id=document_id,
        tenant="tests",
        content=BlobRef(url=f"file:///blobs/{document_id}", sha256="0" * 64, size=1),
        media_type="application/pdf",
        metadata=metadata,
        received_at=datetime.now(UTC),
    )
    return Envelope.wrap(data, id=str(uuid.uuid4()), source="/tests")


def _remember(
    sent: list[Sent], envelope: Envelope[DocumentReceived]
) -> Callable[[KafkaError | None, Message], None]:
    def on_delivery(error: KafkaError | None, message: Message) -> None:
        assert error is None, error
        sent.append(
            Sent(envelope.id, envelope.subject, message.partition() or 0, message.offset() or 0)
        )

    return on_delivery

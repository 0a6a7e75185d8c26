"""A real Kafka broker for tests: which one to use, topics of each test's own, and reading back.

The broker is, in order of preference: the one named by ``DOCFLOW_TEST_KAFKA``, a Kafka
container when a Docker engine answers, or a local Tansu process. Tests run unchanged on all
three, so nothing here relies on what only one of them does: backlog is measured by consuming,
never from watermarks (Tansu's latest offsets are not record counts).
"""

from __future__ import annotations

import contextlib
import logging
import os
import time
import uuid
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Final, Literal, Protocol

from confluent_kafka import OFFSET_BEGINNING, Consumer, KafkaError, Message, TopicPartition
from confluent_kafka._types import HeadersType

from docflow_runtime.admin import BrokerUnavailableError, ensure_topics, wait_for_broker
from docflow_runtime.kafka_config import DEV_PROFILE
from docflow_testing.tansu import BrokerStartError, TansuBroker

log = logging.getLogger(__name__)

#: Consumer settings for a broker on this machine. librdkafka's 45 s session timeout makes
#: Tansu's first group join stall; at 6 s it takes about 3 s (it waits about half the session
#: timeout). Tansu answers a fetch only when ``fetch.wait.max.ms`` has passed, not as soon as
#: data arrives, so that value is the delay each stage adds on it.
TEST_KAFKA_ENV: Final = "DOCFLOW_TEST_KAFKA"
EXTERNAL_BROKER_TIMEOUT: Final = 30.0
#: Long enough for an engine on this machine, short enough not to slow down a run without one.
DOCKER_PING_TIMEOUT: Final = 2
_BATCH: Final = 500
_POLL_INTERVAL: Final = 0.2


class NoBrokerForTestsError(RuntimeError):
    """None of the ways to get a broker for the tests worked."""


@dataclass(frozen=True)
class ProvidedBroker:
    """The broker the tests use, and where it came from."""

    bootstrap: str
    kind: Literal["external", "container", "tansu"]
    detail: str

    def describe(self) -> str:
        return f"{self.kind} broker at {self.bootstrap} ({self.detail})"


@dataclass(frozen=True)
class ConsumedMessage:
    """One record read back from a topic."""

    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None
    headers: tuple[tuple[str, bytes | None], ...]

    def header(self, name: str) -> bytes | None:
        """The first value of header ``name``, or ``None`` when it is absent."""
        return next((value for key, value in self.headers if key == name), None)


class TopicFactory(Protocol):
    """Creates a test's own topics and returns their full (prefixed) names, in order."""

    def __call__(self, *names: str, partitions: int = 3) -> list[str]: ...


# --- choosing the broker -------------------------------------------------------------------


@contextlib.contextmanager
def provide_broker(log_dir: Path | None = None) -> Iterator[ProvidedBroker]:
    """A broker for the tests for as long as the block lasts; stopped after it if started here.

    Raises :class:`NoBrokerForTestsError` with the reason when none can be had.
    """
    with contextlib.ExitStack() as stack:
        yield _choose(stack, log_dir)


def _choose(stack: contextlib.ExitStack, log_dir: Path | None) -> ProvidedBroker:
    external = os.environ.get(TEST_KAFKA_ENV, "").strip()
    if external:
        return _external(external)
    if docker_available():
        return _container(stack)
    return _tansu(stack, log_dir)


def _external(bootstrap: str) -> ProvidedBroker:
    try:
        wait_for_broker(bootstrap, EXTERNAL_BROKER_TIMEOUT)
    except BrokerUnavailableError as exc:
        raise NoBrokerForTestsError(f"{TEST_KAFKA_ENV}={bootstrap} is set, but {exc}") from exc
    return ProvidedBroker(bootstrap, "external", f"from {TEST_KAFKA_ENV}")


def docker_available(timeout: int = DOCKER_PING_TIMEOUT) -> bool:
    """Whether a Docker engine answers, checked without waiting long when there is none."""
    try:
        import docker  # type: ignore[import-untyped]  # noqa: PLC0415 - only needed here

        client = docker.from_env(timeout=timeout)
        try:
            return bool(client.ping())
        finally:
            client.close()
    except Exception:  # any failure, whatever its kind, means there is no engine to use
        return False


def _container(stack: contextlib.ExitStack) -> ProvidedBroker:
    # Imported here: it pulls in the Docker client, which runs without an engine do not need.
    from testcontainers.community.kafka import KafkaContainer  # noqa: PLC0415

    container = KafkaContainer().with_kraft()
    try:
        stack.enter_context(container)
    except Exception as exc:
        raise NoBrokerForTestsError(f"the Kafka container did not start: {exc}") from exc
    return ProvidedBroker(container.get_bootstrap_server(), "container", container.image)


def _tansu(stack: contextlib.ExitStack, log_dir: Path | None) -> ProvidedBroker:
    try:
        broker = stack.enter_context(TansuBroker(log_dir=log_dir))
    except BrokerStartError as exc:
        raise NoBrokerForTestsError(f"no Docker engine, and Tansu did not start: {exc}") from exc
    where = f"log: {broker.log_file}" if broker.log_file else "no Docker engine"
    return ProvidedBroker(broker.bootstrap, "tansu", where)


# --- topics of each test's own -------------------------------------------------------------


def unique_prefix() -> str:
    """A topic (and group) prefix no other test uses, so tests can share one broker."""
    return f"t-{uuid.uuid4().hex[:12]}-"


def make_topics(
    bootstrap: str,
    prefix: str,
    names: Iterable[str],
    partitions: int = 3,
    *,
    client_config: Mapping[str, str] | None = None,
) -> list[str]:
    """Create ``prefix + name`` for each of ``names``; returns the full names in order."""
    topics = [prefix + name for name in names]
    ensure_topics(bootstrap, topics, partitions, client_config=client_config)
    return topics


# --- reading back ------------------------------------------------------------------------


def consume_all(
    bootstrap: str,
    topic: str,
    *,
    expected: int | None,
    timeout: float,
    client_config: Mapping[str, str] | None = None,
) -> list[ConsumedMessage]:
    """The records of ``topic`` from the beginning of every partition, read without a group join.

    Stops once ``expected`` records were read or, when ``expected`` is None, once every
    partition reports that its end was reached; in any case after ``timeout`` seconds, returning
    what was read by then. Records arriving in the same batch as the last expected one are
    returned too, so a result longer than ``expected`` reveals duplicates.
    """
    deadline = time.monotonic() + timeout
    consumer = Consumer(_reader_config(bootstrap, client_config))
    try:
        partitions = _partitions(consumer, topic, timeout)
        consumer.assign([TopicPartition(topic, p, OFFSET_BEGINNING) for p in partitions])
        return _read(consumer, expected, len(partitions), deadline)
    finally:
        consumer.close()


def committed_offsets(
    bootstrap: str,
    group: str,
    topic: str,
    partitions: int,
    *,
    timeout: float = 10.0,
    client_config: Mapping[str, str] | None = None,
) -> dict[int, int]:
    """The offsets ``group`` committed on partitions ``0..partitions-1`` of ``topic``.

    Partitions without a committed offset are left out.
    """
    consumer = Consumer({**_reader_config(bootstrap, client_config), "group.id": group})
    try:
        wanted = [TopicPartition(topic, p) for p in range(partitions)]
        found = consumer.committed(wanted, timeout=timeout)
    finally:
        consumer.close()
    for tp in found:
        if tp.error is not None:
            raise RuntimeError(
                f"committed offset of {group} on {topic}[{tp.partition}]: {tp.error}"
            )
    return {tp.partition: tp.offset for tp in found if tp.offset >= 0}


def _reader_config(bootstrap: str, client_config: Mapping[str, str] | None) -> dict[str, str]:
    return {
        **DEV_PROFILE,
        **(client_config or {}),
        "bootstrap.servers": bootstrap,
        # Partitions are assigned, never subscribed, so this group joins nothing and owns
        # no offsets; it only has to be unique.
        "group.id": f"docflow-test-reader-{uuid.uuid4().hex}",
        "enable.auto.commit": "false",
        "enable.partition.eof": "true",
    }


def _partitions(consumer: Consumer, topic: str, timeout: float) -> list[int]:
    metadata = consumer.list_topics(topic, timeout=timeout).topics.get(topic)
    error = "unknown topic" if metadata is None else metadata.error
    if error is None and not metadata.partitions:
        error = "it has no partitions"
    if error is not None:
        raise LookupError(f"cannot read topic {topic!r}: {error}")
    return sorted(metadata.partitions)


def _read(
    consumer: Consumer, expected: int | None, partitions: int, deadline: float
) -> list[ConsumedMessage]:
    messages: list[ConsumedMessage] = []
    at_end: set[int] = set()
    while not _finished(len(messages), expected, len(at_end), partitions):
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            break
        for message in consumer.consume(_BATCH, timeout=min(remaining, _POLL_INTERVAL)):
            _take(message, messages, at_end)
    return messages


def _finished(count: int, expected: int | None, ended: int, partitions: int) -> bool:
    return count >= expected if expected is not None else ended == partitions


def _take(message: Message, messages: list[ConsumedMessage], at_end: set[int]) -> None:
    error = message.error()
    partition, offset = message.partition(), message.offset()
    assert partition is not None, "a consumed message always has a partition"
    if error is None:
        assert offset is not None, "a consumed record always has an offset"
        at_end.discard(partition)
        messages.append(_record(message, partition, offset))
    elif error.code() == KafkaError._PARTITION_EOF:
        at_end.add(partition)
    else:
        log.warning("while reading back %s: %s", message.topic(), error.str())


def _record(message: Message, partition: int, offset: int) -> ConsumedMessage:
    return ConsumedMessage(
        topic=message.topic() or "",
        partition=partition,
        offset=offset,
        key=message.key(),
        value=message.value(),
        headers=_headers(message.headers()),
    )


def _headers(raw: HeadersType | None) -> tuple[tuple[str, bytes | None], ...]:
    pairs = raw.items() if isinstance(raw, dict) else raw or []
    return tuple((key, value.encode() if isinstance(value, str) else value) for key, value in pairs)

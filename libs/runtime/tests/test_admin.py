"""Topic administration and the test-broker helpers, against the session's real broker."""

from __future__ import annotations

import time
from concurrent.futures import Future

import pytest
from confluent_kafka import Consumer, KafkaError, KafkaException, Producer, TopicPartition
from confluent_kafka.admin import AdminClient

from docflow_runtime import admin
from docflow_runtime.admin import (
    BrokerUnavailableError,
    TopicCreationError,
    ensure_topics,
    wait_for_broker,
)
from docflow_testing.broker import (
    TopicFactory,
    committed_offsets,
    consume_all,
    make_topics,
)
from docflow_testing.tansu import free_port


def partition_counts(bootstrap: str, topics: list[str]) -> dict[str, int | None]:
    metadata = AdminClient({"bootstrap.servers": bootstrap}).list_topics(timeout=10)
    found = {name: len(topic.partitions) for name, topic in metadata.topics.items()}
    return {topic: found.get(topic) for topic in topics}


def produce(bootstrap: str, topic: str, count: int) -> None:
    producer = Producer({"bootstrap.servers": bootstrap, "enable.idempotence": True, "acks": "all"})
    for i in range(count):
        producer.produce(topic, key=f"k{i}", value=f"v{i}", headers=[("ce_id", f"id-{i}")])
    assert producer.flush(10) == 0, "some messages were not acknowledged"


# --- ensure_topics ------------------------------------------------------------------------


def test_ensure_topics_creates_them_with_the_partition_count(
    kafka_bootstrap: str, topic_prefix: str
) -> None:
    topics = [f"{topic_prefix}a", f"{topic_prefix}b", f"{topic_prefix}c"]
    ensure_topics(kafka_bootstrap, topics, partitions=4)
    assert partition_counts(kafka_bootstrap, topics) == dict.fromkeys(topics, 4)


def test_ensure_topics_is_idempotent_and_keeps_existing_topics(
    kafka_bootstrap: str, topic_prefix: str
) -> None:
    existing, new = f"{topic_prefix}existing", f"{topic_prefix}new"
    ensure_topics(kafka_bootstrap, [existing], partitions=4)
    ensure_topics(kafka_bootstrap, [existing, new], partitions=2)
    ensure_topics(kafka_bootstrap, [existing, new], partitions=2)
    assert partition_counts(kafka_bootstrap, [existing, new]) == {existing: 4, new: 2}


@pytest.mark.parametrize(
    ("topics", "partitions", "complaint"),
    [
        (["ok"], 0, "at least one partition"),
        (["has space"], 1, "not a legal"),
        (["x" * 250], 1, "not a legal"),
        ([".."], 1, "not a legal"),
    ],
    ids=["no-partitions", "space", "too-long", "dot-dot"],
)
def test_ensure_topics_refuses_what_kafka_would_refuse(
    topics: list[str], partitions: int, complaint: str
) -> None:
    # Refused before any request: the local broker would accept these silently.
    with pytest.raises(ValueError, match=complaint):
        ensure_topics("127.0.0.1:1", topics, partitions)


class RefusingAdmin:
    """Answers topic creation the way a broker with a creation policy does."""

    def create_topics(self, new_topics: list[object], **_: float) -> dict[str, Future[None]]:
        refused: Future[None] = Future()
        refused.set_exception(
            KafkaException(KafkaError(KafkaError.POLICY_VIOLATION, "topics need an owner"))
        )
        existing: Future[None] = Future()
        existing.set_exception(KafkaException(KafkaError(KafkaError.TOPIC_ALREADY_EXISTS)))
        return {"present": existing, "refused": refused}


def test_ensure_topics_names_the_refused_topic_and_the_broker_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(admin, "admin_client", lambda *_: RefusingAdmin())
    with pytest.raises(TopicCreationError) as refusal:
        ensure_topics("127.0.0.1:1", ["present", "refused"], partitions=1)
    assert refusal.value.topic == "refused"
    assert refusal.value.error == "POLICY_VIOLATION"
    assert "topics need an owner" in str(refusal.value)


# --- wait_for_broker ----------------------------------------------------------------------


def test_wait_for_broker_gives_up_on_a_closed_port_within_its_timeout() -> None:
    address = f"127.0.0.1:{free_port()}"
    started = time.monotonic()
    with pytest.raises(BrokerUnavailableError, match=address) as unavailable:
        wait_for_broker(address, timeout=1.5)
    elapsed = time.monotonic() - started
    assert 1.5 <= elapsed < 3.0
    assert unavailable.value.bootstrap == address


def test_wait_for_broker_returns_at_once_when_the_broker_answers(kafka_bootstrap: str) -> None:
    started = time.monotonic()
    wait_for_broker(kafka_bootstrap, timeout=10)
    assert time.monotonic() - started < 2


# --- the test-broker helpers ----------------------------------------------------------------


def test_tests_using_the_broker_are_marked_connected(
    request: pytest.FixtureRequest, kafka_bootstrap: str
) -> None:
    assert request.node.get_closest_marker("connected") is not None


def test_tests_without_the_broker_are_not_marked_connected(request: pytest.FixtureRequest) -> None:
    assert request.node.get_closest_marker("connected") is None


def test_kafka_topics_creates_prefixed_topics(
    kafka_bootstrap: str, kafka_topics: TopicFactory, topic_prefix: str
) -> None:
    source, sink = kafka_topics("in", "out", partitions=2)
    assert (source, sink) == (f"{topic_prefix}in", f"{topic_prefix}out")
    assert partition_counts(kafka_bootstrap, [source, sink]) == {source: 2, sink: 2}


def test_make_topics_returns_full_names_in_order(kafka_bootstrap: str, topic_prefix: str) -> None:
    topics = make_topics(kafka_bootstrap, topic_prefix, ["z", "a"], partitions=1)
    assert topics == [f"{topic_prefix}z", f"{topic_prefix}a"]
    assert partition_counts(kafka_bootstrap, topics) == dict.fromkeys(topics, 1)


def test_consume_all_returns_exactly_what_was_produced(
    kafka_bootstrap: str, kafka_topics: TopicFactory
) -> None:
    (topic,) = kafka_topics("events", partitions=3)
    produce(kafka_bootstrap, topic, 25)
    counted = consume_all(kafka_bootstrap, topic, expected=25, timeout=15)
    drained = consume_all(kafka_bootstrap, topic, expected=None, timeout=15)
    for messages in (counted, drained):
        assert len(messages) == 25
        assert {m.key for m in messages} == {f"k{i}".encode() for i in range(25)}
        assert len({(m.partition, m.offset) for m in messages}) == 25
    first = next(m for m in drained if m.key == b"k7")
    assert first.value == b"v7"
    assert first.header("ce_id") == b"id-7"
    assert first.topic == topic


def test_consume_all_stops_at_its_timeout_when_fewer_arrive(
    kafka_bootstrap: str, kafka_topics: TopicFactory
) -> None:
    (topic,) = kafka_topics("short", partitions=1)
    produce(kafka_bootstrap, topic, 2)
    started = time.monotonic()
    messages = consume_all(kafka_bootstrap, topic, expected=3, timeout=1.5)
    assert len(messages) == 2
    assert 1.5 <= time.monotonic() - started < 4


def test_consume_all_refuses_an_unknown_topic(kafka_bootstrap: str, topic_prefix: str) -> None:
    with pytest.raises(LookupError, match="cannot read topic"):
        consume_all(kafka_bootstrap, f"{topic_prefix}missing", expected=None, timeout=5)


def test_committed_offsets_reports_what_a_group_committed(
    kafka_bootstrap: str, kafka_topics: TopicFactory, topic_prefix: str
) -> None:
    (topic,) = kafka_topics("committed", partitions=3)
    group = f"{topic_prefix}group"
    consumer = Consumer(
        {"bootstrap.servers": kafka_bootstrap, "group.id": group, "enable.auto.commit": False}
    )
    try:
        consumer.commit(
            offsets=[TopicPartition(topic, 0, 5), TopicPartition(topic, 2, 7)],
            asynchronous=False,
        )
    finally:
        consumer.close()
    assert committed_offsets(kafka_bootstrap, group, topic, 3) == {0: 5, 2: 7}
    assert committed_offsets(kafka_bootstrap, f"{topic_prefix}other", topic, 3) == {}

"""The Kafka publisher on a fake producer: a broken producer is replaced, the delivery thread
outlives anything raised in it, and readiness says what publishing can do."""

import asyncio
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from confluent_kafka import KafkaError

from docflow_events import Envelope, Topic
from docflow_events.v1 import DocumentReceived
from docflow_ingest.core.envelopes import envelope
from docflow_ingest.core.publisher import KafkaPublisher, MessageTooLargeError, PublishError
from docflow_testing.events import DocumentFlow

from .fakes import ProducerFactory
from .helpers import make_settings

PREFIX = "t-"
TOPICS = [PREFIX + Topic.DOCUMENT_RECEIVED, PREFIX + Topic.REVIEW_DECIDED]
UNKNOWN_PRODUCER = KafkaError(
    KafkaError.UNKNOWN_PRODUCER_ID, "failed due to unknown producer id", fatal=True
)
TOO_LARGE = KafkaError(KafkaError.MSG_SIZE_TOO_LARGE, "Broker: Message size too large")


@pytest.fixture
def factory() -> ProducerFactory:
    return ProducerFactory(TOPICS)


@pytest.fixture
def publisher(tmp_path: Path, factory: ProducerFactory) -> Iterator[KafkaPublisher]:
    settings = make_settings(
        tmp_path, topic_prefix=PREFIX, publish_timeout_seconds=1, retry_after_seconds=60
    )
    publisher = KafkaPublisher(settings, producer_factory=factory)
    yield publisher
    publisher.close()


def received() -> Envelope[DocumentReceived]:
    return envelope(DocumentFlow(str(uuid.uuid4())).received())


def publish(publisher: KafkaPublisher) -> None:
    asyncio.run(publisher.publish(received()))


def wait_until(condition: Callable[[], bool], what: str, timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"{what} did not happen within {timeout}s"
        time.sleep(0.01)


def test_a_fatal_error_replaces_the_producer(
    publisher: KafkaPublisher, factory: ProducerFactory
) -> None:
    publish(publisher)
    broken = factory.made[0]
    broken.fatal = UNKNOWN_PRODUCER
    started = time.monotonic()
    with pytest.raises(PublishError, match="Purged"):
        publish(publisher)
    assert time.monotonic() - started < 1.0, "failed when the producer broke, not at a timeout"
    wait_until(lambda: len(factory.made) == 2, "the replacement")
    ready, reason = publisher.readiness(1.0)
    assert not ready
    assert "the last publish failed" in reason
    publish(publisher)
    assert publisher.readiness(1.0) == (True, "a broker answered and has the topics ingest writes")


def test_a_fatal_error_is_reported_until_the_producer_is_replaced(
    publisher: KafkaPublisher, factory: ProducerFactory
) -> None:
    factory.error = RuntimeError("no producer can be built right now")
    factory.made[0].fatal = UNKNOWN_PRODUCER

    async def scenario() -> None:
        pending = asyncio.create_task(publisher.publish(received()))
        deadline = time.monotonic() + 5.0
        while publisher.readiness(1.0)[0] and time.monotonic() < deadline:
            await asyncio.sleep(0.01)
        assert publisher.readiness(1.0) == (
            False,
            "the producer is being replaced: fatal Kafka error: failed due to unknown producer id",
        )
        assert not pending.done()
        factory.error = None
        with pytest.raises(PublishError, match="Purged"):
            await asyncio.wait_for(pending, 5.0)

    asyncio.run(scenario())
    assert len(factory.made) == 2
    publish(publisher)


def test_failing_with_no_success_since_replaces_the_producer(
    publisher: KafkaPublisher, factory: ProducerFactory
) -> None:
    # A producer whose broker forgot it can time out every message without a fatal error.
    factory.made[0].delivery_error = KafkaError(KafkaError._MSG_TIMED_OUT, "Message timed out")
    with pytest.raises(PublishError, match="Message timed out"):
        publish(publisher)
    wait_until(lambda: len(factory.made) == 2, "the replacement")
    publish(publisher)


def test_the_delivery_thread_outlives_what_is_raised_in_it(
    publisher: KafkaPublisher, factory: ProducerFactory
) -> None:
    factory.made[0].poll_error = RuntimeError("a callback's bug")
    wait_until(lambda: factory.made[0].poll_error is None, "the poll")
    publish(publisher)
    assert publisher.readiness(1.0)[0]
    assert len(factory.made) == 1


@pytest.mark.parametrize("at", ["produce", "delivery"])
def test_too_large_is_not_a_broker_failure(
    publisher: KafkaPublisher, factory: ProducerFactory, at: str
) -> None:
    producer = factory.made[0]
    if at == "produce":
        producer.produce_error = TOO_LARGE
    else:
        producer.delivery_error = TOO_LARGE
    with pytest.raises(MessageTooLargeError, match="Message size too large"):
        publish(publisher)
    assert publisher.readiness(1.0)[0]
    assert len(factory.made) == 1


def test_not_ready_without_the_topics_ingest_writes(
    publisher: KafkaPublisher, factory: ProducerFactory
) -> None:
    factory.made[0].topics = TOPICS[:1]
    assert publisher.readiness(1.0) == (
        False,
        f"the broker does not have the topics {TOPICS[1]}",
    )


def test_client_errors_are_told_by_their_text_not_their_repr(
    publisher: KafkaPublisher, factory: ProducerFactory
) -> None:
    factory.made[0].produce_error = KafkaError(KafkaError._QUEUE_FULL, "Local: Queue full")
    with pytest.raises(PublishError) as caught:
        publish(publisher)
    assert str(caught.value) == "the event could not be queued: Local: Queue full"

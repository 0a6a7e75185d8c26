"""The reconciler's publisher on a real broker: events land with their ids; a broker that is
down fails the publish within the delivery timeout; once one is back, publishing works again."""

import os
import signal
import uuid
from pathlib import Path

import pytest

from docflow_events import Envelope, EventData, Topic
from docflow_reconciler.publisher import EventPublisher, PublishFailedError
from docflow_runtime.settings import KafkaSettings, ServiceSettings
from docflow_testing.broker import consume_all, make_topics, unique_prefix
from docflow_testing.events import DocumentFlow
from docflow_testing.tansu import TansuBroker, free_port

pytestmark = pytest.mark.connected


def received(document_id: str) -> Envelope[EventData]:
    data = DocumentFlow(document_id).received()
    return Envelope[EventData].wrap(data, id=str(uuid.uuid4()), source="/tests")


def settings(bootstrap: str, prefix: str) -> ServiceSettings:
    kafka = KafkaSettings(bootstrap=bootstrap, delivery_timeout_seconds=2)
    return ServiceSettings(kafka=kafka, topic_prefix=prefix, log_level="WARNING")


def test_published_events_land_on_their_topic_with_their_ids(kafka_bootstrap: str) -> None:
    prefix = unique_prefix()
    [topic] = make_topics(kafka_bootstrap, prefix, [Topic.DOCUMENT_RECEIVED])
    publisher = EventPublisher(settings(kafka_bootstrap, prefix))
    events = [received(f"doc-{n}") for n in range(3)]
    publisher.publish(events)
    publisher.close()
    landed = consume_all(kafka_bootstrap, topic, expected=3, timeout=30)
    assert sorted((m.header("ce_id") or b"").decode() for m in landed) == sorted(
        e.id for e in events
    )


def test_a_broker_that_went_away_and_came_back(tmp_path: Path) -> None:
    port, prefix = free_port(), unique_prefix()
    broker = TansuBroker("127.0.0.1", port, log_dir=tmp_path)
    broker.start()
    make_topics(broker.bootstrap, prefix, [Topic.DOCUMENT_RECEIVED])
    publisher = EventPublisher(settings(broker.bootstrap, prefix))
    try:
        publisher.publish([received("before")])
        assert broker.pid is not None
        os.kill(broker.pid, signal.SIGKILL)
        broker.stop()
        with pytest.raises(PublishFailedError, match="did not take every event"):
            publisher.publish([received("during")])
        broker.start()  # a new broker on the same port, which knows nothing
        [topic] = make_topics(broker.bootstrap, prefix, [Topic.DOCUMENT_RECEIVED])
        publisher.publish([received("after")])
        [landed] = consume_all(broker.bootstrap, topic, expected=1, timeout=30)
        assert landed.key == b"after"
    finally:
        broker.stop()

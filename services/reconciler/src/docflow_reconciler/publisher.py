"""Publishing events and waiting until the broker has them (``acks=all``, idempotent).

A pass publishes a few events at most, so it simply waits for all of them. A producer whose
publish failed is replaced before the next one: after a broker lost its state, an idempotent
producer keeps retrying against a producer id the broker no longer knows.
"""

import logging
from collections.abc import Sequence
from typing import Any, Final

from confluent_kafka import KafkaError, Message, Producer

from docflow_events import Envelope, to_kafka
from docflow_runtime.kafka_config import producer_config
from docflow_runtime.settings import ServiceSettings

CLIENT_ID: Final = "docflow-reconciler"
#: Beyond librdkafka's own delivery timeout: its verdict on each message, not ours, decides.
_FLUSH_MARGIN_SECONDS: Final = 5.0


class PublishFailedError(RuntimeError):
    """The broker did not acknowledge every event; the pass is tried again later."""


class EventPublisher:
    def __init__(self, settings: ServiceSettings) -> None:
        self._settings = settings
        self._timeout = settings.kafka.delivery_timeout_seconds + _FLUSH_MARGIN_SECONDS
        self._producer = self._new_producer()

    def publish(self, events: Sequence[Envelope[Any]]) -> None:
        """Return once the broker acknowledged every event; :class:`PublishFailedError` if not."""
        failures: list[str] = []
        for event in events:
            self._produce(event, failures)
        left = self._producer.flush(self._timeout)
        if left or failures:
            self._producer = self._new_producer()
            reasons = "; ".join(failures[:3]) or f"{left} events not acknowledged in time"
            raise PublishFailedError(f"the broker did not take every event: {reasons}")

    def close(self) -> None:
        self._producer.flush(self._timeout)

    def _produce(self, event: Envelope[Any], failures: list[str]) -> None:
        def report(error: KafkaError | None, _message: Message) -> None:
            if error is not None:
                failures.append(error.str())

        record = to_kafka(event)
        topic = self._settings.topic(type(event.data).topic)
        self._producer.produce(
            topic, value=record.value, key=record.key, headers=list(record.headers),
            on_delivery=report,
        )  # fmt: skip

    def _new_producer(self) -> Producer:
        config = producer_config(self._settings.kafka, CLIENT_ID)
        # librdkafka's own log lines go through the service's JSON logging.
        return Producer(config, logger=logging.getLogger("confluent_kafka"))

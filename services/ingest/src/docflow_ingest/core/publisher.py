"""Publishing events and waiting for the broker's acknowledgement.

An upload is answered ``202`` only once the broker has acknowledged its ``document.received``
(``acks=all``, idempotent producer). librdkafka's own delivery timeout is set to the publish
timeout, so every message gets a definite outcome — delivered or failed — which the request
waits for; a request never gives up on a message librdkafka may still deliver later.
"""

import asyncio
import contextlib
import logging
import threading
from abc import ABC, abstractmethod
from typing import Any, Final

from confluent_kafka import KafkaError, KafkaException, Message, Producer

from docflow_events import Envelope, to_kafka
from docflow_ingest.settings import IngestSettings
from docflow_runtime.kafka_config import producer_config

CLIENT_ID: Final = "docflow-ingest"
_POLL_SECONDS: Final = 0.1
#: Beyond librdkafka's own delivery timeout: its failure report, not ours, decides.
_ACK_MARGIN_SECONDS: Final = 5.0


class PublishError(Exception):
    """The broker did not acknowledge the event; it may be retried later."""


class Publisher(ABC):
    @abstractmethod
    async def publish(self, envelope: Envelope[Any]) -> None:
        """Return once the broker acknowledged the event; raise :class:`PublishError` if not."""

    @abstractmethod
    def reachable(self, timeout: float) -> tuple[bool, str]:
        """Whether a broker answers, and why not."""

    @abstractmethod
    def close(self) -> None: ...


class KafkaPublisher(Publisher):
    """One idempotent producer for the process; a thread serves its delivery reports."""

    def __init__(self, settings: IngestSettings) -> None:
        timeout_ms = str(int(settings.publish_timeout_seconds * 1000))
        config = producer_config(settings.kafka, CLIENT_ID)
        # librdkafka's own log lines go through the service's JSON logging.
        self._producer = Producer(
            {**config, "delivery.timeout.ms": timeout_ms},
            logger=logging.getLogger("confluent_kafka"),
        )
        self._settings = settings
        self._ack_timeout = settings.publish_timeout_seconds + _ACK_MARGIN_SECONDS
        self._stopping = threading.Event()
        self._poller = threading.Thread(target=self._poll, name="kafka-delivery", daemon=True)
        self._poller.start()

    async def publish(self, envelope: Envelope[Any]) -> None:
        loop = asyncio.get_running_loop()
        outcome: asyncio.Future[None] = loop.create_future()
        record = to_kafka(envelope)
        headers: list[tuple[str, str | bytes | None]] = list(record.headers)
        topic = self._settings.topic(type(envelope.data).topic)
        try:
            self._producer.produce(
                topic, value=record.value, key=record.key, headers=headers,
                on_delivery=_reporter(loop, outcome),
            )  # fmt: skip
        except (KafkaException, BufferError) as exc:
            raise PublishError(f"the event could not be queued: {exc}") from exc
        try:
            await asyncio.wait_for(asyncio.shield(outcome), self._ack_timeout)
        except TimeoutError:
            raise PublishError("the broker did not acknowledge the event in time") from None

    def reachable(self, timeout: float) -> tuple[bool, str]:
        try:
            self._producer.list_topics(timeout=timeout)
        except KafkaException as exc:
            return False, f"no broker answered: {exc.args[0]}"
        return True, "a broker answered"

    def close(self) -> None:
        self._producer.flush(self._ack_timeout)
        self._stopping.set()
        self._poller.join(self._ack_timeout)

    def _poll(self) -> None:
        while not self._stopping.is_set():
            self._producer.poll(_POLL_SECONDS)


def _reporter(loop: asyncio.AbstractEventLoop, outcome: "asyncio.Future[None]") -> Any:
    """A delivery callback that settles ``outcome`` on its event loop (it runs on the poller)."""

    def settle(error: KafkaError | None, _message: Message) -> None:
        # A request that went away may have taken its event loop with it.
        with contextlib.suppress(RuntimeError):
            loop.call_soon_threadsafe(_settle, outcome, error)

    return settle


def _settle(outcome: "asyncio.Future[None]", error: KafkaError | None) -> None:
    if outcome.done():
        return
    if error is None:
        outcome.set_result(None)
    else:
        outcome.set_exception(PublishError(f"the broker did not take the event: {error.str()}"))

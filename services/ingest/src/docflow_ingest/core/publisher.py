"""Publishing events and waiting for the broker's acknowledgement.

An upload is answered ``202`` only once the broker has acknowledged its ``document.received``
(``acks=all``, idempotent producer). librdkafka's own delivery timeout is set to the publish
timeout, so every message gets a definite outcome — delivered or failed — which the request
waits for; a request never gives up on a message librdkafka may still deliver later.

An idempotent producer can break for good when its broker forgets it (a restarted broker that
lost its state): librdkafka then either reports a fatal error and refuses every message, or
retries each message against the unknown producer id until it times out, every time, without
calling anything fatal. The delivery thread therefore replaces the producer on a fatal error,
and when a publish fails while no publish has succeeded since its event was handed over; what
the old producer still held fails at once. A new producer costs a connection and nothing else.
"""

import asyncio
import contextlib
import logging
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import Any, Final, Protocol

from confluent_kafka import KafkaError, KafkaException, Message, Producer
from confluent_kafka._types import DeliveryCallback, HeadersType

from docflow_events import Envelope, KafkaRecord, to_kafka
from docflow_events.v1 import DocumentReceived, ReviewDecided
from docflow_ingest.settings import IngestSettings
from docflow_runtime.kafka_config import producer_config
from docflow_runtime.logging import get_logger

CLIENT_ID: Final = "docflow-ingest"
_POLL_SECONDS: Final = 0.1
#: After an unexpected error in the delivery thread: long enough not to flood the log.
_PAUSE_AFTER_ERROR_SECONDS: Final = 1.0
#: Beyond librdkafka's own delivery timeout: its failure report, not ours, decides.
_ACK_MARGIN_SECONDS: Final = 5.0
#: librdkafka's or the broker's verdict that a message is too large: no retry can help.
_TOO_LARGE: Final = frozenset({KafkaError.MSG_SIZE_TOO_LARGE, KafkaError.RECORD_LIST_TOO_LARGE})
#: The events ingest writes: it cannot work without their topics.
_WRITES: Final = (DocumentReceived, ReviewDecided)

log = get_logger(__name__)


class PublishError(Exception):
    """The broker did not acknowledge the event; it may be retried later."""


class MessageTooLargeError(Exception):
    """The broker refuses the event for its size: no retry can succeed."""


class Publisher(ABC):
    @abstractmethod
    async def publish(self, envelope: Envelope[Any]) -> None:
        """Return once the broker acknowledged the event; raise :class:`PublishError` if it did
        not, :class:`MessageTooLargeError` if it never will."""

    @abstractmethod
    def readiness(self, timeout: float) -> tuple[bool, str]:
        """Whether events can be published now, and why not."""

    @abstractmethod
    def close(self) -> None: ...


class ProducerClient(Protocol):
    """What the publisher uses of a confluent_kafka ``Producer``."""

    def produce(
        self,
        topic: str,
        value: bytes | None = None,
        key: bytes | None = None,
        *,
        on_delivery: DeliveryCallback | None = None,
        headers: HeadersType | None = None,
    ) -> None: ...

    def poll(self, timeout: float = -1) -> int: ...

    def flush(self, timeout: float = -1) -> int: ...

    def purge(
        self, in_queue: bool = True, in_flight: bool = True, blocking: bool = True
    ) -> None: ...

    def list_topics(self, topic: str | None = None, timeout: float = -1) -> Any: ...


ProducerFactory = Callable[[dict[str, Any]], ProducerClient]


class KafkaPublisher(Publisher):
    """One idempotent producer at a time; a thread serves its delivery reports and replaces it
    when it breaks."""

    def __init__(
        self, settings: IngestSettings, *, producer_factory: ProducerFactory = Producer
    ) -> None:
        timeout_ms = str(int(settings.publish_timeout_seconds * 1000))
        self._config: dict[str, Any] = {
            **producer_config(settings.kafka, CLIENT_ID),
            "delivery.timeout.ms": timeout_ms,
            # librdkafka's own log lines go through the service's JSON logging.
            "logger": logging.getLogger("confluent_kafka"),
            "error_cb": self._on_client_error,
        }
        self._factory = producer_factory
        self._settings = settings
        self._topics = [settings.topic(event.topic) for event in _WRITES]
        self._ack_timeout = settings.publish_timeout_seconds + _ACK_MARGIN_SECONDS
        # Clients are told to come back after this long; readiness holds off as long.
        self._failures_count_for = float(settings.retry_after_seconds)
        self._lock = threading.Lock()
        self._producer = producer_factory(self._config)
        self._broken: str | None = None
        # The producer last seen working; only such a one can have a producer id to lose.
        self._proven: ProducerClient | None = None
        self._last_success = float("-inf")
        self._last_failure: tuple[float, str] | None = None
        self._stopping = threading.Event()
        self._poller = threading.Thread(target=self._serve, name="kafka-delivery", daemon=True)
        self._poller.start()

    async def publish(self, envelope: Envelope[Any]) -> None:
        loop = asyncio.get_running_loop()
        outcome: asyncio.Future[None] = loop.create_future()
        record, topic = to_kafka(envelope), self._settings.topic(type(envelope.data).topic)
        if self._broken is not None:
            # Replaced here too, not only by the delivery thread: a client that retries at
            # once after its 503 would otherwise hand its event to the broken producer.
            await asyncio.to_thread(self._replace_if_broken)
        handed_at = time.monotonic()
        try:
            with self._lock:
                # A replaced producer is handed nothing more: purging it fails all it held.
                producer = self._producer
                _produce(producer, topic, record, _reporter(loop, outcome))
            await self._acknowledged(outcome)
        except PublishError as exc:
            self._failed(producer, handed_at, str(exc))
            raise
        with self._lock:
            self._last_success, self._last_failure = time.monotonic(), None
            self._proven = producer

    def readiness(self, timeout: float) -> tuple[bool, str]:
        if not self._poller.is_alive():
            return False, "the delivery thread is not running"
        with self._lock:
            broken, failure = self._broken, self._last_failure
        if broken is not None:
            return False, f"the producer is being replaced: {broken}"
        if failure is not None and time.monotonic() - failure[0] < self._failures_count_for:
            return False, f"the last publish failed: {failure[1]}"
        return self._probe(timeout)

    def close(self) -> None:
        with contextlib.suppress(KafkaException):
            self._producer.flush(self._ack_timeout)
        self._stopping.set()
        self._poller.join(self._ack_timeout)

    async def _acknowledged(self, outcome: "asyncio.Future[None]") -> None:
        try:
            await asyncio.wait_for(asyncio.shield(outcome), self._ack_timeout)
        except TimeoutError:
            outcome.cancel()  # a report arriving later has nobody to tell
            raise PublishError("the broker did not acknowledge the event in time") from None

    def _failed(self, producer: ProducerClient, handed_at: float, reason: str) -> None:
        with self._lock:
            self._last_failure = (time.monotonic(), reason)
            # Nothing got through since this event was handed over: the producer may be the
            # broken part, and a new one is cheap. Another request's success says it is not.
            if producer is self._producer and self._last_success < handed_at:
                self._broken = self._broken or reason

    def _probe(self, timeout: float) -> tuple[bool, str]:
        try:
            metadata = self._producer.list_topics(timeout=timeout)
        except KafkaException as exc:
            return False, f"no broker answered: {_kafka_error(exc).str()}"
        missing = [
            topic
            for topic in self._topics
            if topic not in metadata.topics or metadata.topics[topic].error is not None
        ]
        if missing:
            return False, f"the broker does not have the topics {', '.join(missing)}"
        with self._lock:
            self._proven = self._proven or self._producer
        return True, "a broker answered and has the topics ingest writes"

    def _on_client_error(self, error: KafkaError) -> None:
        """A producer that saw every broker go away is replaced at once: the broker that comes
        back may have forgotten its producer id, and its first publishes would fail. One made
        during the outage never had an id, so it is kept (no replacing in a loop)."""
        if error.code() != KafkaError._ALL_BROKERS_DOWN:
            return
        with self._lock:
            if self._proven is not None and self._proven is self._producer:
                self._broken = self._broken or "every broker went away"

    def _serve(self) -> None:
        """The delivery thread: nothing a client or a callback raises may end it."""
        while not self._stopping.is_set():
            try:
                self._serve_once()
            except Exception:
                log.exception("the delivery thread hit an unexpected error; it carries on")
                self._stopping.wait(_PAUSE_AFTER_ERROR_SECONDS)

    def _serve_once(self) -> None:
        self._replace_if_broken()
        producer = self._producer
        try:
            producer.poll(_POLL_SECONDS)
        except Exception as exc:
            error = _fatal_error(exc)
            if error is None:
                raise
            with self._lock:
                if producer is self._producer:
                    self._broken = f"fatal Kafka error: {error.str()}"

    def _replace_if_broken(self) -> None:
        """Swap in a new producer when the current one is marked broken (from either thread;
        the lock makes it happen once)."""
        with self._lock:
            if self._broken is None:
                return
            broken, self._producer = self._producer, self._factory(self._config)
            reason, self._broken = self._broken, None
        log.warning("replaced the Kafka producer", reason=reason)
        _discard(broken)


def _produce(
    producer: ProducerClient, topic: str, record: KafkaRecord, report: DeliveryCallback
) -> None:
    headers: list[tuple[str, str | bytes | None]] = list(record.headers)
    try:
        producer.produce(
            topic, value=record.value, key=record.key, headers=headers, on_delivery=report
        )
    except KafkaException as exc:
        raise _refusal(_kafka_error(exc), "the event could not be queued") from None
    except BufferError:
        raise PublishError("the producer's queue is full") from None


def _discard(producer: ProducerClient) -> None:
    """Fail what a replaced producer still holds, so that its requests answer now. It is not
    closed: a readiness probe may still be using it; it goes once nothing refers to it."""
    producer.purge()
    # A broken producer raises its fatal error again while serving the purged reports.
    with contextlib.suppress(KafkaException):
        producer.flush(0)


def _kafka_error(exc: KafkaException) -> KafkaError:
    error = exc.args[0] if exc.args else None
    return error if isinstance(error, KafkaError) else KafkaError(KafkaError._FAIL, "client error")


def _fatal_error(exc: BaseException) -> KafkaError | None:
    """The fatal client error ``exc`` carries. confluent_kafka raises it from ``poll``, wrapped
    in a SystemError when a delivery callback ran while it was pending."""
    cause: BaseException | None = exc
    while cause is not None:
        if isinstance(cause, KafkaException) and _kafka_error(cause).fatal():
            return _kafka_error(cause)
        cause = cause.__cause__ or cause.__context__
    return None


def _refusal(error: KafkaError, what: str) -> Exception:
    if error.code() in _TOO_LARGE:
        return MessageTooLargeError(error.str())
    return PublishError(f"{what}: {error.str()}")


def _reporter(loop: asyncio.AbstractEventLoop, outcome: "asyncio.Future[None]") -> DeliveryCallback:
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
        outcome.set_exception(_refusal(error, "the broker did not take the event"))

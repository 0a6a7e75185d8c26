"""The loop every stage runs: consume, handle, produce, commit — at least once, concurrently.

Threads and who owns what:

* the **loop thread** (``run``) fetches, admits events, stores offsets and owns the consumer,
  the offset tracker and the pending table;
* **handler threads** (a pool of ``max_in_flight``) decode, call ``Stage.handle`` with
  retries, and hand outputs to the producer;
* the **delivery thread** serves the producer's acknowledgements and reports finished events
  back to the loop through a queue.

An event is finished when every message it caused is acknowledged by the broker (``acks=all``);
only then may its offset be committed, and only up to the first unfinished offset of its
partition. Events are *held* from fetch to commit; fetching pauses while ``max_pending`` are
held, and while the circuit breaker is open.

The consumer and producer may be passed in (tests pass fakes); otherwise they are built from the
settings.
"""

import contextlib
import json
import logging
import queue
import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from types import FrameType
from typing import Any

from confluent_kafka import (
    Consumer,
    KafkaError,
    KafkaException,
    Message,
    Producer,
    TopicPartition,
)

from docflow_events import EventDecodeError, consumer_group, from_kafka
from docflow_events.traceparent import trace_id
from docflow_runtime import metrics
from docflow_runtime.breaker import Admission, CircuitBreaker
from docflow_runtime.errors import PermanentError, TransientError
from docflow_runtime.health import HealthServer
from docflow_runtime.kafka_config import consumer_config, masked, producer_config
from docflow_runtime.logging import get_logger, log_context
from docflow_runtime.offsets import OffsetTracker, Partition
from docflow_runtime.ordering import KeyedQueue
from docflow_runtime.records import Consumed, Outgoing, dead_letters, outputs
from docflow_runtime.retry import Backoff
from docflow_runtime.settings import RuntimeSettings
from docflow_runtime.signals import on_stop_signals
from docflow_runtime.stage import Stage

log = get_logger(__name__)

_FETCH_BATCH = 500
_FETCH_TIMEOUT = 0.05
_LIVENESS_SLACK = 60.0
#: How long shutdown waits for handler calls still under way once it stops waiting for events.
_HANDLER_GRACE = 5.0


class DeliveryFailedError(RuntimeError):
    """The broker did not acknowledge an output; the worker stops so the event is redelivered."""


class FatalKafkaError(RuntimeError):
    """The client reported an error it cannot recover from."""


@dataclass
class _Task:
    message: Consumed
    generation: int
    accepted_at: float = field(default_factory=time.monotonic)

    @property
    def partition(self) -> Partition:
        return (self.message.topic, self.message.partition)


@dataclass
class _Finished:
    task: _Task
    outcome: str | None  # None: abandoned at shutdown, or not delivered
    delivery_error: KafkaError | None = None


class _Delivery:
    """Counts the broker's acknowledgements of one event's outputs."""

    def __init__(self, task: _Task, outcome: str, count: int, done: "queue.SimpleQueue[_Finished]"):
        self._task, self._outcome, self._remaining, self._done = task, outcome, count, done
        self._error: KafkaError | None = None
        self._lock = threading.Lock()

    def on_delivery(self, error: KafkaError | None, _message: Message) -> None:
        with self._lock:
            self._error = self._error or error
            self._remaining -= 1
            if self._remaining:
                return
        outcome = None if self._error else self._outcome
        self._done.put(_Finished(self._task, outcome, self._error))


class Worker:
    """Runs one stage against Kafka until stopped (``stop()``, SIGTERM or SIGINT)."""

    def __init__(
        self,
        stage: Stage,
        settings: RuntimeSettings,
        *,
        client_id: str | None = None,
        consumer: Consumer | None = None,
        producer: Producer | None = None,
    ):
        self._stage = stage
        self._settings = settings
        self._name = stage.name
        # Bound once: a logger resolved per call would cost more than a no-op handler.
        self._log = log.bind(stage=stage.name)
        self._client_id = client_id or f"docflow-{stage.name}"
        self._backoff = Backoff(
            settings.retry_initial_backoff_seconds,
            settings.retry_max_backoff_seconds,
            settings.retry_max_attempts,
        )
        self._breaker = CircuitBreaker(
            window=settings.breaker_window,
            min_failures=settings.breaker_min_failures,
            failure_ratio=settings.breaker_failure_ratio,
            cooldown_seconds=settings.breaker_cooldown_seconds,
        )
        self._breaker_open = False
        self._tracker = OffsetTracker()
        self._keys: KeyedQueue[_Task] = KeyedQueue()
        self._finished: queue.SimpleQueue[_Finished] = queue.SimpleQueue()
        self._pool = ThreadPoolExecutor(settings.max_in_flight, f"{stage.name}-handler")
        self._handlers = 0
        self._handlers_done = threading.Condition()
        self._stop = threading.Event()
        self._abort = threading.Event()
        self._closing = False
        self._deliveries_done = threading.Event()
        self._signal: int | None = None
        self._paused = False
        self._joined = False
        self._assigned: set[Partition] = set()
        self._broker_up: bool | None = None
        self._broker_was_down = False
        self._fatal: Exception | None = None
        self._last_tick = time.monotonic()
        self._last_gauges = 0.0
        self._consumer = consumer or Consumer(self._consumer_config())
        self._producer = producer or self._new_producer()
        self._rebuild_producers = producer is None
        # Held while a message is handed to the producer and while the producer is replaced,
        # so that no message goes to a producer nobody polls any more.
        self._producing = threading.Lock()
        self._delivery_thread = threading.Thread(
            target=self._serve_deliveries, name=f"{stage.name}-delivery", daemon=True
        )
        self._health = HealthServer(
            settings.health_host,
            settings.health_port,
            liveness=self.liveness,
            readiness=self.readiness,
        )

    # -- public ---------------------------------------------------------------------------

    @property
    def name(self) -> str:
        return self._name

    @property
    def health_port(self) -> int:
        return self._health.port

    def run(self) -> None:
        """Block until stopped; raise when the worker stopped because of a fatal error."""
        on_stop_signals(self._on_signal)
        metrics.prepare(self._name)
        self._health.start()
        self._delivery_thread.start()
        topics = [self._settings.topic(t) for t in self._stage.inputs]
        self._log.info("worker starting", topics=topics,
                 kafka=masked(self._producer_config()))  # fmt: skip
        self._consumer.subscribe(
            topics, on_assign=self._on_assign, on_revoke=self._on_revoke, on_lost=self._on_lost
        )
        try:
            while not self._stop.is_set():
                self._tick()
        finally:
            self._shutdown()
        if self._fatal is not None:
            raise self._fatal

    def stop(self) -> None:
        """Ask the loop to stop fetching and finish what it holds (safe from any thread)."""
        self._stop.set()

    def abort(self) -> None:
        """Stop without waiting for held events (safe from any thread): they are redelivered."""
        self._abort.set()
        self._stop.set()

    @property
    def assigned(self) -> set[Partition]:
        """The partitions this worker owns now."""
        return set(self._assigned)

    def liveness(self) -> tuple[bool, str]:
        silent = time.monotonic() - self._last_tick
        limit = _LIVENESS_SLACK + self._settings.shutdown_timeout_seconds
        return (silent < limit, f"loop last ran {silent:.1f}s ago")

    def readiness(self) -> tuple[bool, str]:
        if self._stop.is_set():
            return (False, "stopping")
        if not self._joined:
            return (False, "not yet in the consumer group")
        if self._broker_up is False:
            return (False, "no broker reachable")
        return (True, "consuming")

    # -- the loop -------------------------------------------------------------------------

    def _tick(self) -> None:
        self._last_tick = time.monotonic()
        self._service()
        room = self._settings.max_pending - self._tracker.pending()
        self._set_paused(room <= 0 or self._breaker_open)
        batch = max(1, min(room, _FETCH_BATCH))
        for message in self._consumer.consume(num_messages=batch, timeout=_FETCH_TIMEOUT):
            self._accept(message)

    def _accept(self, message: Message) -> None:
        error = message.error()
        if error is not None:
            self._on_consume_error(error)
            return
        consumed = Consumed.of(message)
        partition = (consumed.topic, consumed.partition)
        task = _Task(consumed, self._tracker.track(partition, consumed.offset, consumed.timestamp))
        if self._keys.admit(consumed.key, task):
            self._submit(task)

    def _service(self) -> None:
        """Take in finished events, store what may be committed, refresh the gauges."""
        while True:
            try:
                self._complete(self._finished.get_nowait())
            except queue.Empty:
                break
        self._store(self._tracker.take_committable())
        self._renew_producer_after_outage()
        self._watch_breaker()
        self._update_gauges()

    def _complete(self, finished: _Finished) -> None:
        message = finished.task.message
        if finished.delivery_error is not None:
            self._fail(DeliveryFailedError(f"{message.ref}: {finished.delivery_error}"))
            metrics.DELIVERY_FAILURES.labels(self._name).inc()
            return
        if finished.outcome is None:
            return
        if self._tracker.finish(finished.task.partition, message.offset, finished.task.generation):
            metrics.EVENTS.labels(self._name, finished.outcome).inc()

    def _store(self, offsets: dict[Partition, int]) -> None:
        if not offsets:
            return
        try:
            self._consumer.store_offsets(
                offsets=[TopicPartition(t, p, o) for (t, p), o in offsets.items()]
            )
        except KafkaException as exc:
            # Only possible for a partition revoked in between; its new owner resumes safely.
            self._log.warning("offsets not stored", error=str(exc))

    def _set_paused(self, paused: bool) -> None:
        if paused == self._paused:
            return
        assignment = self._consumer.assignment()
        if paused:
            self._consumer.pause(assignment)
        else:
            self._consumer.resume(assignment)
        self._paused = paused

    def _renew_producer_after_outage(self) -> None:
        """A broker that lost its state (the local one keeps none) no longer knows this
        producer's id, and an idempotent producer then retries each message until it times
        out. Once every broker was down and one is back, an idle producer is replaced; one with
        messages still queued is left to deliver or fail them (a failure stops the worker)."""
        if not (self._broker_was_down and self._broker_up and self._rebuild_producers):
            return
        with self._producing:
            if len(self._producer):
                return
            self._broker_was_down = False
            self._producer = self._new_producer()
        self._log.info("broker reachable again; producer renewed")

    def _watch_breaker(self) -> None:
        opened = self._breaker.is_open
        if opened == self._breaker_open:
            return
        self._breaker_open = opened
        metrics.CIRCUIT_OPEN.labels(self._name).set(int(opened))
        if opened:
            self._log.warning(
                "circuit breaker open: many events fail transiently; fetching paused, probing",
                cooldown=self._settings.breaker_cooldown_seconds,
            )
        else:
            self._log.info("circuit breaker closed: a probe succeeded; fetching resumes")

    def _update_gauges(self) -> None:
        now = time.monotonic()
        if now - self._last_gauges < 1.0:
            return
        self._last_gauges = now
        metrics.PENDING.labels(self._name).set(self._tracker.unfinished())
        oldest = self._tracker.oldest_timestamp()
        age = time.time() - oldest if oldest is not None else 0.0
        metrics.OLDEST_PENDING_AGE.labels(self._name).set(max(0.0, age))

    # -- handler threads ------------------------------------------------------------------

    def _submit(self, task: _Task) -> None:
        try:
            self._pool.submit(self._run_task, task)
        except RuntimeError:
            # The pool is shut down: the worker is stopping and the event will be redelivered.
            if not self._stop.is_set():
                raise

    def _run_task(self, task: _Task) -> None:
        with self._handlers_done:
            self._handlers += 1
        try:
            self._process(task)
        except BaseException as exc:
            # Not the handler (its errors are retried or dead-lettered) but the runtime itself:
            # the event would never finish and its partition would stall, so stop the worker
            # and let the restart redeliver it.
            self._fail(RuntimeError(f"{task.message.ref}: {type(exc).__name__}: {exc}"))
            raise
        finally:
            with self._handlers_done:
                self._handlers -= 1
                self._handlers_done.notify_all()

    def _process(self, task: _Task) -> None:
        """One event, start to finish; then start the next event of the same key."""
        metrics.IN_FLIGHT.labels(self._name).inc()
        started = time.monotonic()
        try:
            handled = self._handle_with_retries(task.message)
        finally:
            metrics.IN_FLIGHT.labels(self._name).dec()
            metrics.PROCESSING_SECONDS.labels(self._name).observe(time.monotonic() - started)
        if handled is None:
            self._finished.put(_Finished(task, None))
            return
        records, outcome = handled
        self._send(task, records, outcome)
        following = self._keys.release(task.message.key)
        if following is not None:
            self._submit(following)

    def _handle_with_retries(self, message: Consumed) -> tuple[list[Outgoing], str] | None:
        """Outputs and outcome; None when shutdown gave up while waiting.

        A failed probe of the circuit breaker does not count as an attempt: the outage is the
        backend's, and the event keeps its retries for when the backend is back.
        """
        attempt = 0
        while (admission := self._breaker.admit(self._abort)) is not None:
            counted = attempt + 1
            try:
                sent = self._handle_once(message)
            except (EventDecodeError, PermanentError) as exc:
                self._breaker.record(message.ref, failed=False, admission=admission)
                return self._dead_letters(message, exc, counted, permanent=True), "dead_letter"
            except Exception as exc:
                self._breaker.record(message.ref, failed=True, admission=admission)
                if admission is Admission.NORMAL:
                    attempt = counted
                if self._backoff.exhausted(attempt):
                    letters = self._dead_letters(message, exc, attempt, permanent=False)
                    return letters, "dead_letter"
                if self._abort.wait(self._retry_delay(message, exc, counted)):
                    return None
            else:
                self._breaker.record(message.ref, failed=False, admission=admission)
                return sent, "success"
        return None

    def _handle_once(self, message: Consumed) -> list[Outgoing]:
        event = from_kafka(message.key, message.value, message.headers)
        context = {"document_id": event.subject, "tenant": event.tenant,
                   "trace_id": trace_id(event.traceparent), "stage": self._name}  # fmt: skip
        with log_context(**context):
            started = time.monotonic()
            produced = self._stage.handle(event)
            seconds = time.monotonic() - started
            sent = outputs(self._name, event, produced, self._settings.topic_prefix,
                           seconds=seconds)  # fmt: skip
            self._log.info("event handled", event_type=event.type, outputs=len(sent),
                     seconds=round(seconds, 4), source=message.ref)  # fmt: skip
        return sent

    def _retry_delay(self, message: Consumed, error: Exception, attempt: int) -> float:
        metrics.RETRIES.labels(self._name).inc()
        delay = self._backoff.delay(attempt)
        if isinstance(error, TransientError) and error.retry_after is not None:
            # A backend's Retry-After is advice; the worker's own maximum still bounds the wait.
            delay = min(error.retry_after, self._backoff.maximum)
        self._log.warning("handler failed, will retry", source=message.ref,
                    attempt=attempt, error_class=type(error).__qualname__, error=str(error)[:500],
                    retry_in=round(delay, 3))  # fmt: skip
        return delay

    def _dead_letters(
        self, message: Consumed, error: BaseException, attempts: int, *, permanent: bool
    ) -> list[Outgoing]:
        self._log.error("event dead-lettered", source=message.ref, attempts=attempts,
                  permanent=permanent, error_class=type(error).__qualname__,
                  error=str(error)[:500])  # fmt: skip
        return dead_letters(self._name, message, error, attempts=attempts, permanent=permanent,
                            prefix=self._settings.topic_prefix)  # fmt: skip

    def _send(self, task: _Task, records: list[Outgoing], outcome: str) -> None:
        if not records:
            self._finished.put(_Finished(task, outcome))
            return
        delivery = _Delivery(task, outcome, len(records), self._finished)
        for out in records:
            self._produce(out, delivery)

    def _produce(self, out: Outgoing, delivery: _Delivery) -> None:
        deadline = time.monotonic() + self._settings.kafka.delivery_timeout_seconds
        while True:
            try:
                with self._producing:
                    self._producer.produce(
                        out.topic, value=out.record.value, key=out.record.key,
                        headers=list(out.record.headers), on_delivery=delivery.on_delivery,
                    )  # fmt: skip
                return
            except BufferError:
                # The local queue is full and the delivery thread drains it, unless the broker
                # takes nothing: past the delivery timeout that is a delivery failure.
                if time.monotonic() > deadline:
                    raise DeliveryFailedError(
                        f"{out.topic}: the producer queue stayed full for "
                        f"{self._settings.kafka.delivery_timeout_seconds:g}s"
                    ) from None
                time.sleep(0.01)

    def _serve_deliveries(self) -> None:
        while not self._deliveries_done.is_set():
            self._producer.poll(0.05)

    # -- rebalancing ----------------------------------------------------------------------

    def _on_assign(self, _consumer: Consumer, partitions: list[TopicPartition]) -> None:
        for tp in partitions:
            self._tracker.assign((tp.topic, tp.partition))
        self._assigned |= {(tp.topic, tp.partition) for tp in partitions}
        self._joined = True
        # A completed join means a broker answers; renewing now, before this assignment's
        # first fetch, keeps its outputs off a producer the broker no longer knows.
        self._broker_up = True
        self._renew_producer_after_outage()
        if self._paused and partitions:
            self._paused = False  # re-evaluated (and the new partitions paused) next tick
        self._log.info("partitions assigned", partitions=_names(partitions))

    def _on_revoke(self, consumer: Consumer, partitions: list[TopicPartition]) -> None:
        """Finish what we hold of these partitions, commit it, then let them go."""
        owned = [(tp.topic, tp.partition) for tp in partitions]
        if not self._closing:
            self._drain(owned, time.monotonic() + self._settings.shutdown_timeout_seconds)
        self._service()
        self._commit(consumer)
        self._forget(owned)
        self._log.info("partitions revoked", partitions=_names(partitions))

    def _on_lost(self, _consumer: Consumer, partitions: list[TopicPartition]) -> None:
        """Another member may own these already: committing for them would be rejected."""
        self._forget([(tp.topic, tp.partition) for tp in partitions])
        self._log.warning("partitions lost", partitions=_names(partitions))

    def _drain(self, partitions: list[Partition] | None, deadline: float) -> bool:
        """Wait until the given partitions (or all) hold no unfinished event; False on timeout."""
        while self._held(partitions) and time.monotonic() < deadline and not self._abort.is_set():
            with contextlib.suppress(queue.Empty):
                self._complete(self._finished.get(timeout=0.05))
            self._store(self._tracker.take_committable())
        return not self._held(partitions)

    def _held(self, partitions: list[Partition] | None) -> int:
        if partitions is None:
            return self._tracker.pending()
        return sum(self._tracker.pending(p) for p in partitions)

    def _forget(self, partitions: list[Partition]) -> None:
        self._assigned -= set(partitions)
        for partition in partitions:
            self._tracker.drop(partition)

    def _commit(self, consumer: Consumer) -> None:
        try:
            consumer.commit(asynchronous=False)
        except KafkaException as exc:
            if exc.args[0].code() != KafkaError._NO_OFFSET:
                self._log.warning("commit failed", error=str(exc))

    # -- shutdown and errors --------------------------------------------------------------

    def _shutdown(self) -> None:
        """Stop fetching, finish held events within the deadline, commit, close."""
        self._stop.set()
        if self._signal is not None:
            self._log.info("stop requested", signal=signal.Signals(self._signal).name)
        self._set_paused(True)
        deadline = time.monotonic() + self._settings.shutdown_timeout_seconds
        if not self._drain(None, deadline):
            self._abort.set()
            self._log.warning("stopping without waiting; unfinished events will be redelivered",
                        unfinished=self._tracker.pending())  # fmt: skip
        self._pool.shutdown(wait=False, cancel_futures=True)
        handlers_done = self._join_handlers(time.monotonic() + _HANDLER_GRACE)
        self._service()
        self._commit(self._consumer)
        self._closing = True
        self._consumer.close()
        self._producer.flush(5.0)
        self._deliveries_done.set()
        self._delivery_thread.join(timeout=5.0)
        self._health.stop()
        if handlers_done:
            self._stage.close()
        else:
            # Closing backends under a running call would fail it in odd ways; the process
            # is ending anyway, and the event is redelivered.
            self._log.warning("handlers still running; the stage is left open",
                              running=self._handlers)  # fmt: skip
        self._log.info("worker stopped")

    def _join_handlers(self, deadline: float) -> bool:
        """Wait (until ``deadline``) for handler calls that are still running to return."""
        with self._handlers_done:
            while self._handlers and time.monotonic() < deadline:
                self._handlers_done.wait(min(0.1, max(0.0, deadline - time.monotonic())))
            return self._handlers == 0

    def _fail(self, error: Exception) -> None:
        if self._fatal is None:
            self._fatal = error
            self._log.error("worker stopping on a fatal error", error=str(error))
        self._abort.set()
        self._stop.set()

    def _on_error(self, error: KafkaError) -> None:
        if error.code() == KafkaError._ALL_BROKERS_DOWN:
            self._broker_up = False
            self._broker_was_down = True
        if error.fatal():
            self._fail(FatalKafkaError(str(error)))
        else:
            self._log.warning("kafka client error", error=str(error))

    def _on_consume_error(self, error: KafkaError) -> None:
        if error.code() != KafkaError._PARTITION_EOF:
            self._log.warning("fetch error", error=str(error))

    def _on_stats(self, raw: str) -> None:
        stats = json.loads(raw)
        brokers = stats.get("brokers", {}).values()
        self._broker_up = any(b.get("state") == "UP" for b in brokers)
        for topic, info in stats.get("topics", {}).items():
            for number, partition in info.get("partitions", {}).items():
                lag = partition.get("consumer_lag", -1)
                if int(number) >= 0 and lag >= 0:
                    metrics.CONSUMER_LAG.labels(self._name, topic, number).set(lag)

    def _on_signal(self, signum: int, _frame: FrameType | None) -> None:
        """Only flags here: a signal handler must not take locks the loop may hold."""
        self._signal = signum
        if self._stop.is_set():
            self.abort()  # a second signal: stop waiting for unfinished events
        else:
            self.stop()

    # -- configuration --------------------------------------------------------------------

    def _consumer_config(self) -> dict[str, Any]:
        group = self._settings.topic_prefix + consumer_group(self._name)
        config: dict[str, Any] = consumer_config(self._settings.kafka, self._client_id, group)
        return {**config, **self._callbacks(), "stats_cb": self._on_stats}

    def _new_producer(self) -> Producer:
        return Producer({**self._producer_config(), **self._callbacks()})

    def _producer_config(self) -> dict[str, str]:
        return producer_config(self._settings.kafka, self._client_id)

    def _callbacks(self) -> dict[str, Any]:
        # The client's own log lines then come out as JSON like ours.
        return {"error_cb": self._on_error, "logger": logging.getLogger("confluent_kafka")}


def _names(partitions: list[TopicPartition]) -> list[str]:
    return [f"{tp.topic}/{tp.partition}" for tp in partitions]

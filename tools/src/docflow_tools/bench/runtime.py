"""Runtime benchmark: raw confluent-kafka loop vs the docflow runtime, and slow-handler scaling.

Run with ``make bench`` (``python -m docflow_tools.bench.runtime``). Uses ``DOCFLOW_TEST_KAFKA``
if set, else starts a local broker. Prints numbers; asserts nothing (targets belong to the
reader of the numbers, not to CI).
"""

import argparse
import tempfile
import time
from pathlib import Path

from confluent_kafka import Consumer, Producer

from docflow_events import Topic, dead_letter_topic
from docflow_runtime import metrics
from docflow_runtime.kafka_config import consumer_config, producer_config
from docflow_runtime.logging import configure_logging
from docflow_runtime.settings import KafkaSettings
from docflow_testing.broker import make_topics, provide_broker, unique_prefix
from docflow_testing.flow import PARTITIONS, STAGE, Flow
from docflow_testing.passthrough import PassThrough

SLOW_SECONDS = 0.2


def new_flow(bootstrap: str, logs: Path) -> Flow:
    prefix = unique_prefix()
    names = [Topic.DOCUMENT_RECEIVED, Topic.EXTRACTION_COMPLETED, Topic.DOCUMENT_FAILED,
             dead_letter_topic(STAGE)]  # fmt: skip
    make_topics(bootstrap, prefix, names, PARTITIONS)
    return Flow(bootstrap, prefix, logs)


def raw_loop(flow: Flow, count: int) -> float:
    """Events/s of the plainest at-least-once loop: consume, produce, store offset."""
    flow.produce(count)
    kafka = KafkaSettings(bootstrap=flow.bootstrap)
    consumer = Consumer(consumer_config(kafka, "bench-raw", flow.group))
    producer = Producer(producer_config(kafka, "bench-raw"))
    consumer.subscribe([flow.topic(Topic.DOCUMENT_RECEIVED)])
    out, seen, started = flow.topic(Topic.EXTRACTION_COMPLETED), 0, 0.0
    while seen < count:
        for message in consumer.consume(500, 1.0):
            if message.error():
                continue
            started = started or time.monotonic()
            producer.produce(out, value=message.value(), key=message.key(),
                             headers=message.headers())  # fmt: skip
            consumer.store_offsets(message)
            seen += 1
        producer.poll(0)
    producer.flush(60)
    elapsed = time.monotonic() - started
    consumer.close()
    return count / elapsed


def runtime_loop(flow: Flow, count: int) -> float:
    """Events/s of the runtime with a handler that does nothing, until every output is acked."""
    flow.produce(count)
    finished = metrics.EVENTS.labels(STAGE, "success")
    before = finished._value.get()
    stage = PassThrough(flow.settings())
    with flow.worker(stage, max_in_flight=16, max_pending=1000):
        flow.wait_until(lambda: finished._value.get() - before >= count, 300, "outputs")
        done = time.monotonic()
    return count / (done - stage.first_start())


def slow_handler(flow: Flow, in_flight: int) -> float:
    count = max(10, int(in_flight / SLOW_SECONDS * 2))  # about two seconds of work
    sent = flow.produce(count, metadata=lambda _: {"sleep": SLOW_SECONDS})
    stage = PassThrough(flow.settings())
    with flow.worker(stage, max_in_flight=in_flight, max_pending=max(256, in_flight)):
        flow.wait_for_outputs({s.output_id for s in sent}, timeout=120)
    return count / stage.busy_seconds()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=20000, help="events for the no-op runs")
    args = parser.parse_args()
    configure_logging("bench", "ERROR")
    with tempfile.TemporaryDirectory() as logs, provide_broker(Path(logs)) as broker:
        print(f"broker: {broker.describe()}")
        raw = raw_loop(new_flow(broker.bootstrap, Path(logs)), args.events)
        ours = runtime_loop(new_flow(broker.bootstrap, Path(logs)), args.events)
        print(f"\nno-op, {args.events} events, {PARTITIONS} partitions")
        print(f"  raw confluent-kafka loop   {raw:10.0f} events/s")
        print(f"  docflow runtime            {ours:10.0f} events/s   ({ours / raw:.2f} of raw)")
        print(f"\nhandler sleeping {SLOW_SECONDS * 1000:.0f} ms")
        base = None
        for in_flight in (1, 8, 32, 64):
            rate = slow_handler(new_flow(broker.bootstrap, Path(logs)), in_flight)
            base = base or rate
            print(f"  in-flight {in_flight:3d}   {rate:8.1f} events/s   ({rate / base:5.1f}x)")


if __name__ == "__main__":
    main()
